"""Text extraction from report files: what Word shows, each file built in the test."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.table import Table

from tongjia_xls.demo.reports import write_reports
from tongjia_xls.demo.roster import demo_orgs
from tongjia_xls.reports.count import count_paragraphs
from tongjia_xls.reports.model import Para, ReportText, new_para
from tongjia_xls.word import ooxml
from tongjia_xls.word.extract import ExtractError, extract

# --- building packages from raw XML -------------------------------------------------------

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'mc:Ignorable="wps"'
)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    XML_DECL
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def rels(*targets: tuple[str, str]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, 1)
    )
    return (
        XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{items}</Relationships>'
    )


def run(text: str, rpr: str = "") -> str:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*content: str, ppr: str = "") -> str:
    props = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{props}{''.join(content)}</w:p>"


def styled(style_id: str) -> str:
    return f'<w:pStyle w:val="{style_id}"/>'


def textbox(text: str) -> str:
    """A Word 2010 text box: DrawingML in mc:Choice, the same text again as VML in Fallback."""
    content = f"<w:txbxContent>{para(run(text))}</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
        '<wp:extent cx="1" cy="1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/'
        f'office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>{content}</wps:txbx>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


STYLES = (
    XML_DECL + f"<w:styles {NS}>"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"24\"/></w:rPr></w:rPrDefault>"
    "</w:docDefaults>"
    '<w:latentStyles w:count="2"><w:lsdException w:name="Normal"/></w:latentStyles>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr>'
    "</w:style>"
    # inherits bold and the outline level from Heading1, then turns bold off
    '<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="Heading 3"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Plain1"><w:name w:val="plain heading"/>'
    '<w:basedOn w:val="Heading1"/><w:rPr><w:b w:val="false"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Loud"><w:name w:val="loud"/>'
    '<w:basedOn w:val="Strongish"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Strongish"><w:name w:val="strongish"/>'
    '<w:rPr><w:b w:val="1"/></w:rPr><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
    '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
    '<w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="NotBold"><w:name w:val="not bold"/>'
    '<w:basedOn w:val="Strong"/><w:rPr><w:b w:val="0"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="loop a"/>'
    '<w:basedOn w:val="LoopB"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="loop b"/>'
    '<w:basedOn w:val="LoopA"/></w:style>'
    "</w:styles>"
)


def write_package(path: Path, parts: dict[str, str | bytes], *, main: str = "word/document.xml",
                  compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write a .docx whose parts are given as text; relationships are added for them."""
    related = [(kind, f"{kind}.xml") for kind in ("styles", "footnotes", "endnotes", "header")
               if f"word/{kind}.xml" in parts]
    folder, _, base = main.rpartition("/")
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": rels(("officeDocument", main)),
        f"{folder}/_rels/{base}.rels": rels(*related),
        **parts,
    }
    with zipfile.ZipFile(path, "w", compression) as package:
        for name, data in files.items():
            package.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def document(body: str) -> str:
    return XML_DECL + f"<w:document {NS}><w:body>{body}</w:body></w:document>"


def docx(path: Path, body: str, **parts: str) -> Path:
    """Write a .docx with ``body`` (the XML inside w:body) and optional parts by short name."""
    files: dict[str, str | bytes] = {"word/document.xml": document(body)}
    files.update({f"word/{name}.xml": xml for name, xml in parts.items()})
    return write_package(path, files)


def texts(report: ReportText) -> list[str]:
    return [p.text for p in report.paragraphs]


# --- what counts as text ------------------------------------------------------------------

CONTENT_CASES = [
    pytest.param(para(run("一、"), run("主要做法")), ["一、主要做法"], id="runs-join"),
    pytest.param(
        para(run("保留"), '<w:ins w:id="1" w:author="a">' + run("新增") + "</w:ins>",
             '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>',
             run("。")),
        ["保留新增。"], id="tracked-insertion-kept-deletion-dropped",
    ),
    pytest.param(
        para('<w:moveFrom w:id="3" w:author="a">' + run("旧位置") + "</w:moveFrom>", run("正文"),
             '<w:moveTo w:id="4" w:author="a">' + run("新位置") + "</w:moveTo>"),
        ["正文新位置"], id="move-from-dropped-move-to-kept",
    ),
    pytest.param(
        '<w:sdt><w:sdtPr><w:alias w:val="控件"/></w:sdtPr><w:sdtContent>'
        + para(run("块级控件")) + "</w:sdtContent></w:sdt>"
        + para(run("行内"), '<w:sdt><w:sdtPr/><w:sdtContent>' + run("控件") + "</w:sdtContent>"
               "</w:sdt>"),
        ["块级控件", "行内控件"], id="content-controls",
    ),
    pytest.param(
        para('<w:fldSimple w:instr=" PAGE ">' + run("3") + "</w:fldSimple>", run("页"),
             '<w:hyperlink r:id="rId9">' + run("链接") + "</w:hyperlink>",
             '<w:smartTag w:uri="u" w:element="e">' + run("智能") + "</w:smartTag>",
             '<w:customXml w:element="x">' + run("标记") + "</w:customXml>"),
        ["3页链接智能标记"], id="fields-links-smart-tags-custom-xml",
    ),
    pytest.param(
        para('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
             '<w:r><w:instrText xml:space="preserve"> DATE </w:instrText></w:r>',
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("2024年1月3日"),
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
        ["2024年1月3日"], id="field-code-dropped-result-kept",
    ),
    pytest.param(
        para('<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:cr/><w:t>丁</w:t>'
             '<w:noBreakHyphen/><w:t>戊</w:t><w:softHyphen/><w:br w:type="page"/></w:r>'),
        ["甲\t乙\n丙\n丁-戊\n"], id="tab-breaks-hyphen",
    ),
    pytest.param(
        para(run("前"), "<w:r><w:ruby><w:rubyPr/><w:rt>" + run("dǎng") + "</w:rt><w:rubyBase>"
             + run("党") + "</w:rubyBase></w:ruby></w:r>", run("后")),
        ["前党后"], id="ruby-base-only",
    ),
    pytest.param(
        "<w:tbl><w:tr><w:tc>" + para(run("甲")) + "</w:tc><w:tc>" + para(run("乙"))
        + "<w:tbl><w:tr><w:tc>" + para(run("嵌套")) + "</w:tc></w:tr></w:tbl>" + para()
        + "</w:tc></w:tr><w:tr><w:tc>" + para(run("丙")) + "</w:tc></w:tr></w:tbl>"
        + para(run("表后")),
        ["甲", "乙", "嵌套", "", "丙", "表后"], id="tables-cell-by-cell",
    ),
    pytest.param(
        "<mc:AlternateContent><mc:Choice Requires=\"w14\">" + para(run("新版")) + "</mc:Choice>"
        "<mc:Fallback>" + para(run("旧版")) + "</mc:Fallback></mc:AlternateContent>",
        ["新版"], id="alternate-content-choice-only",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CONTENT_CASES)
def test_text_as_word_shows_it(tmp_path: Path, body: str, expected: list[str]) -> None:
    report = extract(docx(tmp_path / "报告.docx", body + para(run("完"))))
    assert texts(report) == [*expected, "完"]


def test_table_flags(tmp_path: Path) -> None:
    body = para(run("前")) + "<w:tbl><w:tr><w:tc>" + para(run("格")) + "</w:tc></w:tr></w:tbl>"
    report = extract(docx(tmp_path / "t.docx", body))
    assert [(p.text, p.in_table) for p in report.paragraphs] == [("前", False), ("格", True)]


def test_text_box_once_after_its_anchor(tmp_path: Path) -> None:
    body = (
        para(run("锚点"), textbox("文本框里的字"), run("之后"))
        + para(run("下一段"))
        + "<w:tbl><w:tr><w:tc>" + para(run("格"), textbox("格中文本框")) + "</w:tc></w:tr></w:tbl>"
        # VML only, as old converted files have it
        + para("<w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + para(run("旧式文本框"))
               + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    )
    report = extract(docx(tmp_path / "框.docx", body))
    assert [(p.text, p.story, p.in_table) for p in report.paragraphs] == [
        ("锚点之后", "body", False),
        ("文本框里的字", "textbox", False),
        ("下一段", "body", False),
        ("格", "body", True),
        ("格中文本框", "textbox", False),
        ("", "body", False),
        ("旧式文本框", "textbox", False),
    ]
    assert report.text.count("文本框里的字") == 1


def test_nested_text_box_comes_after_the_outer_one(tmp_path: Path) -> None:
    inner = textbox("内框")
    outer = (
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + para(run("外框"), inner)
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    report = extract(docx(tmp_path / "n.docx", para(run("正文"), outer)))
    assert [(p.text, p.story) for p in report.paragraphs] == [
        ("正文", "body"), ("外框", "textbox"), ("内框", "textbox")
    ]


def test_footnotes_and_endnotes_kept_header_left_out(tmp_path: Path) -> None:
    notes = (
        '<w:{0} w:type="separator" w:id="-1">' + para("<w:r><w:separator/></w:r>") + "</w:{0}>"
        '<w:{0} w:type="continuationSeparator" w:id="0">'
        + para("<w:r><w:continuationSeparator/></w:r>") + "</w:{0}>"
        '<w:{0} w:id="1">' + para('<w:r><w:{0}Ref/></w:r>', run("{1}一")) + "</w:{0}>"
        '<w:{0} w:type="normal" w:id="2">' + para(run("{1}二")) + "</w:{0}>"
    )
    body = para(run("正文"), '<w:r><w:footnoteReference w:id="1"/></w:r>') + para(run("结尾"))
    path = docx(
        tmp_path / "注.docx", body,
        footnotes=f"{XML_DECL}<w:footnotes {NS}>{notes.format('footnote', '脚注')}</w:footnotes>",
        endnotes=f"{XML_DECL}<w:endnotes {NS}>{notes.format('endnote', '尾注')}</w:endnotes>",
        header=XML_DECL + f"<w:hdr {NS}>" + para(run("页眉不计")) + "</w:hdr>",
    )
    report = extract(path)
    assert [(p.text, p.story) for p in report.paragraphs] == [
        ("正文", "body"), ("结尾", "body"),
        ("脚注一", "footnote"), ("脚注二", "footnote"),
        ("尾注一", "endnote"), ("尾注二", "endnote"),
    ]
    assert "页眉" not in report.text


# --- bold, style names and outline levels --------------------------------------------------

BOLD = '<w:b/>'
FORMAT_CASES = [
    # (paragraph XML, expected (bold, style name, outline level))
    (para(run("正文")), (False, None, None)),
    (para(run("全粗", BOLD)), (True, None, None)),
    (para(run("粗", BOLD), run("细")), (False, None, None)),
    (para(run("粗", BOLD), run("  "), run("体", '<w:b w:val="true"/>')), (True, None, None)),
    (para(run("关", '<w:b w:val="0"/>')), (False, None, None)),
    (para(run("关", '<w:b w:val="false"/>')), (False, None, None)),
    (para(run("标题"), ppr=styled("Heading1")), (True, "heading 1", 0)),
    (para(run("不粗标题", '<w:b w:val="0"/>'), ppr=styled("Heading1")), (False, "heading 1", 0)),
    (para(run("继承"), ppr=styled("Plain1")), (False, "plain heading", 0)),
    (para(run("链"), ppr=styled("Loud")), (True, "loud", None)),
    (para(run("强调", '<w:rStyle w:val="Strong"/>')), (True, None, None)),
    (para(run("样式关", '<w:rStyle w:val="NotBold"/>'), ppr=styled("Heading1")),
     (False, "heading 1", 0)),
    (para(run("直接优先", '<w:rStyle w:val="NotBold"/><w:b/>')), (True, None, None)),
    (para(run("普通"), ppr=styled("Normal")), (False, None, None)),
    (para(run("未知样式"), ppr=styled("NoSuchStyle")), (False, None, None)),
    (para(run("循环"), ppr=styled("LoopA")), (False, "loop a", None)),
    (para(run("大纲"), ppr='<w:outlineLvl w:val="2"/>'), (False, None, 2)),
    (para(run("内置标题"), ppr=styled("Heading3")), (False, "Heading 3", 2)),
    (para(run("正文级"), ppr=styled("Heading1") + '<w:outlineLvl w:val="9"/>'),
     (True, "heading 1", None)),
    (para(), (False, None, None)),
    (para(run(" ", BOLD)), (False, None, None)),
]


@pytest.mark.parametrize(("xml", "expected"), FORMAT_CASES)
def test_bold_style_and_outline(tmp_path: Path, xml: str, expected: tuple[object, ...]) -> None:
    report = extract(docx(tmp_path / "样式.docx", para(run("首段")) + xml, styles=STYLES))
    found = report.paragraphs[1]
    assert (found.bold, found.style, found.outline_level) == expected


def test_doc_defaults_bold_and_no_styles_part(tmp_path: Path) -> None:
    bold_defaults = STYLES.replace('<w:sz w:val="24"/>', "<w:b/>")
    report = extract(docx(tmp_path / "a.docx", para(run("粗")), styles=bold_defaults))
    assert report.paragraphs[0].bold
    report = extract(docx(tmp_path / "b.docx", para(run("无样式"), ppr=styled("Heading1"))))
    assert report.paragraphs == (Para("无样式"),)


def test_python_docx_document(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("2023年度述职报告", style="Title")
    doc.add_heading("一、主要做法和成效", level=1)
    bold = doc.add_paragraph().add_run("（一）加强政治建设方面")
    bold.bold = True
    mixed = doc.add_paragraph()
    mixed.add_run("开展党课").bold = True
    mixed.add_run("12次。")
    lines = doc.add_paragraph().add_run("第一行")
    lines.add_break(WD_BREAK.LINE)
    lines.add_text("第二行")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "党课"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "12"
    inner.cell(0, 1).text = "次"
    doc.add_paragraph("表后正文")
    path = tmp_path / "报告.docx"
    doc.save(str(path))

    report = extract(path)
    assert report.source == path and report.converted_from is None
    assert [(p.text, p.bold, p.style, p.outline_level, p.in_table) for p in report.paragraphs] == [
        ("2023年度述职报告", False, "Title", None, False),
        ("一、主要做法和成效", True, "heading 1", 0, False),
        ("（一）加强政治建设方面", True, None, None, False),
        ("开展党课12次。", False, None, None, False),
        ("第一行\n第二行", False, None, None, False),
        ("项目", False, None, None, True),
        ("数量", False, None, None, True),
        ("党课", False, None, None, True),
        ("", False, None, None, True),  # the cell's own first paragraph
        ("12", False, None, None, True),
        ("次", False, None, None, True),
        ("", False, None, None, True),  # Word keeps a paragraph after a nested table
        ("表后正文", False, None, None, False),
    ]
    assert report.text.startswith("2023年度述职报告\n一、主要做法和成效\n")


def test_main_part_found_through_relationships(tmp_path: Path) -> None:
    xml = XML_DECL + f"<w:document {NS}><w:body>{para(run('另名正文'))}</w:body></w:document>"
    path = write_package(tmp_path / "r.docx", {"word/document2.xml": xml},
                         main="word/document2.xml")
    assert texts(extract(path)) == ["另名正文"]


def test_strict_ooxml_namespace(tmp_path: Path) -> None:
    path = docx(tmp_path / "s.docx", para(run("严格格式")))
    strict = tmp_path / "strict.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(strict, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                )
            target.writestr(item, data)
    assert texts(extract(strict)) == ["严格格式"]


# --- files that cannot be read -------------------------------------------------------------

def _ole(*streams: str) -> bytes:
    """An OLE compound file header followed by directory names, as UTF-16LE."""
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + names


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


ERROR_CASES = [
    # (file name, content, words the message must hold)
    ("空.docx", b"", ("空文件",)),
    ("扫描.pdf", b"%PDF-1.7\n", ("PDF", "Word 文件")),
    ("改名.docx", b"%PDF-1.4\n%\xe2\xe3", ("PDF", "Word 文件")),
    ("照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, ("图片", "Word 文件")),
    ("照片.docx", b"\xff\xd8\xff\xe0\0\x10JFIF", ("图片",)),
    ("扫描.JPG", b"not really", ("图片",)),
    ("手机.docx", b"\0\0\0\x18ftypheic" + b"\0" * 8, ("图片",)),
    ("损坏.docx", b"PK\x03\x04garbage that is no zip", ("已损坏",)),
    ("文本.docx", "这不是压缩包".encode(), ("已损坏",)),
    ("加密.docx", _ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), ("密码",)),
    ("加密2.docx", _ole("Root Entry"), ("密码",)),
    ("加密.doc", _ole("Root Entry", "EncryptedPackage"), ("密码",)),
    ("笔记.txt", "正文".encode(), (".txt", "另存为 .docx")),
    ("无扩展名", "正文".encode(), ("无扩展名",)),
]


@pytest.mark.parametrize(("name", "content", "words"), ERROR_CASES)
def test_unreadable_files_get_a_clear_message(
    tmp_path: Path, name: str, content: bytes, words: tuple[str, ...]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractError) as caught:
        extract(path, soffice=None)
    message = str(caught.value)
    assert name in message
    for word in words:
        assert word in message


def test_missing_file_folder_and_zip_without_document(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match=r"找不到文件.*没有这个"):
        extract(tmp_path / "没有这个.docx")
    with pytest.raises(ExtractError, match="文件夹"):
        extract(tmp_path)
    xlsx = _zip(tmp_path / "表格.docx", {"xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(ExtractError, match=r"“表格\.docx”不是 Word 文档"):
        extract(xlsx)


def test_document_without_text(tmp_path: Path) -> None:
    path = docx(tmp_path / "空白.docx", para() + para(run("   ")) + para("<w:r><w:drawing/></w:r>"))
    with pytest.raises(ExtractError, match=r"“空白\.docx”中没有任何文字"):
        extract(path)


HOSTILE = "文件结构异常，可能已损坏或被篡改，请让报送人重新导出"


def _bomb(path: Path, member: str, mib: int) -> Path:
    """A package whose ``member`` inflates to ``mib`` MiB of zeros, written in chunks."""
    parts = {"word/document.xml": document(para(run("正文")))}
    parts.pop(member, None)
    write_package(path, parts)
    chunk = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
        package.open(member, "w", force_zip64=True) as handle,
    ):
        for _ in range(mib):
            handle.write(chunk)
    return path


@pytest.mark.parametrize(
    ("member", "mib"),
    [("word/document.xml", 200), ("word/styles.xml", 20), ("word/footnotes.xml", 8)],
    ids=["declared-200MiB", "part-over-cap", "compression-ratio"],
)
def test_zip_bombs_refused(tmp_path: Path, member: str, mib: int) -> None:
    path = _bomb(tmp_path / "炸弹.docx", member, mib)
    with pytest.raises(ExtractError, match=HOSTILE):
        extract(path)


def test_lying_size_in_the_archive_is_caught(tmp_path: Path) -> None:
    path = docx(tmp_path / "谎报.docx", para(run("正文" * 5000)))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("word/document.xml")
    # Claim 100 bytes in the central directory; the data inflate to far more.
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    assert info.file_size > 100
    path.write_bytes(bytes(data))
    with pytest.raises(ExtractError, match=r"谎报\.docx"):
        extract(path)


ENTITY_BODIES = [
    '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE w:document SYSTEM "http://example.invalid/word.dtd">',
]


@pytest.mark.parametrize("doctype", ENTITY_BODIES, ids=["billion-laughs", "xxe", "external-dtd"])
def test_dtd_refused(tmp_path: Path, doctype: str) -> None:
    xml = XML_DECL + doctype + f"<w:document {NS}><w:body>{para(run('&b;'))}</w:body></w:document>"
    path = write_package(tmp_path / "实体.docx", {"word/document.xml": xml})
    with pytest.raises(ExtractError, match=HOSTILE):
        extract(path)


def test_dtd_in_utf16_refused(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>' + ENTITY_BODIES[1]
        + f"<w:document {NS}><w:body>{para(run('&x;'))}</w:body></w:document>"
    )
    path = write_package(tmp_path / "u16.docx", {"word/document.xml": xml.encode("utf-16")})
    with pytest.raises(ExtractError, match=HOSTILE):
        extract(path)


def test_paragraph_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ooxml, "MAX_PARAGRAPHS", 50)
    path = docx(tmp_path / "长.docx", para(run("段")) * 51)
    with pytest.raises(ExtractError, match=HOSTILE):
        extract(path)
    assert len(extract(docx(tmp_path / "短.docx", para(run("段")) * 50)).paragraphs) == 50


def test_old_formats_without_libreoffice(tmp_path: Path) -> None:
    for name, content in [("旧版.doc", _ole("Root Entry", "WordDocument")),
                          ("旧版.wps", _ole("Root Entry", "WordDocument")),
                          ("格式.rtf", b"{\\rtf1 hello}"),
                          ("改名.docx", _ole("Root Entry", "WordDocument"))]:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ExtractError) as caught:
            extract(path, soffice=None)
        message = str(caught.value)
        assert name in message and "LibreOffice" in message
        assert "在 Word/WPS 中另存为 .docx" in message


def test_docx_named_doc_is_read_directly(tmp_path: Path) -> None:
    path = docx(tmp_path / "其实是docx.doc", para(run("正文")))
    report = extract(path, soffice=None)
    assert texts(report) == ["正文"] and report.converted_from is None


# --- LibreOffice conversions ---------------------------------------------------------------

def _start_conversion(soffice: str, source: Path, fmt: str) -> subprocess.Popen[bytes]:
    """Start LibreOffice converting ``source`` into ``<its folder>/<fmt>/``."""
    folder = source.parent
    return subprocess.Popen(
        [soffice, f"-env:UserInstallation={(folder / ('profile-' + fmt)).as_uri()}",
         "--headless", "--convert-to", fmt, "--outdir", str(folder / fmt), str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


ROUND_TRIP = ["2023年度述职报告", "一、主要做法和成效", "开展党课12次，党员参学率95%。",
              "项目", "数量", "党课", "12次", "表后正文"]


@pytest.fixture(scope="module")
def old_formats(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A .docx turned into .doc, .rtf and .odt by LibreOffice, side by side."""
    folder = tmp_path_factory.mktemp("old")
    doc = Document()
    doc.add_paragraph(ROUND_TRIP[0], style="Title")
    doc.add_heading(ROUND_TRIP[1], level=1)
    doc.add_paragraph(ROUND_TRIP[2])
    table = doc.add_table(rows=2, cols=2)
    for cell, value in zip(table._cells, ROUND_TRIP[3:-1], strict=True):
        cell.text = value
    # Word always ends a document with a paragraph; python-docx does not, and LibreOffice
    # then writes the last table to .doc as a single paragraph.
    doc.add_paragraph(ROUND_TRIP[-1])
    source = folder / "source.docx"
    doc.save(str(source))
    jobs = [_start_conversion(soffice, source, fmt) for fmt in ("doc", "rtf", "odt")]
    for job in jobs:  # in parallel: each has its own profile
        job.wait(timeout=180)
    made = {f".{fmt}": folder / fmt / f"source.{fmt}" for fmt in ("doc", "rtf", "odt")}
    assert all(path.is_file() for path in made.values())
    return made


@pytest.mark.parametrize(
    ("made", "name", "converted_from"),
    [(".doc", "旧版 报告.doc", ".doc"), (".rtf", "报告.rtf", ".rtf"), (".odt", "报告.odt", ".odt"),
     (".doc", "WPS报告.wps", ".wps"), (".doc", "-改了扩展名.docx", ".doc")],
)
def test_old_formats_converted(
    old_formats: dict[str, Path], soffice: str, tmp_path: Path, made: str, name: str,
    converted_from: str,
) -> None:
    path = tmp_path / name
    shutil.copy(old_formats[made], path)
    report = extract(path, soffice=soffice)
    assert report.source == path and report.converted_from == converted_from
    assert [t for t in texts(report) if t.strip()] == ROUND_TRIP
    heading = report.paragraphs[1]
    assert heading.outline_level == 0 and heading.bold
    assert heading.style in ("heading 1", "Heading 1")
    assert report.paragraphs[2].style is None  # LibreOffice's Normal
    in_table = [p.in_table for p in report.paragraphs if p.text.strip()]
    assert in_table == [False] * 3 + [True] * 4 + [False]
    assert list(tmp_path.iterdir()) == [path]  # nothing left behind


def test_text_box_written_by_libreoffice_read_once(soffice: str, tmp_path: Path) -> None:
    # LibreOffice writes a .doc's text box back as mc:Choice plus a VML mc:Fallback.
    source = docx(tmp_path / "box.docx", para(run("锚点"), textbox("框中文字"), run("之后"))
                  + para(run("下一段")))
    _start_conversion(soffice, source, "doc").wait(timeout=180)
    report = extract(tmp_path / "doc" / "box.doc", soffice=soffice)
    assert [(p.text, p.story) for p in report.paragraphs] == [
        ("锚点之后", "body"), ("框中文字", "textbox"), ("下一段", "body")
    ]


def test_conversion_failure_is_reported(tmp_path: Path, soffice: str) -> None:
    path = tmp_path / "坏.doc"
    path.write_bytes(_ole("Root Entry", "WordDocument") + b"\xff" * 4096)
    with pytest.raises(ExtractError, match=r"“坏\.doc”无法转换为 \.docx"):
        extract(path, soffice=soffice)


def test_missing_soffice_program(tmp_path: Path) -> None:
    path = tmp_path / "旧.doc"
    path.write_bytes(_ole("Root Entry", "WordDocument"))
    with pytest.raises(ExtractError, match=r"无法启动 LibreOffice.*“旧\.doc”"):
        extract(path, soffice=str(tmp_path / "no-soffice"))


# --- the demo's reports --------------------------------------------------------------------

def _python_docx_view(path: Path) -> list[str]:
    found: list[str] = []
    for item in Document(str(path)).iter_inner_content():
        if isinstance(item, Table):
            found.extend(p.text for row in item.rows for cell in row.cells for p in cell.paragraphs)
        else:
            found.append(item.text)
    return found


def test_demo_reports(tmp_path: Path) -> None:
    paths = write_reports(demo_orgs(), tmp_path)
    styled_headings = 0
    for path in paths:
        report = extract(path)
        assert report.paragraphs[0].text.strip(), path.name
        assert all(p.story == "body" for p in report.paragraphs)
        words = count_paragraphs(p.text for p in report.paragraphs)
        assert words == count_paragraphs(_python_docx_view(path)), path.name
        assert texts(report) == _python_docx_view(path), path.name
        headings = [p for p in report.paragraphs if p.text.startswith(("一、", "二、", "三、"))]
        assert len(headings) == 3, path.name
        # Part headings are bold Normal paragraphs, or Heading 1 (set not bold by the demo).
        assert all(p.bold or p.outline_level == 0 for p in headings), path.name
        styled_headings += sum(p.style == "heading 1" for p in headings)
    assert styled_headings > 0


def test_new_para_is_the_same_as_para() -> None:
    fields = ("一、主要做法", True, "heading 1", 0, True, "textbox", "黑体")
    made = new_para(*fields)
    assert made == Para(*fields)
    assert repr(made) == repr(Para(*fields))
    assert hash(made) == hash(Para(*fields))
    assert vars(made) == vars(Para(*fields))  # every field set, none more
    with pytest.raises(AttributeError):
        made.text = "改"  # type: ignore[misc]
