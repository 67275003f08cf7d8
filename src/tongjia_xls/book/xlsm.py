"""Building the macro workbook (.xlsm): the master workbook with buttons that run Python.

The build has three layers, each done by the library that does it best:

1. the VBA project, compiled from ``macros/*.bas`` and xlwings' own module
   (:mod:`tongjia_xls.book.vba_project`);
2. a shell written by XlsxWriter: the project, the code names of every sheet, and the
   buttons on ``控制台`` (openpyxl cannot make buttons);
3. the shell opened by openpyxl with its VBA kept, and laid out exactly as an ``.xlsx``
   (:func:`tongjia_xls.book.create.new_workbook`), plus the ``xlwings.conf`` sheet that
   tells xlwings which Python to start.

:func:`check_macro_workbook` then reads the saved file back: every module intact, every
button present and pointing at a macro that exists, the package still macro-enabled. The
same check guards a workbook after batch runs.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font

from tongjia_xls.book.buttons import (
    BUTTON_ROW,
    BUTTON_ROW_HEIGHT,
    BUTTONS,
    button_macros,
    button_options,
)
from tongjia_xls.book.create import new_workbook
from tongjia_xls.book.schema import DASHBOARD, SHEETS
from tongjia_xls.errors import UserError
from tongjia_xls.settings import Settings

#: The sheet xlwings reads its settings from (keys from A1 down, values in column B).
CONF_SHEET = "xlwings.conf"
CONF_CODE_NAME = "XlwingsConf"
MACRO_ENABLED = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_SUB = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(", re.IGNORECASE | re.MULTILINE)


def macros_folder() -> Path:
    """Return the folder of our VBA sources: ``macros/`` of a checkout, else the installed copy."""
    repo = Path(__file__).resolve().parents[3]
    if (repo / "pyproject.toml").is_file() and (repo / "macros").is_dir():
        return repo / "macros"
    return Path(str(resources.files("tongjia_xls") / "macros"))


def default_interpreter() -> str:
    """Return the Python that xlwings should start: this one on Windows, else ``""``.

    On Windows ``pythonw.exe`` beside this interpreter is preferred, so no console window
    flashes up. A workbook built elsewhere gets ``""``, which makes xlwings use the
    ``python`` on the PATH; the ``xlwings.conf`` sheet says how to set it.
    """
    if sys.platform != "win32":
        return ""
    executable = Path(sys.executable)
    windowless = executable.with_name("pythonw.exe")
    return str(windowless if windowless.is_file() else executable)


def build_macro_workbook(
    settings: Settings,
    orgs: Sequence[Mapping[str, Any]],
    *,
    interpreter: str | None = None,
) -> OpenpyxlWorkbook:
    """Return the macro workbook for ``settings`` and the roster ``orgs``, ready to save.

    ``interpreter`` is the Python written into ``xlwings.conf``; ``None`` means
    :func:`default_interpreter`. Save the result under an ``.xlsm`` name: openpyxl keeps the
    VBA project only then.
    """
    from tongjia_xls.book.vba_project import compile_project, read_macros, xlwings_module

    modules = [*read_macros(macros_folder()), xlwings_module()]
    documents = [sheet.code_name for sheet in SHEETS] + [CONF_CODE_NAME]
    shell = _shell(compile_project(modules, documents))
    workbook = load_workbook(io.BytesIO(shell), keep_vba=True)
    new_workbook(settings, orgs, into=workbook)
    workbook[DASHBOARD.title].row_dimensions[BUTTON_ROW].height = BUTTON_ROW_HEIGHT
    _fill_conf(workbook[CONF_SHEET],
               default_interpreter() if interpreter is None else interpreter)
    return workbook


def check_macro_workbook(path: Path | str) -> list[str]:
    """Return what is wrong with the macro workbook at ``path``; empty when all is well.

    Checked: the package is macro-enabled; every module of ``macros/`` and xlwings' module
    come back intact; ``控制台`` has every button of :data:`BUTTONS`, each running the macro
    it should, and that macro is defined.
    """
    from tongjia_xls.book.vba_project import check_project, read_macros, xlwings_module

    path = Path(path)
    modules = [*read_macros(macros_folder()), xlwings_module()]
    problems = list(check_project(path, modules))
    with zipfile.ZipFile(path) as package:
        types = package.read("[Content_Types].xml").decode("utf-8")
        if MACRO_ENABLED not in types:
            problems.append(f"“{path.name}”已不是启用宏的工作簿（内容类型已改变），按钮将无法运行")
        sheet_part = _sheet_part(package, DASHBOARD.title)
    defined = {name for module in modules for name in _SUB.findall(module.code)}
    found = button_macros(path).get(sheet_part or "", {})
    for button in BUTTONS:
        macro = found.get(button.caption)
        if macro is None:
            problems.append(f"“{DASHBOARD.title}”表上缺少按钮“{button.caption}”")
        elif macro.split(".")[-1] != button.macro:
            problems.append(f"按钮“{button.caption}”运行的是“{macro}”，应为“{button.macro}”")
        elif button.macro not in defined:
            problems.append(f"按钮“{button.caption}”所用的宏“{button.macro}”在宏代码中不存在")
    return problems


def _shell(vba: bytes) -> bytes:
    """Return an .xlsm holding the VBA project, every sheet's code name and the buttons."""
    from tongjia_xls.book.vba_project import INSTALL_HINT

    try:
        import xlsxwriter
    except ImportError:  # pragma: no cover - the extra is installed with the tests
        raise UserError(INSTALL_HINT) from None

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_vba_project(io.BytesIO(vba), is_stream=True)
    workbook.set_vba_name("ThisWorkbook")
    for sheet in SHEETS:
        ws = workbook.add_worksheet(sheet.title)
        ws.set_vba_name(sheet.code_name)
        if sheet is DASHBOARD:
            # The buttons are anchored to cells: the widths and the row height must be the
            # ones the layout gives 控制台 afterwards, or the buttons would drift.
            for col, column in enumerate(sheet.columns):
                ws.set_column(col, col, column.width)
            ws.set_row(BUTTON_ROW - 1, BUTTON_ROW_HEIGHT)
            for index, button in enumerate(BUTTONS):
                ws.insert_button(BUTTON_ROW - 1, 0, button_options(index, button))
    workbook.add_worksheet(CONF_SHEET).set_vba_name(CONF_CODE_NAME)
    workbook.close()
    return buffer.getvalue()


_CONF_KEYS = (
    "Interpreter_Win", "Interpreter_Mac", "PYTHONPATH", "Conda Path", "Conda Env",
    "UDF Modules", "Debug UDFs", "Use UDF Server", "Show Console",
)
_CONF_HELP = (
    "这张表是 xlwings 的设置，告诉 Excel 按钮用哪个 Python 运行。请不要改名，也不要在 A、B 两列"
    "插入空行（xlwings 从 A1 往下读到第一个空格为止）。",
    "Interpreter_Win：Windows 上 Python 的完整路径，例如 C:\\Users\\您的用户名\\AppData\\Local\\"
    "Programs\\Python\\Python311\\pythonw.exe。留空时使用 PATH 里的 python。",
    "点击按钮提示找不到 Python 时：在命令提示符里运行 where python，把显示的路径（python.exe "
    "换成 pythonw.exe）填到 B1；或在该电脑上重新运行 tongjia-xls init 新建按钮版工作簿。",
)


def _fill_conf(ws: Any, interpreter: str) -> None:
    values: dict[str, Any] = dict.fromkeys(_CONF_KEYS, "")
    values.update({"Interpreter_Win": interpreter, "Debug UDFs": False,
                   "Use UDF Server": False, "Show Console": False})
    for row, key in enumerate(_CONF_KEYS, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=values[key] if values[key] != "" else None)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["D"].width = 90
    for row, text in enumerate(_CONF_HELP, start=1):
        cell = ws.cell(row=row, column=4, value=text)
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

