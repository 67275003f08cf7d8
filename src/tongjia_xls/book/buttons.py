"""The buttons of the macro workbook: what each is called, which macro it runs, where it sits.

A button runs a ``Sub`` of ``macros/TongjiaButtons.bas``; the ``Sub`` calls xlwings'
``RunPython`` into one function of :mod:`tongjia_xls.excel`; that function runs the same
action as the command line. :data:`BUTTONS` ties the three names together and tests hold
each link. :func:`button_macros` reads the buttons back from a saved workbook, so a build
and a batch run can both be checked against the declaration.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from tongjia_xls.sheets.schema import DASHBOARD


@dataclass(frozen=True)
class Button:
    """One button on ``控制台``: its caption, its VBA macro and the Python function behind it.

    ``command`` is the ``tongjia-xls`` command that does the same from the command line.
    """

    caption: str
    macro: str
    entry: str
    command: str


BUTTONS: tuple[Button, ...] = (
    Button("检查工作簿", "ValidateWorkbook", "validate", "validate"),
    Button("检查述职报告", "CheckReports", "check_reports", "check"),
    Button("计算得分与等次", "ScoreWorkbook", "score", "score"),
    Button("更新整改台账", "UpdateLedger", "rectify", "rectify --draft"),
    Button("生成打印材料", "MakeForms", "forms", "forms"),
    Button("一键运行全部", "RunAll", "run_all", "run"),
)

#: The VBA module that holds the buttons' macros (``macros/<name>.bas``).
MACRO_MODULE = "TongjiaButtons"
#: The buttons stand side by side in this row of ``控制台``, between the legend and the table.
BUTTON_ROW = DASHBOARD.header_row - 1
#: Height of that row in points, and the buttons' size and spacing in pixels.
BUTTON_ROW_HEIGHT = 36
BUTTON_WIDTH = 146
BUTTON_HEIGHT = 36
BUTTON_GAP = 8


def button_options(index: int, button: Button) -> dict[str, object]:
    """Return XlsxWriter's ``insert_button`` options for the ``index``-th button (from 0)."""
    return {
        "macro": button.macro,
        "caption": button.caption,
        "width": BUTTON_WIDTH,
        "height": BUTTON_HEIGHT,
        "x_offset": BUTTON_GAP + index * (BUTTON_WIDTH + BUTTON_GAP),
        "y_offset": 6,
        "description": f"运行：tongjia-xls {button.command}",
    }


# -- reading buttons back from a package ------------------------------------------------

_VML_NS = {"x": "urn:schemas-microsoft-com:office:excel", "v": "urn:schemas-microsoft-com:vml"}
_MACRO = re.compile(r"^\[0\]!(.+)$")


def button_macros(path: Path | str) -> dict[str, dict[str, str]]:
    """Return every form button of the workbook at ``path``: sheet part -> caption -> macro.

    The sheet is named by its part (``xl/worksheets/sheet1.xml``), the macro without the
    ``[0]!`` prefix Excel stores. A workbook without buttons gives an empty mapping.
    """
    with zipfile.ZipFile(path) as package:
        return buttons_in_package(package)


def buttons_in_package(package: zipfile.ZipFile) -> dict[str, dict[str, str]]:
    """Return the buttons of an open package, as :func:`button_macros` does for a file."""
    found: dict[str, dict[str, str]] = {}
    names = set(package.namelist())
    for rels in sorted(n for n in names if n.startswith("xl/worksheets/_rels/")):
        sheet = "xl/worksheets/" + rels.rsplit("/", 1)[1].removesuffix(".rels")
        for target in _vml_targets(package.read(rels)):
            found.setdefault(sheet, {})
            # A link to a part the package lacks is what openpyxl's one-digit VML pattern
            # does to vmlDrawing10.vml: the sheet counts as one without buttons.
            if target in names:
                found[sheet].update(_buttons_in(package.read(target)))
    return found


def _vml_targets(rels_xml: bytes) -> list[str]:
    root = ElementTree.fromstring(rels_xml)
    targets = []
    for rel in root:
        if rel.get("Type", "").endswith("/vmlDrawing"):
            target = rel.get("Target", "")
            targets.append(target.lstrip("/") if target.startswith("/")
                           else "xl/" + target.replace("../", ""))
    return targets


def _buttons_in(vml: bytes) -> dict[str, str]:
    # VML is loose XML; Excel's own files parse with ElementTree once namespaces are declared.
    root = ElementTree.fromstring(vml)
    buttons = {}
    for shape in root.iter("{urn:schemas-microsoft-com:vml}shape"):
        data = shape.find("x:ClientData", _VML_NS)
        if data is None or data.get("ObjectType") != "Button":
            continue
        textbox = shape.find("v:textbox", _VML_NS)
        caption = "".join(textbox.itertext()).strip() if textbox is not None else ""
        macro = data.findtext("x:FmlaMacro", default="", namespaces=_VML_NS).strip()
        match = _MACRO.match(macro)
        buttons[caption] = match.group(1) if match else macro
    return buttons
