"""An OOXML package in memory: parts as bytes, content types and relationships.

:class:`Package` reads a zip once and hands out each part's bytes; a part nobody changes is
written back exactly as it was read, under its own name, in its own place in the zip, with
its own compression and time stamp. Changes are made through small calls (replace a part,
add one, drop one, add or drop a relationship or a content type), each a splice of the
bytes concerned, so even the bookkeeping parts keep every entry the tool did not touch.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from lxml import etree

from tongjia_xls.book.package import xmltext
from tongjia_xls.book.package.xmltext import escape_attr

CONTENT_TYPES = "[Content_Types].xml"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: Uncompressed size beyond which a package is refused (a real master workbook is < 5 MB).
MAX_UNPACKED = 1 << 30
#: Compression ratio beyond which a part is taken for a zip bomb.
MAX_RATIO = 200


class PackageDamaged(Exception):
    """The file is not a readable OOXML package; ``str(error)`` says what failed, in English."""


class PackageStrict(Exception):
    """The package is Strict Open XML, which the tool reads and writes in neither direction."""


@dataclass(frozen=True)
class Rel:
    """One relationship of a part: id, type and the part (or URL) it points at."""

    id: str
    type: str
    target: str
    external: bool = False

    @property
    def kind(self) -> str:
        """Return the last word of the type (``worksheet``, ``drawing``...)."""
        return self.type.rsplit("/", 1)[-1]


def rels_name(part: str) -> str:
    """Return the name of the relationships part of ``part`` (``""`` for the package)."""
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def resolve(source: str, target: str) -> str:
    """Return the part name a relationship of ``source`` with ``target`` points at."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    """Return ``part`` as a target relative to the folder of ``source``."""
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


def parse(data: bytes, name: str) -> etree._Element:
    """Return the parsed root of a part; raise :class:`PackageDamaged` if it is not XML."""
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except (etree.XMLSyntaxError, ParseError, ValueError) as error:
        raise PackageDamaged(f"{name}: {error}") from None


class Package:
    """The parts of one OOXML file, changed in memory and written out as a new zip."""

    def __init__(self, raw: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(raw))
            self._infos = self._zip.infolist()
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
            raise PackageDamaged(f"zip: {error}") from None
        names = [info.filename for info in self._infos]
        if len(set(names)) != len(names):
            raise PackageDamaged("zip: a part name occurs twice")
        if sum(info.file_size for info in self._infos) > MAX_UNPACKED or any(
            info.file_size > 1 << 24 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            for info in self._infos
        ):
            raise PackageDamaged("zip: unpacks to an implausible size")
        self._changed: dict[str, bytes] = {}
        self._added: list[str] = []
        self._removed: set[str] = set()
        if CONTENT_TYPES not in names:
            raise PackageDamaged("zip: no [Content_Types].xml")

    # -- parts -----------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """Return every part name, in zip order, new parts last."""
        kept = [i.filename for i in self._infos if i.filename not in self._removed]
        return kept + [n for n in self._added if n not in self._removed]

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """Return the bytes of part ``name`` as they stand now.

        A part the package does not hold raises :class:`PackageDamaged`: something points
        at it, so the file is damaged.
        """
        if name in self._changed:
            return self._changed[name]
        if name in self._removed:
            raise KeyError(name)
        try:
            return self._zip.read(name)
        except KeyError:
            raise PackageDamaged(f"{name}: the part is missing") from None
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
            raise PackageDamaged(f"{name}: {error}") from None

    def write(self, name: str, data: bytes) -> None:
        """Replace part ``name`` (or add it) with ``data``."""
        original = any(info.filename == name for info in self._infos)
        if not original and name not in self._added:
            self._added.append(name)
        self._removed.discard(name)
        self._changed[name] = data

    def remove(self, name: str) -> None:
        """Drop part ``name`` and its relationships part, if present."""
        for part in (name, rels_name(name)):
            if part in self.names:
                self._removed.add(part)
                self._changed.pop(part, None)

    def to_bytes(self) -> bytes:
        """Return the package as a zip: unchanged parts as read, changed parts in place."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in self._infos:
                if info.filename in self._removed:
                    continue
                data = self.read(info.filename)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                copy.create_system = info.create_system
                target.writestr(copy, data)
            for name in self._added:
                if name in self._removed:
                    continue
                info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, self._changed[name])
        return out.getvalue()

    # -- content types ---------------------------------------------------------------

    def add_override(self, part: str, content_type: str) -> None:
        """Declare the content type of a new part."""
        self._append(CONTENT_TYPES, f'Override PartName="/{escape_attr(part)}" '
                     f'ContentType="{escape_attr(content_type)}"')

    def set_override_type(self, part: str, content_type: str) -> None:
        """Change the declared content type of ``part`` (adding its override if missing)."""
        data = self.read(CONTENT_TYPES)
        top = xmltext.root(data)
        for entry in xmltext.iter_children(data, top):
            if entry.attrs(data).get("PartName", "").lstrip("/") == part:
                tag = xmltext.set_attrs(entry.start_tag(data), {"ContentType": content_type})
                self.write(CONTENT_TYPES, data[:entry.start] + tag + data[entry.open_end:])
                return
        self.add_override(part, content_type)

    def add_default(self, extension: str, content_type: str) -> None:
        """Declare ``content_type`` for parts ending in ``.extension``, unless it is declared."""
        root = parse(self.read(CONTENT_TYPES), CONTENT_TYPES)
        if any((entry.get("Extension") or "").lower() == extension for entry in root):
            return
        self._append(CONTENT_TYPES, f'Default Extension="{extension}" '
                     f'ContentType="{escape_attr(content_type)}"')

    def remove_override(self, part: str) -> None:
        """Drop the content-type override of ``part``, if any."""
        data = self.read(CONTENT_TYPES)
        top = xmltext.root(data)
        edits = [(c.start, c.end, b"") for c in xmltext.iter_children(data, top)
                 if c.attrs(data).get("PartName", "").lstrip("/") == part]
        if edits:
            self.write(CONTENT_TYPES, xmltext.splice(data, edits))

    # -- relationships ---------------------------------------------------------------

    def rels(self, source: str) -> list[Rel]:
        """Return the relationships of part ``source`` (``""``: of the package)."""
        name = rels_name(source) if source else "_rels/.rels"
        if name not in self.names:
            return []
        found = []
        for entry in parse(self.read(name), name):
            external = entry.get("TargetMode") == "External"
            target = entry.get("Target", "")
            found.append(Rel(entry.get("Id", ""), entry.get("Type", ""),
                             target if external else resolve(source, target), external))
        return found

    def related(self, source: str, kind: str) -> list[str]:
        """Return the parts ``source`` points at with relationships of ``kind``."""
        return [r.target for r in self.rels(source) if r.kind == kind and not r.external]

    def add_rel(self, source: str, rel_type: str, part: str) -> str:
        """Add a relationship from ``source`` to ``part``; return its new id."""
        name = rels_name(source)
        if name not in self.names:
            self.write(name, (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                              f'<Relationships xmlns="{RELS_NS}"></Relationships>').encode())
        taken = {r.id for r in self.rels(source)}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        rel_id = f"rId{number}"
        self._append(name, f'Relationship Id="{rel_id}" Type="{rel_type}" '
                     f'Target="{escape_attr(relative(source, part))}"')
        return rel_id

    def remove_rels_to(self, source: str, part: str) -> None:
        """Drop every relationship of ``source`` that points at ``part``."""
        name = rels_name(source)
        if name not in self.names:
            return
        data = self.read(name)
        top = xmltext.root(data)
        edits = []
        for entry in xmltext.iter_children(data, top):
            attrs = entry.attrs(data)
            if attrs.get("TargetMode") != "External" and resolve(
                source, attrs.get("Target", "")
            ) == part:
                edits.append((entry.start, entry.end, b""))
        if edits:
            self.write(name, xmltext.splice(data, edits))

    def main_part(self) -> str:
        """Return the name of the workbook part; raise if the package has none."""
        for rel in self.rels(""):
            if rel.type == f"{STRICT_REL}/officeDocument":
                raise PackageStrict("strict")
            if rel.kind == "officeDocument" and not rel.external:
                return rel.target
        raise PackageDamaged("no workbook part")

    def _append(self, name: str, element: str) -> None:
        """Add the empty element ``<element/>`` as the last child of part ``name``'s root."""
        data = self.read(name)
        top = xmltext.root(data)
        data, top = xmltext.open_up(data, top)
        entry = f"<{top.prefix.decode()}{element}/>".encode()
        self.write(name, data[:top.close_start] + entry + data[top.close_start:])

    def free_name(self, pattern: str) -> str:
        """Return the first name ``pattern.format(n)`` (n = 1, 2, ...) no part has."""
        taken = {n.lower() for n in self.names}
        number = 1
        while pattern.format(number).lower() in taken:
            number += 1
        return pattern.format(number)
