"""The style sheet (``xl/styles.xml``): reading number formats, appending the tool's styles.

A cell points at a cell format (``xf``) by index, so no existing entry may move or change:
the tool only appends, and reuses an entry that is already exactly what it needs. Each
collection's ``count`` is kept true.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from tongjia_xls.book.package import xmltext
from tongjia_xls.book.package.numbers import (
    BUILTIN_FORMATS,
    BUILTIN_IDS,
    is_date_format,
    is_timedelta_format,
)
from tongjia_xls.book.package.parts import MAIN_NS, PackageDamaged, parse
from tongjia_xls.book.package.xmltext import escape_attr

#: Built-in format ids that are dates or times in Chinese (and other East Asian) Excel;
#: they have no entry in ``numFmts``.
CJK_DATE_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))
#: Where each collection stands among the children of ``styleSheet``.
ORDER = (b"numFmts", b"fonts", b"fills", b"borders", b"cellStyleXfs", b"cellXfs",
         b"cellStyles", b"dxfs", b"tableStyles", b"colors", b"extLst")
_FIRST_CUSTOM = 164


@dataclass(frozen=True)
class CellFormat:
    """What the tool sets on a cell: font, fill, border, alignment and number format.

    Colours are ``RRGGBB``; ``fill`` of ``None`` means no fill.
    """

    font: str
    size: float
    bold: bool
    color: str
    fill: str | None
    border_color: str
    horizontal: str | None
    vertical: str
    wrap: bool
    number_format: str


class StyleSheet:
    """The style part of one package, read once and appended to."""

    def __init__(self, data: bytes, name: str = "xl/styles.xml") -> None:
        self.name = name
        self.data = data
        root = parse(data, name)
        ns = f"{{{MAIN_NS}}}"
        self._formats = dict(BUILTIN_FORMATS)
        for fmt in root.iter(f"{ns}numFmt"):
            try:
                self._formats[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
            except ValueError:
                continue
        cell_xfs = root.find(f"{ns}cellXfs")
        if cell_xfs is None:
            raise PackageDamaged(f"{name}: no cellXfs")
        self._xfs = [dict(xf.attrib) for xf in cell_xfs.findall(f"{ns}xf")]
        self._root = root
        self._known: dict[bytes, dict[bytes, int]] = {}
        self.changed = False

    # -- reading ---------------------------------------------------------------------

    def number_format(self, style: int) -> str:
        """Return the number format code of cell format ``style`` (``General`` if unknown)."""
        if not 0 <= style < len(self._xfs):
            return "General"
        try:
            number = int(self._xfs[style].get("numFmtId", "0"))
        except ValueError:
            return "General"
        if number in CJK_DATE_IDS and number not in self._formats:
            return 'yyyy"年"m"月"d"日"'
        return self._formats.get(number, "General")

    def is_date(self, style: int) -> bool:
        """Return True when cell format ``style`` shows numbers as dates or times."""
        return is_date_format(self.number_format(style))

    def is_timedelta(self, style: int) -> bool:
        """Return True when cell format ``style`` shows numbers as durations (``[h]:mm``)."""
        return is_timedelta_format(self.number_format(style))

    def quote_prefix(self, style: int) -> bool:
        """Return True when cell format ``style`` keeps typed text from becoming a formula."""
        return 0 <= style < len(self._xfs) and self._xfs[style].get("quotePrefix") in ("1", "true")

    # -- appending -------------------------------------------------------------------

    def with_quote_prefix(self, style: int) -> int:
        """Return a cell format like ``style`` that also has the quote prefix."""
        if self.quote_prefix(style):
            return style
        tag, rest = self._xf_parts(style)
        tag = xmltext.set_attrs(tag, {"quotePrefix": "1"})
        return self._add(b"cellXfs", tag + rest)

    def with_number_format(self, style: int, code: str) -> int:
        """Return a cell format like ``style`` but showing numbers with format ``code``."""
        if self.number_format(style) == code:
            return style
        tag, rest = self._xf_parts(style)
        tag = xmltext.set_attrs(tag, {"numFmtId": str(self._number_format_id(code)),
                                      "applyNumberFormat": "1"})
        return self._add(b"cellXfs", tag + rest)

    def cell_format(self, fmt: CellFormat) -> int:
        """Return the index of a cell format with exactly ``fmt``, appended if needed."""
        bold = "<b/>" if fmt.bold else ""
        font = self._add(b"fonts", (
            f'<font>{bold}<sz val="{fmt.size:g}"/><color rgb="FF{fmt.color}"/>'
            f'<name val="{escape_attr(fmt.font)}"/><family val="3"/><charset val="134"/></font>'
        ).encode())
        fill = 0
        if fmt.fill:
            fill = self._add(b"fills", (
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fmt.fill}"/>'
                f'<bgColor rgb="FF{fmt.fill}"/></patternFill></fill>'
            ).encode())
        side = f'style="thin"><color rgb="FF{fmt.border_color}"/>'
        border = self._add(b"borders", (
            f"<border><left {side}</left><right {side}</right><top {side}</top>"
            f"<bottom {side}</bottom><diagonal/></border>"
        ).encode())
        horizontal = f' horizontal="{fmt.horizontal}"' if fmt.horizontal else ""
        wrap = ' wrapText="1"' if fmt.wrap else ""
        number = self._number_format_id(fmt.number_format)
        return self._add(b"cellXfs", (
            f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" '
            f'xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" '
            f'applyAlignment="1"><alignment{horizontal} vertical="{fmt.vertical}"{wrap}/></xf>'
        ).encode())

    # -- internals -------------------------------------------------------------------

    def _xf_parts(self, style: int) -> tuple[bytes, bytes]:
        """Return the start tag and the rest of cell format ``style``, as bytes to copy."""
        top = xmltext.root(self.data)
        xfs = xmltext.child(self.data, top, b"cellXfs")
        assert xfs is not None
        entries = xmltext.children(self.data, xfs)
        if not 0 <= style < len(entries):
            style = 0
        if not entries:
            return b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0">', b"</xf>"
        xf = entries[style]
        whole = self.data[xf.start:xf.end]
        # The copy is written without the file's prefix and is re-read in the default space.
        tag = xf.start_tag(self.data).replace(b"<" + xf.name, b"<xf", 1)
        if xf.empty:
            return tag[:-2].rstrip() + b">", b"</xf>"
        inner = whole[len(xf.start_tag(self.data)):len(whole) - (xf.end - xf.close_start)]
        if xf.prefix:
            inner = inner.replace(b"<" + xf.prefix, b"<").replace(b"</" + xf.prefix, b"</")
        return tag, inner + b"</xf>"

    def _number_format_id(self, code: str) -> int:
        if code in BUILTIN_IDS:
            return int(BUILTIN_IDS[code])
        for number, existing in self._formats.items():
            if existing == code and number >= _FIRST_CUSTOM:
                return number
        number = max([_FIRST_CUSTOM - 1, *self._formats]) + 1
        self._add(b"numFmts", f'<numFmt numFmtId="{number}" formatCode="{escape_attr(code)}"/>'
                  .encode())
        self._formats[number] = code
        return number

    def _add(self, collection: bytes, element: bytes) -> int:
        """Return the index of ``element`` in ``collection``, appending it if it is new."""
        known = self._entries(collection)
        key = _canonical(element)
        if key in known:
            return known[key]
        data = self.data
        top = xmltext.root(data)
        span = xmltext.child(data, top, collection)
        if span is None:
            at = _insert_at(data, top, collection)
            empty = f"<{top.prefix.decode()}{collection.decode()} count=\"0\"/>".encode()
            data = data[:at] + empty + data[at:]
            top = xmltext.root(data)
            span = xmltext.child(data, top, collection)
            assert span is not None
        data, span = xmltext.open_up(data, span)
        if span.prefix:
            element = _prefixed(element, span.prefix)
        index = len(xmltext.children(data, span))
        data = data[:span.close_start] + element + data[span.close_start:]
        tag = xmltext.set_attrs(span.start_tag(data), {"count": str(index + 1)})
        self.data = data[:span.start] + tag + data[span.open_end:]
        known[key] = index
        if collection == b"cellXfs":
            self._xfs.append({k: v for k, v in
                              etree.fromstring(_in_main(element))[0].attrib.items()})
        self.changed = True
        return index

    def _entries(self, collection: bytes) -> dict[bytes, int]:
        if collection not in self._known:
            found: dict[bytes, int] = {}
            node = self._root.find(f"{{{MAIN_NS}}}{collection.decode()}")
            if node is not None:
                for index, item in enumerate(node):
                    if isinstance(item.tag, str):
                        found.setdefault(etree.tostring(item, method="c14n", exclusive=True),
                                         index)
            self._known[collection] = found
        return self._known[collection]


def _canonical(element: bytes) -> bytes:
    canonical: bytes = etree.tostring(etree.fromstring(_in_main(element))[0], method="c14n",
                                      exclusive=True)
    return canonical


def _in_main(element: bytes) -> bytes:
    return b'<w xmlns="' + MAIN_NS.encode() + b'">' + element + b"</w>"


def _prefixed(element: bytes, prefix: bytes) -> bytes:
    return element.replace(b"</", b"\x00").replace(b"<", b"<" + prefix).replace(
        b"\x00", b"</" + prefix)


def _insert_at(data: bytes, top: xmltext.Span, collection: bytes) -> int:
    later = ORDER[ORDER.index(collection) + 1:]
    for child in xmltext.iter_children(data, top):
        if child.local in later:
            return child.start
    return top.close_start
