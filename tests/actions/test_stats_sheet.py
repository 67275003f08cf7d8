"""The charts of 统计: under the tables, stacked, covering no cell and no other chart."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from tongjia_xls.actions.stats_sheet import chart_rows, stats_layout
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.package.sheet_read import cell_of
from tongjia_xls.sheets.schema import GRADES, STATS

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "r": "http://schemas.openxmlformats.org/package/2006/relationships",
}
EMU_PER_PX, EMU_PER_PT = 9525, 12700
ORGS = [f"童家镇第{n}村" for n in range(1, 20)] + ["南华路社区", "买买提·吐尔逊村"]


def _layout(orgs: list[str] = ORGS):  # type: ignore[no-untyped-def]
    scores = [(org, 80 + i % 15, GRADES[i % 4], GRADES[i % 3] if i % 2 else None)
              for i, org in enumerate(orgs)]
    scenarios = [("常规考核权重 +10%", 3, orgs[:12]), ("实地调研权重 -10%", 0, [])]
    return stats_layout("童家镇2023年度述职评议考核统计", scores,
                        dict.fromkeys(orgs, "合格"), {o: (True, False) for o in orgs},
                        ["“较好”及以下至少 4 个（21 个的 15%）", "已确定等次 10 个"], scenarios)


def test_charts_stand_under_the_tables_one_below_the_other() -> None:
    for orgs in (ORGS, ORGS[:5], []):
        layout = _layout(orgs)
        last_data = len(layout.rows)
        bottom = last_data
        for chart in layout.charts:
            row, col = cell_of(chart.anchor)
            assert col == 1 and row > bottom + 1  # a blank row above each chart
            bottom = row + chart_rows(chart.height_cm) - 1
        assert len(layout.charts) == (2 if orgs else 1)


def _rectangles(path: Path) -> tuple[tuple[int, int, int, int], list[tuple[int, int, int, int]]]:
    """Return the used cells of 统计 and its charts' anchors, as EMU boxes (x0, y0, x1, y1)."""
    with zipfile.ZipFile(path) as package:
        workbook = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        rid = workbook.find(f"m:sheets/m:sheet[@name='{STATS.title}']", NS).get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = rels.find(f"r:Relationship[@Id='{rid}']", NS).get("Target")
        part = str(PurePosixPath("xl") / target.lstrip("/").removeprefix("xl/"))
        sheet = etree.fromstring(package.read(part))
        sheet_rels = etree.fromstring(package.read(re.sub(r"([^/]+)$", r"_rels/\1.rels", part)))
        drawing_target = next(r.get("Target") for r in sheet_rels.findall("r:Relationship", NS)
                              if r.get("Type").endswith("/drawing"))
        drawing_part = str(PurePosixPath(part).parent / drawing_target).replace(
            "worksheets/../", "")
        drawing = etree.fromstring(package.read(drawing_part))

    widths: dict[int, float] = {}
    for col in sheet.findall("m:cols/m:col", NS):
        for index in range(int(col.get("min")), int(col.get("max")) + 1):
            widths[index] = float(col.get("width"))
    fmt = sheet.find("m:sheetFormatPr", NS)
    default_height = float(fmt.get("defaultRowHeight", 15)) if fmt is not None else 15.0
    heights = {int(r.get("r")): float(r.get("ht")) for r in sheet.iterfind(".//m:row", NS)
               if r.get("ht")}

    def col_emu(col: int) -> int:  # width of 1-based column ``col``
        return int(widths.get(col, 8.43) * 7 + 5) * EMU_PER_PX

    def row_emu(row: int) -> int:
        return round(heights.get(row, default_height) * EMU_PER_PT)

    def x_of(col: int) -> int:  # left edge of 1-based column ``col``
        return sum(col_emu(c) for c in range(1, col))

    def y_of(row: int) -> int:
        return sum(row_emu(r) for r in range(1, row))

    used_rows, used_cols = 0, 0
    for cell in sheet.iterfind(".//m:c", NS):
        if cell.find("m:v", NS) is not None or cell.find("m:is", NS) is not None:
            row, col = cell_of(cell.get("r"))
            used_rows, used_cols = max(used_rows, row), max(used_cols, col)
    used = (0, 0, x_of(used_cols + 1), y_of(used_rows + 1))

    charts = []
    for anchor in drawing:
        start = anchor.find("xdr:from", NS)
        col = int(start.find("xdr:col", NS).text) + 1
        row = int(start.find("xdr:row", NS).text) + 1
        x0 = x_of(col) + int(start.find("xdr:colOff", NS).text)
        y0 = y_of(row) + int(start.find("xdr:rowOff", NS).text)
        ext = anchor.find("xdr:ext", NS)
        if ext is not None:
            charts.append((x0, y0, x0 + int(ext.get("cx")), y0 + int(ext.get("cy"))))
        else:  # a two-cell anchor
            end = anchor.find("xdr:to", NS)
            x1 = x_of(int(end.find("xdr:col", NS).text) + 1) + int(end.find("xdr:colOff", NS).text)
            y1 = y_of(int(end.find("xdr:row", NS).text) + 1) + int(end.find("xdr:rowOff", NS).text)
            charts.append((x0, y0, x1, y1))
    return used, charts


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_written_charts_cover_no_cell_and_no_other_chart(book_path: Path) -> None:
    layout = _layout()
    with Workbook.open(book_path) as book:
        book.rewrite(STATS, layout.rows, layout.looks, layout.charts, layout.widths)
        book.save()
    used, charts = _rectangles(book_path)
    assert len(charts) == 2
    assert used[3] > 0 and used[2] > 0
    for index, chart in enumerate(charts):
        assert not _overlap(chart, used), (chart, used)
        assert chart[0] == 0 and chart[2] <= used[2] + 5 * EMU_PER_PX  # as wide as the tables
        for other in charts[index + 1:]:
            assert not _overlap(chart, other), (chart, other)
