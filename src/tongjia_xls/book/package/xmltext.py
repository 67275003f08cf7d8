"""Byte-level editing of XML parts: find an element's span, change an attribute, splice.

The file backend changes a part by replacing the bytes of the few elements it owns and
copying every other byte as it stands, so a part the tool touches keeps its namespace
prefixes, attribute order, whitespace and entity spelling. This module knows tags and spans,
nothing of spreadsheets. It expects what Office programs write: well-formed UTF-8 XML. What
it cannot follow raises :class:`XmlShapeError`; the loss guard parses every changed part
with a real XML parser before a save, so a wrong splice can never reach the disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape as _escape

# A start, end or empty-element tag (attribute values may hold '>'), or something to skip.
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>]*>"
    rb"|<(/?)([^\s/>!?]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ATTR = re.compile(rb"([^\s=/]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_NAME = re.compile(rb"<[^\s/>]+")


class XmlShapeError(ValueError):
    """A part is not XML of the shape expected; nothing is written from it."""


@dataclass(frozen=True)
class Span:
    """One element of a part, by byte offsets.

    ``start`` is its ``<``, ``open_end`` the byte after its start tag, ``close_start`` the
    ``<`` of its end tag and ``end`` the byte after it; for an empty element
    (``<x/>``) the last three are equal.
    """

    name: bytes
    start: int
    open_end: int
    close_start: int
    end: int

    @property
    def local(self) -> bytes:
        """Return the name without its namespace prefix."""
        return self.name.rpartition(b":")[2]

    @property
    def prefix(self) -> bytes:
        """Return the namespace prefix with its colon (``b"x:"``), or ``b""``."""
        head, colon, _ = self.name.rpartition(b":")
        return head + colon

    @property
    def empty(self) -> bool:
        """Return True for an element written as ``<x .../>``."""
        return self.open_end == self.end

    def start_tag(self, data: bytes) -> bytes:
        """Return the start tag's bytes."""
        return data[self.start:self.open_end]

    def content(self, data: bytes) -> bytes:
        """Return the bytes between the start and end tags."""
        return data[self.open_end:self.close_start]

    def attrs(self, data: bytes) -> dict[str, str]:
        """Return the start tag's attributes, unescaped, by qualified name."""
        return tag_attrs(self.start_tag(data))


def tag_attrs(tag: bytes) -> dict[str, str]:
    """Return the attributes of a start tag's bytes, unescaped, by qualified name."""
    found = {}
    name = _NAME.match(tag)
    for match in _ATTR.finditer(tag, name.end() if name else 0):
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        found[match.group(1).decode()] = unescape(raw.decode("utf-8"))
    return found


def unescape(text: str) -> str:
    """Return ``text`` with XML entities and character references resolved."""
    if "&" not in text:
        return text
    return re.sub(r"&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);", _entity, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}[name]


def escape_text(text: str) -> str:
    """Return ``text`` escaped for element content."""
    return _escape(text).replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    """Return ``text`` escaped for a double-quoted attribute value."""
    return _escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def root(data: bytes) -> Span:
    """Return the document element of a part."""
    for match in _TOKEN.finditer(data):
        if match.group(2) is None:
            continue
        if match.group(1):
            break
        return _finish(data, match)
    raise XmlShapeError("no document element")


def children(data: bytes, parent: Span) -> list[Span]:
    """Return the child elements of ``parent``, in document order."""
    return list(iter_children(data, parent))


def iter_children(data: bytes, parent: Span) -> Iterator[Span]:
    """Yield the child elements of ``parent``, jumping over each child's own content."""
    pos, stop = parent.open_end, parent.close_start
    while pos < stop:
        match = _TOKEN.search(data, pos, stop)
        if match is None:
            return
        if match.group(2) is None:
            pos = match.end()
            continue
        if match.group(1):
            raise XmlShapeError(f"unexpected end tag {match.group(2)!r} at {match.start()}")
        child = _finish(data, match)
        yield child
        pos = child.end


def child(data: bytes, parent: Span, local: bytes) -> Span | None:
    """Return the first child of ``parent`` named ``local`` (any prefix), or ``None``."""
    return next((c for c in iter_children(data, parent) if c.local == local), None)


def _finish(data: bytes, match: re.Match[bytes]) -> Span:
    """Return the span of the element whose start tag is ``match``."""
    name = match.group(2)
    if match.group(3).rstrip().endswith(b"/"):
        return Span(name, match.start(), match.end(), match.end(), match.end())
    depth = 1
    for tag in _same_name(name).finditer(data, match.end()):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return Span(name, match.start(), match.end(), tag.start(), tag.end())
        elif not tag.group(2).rstrip().endswith(b"/"):
            depth += 1
    raise XmlShapeError(f"element {name!r} at {match.start()} is not closed")


@lru_cache(maxsize=256)
def _same_name(name: bytes) -> re.Pattern[bytes]:
    # Only tags of the same name change the depth, so nested content is skipped at C speed.
    attrs = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    return re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])" + attrs)


def set_attrs(tag: bytes, values: Mapping[str, str | None]) -> bytes:
    """Return a start tag with attributes set (a value) or removed (``None``).

    An attribute already present keeps its place; a new one is added at the end.
    """
    for name, value in values.items():
        pattern = re.compile(rb"\s" + re.escape(name.encode()) + rb"\s*=\s*(\"[^\"]*\"|'[^']*')")
        match = pattern.search(tag)
        if value is None:
            if match:
                tag = tag[:match.start()] + tag[match.end():]
            continue
        text = f' {name}="{escape_attr(value)}"'.encode()
        if match:
            tag = tag[:match.start()] + text + tag[match.end():]
        else:
            close = len(tag) - (2 if tag.endswith(b"/>") else 1)
            while close > 0 and tag[close - 1:close].isspace():
                close -= 1
            tag = tag[:close] + text + tag[close:]
    return tag


def splice(data: bytes, edits: Iterable[tuple[int, int, bytes]]) -> bytes:
    """Return ``data`` with each ``(start, end, replacement)`` applied; spans must not overlap.

    An insertion is an edit whose start equals its end; several at one offset keep their
    order.
    """
    ordered = sorted(enumerate(edits), key=lambda item: (item[1][0], item[1][1], item[0]))
    out: list[bytes] = []
    pos = 0
    for _, (start, end, replacement) in ordered:
        if start < pos:
            raise XmlShapeError("overlapping edits")
        out.append(data[pos:start])
        out.append(replacement)
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def open_up(data: bytes, span: Span) -> tuple[bytes, Span]:
    """Return ``data`` with an empty element ``<x/>`` rewritten as ``<x></x>``, and its span.

    Children can then be inserted at ``span.close_start``.
    """
    if not span.empty:
        return data, span
    tag = span.start_tag(data)
    opened = tag[:-2].rstrip() + b">"
    closing = b"</" + span.name + b">"
    data = data[:span.start] + opened + closing + data[span.end:]
    open_end = span.start + len(opened)
    return data, Span(span.name, span.start, open_end, open_end, open_end + len(closing))
