"""Reading a roster handed in as .csv or .xlsx, with any subset of the ``组织`` headers.

A 乡镇 or 县 column names the town; any other column ``组织`` has no place for is named.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tongjia_xls.errors import Diagnostic, Severity, UserError
from tongjia_xls.sheets.schema import ORGS
from tongjia_xls.sheets.table import Table, header_key, key_text, read_table

# Excel on Chinese Windows saves CSV in GBK; Excel and WPS mark UTF-8 with a BOM.
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


#: Formats LibreOffice turns into .xlsx before a roster is read.
CONVERTIBLE = (".xls", ".et", ".ods")
#: Headers of a column naming the town or the county, read into 设置 instead of 组织.
_TOWN_HEADERS = frozenset({"乡镇", "乡镇名称", "所属乡镇", "镇", "街道", "乡镇（街道）"})
_COUNTY_HEADERS = frozenset({"县", "区县", "县（区）", "所属县", "所属区县", "县区"})


@dataclass
class Roster:
    """A roster file read: its organizations, what was wrong, and the town it names.

    Each organization is a mapping of ``组织`` column names (``org``, ``secretary``, ...)
    to parsed values; columns the file lacks are absent. ``town`` and ``county`` are the
    one name a 乡镇 or 县 column holds (``None``: no such column, or several names).
    """

    orgs: list[dict[str, Any]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    town: str | None = None
    county: str | None = None


def read_roster(path: Path, *, shown_as: str | None = None) -> Roster:
    """Return the roster file ``path`` read; ``shown_as`` is its name in messages.

    Rows without a 党组织名称 are dropped with a diagnostic; columns the ``组织`` sheet
    has no place for are named in a diagnostic, never dropped without a word.
    """
    path = Path(path)
    name = shown_as or path.name
    grid, title = _roster_grid(path, name)
    table = read_table(grid, ORGS, title, partial=True)
    if table.layout is None:
        headers = "、".join(c.header for c in ORGS.columns[:-1])
        raise UserError(
            f"名单文件“{name}”中找不到表头。第一行应是这些列名中的几个：{headers}"
        )
    roster = Roster(diagnostics=[_in_file(d, name) for d in table.diagnostics])
    present = set(table.layout.positions)
    roster.orgs = [
        {k: v for k, v in record.values.items() if k in present and k != "remarks"}
        for record in table if record.values.get("org") is not None
    ]
    towns = _places(table)
    roster.town = _single(towns["town"])
    roster.county = _single(towns["county"])
    dropped = [h for h in table.layout.extra_headers.values() if _place_kind(h) is None]
    if dropped:
        roster.diagnostics.append(_not_imported(dropped, name))
    return roster


def _roster_grid(path: Path, name: str) -> tuple[list[list[Any]], str]:
    """Return the grid of the roster file and the title of the sheet it came from."""
    if not path.is_file():
        raise UserError(f"找不到名单文件“{path}”。请检查路径。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_grid(path, name), name
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_grid(path)
    raise UserError(
        f"名单文件“{name}”应为 .csv、.xlsx 或 .xls 格式。"
        "请在 Excel 或 WPS 中另存为 .xlsx 后再试。"
    )


def _places(table: Table) -> dict[str, set[str]]:
    """Return the names the roster's 乡镇 and 县 columns hold, by ``town`` and ``county``."""
    towns: dict[str, set[str]] = {"town": set(), "county": set()}
    for record in table:
        for header, value in record.extra.items():
            kind = _place_kind(header)
            if kind is not None and key_text(value):
                towns[kind].add(key_text(value))
    return towns


def _not_imported(dropped: list[str], name: str) -> Diagnostic:
    """Return the warning that names the roster's columns ``组织`` has no place for."""
    kept = "、".join(f"“{h}”" for h in dropped)
    return Diagnostic(
        f"名单中的{kept}列没有导入，因为“{ORGS.title}”表没有这些列。需要保留的话，"
        f"请把它们复制到新工作簿“{ORGS.title}”表的右侧空白列（工具不会改动您自己加的列）",
        file=name, severity=Severity.WARNING,
    )


def _place_kind(header: str) -> str | None:
    key = header_key(header)
    if key in _TOWN_HEADERS:
        return "town"
    if key in _COUNTY_HEADERS:
        return "county"
    return None


def _single(names: set[str]) -> str | None:
    return next(iter(names)) if len(names) == 1 else None


def _in_file(diagnostic: Diagnostic, name: str) -> Diagnostic:
    return Diagnostic(
        diagnostic.message, sheet=None if diagnostic.sheet == name else diagnostic.sheet,
        row=diagnostic.row, column=diagnostic.column, severity=diagnostic.severity,
        file=name,
    )


def _csv_grid(path: Path, name: str) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in _CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text))]
    raise UserError(f"无法识别名单文件“{name}”的编码。请在 Excel 中另存为“CSV UTF-8”后再试。")


def _xlsx_grid(path: Path) -> tuple[list[list[Any]], str]:
    from tongjia_xls.book.file_backend import FileBackend

    backend = FileBackend.open(path, for_write=False)
    titles = backend.sheet_titles()
    title = ORGS.title if ORGS.title in titles else titles[0]
    return backend.read_grid(title), title
