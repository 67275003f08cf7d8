"""The macro workbook (.xlsm): the master workbook with buttons that run Python.

:func:`add_macros` gives any master workbook, new or staff's own, what the buttons need, each
part made by the library that does it best:

1. the VBA project, compiled from ``macros/*.bas`` and xlwings' own module
   (:mod:`tongjia_xls.book.vba_project`), with a document module for every sheet;
2. the buttons on ``控制台``, drawn by XlsxWriter in a one-sheet shell (openpyxl cannot
   make buttons) sized like the real ``控制台``, and grafted in as its VML drawing;
3. the ``xlwings.conf`` sheet that tells xlwings which Python to start: by default none,
   so that xlwings starts the ``python`` on the PATH of whichever computer opens the workbook.

openpyxl then saves it as it saves any .xlsm, copying the project and the drawing as bytes:
that is for a workbook built new. A staff workbook gets the same parts grafted in place by
:mod:`tongjia_xls.book.xlsm_graft`, so nothing else of it is rewritten.
:func:`check_macro_workbook` reads the saved file back: every module intact, every button
present and pointing at a macro that exists, the package still macro-enabled. The same check
guards a workbook after batch runs.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tongjia_xls.book.buttons import (
    BUTTON_ROW,
    BUTTON_ROW_HEIGHT,
    BUTTONS,
    button_options,
    buttons_in_package,
)
from tongjia_xls.book.create import new_workbook
from tongjia_xls.errors import UserError
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import DASHBOARD, SHEETS

#: The sheet xlwings reads its settings from (keys from A1 down, values in column B).
CONF_SHEET = "xlwings.conf"
CONF_CODE_NAME = "XlwingsConf"
MACRO_ENABLED = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PART = "xl/vbaProject.bin"
_SHELL_DRAWING = "xl/drawings/vmlDrawing1.vml"
_SUB = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(", re.IGNORECASE | re.MULTILINE)


def macros_folder() -> Path:
    """Return the folder of our VBA sources: ``macros/`` of a checkout, else the installed copy."""
    repo = Path(__file__).resolve().parents[3]
    if (repo / "pyproject.toml").is_file() and (repo / "macros").is_dir():
        return repo / "macros"
    return Path(str(resources.files("tongjia_xls") / "macros"))


def project_modules() -> list[Any]:
    """Return the standard modules every macro workbook holds: ours, then xlwings' own."""
    from tongjia_xls.book.vba_project import read_macros, xlwings_module

    return [*read_macros(macros_folder()), xlwings_module()]


def build_macro_workbook(
    settings: Settings,
    orgs: Sequence[Mapping[str, Any]],
    *,
    interpreter: str | None = None,
) -> OpenpyxlWorkbook:
    """Return the macro workbook for ``settings`` and the roster ``orgs``, ready to save.

    ``interpreter`` is the Python written into ``xlwings.conf``; ``None`` or ``""`` leaves it
    blank (see :func:`conf_rows`). Save the result under an ``.xlsm`` name: openpyxl keeps the
    VBA project only then.
    """
    workbook = new_workbook(settings, orgs)
    add_macros(workbook, interpreter=interpreter)
    return workbook


def add_macros(workbook: OpenpyxlWorkbook, *, interpreter: str | None = None) -> None:
    """Give ``workbook`` the VBA project, the buttons on ``控制台`` and ``xlwings.conf``.

    A workbook that has them already (an .xlsm opened with its VBA kept) gets them anew:
    the project compiled from today's sources and the installed xlwings, the buttons redrawn.
    ``interpreter`` is written into ``xlwings.conf``; ``None`` keeps the value there, or
    leaves it blank in a new sheet. Staff's data is not touched.
    """
    from tongjia_xls.book.vba_project import compile_project

    if DASHBOARD.title not in workbook.sheetnames:
        raise UserError(f"工作簿中没有“{DASHBOARD.title}”表，按钮无处安放。"
                        f"请把改名的“{DASHBOARD.title}”改回原名后再运行。")
    dashboard = workbook[DASHBOARD.title]
    if any(cell.comment for row in dashboard.iter_rows() for cell in row):
        raise UserError(f"“{DASHBOARD.title}”表上有批注。按钮和批注在同一张表上会互相损坏，"
                        "请把这些批注删除或移到别的表，再运行。")
    _name_sheets(workbook)
    _conf_sheet(workbook, interpreter)
    modules = project_modules()
    documents = [ws.sheet_properties.codeName for ws in workbook.worksheets]
    vba = compile_project(modules, documents)
    drawing = dashboard.legacy_drawing or _free_drawing_name(workbook.vba_archive)
    widths = {col: dashboard.column_dimensions[get_column_letter(col)].width
              for col in range(1, len(DASHBOARD.columns) + 1)}
    heights = {row: dashboard.row_dimensions[row].height for row in range(1, BUTTON_ROW)}
    workbook.vba_archive = _archive(workbook.vba_archive, _shell(widths, heights), vba, drawing)
    dashboard.legacy_drawing = drawing
    dashboard.row_dimensions[BUTTON_ROW].height = BUTTON_ROW_HEIGHT
    workbook.code_name = "ThisWorkbook"


def check_macro_workbook(path: Path | str) -> list[str]:
    """Return what is wrong with the macro workbook at ``path``; empty when all is well.

    Checked: the package is macro-enabled; every module of ``macros/`` and xlwings' module
    come back intact; ``控制台`` has every button of :data:`BUTTONS`, each running the macro
    it should, and that macro is defined.
    """
    from tongjia_xls.book.vba_project import check_project

    path = Path(path)
    modules = project_modules()
    problems = list(check_project(path, modules))
    with zipfile.ZipFile(path) as package:
        types = package.read("[Content_Types].xml").decode("utf-8")
        if MACRO_ENABLED not in types:
            problems.append(f"“{path.name}”已不是启用宏的工作簿（内容类型已改变），按钮将无法运行")
        found = buttons_in_package(package).get(_sheet_part(package, DASHBOARD.title) or "", {})
    defined = {name for module in modules for name in _SUB.findall(module.code)}
    for button in BUTTONS:
        macro = found.get(button.caption)
        if macro is None:
            problems.append(f"“{DASHBOARD.title}”表上缺少按钮“{button.caption}”")
        elif macro.split(".")[-1] != button.macro:
            problems.append(f"按钮“{button.caption}”运行的是“{macro}”，应为“{button.macro}”")
        elif button.macro not in defined:
            problems.append(f"按钮“{button.caption}”所用的宏“{button.macro}”在宏代码中不存在")
    return problems


def shell_drawing(widths: Mapping[int, float | None], heights: Mapping[int, float | None]
                  ) -> bytes:
    """Return the VML drawing of the buttons, for a 控制台 of these widths and heights."""
    return _shell(widths, heights).read(_SHELL_DRAWING)


def _shell(widths: Mapping[int, float | None], heights: Mapping[int, float | None]
           ) -> zipfile.ZipFile:
    """Return a one-sheet .xlsm from XlsxWriter whose first sheet holds the buttons.

    Buttons are anchored to cells, so the shell's first rows and columns get ``widths``
    and ``heights`` of 控制台 (1-based; the buttons' row gets :data:`BUTTON_ROW_HEIGHT`).
    """
    from tongjia_xls.book.vba_project import INSTALL_HINT

    try:
        import xlsxwriter
    except ImportError:  # pragma: no cover - the extra is installed with the tests
        raise UserError(INSTALL_HINT) from None

    buffer = io.BytesIO()
    shell = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = shell.add_worksheet()
    for col in range(len(DASHBOARD.columns)):
        ws.set_column(col, col, widths.get(col + 1) or 8.43)
    for row in range(1, BUTTON_ROW):
        height = heights.get(row)
        if height:
            ws.set_row(row - 1, height)
    ws.set_row(BUTTON_ROW - 1, BUTTON_ROW_HEIGHT)
    for index, button in enumerate(BUTTONS):
        ws.insert_button(BUTTON_ROW - 1, 0, button_options(index, button))
    shell.close()
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _archive(
    old: zipfile.ZipFile | None, shell: zipfile.ZipFile, vba: bytes, drawing: str
) -> zipfile.ZipFile:
    """Return the parts openpyxl copies into an .xlsm it saves, with the new VBA and buttons.

    ``old`` is what openpyxl kept of an .xlsm it opened (``None`` for a new workbook or an
    .xlsx): its other parts, such as the content types it reads, are kept.
    """
    base = old if old is not None else shell
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in base.namelist():
            if name not in (VBA_PART, drawing):
                archive.writestr(name, base.read(name))
        archive.writestr(VBA_PART, vba)
        archive.writestr(drawing, shell.read(_SHELL_DRAWING))
    # Handed over for reading only: a zip still open for writing writes its directory when
    # collected, and collected with the workbook's reference cycles its BytesIO may be
    # closed first ("Exception ignored in ZipFile.__del__": I/O operation on closed file).
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _free_drawing_name(old: zipfile.ZipFile | None) -> str:
    """Return a VML part name no other part uses, of one digit (openpyxl keeps no other)."""
    taken = set(old.namelist()) if old is not None else set()
    for number in range(1, 10):
        name = f"xl/drawings/vmlDrawing{number}.vml"
        if name not in taken:
            return name
    raise UserError("工作簿中的按钮和批注图层已有 9 个，无法再为按钮添加一个。"
                    "请删除一些表上的批注后再运行。")


def _name_sheets(workbook: OpenpyxlWorkbook) -> None:
    """Give every sheet a VBA code name: the schema's, or SheetN for staff's own sheets."""
    names = {sheet.title: sheet.code_name for sheet in SHEETS} | {CONF_SHEET: CONF_CODE_NAME}
    used = {ws.sheet_properties.codeName for ws in workbook.worksheets}
    number = 0
    for ws in workbook.worksheets:
        if ws.sheet_properties.codeName:
            continue
        name = names.get(ws.title)
        while name is None or name in used:
            number += 1
            name = f"Sheet{number}"
        ws.sheet_properties.codeName = name
        used.add(name)


def _conf_sheet(workbook: OpenpyxlWorkbook, interpreter: str | None) -> None:
    if CONF_SHEET not in workbook.sheetnames:
        ws = workbook.create_sheet(CONF_SHEET)
        ws.sheet_properties.codeName = CONF_CODE_NAME
        _fill_conf(ws, interpreter)
    elif interpreter is not None:
        ws = workbook[CONF_SHEET]
        for row in range(1, len(_CONF_KEYS) + 1):
            if str(ws.cell(row=row, column=1).value or "").upper() == "INTERPRETER_WIN":
                ws.cell(row=row, column=2, value=interpreter or None)
                return
        raise UserError(f"“{CONF_SHEET}”表的 A 列找不到 Interpreter_Win。"
                        f"请删除“{CONF_SHEET}”表后重新运行，工具会重建它。")


_CONF_KEYS = (
    "Interpreter_Win", "Interpreter_Mac", "PYTHONPATH", "Conda Path", "Conda Env",
    "UDF Modules", "Debug UDFs", "Use UDF Server", "Show Console",
)
_CONF_HELP = (
    "这张表是 xlwings 的设置，告诉 Excel 按钮用哪个 Python 运行。请不要改名，也不要在 A、B 两列"
    "插入空行（xlwings 从 A1 往下读到第一个空格为止）。",
    "Interpreter_Win：按钮使用的 Python。B1 默认留空：按钮使用 PATH 里的 python，即在命令提示符"
    "里输入 python 能启动的那个，换了电脑也不用改 B1。要指定某个 Python 时，在 B1 填它的完整路径，"
    "例如 C:\\Users\\您的用户名\\AppData\\Local\\Programs\\Python\\Python311\\pythonw.exe。",
    "点击按钮提示找不到 Python（或 Python was not found）时：在命令提示符里运行 where python，"
    "把显示的路径（python.exe 换成 pythonw.exe）填到 B1，或安装 Python 时勾选“Add python.exe to "
    "PATH”。换了电脑、升级了 Python 或 xlwings 时：保存并关闭本工作簿，运行 tongjia-xls buttons "
    "本工作簿.xlsm 重新生成宏（B1 里填的路径不变；要改时加 --interpreter pythonw.exe的完整路径）。",
)


def conf_rows(interpreter: str | None) -> tuple[list[list[Any]], dict[int, float]]:
    """Return the cells of a new ``xlwings.conf`` sheet, row by row, and its column widths.

    Keys from A1 down with their values in column B, help for staff in column D.
    ``Interpreter_Win`` is ``interpreter``, blank when that is ``None`` or ``""``: xlwings'
    RunPython then falls back to its default, ``python``, and runs the one on the PATH, in a
    hidden window (``Show Console`` is off), so a workbook built on one computer works on
    another whose Python is elsewhere. (A blank cell still counts as set, so xlwings' own
    ``.xlwings/xlwings.conf`` is not consulted for ``Interpreter_Win``.)
    """
    values: dict[str, Any] = dict.fromkeys(_CONF_KEYS)
    values.update({"Interpreter_Win": interpreter or None,
                   "Debug UDFs": False, "Use UDF Server": False, "Show Console": False})
    rows = []
    for row, key in enumerate(_CONF_KEYS):
        rows.append([key, values[key], None, _CONF_HELP[row] if row < len(_CONF_HELP) else None])
    return rows, {1: 18, 2: 50, 4: 90}


def _fill_conf(ws: Any, interpreter: str | None) -> None:
    rows, widths = conf_rows(interpreter)
    for row, line in enumerate(rows, start=1):
        for col, value in enumerate(line, start=1):
            if value is not None:
                ws.cell(row=row, column=col, value=value)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for row in range(1, len(_CONF_HELP) + 1):
        cell = ws.cell(row=row, column=4)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=row == 1)
    ws.sheet_properties.tabColor = "808080"


def _sheet_part(package: zipfile.ZipFile, title: str) -> str | None:
    """Return the part name of the sheet titled ``title``, or ``None`` if there is none."""
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        if sheet.get("name") == title:
            target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None

