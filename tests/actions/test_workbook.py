"""validate_workbook against real workbooks with the mistakes staff really make."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from helpers import type_setting
from tongjia_xls.actions import validate_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import Severity
from tongjia_xls.sheets.schema import BALLOTS, DASHBOARD, ORGS, REPORTS, SCORES, SETTINGS


def _type(path: Path, sheet: str, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for coordinate, value in cells.items():
        wb[sheet][coordinate] = value
    wb.save(path)


def _remarks(path: Path, sheet_name: str) -> dict[int, str]:
    sheet = {s.title: s for s in (ORGS, REPORTS, BALLOTS, SCORES)}[sheet_name]
    return {r.row: r["remarks"] for r in Workbook.open(path).read(sheet) if r["remarks"]}


@pytest.mark.parametrize(
    ("sheet", "cells", "row", "column", "message"),
    [
        ("评分", {"C3": "九十"}, 3, "平时考核", "“九十”不是数字"),
        ("评分", {"D4": 105}, 4, "实地调研", "0 到 100"),
        ("评分", {"A5": "金竹林村"}, 5, "党组织名称", "是否应为“金竹岭村”"),
        ("测评票", {"C2": -2}, 2, "好", "负数"),
        ("述职报告", {"C3": "2024.2.30"}, 3, "提交日期", "不是真实存在的日期"),
        ("述职报告", {"D2": "通过"}, 2, "包片领导审核", "下拉列表"),
        ("组织", {"D3": None}, 3, "书记姓名", "必须填写"),
        ("组织", {"B7": "青杠湾村", "D7": "李四"}, 7, "党组织名称", "与第2行重复"),
    ],
)
def test_a_bad_cell_is_named_and_marked_and_the_rest_goes_on(
    book_path: Path, sheet: str, cells: dict[str, object], row: int, column: str, message: str
) -> None:
    _type(book_path, sheet, cells)
    outcome = validate_workbook(book_path)
    errors = [d for d in outcome.diagnostics if d.severity is Severity.ERROR]
    assert [(d.sheet, d.row, d.column) for d in errors] == [(sheet, row, column)]
    assert message in errors[0].message
    assert message in _remarks(book_path, sheet)[row]
    assert outcome.lines[0].status.startswith("发现 1 处错误")
    dashboard = Workbook.open(book_path).read(DASHBOARD).by_key()
    assert dashboard["工作簿校验"]["status"].startswith("发现 1 处错误")


def test_a_fixed_mistake_clears_its_mark(book_path: Path) -> None:
    _type(book_path, "评分", {"C3": "九十"})
    validate_workbook(book_path)
    _type(book_path, "评分", {"C3": 90})
    outcome = validate_workbook(book_path)
    assert outcome.count(Severity.ERROR) == 0
    assert _remarks(book_path, "评分") == {}


def test_a_clean_workbook_validated_twice_is_not_written_again(book_path: Path) -> None:
    validate_workbook(book_path)
    before = book_path.read_bytes()
    outcome = validate_workbook(book_path)
    assert not outcome.saved
    assert book_path.read_bytes() == before


def test_a_renamed_sheet_is_recognised_by_its_headers(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    wb["测评票"].title = "测评票汇总"
    wb.save(book_path)
    outcome = validate_workbook(book_path)
    message = next(d.message for d in outcome.diagnostics if "测评票" in d.message)
    assert "请把“测评票汇总”改回“测评票”" in message


def test_a_renamed_header_says_which_and_how_to_fix(book_path: Path) -> None:
    _type(book_path, "评分", {"C1": "平时成绩"})
    outcome = validate_workbook(book_path)
    assert any("找不到“平时考核”列" in d.message and "改回" in d.message
               for d in outcome.diagnostics)


def test_a_repeated_header_says_which_column_is_used(book_path: Path) -> None:
    _type(book_path, "评分", {"M1": "实地调研", "M2": 60})
    found = [d for d in validate_workbook(book_path).diagnostics if "不止一列" in d.message]
    assert len(found) == 1 and found[0].sheet == "评分"
    assert "用的是第D列" in found[0].message and "第M列没有用" in found[0].message
    header = openpyxl.load_workbook(book_path)["评分"]
    assert [c.value for c in header[1]].count("校验提示") == 1


def test_a_new_roster_org_gets_rows_in_every_per_org_sheet(book_path: Path) -> None:
    _type(book_path, "组织", {"B7": "新建村", "D7": "钱多多"})
    outcome = validate_workbook(book_path)
    book = Workbook.open(book_path)
    for sheet in (REPORTS, BALLOTS, SCORES):
        assert "新建村" in book.read(sheet).by_key()
    assert book.read(SCORES).by_key()["新建村"]["secretary"] == "钱多多"
    assert any("新建村" in d.message for d in outcome.diagnostics if d.severity is Severity.INFO)


def test_a_deleted_setting_row_comes_back_with_its_default(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    ws = wb[SETTINGS.title]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "字数上限")
    ws.delete_rows(row)
    wb.save(book_path)
    outcome = validate_workbook(book_path)
    assert any("字数上限" in d.message for d in outcome.diagnostics)
    settings, _ = Workbook.open(book_path).settings()
    assert settings.words_max == 2000


def test_weights_that_do_not_sum_to_one_are_an_error(book_path: Path) -> None:
    type_setting(book_path, "现场述职权重", 0.5)
    outcome = validate_workbook(book_path)
    assert any("权重之和为 1.1" in d.message for d in outcome.diagnostics)
