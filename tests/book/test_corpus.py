"""The file backend on spreadsheets saved by Excel and WPS: only the patched cells change.

Every file of ``../shared/corpora/xlsx-real`` (32 files with pictures, shapes, comments,
rich text, x14 formats, pivot tables, charts, chart sheets, VBA...) is patched through the
backend, then compared part by part with an independent zip + lxml diff
(``tests/package_diff.py``): the patched cells may differ, the style sheet may grow, and
nothing else may change. The result must open in openpyxl and in LibreOffice.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel

import package_diff
from helpers import load_xlsm
from tongjia_xls.book.file_backend import FileBackend
from tongjia_xls.book.look import Look
from tongjia_xls.book.save import BACKUP_DIR

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "xlsx-real"
FILES = sorted(CORPUS.glob("*.xls*")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpora is not beside the project")

Plan = dict[str, dict[tuple[int, int], Any]]

TEXTS = ["=SUM(A1:A3)", "+86 13800000000", "-5", "@某人", "中文与English 混排", "a & b <c> \"d\"",
         "第一行\n第二行", "  前后空格  ", "拼经济搞建设"]


def _worksheets(backend: FileBackend) -> list[str]:
    return [t for t in backend.sheet_titles() if backend._entry(t).kind == "worksheet"]


def _fixed_plan(backend: FileBackend) -> Plan:
    """Return a plan for every worksheet: existing cells, new cells, a new row, each kind."""
    plan: Plan = {}
    for number, title in enumerate(_worksheets(backend)):
        grid = backend.read_grid(title)
        filled = [(r, c) for r, row in enumerate(grid, 1) for c, v in enumerate(row, 1)
                  if v is not None]
        cells: dict[tuple[int, int], Any] = {}
        if filled:
            cells[filled[len(filled) // 2]] = TEXTS[number % len(TEXTS)]
            cells[filled[-1]] = 42.5
        width = max((len(row) for row in grid), default=0)
        cells[(1, width + 2)] = date(2024, 1, 5)
        cells[(len(grid) + 3, 2)] = "新的一行"
        cells[(len(grid) + 3, 5)] = datetime(2024, 3, 1, 9, 30)
        cells[(2, 1)] = TEXTS[(number + 1) % len(TEXTS)]
        plan[title] = cells
    return plan


def _patch(source: Path, folder: Path, plan_of: Any) -> tuple[Path, Plan, Plan]:
    """Copy ``source`` into ``folder`` and patch it; return the copy, written and skipped."""
    target = folder / source.name
    shutil.copy(source, target)
    backend = FileBackend.open(target)
    try:
        plan = plan_of(backend)
        written: Plan = {}
        skipped: Plan = {}
        for title, cells in plan.items():
            left = set(backend.write_cells(title, cells))
            written[title] = {c: v for c, v in cells.items() if c not in left}
            skipped[title] = {c: v for c, v in cells.items() if c in left}
            news = [c for c in written[title] if isinstance(written[title][c], str)][:1]
            backend.format_cells(title, {c: (Look.BODY_TOOL, "General") for c in news})
        backend.save()
    finally:
        backend.close()
    return target, written, skipped


def _assert_only_patched_changed(source: Path, target: Path, written: Plan) -> None:
    parts = package_diff.sheet_parts(source)
    found = package_diff.diff(source, target)
    old_parts = package_diff.read_parts(source)
    overwrote_formula = any(
        b"<f" in _old_cell(old_parts[parts[t]], cell) for t, cells in written.items()
        for cell in cells)
    allowed_missing = {n for n in old_parts if n.startswith("xl/calcChain")} \
        if overwrote_formula else set()
    assert set(found.missing) <= allowed_missing, found.missing
    assert found.added == []
    allowed = {parts[t] for t in written} | {"xl/styles.xml", "xl/workbook.xml"}
    if overwrote_formula:
        allowed |= {"[Content_Types].xml", "xl/_rels/workbook.xml.rels"}
    tables = {n for n in found.changed if n.startswith("xl/tables/")}
    for table in tables:
        _assert_table_follows_headers(old_parts[table], target, table, written)
    assert set(found.changed) - tables <= allowed, set(found.changed) - allowed
    for title, cells in written.items():
        part = parts[title]
        if part not in found.cells:
            continue
        heirs = _shared_heirs(old_parts[part], set(cells))
        assert found.cells[part] <= set(cells) | heirs, (title, found.cells[part] - set(cells))
        assert found.elements[part] <= {"dimension"}, (title, found.elements[part])
        assert found.rows[part] == set(), (title, found.rows[part])
    assert package_diff.styles_appended_only(source, target)


def _assert_table_follows_headers(old: bytes, target: Path, name: str, written: Plan) -> None:
    """A table may change only in the names of columns whose header cell was written."""
    from lxml import etree

    new = etree.fromstring(package_diff.read_parts(target)[name])
    before = etree.fromstring(old)
    first_col, header_row = openpyxl.utils.cell.coordinate_to_tuple(
        before.get("ref").split(":")[0])[::-1]
    parts = package_diff.read_parts(target)
    titles = {part: title for title, part in package_diff.sheet_parts(target).items()}
    owner = next(titles[p] for p in titles if name.rsplit("/", 1)[1].encode() in parts.get(
        p.replace("worksheets/", "worksheets/_rels/") + ".rels", b""))
    headers = {col - first_col: str(v) for (row, col), v in written.get(owner, {}).items()
               if row == header_row and v not in (None, "")}
    columns = list(new.iter(f"{package_diff.MAIN}tableColumn"))
    for position, column in enumerate(before.iter(f"{package_diff.MAIN}tableColumn")):
        expected = headers.get(position, column.get("name"))
        assert columns[position].get("name") == expected
        columns[position].set("name", column.get("name"))
    assert etree.tostring(new, method="c14n") == etree.tostring(before, method="c14n")


def _old_cell(sheet: bytes, cell: tuple[int, int]) -> bytes:
    from lxml import etree

    ref = openpyxl.utils.get_column_letter(cell[1]) + str(cell[0])
    for node in etree.fromstring(sheet).iter(f"{package_diff.MAIN}c"):
        if node.get("r") == ref:
            return etree.tostring(node)
    return b""


def _shared_heirs(sheet: bytes, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return the cells that may take over a shared formula whose master was overwritten."""
    from lxml import etree

    masters, members = set(), {}
    for node in etree.fromstring(sheet).iter(f"{package_diff.MAIN}c"):
        formula = node.find(f"{package_diff.MAIN}f")
        if formula is None or formula.get("t") != "shared":
            continue
        row, col = openpyxl.utils.cell.coordinate_to_tuple(node.get("r"))
        members.setdefault(formula.get("si"), set()).add((row, col))
        if (row, col) in cells and formula.text:
            masters.add(formula.get("si"))
    return {c for si in masters for c in members[si]}


def _assert_values_read_back(target: Path, written: Plan) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on features it does not model
        book = (load_xlsm(target) if target.suffix == ".xlsm"
                else openpyxl.load_workbook(target))
    for title, cells in written.items():
        sheet = book[title]
        for (row, col), value in cells.items():
            cell = sheet.cell(row=row, column=col)
            if value is None or value == "":
                assert cell.value is None
            elif isinstance(value, str):
                assert (cell.value, cell.data_type) == (value, "s")
                if value.startswith(("=", "+", "-", "@")):  # other text keeps staff's style
                    assert cell.quotePrefix
            elif isinstance(value, datetime):
                assert cell.value == value
            elif isinstance(value, date):
                assert cell.value == datetime(value.year, value.month, value.day)
            elif isinstance(value, bool):
                assert cell.value is value
            elif cell.data_type == "e":
                # A number outside Excel's dates in a cell staff formatted as a date:
                # openpyxl reads it as #VALUE!, so the stored number is read raw.
                raw = package_diff.raw_value(target, title, row, col)
                assert raw is not None and math.isclose(float(raw), value, rel_tol=1e-15)
            elif cell.is_date:  # a number in a cell staff formatted as a date, shown as one
                assert math.isclose(to_excel(cell.value), value, abs_tol=1e-6)
            else:
                assert math.isclose(cell.value, value, rel_tol=1e-15)


@pytest.mark.parametrize("source", FILES, ids=[f.name for f in FILES])
def test_patching_changes_only_the_patched_cells(source: Path, tmp_path: Path) -> None:
    target, written, _ = _patch(source, tmp_path, _fixed_plan)
    _assert_only_patched_changed(source, target, written)
    _assert_values_read_back(target, written)
    backups = list((tmp_path / BACKUP_DIR).iterdir())
    assert [b.read_bytes() for b in backups] == [source.read_bytes()]


_text = st.text(st.sampled_from("=+-@ 中文党建abc&<>\"'\n1.5%年月日"), max_size=12)
_values = st.one_of(
    # Numbers outside Excel's dates too: they may land in a cell staff formatted as a date.
    _text, st.integers(-10**6, 2 * 10**6), st.floats(-1e6, 2e6, allow_nan=False),
    st.dates(date(1900, 3, 1), date(2099, 12, 31)), st.none(), st.booleans(),
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from(FILES or [Path("none")]),
    cells=st.dictionaries(st.tuples(st.integers(1, 60), st.integers(1, 30)), _values,
                          min_size=1, max_size=12),
    sheet=st.integers(0, 20),
)
# Found by CI: a number before 1900 in a cell formatted as a date.
@example(source=CORPUS / "ClosedXML__pivottable_duplicated_member_filter.xlsx",
         cells={(3, 5): -693594.0}, sheet=1)
def test_any_patch_changes_only_its_cells(source: Path, cells: dict, sheet: int,
                                          tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("patch")

    def plan(backend: FileBackend) -> Plan:
        titles = _worksheets(backend)
        return {titles[sheet % len(titles)]: cells}

    target, written, _ = _patch(source, folder, plan)
    _assert_only_patched_changed(source, target, written)
    _assert_values_read_back(target, written)


@pytest.fixture(scope="module")
def patched_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for source in FILES:
        _patch(source, folder, _fixed_plan)
    return folder


def test_every_patched_file_opens_in_libreoffice(patched_corpus: Path, soffice: str,
                                                  tmp_path: Path) -> None:
    files = sorted(str(p) for p in patched_corpus.glob("*.xls*"))
    # One LibreOffice start for all 32 files: its start-up is most of the cost.
    subprocess.run([soffice, "--headless", "--norestore",
                    f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *files],
                   check=True, capture_output=True, timeout=600)
    made = {p.stem for p in (tmp_path / "pdf").glob("*.pdf") if p.stat().st_size > 0}
    assert made == {Path(f).stem for f in files}


def test_patched_macro_workbooks_keep_their_vba_project(patched_corpus: Path) -> None:
    for source in FILES:
        if source.suffix != ".xlsm":
            continue
        with zipfile.ZipFile(source) as a, zipfile.ZipFile(patched_corpus / source.name) as b:
            projects = [n for n in a.namelist() if n.endswith("vbaProject.bin")]
            assert [a.read(n) for n in projects] == [b.read(n) for n in projects]
            assert a.read("[Content_Types].xml") == b.read("[Content_Types].xml") or (
                "xl/calcChain.xml" in a.namelist())
