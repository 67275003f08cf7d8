"""Run ``add_staff_features.py`` from the tests, and look for its features in a package.

The script needs Debian's system Python (``import uno``) and LibreOffice, which the venv
does not have, so it runs as a subprocess. Tests import this module as ``uno.features``
(``tests/`` is on pytest's pythonpath and the venv has no real ``uno`` module), e.g.::

    from uno.features import add_staff_features, present_features, uno_available

    pytestmark = pytest.mark.skipif(not uno_available(), reason="needs python3-uno")
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

__all__ = [
    "FEATURES",
    "SCRIPT",
    "SYSTEM_PYTHON",
    "add_staff_features",
    "present_features",
    "uno_available",
]

#: The script that adds the features (run by the system Python, not the venv's).
SCRIPT = Path(__file__).with_name("add_staff_features.py")
#: Debian's Python, the one with python3-uno.
SYSTEM_PYTHON = "/usr/bin/python3"
#: Feature names, as in the script's report and :func:`present_features`.
FEATURES = (
    "picture",
    "text_box",
    "comment",
    "rich_text",
    "colour_scale",
    "staff_formulas",
    "data_bar",
    "validation_list",
    "chart",
    "pivot_table",
    "sheet_before_scores",
    "print_titles",
)


@functools.cache
def uno_available() -> bool:
    """Return whether the system Python can ``import uno`` and ``soffice`` is on PATH."""
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).is_file():
        return False
    try:
        # -I: the venv's PYTHON* variables and the current folder must not leak in.
        result = subprocess.run(
            [SYSTEM_PYTHON, "-I", "-c", "import uno"], capture_output=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def add_staff_features(src: Path, out: Path, timeout: float = 180) -> dict:
    """Add the staff features to ``src`` through LibreOffice, store ``out``; return the report.

    The report maps ``"features"`` to ``{name: {"added": bool, "error": str | None, ...}}``
    with where each feature went, plus ``"added"`` (a count), ``"seconds"`` and
    ``"libreoffice"`` (the version). Raise :class:`RuntimeError`, with the script's
    output, when it fails, adds fewer than 7 features or takes longer than ``timeout``.
    The script's own watchdog stops soffice even when the script is killed on timeout.
    """
    with tempfile.TemporaryDirectory(prefix="tongjia-uno-report-") as folder:
        report_path = Path(folder) / "report.json"
        command = [
            SYSTEM_PYTHON,
            "-I",
            str(SCRIPT),
            str(Path(src).resolve()),
            str(Path(out).resolve()),
            "--report",
            str(report_path),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(
                f"add_staff_features.py did not finish within {timeout:g} s:\n"
                f"{_text(error.stdout)}{_text(error.stderr)}"
            ) from None
        if result.returncode != 0:
            raise RuntimeError(
                f"add_staff_features.py exited with status {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return json.loads(report_path.read_text(encoding="utf-8"))


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


# -- finding the features in a package ---------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
_PNG = b"\x89PNG\r\n\x1a\n"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


class _Package:
    """Parts of an .xlsx reached through relationships, so renumbered parts are found."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())

    def xml(self, part: str) -> ET.Element | None:
        return ET.fromstring(self.archive.read(part)) if part in self.names else None

    def related(self, part: str, kind: str) -> list[str]:
        """Return the parts that ``part`` relates to with a type ending in ``/kind``."""
        folder, name = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        if rels is None:
            return []
        found = []
        for rel in rels.iter(_q(_PKG, "Relationship")):
            if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith(
                f"/{kind}"
            ):
                continue
            target = rel.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found.append(posixpath.normpath(path))
        return found

    def target(self, part: str, rel_id: str | None) -> str | None:
        folder, name = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        for rel in [] if rels is None else rels.iter(_q(_PKG, "Relationship")):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target[1:]
                return posixpath.normpath(posixpath.join(folder, target))
        return None


def _bold(run_properties: ET.Element | None) -> bool:
    if run_properties is None:
        return False
    bold = run_properties.find(_q(_MAIN, "b"))
    return bold is not None and bold.get("val", "true").lower() not in ("0", "false")


def _coloured_bold_run(container: ET.Element, text: str) -> bool:
    """Whether a ``<r>`` run of ``container`` holding ``text`` is bold and coloured."""
    for run in container.iter(_q(_MAIN, "r")):
        if text in "".join(t.text or "" for t in run.iter(_q(_MAIN, "t"))):
            props = run.find(_q(_MAIN, "rPr"))
            colour = None if props is None else props.find(_q(_MAIN, "color"))
            if _bold(props) and colour is not None:
                return True
    return False


def present_features(path: Path) -> dict[str, bool]:
    """Return, for each name of :data:`FEATURES`, whether the .xlsx at ``path`` holds it.

    The parts are reached through relationships, never by file name, so a package written
    by another program (parts renumbered) is judged alike. ``"data_bar_x14"`` tells
    whether the data bar's Excel 2010 extension (x14 in the sheet's extLst) is there too.
    """
    with zipfile.ZipFile(path) as archive:
        package = _Package(archive)
        return _find(package)


def _find(package: _Package) -> dict[str, bool]:
    workbook_part = next(iter(package.related("", "officeDocument")), "xl/workbook.xml")
    workbook = package.xml(workbook_part)
    if workbook is None:
        raise ValueError("no workbook part")
    sheets: dict[str, str] = {}
    order: list[str] = []
    for sheet in workbook.iter(_q(_MAIN, "sheet")):
        name = sheet.get("name", "")
        order.append(name)
        sheets[name] = package.target(workbook_part, sheet.get(_q(_REL, "id"))) or ""
    found = dict.fromkeys(FEATURES, False)
    found["data_bar_x14"] = False

    scores = package.xml(sheets.get("评分", ""))
    drawings = package.related(sheets.get("评分", ""), "drawing")
    for drawing_part in drawings:
        drawing = package.xml(drawing_part)
        if drawing is None:
            continue
        for blip in drawing.iter(_q(_A, "blip")):
            image = package.target(drawing_part, blip.get(_q(_REL, "embed")))
            if image in package.names and package.archive.read(image).startswith(_PNG):
                found["picture"] = True
        for shape in drawing.iter(_q(_XDR, "sp")):
            body = shape.find(_q(_XDR, "txBody"))
            text = "" if body is None else "".join(t.text or "" for t in body.iter(_q(_A, "t")))
            if "党建办备注：请按时上报" in text:
                found["text_box"] = True
        for chart in drawing.iter(_q(_C, "chart")):
            if package.target(drawing_part, chart.get(_q(_REL, "id"))) in package.names:
                found["chart"] = True

    for comments_part in package.related(sheets.get("组织", ""), "comments"):
        comments = package.xml(comments_part)
        for comment in [] if comments is None else comments.iter(_q(_MAIN, "comment")):
            if comment.get("ref") == "B3" and _coloured_bold_run(comment, "已核实"):
                found["comment"] = True

    strings = [
        package.xml(part) for part in package.related(workbook_part, "sharedStrings")
    ] + [package.xml(sheets.get("组织", ""))]  # inline strings (<is>) count too
    for root in strings:
        items = [] if root is None else [*root.iter(_q(_MAIN, "si")), *root.iter(_q(_MAIN, "is"))]
        for item in items:
            text = "".join(t.text or "" for t in item.iter(_q(_MAIN, "t")))
            if text == "重点村：红色字" and _coloured_bold_run(item, "红色字"):
                found["rich_text"] = True

    if scores is not None:
        formulas: dict[str, int] = {}
        for cell in scores.iter(_q(_MAIN, "c")):
            formula, value = cell.find(_q(_MAIN, "f")), cell.find(_q(_MAIN, "v"))
            if formula is not None and value is not None and value.text:
                key = (formula.text or "").replace(" ", "")
                formulas[key] = formulas.get(key, 0) + 1
        found["staff_formulas"] = formulas.get("85+5", 0) >= 2 and "SUM(1,2,3)" in formulas
        for rule in scores.iter(_q(_MAIN, "cfRule")):
            scale = rule.find(_q(_MAIN, "colorScale"))
            if rule.get("type") == "colorScale" and scale is not None:
                found["colour_scale"] = len(scale.findall(_q(_MAIN, "cfvo"))) >= 2
            if rule.get("type") == "dataBar" and rule.find(_q(_MAIN, "dataBar")) is not None:
                found["data_bar"] = True
        found["data_bar_x14"] = any(
            rule.get("type") == "dataBar" for rule in scores.iter(_q(_X14, "cfRule"))
        )
        for validation in scores.iter(_q(_MAIN, "dataValidation")):
            source = validation.findtext(_q(_MAIN, "formula1")) or ""
            if validation.get("type") == "list" and "组织" in source:
                found["validation_list"] = True

    for pivot_part in package.related(sheets.get("透视", ""), "pivotTable"):
        caches = package.related(pivot_part, "pivotCacheDefinition")
        found["pivot_table"] = any(cache in package.names for cache in caches)

    if "说明" in order and "评分" in order:
        found["sheet_before_scores"] = order.index("说明") == order.index("评分") - 1
    if "评分" in order:
        titles = [
            name.text or ""
            for name in workbook.iter(_q(_MAIN, "definedName"))
            if name.get("name") == "_xlnm.Print_Titles"
            and name.get("localSheetId") == str(order.index("评分"))
        ]
        # The script adds title columns to the tool's title row: both spans must be there.
        found["print_titles"] = (
            len(titles) == 1
            and "评分" in titles[0]
            and re.search(r"\$[A-Z]+:\$[A-Z]+", titles[0]) is not None
            and re.search(r"\$\d+:\$\d+", titles[0]) is not None
        )
    return found
