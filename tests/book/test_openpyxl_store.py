"""Text the tool writes into a workbook it builds stays text, with Excel's quote prefix."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tongjia_xls.book.openpyxl_backend import store


@pytest.mark.parametrize(("value", "prefixed"), [
    ("=SUM(A1:A3)", True), ("+86 138 0000 0000", True), ("-无", True), ("@所有人", True),
    ("青杠湾村", False), ("90=好", False), (" =A1", False), (90, False),
])
def test_formula_like_text_is_stored_as_text_with_the_quote_prefix(
    tmp_path: Path, value: object, prefixed: bool
) -> None:
    book = openpyxl.Workbook()
    store(book.active["A1"], value)
    path = tmp_path / "总表.xlsx"
    book.save(path)
    cell = openpyxl.load_workbook(path).active["A1"]
    assert cell.value == value
    assert bool(cell.quotePrefix) is prefixed
    if prefixed:
        assert cell.data_type == "s"
