"""Reading a roster handed in as .csv or .xlsx, with any subset of the ``组织`` headers."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tongjia_xls.book.schema import ORGS
from tongjia_xls.book.table import read_table
from tongjia_xls.errors import Diagnostic, UserError

# Excel on Chinese Windows saves CSV in GBK; Excel and WPS mark UTF-8 with a BOM.
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def read_roster(path: Path) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Return the organizations of the roster file ``path`` and what was wrong in it.

    Each organization is a mapping of ``组织`` column names (``org``, ``secretary``, ...) to
    parsed values; columns the file lacks are absent. Rows without a 党组织名称 are dropped
    with a diagnostic.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到名单文件“{path}”。请检查路径。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid, title = _csv_grid(path), path.name
    elif suffix in (".xlsx", ".xlsm"):
        grid, title = _xlsx_grid(path)
    else:
        raise UserError(f"名单文件“{path.name}”应为 .csv 或 .xlsx 格式。请在 Excel 中另存后再试。")
    table = read_table(grid, ORGS, title, partial=True)
    if table.layout is None:
        headers = "、".join(c.header for c in ORGS.columns[:-1])
        raise UserError(
            f"名单文件“{path.name}”中找不到表头。第一行应是这些列名中的几个：{headers}"
        )
    diagnostics = [_in_file(d, path) for d in table.diagnostics]
    orgs = []
    for record in table:
        if record.values.get("org") is None:
            continue
        present = {name for name in table.layout.positions}
        orgs.append({k: v for k, v in record.values.items() if k in present and k != "remarks"})
    return orgs, diagnostics


def _in_file(diagnostic: Diagnostic, path: Path) -> Diagnostic:
    return Diagnostic(
        diagnostic.message, sheet=None if diagnostic.sheet == path.name else diagnostic.sheet,
        row=diagnostic.row, column=diagnostic.column, severity=diagnostic.severity,
        file=path.name,
    )


def _csv_grid(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in _CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text))]
    raise UserError(f"无法识别名单文件“{path.name}”的编码。请在 Excel 中另存为“CSV UTF-8”后再试。")


def _xlsx_grid(path: Path) -> tuple[list[list[Any]], str]:
    from tongjia_xls.book.file_backend import FileBackend

    backend = FileBackend.open(path, for_write=False)
    titles = backend.sheet_titles()
    title = ORGS.title if ORGS.title in titles else titles[0]
    return backend.read_grid(title), title
