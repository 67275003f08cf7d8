"""Which text Word's and WPS's 字数 count: text boxes, notes, equations, note marks."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import report_lines, report_text
from tongjia_xls.reports.analysis import analyze
from tongjia_xls.reports.measure import measure
from tongjia_xls.reports.model import Para
from tongjia_xls.reports.rules import Context
from tongjia_xls.settings import Settings
from tongjia_xls.word.extract import ExtractError, extract

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MATH = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BODY = "<w:p><w:r><w:t>正文十个字正文十个字</w:t></w:r></w:p>"
NOTE_MARK = '<w:p><w:r><w:t>有注</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
FOOTNOTES = (DECL + f'<w:footnotes {W}><w:footnote w:type="separator" w:id="0"><w:p>'
             '<w:r><w:t>———</w:t></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r>'
             "<w:t>脚注五个字</w:t></w:r></w:p></w:footnote></w:footnotes>")
NO_SUBDOCS = DECL + f"<w:settings {W}><w:doNotIncludeSubdocsInStats/></w:settings>"
SUBDOCS_OFF = DECL + (f'<w:settings {W}><w:zoom w:percent="100"/>'
                      '<w:doNotIncludeSubdocsInStats w:val="0"/></w:settings>')


def _docx(path: Path, body: str, **parts: str) -> Path:
    """Write a .docx with the standard part names (read without relationships)."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", DECL + '<Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"/>')
        package.writestr("word/document.xml",
                         DECL + f"<w:document {W} {MATH}><w:body>{body}</w:body></w:document>")
        for name, xml in parts.items():
            package.writestr(f"word/{name}.xml", xml)
    return path


def _words(path: Path) -> tuple[int, int | None]:
    m = measure(extract(path), Settings())
    return m.words, m.words_wps


@pytest.mark.parametrize(("settings", "word", "wps"), [
    (None, 10 + 2 + 5, 10 + 2 + 1),  # Word: the note too; WPS: main text, one per note mark
    (NO_SUBDOCS, 10 + 2, 10 + 2 + 1),  # the file tells Word to leave the notes out
    (SUBDOCS_OFF, 10 + 2 + 5, 10 + 2 + 1),  # … or says it off
])
def test_notes_count_as_each_program_counts_them(tmp_path: Path, settings: str | None,
                                                  word: int, wps: int) -> None:
    parts = {"footnotes": FOOTNOTES, **({"settings": settings} if settings else {})}
    path = _docx(tmp_path / "注.docx", BODY + NOTE_MARK, **parts)
    assert _words(path) == (word, wps)


@pytest.mark.parametrize("settings", [
    "<w:settings><w:zoom/></w:settings>",  # an undeclared prefix
    DECL + f"<w:settings {W}><w:zoom></w:settings>",
    DECL + f"<w:settings {W}/><w:settings {W}/>",
    "",
])
def test_a_settings_part_that_is_not_xml_makes_a_file_with_notes_damaged(
        tmp_path: Path, settings: str) -> None:
    path = _docx(tmp_path / "坏.docx", BODY + NOTE_MARK, footnotes=FOOTNOTES, settings=settings)
    with pytest.raises(ExtractError, match="已损坏"):
        extract(path)


@pytest.mark.parametrize("settings", ["<w:settings><w:zoom/></w:settings>", ""])
def test_without_notes_or_text_boxes_the_settings_part_is_not_read(tmp_path: Path,
                                                                   settings: str) -> None:
    # It decides nothing then, like fontTable.xml or numbering.xml, which are never read.
    path = _docx(tmp_path / "无注.docx", BODY, settings=settings)
    report = extract(path)
    assert report.text == "正文十个字正文十个字"
    assert report.subdocs_in_stats
    # With NO_SUBDOCS and no notes, the figure is the same either way.
    assert _words(_docx(tmp_path / "无注2.docx", BODY, settings=NO_SUBDOCS)) == (10, 10)


def test_a_text_box_alone_has_the_settings_part_read(tmp_path: Path) -> None:
    box = ('<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:pict><v:shape xmlns:v="urn:schemas-'
           'microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:t>框内四字</w:t></w:r>'
           "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>")
    assert _words(_docx(tmp_path / "框.docx", box)) == (2 + 4, 2)
    assert _words(_docx(tmp_path / "框2.docx", box, settings=NO_SUBDOCS)) == (2, 2)
    with pytest.raises(ExtractError, match="已损坏"):
        extract(_docx(tmp_path / "框3.docx", box, settings="<w:settings><w:zoom/></w:settings>"))


def test_an_equation_is_text_and_a_document_of_equations_is_not_empty(tmp_path: Path) -> None:
    equation = ("<w:p><m:oMathPara><m:oMath><m:r><m:t>x=12%</m:t></m:r></m:oMath>"
                "</m:oMathPara></w:p>")
    path = _docx(tmp_path / "公式.docx", equation)
    assert extract(path).text == "x=12%"
    assert _words(path) == (1, 1)


def test_figures_on_two_sides_of_a_limit_are_both_named() -> None:
    report = report_text(report_lines())
    words = measure(report, Settings()).words
    # A text box of 18 字: Word counts it, WPS does not; the limit falls between the two.
    boxed = replace(report, paragraphs=(*report.paragraphs, Para("文本框里的字" * 3,
                                                                   story="textbox")))
    settings = replace(Settings(), words_min=words + 10)
    found = [f for f in analyze(boxed, Context(settings)).findings if f.rule == "words"]
    assert [f.severity.value for f in found] == ["warning"]
    assert f"按 Word 统计 {words + 18} 字，按 WPS 统计 {words} 字" in found[0].message
    assert not [f for f in analyze(report, Context(settings)).findings
                if f.rule == "words" and "WPS" in f.message]
