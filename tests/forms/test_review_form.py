"""附件2 述职评议表: blank ballots and the result table, as Word and as a filled template."""

from __future__ import annotations

import re
import zipfile
from copy import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

from tongjia_xls.errors import UserError
from tongjia_xls.forms import review_form, review_form_xlsx
from tongjia_xls.forms.docx_style import BODY_FONT, TITLE_FONT
from tongjia_xls.forms.review_form import (
    EVALUATOR_LINE,
    GRADES,
    PROPOSED_NOTE,
    TEMPLATE_ENV,
    TEMPLATE_NAME,
    ReviewRow,
    ensure_template,
    form_title,
    write_blank_ballots_docx,
    write_blank_ballots_xlsx,
    write_result_docx,
    write_result_xlsx,
)
from tongjia_xls.settings import Settings

SETTINGS = Settings()
LONG_POSITION = "童家镇石堰坝村党支部书记、村民委员会主任兼村务监督委员"  # 26 characters
_NAMES = ("青杠湾", "松林坪", "白鹭溪", "金竹岭", "石堰坝", "桂花湾", "柏树垭", "梨园沟", "双河口",
          "龙井坡", "新桥铺", "红岩嘴", "马鞍山", "凤凰台", "柳树塘", "大田坝", "杏花岭", "观音岩",
          "水井湾", "童心街", "南华路")
_PEOPLE = ("李德明", "张玉华", "王建国", "赵春梅", "陈志远", "刘海燕", "杨光辉", "黄秀英", "周明亮",
           "吴文军", "徐丽萍", "孙永强", "胡晓东", "郭美玲", "何建平", "高红霞", "林志刚", "罗小芳",
           "梁德胜", "宋佳怡", "谢文斌")
#: (grade, final) of each row, cycled: every grade, final and proposed, and no grade at all.
CASES = (("好", True), ("较好", False), ("一般", True), ("差", False), ("好", False),
         ("较好", True), ("一般", False), ("差", True), (None, False))


def make_rows(grades: bool = True) -> list[ReviewRow]:
    """Return 21 organizations in roster order; the fifth has a 26-character position."""
    rows = []
    for index, (name, person) in enumerate(zip(_NAMES, _PEOPLE, strict=True)):
        org = f"{name}{'社区' if index >= 19 else '村'}"
        position = LONG_POSITION if index == 4 else f"{org}党{'委' if index >= 19 else '支部'}书记"
        grade, final = CASES[index % len(CASES)] if grades else (None, False)
        rows.append(ReviewRow(person, position, org, grade, final=final))
    return rows


@pytest.fixture(autouse=True)
def _no_template_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TEMPLATE_ENV, raising=False)


def _expected_marks(row: ReviewRow) -> list[str]:
    return ["" if grade != row.grade else "√" if row.final else "√（建议）" for grade in GRADES]


def _paragraph_texts(doc: object) -> list[str]:
    return [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]


# -- Word -----------------------------------------------------------------------------------

def test_blank_ballot_has_the_notice_layout(tmp_path: Path) -> None:
    rows = make_rows(grades=False)
    path = write_blank_ballots_docx(rows, SETTINGS, tmp_path)
    assert path.name == "2023年度述职评议表（空白票，1份）.docx"
    doc = Document(str(path))
    title = doc.paragraphs[0]
    assert title.text.replace("\n", "") == form_title(SETTINGS)
    assert form_title(SETTINGS) == "2023年度村（社区）党组织书记抓基层党建工作情况述职评议表"
    assert title.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    [table] = doc.tables
    head, sub = ([c.text for c in row.cells] for row in table.rows[:2])
    assert head == ["述职人", "单位及职务", *["评议等次及分数"] * 4]
    assert sub[:2] == ["述职人", "单位及职务"]  # merged down over both header rows
    assert sub[2:] == ["好\n（100分）", "较好\n（90分）", "一般\n（75分）", "差\n（60分）"]
    tcs = table.rows[0]._tr.tc_lst
    assert [tc.grid_span for tc in tcs] == [1, 1, 4]
    assert tcs[0].vMerge == "restart"
    body = table.rows[2:]
    assert len(body) == 21
    assert [[c.text for c in r.cells[:2]] for r in body] == [[r.secretary, r.position]
                                                             for r in rows]
    assert all(c.text == "" for r in body for c in r.cells[2:])
    cell_run = body[0].cells[0].paragraphs[0].runs[0]
    assert cell_run.font.size.pt == 12
    assert cell_run.element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT
    texts = _paragraph_texts(doc)
    assert "票号：001" in texts
    assert EVALUATOR_LINE in texts
    assert not any("建议" in t for t in texts)


def test_official_page_header_rows_repeat_and_page_numbers(tmp_path: Path) -> None:
    doc = Document(str(write_blank_ballots_docx(make_rows(), SETTINGS, tmp_path)))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    rows = doc.tables[0].rows
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in rows[:3]] == [
        True, True, False]
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text


def test_scores_come_from_the_settings(tmp_path: Path) -> None:
    settings = replace(SETTINGS, year=2024, score_good=98, score_average=72.5)
    path = write_blank_ballots_docx(make_rows(), settings, tmp_path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text.startswith("2024年度")
    assert [c.text for c in doc.tables[0].rows[1].cells[2:]] == [
        "好\n（98分）", "较好\n（90分）", "一般\n（72.5分）", "差\n（60分）"]


@pytest.mark.parametrize("copies", [1, 3, 12])
def test_one_ballot_per_copy_with_its_ticket_number(tmp_path: Path, copies: int) -> None:
    path = write_blank_ballots_docx(make_rows(), SETTINGS, tmp_path, copies=copies)
    assert path.name == f"2023年度述职评议表（空白票，{copies}份）.docx"
    doc = Document(str(path))
    assert len(doc.tables) == copies
    texts = _paragraph_texts(doc)
    tickets = [t for t in texts if t.startswith("票号：")]
    assert tickets == [f"票号：{n:03d}" for n in range(1, copies + 1)]
    assert texts.count(EVALUATOR_LINE) == copies
    body = doc.element.body
    breaks = [e for e in body.iter(qn("w:pageBreakBefore"))
              if e.get(qn("w:val"), "true") not in ("0", "false")]
    # No manual page breaks: each ballot's title starts a page (no empty page if one is full).
    breaks += [e for e in body.iter(qn("w:br")) if e.get(qn("w:type")) == "page"]
    assert len(breaks) == copies - 1
    titles = [p for p in doc.paragraphs if p.text.replace("\n", "") == form_title(SETTINGS)]
    assert [p.paragraph_format.page_break_before for p in titles] == [None] + [True] * (
        copies - 1)


def test_no_copies_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="至少为 1"):
        write_blank_ballots_docx(make_rows(), SETTINGS, tmp_path, copies=0)


@pytest.mark.parametrize(("grade", "final"), CASES)
def test_tick_under_the_grade(tmp_path: Path, grade: str | None, final: bool) -> None:
    row = ReviewRow("李德明", "青杠湾村党支部书记", "青杠湾村", grade, final=final)
    doc = Document(str(write_result_docx([row], SETTINGS, tmp_path)))
    marks = [c.text for c in doc.tables[0].rows[2].cells[2:]]
    expected = ["" if g != grade else "√" if final else "√（建议）" for g in GRADES]
    assert marks == expected
    texts = _paragraph_texts(doc)
    assert (PROPOSED_NOTE in texts) == (grade is not None and not final)


def test_result_table_matches_every_row(tmp_path: Path) -> None:
    rows = make_rows()
    path = write_result_docx(rows, SETTINGS, tmp_path)
    assert path.name == "2023年度述职评议结果表.docx"
    doc = Document(str(path))
    [table] = doc.tables
    body = table.rows[2:]
    assert len(body) == 21
    for row, cells in zip(rows, body, strict=True):
        texts = [c.text for c in cells.cells]
        assert texts[:2] == [row.secretary, row.position]
        assert texts[2:] == _expected_marks(row), row.org
    texts = _paragraph_texts(doc)
    assert "（评议结果）" in texts
    assert PROPOSED_NOTE in texts
    assert PROPOSED_NOTE.startswith("注：标“建议”的为工具建议等次，尚待党委确定")
    assert f"{SETTINGS.committee}（盖章）" in texts
    assert any(t.startswith("年") and t.endswith("日") for t in texts)
    tally = next(t for t in texts if t.startswith("合计："))
    assert "好 5 个" in tally and "较好 5 个" in tally and "未定等次 2 个" in tally


def test_result_without_proposals_has_no_note(tmp_path: Path) -> None:
    rows = [replace(r, grade=r.grade or "好", final=True) for r in make_rows()]
    doc = Document(str(write_result_docx(rows, SETTINGS, tmp_path)))
    assert not any("建议" in t for t in _paragraph_texts(doc))
    assert not any("建议" in c.text for r in doc.tables[0].rows for c in r.cells)


def test_unknown_grade_is_a_user_error(tmp_path: Path) -> None:
    rows = [ReviewRow("李德明", None, "青杠湾村", "优秀", final=True)]
    with pytest.raises(UserError, match="优秀"):
        write_result_docx(rows, SETTINGS, tmp_path)
    with pytest.raises(UserError, match="优秀"):
        write_result_xlsx(rows, SETTINGS, tmp_path, template=ensure_template(tmp_path / "t.xlsx"))


# -- Excel ----------------------------------------------------------------------------------

@pytest.fixture
def template(tmp_path: Path) -> Path:
    return ensure_template(tmp_path / "模板" / TEMPLATE_NAME)


def test_template_has_the_placeholders_and_print_setup(template: Path) -> None:
    ws = load_workbook(template).active
    assert ws["A1"].value == "{标题}"
    assert ws["A5"].value == "{述职人}" and ws["B5"].value == "{单位及职务}"
    assert [ws.cell(row=4, column=c).value for c in range(3, 7)] == ["{好}", "{较好}",
                                                                      "{一般}", "{差}"]
    assert int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == "$3:$4"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1


def test_ensure_template_keeps_an_existing_file(template: Path) -> None:
    before = template.read_bytes()
    assert ensure_template(template) == template
    assert template.read_bytes() == before


def test_result_is_filled_into_the_template(tmp_path: Path, template: Path) -> None:
    rows = make_rows()
    path = write_result_xlsx(rows, SETTINGS, tmp_path, template=template)
    assert path.name == "2023年度述职评议结果表.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["评议结果"]
    ws = workbook.active
    assert ws["A1"].value == form_title(SETTINGS)
    assert ws["A2"].value == "（评议结果）"
    assert [ws.cell(row=4, column=c).value for c in range(3, 7)] == [
        "好\n（100分）", "较好\n（90分）", "一般\n（75分）", "差\n（60分）"]
    for number, row in enumerate(rows, start=5):
        values = [ws.cell(row=number, column=c).value for c in range(1, 7)]
        assert values[:2] == [row.secretary, row.position]
        assert [v or "" for v in values[2:]] == _expected_marks(row), row.org
    assert ws["A26"].value.startswith("合计：好 5 个") and PROPOSED_NOTE in ws["A26"].value
    assert ws["A27"].value.startswith(f"{SETTINGS.committee}（盖章）")
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A26:F26", "A27:F27", "C3:F3"}
    assert not any("{" in str(c.value) for r in ws.iter_rows() for c in r if c.value)
    # The long position wraps onto a taller row; the others keep the template's height.
    assert ws.row_dimensions[9].height > ws.row_dimensions[5].height == 22
    assert ws["B9"].alignment.wrap_text and not ws["B9"].alignment.shrink_to_fit


def test_blank_ballots_one_sheet_per_copy(tmp_path: Path, template: Path) -> None:
    rows = make_rows(grades=False)
    path = write_blank_ballots_xlsx(rows, SETTINGS, tmp_path, copies=3, template=template)
    assert path.name == "2023年度述职评议表（空白票，3份）.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["票001", "票002", "票003"]
    for number, ws in enumerate(workbook.worksheets, start=1):
        assert ws["A1"].value == form_title(SETTINGS)
        assert ws["A2"].value == f"票号：{number:03d}"
        assert [ws.cell(row=r, column=1).value for r in range(5, 26)] == [
            r.secretary for r in rows]
        assert all(ws.cell(row=r, column=c).value is None for r in range(5, 26)
                   for c in range(3, 7))
        assert "较好”及以下等次的原则上不低于15%（21名述职人中至少4名）" in ws["A26"].value
        assert ws["A27"].value == EVALUATOR_LINE
        assert int(ws.page_setup.paperSize) == 9
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$3:$4"
        assert ws.oddFooter.center.text == "— &P —"
        assert ws["C25"].border.bottom.style == "thin"


def test_restyled_template_keeps_its_style_after_the_next_fill(
    tmp_path: Path, template: Path
) -> None:
    workbook = load_workbook(template)
    ws = workbook.active
    ws["A5"].font = Font(name="楷体", size=14, color="FFC00000")  # the body row: every org
    ws["A1"].font = Font(name="方正小标宋简体", size=20, color="FF1F4E78")
    ws.column_dimensions["B"].width = 45
    ws.row_dimensions[5].height = 30
    workbook.save(template)
    before = template.read_bytes()
    for attempt in range(2):  # the next fill, and the one after
        out = tmp_path / f"out{attempt}"
        ws = load_workbook(write_result_xlsx(make_rows(), SETTINGS, out, template=template)).active
        assert ws.column_dimensions["B"].width == 45
        assert (ws["A1"].font.name, ws["A1"].font.color.rgb) == ("方正小标宋简体", "FF1F4E78")
        for number in range(5, 26):
            font = ws.cell(row=number, column=1).font
            assert (font.name, font.sz, font.color.rgb) == ("楷体", 14, "FFC00000")
            assert ws.row_dimensions[number].height >= 30
        ballots = load_workbook(write_blank_ballots_xlsx(make_rows(), SETTINGS, out, copies=2,
                                                         template=template))
        for sheet in ballots.worksheets:
            assert sheet.column_dimensions["B"].width == 45
            assert sheet["A25"].font.color.rgb == "FFC00000"
    assert template.read_bytes() == before  # the template itself is never written


def test_every_part_of_the_body_rows_style_is_copied(tmp_path: Path, template: Path) -> None:
    workbook = load_workbook(template)
    ws = workbook.active
    workbook.add_named_style(NamedStyle(name="评议正文", font=Font(name="宋体", size=11)))
    body = ws["C5"]
    body.style = "评议正文"
    body.font = Font(name="楷体", size=13, italic=True)
    body.fill = PatternFill("solid", fgColor="FFF2F2F2")
    body.border = Border(bottom=Side(style="double"))
    body.number_format = "0.0"
    body.protection = Protection(locked=False)
    body.alignment = Alignment(horizontal="left", vertical="bottom", indent=1)
    body.quotePrefix = True
    workbook.save(template)
    parts = ("style", "font", "fill", "border", "number_format", "protection", "alignment",
             "quotePrefix", "pivotButton")
    ws = load_workbook(write_result_xlsx(make_rows(), SETTINGS, tmp_path, template=template)).active

    def style(cell: Any) -> dict[str, Any]:  # copies: openpyxl's proxies compare unequal
        return {name: copy(getattr(cell, name)) for name in parts}

    expected = style(ws["C5"])
    assert expected["style"] == "评议正文" and expected["fill"].fgColor.rgb == "FFF2F2F2"
    assert expected["quotePrefix"] and expected["alignment"].indent == 1
    for number in range(6, 26):
        assert style(ws.cell(row=number, column=3)) == expected, number


def test_no_cell_holds_a_formula(tmp_path: Path, template: Path) -> None:
    rows = [replace(make_rows()[0], secretary="=1+1", position="+SUM(A1:A3)"), *make_rows()[1:]]
    for path in (write_result_xlsx(rows, SETTINGS, tmp_path, template=template),
                 write_blank_ballots_xlsx(rows, SETTINGS, tmp_path, copies=2,
                                          template=template)):
        workbook = load_workbook(path)
        for ws in workbook.worksheets:
            assert ws["A5"].value == "=1+1" and ws["B5"].value == "+SUM(A1:A3)"
            assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
        with zipfile.ZipFile(path) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)


def test_template_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "staff"
    workbook = load_workbook(ensure_template(folder / TEMPLATE_NAME))
    workbook.active["B5"].font = Font(name="仿宋", size=12, color="FF00B050")
    workbook.save(folder / TEMPLATE_NAME)
    monkeypatch.setenv(TEMPLATE_ENV, str(folder))
    assert review_form.default_template() == folder / TEMPLATE_NAME
    ws = load_workbook(write_result_xlsx(make_rows(), SETTINGS, tmp_path / "out")).active
    assert ws["B12"].font.color.rgb == "FF00B050"


def test_built_in_layout_when_there_is_no_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_form_xlsx, "default_template", lambda: None)
    ws = load_workbook(write_result_xlsx(make_rows(), SETTINGS, tmp_path)).active
    assert ws["A1"].value == form_title(SETTINGS) and ws["A25"].value == "谢文斌"


def test_the_repository_ships_the_template() -> None:
    shipped = Path(__file__).resolve().parents[2] / "xlsx_templates" / TEMPLATE_NAME
    assert shipped.is_file()
    ws = load_workbook(shipped).active
    assert {"{标题}", "{票号}", "{述职人}", "{单位及职务}", "{好}", "{说明}", "{落款}"} <= {
        c.value for r in ws.iter_rows() for c in r}


def test_missing_or_broken_template_is_a_user_error(tmp_path: Path, template: Path) -> None:
    with pytest.raises(UserError, match="找不到评议表模板"):
        write_result_xlsx(make_rows(), SETTINGS, tmp_path, template=tmp_path / "无.xlsx")
    workbook = load_workbook(template)
    workbook.active["A5"].value = "述职人"  # staff typed over the placeholder
    workbook.save(template)
    with pytest.raises(UserError, match=r"\{述职人\}"):
        write_blank_ballots_xlsx(make_rows(), SETTINGS, tmp_path, template=template)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(UserError, match="无法打开"):
        write_result_xlsx(make_rows(), SETTINGS, tmp_path, template=broken)
