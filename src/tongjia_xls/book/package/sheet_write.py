"""Patching a worksheet part: the tool's cells, added rows, column widths, its own sheets.

Every change is a splice: a ``<c>`` element the tool owns is replaced, a new one is put in
its place among its row's cells, a new ``<row>`` among the rows; everything else in the
part keeps its bytes. Text is written as an inline string, so the shared-strings part (and
the rich text in it) is never rewritten; text that starts like a formula is written as
text, with the quote prefix the caller's style gives it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from tongjia_xls.book.package import xmltext
from tongjia_xls.book.package.numbers import MAC_EPOCH, WINDOWS_EPOCH, to_excel
from tongjia_xls.book.package.sheet_read import Cell, box, ref_of
from tongjia_xls.book.package.xmltext import Span, XmlShapeError, escape_text

#: The children of ``<worksheet>`` in the order the schema requires.
WORKSHEET_ORDER = (
    b"sheetPr", b"dimension", b"sheetViews", b"sheetFormatPr", b"cols", b"sheetData",
    b"sheetCalcPr", b"sheetProtection", b"protectedRanges", b"scenarios", b"autoFilter",
    b"sortState", b"dataConsolidate", b"customSheetViews", b"mergeCells", b"phoneticPr",
    b"conditionalFormatting", b"dataValidations", b"hyperlinks", b"printOptions",
    b"pageMargins", b"pageSetup", b"headerFooter", b"rowBreaks", b"colBreaks",
    b"customProperties", b"cellWatches", b"ignoredErrors", b"smartTags", b"drawing",
    b"legacyDrawing", b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects",
    b"controls", b"webPublishItems", b"tableParts", b"extLst",
)
KEEP = object()
_ESCAPE_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


@dataclass
class CellEdit:
    """What the tool puts into one cell.

    ``value`` of :data:`KEEP` leaves the value as it is (a style-only change); ``style``
    of ``None`` keeps the cell's style index. ``shared`` makes the cell the master of a
    shared formula, ``(text, ref, si)``, when the master it borrowed from is overwritten.
    """

    value: Any = KEEP
    style: int | None = None
    shared: tuple[str, str, str] | None = None


def patch_cells(data: bytes, edits: Mapping[Cell, CellEdit], *, date1904: bool = False) -> bytes:
    """Return the worksheet ``data`` with ``edits`` applied to its cells."""
    if not edits:
        return data
    top = xmltext.root(data)
    sheet_data = xmltext.child(data, top, b"sheetData")
    if sheet_data is None:
        raise XmlShapeError("worksheet without sheetData")
    data, sheet_data = xmltext.open_up(data, sheet_data)
    prefix = sheet_data.prefix
    rows: list[tuple[int, Span]] = []
    number = 0
    for span in xmltext.iter_children(data, sheet_data):
        if span.local == b"row":
            attrs = span.attrs(data)
            number = int(attrs["r"]) if attrs.get("r") else number + 1
            rows.append((number, span))
    by_number = dict(rows)
    wanted: dict[int, dict[int, CellEdit]] = {}
    for (row, col), edit in edits.items():
        wanted.setdefault(row, {})[col] = edit
    splices = []
    for row in sorted(wanted):
        if row in by_number:
            span = by_number[row]
            new = _patched_row(data[span.start:span.end], row, wanted[row], prefix, date1904)
            splices.append((span.start, span.end, new))
        else:
            at = next((s.start for n, s in rows if n > row), sheet_data.close_start)
            cells = b"".join(_cell(prefix, (row, col), None, edit, date1904)
                             for col, edit in sorted(wanted[row].items()))
            splices.append((at, at, b"<%srow r=\"%d\">%s</%srow>" % (prefix, row, cells, prefix)))
    data = xmltext.splice(data, splices)
    return widen_dimension(data, list(edits))


def _patched_row(row_data: bytes, row: int, edits: dict[int, CellEdit], prefix: bytes,
                 date1904: bool) -> bytes:
    span = xmltext.root(row_data)
    row_data, span = xmltext.open_up(row_data, span)
    cells: list[tuple[int, Span]] = []
    col = 0
    for cell in xmltext.iter_children(row_data, span):
        if cell.local != b"c":
            continue
        ref = cell.attrs(row_data).get("r")
        col = box(ref)[1] if ref else col + 1
        cells.append((col, cell))
    present = dict(cells)
    splices = []
    for col, edit in sorted(edits.items()):
        if col in present:
            old = present[col]
            splices.append((old.start, old.end,
                            _cell(prefix, (row, col), row_data[old.start:old.end], edit,
                                  date1904)))
        else:
            at = next((s.start for c, s in cells if c > col), span.close_start)
            splices.append((at, at, _cell(prefix, (row, col), None, edit, date1904)))
    row_data = xmltext.splice(row_data, splices)
    return _widen_spans(row_data, [c for c, _ in cells] + list(edits))


def _widen_spans(row_data: bytes, cols: Sequence[int]) -> bytes:
    span = xmltext.root(row_data)
    spans = span.attrs(row_data).get("spans")
    if not spans:
        return row_data
    try:
        bounds = [int(n) for part in spans.split() for n in part.split(":")]
    except ValueError:
        return row_data
    first, last = min(bounds + list(cols)), max(bounds + list(cols))
    if (first, last) == (min(bounds), max(bounds)):
        return row_data
    tag = xmltext.set_attrs(span.start_tag(row_data), {"spans": f"{first}:{last}"})
    return tag + row_data[span.open_end:]


def _cell(prefix: bytes, cell: Cell, old: bytes | None, edit: CellEdit, date1904: bool) -> bytes:
    """Return the bytes of one ``<c>`` element after ``edit``."""
    p = prefix.decode()
    if old is None:
        tag = f'<{p}c r="{ref_of(cell)}">'.encode()
        content = b""
    else:
        span = xmltext.root(old)
        tag, content = span.start_tag(old), span.content(old)
    changes: dict[str, str | None] = {}
    if edit.style is not None:
        changes["s"] = str(edit.style) if edit.style else None
    if edit.value is not KEEP:
        kind, content = _content(p, edit.value, date1904)
        changes.update({"t": kind, "cm": None, "vm": None})
    if edit.shared is not None:
        content = _with_shared_master(content, p, *edit.shared)
    tag = xmltext.set_attrs(tag, changes)
    core = tag[:-2].rstrip() if tag.endswith(b"/>") else tag[:-1]
    if not content:
        return core + b"/>"
    return core + b">" + content + f"</{p}c>".encode()


def _content(p: str, value: Any, date1904: bool) -> tuple[str | None, bytes]:
    """Return the ``t`` attribute and the content of a cell holding ``value``."""
    if value is None or value == "":
        return None, b""
    if isinstance(value, bool):
        return "b", f"<{p}v>{int(value)}</{p}v>".encode()
    if isinstance(value, (datetime, date, time)):
        epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        return None, f"<{p}v>{_number(to_excel(value, epoch))}</{p}v>".encode()
    if isinstance(value, (int, float)) or _is_decimal(value):
        number = float(value)
        if not math.isfinite(number):
            return None, b""
        text = str(value) if isinstance(value, int) else _number(number)
        return None, f"<{p}v>{text}</{p}v>".encode()
    text = _ESCAPE_LITERAL.sub(r"_x005F_\1", str(value))
    inline = f'<{p}is><{p}t xml:space="preserve">{escape_text(text)}</{p}t></{p}is>'
    return "inlineStr", inline.encode()


def _number(number: float) -> str:
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _is_decimal(value: Any) -> bool:
    from decimal import Decimal
    from fractions import Fraction

    return isinstance(value, (Decimal, Fraction))


def _with_shared_master(content: bytes, p: str, text: str, ref: str, si: str) -> bytes:
    master = (f'<{p}f t="shared" ref="{ref}" si="{si}">{escape_text(text)}</{p}f>').encode()
    holder = b"<c>" + content + b"</c>"
    span = xmltext.root(holder)
    formula = xmltext.child(holder, span, b"f")
    if formula is None:
        return master + content
    return holder[3:formula.start] + master + holder[formula.end:-4]


def widen_dimension(data: bytes, cells: Sequence[Cell]) -> bytes:
    """Return the worksheet with its ``<dimension>`` covering ``cells`` as well."""
    top = xmltext.root(data)
    dimension = xmltext.child(data, top, b"dimension")
    if dimension is None or not cells:
        return data
    ref = dimension.attrs(data).get("ref", "A1")
    try:
        r1, c1, r2, c2 = box(ref)
    except ValueError:
        return data
    rows = [r for r, _ in cells] + [r1, r2]
    cols = [c for _, c in cells] + [c1, c2]
    first, last = ref_of((min(rows), min(cols))), ref_of((max(rows), max(cols)))
    wanted = first if first == last else f"{first}:{last}"
    if wanted == ref:
        return data
    tag = xmltext.set_attrs(dimension.start_tag(data), {"ref": wanted})
    return data[:dimension.start] + tag + data[dimension.open_end:]


def set_widths(data: bytes, widths: Mapping[int, float]) -> bytes:
    """Return the worksheet with columns ``{column: width}`` set to those widths."""
    for col, width in sorted(widths.items()):
        data = _set_width(data, col, width)
    return data


def _set_width(data: bytes, col: int, width: float) -> bytes:
    top = xmltext.root(data)
    cols = xmltext.child(data, top, b"cols")
    p = top.prefix.decode()
    entry = f'<{p}col min="{col}" max="{col}" width="{width:g}" customWidth="1"/>'.encode()
    if cols is None:
        return insert_child(data, b"<%scols>%s</%scols>" % (p.encode(), entry, p.encode()),
                            b"cols")
    data, cols = xmltext.open_up(data, cols)
    entries = xmltext.children(data, cols)
    for span in entries:
        attrs = span.attrs(data)
        first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
        if not first <= col <= last:
            continue
        tag = span.start_tag(data)
        pieces = []
        if first < col:
            pieces.append(xmltext.set_attrs(tag, {"max": str(col - 1)}))
        pieces.append(xmltext.set_attrs(tag, {"min": str(col), "max": str(col),
                                              "width": f"{width:g}", "customWidth": "1"}))
        if col < last:
            pieces.append(xmltext.set_attrs(tag, {"min": str(col + 1)}))
        pieces = [t if t.endswith(b"/>") else t[:-1] + b"/>" for t in pieces]
        return data[:span.start] + b"".join(pieces) + data[span.end:]
    at = next((s.start for s in entries if int(s.attrs(data).get("min", "0")) > col),
              cols.close_start)
    return data[:at] + entry + data[at:]


def insert_child(data: bytes, element: bytes, local: bytes) -> bytes:
    """Return the worksheet with ``element`` (named ``local``) put where the schema wants it."""
    top = xmltext.root(data)
    later = WORKSHEET_ORDER[WORKSHEET_ORDER.index(local) + 1:]
    at = next((c.start for c in xmltext.iter_children(data, top) if c.local in later),
              top.close_start)
    return data[:at] + element + data[at:]


def replace_sheet_data(data: bytes, rows: Sequence[Mapping[int, CellEdit]],
                       *, date1904: bool = False) -> bytes:
    """Return the worksheet with all its cells replaced by ``rows`` and its merges removed.

    ``rows[i]`` maps column numbers to the cells of row ``i + 1``; used for a sheet the tool
    lays out whole.
    """
    top = xmltext.root(data)
    sheet_data = xmltext.child(data, top, b"sheetData")
    if sheet_data is None:
        raise XmlShapeError("worksheet without sheetData")
    p = sheet_data.prefix
    body = []
    cells: list[Cell] = []
    for number, row in enumerate(rows, start=1):
        if not row:
            continue
        items = b"".join(_cell(p, (number, col), None, edit, date1904)
                         for col, edit in sorted(row.items()))
        body.append(b"<%srow r=\"%d\">%s</%srow>" % (p, number, items, p))
        cells += [(number, col) for col in row]
    new = b"<%ssheetData>%s</%ssheetData>" % (p, b"".join(body), p)
    data = data[:sheet_data.start] + new + data[sheet_data.end:]
    top = xmltext.root(data)
    merges = xmltext.child(data, top, b"mergeCells")
    if merges is not None:
        data = data[:merges.start] + data[merges.end:]
    dimension = xmltext.child(data, xmltext.root(data), b"dimension")
    if dimension is not None:
        reset = xmltext.set_attrs(dimension.start_tag(data), {"ref": "A1"})
        data = data[:dimension.start] + reset + data[dimension.open_end:]
    return widen_dimension(data, cells or [(1, 1)])


def set_sheet_property(data: bytes, name: str, value: str) -> bytes:
    """Return the worksheet with attribute ``name`` of its ``<sheetPr>`` set to ``value``."""
    top = xmltext.root(data)
    props = xmltext.child(data, top, b"sheetPr")
    if props is None:
        element = f'<{top.prefix.decode()}sheetPr {name}="{xmltext.escape_attr(value)}"/>'
        return data[:top.open_end] + element.encode() + data[top.open_end:]
    tag = xmltext.set_attrs(props.start_tag(data), {name: value})
    return data[:props.start] + tag + data[props.open_end:]


def set_row_height(data: bytes, row: int, height: float) -> bytes:
    """Return the worksheet with row ``row`` given the custom height ``height`` (points)."""
    top = xmltext.root(data)
    sheet_data = xmltext.child(data, top, b"sheetData")
    if sheet_data is None:
        raise XmlShapeError("worksheet without sheetData")
    data, sheet_data = xmltext.open_up(data, sheet_data)
    number = 0
    values = {"ht": f"{height:g}", "customHeight": "1"}
    for span in xmltext.iter_children(data, sheet_data):
        attrs = span.attrs(data)
        number = int(attrs["r"]) if attrs.get("r") else number + 1
        if number == row:
            tag = xmltext.set_attrs(span.start_tag(data), values)
            return data[:span.start] + tag + data[span.open_end:]
        if number > row:
            at = span.start
            break
    else:
        at = sheet_data.close_start
    p = sheet_data.prefix.decode()
    element = f'<{p}row r="{row}" ht="{height:g}" customHeight="1"/>'.encode()
    return data[:at] + element + data[at:]
