"""Excel's rules for values: how assigned text is typed, what Excel holds, how reads are shaped."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

from xlwings_double.cells import ComError, _Cell

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")


def _typed(cell: _Cell, data: Any) -> None:
    """Put ``data`` into ``cell`` as Excel does when it is assigned (typed) into the cell."""
    cell.value, cell.formula, cell.prefix, cell.error = None, None, False, None
    if data is None or data == "" or (isinstance(data, float) and math.isnan(data)):
        return
    if not isinstance(data, str):
        cell.value = _stored(data)
        return
    if cell.number_format == "@":  # a Text cell keeps what it is given, apostrophe and all
        cell.value = data
    elif data.startswith("'"):
        cell.value, cell.prefix = data[1:], True
    elif data.startswith("="):
        if len(data) == 1:
            raise ComError("invalid formula '='")
        cell.formula = data
    elif (number := _number(data)) is not None:
        cell.value = number
        if data.endswith("%") and cell.number_format == "General":
            cell.number_format = "0%" if number * 100 == int(number * 100) else "0.00%"
    elif data[0] in "+-@" and len(data) > 1:
        cell.formula = "=" + (data[1:] if data[0] == "@" else data)  # Lotus-style entry
    elif data.upper() in ("TRUE", "FALSE"):
        cell.value = data.upper() == "TRUE"
    elif (day := _date(data)) is not None:
        cell.value = day
        if cell.number_format == "General":
            cell.number_format = "yyyy/m/d"
    else:
        cell.value = data


def _number(text: str) -> float | None:
    body = text[:-1] if text.endswith("%") else text
    if not _NUMBER.match(body) or not any(ch.isdigit() for ch in body):
        return None
    number = float(f"{float(body.replace(',', '')):.15g}")  # Excel keeps 15 digits
    return number / 100 if text.endswith("%") else number


def _date(text: str) -> datetime | None:
    match = _DATE.match(text)
    if not match:
        return None
    year, m1, d1, m2, d2 = match.groups()
    try:
        return datetime(int(year), int(m1 or m2), int(d1 or d2))
    except ValueError:
        return None


def _stored(value: Any) -> Any:
    """Return ``value`` as Excel holds it: numbers as float, dates and times as datetime."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, datetime)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return datetime.combine(date(1899, 12, 30), value)
    raise TypeError(f"Excel cannot hold {type(value).__name__}")


def _rgb(value: Any) -> tuple[int, int, int] | None:
    if value is None or isinstance(value, tuple):
        return value
    if isinstance(value, str):
        text = value.lstrip("#")
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    return value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF  # Excel's BGR integer



def _shaped(rows: list[list[Any]], ndim: Any) -> Any:
    """Shape a block of rows as xlwings' AdjustDimensionsStage does."""
    if ndim == 2:
        return rows
    if ndim in (None, "squeeze", 1):
        if len(rows) == 1:
            return rows[0][0] if len(rows[0]) == 1 and ndim != 1 else rows[0]
        if len(rows[0]) == 1:
            return [row[0] for row in rows]
        if ndim == 1:
            raise ValueError("Range must be 1-by-n or n-by-1 when ndim=1.")
        return rows
    raise ValueError(f"Invalid c.value ndim={ndim}")
