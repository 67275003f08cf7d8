"""The xlwings backend over a double of xlwings: text stays text, Excel saves its own file.

What only the live-Excel backend has to get right: Excel parses every assigned text as if it
were typed, hands numbers back as floats, reads used ranges that need not start at A1, and
saves the book itself. The double's own fidelity is tested at the end: a double that lies
would make every test above worthless.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

import xlwings_double as xw
from tongjia_xls.book.gateway import ChartSpec, Workbook
from tongjia_xls.book.look import Look
from tongjia_xls.book.save import BACKUP_DIR
from tongjia_xls.book.xlwings_backend import POINTS_PER_CM, XlwingsBackend, _through_api
from tongjia_xls.sheets.schema import SCORES, STATS

#: Text that Excel would turn into a formula, a number, a date or shorter text if typed.
RISKY_TEXT = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1",
    "+A1",
    "@SUM(A1)",
    "0012",
    "110101199003070012",  # an ID number: 18 digits, beyond Excel's 15
    "2024-1-5",
    "2024年1月5日",
    "50%",
    "1,234",
    "TRUE",
    "'quoted",
    "''twice",
]


def _backend(sheets: Any = ("表",), fullname: str = "工作簿1") -> tuple[XlwingsBackend, Any]:
    book = xw.Book(fullname, sheets)
    return XlwingsBackend(book), book


def _writes(book: Any) -> list[str]:
    return [address for operation, address in book.app.calls if operation == "write"]


# -- writing ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", RISKY_TEXT)
def test_text_comes_back_as_written_and_never_as_a_formula(text: str) -> None:
    backend, book = _backend()
    assert backend.write_cells("表", {(2, 3): text}) == []
    cell = book.sheets["表"].range("C2")
    assert cell.value == text
    assert cell.formula == text  # COM's Formula of a text constant: the text, no apostrophe
    held = xw.record(cell)
    assert held.formula is None and held.prefix and held.value == text
    assert backend.read_grid("表")[1][2] == text


@pytest.mark.parametrize("text", RISKY_TEXT)
def test_the_double_would_have_changed_the_text_without_the_prefix(text: str) -> None:
    # The control for the test above: written raw, Excel changes every one of these.
    book = xw.Book("工作簿1", ["表"])
    cell = book.sheets["表"].range("C2")
    cell.value = text
    assert cell.value != text or xw.record(cell).formula is not None


def test_text_formatted_cells_take_text_without_an_apostrophe() -> None:
    backend, book = _backend()
    sheet = book.sheets["表"]
    sheet.range("A1:B1").number_format = "@"
    backend.write_cells("表", {(1, 1): "0012", (1, 2): "=1+1"})
    assert sheet.range("A1").value == "0012"
    # Formula-like text keeps its prefix even here: a stray apostrophe beats a formula.
    assert xw.record(sheet.range("B1")).formula is None


def test_mixed_formats_in_a_run_are_decided_cell_by_cell() -> None:
    backend, book = _backend()
    sheet = book.sheets["表"]
    sheet.range("B1").number_format = "@"
    backend.write_cells("表", {(1, 1): "0012", (1, 2): "0012", (1, 3): 5})
    assert sheet.range("A1:C1").value == ["0012", "0012", 5.0]
    assert [xw.record(sheet.range(a)).prefix for a in ("A1", "B1")] == [True, False]


def test_adjacent_cells_of_a_row_go_in_one_call() -> None:
    backend, book = _backend()
    backend.write_cells("表", {(2, 2): 1, (2, 3): "甲", (2, 4): 3, (2, 6): 5, (3, 2): 7})
    assert _writes(book) == ["$B$2:$D$2", "$F$2", "$B$3"]
    assert book.sheets["表"].range("B2:D2").value == [1.0, "甲", 3.0]
    assert backend.changed


def test_merged_cells_other_than_the_top_left_are_skipped_and_reported() -> None:
    backend, book = _backend()
    sheet = book.sheets["表"]
    sheet.range("B2:C3").merge()
    skipped = backend.write_cells("表", {(2, 1): "a", (2, 2): "b", (2, 3): "c", (3, 2): "d"})
    assert sorted(skipped) == [(2, 3), (3, 2)]
    assert sheet.range("A2:B2").value == ["a", "b"]


def test_a_merged_staff_cell_is_reported_through_the_gateway(book_path: Path) -> None:
    book = xw.Book.from_file(book_path)
    workbook = Workbook(XlwingsBackend(book))
    table = workbook.read(SCORES)
    assert table.layout is not None
    row = table.by_key()["松林坪村"].row
    col = table.layout.positions["composite"]
    book.sheets[SCORES.title].range((row, col - 1), (row, col)).merge()
    report = workbook.update(SCORES, {"松林坪村": {"composite": 90}})
    assert report.changed == 0
    assert [d.row for d in report.diagnostics] == [row]
    assert "已被合并" in str(report.diagnostics[0])


# -- reading ---------------------------------------------------------------------------


def test_whole_numbers_read_as_int_and_the_rest_as_excel_gives_them() -> None:
    when = datetime(2024, 1, 5)
    backend, _ = _backend({"表": [[88, 93.25, True, when, "文字", None, 0]]})
    assert backend.read_grid("表") == [[88, 93.25, True, when, "文字", None, 0]]
    assert [type(v) for v in backend.read_grid("表")[0][:3]] == [int, float, bool]


def test_a_used_range_that_starts_at_b3_reads_from_a1() -> None:
    backend, book = _backend()
    book.sheets["表"].range("B3").value = [["名称", "分数"], ["甲", 1]]
    assert book.sheets["表"].used_range.address == "$B$3:$C$4"
    assert backend.read_grid("表") == [[None] * 3, [None] * 3,
                                       [None, "名称", "分数"], [None, "甲", 1]]


def test_a_sheet_is_read_in_one_block_and_trailing_blank_rows_dropped() -> None:
    backend, book = _backend({"表": [["a"], [None]]})
    book.sheets["表"].range("A5").number_format = "0"  # formatted, empty: used, not data
    assert backend.read_grid("表") == [["a"]]
    assert [op for op, _ in book.app.calls] == ["read"]


def test_an_empty_sheet_reads_as_no_rows() -> None:
    backend, _ = _backend()
    assert backend.read_grid("表") == []


def test_error_cells_read_as_their_text_like_the_file_backend(tmp_path: Path) -> None:
    path = tmp_path / "错误.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb["表"]["A1"] = "#N/A"
    wb["表"]["A1"].data_type = "e"
    wb.save(path)
    assert XlwingsBackend(xw.Book.from_file(path)).read_grid("表") == [["#N/A"]]


# -- sheets the tool owns ----------------------------------------------------------------


def test_rewrite_clears_old_content_and_charts_and_draws_the_new() -> None:
    backend, book = _backend({"表": [], "统计": [["旧"] * 6] * 9})
    sheet = book.sheets["统计"]
    sheet.range("A1:B1").merge()
    sheet.charts.add()
    rows = [["统计"], ["组织", "得分"], ["甲村", 95.5], ["乙村", "=高"]]
    looks = {(2, 1): (Look.HEADER_STAFF, "General"), (3, 2): (Look.BODY_TOOL, "0.00")}
    spec = ChartSpec("bar", "得分", 2, 3, 4, 1, (2,), "D2", width_cm=10, height_cm=5)
    backend.rewrite_sheet("统计", rows, looks, [spec])
    assert backend.read_grid("统计") == [["统计", None], ["组织", "得分"],
                                         ["甲村", 95.5], ["乙村", "=高"]]
    assert sheet.range("A1").merge_cells is False
    assert len(sheet.charts) == 1 and backend.chart_count("统计") == 1
    chart = sheet.charts[0]
    assert (chart.chart_type, chart.title, chart.legend.visible) == ("bar_clustered", "得分", False)
    assert (chart.source.address, chart.plot_by, chart.x_values.address) == (
        "$B$2:$B$4", "columns", "$A$3:$A$4")
    assert (chart.left, chart.top) == (sheet.range("D2").left, sheet.range("D2").top)
    assert chart.width == pytest.approx(10 * POINTS_PER_CM)
    header, body = sheet.range("A2"), sheet.range("B3")
    assert (header.color, header.font.bold, header.font.color) == ((0x1F, 0x4E, 0x78), True,
                                                                   (255, 255, 255))
    assert (header.horizontal_alignment, header.vertical_alignment) == ("center", "center")
    assert (body.color, body.number_format, body.wrap_text) == ((0xED, 0xED, 0xED), "0.00", True)
    assert (body.font.name, body.borders.line_style, body.borders.weight) == (
        "宋体", "continuous", "thin")


def test_a_missing_tool_sheet_is_added_at_the_end() -> None:
    backend, book = _backend({"甲": [], "乙": []})
    book.sheets._active = 0  # Excel adds before the active sheet unless told where
    backend.rewrite_sheet("统计", [["x"]], {}, [])
    backend.set_width("统计", 2, 30)
    assert backend.sheet_titles() == ["甲", "乙", "统计"]
    assert book.sheets["统计"].range("B1").column_width == 30


def test_rewriting_the_same_stats_twice_changes_nothing(book_path: Path) -> None:
    workbook = Workbook(XlwingsBackend(xw.Book.from_file(book_path)))
    rows = [["统计"], ["等次", "个数", "占比"], ["好", 2, 0.4], ["较好", 3, 0.6]]
    chart = ChartSpec("column", "等次分布", 2, 3, 4, 1, (2, 3), "F3")
    workbook.rewrite(STATS, rows, charts=[chart])
    workbook.save()
    workbook.rewrite(STATS, rows, charts=[chart])
    assert not workbook.changed


# -- the gateway over Excel --------------------------------------------------------------


def test_a_second_identical_update_writes_nothing(book_path: Path) -> None:
    book = xw.Book.from_file(book_path)
    workbook = Workbook(XlwingsBackend(book))
    values = {
        org: {"composite": 80 + i + 0.25, "rank": str(i + 1), "opinion": f"=肯定成绩{i}"}
        for i, org in enumerate(r["org"] for r in workbook.read(SCORES))
    }
    assert workbook.update(SCORES, values).changed == 3 * len(values)
    written = len(_writes(book))
    assert workbook.update(SCORES, values).changed == 0
    assert len(_writes(book)) == written
    opinion = workbook.read(SCORES).by_key()["青杠湾村"]["opinion"]
    assert opinion == "=肯定成绩0"


# -- saving ------------------------------------------------------------------------------


def test_save_backs_up_the_file_on_disk_then_lets_excel_save(book_path: Path) -> None:
    before = book_path.read_bytes()
    book = xw.Book.from_file(book_path)
    backend = XlwingsBackend(book, keep=3)
    assert (backend.label, backend.path) == ("总表.xlsx", book_path.resolve())
    Workbook(backend).update(SCORES, {"松林坪村": {"composite": 91.5}})
    backup = backend.save()
    assert backup is not None and backup.parent == book_path.parent / BACKUP_DIR
    assert backup.read_bytes() == before
    assert book.saves == [None] and not backend.changed
    saved = Workbook.open(book_path).read(SCORES).by_key()["松林坪村"]  # the double's file
    assert saved["composite"] == 91.5


def test_an_xlsm_keeps_its_macros_through_the_doubles_save(tmp_path: Path) -> None:
    # Excel keeps the VBA project of the book it saves; so must the double's file writer.
    from tongjia_xls.actions import init_workbook

    xlsm = tmp_path / "总表.xlsm"
    init_workbook(xlsm)
    with zipfile.ZipFile(xlsm) as package:
        vba = package.read("xl/vbaProject.bin")
    book = xw.Book.from_file(xlsm)
    XlwingsBackend(book).write_cells(SCORES.title, {(2, 20): "x"})
    book.save()
    with zipfile.ZipFile(xlsm) as package:
        assert package.read("xl/vbaProject.bin") == vba


def test_a_book_never_saved_is_left_for_staff_to_save(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # where Excel would put it, were it saved
    backend, book = _backend()
    backend.write_cells("表", {(1, 1): "x"})
    assert backend.save() is None
    assert book.saves == [] and not backend.changed
    assert list(tmp_path.iterdir()) == []


def test_a_book_in_the_cloud_is_saved_by_excel_without_a_local_backup() -> None:
    backend, book = _backend(fullname="https://d.docs.live.net/5f3a/总表.xlsx")
    backend.write_cells("表", {(1, 1): "x"})
    assert backend.save() is None
    assert book.saves == [None] and not backend.changed


def test_the_api_fallback_is_a_no_op_without_com() -> None:
    calls: list[Any] = []
    _through_api(xw.Book().sheets[0].range("A1"), calls.append)
    assert calls == []


# -- the double keeps to xlwings ---------------------------------------------------------


def test_value_shapes_follow_xlwings() -> None:
    sheet = xw.Book("工作簿1", {"表": [[1, 2, 3], [4, 5, 6]]}).sheets["表"]
    assert sheet.range("A1").value == 1.0
    assert sheet.range("A1:C1").value == [1.0, 2.0, 3.0]
    assert sheet.range("A1:A2").value == [1.0, 4.0]
    assert sheet.range("A1:C2").value == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert sheet.range("A1").options(ndim=2).value == [[1.0]]
    assert sheet.range("A1:C1").options(ndim=2).value == [[1.0, 2.0, 3.0]]
    assert sheet.range("A1:A2").options(ndim=2).value == [[1.0], [4.0]]
    assert sheet.range("E5").value is None
    assert sheet.range("A1").expand().address == "$A$1:$C$2"
    assert sheet.range("A1").expand("down").address == "$A$1:$A$2"
    assert sheet.range("B1").expand("right").address == "$B$1:$C$1"
    assert sheet.range("A1").options(expand="table").value == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert sheet.range((1, 1), (2, 3)).last_cell.address == "$C$2"
    assert sheet.range(((1, 2), (2, 3))).shape == (2, 2)
    assert sheet.cells.last_cell.address == "$XFD$1048576"


def test_assignment_shapes_follow_xlwings() -> None:
    sheet = xw.Book().sheets[0]
    sheet.range("A1").value = [1, 2]  # a flat list is a row, from the top-left cell
    sheet.range("A2:C9").value = [[3], [4]]  # a block keeps its own shape
    sheet.range("D1:E2").value = 0  # a scalar fills the range
    sheet.range("F1").value = []  # nothing
    assert sheet.used_range.value == [[1.0, 2.0, None, 0.0, 0.0], [3.0, None, None, 0.0, 0.0],
                                      [4.0, None, None, None, None]]
    with pytest.raises(ValueError):
        sheet.range("A1").value = [[1, 2], [3]]


def test_the_double_keeps_excels_collections_and_app() -> None:
    book = xw.Book("工作簿1", ["甲", "乙"])
    assert [s.name for s in book.sheets] == ["甲", "乙"] and book.sheets[-1].name == "乙"
    assert book.sheets["甲"] is book.sheets[0] and len(book.sheets) == 2
    with pytest.raises(ValueError):
        book.sheets.add("甲")
    book.sheets.add("丙", before=book.sheets[0])
    assert book.sheet_names == ["丙", "甲", "乙"]
    sheet = book.sheets["甲"]
    sheet.range("A1:B2").merge()
    assert (sheet.range("A1").merge_cells, sheet.range("A1:C1").merge_cells) == (True, None)
    with pytest.raises(xw.ComError):
        sheet.range("B2").value = 1
    with pytest.raises(ValueError):
        sheet.charts.add().chart_type = "column"  # xlwings says "column_clustered"
    app = book.app
    app.status_bar = "正在计算…"
    app.status_bar = False
    app.answers.append("no")
    assert app.alert("继续？", "提示", buttons="yes_no") == "no"
    assert app.alert("完成") == "ok"
    assert app.status_history == ["正在计算…", False]
    assert [a["prompt"] for a in app.alerts] == ["继续？", "完成"]


def test_books_open_from_disk_and_export_pdfs(book_path: Path) -> None:
    app = xw.App()
    book = app.books.open(book_path)
    assert app.books.open(book_path) is book and book.app is app
    assert SCORES.title in book.sheet_names
    pdf = Path(book.to_pdf(book_path.with_name("评分.pdf")))
    assert pdf.read_bytes().startswith(b"%PDF") and book.pdfs == [str(pdf)]
    book.close()
    assert len(app.books) == 0


ORACLE = "tongjia-oracle"


@pytest.fixture(scope="module")
def oracle() -> str:
    """Register an engine under which xlwings' own conversion pipeline can run here.

    Only its value cleaning stands in for Excel's (blanks become ``empty``); the shaping
    under test (scalar, flat list, rows; ``ndim``) is xlwings' code, not ours.
    """
    import xlwings
    from xlwings.main import Engine

    if ORACLE not in xlwings.engines.engines_by_name:
        impl = SimpleNamespace(
            name=ORACLE, type="desktop",
            clean_value_data=lambda data, dates, empty, numbers, err: [
                [empty if value is None else value for value in row] for row in data],
        )
        xlwings.engines.add(Engine(impl=impl))
    return ORACLE


@pytest.mark.parametrize("address", ["A1", "C1", "A1:C1", "B2:C2", "A1:A3", "B2:B3", "A1:C3"])
@pytest.mark.parametrize("options", [{}, {"ndim": 1}, {"ndim": 2}])
def test_the_double_shapes_values_as_xlwings_own_pipeline(
    oracle: str, address: str, options: dict[str, int]
) -> None:
    from xlwings import conversion

    rows = [[1.0, "a", None], [2.5, None, "b"], [None, 3.0, 4.0]]
    rng = xw.Book("形状.xlsx", {"表": rows}).sheets["表"].range(address)
    block = rng.options(ndim=2).value
    try:
        expected = conversion.read(None, block, options, engine_name=oracle)
    except Exception:  # xlwings refuses ndim=1 on a block: so must the double
        with pytest.raises(ValueError):
            rng.options(**options).value  # noqa: B018 - reading is the act under test
        return
    assert rng.options(**options).value == expected
