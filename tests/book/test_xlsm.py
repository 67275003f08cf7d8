"""The macro workbook: built from source, checked by reading it back, and seen by LibreOffice."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import load_xlsm, write_roster_csv
from tongjia_xls import excel
from tongjia_xls.actions import init_workbook, validate_workbook
from tongjia_xls.book.buttons import BUTTONS, MACRO_MODULE, button_macros
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.vba_project import read_macros, recovered_modules
from tongjia_xls.book.xlsm import (
    CONF_CODE_NAME,
    CONF_SHEET,
    MACRO_ENABLED,
    VBA_PART,
    add_macros,
    check_macro_workbook,
    macros_folder,
    project_modules,
)
from tongjia_xls.errors import Severity, UserError
from tongjia_xls.sheets.schema import DASHBOARD, SCORES, SHEETS
from tongjia_xls.word.convert import convert


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xlsm")
    out = folder / "总表.xlsm"
    init_workbook(out, roster=write_roster_csv(folder / "名单.csv"),
                  interpreter=r"C:\Python311\pythonw.exe")
    return out


@pytest.fixture
def macro_book(_built: Path, tmp_path: Path) -> Path:
    """A fresh macro workbook of five organizations, in its own folder."""
    target = tmp_path / _built.name
    shutil.copy(_built, target)
    return target


def test_the_build_passes_its_own_check(macro_book: Path) -> None:
    assert check_macro_workbook(macro_book) == []
    with zipfile.ZipFile(macro_book) as package:
        assert MACRO_ENABLED in package.read("[Content_Types].xml").decode()
        assert "xl/vbaProject.bin" in package.namelist()


def test_every_module_comes_back_exactly_as_written(macro_book: Path) -> None:
    recovered = recovered_modules(macro_book)
    for module in project_modules():
        assert recovered[module.name] == module.code, module.name


def test_the_buttons_sit_on_the_dashboard_and_run_our_macros(macro_book: Path) -> None:
    buttons = button_macros(macro_book)
    assert list(buttons) == ["xl/worksheets/sheet1.xml"]  # 控制台 is the first sheet
    assert buttons["xl/worksheets/sheet1.xml"] == {b.caption: b.macro for b in BUTTONS}


def test_the_workbook_is_the_xlsx_plus_the_xlwings_settings(macro_book: Path) -> None:
    wb = load_xlsm(macro_book)
    assert wb.sheetnames == [s.title for s in SHEETS] + [CONF_SHEET]
    assert wb.code_name == "ThisWorkbook"
    for sheet in SHEETS:
        ws = wb[sheet.title]
        assert ws.sheet_properties.codeName == sheet.code_name
        assert [c.value for c in ws[sheet.header_row]][: len(sheet.columns)] == [
            c.header for c in sheet.columns
        ] or sheet.name == "ballot_details"
    conf = wb[CONF_SHEET]
    # xlwings reads keys from A1 down to the first blank cell, values from column B.
    assert conf["A1"].value == "Interpreter_Win"
    assert conf["B1"].value == r"C:\Python311\pythonw.exe"
    keys = [conf.cell(row=r, column=1).value for r in range(1, 12)]
    assert None in keys and all(keys[: keys.index(None)])
    dashboard = wb[DASHBOARD.title]
    assert not any(cell.comment for row in dashboard.iter_rows() for cell in row)


def test_validation_accepts_the_xlwings_settings_sheet(macro_book: Path) -> None:
    outcome = validate_workbook(macro_book)
    assert outcome.count(Severity.ERROR) == 0, [str(d) for d in outcome.diagnostics]
    assert check_macro_workbook(macro_book) == []


def test_each_button_runs_a_sub_that_calls_an_entry_point() -> None:
    (module,) = [m for m in read_macros(macros_folder()) if m.name == MACRO_MODULE]
    subs = dict(re.findall(
        r'Public Sub (\w+)\(\)\s+RunPython "import tongjia_xls\.excel as tx; tx\.(\w+)\(\)"',
        module.code))
    assert subs == {b.macro: b.entry for b in BUTTONS}
    for button in BUTTONS:
        assert callable(getattr(excel, button.entry)), button.entry


def test_every_macro_source_is_ascii() -> None:
    # The VBA project is stored in codepage 1252 (macros/README.md): Chinese would not survive.
    sources = sorted(macros_folder().glob("*.bas"))
    assert {path.stem for path in sources} >= {MACRO_MODULE}
    for path in sources:
        data = path.read_bytes()
        assert data.isascii(), (path.name, [c for c in data.decode("utf-8") if not c.isascii()])


def test_libreoffice_opens_it_and_lists_each_buttons_macro(
    macro_book: Path, soffice: str
) -> None:
    flat = convert(macro_book, soffice, "fods").decode("utf-8")
    bound = re.findall(r"vnd\.sun\.star\.script:VBAProject\.(\w+)\.(\w+)\?language=Basic", flat)
    assert bound == [(MACRO_MODULE, b.macro) for b in BUTTONS]
    labels = re.findall(r'<form:button [^>]*form:label="([^"]*)"', flat)
    assert labels == [b.caption for b in BUTTONS]
    modules = set(re.findall(r'ooo:module ooo:name="(\w+)"', flat))
    assert {MACRO_MODULE, "xlwings", "ThisWorkbook"} | {s.code_name for s in SHEETS} <= modules


def test_the_project_names_every_module_in_workspace_and_projectwm(macro_book: Path) -> None:
    import olefile

    with zipfile.ZipFile(macro_book) as package:
        ole = olefile.OleFileIO(package.read("xl/vbaProject.bin"))
    try:
        project = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
        namemap = ole.openstream("PROJECTwm").read()
    finally:
        ole.close()
    names = ["ThisWorkbook", *(s.code_name for s in SHEETS), CONF_CODE_NAME,
             *(m.name for m in project_modules())]
    assert 'VersionCompatible32="393222000"' in project
    workspace = project[project.index("[Workspace]") + 1 :]
    assert workspace == [f"{n}=0, 0, 0, 0, C" for n in names] + [""]
    assert namemap == b"".join(
        n.encode("ascii") + b"\0" + n.encode("utf-16-le") + b"\0\0" for n in names) + b"\0\0"


@pytest.mark.parametrize("name", ["总表.xlsx", "总表.xlsm"])
def test_init_takes_either_extension_and_refuses_others(tmp_path: Path, name: str) -> None:
    init_workbook(tmp_path / name)
    assert (tmp_path / name).is_file()
    if name.endswith(".xlsm"):  # without --interpreter the buttons start the PATH's python
        conf = openpyxl.load_workbook(tmp_path / name)[CONF_SHEET]
        assert (conf["A1"].value, conf["B1"].value) == ("Interpreter_Win", None)
        assert "默认留空" in conf["D2"].value and "PATH 里的 python" in conf["D2"].value
    with pytest.raises(UserError, match=r"\.xlsm"):
        init_workbook(tmp_path / "总表.xls")


def _with_extra_vml(path: Path, part: str, rels_extra: str = "") -> None:
    """Rewrite the package at ``path`` with one more VML part (and a link to comments)."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts[part] = parts["xl/drawings/vmlDrawing1.vml"]
    if rels_extra:
        rels = "xl/worksheets/_rels/sheet1.xml.rels"
        parts[rels] = parts[rels].replace(b"</Relationships>", rels_extra.encode()
                                          + b"</Relationships>")
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


def test_a_tenth_vml_part_is_kept_by_a_batch_run(macro_book: Path) -> None:
    # openpyxl dropped vmlDrawing10 and later; the in-place backend copies every part.
    _with_extra_vml(macro_book, "xl/drawings/vmlDrawing10.vml")
    with zipfile.ZipFile(macro_book) as package:
        extra = package.read("xl/drawings/vmlDrawing10.vml")
    with Workbook.open(macro_book) as book:
        book.update_rows(SCORES, {2: {"composite": 91}})
        book.save()
    with zipfile.ZipFile(macro_book) as package:
        assert package.read("xl/drawings/vmlDrawing10.vml") == extra
    assert check_macro_workbook(macro_book) == []


def test_comments_beside_the_buttons_are_refused(macro_book: Path) -> None:
    from tongjia_xls.actions.workbook import add_buttons

    link = ('<Relationship Id="rIdC" Target="/xl/comments/comment1.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/comments"/>')
    _with_extra_vml(macro_book, "xl/drawings/vmlDrawing2.vml", link)
    before = macro_book.read_bytes()
    with pytest.raises(UserError, match="批注"):
        add_buttons(macro_book)
    assert macro_book.read_bytes() == before


def test_the_vba_parts_handed_to_openpyxl_are_read_only(macro_book: Path) -> None:
    # A zip open for writing fails in __del__ when collected after its BytesIO.
    wb = openpyxl.load_workbook(macro_book)
    add_macros(wb)
    assert wb.vba_archive.mode == "r"
    assert VBA_PART in wb.vba_archive.namelist()
