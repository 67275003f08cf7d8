"""Add what a staff member adds to the master workbook over a year, through LibreOffice UNO.

Run with Debian's system Python, which has ``import uno`` (package python3-uno)::

    /usr/bin/python3 tests/uno/add_staff_features.py IN.xlsx OUT.xlsx [--report OUT.json]

The script starts its own headless ``soffice`` (private pipe name, throw-away profile),
loads a copy of IN.xlsx hidden, adds each feature below in its own ``try`` so that one
failure does not stop the others, stores the result as "Calc MS Excel 2007 XML" to
OUT.xlsx and always stops ``soffice`` and deletes the profile, also when it is killed
itself: a watchdog process waits for this script's end and kills the soffice group.
The JSON report (``--report``) lists each feature with ``added`` and ``error`` plus
where it went; the exit status is 0 when at least 7 features were added, 1 when fewer,
2 when LibreOffice could not be started, could not load IN or could not store OUT.
One run on the demo workbook takes about 3 s (soffice start included).

Columns are found by their header text in the first rows, never by fixed letters.

What LibreOffice 7.4.7.2 writes for each feature (checked on the ``tongjia-xls demo``
workbook with zipfile and openpyxl 3.1; part numbers are those of that run):

- picture: ``xl/media/image1.png``; in 评分's drawing (``xl/drawings/drawing6.xml``) an
  ``xdr:twoCellAnchor editAs="oneCell"`` holding ``xdr:pic`` with ``a:blip r:embed`` (an
  image relationship in ``drawing6.xml.rels``); its ``xdr:cNvPr`` has ``id="0"``. openpyxl
  without Pillow does not load it (``ws._images`` is empty).
- text box: in the same drawing an ``xdr:sp`` with ``xdr:cNvSpPr txBox="1"`` and an
  ``xdr:txBody`` whose ``a:r/a:t`` holds the text.
- comment: ``xl/comments3.xml`` (numbered by sheet position) with ``<comment ref="B3">``
  made of ``<r>`` runs, the formatted one with ``<b val="true"/>`` and ``<color
  rgb="FFC00000"/>``; ``xl/drawings/vmlDrawing1.vml`` with a ``v:shape`` of
  ``width:170.05pt;height:70.8pt`` and ``<x:Visible/>``, referred to by the sheet's
  ``<legacyDrawing>``. The author is blank (``<author> </author>``): UNO cannot set it.
  openpyxl reads the text but not the box size (it reports its defaults, 144 x 79).
- rich text: a shared string ``<si>`` of two ``<r>`` runs, the second with ``<b
  val="true"/>`` and ``<color rgb="FFFF0000"/>``; openpyxl (``rich_text=True``) reads a
  CellRichText. Bold must be set as CharWeightAsian too: LibreOffice exports the Asian
  font attributes for Chinese characters. Beware: LibreOffice also turns every existing
  string that mixes Chinese and Latin characters into runs (one per script, with
  rFont/family), so ``<r>`` alone does not mark a staff change.
- formulas: ``setFormula`` takes English function names with ";" separators
  (``=SUM(1,2,3)`` is error 525 there; ``FormulaLocal`` takes "," in an en-US profile).
  Written as ``<c t="n"><f aca="false">SUM(1,2,3)</f><v>6</v></c>``, with cached values.
- colour scale: ``<conditionalFormatting sqref="P2:P22"><cfRule type="colorScale">
  <colorScale>`` with three ``cfvo`` (min, percentile 50, max) and three ``color``. UNO
  cannot make one in 7.4: ``createEntry(COLORSCALE)`` makes a scale without entries
  (``ScColorScaleFormat::EnsureSize`` is a TODO), stored as an empty, invalid
  ``<colorScale></colorScale>``, and setting ``ColorScaleEntries`` then dereferences a
  null entry and crashes soffice. So the scale is read from a small flat ODS written
  here, whose sheet is imported (``importSheet``) and its cells copied (``copyRange``)
  onto the new, still empty "核对" column; the helper sheet is then removed.
- data bar: ``<cfRule type="dataBar"><dataBar showValue="1" minLength="0"
  maxLength="100">`` with ``cfvo`` min/max and ``color``, plus ``<extLst><ext
  uri="{B025F937-…}"><x14:id>`` naming a rule in the worksheet's ``<extLst><ext
  uri="{78C0D931-…}"><x14:conditionalFormattings>``: ``x14:cfRule type="dataBar"`` with
  ``x14:dataBar`` (cfvo ``autoMin``/``max``, ``x14:negativeFillColor``,
  ``x14:axisColor``) and ``xm:sqref``. openpyxl warns about both extensions ("Unknown
  extension is not supported and will be removed", "Conditional Formatting extension is
  not supported and will be removed"): under pytest's ``filterwarnings = error`` a test
  that opens OUT.xlsx with openpyxl must filter these two UserWarnings.
- validation list: the source must be given in Calc syntax (``$组织.$B$2:$B$22``);
  written as ``<dataValidation type="list" showDropDown="false"
  sqref="A2:A22"><formula1>组织!$B$2:$B$22</formula1><formula2>0</formula2>``.
- chart: ``xl/charts/chart1.xml`` (a ``c:barChart``, ``c:f`` ranges on 评分) referred to
  from an ``xdr:graphicFrame`` in 评分's drawing. Charts are numbered in sheet order, so
  统计's two charts become chart2 and chart3.
- pivot table: ``xl/pivotTables/pivotTable1.xml`` (related from the 透视 sheet),
  ``xl/pivotCache/pivotCacheDefinition1.xml`` (``worksheetSource sheet="组织"``) with
  ``pivotCacheRecords1.xml``, and ``<pivotCaches>`` in workbook.xml.
- sheet before 评分: ``<sheet name="说明">`` right before 评分 in workbook.xml; sheetIds
  are renumbered in tab order and every localSheetId after it shifts by one.
- print titles: ``<definedName name="_xlnm.Print_Titles" localSheetId="7">
  评分!$A:$A,评分!$1:$1</definedName>`` and ``_xlnm.Print_Area`` ``评分!$A$1:$O$22``. An
  imported ``_xlnm.Print_Titles`` stays in LibreOffice as a sheet-local named range and,
  when the print titles differ from it, is written as a second, stale
  ``_xlnm.Print_Titles``; so that local name is removed first.

LibreOffice rewrites the whole package besides: parts renumbered, an empty drawing part
(a bare ``xdr:wsDr``) for most sheets, ``docProps/custom.xml`` added, sheet names
unquoted in defined names.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uno  # python3-uno's; ruff counts it first-party because of the folder tests/uno

#: Features that must be added for the run to count as a success.
MIN_ADDED = 7
#: Seconds to wait for soffice to accept the pipe connection.
CONNECT_TIMEOUT = 60.0
#: Known headers of the two sheets the script edits (a header row holds several of them).
ORG_HEADERS = ("序号", "党组织名称", "类型", "书记姓名", "单位及职务", "包片领导", "备注")
SCORE_HEADERS = ("党组织名称", "述职人", "平时考核", "实地调研", "现场述职", "综合得分")
#: Rows scanned for a header row: the header is in row 1 or 2 of the tool's sheets.
HEADER_SCAN_ROWS = 6

XLSX_FILTER = "Calc MS Excel 2007 XML"
BOLD = 150.0  # com.sun.star.awt.FontWeight.BOLD
RED = 0xFF0000
DARK_RED = 0xC00000

# A watchdog kills the soffice process group when this script ends in any way, even by
# SIGKILL (its stdin pipe then reaches EOF): a caller's timeout must not leave soffice.
# It is told the group's id, then "0" once the script has cleaned up itself; otherwise
# it kills the group and removes the folders and socket files named on its command line.
WATCHDOG = """
import os, shutil, signal, sys
lines = sys.stdin.read().split()
if lines and lines[-1] == "0":
    sys.exit()
if lines:
    try:
        os.killpg(int(lines[-1]), signal.SIGKILL)
    except OSError:
        pass
for path in sys.argv[1:]:
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)
"""


# UNO structs are made by createUnoStruct rather than ``from com.sun.star… import``:
# those imports need ``import uno`` first, an order that ruff's import sorting undoes.


def prop(name: str, value: Any) -> Any:
    """Return a UNO PropertyValue, the argument type of load and store calls."""
    state = uno.Enum("com.sun.star.beans.PropertyState", "DIRECT_VALUE")
    return uno.createUnoStruct("com.sun.star.beans.PropertyValue", name, 0, value, state)


def cell_address(sheet: int, col: int, row: int) -> Any:
    """Return a ``table.CellAddress`` (0-based sheet, column, row)."""
    return uno.createUnoStruct("com.sun.star.table.CellAddress", sheet, col, row)


def range_address(sheet: int, col: int, row: int, end_col: int, end_row: int) -> Any:
    """Return a ``table.CellRangeAddress`` (0-based, end inclusive)."""
    return uno.createUnoStruct(
        "com.sun.star.table.CellRangeAddress", sheet, col, row, end_col, end_row
    )


def size(width: int, height: int) -> Any:
    """Return an ``awt.Size`` in 1/100 mm."""
    return uno.createUnoStruct("com.sun.star.awt.Size", width, height)


def make_png(width: int = 48, height: int = 32) -> bytes:
    """Return a small valid RGB PNG (a colour gradient), built without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = (
        b"\x00" + b"".join(bytes((200, x * 5 % 256, y * 7 % 256)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def colour_scale_fods(table: str, rows: int) -> str:
    """Return a flat ODS whose sheet ``table`` has a 3-colour scale on A1:A``rows``.

    UNO cannot build a colour scale (see the module docstring); ODF import can.
    """
    entries = (
        ("minimum", "0", "#f8696b"),
        ("percentile", "50", "#ffeb84"),
        ("maximum", "0", "#63be7b"),
    )
    scale = "".join(
        f'<calcext:color-scale-entry calcext:value="{value}" calcext:type="{kind}"'
        f' calcext:color="{color}"/>'
        for kind, value, color in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.3"'
        ' office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        f'<office:body><office:spreadsheet><table:table table:name="{table}">'
        "<table:table-column/>"
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell/>'
        "</table:table-row><calcext:conditional-formats>"
        f'<calcext:conditional-format calcext:target-range-address="{table}.A1:{table}.A{rows}">'
        f"<calcext:color-scale>{scale}</calcext:color-scale></calcext:conditional-format>"
        "</calcext:conditional-formats></table:table></office:spreadsheet></office:body>"
        "</office:document>"
    )


def column_letter(index: int) -> str:
    """Return the A1 letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def a1(col: int, row: int) -> str:
    """Return the A1 name of a 0-based cell position."""
    return f"{column_letter(col)}{row + 1}"


# -- LibreOffice process --------------------------------------------------------------


class Office:
    """A private headless soffice, reached over a named pipe; always stopped by ``close``."""

    def __init__(self, soffice: str, work: Path) -> None:
        self.pipe = f"tongjia_uno_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self.profile = Path(tempfile.mkdtemp(prefix="tongjia-uno-profile-", dir="/tmp"))
        # soffice's pipes are socket files that only a clean exit removes: the accept
        # pipe, and the single-instance pipe named after the MD5 of the profile's URL
        # (UTF-16, bytes in hex without leading zeros, as desktop/officeipcthread does).
        digest = hashlib.md5(self.profile.as_uri().encode("utf-16-le"), usedforsecurity=False)
        self.sockets = [
            f"/tmp/OSL_PIPE_{os.getuid()}_{self.pipe}",
            f"/tmp/OSL_PIPE_{os.getuid()}_SingleOfficeIPC_"
            + "".join(f"{byte:x}" for byte in digest.digest()),
        ]
        command = [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={self.pipe};urp;",
            f"-env:UserInstallation={self.profile.as_uri()}",
        ]
        self.log = (work / "soffice.log").open("wb")
        # Started first, so that no moment exists where soffice runs unwatched.
        self.watchdog = subprocess.Popen(
            [sys.executable, "-I", "-c", WATCHDOG, str(self.profile), str(work), *self.sockets],
            stdin=subprocess.PIPE,
            text=True,
            start_new_session=True,  # must outlive a kill of this script's process group
        )
        try:
            # soffice is a shell script that starts oosplash, which starts soffice.bin: a
            # new session makes them one process group that can be killed as a whole.
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "HOME": str(self.profile)},
                start_new_session=True,
            )
        except BaseException:
            self._release_watchdog()
            self.log.close()
            raise
        self._tell_watchdog(str(self.process.pid))
        self.context: Any = None
        self.desktop: Any = None

    def connect(self, timeout: float = CONNECT_TIMEOUT) -> Any:
        """Return the remote component context, retrying until soffice listens."""
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.context = resolver.resolve(url)
                break
            except Exception as error:  # NoConnectException until the pipe exists
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"soffice exited with status {self.process.returncode} before"
                        " accepting the connection"
                    ) from error
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"soffice did not accept the pipe within {timeout:.0f} s"
                    ) from error
                time.sleep(0.25)
        self.desktop = self.service("com.sun.star.frame.Desktop")
        return self.context

    def service(self, name: str) -> Any:
        """Return a new instance of the UNO service ``name`` inside soffice."""
        return self.context.ServiceManager.createInstanceWithContext(name, self.context)

    def version(self) -> str:
        """Return LibreOffice's version, e.g. ``7.4.7.2``."""
        provider = self.service("com.sun.star.configuration.ConfigurationProvider")
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess",
            (prop("nodepath", "/org.openoffice.Setup/Product"),),
        )
        return str(access.getByName("ooSetupVersionAboutBox"))

    def close(self) -> None:
        """Stop soffice (politely, then by killing its group) and delete the profile."""
        if self.desktop is not None:
            # The bridge drops while soffice exits, so terminate() may raise: expected.
            with contextlib.suppress(Exception):
                self.desktop.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        # oosplash may be gone while soffice.bin lives on: kill whatever is left.
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
        for socket in self.sockets:  # left behind when soffice had to be killed
            with contextlib.suppress(FileNotFoundError):
                os.unlink(socket)
        if self.process.poll() is not None:  # else the watchdog kills the group once more
            self._tell_watchdog("0")
        self._release_watchdog()

    def _tell_watchdog(self, line: str) -> None:
        if self.watchdog.stdin is not None:
            self.watchdog.stdin.write(line + "\n")
            self.watchdog.stdin.flush()

    def _release_watchdog(self) -> None:
        if self.watchdog.stdin is not None:
            self.watchdog.stdin.close()  # EOF: the watchdog acts on the last line and exits
        try:
            self.watchdog.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.watchdog.kill()


# -- the workbook ---------------------------------------------------------------------


class Layout:
    """Header row, header columns and data rows of one sheet, read from its cells."""

    def __init__(self, sheet: Any, known: tuple[str, ...]) -> None:
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        self.last_col = cursor.RangeAddress.EndColumn
        self.last_row = cursor.RangeAddress.EndRow
        best: tuple[int, int, dict[str, int]] | None = None
        for row in range(min(HEADER_SCAN_ROWS, self.last_row + 1)):
            values = sheet.getCellRangeByPosition(0, row, self.last_col, row).getDataArray()[0]
            headers = {str(v).strip(): c for c, v in enumerate(values) if str(v).strip()}
            hits = sum(1 for name in known if name in headers)
            if hits >= 2 and (best is None or hits > best[0]):
                best = (hits, row, headers)
        if best is None:
            raise RuntimeError(f"no header row with {'、'.join(known)} in sheet {sheet.Name}")
        _, self.header_row, self.columns = best
        # Data rows end at the last row with an organization name: the tool formats empty
        # rows below, which the used area includes.
        name_col = self.column("党组织名称")
        names = sheet.getCellRangeByPosition(
            name_col, self.header_row + 1, name_col, max(self.last_row, self.header_row + 1)
        ).getDataArray()
        filled = [i for i, (v,) in enumerate(names) if str(v).strip()]
        if not filled:
            raise RuntimeError(f"sheet {sheet.Name} has no organization rows")
        self.first_data = self.header_row + 1
        self.last_data = self.header_row + 1 + filled[-1]

    def column(self, header: str) -> int:
        """Return the 0-based column whose header is ``header``."""
        if header not in self.columns:
            raise RuntimeError(f"header {header} not found")
        return self.columns[header]


class Staff:
    """The features, each a method returning details for the report."""

    def __init__(self, office: Office, doc: Any, work: Path) -> None:
        self.office = office
        self.doc = doc
        self.work = work
        self.sheets = doc.Sheets

    # Read when first needed, so a sheet that is missing or without its headers fails
    # only the features that use it.

    @functools.cached_property
    def org(self) -> Layout:
        return Layout(self.sheet("组织"), ORG_HEADERS)

    @functools.cached_property
    def score(self) -> Layout:
        return Layout(self.sheet("评分"), SCORE_HEADERS)

    @property
    def check_col(self) -> int:
        """The staff column 核对, right of the tool's columns."""
        return self.score.last_col + 1

    @property
    def object_col(self) -> int:
        """Where pictures, text box and chart go: right of the 核对 column."""
        return self.score.last_col + 3

    def sheet(self, name: str) -> Any:
        if not self.sheets.hasByName(name):
            raise RuntimeError(f"the workbook has no sheet {name}")
        return self.sheets.getByName(name)

    def ranges(self, *addresses: Any) -> Any:
        result = self.doc.createInstance("com.sun.star.sheet.SheetCellRanges")
        for address in addresses:
            result.addRangeAddress(address, False)
        return result

    def score_column(self, header: str) -> tuple[Any, int, Any]:
        sheet = self.sheet("评分")
        col = self.score.column(header)
        index = sheet.RangeAddress.Sheet
        address = range_address(index, col, self.score.first_data, col, self.score.last_data)
        return sheet, col, address

    def data_ref(self, col: int) -> str:
        return f"{a1(col, self.score.first_data)}:{a1(col, self.score.last_data)}"

    # -- drawings ---------------------------------------------------------------------

    def picture(self) -> dict[str, Any]:
        sheet = self.sheet("评分")
        path = self.work / "staff.png"
        path.write_bytes(make_png())
        provider = self.office.service("com.sun.star.graphic.GraphicProvider")
        graphic = provider.queryGraphic((prop("URL", path.as_uri()),))
        shape = self.doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
        shape.Graphic = graphic
        sheet.DrawPage.add(shape)
        shape.setSize(size(2400, 1600))  # 1/100 mm
        anchor = a1(self.object_col, self.score.first_data + 2)
        shape.Anchor = sheet.getCellRangeByName(anchor)
        shape.Name = "党建办照片"
        return {"sheet": "评分", "anchor": anchor, "name": shape.Name, "format": "png"}

    def text_box(self) -> dict[str, Any]:
        sheet = self.sheet("评分")
        shape = self.doc.createInstance("com.sun.star.drawing.TextShape")
        sheet.DrawPage.add(shape)  # text can only be set once the shape is on a page
        shape.setSize(size(6000, 1500))
        anchor = a1(self.object_col, self.score.first_data + 6)
        shape.Anchor = sheet.getCellRangeByName(anchor)
        shape.setString("党建办备注：请按时上报")
        shape.FillStyle = uno.Enum("com.sun.star.drawing.FillStyle", "SOLID")
        shape.FillColor = 0xFFF2CC
        shape.LineStyle = uno.Enum("com.sun.star.drawing.LineStyle", "SOLID")
        shape.Name = "党建办备注"
        return {"sheet": "评分", "anchor": anchor, "name": shape.Name, "text": shape.getString()}

    def comment(self) -> dict[str, Any]:
        sheet = self.sheet("组织")
        cell = sheet.getCellRangeByName("B3")
        sheet.Annotations.insertNew(cell_address(sheet.RangeAddress.Sheet, 1, 2), "包片领导：")
        annotation = cell.Annotation
        shape = annotation.AnnotationShape
        cursor = shape.createTextCursor()
        cursor.gotoEnd(False)
        set_bold_colour(cursor, DARK_RED)
        shape.insertString(cursor, "已核实", False)
        annotation.IsVisible = True
        shape.setSize(size(6000, 2500))
        return {
            "sheet": "组织",
            "cell": "B3",
            "text": annotation.String,
            "formatted": "已核实",
            "visible": bool(annotation.IsVisible),
        }

    # -- cells --------------------------------------------------------------------------

    def rich_text(self) -> dict[str, Any]:
        sheet = self.sheet("组织")
        cell_name = a1(self.org.column("备注"), self.org.first_data)
        cell = sheet.getCellRangeByName(cell_name)
        cell.setString("重点村：红色字")
        cursor = cell.createTextCursor()
        cursor.gotoStart(False)
        cursor.goRight(4, False)
        cursor.goRight(3, True)
        set_bold_colour(cursor, RED)
        return {"sheet": "组织", "cell": cell_name, "text": cell.getString(), "red": "红色字"}

    def staff_formulas(self) -> dict[str, Any]:
        sheet = self.sheet("评分")
        header = sheet.getCellByPosition(self.check_col, self.score.header_row)
        header.setString("核对")
        formulas = {}
        # setFormula wants English names and ";" separators (the API grammar).
        for offset, formula in enumerate(("=85+5", "=SUM(1;2;3)")):
            row = self.score.first_data + offset
            cell = sheet.getCellByPosition(self.check_col, row)
            cell.setFormula(formula)
            formulas[a1(self.check_col, row)] = {"formula": formula, "value": cell.getValue()}
        col = self.score.column("平时考核")
        cell = sheet.getCellByPosition(col, self.score.first_data)
        replaced = cell.getFormula() or None  # what the staff member overwrote
        cell.setFormula("=85+5")
        formulas[a1(col, self.score.first_data)] = {
            "formula": "=85+5",
            "value": cell.getValue(),
            "replaced": replaced,
        }
        errors = {ref: sheet.getCellRangeByName(ref).getError() for ref in formulas}
        if any(errors.values()):
            raise RuntimeError(f"formula errors {errors}")
        return {
            "sheet": "评分",
            "header": a1(self.check_col, self.score.header_row),
            "cells": formulas,
        }

    # -- conditional formats, validation -------------------------------------------------

    def colour_scale(self) -> dict[str, Any]:
        # Runs before staff_formulas: copyRange overwrites the 核对 cells it lands on.
        sheet = self.sheet("评分")
        rows = self.score.last_data - self.score.first_data + 1
        table = f"tongjia_scale_{uuid.uuid4().hex[:8]}"
        path = self.work / "scale.fods"
        path.write_text(colour_scale_fods(table, rows), encoding="utf-8")
        helper = self.office.desktop.loadComponentFromURL(
            path.as_uri(), "_blank", 0, (prop("Hidden", True),)
        )
        if helper is None:
            raise RuntimeError("LibreOffice could not load the colour-scale helper")
        try:
            position = self.sheets.Count
            self.sheets.importSheet(helper, table, position)
        finally:
            helper.close(True)
        try:
            source = self.sheets.getByIndex(position)
            sheet.copyRange(
                cell_address(sheet.RangeAddress.Sheet, self.check_col, self.score.first_data),
                source.getCellRangeByPosition(0, 0, 0, rows - 1).RangeAddress,
            )
        finally:
            self.sheets.removeByName(table)
        found = [
            fmt.Range.RangeAddressesAsString
            for fmt in sheet.ConditionalFormats.getConditionalFormats()
            if fmt.Count and fmt.getByIndex(0).Type == constant("ConditionEntryType.COLORSCALE")
        ]
        if not found:
            raise RuntimeError("the copied cells brought no colour scale")
        return {
            "sheet": "评分",
            "range": self.data_ref(self.check_col),
            "entries": ["min", "percentile 50", "max"],
            "method": "importSheet from a flat ODS + copyRange (UNO cannot fill a colour scale)",
        }

    def data_bar(self) -> dict[str, Any]:
        sheet, col, address = self.score_column("综合得分")
        formats = sheet.ConditionalFormats
        key = formats.createByRange(self.ranges(address))
        fmt = next(f for f in formats.getConditionalFormats() if key == f.ID)
        fmt.createEntry(constant("ConditionEntryType.DATABAR"), 0)
        bar = fmt.getByIndex(0)
        lower, upper = bar.DataBarEntries  # EnsureSize made both, typed "value 0"
        lower.setType(constant("DataBarEntryType.DATABAR_MIN"))
        upper.setType(constant("DataBarEntryType.DATABAR_MAX"))
        bar.Color = 0x638EC6
        bar.NegativeColor = RED
        bar.AxisColor = 0x000000
        return {"sheet": "评分", "range": self.data_ref(col), "entries": ["min", "max"]}

    def validation_list(self) -> dict[str, Any]:
        sheet, col, address = self.score_column("党组织名称")
        cells = sheet.getCellRangeByPosition(
            address.StartColumn, address.StartRow, address.EndColumn, address.EndRow
        )
        names = column_letter(self.org.column("党组织名称"))
        # Calc syntax: the Excel form 组织!$B$2:$B$22 is not understood here.
        source = f"$组织.${names}${self.org.first_data + 1}:${names}${self.org.last_data + 1}"
        validation = cells.Validation
        validation.Type = uno.Enum("com.sun.star.sheet.ValidationType", "LIST")
        validation.setFormula1(source)
        validation.ShowList = 1  # TableValidationVisibility.UNSORTED: a plain dropdown
        validation.IgnoreBlankCells = True
        validation.ShowErrorMessage = True
        validation.ErrorTitle = "党组织名称"
        validation.ErrorMessage = "请从“组织”表的名单中选择"
        cells.Validation = validation
        stored = cells.Validation.getFormula1()
        return {"sheet": "评分", "range": self.data_ref(col), "source": stored}

    # -- objects on sheets ------------------------------------------------------------------

    def chart(self) -> dict[str, Any]:
        sheet = self.sheet("评分")
        index = sheet.RangeAddress.Sheet
        first, last = self.score.header_row, self.score.last_data
        name_col = self.score.column("党组织名称")
        series = [self.score.column("平时考核"), self.score.column("实地调研")]
        ranges = [range_address(index, name_col, first, name_col, last)]
        ranges += [range_address(index, col, first, col, last) for col in series]
        # Position right of the tool's columns, below the picture and text box.
        x = sum(sheet.getColumns().getByIndex(c).Width for c in range(self.object_col))
        y = sum(sheet.getRows().getByIndex(r).Height for r in range(self.score.first_data + 9))
        where = uno.createUnoStruct("com.sun.star.awt.Rectangle", x, y, 12000, 8000)  # 1/100 mm
        sheet.Charts.addNewByName("党建办图表", where, tuple(ranges), True, True)
        return {
            "sheet": "评分",
            "name": "党建办图表",
            "categories": self.data_ref(name_col),
            "series": [self.data_ref(col) for col in series],
        }

    def pivot_table(self) -> dict[str, Any]:
        org = self.sheet("组织")
        self.sheets.insertNewByName("透视", self.sheets.Count)
        target = self.sheet("透视")
        tables = target.DataPilotTables
        descriptor = tables.createDataPilotDescriptor()
        last_col = max(self.org.columns.values())
        descriptor.setSourceRange(
            range_address(
                org.RangeAddress.Sheet, 0, self.org.header_row, last_col, self.org.last_data
            )
        )
        fields = descriptor.DataPilotFields
        by_name = {fields.getByIndex(i).Name: fields.getByIndex(i) for i in range(fields.Count)}
        by_name["类型"].Orientation = uno.Enum(
            "com.sun.star.sheet.DataPilotFieldOrientation", "ROW"
        )
        data = by_name["党组织名称"]
        data.Orientation = uno.Enum("com.sun.star.sheet.DataPilotFieldOrientation", "DATA")
        data.Function = uno.Enum("com.sun.star.sheet.GeneralFunction", "COUNT")
        corner = cell_address(target.RangeAddress.Sheet, 0, 0)
        tables.insertNewByName("党建办透视", corner, descriptor)
        output = tables.getByName("党建办透视").OutputRange
        ref = f"{a1(output.StartColumn, output.StartRow)}:{a1(output.EndColumn, output.EndRow)}"
        source = f"{a1(0, self.org.header_row)}:{a1(last_col, self.org.last_data)}"
        return {"sheet": "透视", "name": "党建办透视", "source": f"组织!{source}", "output": ref}

    def sheet_before_scores(self) -> dict[str, Any]:
        # LibreOffice has no chart sheets: a plain sheet before 评分 shifts the indices alike.
        position = list(self.sheets.ElementNames).index(self.sheet("评分").Name)
        self.sheets.insertNewByName("说明", position)
        sheet = self.sheet("说明")
        sheet.getCellByPosition(0, 0).setString("党建办说明")
        sheet.getCellByPosition(0, 1).setString("本工作簿由党建办维护，修改前请先备份。")
        names = list(self.sheets.ElementNames)
        return {"sheet": "说明", "index": names.index("说明"), "order": names}

    def print_titles(self) -> dict[str, Any]:
        sheet = self.sheet("评分")
        index = sheet.RangeAddress.Sheet
        # The imported _xlnm.Print_Titles stays a sheet-local name; left in place it is
        # written as a second, stale Print_Titles beside the new one.
        removed = []
        for name in sheet.NamedRanges.ElementNames:
            if name.lower().removeprefix("_xlnm.") in ("print_titles", "print_area"):
                sheet.NamedRanges.removeByName(name)
                removed.append(name)
        row = self.score.header_row
        col = self.score.column("党组织名称")
        sheet.setTitleRows(range_address(index, 0, row, 0, row))
        sheet.setPrintTitleRows(True)
        sheet.setTitleColumns(range_address(index, col, 0, col, 0))
        sheet.setPrintTitleColumns(True)
        area = range_address(index, 0, 0, self.score.last_col, self.score.last_data)
        sheet.setPrintAreas((area,))
        letter = column_letter(col)
        return {
            "sheet": "评分",
            "sheet_index": index,
            "title_rows": f"${row + 1}:${row + 1}",
            "title_columns": f"${letter}:${letter}",
            "print_area": f"{a1(0, 0)}:{a1(self.score.last_col, self.score.last_data)}",
            "removed_local_names": removed,
        }


def constant(name: str) -> Any:
    """Return the UNO constant ``com.sun.star.sheet.<name>``."""
    return uno.getConstantByName(f"com.sun.star.sheet.{name}")


def set_bold_colour(cursor: Any, colour: int) -> None:
    """Make the cursor's text bold and coloured, for Chinese text too.

    LibreOffice exports the Asian weight for Chinese characters, so all three weights are
    set.
    """
    cursor.CharColor = colour
    cursor.CharWeight = BOLD
    cursor.CharWeightAsian = BOLD
    cursor.CharWeightComplex = BOLD


#: The features in the order they are added; the colour scale precedes the formulas (it
#: copies cells onto the 核对 column) and the new sheet precedes the print titles.
FEATURES: tuple[tuple[str, Callable[[Staff], dict[str, Any]]], ...] = (
    ("picture", Staff.picture),
    ("text_box", Staff.text_box),
    ("comment", Staff.comment),
    ("rich_text", Staff.rich_text),
    ("colour_scale", Staff.colour_scale),
    ("staff_formulas", Staff.staff_formulas),
    ("data_bar", Staff.data_bar),
    ("validation_list", Staff.validation_list),
    ("chart", Staff.chart),
    ("pivot_table", Staff.pivot_table),
    ("sheet_before_scores", Staff.sheet_before_scores),
    ("print_titles", Staff.print_titles),
)


def run(source: Path, out: Path, soffice: str) -> dict[str, Any]:
    """Add every feature to a copy of ``source``, store it as ``out``; return the report."""
    started = time.monotonic()
    report: dict[str, Any] = {"input": str(source), "output": str(out), "features": {}}
    with tempfile.TemporaryDirectory(prefix="tongjia-uno-") as scratch:
        work = Path(scratch)
        # An ASCII copy: LibreOffice leaves a lock file beside what it opens, and IN stays
        # untouched whatever happens.
        copy = work / "input.xlsx"
        shutil.copyfile(source, copy)
        office = Office(soffice, work)
        try:
            office.connect()
            report["libreoffice"] = office.version()
            doc = office.desktop.loadComponentFromURL(
                copy.as_uri(), "_blank", 0, (prop("Hidden", True),)
            )
            if doc is None:
                raise RuntimeError(f"LibreOffice could not load {source}")
            try:
                staff = Staff(office, doc, work)
                for name, feature in FEATURES:
                    entry: dict[str, Any] = {"added": False, "error": None}
                    try:
                        entry.update(feature(staff))
                        entry["added"] = True
                    except Exception as error:
                        entry["error"] = f"{type(error).__name__}: {error}"
                        entry["traceback"] = traceback.format_exc()
                    report["features"][name] = entry
                stored = work / "output.xlsx"
                doc.storeToURL(
                    stored.as_uri(), (prop("FilterName", XLSX_FILTER), prop("Overwrite", True))
                )
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(stored), str(out))
            finally:
                # Closing a document of a soffice that died raises: nothing left to do.
                with contextlib.suppress(Exception):
                    doc.close(True)
        finally:
            office.close()
    report["added"] = sum(1 for entry in report["features"].values() if entry["added"])
    report["seconds"] = round(time.monotonic() - started, 2)
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line entry: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--report", type=Path, help="write the JSON report here")
    parser.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    args = parser.parse_args(argv)
    # A plain SIGTERM (e.g. a caller's timeout) runs the finally blocks that stop soffice.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        report = run(args.input.resolve(), args.output.resolve(), args.soffice)
        status = 0 if report["added"] >= MIN_ADDED else 1
    except Exception as error:
        report = {
            "input": str(args.input),
            "output": str(args.output),
            "fatal": f"{type(error).__name__}: {error}",
            "traceback": traceback.format_exc(),
        }
        status = 2
    if args.report:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if "fatal" in report:
        print(report["traceback"], file=sys.stderr)
    else:
        for name, entry in report["features"].items():
            line = f"{name}: {'added' if entry['added'] else 'NOT added: ' + entry['error']}"
            print(line, file=sys.stderr if not entry["added"] else sys.stdout)
        print(f"{report['added']}/{len(FEATURES)} features added in {report['seconds']} s")
        if status:
            print(f"fewer than {MIN_ADDED} features were added", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
