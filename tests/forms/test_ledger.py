"""The exported 整改台账: printable on A4 landscape, rows as tall as their text, names whole."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from tongjia_xls.forms.ledger import (
    line_count,
    row_height,
    write_ledger_docx,
    write_ledger_xlsx,
)
from tongjia_xls.forms.pdf import to_pdf
from tongjia_xls.rectification.ledger import Item, track
from tongjia_xls.settings import Settings

SETTINGS = Settings()
TODAY = date(2024, 3, 1)
LONG = ("村级阵地建设滞后，党员活动室长期被挪作他用，三会一课记录不全，"
        "组织生活会查摆问题不够深入，批评和自我批评辣味不足，整改措施针对性不强。") * 2
ITEMS = [
    Item("青杠湾村", "短", "述职报告", "明确专人负责", "张三", date(2024, 3, 10), "整改中"),
    Item("松林坪村", LONG[:60], "巡察反馈", LONG[:40], "买买提•吐尔逊、张三",
         date(2024, 2, 1), "未开始"),
    Item("白鹭溪村", LONG, "述职报告", LONG, "阿依古丽・买买提", date(2024, 6, 30), "整改中"),
]


def _rows() -> list[tuple[Item, object]]:
    return [(item, track(item, TODAY)) for item in ITEMS]


def test_lines_are_counted_from_the_column_width() -> None:
    assert line_count("短", 36) == 1
    assert line_count("汉" * 17, 36) == 1 and line_count("汉" * 18, 36) == 2
    assert line_count("a" * 34, 36) == 1  # ASCII is half as wide
    assert line_count("甲\n乙\n丙", 36) == 3
    assert line_count(None, 10) == 1
    assert row_height(["短"]) < row_height([LONG[:60]]) < row_height([LONG])


def test_rows_grow_with_their_text_and_the_sheet_prints_on_a4_landscape(tmp_path: Path) -> None:
    path = write_ledger_xlsx(_rows(), SETTINGS, tmp_path, TODAY)
    wb = openpyxl.load_workbook(path)
    ws = wb["按党组织"]
    by_org = {ws.cell(row=r, column=2).value: r for r in range(4, 7)}
    heights = [ws.row_dimensions[by_org[o]].height for o in ("青杠湾村", "松林坪村", "白鹭溪村")]
    assert heights[0] < heights[1] < heights[2]
    # The longest text (78 汉字 in 36 characters' width: 5 lines) has room for every line.
    assert heights[2] >= 5 * 11 * 1.4
    owner = ws.cell(row=by_org["松林坪村"], column=6)
    assert owner.value == "买买提·吐尔逊、\n张三"
    assert all(ws.cell(row=by_org["白鹭溪村"], column=c).alignment.wrap_text for c in (4, 5, 6))
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$3:$3"


def test_word_ledger_puts_each_name_on_its_own_line(tmp_path: Path) -> None:
    path = write_ledger_docx(_rows(), SETTINGS, tmp_path, TODAY)
    document = docx.Document(str(path))
    owners = [t.cell(1, 4) for t in document.tables]
    texts = sorted("|".join(p.text for p in cell.paragraphs) for cell in owners)
    assert texts == ["买买提·吐尔逊、|张三", "张三", "阿依古丽·买买提"]


# -- rendered by LibreOffice ------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return found


def _layout_text(pdf: Path) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def test_printed_ledger_shows_all_text_and_names_whole(tmp_path: Path, soffice: str) -> None:
    for write in (write_ledger_xlsx, write_ledger_docx):
        pdf = to_pdf(write(_rows(), SETTINGS, tmp_path, TODAY), tmp_path / "pdf",
                     soffice=soffice)
        text = _layout_text(pdf)
        lines = text.splitlines()
        for name in ("买买提·吐尔逊", "阿依古丽·买买提"):
            assert any(name in line for line in lines), (write.__name__, name)
        # Nothing is cut off: every character of every cell is printed (the columns of a
        # row are read side by side, so count characters rather than look for sentences).
        cells = [t for item in ITEMS for t in (item.problem, item.measure or "")]
        sheets = 2 if write is write_ledger_xlsx else 1
        for mark in ("辣", "强", "针"):
            assert text.count(mark) == sheets * sum(c.count(mark) for c in cells), mark
