"""The workbook part (``xl/workbook.xml``): which sheets there are, and where.

Read with a real parser; changed only by the splices the tool owns: a sheet appended at the
end of ``<sheets>`` (so no index a defined name or a print title points at moves), the
calculation chain dropped when a formula cell is overwritten, and Excel asked to recalculate
on opening when the tool changed values formulas may depend on.
"""

from __future__ import annotations

from dataclasses import dataclass

from tongjia_xls.book.package import xmltext
from tongjia_xls.book.package.parts import (
    REL,
    Package,
    PackageDamaged,
    PackageStrict,
    parse,
    rels_name,
)
from tongjia_xls.book.package.xmltext import escape_attr

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_R_ID = f"{{{REL}}}id"


@dataclass(frozen=True)
class SheetEntry:
    """One sheet of the workbook: its tab title, part and kind.

    ``kind`` is the relationship's last word: ``worksheet``, ``chartsheet``,
    ``dialogsheet`` or ``xlMacrosheet``; ``part`` is ``None`` when the relationship is
    missing (a damaged workbook).
    """

    title: str
    sheet_id: int
    rel_id: str
    part: str | None
    kind: str
    state: str = "visible"


class WorkbookPart:
    """The sheets and settings of a package's workbook part."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.name = package.main_part()
        root = parse(package.read(self.name), self.name)
        if root.tag.startswith(f"{{{STRICT_MAIN}}}"):
            raise PackageStrict("strict")
        ns = root.tag.partition("}")[0].lstrip("{")
        rels = {r.id: r for r in package.rels(self.name)}
        self.sheets: list[SheetEntry] = []
        for sheet in root.iter(f"{{{ns}}}sheet"):
            rel = rels.get(sheet.get(_R_ID, ""))
            try:
                sheet_id = int(sheet.get("sheetId", "0"))
            except ValueError:
                raise PackageDamaged(f"{self.name}: sheetId") from None
            self.sheets.append(SheetEntry(
                sheet.get("name", ""), sheet_id, sheet.get(_R_ID, ""),
                rel.target if rel and not rel.external else None,
                rel.kind if rel else "worksheet", sheet.get("state", "visible"),
            ))
        pr = root.find(f"{{{ns}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")

    def sheet(self, title: str) -> SheetEntry:
        """Return the sheet titled ``title``; raise ``KeyError`` if there is none."""
        for entry in self.sheets:
            if entry.title == title:
                return entry
        raise KeyError(title)

    def add_worksheet(self, title: str, data: bytes) -> SheetEntry:
        """Add a worksheet part holding ``data`` as the last tab, titled ``title``."""
        package = self.package
        part = package.free_name("xl/worksheets/sheet{}.xml")
        package.write(part, data)
        package.add_override(part, WORKSHEET_TYPE)
        rel_id = package.add_rel(self.name, f"{REL}/worksheet", part)
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        source = package.read(self.name)
        top = xmltext.root(source)
        sheets = xmltext.child(source, top, b"sheets")
        if sheets is None:
            raise PackageDamaged(f"{self.name}: no <sheets>")
        source, sheets = xmltext.open_up(source, sheets)
        entry = (f'<{sheets.prefix.decode()}sheet xmlns:r="{REL}" name="{escape_attr(title)}" '
                 f'sheetId="{sheet_id}" r:id="{rel_id}"/>').encode()
        package.write(self.name, source[:sheets.close_start] + entry + source[sheets.close_start:])
        added = SheetEntry(title, sheet_id, rel_id, part, "worksheet")
        self.sheets.append(added)
        return added

    def drop_calc_chain(self) -> list[str]:
        """Remove the calculation chain (Excel rebuilds it); return the parts removed."""
        removed = []
        for chain in self.package.related(self.name, "calcChain"):
            self.package.remove(chain)
            self.package.remove_override(chain)
            self.package.remove_rels_to(self.name, chain)
            removed += [chain, rels_name(chain)]
        return removed

    def recalculate_on_open(self) -> None:
        """Ask Excel and WPS to recalculate every formula when the workbook is next opened."""
        source = self.package.read(self.name)
        top = xmltext.root(source)
        calc = xmltext.child(source, top, b"calcPr")
        if calc is None:
            # calcPr stands after definedNames and before the optional tail elements.
            tail = (b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr",
                    b"smartTagTypes", b"webPublishing", b"fileRecoveryPr", b"webPublishObjects",
                    b"extLst")
            at = next((c.start for c in xmltext.iter_children(source, top) if c.local in tail),
                      top.close_start)
            tag = f'<{top.prefix.decode()}calcPr fullCalcOnLoad="1"/>'.encode()
            self.package.write(self.name, source[:at] + tag + source[at:])
            return
        if calc.attrs(source).get("fullCalcOnLoad") in ("1", "true"):
            return
        tag = xmltext.set_attrs(calc.start_tag(source), {"fullCalcOnLoad": "1"})
        self.package.write(self.name, source[:calc.start] + tag + source[calc.open_end:])

    def set_code_name(self, name: str) -> None:
        """Give the workbook the VBA code name ``name`` (``workbookPr codeName``)."""
        source = self.package.read(self.name)
        top = xmltext.root(source)
        pr = xmltext.child(source, top, b"workbookPr")
        if pr is None:
            # workbookPr follows fileVersion and fileSharing, when they are there.
            early = [c for c in xmltext.iter_children(source, top)
                     if c.local in (b"fileVersion", b"fileSharing")]
            at = early[-1].end if early else top.open_end
            tag = f'<{top.prefix.decode()}workbookPr codeName="{escape_attr(name)}"/>'.encode()
            self.package.write(self.name, source[:at] + tag + source[at:])
            return
        tag = xmltext.set_attrs(pr.start_tag(source), {"codeName": name})
        self.package.write(self.name, source[:pr.start] + tag + source[pr.open_end:])
