"""PDF through LibreOffice: the clear message without it, and the forms' printed layout with it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tongjia_xls.errors import UserError
from tongjia_xls.forms.pdf import PdfUnavailable, to_pdf
from tongjia_xls.forms.review_form import (
    GRADES,
    TEMPLATE_ENV,
    ReviewRow,
    ensure_template,
    write_blank_ballots_docx,
    write_blank_ballots_xlsx,
    write_result_docx,
)
from tongjia_xls.outputs import OutputError
from tongjia_xls.settings import Settings

SETTINGS = Settings()
_PEOPLE = ("李德明", "张玉华", "王建国", "赵春梅", "陈志远", "刘海燕", "杨光辉", "黄秀英", "周明亮",
           "吴文军", "徐丽萍", "孙永强", "胡晓东", "郭美玲", "何建平", "高红霞", "林志刚", "罗小芳",
           "梁德胜", "宋佳怡", "谢文斌")
A4 = re.compile(r"Page size:\s+595\.\d+ x 84[12](\.\d+)? pts")


def make_rows() -> list[ReviewRow]:
    """Return 21 organizations, one with a 26-character 单位及职务, every grade present."""
    rows = []
    for index, person in enumerate(_PEOPLE):
        org = f"第{index + 1}村"
        position = ("童家镇石堰坝村党支部书记、村民委员会主任兼村务监督委员" if index == 4
                    else f"{org}党支部书记")
        grade = GRADES[0] if index < 15 else GRADES[index % 4]
        rows.append(ReviewRow(person, position, org, grade, final=index % 2 == 0))
    return rows


@pytest.fixture(autouse=True)
def _no_template_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TEMPLATE_ENV, raising=False)


# -- without LibreOffice ----------------------------------------------------------------------

def test_no_libreoffice_says_how_to_print_instead(tmp_path: Path) -> None:
    docx = write_result_docx(make_rows(), SETTINGS, tmp_path)
    with pytest.raises(PdfUnavailable) as caught:
        to_pdf(docx, soffice=None)
    message = str(caught.value)
    assert "LibreOffice" in message and "文件→另存为" in message and "PDF" in message
    assert isinstance(caught.value, UserError)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_program_that_cannot_start(tmp_path: Path) -> None:
    docx = write_result_docx(make_rows(), SETTINGS, tmp_path)
    with pytest.raises(PdfUnavailable, match="无法启动 LibreOffice"):
        to_pdf(docx, soffice=str(tmp_path / "no-such-soffice"))


def test_soffice_exiting_zero_without_output_is_a_failure(tmp_path: Path, soffice: str) -> None:
    # LibreOffice says "source file could not be loaded" and still exits 0 for a broken
    # file: the failure is judged by the missing PDF.
    broken = tmp_path / "2023年度述职评议结果表.docx"
    broken.write_bytes(b"PK\x03\x04 not a whole document")
    with pytest.raises(PdfUnavailable, match=r"未能把.*转换为 PDF.*另存为"):
        to_pdf(broken, soffice=soffice)
    assert not list(tmp_path.rglob("*.pdf"))


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the command lines LibreOffice is started with; it still runs for real."""
    from tongjia_xls.word import convert as convert_module

    commands: list[list[str]] = []
    real = subprocess.Popen

    def popen(command: list[str], *args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        commands.append(list(command))
        return real(command, *args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(convert_module.subprocess, "Popen", popen)
    return commands


def test_command_line_and_output_place(
    tmp_path: Path, soffice: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = _spied(monkeypatch)
    docx = write_result_docx(make_rows(), SETTINGS, tmp_path)
    pdf = to_pdf(docx, tmp_path / "pdf", soffice=soffice)
    assert pdf == tmp_path / "pdf" / "2023年度述职评议结果表.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    (args,) = commands
    assert args[0] == soffice
    assert args[1].startswith("-env:UserInstallation=file://")
    assert args[2:6] == ["--headless", "--norestore", "--convert-to", "pdf"]
    assert args[-1].isascii()  # the Chinese file name is not passed to LibreOffice
    assert to_pdf(docx, soffice=soffice) == docx.with_suffix(".pdf")
    assert docx.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")


def test_the_pdf_replaces_the_old_one_whole_or_not_at_all(tmp_path: Path, soffice: str) -> None:
    docx = write_result_docx(make_rows(), SETTINGS, tmp_path)
    docx.with_suffix(".pdf").write_bytes(b"%PDF-1.4 old")
    new = to_pdf(docx, soffice=soffice).read_bytes()
    assert new.startswith(b"%PDF-") and new != b"%PDF-1.4 old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    (tmp_path / "pdf" / f"{docx.stem}.pdf").mkdir(parents=True)  # a folder in the way
    with pytest.raises(OutputError, match=r"已有名为.*的文件夹") as caught:
        to_pdf(docx, tmp_path / "pdf", soffice=soffice)
    assert not isinstance(caught.value, PdfUnavailable)  # a batch goes on with the next
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [f"{docx.stem}.pdf"]
    assert (tmp_path / "pdf" / f"{docx.stem}.pdf").is_dir()


def test_only_word_and_excel_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only"):
        to_pdf(tmp_path / "名单.csv", soffice=None)


# -- rendered by LibreOffice ------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return found


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=60).stdout


def _pages(pdf: Path) -> int:
    info = _run(_tool("pdfinfo"), str(pdf))
    assert A4.search(info), info  # A4 portrait
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return re.sub(r"\s+", "", _run(_tool("pdftotext"), *pages, str(pdf), "-"))


def test_each_blank_ballot_is_one_a4_page(tmp_path: Path, soffice: str) -> None:
    rows = make_rows()
    pdf = to_pdf(write_blank_ballots_docx(rows, SETTINGS, tmp_path, copies=3), soffice=soffice)
    assert pdf.name == "2023年度述职评议表（空白票，3份）.pdf"
    assert _pages(pdf) == 3
    for page in (1, 2, 3):
        text = _text(pdf, page)
        assert "2023年度村（社区）党组织书记抓基层党建工作情况述职评议表" in text
        assert f"票号：00{page}" in text
        assert all(r.secretary in text for r in rows)
        # The grades and their scores stand on two lines of one cell: read in either order.
        assert "评议人（可不署名）" in text and "（100分）" in text and "较好" in text
        # The 26-character position wraps inside its cell instead of being cut.
        assert "童家镇石堰坝村党支部书记" in text and "村务监督委员" in text


def test_each_ballot_sheet_is_one_a4_page(tmp_path: Path, soffice: str) -> None:
    rows = make_rows()
    xlsx = write_blank_ballots_xlsx(rows, SETTINGS, tmp_path, copies=2,
                                    template=ensure_template(tmp_path / "模板.xlsx"))
    pdf = to_pdf(xlsx, tmp_path / "pdf", soffice=soffice)
    assert _pages(pdf) == 2
    for page in (1, 2):
        text = _text(pdf, page)
        assert f"票号：00{page}" in text and all(r.secretary in text for r in rows)


def test_result_table_shows_every_secretary_and_tick(tmp_path: Path, soffice: str) -> None:
    rows = make_rows()
    pdf = to_pdf(write_result_docx(rows, SETTINGS, tmp_path), soffice=soffice)
    assert _pages(pdf) == 1
    text = _text(pdf)
    assert all(r.secretary in text for r in rows)
    assert all(r.position in text for r in rows if r.position and len(r.position) < 12)
    assert text.count("√") == len(rows)
    assert text.count("（建议）") == sum(not r.final for r in rows)
    assert "注：标“建议”的为工具建议等次，尚待党委确定" in text
    assert f"{SETTINGS.committee}（盖章）" in text


# -- Chinese faces ----------------------------------------------------------------------------

def _has_face(family: str) -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    return bool(_run(fc_list, f":family={family}", "family").strip())


def _needs_noto_cjk() -> None:
    if sys.platform == "win32" or not Path("/etc/fonts/fonts.conf").is_file():
        pytest.skip("fontconfig is not how LibreOffice finds fonts here")
    if not (_has_face("Noto Serif CJK SC") and _has_face("Noto Sans CJK SC")):
        pytest.skip("fonts-noto-cjk is not installed")


def test_the_font_configuration_includes_the_systems_and_maps_the_windows_faces() -> None:
    from tongjia_xls.forms.pdf import FONTS_CONF, font_environment

    text = FONTS_CONF.read_text(encoding="utf-8")
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in text
    for face in ("仿宋_GB2312", "仿宋", "FangSong", "楷体_GB2312", "宋体", "SimSun",
                 "方正小标宋简体", "黑体", "SimHei", "微软雅黑"):
        assert f"<family>{face}</family>" in text, face
    if sys.platform != "win32" and Path("/etc/fonts/fonts.conf").is_file():
        assert font_environment() == {"FONTCONFIG_FILE": str(FONTS_CONF)}


def test_fontconfig_resolves_the_windows_faces_to_simplified_chinese() -> None:
    _needs_noto_cjk()
    from tongjia_xls.forms.pdf import FONTS_CONF

    fc_match = _tool("fc-match")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}

    def match(pattern: str) -> str:
        return subprocess.run([fc_match, pattern, "family"], capture_output=True, text=True,
                              check=True, timeout=60, env=env).stdout.strip()

    for face in ("仿宋_GB2312", "仿宋", "宋体", "方正小标宋简体", "楷体_GB2312"):
        assert match(face).startswith("Noto Serif CJK SC"), face
    for face in ("黑体", "微软雅黑"):
        assert match(face).startswith("Noto Sans CJK SC"), face
    # Nothing else changes: the generic families resolve as the system has them.
    plain = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    for generic in ("serif", "sans-serif", "monospace", "sans-serif:lang=ja"):
        system = subprocess.run([fc_match, generic, "family"], capture_output=True, text=True,
                                check=True, timeout=60, env=plain).stdout.strip()
        assert match(generic) == system, generic


def test_pdf_embeds_simplified_chinese_faces_only(tmp_path: Path, soffice: str) -> None:
    _needs_noto_cjk()
    pdf = to_pdf(write_result_docx(make_rows(), SETTINGS, tmp_path), soffice=soffice)
    fonts = _run(_tool("pdffonts"), str(pdf)).splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in fonts]
    # 仿宋/宋体 text in the serif face, 黑体 headers in the sans face; no Latin face's
    # fallback (DejaVu), no other CJK family (Droid, WenQuanYi, …).
    assert any(n.startswith("NotoSerifCJK") for n in names), names
    assert any(n.startswith("NotoSansCJK") for n in names), names
    assert all(n.startswith(("NotoSerifCJK", "NotoSansCJK")) for n in names), names


def test_the_glyphs_are_the_simplified_chinese_cut(tmp_path: Path, soffice: str) -> None:
    """A Noto CJK collection shares one font program between regions, so the embedded name
    says "jp" whatever the cut: compare the drawn glyphs with the SC and JP cuts instead."""
    _needs_noto_cjk()
    import docx

    from tongjia_xls.forms.docx_style import set_run_font

    faces = ("仿宋_GB2312", "Noto Serif CJK SC", "Noto Serif CJK JP",
             "黑体", "Noto Sans CJK SC", "Noto Sans CJK JP")
    document = docx.Document()
    for index, face in enumerate(faces):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.page_break_before = index > 0
        set_run_font(paragraph.add_run("直骨角写述评"), face, 48)  # they differ in JP and SC
    source = tmp_path / "glyphs.docx"
    document.save(str(source))
    pdf = to_pdf(source, soffice=soffice)
    subprocess.run([_tool("pdftoppm"), "-r", "30", "-gray", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    pages = [p.read_bytes() for p in sorted(tmp_path.glob("p-*.pgm"))]
    assert len(pages) == len(faces)
    assert pages[0] == pages[1] != pages[2]  # 仿宋 is drawn as Noto Serif CJK SC
    assert pages[3] == pages[4] != pages[5]  # 黑体 as Noto Sans CJK SC


def test_a_dotted_name_stays_on_one_line_of_the_form(tmp_path: Path, soffice: str) -> None:
    rows = make_rows()
    rows[3] = ReviewRow("阿依古丽•买买提", rows[3].position, rows[3].org, "好", final=True)
    rows[7] = ReviewRow("买买提 ・ 吐尔逊", rows[7].position, rows[7].org, "较好", final=True)
    pdf = to_pdf(write_result_docx(rows, SETTINGS, tmp_path), soffice=soffice)
    assert _pages(pdf) == 1
    lines = _run(_tool("pdftotext"), "-layout", str(pdf), "-").splitlines()
    for name in ("阿依古丽·买买提", "买买提·吐尔逊"):
        assert any(name in line for line in lines), name


# -- a batch in one LibreOffice run ------------------------------------------------------------

def test_a_batch_is_converted_in_one_libreoffice_run(
    tmp_path: Path, soffice: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tongjia_xls.forms.pdf import to_pdfs

    commands = _spied(monkeypatch)
    docx = write_result_docx(make_rows(), SETTINGS, tmp_path / "甲 乙")
    xlsx = write_blank_ballots_xlsx(make_rows(), SETTINGS, tmp_path / "甲 乙", copies=1)
    broken = tmp_path / "甲 乙" / "-坏的.docx"
    broken.write_bytes(b"PK\x03\x04 not a whole document")
    results = to_pdfs([docx, broken, xlsx], soffice=soffice)
    assert len(commands) == 1  # one start of LibreOffice for the three files
    first, failed, third = results
    assert first == docx.with_suffix(".pdf") and third == xlsx.with_suffix(".pdf")
    assert isinstance(failed, PdfUnavailable) and "-坏的.docx" in str(failed)
    for pdf in (first, third):
        assert isinstance(pdf, Path) and pdf.read_bytes().startswith(b"%PDF")
    assert not broken.with_suffix(".pdf").exists()


def test_a_batch_without_libreoffice_is_one_message(tmp_path: Path) -> None:
    from tongjia_xls.forms.pdf import to_pdfs

    docx = write_result_docx(make_rows(), SETTINGS, tmp_path)
    with pytest.raises(PdfUnavailable, match="未找到 LibreOffice"):
        to_pdfs([docx], soffice=None)
    with pytest.raises(PdfUnavailable, match="无法启动 LibreOffice"):
        to_pdfs([docx], soffice=str(tmp_path / "no-such-soffice"))
