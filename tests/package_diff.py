"""An independent comparison of two xlsx packages, for tests of what a save keeps.

Written apart from the tool's own loss guard (``tongjia_xls.book.loss_guard``), with plain
zipfile and lxml, so that a shared mistake cannot hide a loss: it lists every part whose
bytes differ and, for worksheets, every cell and every other element that differs.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class PackageDiff:
    """What differs between an old and a new package."""

    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    elements: dict[str, set[str]] = field(default_factory=dict)
    rows: dict[str, set[int]] = field(default_factory=dict)


def read_parts(path: Path) -> dict[str, bytes]:
    """Return every part of the package at ``path``."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def diff(old: Path, new: Path) -> PackageDiff:
    """Return the differences between packages ``old`` and ``new``."""
    a, b = read_parts(old), read_parts(new)
    out = PackageDiff(missing=sorted(set(a) - set(b)), added=sorted(set(b) - set(a)))
    for name in sorted(set(a) & set(b)):
        if a[name] == b[name]:
            continue
        out.changed.append(name)
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _sheet(name, etree.fromstring(a[name]), etree.fromstring(b[name]), out)
    return out


def _sheet(name: str, a: etree._Element, b: etree._Element, out: PackageDiff) -> None:
    def others(root: etree._Element) -> dict[str, list[bytes]]:
        found: dict[str, list[bytes]] = {}
        for child in root:
            if isinstance(child.tag, str) and child.tag != f"{MAIN}sheetData":
                found.setdefault(etree.QName(child).localname, []).append(_canon(child))
        return found

    old, new = others(a), others(b)
    out.elements[name] = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    old_cells, old_rows = _cells(a)
    new_cells, new_rows = _cells(b)
    out.cells[name] = {c for c in set(old_cells) | set(new_cells)
                       if old_cells.get(c) != new_cells.get(c)}
    out.rows[name] = {r for r in old_rows if old_rows[r] != new_rows.get(r)}


def _cells(root: etree._Element) -> tuple[dict[tuple[int, int], bytes], dict[int, dict]]:
    cells: dict[tuple[int, int], bytes] = {}
    rows: dict[int, dict] = {}
    for row in root.iter(f"{MAIN}row"):
        number = int(row.get("r"))
        attrs = dict(row.attrib)
        attrs.pop("spans", None)
        rows[number] = attrs
        for cell in row.iter(f"{MAIN}c"):
            letters, digits = _REF.match(cell.get("r")).groups()
            col = 0
            for char in letters:
                col = col * 26 + ord(char) - 64
            cells[(int(digits), col)] = _canon(cell)
    return cells, rows


def raw_value(path: Path, title: str, row: int, col: int) -> str | None:
    """Return the text of cell (row, col)'s ``<v>`` on sheet ``title``; None when it has none."""
    root = etree.fromstring(read_parts(path)[sheet_parts(path)[title]])
    for cell in root.iter(f"{MAIN}c"):
        letters, digits = _REF.match(cell.get("r")).groups()
        number = 0
        for char in letters:
            number = number * 26 + ord(char) - 64
        if (int(digits), number) == (row, col):
            value = cell.find(f"{MAIN}v")
            return None if value is None else value.text
    return None


def _canon(node: etree._Element) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=True)


def sheet_parts(path: Path) -> dict[str, str]:
    """Return {sheet title: worksheet part name} of the package at ``path``."""
    parts = read_parts(path)
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    book = etree.fromstring(parts["xl/workbook.xml"])
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {s.get("name"): targets[s.get(rid)] for s in book.iter(f"{MAIN}sheet")}


def styles_appended_only(old: Path, new: Path) -> bool:
    """Return True when every style collection of ``new`` starts with all of ``old``'s."""
    def collections(path: Path) -> dict[str, list[bytes]]:
        root = etree.fromstring(read_parts(path)["xl/styles.xml"])
        return {etree.QName(c).localname: [_canon(x) for x in c]
                for c in root if isinstance(c.tag, str)}

    a, b = collections(old), collections(new)
    return all(b.get(k, [])[:len(v)] == v for k, v in a.items())
