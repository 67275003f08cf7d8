"""Buttons for a workbook staff already have: an .xlsx gets an .xlsm twin, an .xlsm new macros."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment

from helpers import load_xlsm
from tongjia_xls.actions.workbook import add_buttons
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.vba_project import recovered_modules
from tongjia_xls.book.xlsm import CONF_SHEET, VBA_PART, check_macro_workbook
from tongjia_xls.cli import main
from tongjia_xls.errors import UserError
from tongjia_xls.sheets.schema import DASHBOARD, SHEETS


def _everything(path: Path) -> dict[str, list[tuple]]:
    """Every value of every schema sheet, as the gateway reads it, plus staff's extras."""
    book = Workbook.open(path, for_write=False)
    found = {}
    for sheet in SHEETS:
        if sheet.columns and sheet.title != DASHBOARD.title:
            found[sheet.title] = [(r.row, dict(r.raw), dict(r.extra)) for r in book.read(sheet)]
    return found


def _staff_touches(path: Path) -> None:
    """What staff do to their .xlsx: a sheet of their own, a note in a column of their own."""
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("镇里的备忘").append(["联系人", "王主任"])
    wb["评分"].cell(row=1, column=30, value="我的备注")
    wb["评分"].cell(row=2, column=30, value="=1+1")  # staff's own formula stays one
    wb.save(path)


def test_an_xlsx_gets_an_xlsm_twin_with_the_same_contents(book_path: Path) -> None:
    _staff_touches(book_path)
    before = book_path.read_bytes()
    outcome = add_buttons(book_path, interpreter=r"C:\py\pythonw.exe")
    twin = book_path.with_suffix(".xlsm")
    assert outcome.outputs == [twin]
    assert book_path.read_bytes() == before  # the .xlsx is only read
    assert check_macro_workbook(twin) == []
    assert _everything(twin) == _everything(book_path)
    wb = load_xlsm(twin)
    assert wb.sheetnames == [*openpyxl.load_workbook(book_path).sheetnames, CONF_SHEET]
    assert wb["镇里的备忘"]["B1"].value == "王主任"
    assert wb[CONF_SHEET]["B1"].value == r"C:\py\pythonw.exe"
    # Staff's own sheet got a code name, and the project a document module for it.
    code_name = wb["镇里的备忘"].sheet_properties.codeName
    assert code_name and code_name in recovered_modules(twin)


def test_an_existing_twin_is_not_overwritten(book_path: Path) -> None:
    add_buttons(book_path)
    with pytest.raises(UserError, match="已经存在"):
        add_buttons(book_path)


def test_an_xlsm_gets_its_macros_anew_and_keeps_its_data(book_path: Path) -> None:
    twin = add_buttons(book_path, interpreter="").outputs[0]
    # A project from another xlwings version, say: the renewal must replace it.
    with zipfile.ZipFile(twin) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    fresh = parts[VBA_PART]
    parts[VBA_PART] = b"an old project"
    with zipfile.ZipFile(twin, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    before = _everything(twin)
    outcome = add_buttons(twin, interpreter=r"D:\python\pythonw.exe")
    assert outcome.outputs == [twin]
    assert outcome.backup is not None and outcome.backup.read_bytes() != twin.read_bytes()
    with zipfile.ZipFile(twin) as package:
        assert package.read(VBA_PART) == fresh
    assert check_macro_workbook(twin) == []
    assert _everything(twin) == before
    wb = load_xlsm(twin)
    assert wb[CONF_SHEET]["B1"].value == r"D:\python\pythonw.exe"
    assert wb.sheetnames.count(CONF_SHEET) == 1


def test_without_an_interpreter_the_one_in_xlwings_conf_stays(book_path: Path) -> None:
    twin = add_buttons(book_path, interpreter=r"E:\mine\pythonw.exe").outputs[0]
    add_buttons(twin)
    assert openpyxl.load_workbook(twin)[CONF_SHEET]["B1"].value == r"E:\mine\pythonw.exe"


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda wb: setattr(wb[DASHBOARD.title]["A3"], "comment", Comment("备注", "王")), "批注"),
    (lambda wb: setattr(wb[DASHBOARD.title], "title", "首页"), "控制台"),
])
def test_what_would_break_the_buttons_is_refused(book_path: Path, spoil, message: str) -> None:
    wb = openpyxl.load_workbook(book_path)
    spoil(wb)
    wb.save(book_path)
    with pytest.raises(UserError, match=message):
        add_buttons(book_path)
    assert not book_path.with_suffix(".xlsm").exists()


def test_the_command_line(book_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "副本.xlsx"
    shutil.copy(book_path, copy)
    result = CliRunner().invoke(main, ["buttons", str(copy)])
    assert result.exit_code == 0, result.output
    assert "按钮已就绪" in result.output
    assert check_macro_workbook(copy.with_suffix(".xlsm")) == []
    # No --interpreter: the new xlwings.conf leaves it blank, for the python on the PATH.
    assert openpyxl.load_workbook(copy.with_suffix(".xlsm"))[CONF_SHEET]["B1"].value is None
    again = CliRunner().invoke(main, ["buttons", str(copy)])
    assert again.exit_code == 2 and "已经存在" in again.output
