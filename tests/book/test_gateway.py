"""The gateway against real files: staff data survives, writes are idempotent."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import UserError
from tongjia_xls.sheets.cells import Kind
from tongjia_xls.sheets.schema import ORGS, RECTIFICATION, SCORES, SHEETS

_TYPED = {
    Kind.TEXT: "手填文字",
    Kind.INT: 7,
    Kind.COUNT: 3,
    Kind.NUMBER: 1.5,
    Kind.SCORE: 88.5,
    Kind.RATIO: 0.5,
    Kind.DATE: date(2024, 1, 3),
}


def _staff_edit(path: Path) -> None:
    """Do what staff do in Excel: type everywhere, add a column, a colour, a comment, a sheet."""
    wb = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        ws = wb[sheet.title]
        row = sheet.header_row + 1
        for col, column in enumerate(sheet.columns, start=1):
            if column.is_tool or column.name == sheet.key:
                continue
            ws.cell(row=row, column=col).value = (
                column.choices[0] if column.choices else _TYPED[column.kind]
            )
    scores = wb[SCORES.title]
    extra = len(SCORES.columns) + 1
    scores.cell(row=1, column=extra).value = "党委备注"
    scores.cell(row=2, column=extra).value = "=1+1"  # a staff formula stays a formula
    scores.cell(row=3, column=extra).value = "重点关注"
    scores["C3"].fill = PatternFill("solid", start_color="FFFF00", end_color="FFFF00")
    scores["D4"].comment = Comment("实地调研时村民反映较好", "党建办")
    wb.create_sheet("我的草稿")["A1"] = "别动我"
    wb.defined_names["我的区域"] = DefinedName("我的区域", attr_text="'我的草稿'!$A$1")
    wb.save(path)


def _snapshot(path: Path) -> dict[tuple[str, str], Any]:
    wb = openpyxl.load_workbook(path)
    cells: dict[tuple[str, str], Any] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cells[(ws.title, cell.coordinate)] = (
                    cell.value,
                    cell.fill.fgColor.rgb,
                    cell.font.b,
                    cell.number_format,
                    cell.comment.text if cell.comment else None,
                )
        cells[(ws.title, "<validations>")] = sorted(
            (str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation
        )
        cells[(ws.title, "<freeze>")] = ws.freeze_panes
    cells[("", "<sheets>")] = wb.sheetnames
    cells[("", "<names>")] = sorted(wb.defined_names)
    return cells


def _tool_values(book: Workbook) -> dict[str, dict[str, Any]]:
    table = book.read(SCORES)
    return {
        record["org"]: {
            "composite": 80 + index,
            "rank": str(index + 1),
            "proposed_grade": "较好",
            "grade_score": 90,
            "opinion": f"=肯定成绩{index}",  # tool text that looks like a formula
            "remarks": None,
        }
        for index, record in enumerate(table)
    }


def test_writing_tool_columns_twice_keeps_every_staff_cell(book_path: Path) -> None:
    _staff_edit(book_path)
    before = _snapshot(book_path)
    book = Workbook.open(book_path)
    values = _tool_values(book)
    report = book.update(SCORES, values)
    assert report.changed > 0 and not report.missing_keys
    book.save()
    after = _snapshot(book_path)
    tool_letters = {
        openpyxl.utils.get_column_letter(i)
        for i, c in enumerate(SCORES.columns, start=1) if c.is_tool
    }
    changed = {key for key in before if before[key] != after.get(key)}
    assert changed, "the write must have changed the tool's cells"
    for sheet_title, coordinate in changed:
        assert sheet_title == SCORES.title, coordinate
        assert coordinate.rstrip("0123456789") in tool_letters, coordinate
        assert int(coordinate.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) > 1
    bytes_before = book_path.read_bytes()
    again = Workbook.open(book_path)
    second = again.update(SCORES, values)
    assert second.changed == 0
    assert again.save() is None
    assert book_path.read_bytes() == bytes_before


def test_read_back_what_was_written(book_path: Path) -> None:
    book = Workbook.open(book_path)
    book.update(SCORES, _tool_values(book))
    book.save()
    table = Workbook.open(book_path).read(SCORES)
    first = table.records[0]
    assert first["composite"] == 80
    assert first["opinion"] == "=肯定成绩0"
    ws = openpyxl.load_workbook(book_path)[SCORES.title]
    opinion = ws.cell(row=2, column=SCORES.columns.index(SCORES.column("opinion")) + 1)
    assert opinion.data_type == "s"


def test_staff_columns_cannot_be_written_by_mistake(book_path: Path) -> None:
    book = Workbook.open(book_path)
    with pytest.raises(ValueError, match="belongs to staff"):
        book.update(SCORES, {"青杠湾村": {"final_grade": "好"}})


def test_unknown_key_is_reported_not_guessed(book_path: Path) -> None:
    report = Workbook.open(book_path).update(SCORES, {"不存在村": {"composite": 1}})
    assert report.missing_keys == ["不存在村"]
    assert report.changed == 0


def test_repeated_key_is_left_alone_and_reported(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    wb[SCORES.title]["A3"] = "青杠湾村"  # staff typed the same organization twice
    wb.save(book_path)
    book = Workbook.open(book_path)
    report = book.update(SCORES, {"青杠湾村": {"composite": 91}})
    assert report.changed == 0
    assert "第2、3行" in report.diagnostics[0].message


def test_rows_without_a_unique_key_are_written_by_row(book_path: Path) -> None:
    book = Workbook.open(book_path)
    book.append(RECTIFICATION, [
        {"org": "青杠湾村", "problem": "问题一", "deadline": date(2024, 3, 1)},
        {"org": "青杠湾村", "problem": "问题二", "deadline": date(2024, 4, 1)},
    ])
    rows = [r.row for r in book.read(RECTIFICATION)]
    book.update_rows(RECTIFICATION, {rows[1]: {"days_left": 12, "overdue": "否"}})
    book.save()
    records = Workbook.open(book_path).read(RECTIFICATION).records
    assert [(r["problem"], r["days_left"]) for r in records] == [("问题一", None), ("问题二", 12)]


def test_a_deleted_tool_column_is_added_back_right_of_the_table(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    ws = wb[SCORES.title]
    ws.delete_cols(SCORES.columns.index(SCORES.column("rank")) + 1)
    wb.save(book_path)
    book = Workbook.open(book_path)
    report = book.update(SCORES, {"青杠湾村": {"rank": "1"}})
    last = len(SCORES.columns)  # one column was deleted: the first free one is the last
    assert f"已在第{last}列补上" in report.diagnostics[0].message
    book.save()
    ws = openpyxl.load_workbook(book_path)[SCORES.title]
    assert ws.cell(row=1, column=last).value == "排名"
    assert ws.cell(row=2, column=last).value == "1"


def test_table_found_under_a_title_row_with_columns_reordered(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ORGS.title
    ws["A1"] = "童家镇村（社区）党组织名单"
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["书记姓名", "我的备注", " 党组织名称 ", "任职日期", "序号"])
    ws.append(["李德明", "老书记", "青杠湾村", "2021.3.5", "１"])
    ws.append([None, None, None, None, None])
    ws.append(["张玉华", None, "松林坪村", "2023年9月1日", "2"])
    ws.append(["王五", None, "金竹岭村", "2023.2.30", "三"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    table = Workbook.open(path).read(ORGS)
    assert table.layout is not None and table.layout.header_row == 3
    assert [(r.row, r["org"], r["appointed"], r["seq"]) for r in table] == [
        (4, "青杠湾村", date(2021, 3, 5), 1),
        (6, "松林坪村", date(2023, 9, 1), 2),
        (7, "金竹岭村", None, None),
    ]
    assert table.records[0].extra == {"我的备注": "老书记"}
    messages = {(d.row, d.column): d.message for d in table.diagnostics if d.row}
    assert "不是真实存在的日期" in messages[(7, "任职日期")]
    assert "不是数字" in messages[(7, "序号")]
    assert any("找不到“类型”列" in d.message for d in table.diagnostics)


def test_a_merged_cell_is_not_written_over(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    first_tool = SCORES.columns.index(SCORES.column("composite")) + 1
    wb[SCORES.title].merge_cells(start_row=2, start_column=first_tool - 1, end_row=2,
                                 end_column=first_tool)
    wb.save(book_path)
    book = Workbook.open(book_path)
    report = book.update(SCORES, {"青杠湾村": {"composite": 95}})
    assert report.changed == 0
    assert "合并" in report.diagnostics[0].message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("坏文件.xlsx", b"this is not a zip", "已损坏"),
        ("加密.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "密码"),
        ("旧版.xls", b"whatever", "另存为"),
        ("名单.csv", b"a,b", "不是 Excel 工作簿"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused_cleanly(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        Workbook.open(path)


def test_a_missing_workbook_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="tongjia-xls init"):
        Workbook.open(tmp_path / "没有.xlsx")


def test_a_staff_formula_reads_as_its_computed_value(
    book_path: Path, soffice: str, tmp_path: Path
) -> None:
    import subprocess

    wb = openpyxl.load_workbook(book_path)
    wb[SCORES.title]["C2"] = "=80+5"
    wb.save(book_path)
    # LibreOffice recalculates and stores the results, as Excel does when staff save.
    out = tmp_path / "recalculated"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(book_path)],
        capture_output=True, timeout=180, check=True,
    )
    table = Workbook.open(out / book_path.name).read(SCORES)
    assert table.records[0]["routine"] == 85


def test_a_formula_without_a_stored_result_is_explained(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    wb[SCORES.title]["C2"] = "=80+5"  # openpyxl stores no result, like any non-Excel writer
    wb.save(book_path)
    table = Workbook.open(book_path).read(SCORES)
    assert table.records[0]["routine"] is None
    message = next(d.message for d in table.diagnostics if d.column == "平时考核")
    assert "=80+5" in message and "保存一次" in message


def test_a_number_stored_as_text_is_read_as_a_number(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    wb[SCORES.title]["C2"] = " 91.5 "
    wb.save(book_path)
    record = Workbook.open(book_path).read(SCORES).records[0]
    assert (record.row, record["org"], record["routine"]) == (2, "青杠湾村", 91.5)
