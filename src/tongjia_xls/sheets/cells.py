"""Turning what staff typed into typed values, and typed values into safe cell values.

Staff type numbers as text (``" 90 "``, ``"９０"``), dates in every local style
(``2024.1.5``, ``2024年1月5日``, an Excel serial number) and ratios as ``65%`` or ``1/3``.
The parsers here accept all of that and reject the rest with a Chinese message that says
what was expected. They know nothing of any workbook library.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from enum import Enum
from fractions import Fraction
from typing import Any


class Kind(str, Enum):
    """The type of a column's values."""

    TEXT = "text"
    INT = "int"
    COUNT = "count"  # a whole number >= 0, such as a number of votes
    NUMBER = "number"
    SCORE = "score"  # a number from 0 to 100
    RATIO = "ratio"  # a share from 0 to 1, shown as a percentage
    DATE = "date"
    CHOICE = "choice"
    WORDS = "words"  # a list of words typed in one cell, separated by 、 or commas


class CellValueError(ValueError):
    """A cell's content does not fit its column; ``str(error)`` is the Chinese message."""


class PendingFormula(str):
    """A formula whose result the file does not hold; the text is the formula.

    A workbook last saved by a program that does not calculate (this tool included: openpyxl
    writes formulas without results) holds no value for its formulas until Excel or WPS
    opens and recalculates it.
    """


_EXCEL_EPOCH = datetime(1899, 12, 30)
_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*(?:[./\-年]\s*)(\d{1,2})\s*(?:[./\-月]\s*)(\d{1,2})\s*日?\s*$"
)
_COMPACT_DATE_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: A number followed by the unit staff type after it: 分 for scores, 票/张 for ballots.
_UNIT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:分|票|张|名|人|个)$")
_FRACTION_RE = re.compile(r"^(\d+)\s*/\s*(\d+)$")
# Characters that openpyxl refuses (XML 1.0 forbids them) and Excel cannot store.
_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Excel's limit on the length of one cell's text.
MAX_CELL_TEXT = 32767
#: A string starting with one of these is read by spreadsheets as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")


def normalize_text(value: Any) -> str:
    """Return ``value`` as text with full-width forms folded and outer spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: Any) -> bool:
    """Return True for ``None`` and for text made only of spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value: Any) -> str:
    """Return ``value`` as text with outer spaces removed (full-width forms are kept)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


def parse_number(value: Any) -> float:
    """Return ``value`` as a number; text such as ``" ９０ "`` is accepted, ``九十`` is not."""
    if isinstance(value, bool):
        raise CellValueError("应填数字，这里是“是/否”")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellValueError("应填数字")
        return float(value)
    text = normalize_text(value)
    if "," in text:
        # "1,500" is a thousands separator; "90,5" is 90.5 or 905: nobody can tell.
        if not _THOUSANDS_RE.match(text):
            raise CellValueError(f"“{parse_text(value)}”看不出是几（逗号是小数点还是分节号？），"
                                 "请改写为不带逗号的数字，例如 90.5")
        text = text.replace(",", "")
    if _NUMBER_RE.match(text):
        return float(text)
    if _UNIT_RE.match(text):
        raise CellValueError(f"“{parse_text(value)}”带了单位，请只填数字，例如 "
                             f"{_UNIT_RE.match(text).group(1)}")  # type: ignore[union-attr]
    raise CellValueError(f"“{parse_text(value)}”不是数字，请改用阿拉伯数字填写，例如 90")


def lenient_number(value: Any) -> tuple[float, str] | None:
    """Return a number typed with its unit ("90分", "30票") and a note, or ``None``.

    Only what is unambiguous: one number followed by one unit staff type; the note says what
    was read, so that staff can correct the cell.
    """
    text = normalize_text(value)
    found = _UNIT_RE.match(text)
    if not found:
        return None
    number = float(found.group(1))
    shown = _fmt(number)
    return number, f"“{parse_text(value)}”按 {shown} 计算；请只填数字 {shown}，不带单位"


def parse_int(value: Any) -> int:
    """Return ``value`` as a whole number."""
    number = parse_number(value)
    if not number.is_integer():
        raise CellValueError(f"应填整数，这里是 {_fmt(number)}")
    return int(number)


def parse_count(value: Any) -> int:
    """Return ``value`` as a whole number that is not negative."""
    number = parse_int(value)
    if number < 0:
        raise CellValueError(f"不能是负数，这里是 {number}")
    return number


def parse_score(value: Any) -> float:
    """Return ``value`` as a score from 0 to 100."""
    number = parse_number(value)
    if not 0 <= number <= 100:
        raise CellValueError(f"分数应在 0 到 100 之间，这里是 {_fmt(number)}")
    return number


def parse_ratio(value: Any) -> float:
    """Return ``value`` as a share from 0 to 1; ``65%``, ``0.65``, ``65`` and ``1/3`` all work."""
    percent = False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = normalize_text(value)
        fraction = _FRACTION_RE.match(text)
        if text == "三分之一":
            number = 1 / 3
        elif fraction and int(fraction.group(2)):
            number = float(Fraction(int(fraction.group(1)), int(fraction.group(2))))
        elif text.endswith("%"):
            number, percent = parse_number(text[:-1]) / 100, True
        else:
            number = parse_number(text)
    if not percent and 1 < number <= 100:  # "65" typed for 65 %
        number /= 100
    if not 0 <= number <= 1:
        raise CellValueError(f"比例应在 0 到 1 之间（或 0% 到 100%），这里是 {_fmt(number)}")
    return number


def parse_date(value: Any) -> date:
    """Return ``value`` as a date; accepts Excel dates and serials and typed text dates."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's range: 1900-01-01 .. 9999-12-31
            return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
        raise CellValueError(f"“{_fmt(value)}”不是日期")
    text = normalize_text(value)
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        raise CellValueError(f"“{parse_text(value)}”不是日期，请按 2024-01-05 或 2024年1月5日 填写")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellValueError(f"“{parse_text(value)}”不是真实存在的日期，请核对年月日") from None


def parse_choice(value: Any, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices`` (ignoring outer and full-width spaces)."""
    text = normalize_text(value).replace(" ", "")
    for choice in choices:
        if text == normalize_text(choice).replace(" ", ""):
            return choice
    listed = "、".join(choices)
    raise CellValueError(f"“{parse_text(value)}”不在可选项中，请从下拉列表选择：{listed}")


_WORD_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def parse_words(value: Any) -> tuple[str, ...]:
    """Return the words of a cell such as ``拼经济、搞建设``, in order, without repeats."""
    words = (w for w in _WORD_SEPARATORS.split(normalize_text(value)) if w)
    return tuple(dict.fromkeys(words))


def format_words(words: tuple[str, ...]) -> str:
    """Return ``words`` as staff would type them in one cell."""
    return "、".join(words)


def parse(kind: Kind, value: Any, choices: tuple[str, ...] = ()) -> Any:
    """Return ``value`` parsed as ``kind``; ``None`` for a blank cell."""
    if isinstance(value, PendingFormula):
        raise CellValueError(
            f"是公式“{value}”，文件里还没有它的计算结果。请在 Excel 或 WPS 中打开工作簿、"
            "保存一次后再运行，或把公式改为数值"
        )
    if is_blank(value):
        return None
    if kind is Kind.TEXT:
        return parse_text(value)
    if kind is Kind.CHOICE:
        return parse_choice(value, choices)
    return _PARSERS[kind](value)


_PARSERS = {
    Kind.INT: parse_int,
    Kind.COUNT: parse_count,
    Kind.NUMBER: parse_number,
    Kind.SCORE: parse_score,
    Kind.RATIO: parse_ratio,
    Kind.DATE: parse_date,
    Kind.WORDS: parse_words,
}


def cell_safe(value: Any) -> Any:
    """Return ``value`` ready to be stored in a cell as data, never as a formula.

    Text loses the control characters Excel cannot hold and is cut to Excel's length limit.
    Whether the text starts like a formula is the backend's business (see
    :func:`looks_like_formula`): it must store such text as a string.
    """
    if isinstance(value, str):
        value = _ILLEGAL_RE.sub("", value)
        if len(value) > MAX_CELL_TEXT:
            value = value[: MAX_CELL_TEXT - 1] + "…"
    return value


def looks_like_formula(value: Any) -> bool:
    """Return True for text that a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def same_value(stored: Any, wanted: Any) -> bool:
    """Return True when writing ``wanted`` over ``stored`` would change nothing visible."""
    if is_blank(stored) and is_blank(wanted):
        return True
    if isinstance(stored, datetime) and isinstance(wanted, date):
        return stored.date() == (wanted.date() if isinstance(wanted, datetime) else wanted)
    numeric = (int, float)
    if (
        isinstance(stored, numeric)
        and isinstance(wanted, numeric)
        and not isinstance(stored, bool)
        and not isinstance(wanted, bool)
    ):
        return math.isclose(stored, wanted, rel_tol=0, abs_tol=1e-9)
    return bool(stored == wanted)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def column_number(letters: str) -> int:
    """Return the number of column ``letters`` (``A`` is 1, ``AA`` is 27)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    """Return the letters of column ``number``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
