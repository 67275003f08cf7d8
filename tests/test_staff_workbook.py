"""A master workbook after a year in Excel and WPS goes through every writing command.

Two ways of giving it what staff add, neither of them the tool's own writer:

- Excel 2010 features, in the form Excel writes them: an x14 data bar, a validation list
  that points at another sheet, sparklines, put into 评分 as Excel's XML;
- a real second program: LibreOffice, driven through its UNO API (``tests/uno/``), adds a
  picture, a text box, a formatted comment, rich text in a staff cell, staff formulas,
  conditional formats, a validation list, a chart, a pivot table and a sheet before 评分,
  and saves as .xlsx.

Then ``validate``, ``check``, ``score``, ``rectify --draft`` and ``run`` all save, and none of
it may be lost: every part and element that is not the tool's comes out as it went in,
every staff formula keeps its result, and the backup equals the original byte for byte.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import package_diff
from helpers import type_scores
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.save import BACKUP_DIR
from tongjia_xls.book.xlsm import CONF_SHEET, check_macro_workbook
from tongjia_xls.cli import main
from tongjia_xls.sheets.schema import DASHBOARD, SCORES, SHEETS, STATS
from uno.features import add_staff_features, present_features, uno_available

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
DATA_BAR_ID = "{5A3C7B10-2F7E-4E5C-9F0A-0C1D2E3F4A5B}"
CLASSIC_BAR = (
    '<conditionalFormatting sqref="G2:G6"><cfRule type="dataBar" priority="1"><dataBar>'
    '<cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar><extLst>'
    f'<ext uri="{{B025F937-C7B1-47D3-B67F-A62EFF666E3E}}" xmlns:x14="{X14}">'
    f'<x14:id>{DATA_BAR_ID}</x14:id></ext></extLst></cfRule></conditionalFormatting>'
)
EXCEL_2010 = (
    "<extLst>"
    f'<ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="{X14}">'
    f'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="{XM}">'
    f'<x14:cfRule type="dataBar" id="{DATA_BAR_ID}"><x14:dataBar minLength="0" '
    'maxLength="100" gradient="0"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/>'
    '<x14:negativeFillColor rgb="FFFF0000"/><x14:axisColor rgb="FF000000"/></x14:dataBar>'
    "</x14:cfRule><xm:sqref>G2:G6</xm:sqref></x14:conditionalFormatting>"
    "</x14:conditionalFormattings></ext>"
    f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
    f'<x14:dataValidations count="1" xmlns:xm="{XM}"><x14:dataValidation type="list" '
    'allowBlank="1" showInputMessage="1" showErrorMessage="1"><x14:formula1>'
    "<xm:f>组织!$B$2:$B$6</xm:f></x14:formula1><xm:sqref>P2:P6</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
    f'<ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}">'
    f'<x14:sparklineGroups xmlns:xm="{XM}"><x14:sparklineGroup displayEmptyCellsAs="gap">'
    '<x14:colorSeries rgb="FF376092"/><x14:colorNegative rgb="FFD00000"/>'
    '<x14:colorAxis rgb="FF000000"/><x14:colorMarkers rgb="FFD00000"/>'
    '<x14:colorFirst rgb="FFD00000"/><x14:colorLast rgb="FFD00000"/>'
    '<x14:colorHigh rgb="FFD00000"/><x14:colorLow rgb="FFD00000"/><x14:sparklines>'
    "<x14:sparkline><xm:f>评分!C2:E2</xm:f><xm:sqref>Q2</xm:sqref></x14:sparkline>"
    "</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"
)
COMMANDS = (["validate"], ["check"], ["score"], ["rectify", "--draft"], ["run"], ["score"])


def _add_excel_2010_features(path: Path) -> None:
    part = package_diff.sheet_parts(path)[SCORES.title]
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == part:
                text = data.decode()
                text = text.replace("<dataValidations", CLASSIC_BAR + "<dataValidations", 1)
                text = text.replace("</worksheet>", EXCEL_2010 + "</worksheet>")
                data = text.encode()
            dst.writestr(info, data)


def _run_every_command(path: Path) -> list[str]:
    outputs = []
    for command in COMMANDS:
        result = CliRunner().invoke(main, [*command, str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command, result.output)
        assert result.exit_code in (0, 1), (command, result.output)
        outputs.append(result.output)
    return outputs


def _elements(path: Path, title: str, local: str) -> list[bytes]:
    part = package_diff.sheet_parts(path)[title]
    root = etree.fromstring(package_diff.read_parts(path)[part])
    return [etree.tostring(e, method="c14n", exclusive=True) for e in root
            if isinstance(e.tag, str) and etree.QName(e).localname == local]


def _assert_nothing_of_the_staff_lost(before: Path, after: Path, *,
                                      buttons: bool = False) -> None:
    """Only the tool's parts, its cells and rows, and its own charts on 统计 may differ.

    With ``buttons``, also what the buttons add: code names on the sheets (``sheetPr``), the
    buttons' drawing on 控制台 (``legacyDrawing``), the VBA project, ``xlwings.conf``.
    """
    found = package_diff.diff(before, after)
    parts = package_diff.sheet_parts(before)
    old = package_diff.read_parts(before)
    stats = _related(old, parts["统计"], "drawing")
    tool_charts = {c for d in stats for c in _related(old, d, "chart")}
    assert set(found.missing) <= tool_charts | {_rels(c) for c in tool_charts} | {
        "xl/calcChain.xml"}, found.missing
    allowed = ({"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "[Content_Types].xml", _rels(parts["统计"])} | set(parts.values())
               | stats | {_rels(d) for d in stats})
    if buttons:
        allowed |= {_rels(parts[DASHBOARD.title])} | {
            d for d in _related(old, parts[DASHBOARD.title], "vmlDrawing")}
    assert set(found.changed) <= allowed, set(found.changed) - allowed
    with Workbook.open(after, for_write=False) as book:
        for sheet in SHEETS:
            part = parts.get(sheet.title)
            if sheet is STATS or part not in found.cells:
                continue
            extra = ({"sheetPr"} | ({"legacyDrawing"} if sheet is DASHBOARD else set())
                     if buttons else set())
            assert found.elements[part] <= {"dimension"} | extra, (sheet.title,
                                                                    found.elements[part])
            layout = book.read(sheet).layout
            assert layout is not None
            tool = {col for name, col in layout.positions.items() if sheet.column(name).is_tool}
            rows = set(found.rows.get(part, set()))
            old_rows = {r for r, _ in _cells_of(old[part])}
            staff = {(r, c) for r, c in found.cells[part] if c not in tool and r in old_rows}
            assert staff == set() and rows == set(), (sheet.title, sorted(staff)[:5], rows)
    for title, part in parts.items():  # sheets the tool does not know: not a byte changed
        if title not in {s.title for s in SHEETS}:
            if buttons and title == CONF_SHEET:
                continue  # the buttons' own settings sheet
            if buttons and part in found.elements:  # but a code name for VBA
                assert found.elements[part] <= {"sheetPr"} and not found.cells[part], title
            else:
                assert part not in found.changed, title


def _related(parts: dict[str, bytes], source: str, kind: str) -> set[str]:
    import posixpath

    rels = parts.get(_rels(source))
    if rels is None:
        return set()
    found = set()
    for rel in etree.fromstring(rels):
        if rel.get("Type", "").endswith("/" + kind):
            target = rel.get("Target", "")
            found.add(target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(source), target)))
    return found


def _rels(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _cells_of(sheet: bytes) -> set[tuple[int, int]]:
    return set(package_diff._cells(etree.fromstring(sheet))[0])


@pytest.fixture
def staff_book(book_path: Path) -> Path:
    type_scores(book_path)
    (book_path.parent / "述职报告").mkdir()
    return book_path


def test_excel_2010_features_survive_every_writing_command(
    staff_book: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PDFs are made by LibreOffice and take most of `run`'s time; the other test has them.
    monkeypatch.setattr("tongjia_xls.word.convert.shutil.which", lambda _: None)
    _add_excel_2010_features(staff_book)
    original = staff_book.read_bytes()
    keep = staff_book.with_name("原样.xlsx")
    keep.write_bytes(original)
    extensions = _elements(staff_book, SCORES.title, "extLst")
    formats = _elements(staff_book, SCORES.title, "conditionalFormatting")
    _run_every_command(staff_book)
    assert _elements(staff_book, SCORES.title, "extLst") == extensions
    assert _elements(staff_book, SCORES.title, "conditionalFormatting") == formats
    _assert_nothing_of_the_staff_lost(keep, staff_book)
    with Workbook.open(staff_book, for_write=False) as book:
        assert book.read(SCORES).records[0]["composite"] is not None  # the tool did its work
    assert _first_backup(staff_book).read_bytes() == original


needs_uno = pytest.mark.skipif(not uno_available(), reason="LibreOffice with python3-uno "
                               "is not installed (CI installs it: see .ci/run)")


@needs_uno
def test_what_libreoffice_adds_survives_every_writing_command(staff_book: Path,
                                                              tmp_path: Path) -> None:
    edited = tmp_path / "一年以后.xlsx"
    report = add_staff_features(staff_book, edited)
    added = {name for name, item in report["features"].items() if item["added"]}
    # Every feature must really be added, or the test would silently look at fewer of them.
    assert added == set(report["features"]), report
    work = staff_book.parent / "总表-一年以后.xlsx"
    work.write_bytes(edited.read_bytes())
    before = tmp_path / "before.xlsx"
    before.write_bytes(edited.read_bytes())
    formulas = _formulas_with_results(before)
    assert formulas, "LibreOffice stores its formulas with their results"
    _run_every_command(work)
    _assert_nothing_of_the_staff_lost(before, work)
    assert _formulas_with_results(work) == formulas
    still = {name for name, present in present_features(work).items() if present}
    assert added <= still, added - still
    names = set(zipfile.ZipFile(work).namelist())
    for part in zipfile.ZipFile(before).namelist():
        if part.startswith(("xl/media/", "xl/pivot", "xl/comments", "xl/drawings/vml")):
            assert part in names, part
    assert _first_backup(work).read_bytes() == before.read_bytes()


def _first_backup(path: Path) -> Path:
    # A backup keeps the time stamp of the version it copies: the oldest is the original.
    return min((path.parent / BACKUP_DIR).glob(f"{path.stem}-*"),
               key=lambda p: p.stat().st_mtime_ns)


def _formulas_with_results(path: Path) -> dict[tuple[str, str], str]:
    """Return {(sheet part, cell): the cell's XML} of every formula cell holding a result."""
    found = {}
    for name, data in package_diff.read_parts(path).items():
        if not name.startswith("xl/worksheets/sheet"):
            continue
        for match in re.finditer(rb'<c r="([A-Z]+\d+)"[^>]*>(<f[ >].*?</v>)</c>', data):
            found[(name, match.group(1).decode())] = match.group(2).decode()
    return found


@needs_uno
def test_buttons_for_a_staff_workbook_keep_everything_in_it(staff_book: Path,
                                                            tmp_path: Path) -> None:
    _add_excel_2010_features(staff_book)
    edited = staff_book.parent / "一年以后.xlsx"
    report = add_staff_features(staff_book, edited)
    added = {name for name, item in report["features"].items() if item["added"]}
    before = edited.read_bytes()
    result = CliRunner().invoke(main, ["buttons", str(edited)])
    assert result.exit_code == 0, result.output
    twin = edited.with_suffix(".xlsm")
    assert edited.read_bytes() == before  # the .xlsx is only read
    assert check_macro_workbook(twin) == []
    _assert_nothing_of_the_staff_lost(edited, twin, buttons=True)
    assert _formulas_with_results(twin) == _formulas_with_results(edited)
    assert _elements(twin, SCORES.title, "extLst") == _elements(edited, SCORES.title, "extLst")
    still = {name for name, present in present_features(twin).items() if present}
    assert added <= still, added - still
    # Renewing the buttons of the .xlsm, in place, keeps all of it too.
    kept = tmp_path / "按钮版.xlsm"
    kept.write_bytes(twin.read_bytes())
    again = CliRunner().invoke(main, ["buttons", str(twin), "--interpreter", r"D:\py\pythonw.exe"])
    assert again.exit_code == 0, again.output
    assert check_macro_workbook(twin) == []
    _assert_nothing_of_the_staff_lost(kept, twin, buttons=True)
