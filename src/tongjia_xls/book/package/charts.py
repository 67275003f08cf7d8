"""Native charts of the sheet the tool lays out whole (``统计``), as DrawingML parts.

Each chart is a ``chartN.xml`` part drawn by a one-cell anchor in the sheet's drawing. The
tool's anchors are named ``tongjia-xls …`` so that a later run replaces its own charts and
leaves every picture, shape or chart staff put on the same sheet where it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tongjia_xls.book.package import xmltext
from tongjia_xls.book.package.sheet_read import cell_of, ref_of
from tongjia_xls.book.package.xmltext import escape_attr, escape_text

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
#: The name every anchor the tool draws starts with.
MARK = "tongjia-xls"
_EMU_PER_CM = 360000
_CHART_REL = re.compile(rb'<(?:\w+:)?chart\b[^>]*?\b\w+:id="([^"]+)"')
_SHAPE_ID = re.compile(rb'cNvPr\b[^>]*?\bid="(\d+)"')
_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def chart_part(spec: Any, title: str, rows: Sequence[Sequence[Any]]) -> bytes:
    """Return the chart part for ``spec`` over sheet ``title`` whose cells are ``rows``."""
    series = "".join(_series(spec, title, rows, order, col)
                     for order, col in enumerate(spec.value_cols))
    if spec.kind == "pie":
        plot = (f'<c:pieChart><c:varyColors val="1"/>{series}'
                f'<c:firstSliceAng val="0"/></c:pieChart>')
    else:
        horizontal = spec.kind == "bar"
        plot = (f'<c:barChart><c:barDir val="{"bar" if horizontal else "col"}"/>'
                f'<c:grouping val="clustered"/><c:varyColors val="0"/>{series}'
                f'<c:gapWidth val="80"/><c:axId val="500"/><c:axId val="600"/></c:barChart>'
                + _axes(horizontal))
    legend = ("" if spec.kind != "pie" and len(spec.value_cols) == 1 else
              '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>')
    return _DECL + (
        f'<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:roundedCorners val="0"/><c:chart>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="zh-CN" sz="1200" b="1"/><a:t>{escape_text(spec.title)}</a:t></a:r>'
        '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        f'<c:plotArea><c:layout/>{plot}</c:plotArea>{legend}'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:txPr><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1000"><a:latin typeface="宋体"/>'
        '<a:ea typeface="宋体"/></a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>'
        '</c:chartSpace>'
    ).encode()


def _series(spec: Any, title: str, rows: Sequence[Sequence[Any]], order: int, col: int) -> str:
    sheet = "'" + title.replace("'", "''") + "'"
    cats = [_at(rows, r, spec.category_col) for r in range(spec.first_row, spec.last_row + 1)]
    values = [_at(rows, r, col) for r in range(spec.first_row, spec.last_row + 1)]
    name_ref = f"{sheet}!${_col(col)}${spec.header_row}"
    cat_ref = (f"{sheet}!${_col(spec.category_col)}${spec.first_row}:"
               f"${_col(spec.category_col)}${spec.last_row}")
    val_ref = f"{sheet}!${_col(col)}${spec.first_row}:${_col(col)}${spec.last_row}"
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape_text(_text(v))}</c:v></c:pt>'
                     for i, v in enumerate(cats) if v is not None)
    numbers = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values)
                      if isinstance(v, (int, float)) and not isinstance(v, bool))
    name = escape_text(_text(_at(rows, spec.header_row, col)))
    return (
        f'<c:ser><c:idx val="{order}"/><c:order val="{order}"/>'
        f'<c:tx><c:strRef><c:f>{escape_text(name_ref)}</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        + ('<c:invertIfNegative val="0"/>' if spec.kind != "pie" else "")
        + f'<c:cat><c:strRef><c:f>{escape_text(cat_ref)}</c:f><c:strCache>'
        f'<c:ptCount val="{len(cats)}"/>{points}</c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>{escape_text(val_ref)}</c:f><c:numCache>'
        f'<c:formatCode>General</c:formatCode><c:ptCount val="{len(values)}"/>{numbers}'
        '</c:numCache></c:numRef></c:val></c:ser>'
    )


def _axes(horizontal: bool) -> str:
    # A horizontal bar chart lists its categories top-down, as the table beside it does.
    orientation = "maxMin" if horizontal else "minMax"
    cat_pos, val_pos = ("l", "b") if horizontal else ("b", "l")
    return (
        f'<c:catAx><c:axId val="500"/><c:scaling><c:orientation val="{orientation}"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="{cat_pos}"/>'
        '<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="600"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        # Every category labelled (a renderer would otherwise skip some of 21 names).
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:tickLblSkip val="1"/></c:catAx>'
        f'<c:valAx><c:axId val="600"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{val_pos}"/><c:majorGridlines/>'
        '<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="500"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        '</c:valAx>'
    )


def anchor(spec: Any, number: int, shape_id: int, rel_id: str) -> bytes:
    """Return the one-cell anchor that shows chart ``number`` (1-based) at ``spec.anchor``."""
    row, col = cell_of(spec.anchor)
    width = round(spec.width_cm * _EMU_PER_CM)
    height = round(spec.height_cm * _EMU_PER_CM)
    return (
        f'<xdr:oneCellAnchor xmlns:xdr="{DRAWING_NS}" xmlns:a="{A_NS}">'
        f'<xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0</xdr:colOff>'
        f'<xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
        f'<xdr:ext cx="{width}" cy="{height}"/>'
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f'<xdr:cNvPr id="{shape_id}" name="{MARK} {number}" descr="{escape_attr(spec.title)}"/>'
        '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{CHART_NS}"><c:chart xmlns:c="{CHART_NS}" '
        f'xmlns:r="{R_NS}" r:id="{rel_id}"/></a:graphicData></a:graphic></xdr:graphicFrame>'
        '<xdr:clientData/></xdr:oneCellAnchor>'
    ).encode()


def empty_drawing() -> bytes:
    """Return a drawing part with no anchors."""
    return _DECL + f'<xdr:wsDr xmlns:xdr="{DRAWING_NS}" xmlns:a="{A_NS}"></xdr:wsDr>'.encode()


def chart_anchors(drawing: bytes) -> list[tuple[xmltext.Span, str | None, bool]]:
    """Return the anchors of ``drawing`` that show a chart: span, chart rel id, tool's mark."""
    top = xmltext.root(drawing)
    found = []
    for span in xmltext.iter_children(drawing, top):
        body = drawing[span.start:span.end]
        rel = _CHART_REL.search(body)
        if rel is None:
            continue
        found.append((span, rel.group(1).decode(), f'name="{MARK} '.encode() in body))
    return found


def chart_title(chart: bytes) -> str:
    """Return the plain text of a chart part's title (empty if it has none)."""
    title = chart.find(b"title>")
    if title < 0:
        return ""
    end = chart.find(b"title>", title + 6)
    texts = []
    for piece in chart[title:end].split(b"<a:t>")[1:]:
        texts.append(xmltext.unescape(piece.split(b"</a:t>")[0].decode("utf-8", "replace")))
    return "".join(texts)


def max_shape_id(drawing: bytes) -> int:
    """Return the largest shape id used in a drawing part (1 if none)."""
    return max((int(m) for m in _SHAPE_ID.findall(drawing)), default=1)


def _at(rows: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    if row > len(rows) or col > len(rows[row - 1]):
        return None
    return rows[row - 1][col - 1]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _col(col: int) -> str:
    return ref_of((1, col))[:-1]
