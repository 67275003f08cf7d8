"""The parts around a worksheet the tool may touch: its tables and its charts' drawing.

A table's header row must name its columns exactly as the header cells read, so when the
tool writes a header cell inside a table, the table's column name follows. On the sheet the
tool lays out whole, its own charts are replaced and every other anchor of the drawing (a
picture, a shape, a chart staff added) stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tongjia_xls.book.loss_guard import Claims
from tongjia_xls.book.package import charts, xmltext
from tongjia_xls.book.package.parts import REL, Package, parse, rels_name
from tongjia_xls.book.package.sheet_read import Cell, box
from tongjia_xls.book.package.sheet_write import insert_child

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sync_table_headers(package: Package, sheet: str, written: Mapping[Cell, Any],
                       claims: Claims) -> None:
    """Rename the table columns whose header cell the tool wrote."""
    for table in package.related(sheet, "table"):
        data = package.read(table)
        root = parse(data, table)
        if root.get("headerRowCount", "1") == "0" or not root.get("ref"):
            continue
        r1, c1, _, c2 = box(root.get("ref", ""))
        renames = {col - c1: str(value) for (row, col), value in written.items()
                   if row == r1 and c1 <= col <= c2 and value not in (None, "")}
        if not renames:
            continue
        top = xmltext.root(data)
        columns = xmltext.child(data, top, b"tableColumns")
        if columns is None:
            continue
        edits = []
        for position, column in enumerate(xmltext.children(data, columns)):
            if position in renames:
                tag = xmltext.set_attrs(column.start_tag(data), {"name": renames[position]})
                edits.append((column.start, column.open_end, tag))
        package.write(table, xmltext.splice(data, edits))
        claims.tables.add(table)


def replace_charts(package: Package, sheet: str, sheet_data: bytes, title: str,
                   specs: Sequence[Any], rows: Sequence[Sequence[Any]], claims: Claims) -> bytes:
    """Replace the tool's charts on ``sheet`` with ``specs``; return the sheet's new bytes."""
    drawings = package.related(sheet, "drawing")
    titles = {spec.title for spec in specs}
    if drawings:
        drawing = drawings[0]
        _drop_tool_charts(package, drawing, titles, claims)
    elif specs:
        drawing = package.free_name("xl/drawings/drawing{}.xml")
        package.write(drawing, charts.empty_drawing())
        package.add_override(drawing, charts.DRAWING_TYPE)
        rel_id = package.add_rel(sheet, f"{REL}/drawing", drawing)
        top = xmltext.root(sheet_data)
        element = (f'<{top.prefix.decode()}drawing xmlns:r="{REL}" r:id="{rel_id}"/>').encode()
        sheet_data = insert_child(sheet_data, element, b"drawing")
        claims.added |= {drawing, rels_name(drawing)}
    else:
        return sheet_data
    data = package.read(drawing)
    shape = charts.max_shape_id(data)
    anchors = []
    for number, spec in enumerate(specs, start=1):
        part = package.free_name("xl/charts/chart{}.xml")
        package.write(part, charts.chart_part(spec, title, rows))
        package.add_override(part, charts.CHART_TYPE)
        rel_id = package.add_rel(drawing, f"{REL}/chart", part)
        shape += 1
        anchors.append(charts.anchor(spec, number, shape, rel_id))
        claims.added.add(part)
    data = package.read(drawing)
    top = xmltext.root(data)
    data, top = xmltext.open_up(data, top)
    package.write(drawing, data[:top.close_start] + b"".join(anchors) + data[top.close_start:])
    claims.drawings.setdefault(drawing, set())
    return sheet_data


def count_tool_charts(package: Package, sheet: str) -> int:
    """Return how many charts the tool drew on ``sheet``."""
    total = 0
    for drawing in package.related(sheet, "drawing"):
        total += sum(1 for _, _, marked in charts.chart_anchors(package.read(drawing)) if marked)
    return total


def _drop_tool_charts(package: Package, drawing: str, titles: set[str], claims: Claims) -> None:
    data = package.read(drawing)
    rels = {r.id: r for r in package.rels(drawing)}
    edits = []
    replaced = claims.drawings.setdefault(drawing, set())
    for span, rel_id, marked in charts.chart_anchors(data):
        rel = rels.get(rel_id or "")
        if rel is None or rel.external:
            continue
        # Charts drawn before the mark existed are known by their titles.
        if not marked and charts.chart_title(package.read(rel.target)) not in titles:
            continue
        edits.append((span.start, span.end, b""))
        replaced.add(rel.id)
        for part in [rel.target, *package.related(rel.target, "chartStyle"),
                     *package.related(rel.target, "chartColorStyle")]:
            package.remove(part)
            package.remove_override(part)
            claims.removed |= {part, rels_name(part)}
        package.remove_rels_to(drawing, rel.target)
    if edits:
        package.write(drawing, xmltext.splice(data, edits))
