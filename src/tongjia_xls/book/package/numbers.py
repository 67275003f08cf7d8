"""Excel's numbers: built-in number formats, which formats are dates, serial day numbers.

The rules are openpyxl's (``openpyxl.styles.numbers``, ``openpyxl.utils.datetime``, MIT
licence), restated here so that reading and writing a workbook does not import openpyxl,
which costs a command about 0.3 s of start-up; the tests hold both to the same answers.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

#: Format codes Excel knows by number, without a ``numFmt`` entry in the file.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}
WINDOWS_EPOCH = datetime(1899, 12, 30)
MAC_EPOCH = datetime(1904, 1, 1)

# Quoted text and bracketed locale or colour codes say nothing of dates; [h] [m] [s] do.
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_SECONDS_PER_DAY = 86400


def is_date_format(code: str | None) -> bool:
    """Return True when number format ``code`` shows a number as a date or a time."""
    if code is None:
        return False
    return _DATE_PART.search(_STRIP.sub("", code.split(";")[0])) is not None


def is_timedelta_format(code: str | None) -> bool:
    """Return True when ``code`` shows a number as a duration (``[h]:mm``)."""
    return code is not None and _TIMEDELTA.search(code.split(";")[0]) is not None


def from_excel(value: float, epoch: datetime = WINDOWS_EPOCH, *, duration: bool = False
               ) -> datetime | time | timedelta:
    """Return the date, time or duration an Excel serial number stands for."""
    if duration:
        delta = timedelta(days=value)
        if delta.microseconds:
            delta = timedelta(seconds=delta.total_seconds() // 1,
                              microseconds=round(delta.microseconds, -3))
        return delta
    day, fraction = divmod(value, 1)
    diff = timedelta(milliseconds=round(fraction * _SECONDS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        seconds = diff.seconds
        return time(seconds // 3600, seconds // 60 % 60, seconds % 60, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel's 1900-02-29, a day that never was
    return epoch + timedelta(days=day) + diff


def to_excel(value: date | datetime | time, epoch: datetime = WINDOWS_EPOCH) -> float:
    """Return the Excel serial number of a date, a date and time, or a time of day."""
    if isinstance(value, time):
        return _day_fraction(value)
    moment = value if isinstance(value, datetime) else datetime.combine(value, time())
    days = (moment.replace(tzinfo=None) - epoch).days
    if 0 < days <= 60 and epoch == WINDOWS_EPOCH:
        days -= 1
    return days + _day_fraction(moment.time())


def _day_fraction(moment: time) -> float:
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return (seconds + moment.microsecond / 10**6) / _SECONDS_PER_DAY
