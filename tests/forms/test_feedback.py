"""The 审核意见 and the 汇总表: content, order, figures and the official page, read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from helpers import report_lines, report_text
from tongjia_xls.errors import Severity
from tongjia_xls.forms.docx_style import BODY_FONT, TITLE_FONT
from tongjia_xls.forms.feedback import (
    NOT_RECEIVED,
    SUMMARY_HEADER,
    FeedbackRow,
    feedback_name,
    write_feedback,
    write_summary,
)
from tongjia_xls.reports.analysis import NEEDS_WORK, PASSED, UNREADABLE, Analysis, analyze
from tongjia_xls.reports.rules import RULES, Finding
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings

SETTINGS = Settings()
CHECKED = date(2024, 1, 3)
BROKEN = "“松林坪村述职报告.docx”已损坏或不是真正的 Word 文件，无法打开。请让报送人重新导出"
LATE = Finding("deadline", Severity.WARNING, "通知",
               "2024-01-08 报送，晚于截止日期 2024-01-05")
SECOND_COPY = Finding("duplicate", Severity.INFO, "", "另有一份“旧稿.docx”，已按较新的文件检查")


def _analysis(lines: list[str], name: str) -> Analysis:
    analysis = analyze(report_text(lines))
    analysis.file = name
    return analysis


def _failing_lines() -> list[str]:
    # Too short, no 防风险保安全, a template placeholder: errors, warnings and a quote.
    return report_lines(practices=700, problems=250, plans=150, skip=("safety",),
                        extra={"practices": "XX书记带头走访群众，......"})


def _rows() -> dict[str, FeedbackRow]:
    return {
        PASSED: FeedbackRow("青杠湾村", "李德明", "王志强", "青杠湾村-李德明.docx",
                            _analysis(report_lines(), "青杠湾村-李德明.docx")),
        NEEDS_WORK: FeedbackRow("白鹭溪村", "王建国", "陈立新", "白鹭溪村-王建国.docx",
                                _analysis(_failing_lines(), "白鹭溪村-王建国.docx"),
                                notes=[LATE, SECOND_COPY]),
        UNREADABLE: FeedbackRow("松林坪村", "张玉华", None, "松林坪村述职报告.docx",
                                Analysis("松林坪村述职报告.docx", error=BROKEN)),
        NOT_RECEIVED: FeedbackRow("金竹岭村", "赵春梅", "刘晓燕", None, None),
    }


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _body(path: Path) -> str:
    return "\n".join(_texts(path))


# -- FeedbackRow ---------------------------------------------------------------------------

@pytest.mark.parametrize("verdict", [PASSED, NEEDS_WORK, UNREADABLE, NOT_RECEIVED])
def test_verdict_of_each_kind_of_row(verdict: str) -> None:
    assert _rows()[verdict].verdict == verdict


def test_an_error_among_the_workbook_notes_needs_work() -> None:
    row = _rows()[PASSED]
    row.notes = [Finding("deadline", Severity.ERROR, "通知", "未经包片领导审核")]
    assert row.verdict == NEEDS_WORK


def test_findings_put_notes_first_then_the_rules_in_notice_order() -> None:
    row = _rows()[NEEDS_WORK]
    assert row.analysis is not None
    row.analysis.findings.reverse()  # whatever order they come in
    rules = [f.rule for f in row.findings]
    assert rules[:2] == ["deadline", "duplicate"]
    order = list(RULES)
    assert [order.index(r) for r in rules[2:]] == sorted(order.index(r) for r in rules[2:])


# -- the 审核意见 ----------------------------------------------------------------------------

def test_file_name_is_safe_for_windows(tmp_path: Path) -> None:
    row = _rows()[PASSED]
    tail = "-2023年度述职报告审核意见.docx"
    assert write_feedback(row, SETTINGS, tmp_path).name == f"青杠湾村{tail}"
    assert feedback_name('南华路/社区:"一组"?', SETTINGS) == f"南华路社区一组{tail}"
    row.org = "青杠湾村<试点>|*"
    assert write_feedback(row, SETTINGS, tmp_path).name == f"青杠湾村试点{tail}"


@pytest.mark.parametrize("verdict", [PASSED, NEEDS_WORK, UNREADABLE, NOT_RECEIVED])
def test_title_people_and_verdict_line(tmp_path: Path, verdict: str) -> None:
    row = _rows()[verdict]
    texts = _texts(write_feedback(row, SETTINGS, tmp_path, checked=CHECKED))
    assert texts[0].replace("\n", "") == f"{row.org}2023年度抓基层党建述职报告审核意见"
    info = next(t for t in texts if t.startswith("述职人"))
    assert row.secretary in info
    assert (row.file or "未收到") in info
    assert "检查时间：2024年1月3日" in info
    line = next(t for t in texts if t.startswith("检查结论："))
    assert line.startswith(f"检查结论：{verdict}。")
    if verdict == UNREADABLE:
        assert BROKEN in line
        assert any("另存为" in t for t in texts)  # how to fix it
    if verdict == NOT_RECEIVED:
        assert "尚未收到金竹岭村的述职报告" in line
    if row.area_leader:
        assert f"包片领导{row.area_leader}同志" in texts[2]


def test_findings_numbered_in_order_with_clause_severity_and_quote(tmp_path: Path) -> None:
    row = _rows()[NEEDS_WORK]
    texts = _texts(write_feedback(row, SETTINGS, tmp_path, checked=CHECKED))
    words = {Severity.ERROR: "必须修改", Severity.WARNING: "建议修改", Severity.INFO: "提示"}
    positions = []
    for number, finding in enumerate(row.findings, start=1):
        index = next(i for i, t in enumerate(texts) if finding.message in t)
        line = texts[index]
        assert line.startswith(f"{number}．【{words[finding.severity]}】")
        if finding.clause:
            assert f"出处：通知{finding.clause}" in line or f"出处：{finding.clause}" in line
        if finding.quote:
            assert texts[index + 1] == f"原文：「{finding.quote}」"
        positions.append(index)
    assert positions == sorted(positions)
    assert len(positions) == len(row.findings) == 7
    assert any(t.startswith("检查结论：需修改。检查发现问题 7 处") for t in texts)


def test_a_long_quote_is_cut(tmp_path: Path) -> None:
    quote = "（主要包括" + "深入学习贯彻习近平新时代中国特色社会主义思想" * 4
    analysis = Analysis("a.docx", findings=[
        Finding("template_residue", Severity.ERROR, "附件1", "留有说明文字", quote)])
    row = FeedbackRow("青杠湾村", "李德明", None, "a.docx", analysis)
    shown = next(t for t in _texts(write_feedback(row, SETTINGS, tmp_path)) if "原文" in t)
    assert shown == f"原文：「{quote[:59]}…」"


def test_key_figures_table(tmp_path: Path) -> None:
    row = _rows()[NEEDS_WORK]
    assert row.analysis is not None and row.analysis.measures is not None
    m = row.analysis.measures
    doc = Document(str(write_feedback(row, SETTINGS, tmp_path)))
    table = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in doc.tables[0].rows}
    assert table["项目"] == ["本报告", "通知要求", "结果"]
    assert table["全文字数"] == [f"{m.words} 字", "1500—2000 字", "✗"]
    shares = row.analysis.shares()
    assert table["主要做法和成效"] == [f"{m.parts['practices']} 字，占 {shares['practices']:.1%}",
                                  "65%—70%", "✗"]
    problems = table["存在问题及原因分析"][0]
    assert problems == f"{m.parts['problems']} 字，占 {shares['problems']:.1%}"
    assert table["下步工作打算"][0] == f"{m.parts['plans']} 字，占 {shares['plans']:.1%}"
    assert table["问题和打算合计"][1:] == ["30%—35%，且不少于 33.3%", "✗"]
    assert table["数据举例"][0].startswith(f"{len(m.data_points)} 个（")
    assert table["问题条数"] == [f"{len(m.problems)} 条", "不少于 3 条", "✓"]
    assert table["打算条数"] == [f"{len(m.plans)} 条", "不少于 3 条", "✓"]
    assert table["必答题"] == ["拼经济搞建设 ✓；防风险保安全 ✗", "两题都要回答", "✗"]
    passing = Document(str(write_feedback(_rows()[PASSED], SETTINGS, tmp_path / "ok")))
    marks = [r.cells[3].text for r in passing.tables[0].rows[1:]]
    assert set(marks) <= {"✓", "—"} and marks.count("✓") >= 7


def test_a_switched_off_rule_is_not_marked(tmp_path: Path) -> None:
    settings = replace(SETTINGS, disabled_rules=("字数",))
    doc = Document(str(write_feedback(_rows()[NEEDS_WORK], settings, tmp_path)))
    assert doc.tables[0].rows[1].cells[3].text == "—"


@pytest.mark.parametrize(("verdict", "expected"), [
    (NEEDS_WORK, "修改后经包片领导审核，于2024年1月5日前重新报送党建办"),
    (UNREADABLE, "经包片领导审核，于2024年1月5日前重新报送党建办"),
    (NOT_RECEIVED, "经包片领导审核后，于2024年1月5日前报送党建办"),
    (PASSED, "无需重新报送"),
])
def test_closing_line_and_signature(tmp_path: Path, verdict: str, expected: str) -> None:
    texts = _texts(write_feedback(_rows()[verdict], SETTINGS, tmp_path, checked=CHECKED))
    closing = next(i for i, t in enumerate(texts) if expected in t)
    assert texts[closing - 1].endswith("、下步要求")
    assert [t for t in texts[closing + 1:] if t] == ["童家镇党建办", "2024年1月3日"]


def test_after_the_deadline_asks_for_it_soon(tmp_path: Path) -> None:
    body = _body(write_feedback(_rows()[NEEDS_WORK], SETTINGS, tmp_path, checked=date(2024, 1, 9)))
    assert "尽快重新报送党建办" in body


def _assert_official_page(section, landscape: bool = False) -> None:
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert abs(section.page_width - width) < Mm(0.1)
    assert abs(section.page_height - height) < Mm(0.1)
    assert section.orientation == (WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT)
    margins = [section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin]
    expected = [28, 26, 37, 35] if landscape else [37, 35, 28, 26]
    assert [round(m.mm) for m in margins] == expected


def test_page_setup_and_page_numbers(tmp_path: Path) -> None:
    doc = Document(str(write_feedback(_rows()[NEEDS_WORK], SETTINGS, tmp_path)))
    section = doc.sections[0]
    _assert_official_page(section)
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert footer.paragraphs[0].text == "— 1 —"


def test_east_asian_fonts_sizes_and_line_pitch(tmp_path: Path) -> None:
    doc = Document(str(write_feedback(_rows()[NEEDS_WORK], SETTINGS, tmp_path)))
    title = doc.paragraphs[0].runs[0]
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    assert title.font.size.pt == 22
    body = next(p for p in doc.paragraphs if p.text.startswith("按照"))
    assert body.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT
    assert body.runs[0].font.size.pt == 16
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= body.paragraph_format.line_spacing.pt <= 29
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    runs += [r for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    fonts = parse_xml(doc.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE).blob)
    alt = {f.get(qn("w:name")): f.find(qn("w:altName")) for f in fonts.iter(qn("w:font"))}
    assert alt[TITLE_FONT].get(qn("w:val")) == "黑体"
    assert alt[BODY_FONT].get(qn("w:val")) == "仿宋"


# -- the 汇总表 -----------------------------------------------------------------------------

def test_summary_one_row_per_org_with_a_repeated_header(tmp_path: Path) -> None:
    rows = list(_rows().values())
    path = write_summary(rows, SETTINGS, tmp_path, checked=CHECKED)
    assert path.name == "2023年度述职报告检查汇总表.docx"
    doc = Document(str(path))
    _assert_official_page(doc.sections[0], landscape=True)
    table = doc.tables[0]
    assert len(table.rows) == len(rows) + 1
    header = table.rows[0]
    assert tuple(c.text for c in header.cells) == SUMMARY_HEADER
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None
               for r in table.rows[1:])
    cells = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [c[:3] for c in cells] == [[str(i), r.org, r.secretary] for i, r in
                                      enumerate(rows, start=1)]
    assert [c[10] for c in cells] == [PASSED, NEEDS_WORK, UNREADABLE, NOT_RECEIVED]
    passing, failing = rows[0].analysis.measures, rows[1].analysis.measures  # type: ignore
    assert cells[0][3] == str(passing.words)
    assert cells[1][8] == "经济✓\n安全✗"
    assert cells[1][9] == f"{len(failing.problems)}/{len(failing.plans)}"
    assert cells[1][4] == f"{failing.parts['practices']}\n{failing.share('practices'):.1%}"
    assert cells[0][11] == "无"
    problems = cells[1][11].split("\n")
    assert problems[0].startswith("1.全文 1115 字，少于 1500 字的下限")  # errors come first
    assert problems[-1] == "（共 7 项）"
    assert cells[2][11].startswith("1.“松林坪村述职报告.docx”已损坏")
    assert cells[3][11] == "1.未收到述职报告"
    assert "合计：合格 1 个、需修改 1 个、未收到 1 个、无法读取 1 个。" in _texts(path)


# -- rendered by LibreOffice ------------------------------------------------------------------

def _to_pdf(soffice: str, docx: Path, work: Path) -> Path:
    # An ASCII name and a private profile, as tongjia_xls.word.convert does.
    source = work / f"doc{len(list(work.glob('*.docx')))}.docx"
    shutil.copyfile(docx, source)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(source)],
        check=True, timeout=180, capture_output=True, env={**os.environ, "HOME": str(work)},
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.is_file()
    return pdf


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return found


def test_rendered_pdf_is_a4_with_the_title(tmp_path: Path, soffice: str) -> None:
    pdfinfo, pdftotext, pdftoppm = _tool("pdfinfo"), _tool("pdftotext"), _tool("pdftoppm")
    rows = list(_rows().values())
    work = tmp_path / "pdf"
    work.mkdir()
    feedback = _to_pdf(soffice, write_feedback(rows[1], SETTINGS, tmp_path), work)
    summary = _to_pdf(soffice, write_summary(rows, SETTINGS, tmp_path), work)
    info = subprocess.run([pdfinfo, str(feedback)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info.stdout)
    info = subprocess.run([pdfinfo, str(summary)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info.stdout)
    text = subprocess.run([pdftotext, str(feedback), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "白鹭溪村2023年度抓基层党建述职报告审核意见" in flat
    assert "— 1 —" in text or "—1—" in flat
    assert "童家镇党建办" in flat
    summary_text = re.sub(r"\s+", "", subprocess.run(
        [pdftotext, str(summary), "-"], capture_output=True, text=True, check=True).stdout)
    assert "童家镇2023年度述职报告检查汇总表" in summary_text
    png = work / "page"
    subprocess.run([pdftoppm, "-r", "60", "-png", "-f", "1", "-l", "1", str(feedback), str(png)],
                   check=True, timeout=60)
    assert any(p.suffix == ".png" and p.stat().st_size > 0 for p in work.iterdir())


def test_part_two_alone_basis_moves_the_third_to_part_two(tmp_path: Path) -> None:
    settings = replace(SETTINGS, problems_share_basis=SHARE_BASIS_PART_TWO)
    doc = Document(str(write_feedback(_rows()[PASSED], settings, tmp_path)))
    table = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in doc.tables[0].rows}
    assert table["存在问题及原因分析"][1:] == ["不少于 33.3%", "✗"]  # 22 % of the parts
    assert table["问题和打算合计"][1] == "30%—35%"
