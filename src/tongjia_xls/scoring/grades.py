"""The four grades, the exact quota arithmetic and the display of scores.

Every scoring module shares these, so they live below all of them (``ballots`` needs the
quota arithmetic, ``grading`` needs the grades; neither may import the other).

Two kinds of exactness matter to staff, who redo the sums by hand or in Excel:

* ``⌈15% × N⌉`` must be computed on the decimal staff typed: ``0.15 × 20`` is exactly 3,
  while the binary float product is 3.0000000000000004 and ``math.ceil`` would make it 4.
  :func:`exact` turns a float into the decimal it displays as (its shortest ``repr``).
* Scores are shown with two decimals, rounded half up as Excel's ``ROUND`` and number
  format do (Python's ``round`` rounds half to even, on the binary value). Ties and bands
  are judged on the rounded score, the one staff see.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

GOOD, FAIRLY_GOOD, AVERAGE, POOR = "好", "较好", "一般", "差"
GRADES: tuple[str, str, str, str] = (GOOD, FAIRLY_GOOD, AVERAGE, POOR)
#: Grades that count towards the "一般和差要占一定比例" part of the quota.
LOW_GRADES = (AVERAGE, POOR)

Number = int | float | Fraction | Decimal

_CENT = Decimal("0.01")
_MAX_PLACES = 6


def is_missing(value: object) -> bool:
    """Return True for ``None`` and NaN (what pandas or an empty cell may hand over)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def exact(value: Number | str) -> Fraction:
    """Return ``value`` as an exact fraction of the decimal it displays as.

    ``exact(0.15) == Fraction(3, 20)``: the float's shortest ``repr`` is the decimal staff
    typed, so products such as ``0.15 × 20`` come out exactly 3.
    """
    if isinstance(value, bool):
        raise TypeError("a grade share or score cannot be True/False")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    return Fraction(value)


def required_below_good(n: int, share: Number | str) -> int:
    """Return ⌈share × n⌉, computed exactly: the least number of 较好-or-below grades."""
    if n < 0:
        raise ValueError("n must not be negative")
    return math.ceil(exact(share) * n)


def required_low(n: int, low_min: int) -> int:
    """Return the least number of 一般/差 grades: ``low_min``, but never more than ``n``."""
    return max(0, min(int(low_min), n))


def format_fraction(value: Fraction, places: int = 4) -> tuple[str, bool]:
    """Return ``value`` as a plain decimal string and whether that string is exact.

    A fraction whose decimal ends within a few places is written out in full (``63/20`` →
    ``"3.15"``); any other (a share such as 1/3 typed as 0.3333333333333333) is rounded
    half up to ``places`` decimals, which staff can still follow.
    """
    rest = value.denominator
    for factor in (2, 5):
        while rest % factor == 0:
            rest //= factor
    if rest == 1:
        shift = 0
        while (value * 10**shift).denominator != 1:
            shift += 1
        if shift <= _MAX_PLACES:
            return _plain(Decimal(f"{int(value * 10**shift)}e-{shift}")), True
    with localcontext() as context:
        context.prec = 60
        rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(f"1e-{places}"), rounding=ROUND_HALF_UP
        )
    return _plain(rounded), False


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_number(value: Number | str) -> str:
    """Return a setting such as a weight or a share as staff typed it: ``0.3``, ``1``."""
    text, _ = format_fraction(exact(value))
    return text


def format_percent(share: Number | str) -> str:
    """Return ``0.15`` as ``"15%"`` and ``0.125`` as ``"12.5%"``."""
    text, is_exact = format_fraction(exact(share) * 100)
    return f"{text}%" if is_exact else f"约{text}%"


def quota_product(n: int, share: Number | str) -> tuple[str, bool]:
    """Return ``"21 × 15% = 3.15"`` and whether the product is a whole number."""
    product = exact(share) * n
    text, is_exact = format_fraction(product)
    sign = "=" if is_exact else "≈"
    return f"{n} × {format_percent(share)} {sign} {text}", product.denominator == 1


def quota_arithmetic(n: int, share: Number | str) -> str:
    """Return the quota's sum as staff would write it on paper.

    ``quota_arithmetic(21, 0.15) == "21 × 15% = 3.15，向上取整为 4 个"`` and
    ``quota_arithmetic(20, 0.15) == "20 × 15% = 3，即 3 个"``.
    """
    product, whole = quota_product(n, share)
    need = required_below_good(n, share)
    return f"{product}，即 {need} 个" if whole else f"{product}，向上取整为 {need} 个"


def to_decimal(value: Number) -> Decimal:
    """Return a score as the exact decimal it displays as (floats via their ``repr``)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        with localcontext() as context:
            context.prec = 60
            return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def round_score(value: Number) -> float:
    """Return the score rounded half up to 2 decimals, as Excel displays it."""
    return float(to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP))


def format_score(value: Number) -> str:
    """Return the score with exactly two decimals, rounded half up: ``92.5`` → ``"92.50"``."""
    return f"{to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP):f}"


def join_names(names: Iterable[str], limit: int = 5, noun: str = "") -> str:
    """Return names joined by 、; a long list is cut after ``limit``, with its total count.

    Staff read these in a cell: "甲村、乙村、丙村、丁村、戊村等 21 个党组织" says enough.
    """
    names = list(names)
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等 {len(names)} 个{noun}"
