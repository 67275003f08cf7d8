"""The gateway behaves the same over any backend that keeps the Backend protocol.

Three backends serve the same assertions here: the in-place file backend, a plain in-memory
grid standing for any other, and the xlwings backend of the buttons over a double of xlwings'
API (``tests/xlwings_double/``) opened on the same file. What this shows: the gateway's logic
lives above the protocol, not in a backend.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import xlwings_double
from tongjia_xls.book.file_backend import FileBackend
from tongjia_xls.book.gateway import ChartSpec, Workbook
from tongjia_xls.book.look import Look
from tongjia_xls.book.xlwings_backend import XlwingsBackend
from tongjia_xls.errors import Diagnostic
from tongjia_xls.sheets.schema import RECTIFICATION, SCORES, STATS


class GridBackend:
    """Sheets as lists of rows in memory; the least a backend can be."""

    def __init__(self, grids: dict[str, list[list[Any]]]) -> None:
        self.grids = grids
        self.changed = False
        self.load_diagnostics: list[Diagnostic] = []
        self.styled: dict[tuple[str, int, int], Look] = {}
        self.charts: dict[str, list[Any]] = {}
        self.saves = 0

    @property
    def label(self) -> str:
        return "内存工作簿"

    def sheet_titles(self) -> list[str]:
        return list(self.grids)

    def read_grid(self, title: str) -> list[list[Any]]:
        return [list(row) for row in self.grids[title]]

    def write_cells(
        self, title: str, cells: Mapping[tuple[int, int], Any]
    ) -> list[tuple[int, int]]:
        grid = self.grids[title]
        for (row, col), value in cells.items():
            while len(grid) < row:
                grid.append([])
            while len(grid[row - 1]) < col:
                grid[row - 1].append(None)
            grid[row - 1][col - 1] = value
            self.changed = True
        return []

    def format_cells(self, title: str, cells: Mapping[tuple[int, int], tuple[Look, str]]) -> None:
        for (row, col), (look, _) in cells.items():
            self.styled[(title, row, col)] = look

    def set_width(self, title: str, column: int, width: float) -> None:
        pass

    def rewrite_sheet(self, title: str, rows: Any, looks: Any, charts: Any) -> None:
        self.grids[title] = [list(row) for row in rows]
        self.charts[title] = list(charts)
        self.changed = True

    def chart_count(self, title: str) -> int:
        return len(self.charts.get(title, []))

    def save(self) -> Path | None:
        self.saves += 1
        self.changed = False
        return None


@pytest.fixture(params=["file", "grid", "xlwings"])
def book(request: pytest.FixtureRequest, book_path: Path) -> Workbook:
    if request.param == "xlwings":
        return Workbook(XlwingsBackend(xlwings_double.Book.from_file(book_path)))
    files = FileBackend.open(book_path)
    if request.param == "file":
        return Workbook(files)
    return Workbook(GridBackend({t: files.read_grid(t) for t in files.sheet_titles()}))


def test_update_by_key_then_read_back(book: Workbook) -> None:
    report = book.update(SCORES, {"松林坪村": {"composite": 93.25, "rank": "1"}})
    assert report.changed == 2
    assert book.read(SCORES).by_key()["松林坪村"]["composite"] == 93.25


def test_the_second_identical_write_changes_nothing(book: Workbook) -> None:
    values = {"松林坪村": {"composite": 93.25}, "青杠湾村": {"composite": 88}}
    book.update(SCORES, values)
    book.save()
    assert book.update(SCORES, values).changed == 0
    assert not book.changed


def test_unknown_keys_are_listed_or_added(book: Workbook) -> None:
    assert book.update(SCORES, {"新村": {"composite": 1}}).missing_keys == ["新村"]
    report = book.update(SCORES, {"新村": {"composite": 1}}, add_missing=True)
    assert len(report.added_rows) == 1
    assert book.read(SCORES).by_key()["新村"]["composite"] == 1


def test_appended_rows_land_below_the_table(book: Workbook) -> None:
    book.append(RECTIFICATION, [{"org": "青杠湾村", "problem": "甲"}])
    book.append(RECTIFICATION, [{"org": "松林坪村", "problem": "乙"}])
    assert [(r.row, r["problem"]) for r in book.read(RECTIFICATION)] == [(2, "甲"), (3, "乙")]


def test_a_tool_sheet_is_rewritten_whole_and_only_when_it_changes(book: Workbook) -> None:
    chart = ChartSpec("column", "得分", 1, 2, 3, 1, (2,), "D2")
    rows = [["统计"], ["青杠湾村", 95.5], ["松林坪村", 88]]
    book.rewrite(STATS, rows, charts=[chart])
    assert book.backend.chart_count(STATS.title) == 1
    book.save()
    book.rewrite(STATS, rows, charts=[chart])
    assert not book.changed
    book.rewrite(STATS, [["统计"]], charts=[])
    assert book.backend.chart_count(STATS.title) == 0
    with pytest.raises(ValueError):
        book.rewrite(SCORES, rows)
