from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.sheets.cells import (
    CellValueError,
    Kind,
    cell_safe,
    lenient_number,
    looks_like_formula,
    parse,
    parse_number,
    same_value,
)


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        (Kind.SCORE, 90, 90.0),
        (Kind.SCORE, " 90 ", 90.0),
        (Kind.SCORE, "９０", 90.0),
        (Kind.SCORE, "88.5", 88.5),
        (Kind.SCORE, 0, 0.0),
        (Kind.COUNT, "12", 12),
        (Kind.COUNT, 12.0, 12),
        (Kind.INT, "1,200", 1200),
        (Kind.RATIO, 0.65, 0.65),
        (Kind.RATIO, "65%", 0.65),
        (Kind.RATIO, "６５％", 0.65),
        (Kind.RATIO, "1/3", 1 / 3),
        (Kind.RATIO, "三分之一", 1 / 3),
        (Kind.RATIO, 65, 0.65),
        (Kind.DATE, "2024.1.5", date(2024, 1, 5)),
        (Kind.DATE, "2024年1月5日", date(2024, 1, 5)),
        (Kind.DATE, "2024-01-05", date(2024, 1, 5)),
        (Kind.DATE, "2024/1/5", date(2024, 1, 5)),
        (Kind.DATE, "20240105", date(2024, 1, 5)),
        (Kind.DATE, datetime(2024, 1, 5, 0, 0), date(2024, 1, 5)),
        (Kind.DATE, 45296, date(2024, 1, 5)),
        (Kind.CHOICE, " 较好 ", "较好"),
        (Kind.TEXT, "  青杠湾村 ", "青杠湾村"),
        (Kind.TEXT, 12.0, "12"),
        (Kind.SCORE, None, None),
        (Kind.SCORE, "   ", None),
    ],
)
def test_parse_accepts_what_staff_type(kind: Kind, typed: object, expected: object) -> None:
    parsed = parse(kind, typed, ("好", "较好", "一般", "差"))
    assert parsed == (pytest.approx(expected) if isinstance(expected, float) else expected)


@pytest.mark.parametrize(
    ("kind", "typed", "message_part"),
    [
        (Kind.SCORE, "九十", "不是数字"),
        (Kind.SCORE, 120, "0 到 100"),
        (Kind.SCORE, -1, "0 到 100"),
        (Kind.COUNT, 2.5, "整数"),
        (Kind.COUNT, -3, "负数"),
        (Kind.DATE, "2024.2.30", "不是真实存在的日期"),
        (Kind.DATE, "下周一", "不是日期"),
        (Kind.RATIO, "150%", "0 到 1"),
        (Kind.CHOICE, "优秀", "下拉列表"),
        (Kind.SCORE, True, "数字"),
    ],
)
def test_parse_rejects_with_a_message_that_says_what_to_do(
    kind: Kind, typed: object, message_part: str
) -> None:
    with pytest.raises(CellValueError, match=message_part):
        parse(kind, typed, ("好", "较好", "一般", "差"))


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_any_score_typed_as_text_reads_back_as_its_number(value: object) -> None:
    assert parse(Kind.SCORE, str(value)) == pytest.approx(float(value))  # type: ignore[arg-type]


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)))
def test_every_date_style_reads_back_as_the_same_date(day: date) -> None:
    for text in (f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日",
                 day.isoformat(), day.strftime("%Y%m%d")):
        assert parse(Kind.DATE, text) == day


def test_cell_safe_removes_what_excel_cannot_hold() -> None:
    assert cell_safe("a\x00b\x07c\td") == "abc\td"
    assert len(cell_safe("字" * 40000)) == 32767


@pytest.mark.parametrize("text", ["=1+1", "+86 123", "-5", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_formula_triggers_are_recognised(text: str) -> None:
    assert looks_like_formula(text)


def test_same_value_ignores_float_noise_and_datetime_vs_date() -> None:
    assert same_value(90, 90.0)
    assert same_value(0.1 + 0.2, 0.3)
    assert same_value(datetime(2024, 1, 5), date(2024, 1, 5))
    assert same_value(None, "")
    assert not same_value("90", 90)
    assert not same_value(None, 0)


@pytest.mark.parametrize(("typed", "read"), [
    ("90分", 90.0), ("30票", 30.0), ("２０张", 20.0), ("88.5 分", 88.5),
])
def test_a_number_typed_with_its_unit_is_read_with_a_note(typed: str, read: float) -> None:
    found = lenient_number(typed)
    assert found is not None and found[0] == read and "请只填数字" in found[1]
    with pytest.raises(CellValueError, match="带了单位"):
        parse_number(typed)


@pytest.mark.parametrize(("typed", "read"), [("1,500", 1500.0), ("12,345.5", 12345.5)])
def test_thousands_separators_are_read(typed: str, read: float) -> None:
    assert parse_number(typed) == read


@pytest.mark.parametrize("typed", ["90,5", "1,50", "9,0,5", "九十", "三十票"])
def test_what_nobody_can_read_for_sure_is_refused(typed: str) -> None:
    with pytest.raises(CellValueError):
        parse_number(typed)
    assert lenient_number(typed) is None
