"""The file backend: a workbook on disk, edited in place.

It reads the package once, serves grids of values to the gateway, and collects the tool's
writes; a save patches only what the tool owns (the ``<c>`` elements of its cells, the rows
it adds, styles it appends, the sheet it lays out whole and that sheet's charts) into a copy
of the package whose every other part and element keeps its bytes. The loss guard then
compares the two packages, and only a save it passes replaces the file
(:class:`~tongjia_xls.book.save.WorkbookFile`: locks, no lost update, backups).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from tongjia_xls.book.look import FONT, PAINTS, Look
from tongjia_xls.book.loss_guard import Claims, describe, find_losses
from tongjia_xls.book.package import related, sheet_write
from tongjia_xls.book.package.parts import MAIN_NS, REL, Package, PackageDamaged, PackageStrict
from tongjia_xls.book.package.sheet_read import (
    Cell,
    SheetIndex,
    read_sheet,
    ref_of,
    shared_strings,
    translated,
)
from tongjia_xls.book.package.sheet_write import KEEP, CellEdit
from tongjia_xls.book.package.styles import CellFormat, StyleSheet
from tongjia_xls.book.package.workbook_part import WorkbookPart
from tongjia_xls.book.package.xmltext import XmlShapeError
from tongjia_xls.book.save import WorkbookFile, ensure_not_open, read_bytes
from tongjia_xls.errors import Diagnostic, SaveRefused, UserError
from tongjia_xls.sheets.cells import cell_safe, looks_like_formula

SUFFIXES = (".xlsx", ".xlsm")
#: Number formats given to a date or a time written into a cell that shows plain numbers.
DATE_FORMATS = {datetime: "yyyy-mm-dd h:mm:ss", date: "yyyy-mm-dd", time: "h:mm:ss"}
#: A change to the package beyond cells, made at save time: ``edit(package, book, claims)``.
PackageEdit = Callable[[Package, WorkbookPart, Claims], None]
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_NEW_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL}"><dimension ref="A1"/>'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetData/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="portrait"/></worksheet>'
).encode()


@dataclass
class _Layout:
    rows: list[list[Any]]
    looks: Mapping[Cell, tuple[Look, str]]
    charts: Sequence[Any]


class FileBackend:
    """A workbook file, read for the gateway and written back in place."""

    def __init__(self, path: Path, raw: bytes, file: WorkbookFile | None = None, *,
                 keep: int = 10) -> None:
        self.path = Path(path)
        self.keep = keep
        self.changed = False
        self.load_diagnostics: list[Diagnostic] = []
        self._file = file
        self._load(raw)

    @classmethod
    def open(cls, path: Path | str, *, for_write: bool = True) -> FileBackend:
        """Open the workbook at ``path``; raise :class:`UserError` if it cannot be used."""
        path = Path(path)
        check_workbook_path(path)
        if not for_write:
            return cls._checked(path, read_bytes(path), None)
        ensure_not_open(path)
        file = WorkbookFile(path)
        try:
            return cls._checked(path, file.read(), file)
        except BaseException:
            file.close()
            raise

    @classmethod
    def _checked(cls, path: Path, raw: bytes, file: WorkbookFile | None) -> FileBackend:
        if raw[:4] == b"\xd0\xcf\x11\xe0":
            raise UserError(
                f"无法打开“{path.name}”：它设置了打开密码，或其实是旧版 .xls 文件。"
                "请在 Excel 中取消密码（文件→信息→保护工作簿），或另存为 .xlsx 后再使用。"
            )
        try:
            return cls(path, raw, file)
        except PackageStrict:
            raise UserError(
                f"“{path.name}”是“严格 Open XML”格式的工作簿，本工具不能安全读写。"
                "请在 Excel 中“另存为”→“Excel 工作簿(*.xlsx)”后再使用。"
            ) from None
        except (PackageDamaged, XmlShapeError) as error:
            raise damaged(path, error) from None

    @property
    def label(self) -> str:
        """Return the file name used in messages."""
        return self.path.name

    def skip_backup(self) -> None:
        """Make no backup before this run's saves (a file the run itself has just made)."""
        if self._file is not None:
            self._file.skip_backup()

    def close(self) -> None:
        """Release the workbook (the lock of a run that opened it for writing)."""
        if self._file is not None:
            self._file.close()

    # -- reading ---------------------------------------------------------------------

    def sheet_titles(self) -> list[str]:
        """Return the titles of every sheet in tab order, then sheets still to be added."""
        titles = [s.title for s in self._book.sheets]
        return titles + [t for t in self._layouts if t not in titles]

    def read_grid(self, title: str) -> list[list[Any]]:
        """Return the values of sheet ``title``, with this run's writes in them.

        A formula gives the result the file holds for it, or a :class:`PendingFormula`
        when it holds none; a chart sheet gives no rows.
        """
        if title in self._layouts:
            grid = [[cell_safe(v) for v in row] for row in self._layouts[title].rows]
        else:
            grid = [list(row) for row in self._index(title).grid]
            for (row, col), edit in self._pending.get(title, {}).items():
                if edit.value is KEEP:
                    continue
                while len(grid) < row:
                    grid.append([])
                line = grid[row - 1]
                line.extend([None] * (col - len(line)))
                line[col - 1] = edit.value
        while grid and all(v is None or v == "" for v in grid[-1]):
            grid.pop()
        return grid

    def chart_count(self, title: str) -> int:
        """Return how many charts the tool drew on sheet ``title``."""
        if title in self._layouts:
            return len(self._layouts[title].charts)
        entry = self._entry(title)
        if not entry.part:
            return 0
        try:
            return related.count_tool_charts(self._package, entry.part)
        except (PackageDamaged, XmlShapeError) as error:  # a damaged drawing of 统计
            raise damaged(self.path, error) from None

    # -- writing ---------------------------------------------------------------------

    def write_cells(self, title: str, cells: Mapping[Cell, Any]) -> list[Cell]:
        """Write ``cells`` ((row, column) -> value); return the cells left unwritten.

        A cell hidden in a merged range, or filled by an array formula, is not written.
        """
        index = self._writable(title)
        skipped = []
        pending = self._pending.setdefault(title, {})
        for cell, value in cells.items():
            if index.merged_away(cell) or index.in_array(cell):
                skipped.append(cell)
                continue
            pending.setdefault(cell, CellEdit()).value = cell_safe(value)
            self.changed = True
        return skipped

    def format_cells(self, title: str, cells: Mapping[Cell, tuple[Look, str]]) -> None:
        """Style cells: ``(row, column) -> (look, number format)``."""
        index = self._writable(title)
        pending = self._pending.setdefault(title, {})
        for cell, (look, number_format) in cells.items():
            if not index.merged_away(cell):
                pending.setdefault(cell, CellEdit()).style = self._look(look, number_format)
                self.changed = True

    def set_width(self, title: str, column: int, width: float) -> None:
        """Set the width of a column the tool added, or of a sheet it lays out."""
        self._widths.setdefault(title, {})[column] = width
        self.changed = True

    def rewrite_sheet(self, title: str, rows: Sequence[Sequence[Any]],
                      looks: Mapping[Cell, tuple[Look, str]], charts: Sequence[Any]) -> None:
        """Lay out sheet ``title`` anew: values, looks and charts (added last if missing)."""
        self._layouts[title] = _Layout([list(r) for r in rows], dict(looks), list(charts))
        self._pending.pop(title, None)
        self.changed = True

    def edit_package(self, edit: PackageEdit) -> None:
        """Have ``edit(package, workbook part, claims)`` change the package at the next save.

        For changes beyond cells that the tool owns (the macro workbook's VBA project and
        buttons): ``edit`` makes them and declares them in the claims; the loss guard holds
        everything else, as for any save.
        """
        self._edits.append(edit)
        self.changed = True

    def save(self) -> Path | None:
        """Write the changes into the file; return the backup of the version replaced.

        Raises :class:`SaveRefused` (the file left as it was) when the new version
        would change anything that is not the tool's.
        """
        if self._file is None:
            raise RuntimeError(f"{self.path.name} was opened read-only")
        try:
            new, claims = self._build()
        except (PackageDamaged, XmlShapeError) as error:
            raise damaged(self.path, error) from None
        losses = find_losses(self._raw, new, claims)
        if losses:
            raise SaveRefused(
                f"为保护您的数据，本次没有保存“{self.path.name}”：写入会改动或丢失不属于本工具的"
                f"内容——{describe(losses)}。工作簿保持原样。请把这个工作簿发给技术支持查看；"
                "在此之前，可以把这些内容暂时移到另一个工作簿后再运行。"
            )
        backup = self._file.save(new, keep=self.keep)
        self._load(new)
        self.changed = False
        return backup

    def discard(self) -> None:
        """Forget every write not saved yet."""
        self._load(self._raw)
        self.changed = False

    # -- building --------------------------------------------------------------------

    def _build(self) -> tuple[bytes, Claims]:
        """Return the new package and what it changes on purpose."""
        package = Package(self._raw)
        book = WorkbookPart(package)
        claims = Claims()
        formula_overwritten = values_written = False
        for title, edits in self._pending.items():
            if edits and title not in self._layouts:
                overwrote, wrote = self._patch_sheet(package, book, title, edits, claims)
                formula_overwritten |= overwrote
                values_written |= wrote
        for title, layout in self._layouts.items():
            self._build_layout(package, book, title, layout, claims)
            values_written = True
        self._set_other_widths(package, claims)
        for edit in self._edits:
            edit(package, book, claims)
        if formula_overwritten:
            claims.removed |= set(book.drop_calc_chain())
        if values_written and self._has_formulas(package, book):
            book.recalculate_on_open()
        if self._styles.changed:
            package.write(self._styles.name, self._styles.data)
        return package.to_bytes(), claims

    def _patch_sheet(self, package: Package, book: WorkbookPart, title: str,
                     edits: Mapping[Cell, CellEdit], claims: Claims) -> tuple[bool, bool]:
        """Patch sheet ``title``'s cells and widths; return (formula overwritten, value written)."""
        part = self._entry(title).part
        assert part is not None
        final, overwrote = self._final_edits(title, edits)
        data = sheet_write.patch_cells(package.read(part), final, date1904=book.date1904)
        widths = self._widths.get(title, {})
        package.write(part, sheet_write.set_widths(data, widths))
        claims.cells[part] = set(final)
        if widths:
            claims.widths[part] = set(widths)
        related.sync_table_headers(package, part, {c: e.value for c, e in final.items()
                                                   if e.value is not KEEP}, claims)
        return overwrote, any(e.value is not KEEP for e in final.values())

    def _set_other_widths(self, package: Package, claims: Claims) -> None:
        """Set the column widths of sheets whose cells this run left alone."""
        for title, widths in self._widths.items():
            if title not in self._pending and title not in self._layouts:
                part = self._entry(title).part
                assert part is not None
                package.write(part, sheet_write.set_widths(package.read(part), widths))
                claims.widths[part] = set(widths)

    def _final_edits(self, title: str, edits: Mapping[Cell, CellEdit]
                     ) -> tuple[dict[Cell, CellEdit], bool]:
        """Return the edits with the styles their values need, and promoted formula masters."""
        index = self._index(title)
        final: dict[Cell, CellEdit] = {}
        overwrote = False
        for cell, edit in edits.items():
            in_file = index.styles.get(cell, 0)
            style = edit.style if edit.style is not None else (
                in_file if cell in index.present else index.default_style(cell))
            if edit.value is not KEEP:
                style = self._style_for(edit.value, style)
                formula = index.formulas.get(cell)
                if formula is not None:
                    overwrote = True
                    if formula.kind == "shared" and formula.text:
                        final.update(_promotion(index, cell, formula, edits))
            changed_style = style != in_file or (cell not in index.present and style)
            final[cell] = CellEdit(edit.value, style if changed_style else None,
                                   final[cell].shared if cell in final else None)
        return final, overwrote

    def _style_for(self, value: Any, style: int) -> int:
        if looks_like_formula(value):
            # Text such as "=A1" stays text in Excel and WPS when staff edit the cell later.
            return self._styles.with_quote_prefix(style)
        for kind, code in DATE_FORMATS.items():
            if isinstance(value, kind):
                return style if self._styles.is_date(style) else (
                    self._styles.with_number_format(style, code))
        return style

    def _build_layout(self, package: Package, book: WorkbookPart, title: str, layout: _Layout,
                      claims: Claims) -> None:
        """Write sheet ``title`` anew from ``layout``, adding it if missing; claim it whole."""
        entry = next((s for s in book.sheets if s.title == title), None)
        if entry is None:
            entry = book.add_worksheet(title, _NEW_SHEET)
            assert entry.part is not None
            claims.added |= {entry.part}
        assert entry.part is not None
        rows = [self._layout_row(number, row, layout.looks)
                for number, row in enumerate(layout.rows, start=1)]
        data = sheet_write.replace_sheet_data(package.read(entry.part), rows,
                                              date1904=book.date1904)
        data = related.replace_charts(package, entry.part, data, title, layout.charts,
                                      layout.rows, claims)
        data = sheet_write.set_widths(data, self._widths.get(title, {}))
        package.write(entry.part, data)
        claims.owned.add(entry.part)
        claims.widths[entry.part] = set(self._widths.get(title, {}))

    def _layout_row(self, number: int, row: Sequence[Any],
                    looks: Mapping[Cell, tuple[Look, str]]) -> dict[int, CellEdit]:
        """Return the cell edits of row ``number`` of a laid-out sheet: values, then looks."""
        cells: dict[int, CellEdit] = {}
        for col, value in enumerate(row, start=1):
            look = looks.get((number, col))
            style = self._look(*look) if look else 0
            value = cell_safe(value)
            if value is not None:
                style = self._style_for(value, style)
            if value is not None or style:
                cells[col] = CellEdit(value, style or None)
        for (r, col), look in looks.items():
            if r == number and col not in cells:
                cells[col] = CellEdit(None, self._look(*look))
        return cells

    def _look(self, look: Look, number_format: str | None) -> int:
        paint = PAINTS[look]
        header = look in (Look.HEADER_STAFF, Look.HEADER_TOOL, Look.HEADER_DRAFT)
        return self._styles.cell_format(CellFormat(
            font=FONT, size=11, bold=paint.bold, color=paint.color, fill=paint.fill,
            border_color="A6A6A6", horizontal="center" if header else None, vertical="center",
            wrap=paint.wrap or not header, number_format=number_format or "General",
        ))

    def _has_formulas(self, package: Package, book: WorkbookPart) -> bool:
        return any(s.part and s.kind == "worksheet" and s.part in package
                   and _FORMULA.search(package.read(s.part)) for s in book.sheets)

    # -- state -----------------------------------------------------------------------

    def _load(self, raw: bytes) -> None:
        self._raw = raw
        self._package = Package(raw)
        self._book = WorkbookPart(self._package)
        styles = self._package.related(self._book.name, "styles")
        if not styles:
            raise PackageDamaged("no styles part")
        self._styles = StyleSheet(self._package.read(styles[0]), styles[0])
        if not hasattr(self, "_strings"):
            self._strings: list[str] | None = None  # read when a sheet is; the tool never writes it
        self._indexes: dict[str, SheetIndex] = {}
        self._pending: dict[str, dict[Cell, CellEdit]] = {}
        self._widths: dict[str, dict[int, float]] = {}
        self._layouts: dict[str, _Layout] = {}
        self._edits: list[PackageEdit] = []

    def _entry(self, title: str) -> Any:
        return self._book.sheet(title)

    def _index(self, title: str) -> SheetIndex:
        if title not in self._indexes:
            entry = self._entry(title)
            if entry.kind != "worksheet" or entry.part is None or entry.part not in self._package:
                self._indexes[title] = SheetIndex()
            else:
                try:
                    self._indexes[title] = read_sheet(
                        self._package.read(entry.part), entry.part, self._shared_strings(),
                        self._styles, self._book.date1904)
                except PackageDamaged as error:
                    raise damaged(self.path, error) from None
        return self._indexes[title]

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            found = self._package.related(self._book.name, "sharedStrings")
            self._strings = shared_strings(self._package.read(found[0]) if found else None)
        return self._strings

    def _writable(self, title: str) -> SheetIndex:
        if title in self._layouts:
            return SheetIndex()
        entry = self._entry(title)
        if entry.kind != "worksheet" or entry.part is None:
            raise UserError(f"“{title}”不是普通工作表（可能是图表工作表），本工具无法写入。"
                            f"请把它改名，或删除后重新运行。")
        return self._index(title)


def _promotion(index: SheetIndex, cell: Cell, master: Any, edits: Mapping[Cell, CellEdit]
               ) -> dict[Cell, CellEdit]:
    """Return the edit that hands a shared formula to the next cell when its master goes."""
    overwritten = {c for c, e in edits.items() if e.value is not KEEP}
    others = sorted(c for c, f in index.formulas.items()
                    if f.kind == "shared" and f.si == master.si and not f.text
                    and c not in overwritten)
    if not others:
        return {}
    heir = others[0]
    text = translated(f"={master.text}", cell, heir)[1:]
    rows = [r for r, _ in others]
    cols = [c for _, c in others]
    ref = f"{ref_of((min(rows), min(cols)))}:{ref_of((max(rows), max(cols)))}"
    edit = edits.get(heir, CellEdit())
    return {heir: CellEdit(edit.value, edit.style, (text, ref, master.si or "0"))}


def damaged(path: Path, error: Exception) -> UserError:
    """Return the message for a workbook that cannot be read as a package."""
    return UserError(
        f"无法打开“{path.name}”：文件已损坏，或不是真正的 Excel 工作簿。"
        "请在 Excel 或 WPS 中打开确认；如有备份，可从工作簿旁边的“备份”文件夹中取回上一版本。"
    )


def check_workbook_path(path: Path) -> None:
    """Raise :class:`UserError` unless ``path`` names an existing .xlsx or .xlsm file."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise UserError(
            f"“{path.name}”是旧版 Excel（.xls）或 WPS 表格格式，本工具无法安全写入。"
            "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再使用。"
        )
    if suffix not in SUFFIXES:
        raise UserError(
            f"“{path.name}”不是 Excel 工作簿（应为 .xlsx 或 .xlsm 文件）。请检查文件名。"
        )
    if not path.is_file():
        raise UserError(f"找不到工作簿“{path}”。请检查路径，或先运行 tongjia-xls init 新建工作簿。")
