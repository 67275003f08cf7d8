"""Buttons for a workbook staff already have: the macro parts grafted into it in place.

A workbook after a year in Excel holds what openpyxl would drop on a save (formula
results, x14 formats, shapes...), so :func:`graft_macros` does not re-save it: through the
file backend it adds or renews only what the buttons need, and claims each of it for the
loss guard:

- the VBA project ``xl/vbaProject.bin``, compiled from ``macros/*.bas`` and the installed
  xlwings, with a document module for every sheet, and the macro-enabled content type;
- a VBA code name on every sheet that has none (``sheetPr codeName``) and on the workbook;
- the buttons on ``控制台``: a VML drawing made by XlsxWriter, sized to 控制台's columns;
- the ``xlwings.conf`` sheet, laid out as a new workbook has it, or its interpreter renewed.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from lxml import etree

from tongjia_xls.book.buttons import BUTTON_ROW, BUTTON_ROW_HEIGHT
from tongjia_xls.book.file_backend import FileBackend
from tongjia_xls.book.look import Look
from tongjia_xls.book.loss_guard import Claims
from tongjia_xls.book.package import sheet_write, xmltext
from tongjia_xls.book.package.parts import MAIN_NS, REL, Package, parse, rels_name
from tongjia_xls.book.package.workbook_part import WorkbookPart
from tongjia_xls.book.xlsm import (
    CONF_CODE_NAME,
    CONF_SHEET,
    MACRO_ENABLED,
    VBA_PART,
    conf_rows,
    project_modules,
    shell_drawing,
)
from tongjia_xls.errors import UserError
from tongjia_xls.sheets.schema import DASHBOARD, SHEETS

VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_M = f"{{{MAIN_NS}}}"


def graft_macros(backend: FileBackend, *, interpreter: str | None) -> None:
    """Give the workbook behind ``backend`` its VBA project, buttons and ``xlwings.conf``.

    ``interpreter`` is written into ``xlwings.conf``; ``None`` keeps the one there (or, for a
    new sheet, writes the default). Nothing is written until ``backend`` saves.
    """
    titles = backend.sheet_titles()
    if DASHBOARD.title not in titles:
        raise UserError(f"工作簿中没有“{DASHBOARD.title}”表，按钮无处安放。"
                        f"请把改名的“{DASHBOARD.title}”改回原名后再运行。")
    if CONF_SHEET not in titles:
        rows, widths = conf_rows(interpreter)
        backend.rewrite_sheet(CONF_SHEET, rows, {(1, 4): (Look.BODY_STAFF, "General")}, [])
        for column, width in widths.items():
            backend.set_width(CONF_SHEET, column, width)
    elif interpreter is not None:
        grid = backend.read_grid(CONF_SHEET)
        row = next((n for n, line in enumerate(grid, start=1)
                    if line and str(line[0] or "").upper() == "INTERPRETER_WIN"), None)
        if row is None:
            raise UserError(f"“{CONF_SHEET}”表的 A 列找不到 Interpreter_Win。"
                            f"请删除“{CONF_SHEET}”表后重新运行，工具会重建它。")
        backend.write_cells(CONF_SHEET, {(row, 2): interpreter or None})
    backend.edit_package(functools.partial(_graft))


def _graft(package: Package, book: WorkbookPart, claims: Claims) -> None:
    from tongjia_xls.book.vba_project import compile_project

    worksheets = [s for s in book.sheets if s.kind == "worksheet" and s.part]
    documents = _code_names(package, worksheets, claims)
    book.set_code_name("ThisWorkbook")
    claims.attributes.setdefault(book.name, set()).add(("workbookPr", "codeName"))
    vba = compile_project(project_modules(), documents)
    if VBA_PART in package:
        claims.replaced.add(VBA_PART)
    else:
        package.add_rel(book.name, VBA_REL, VBA_PART)
        claims.added.add(VBA_PART)
    package.write(VBA_PART, vba)
    package.add_default("bin", VBA_TYPE)
    package.set_override_type(book.name, MACRO_ENABLED)
    claims.retyped.add(book.name)
    _buttons(package, book.sheet(DASHBOARD.title).part or "", claims)


def _code_names(package: Package, worksheets: list[Any], claims: Claims) -> list[str]:
    """Return every worksheet's VBA code name, giving one to each sheet that has none."""
    wanted = {sheet.title: sheet.code_name for sheet in SHEETS} | {CONF_SHEET: CONF_CODE_NAME}
    found = {}
    for sheet in worksheets:
        props = parse(package.read(sheet.part), sheet.part).find(f"{_M}sheetPr")
        found[sheet.part] = props.get("codeName") if props is not None else None
    used = {name for name in found.values() if name}
    number = 0
    names = []
    for sheet in worksheets:
        name = found[sheet.part]
        if not name:
            name = wanted.get(sheet.title)
            while name is None or name in used:
                number += 1
                name = f"Sheet{number}"
            used.add(name)
            package.write(sheet.part, sheet_write.set_sheet_property(
                package.read(sheet.part), "codeName", name))
            claims.attributes.setdefault(sheet.part, set()).add(("sheetPr", "codeName"))
        names.append(name)
    return names


def _buttons(package: Package, dashboard: str, claims: Claims) -> None:
    """Draw the buttons on 控制台 as its VML drawing, replacing the tool's earlier one."""
    if package.related(dashboard, "comments"):
        raise UserError(f"“{DASHBOARD.title}”表上有批注。按钮和批注在同一张表上会互相损坏，"
                        "请把这些批注删除或移到别的表，再运行。")
    data = package.read(dashboard)
    widths, heights = _dimensions(data)
    drawing = shell_drawing(widths, heights)
    present = package.related(dashboard, "vmlDrawing")
    if present:
        package.write(present[0], drawing)
        claims.replaced.add(present[0])
    else:
        part = package.free_name("xl/drawings/vmlDrawing{}.vml")
        package.write(part, drawing)
        package.add_default("vml", VML_TYPE)
        rel_id = package.add_rel(dashboard, f"{REL}/vmlDrawing", part)
        top = xmltext.root(data)
        element = f'<{top.prefix.decode()}legacyDrawing xmlns:r="{REL}" r:id="{rel_id}"/>'
        data = sheet_write.insert_child(data, element.encode(), b"legacyDrawing")
        claims.added |= {part, rels_name(dashboard)}
        claims.elements.setdefault(dashboard, set()).add("legacyDrawing")
    package.write(dashboard, sheet_write.set_row_height(data, BUTTON_ROW, BUTTON_ROW_HEIGHT))
    claims.row_heights.setdefault(dashboard, set()).add(BUTTON_ROW)


def _dimensions(data: bytes) -> tuple[dict[int, float], dict[int, float]]:
    """Return 控制台's column widths and row heights, so the buttons sit where they should."""
    root = etree.fromstring(data)
    widths: dict[int, float] = {}
    for col in root.iter(f"{_M}col"):
        if col.get("width"):
            for number in range(int(col.get("min", "1")), min(int(col.get("max", "1")), 64) + 1):
                widths[number] = float(col.get("width", "0"))
    heights = {int(row.get("r", "0")): float(row.get("ht", "0"))
               for row in root.iter(f"{_M}row") if row.get("ht") and row.get("r")}
    return widths, heights


def copy_for_buttons(source: Path, out: Path) -> None:
    """Write ``out`` as a byte copy of ``source``, in one step: the twin the graft then edits."""
    from tongjia_xls.outputs import atomic_write

    with atomic_write(out) as temporary:
        temporary.write_bytes(source.read_bytes())
