"""Excel's number rules restated in ``book.package.numbers`` agree with openpyxl's."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.styles.numbers import is_date_format as openpyxl_is_date
from openpyxl.styles.numbers import is_timedelta_format as openpyxl_is_timedelta
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH
from openpyxl.utils.datetime import from_excel as openpyxl_from_excel
from openpyxl.utils.datetime import to_excel as openpyxl_to_excel

from tongjia_xls.book.package import numbers
from tongjia_xls.book.package.sheet_read import box, cell_of, column_letters, column_number

CODES = [*BUILTIN_FORMATS.values(), 'yyyy"年"m"月"d"日"', "[$-804]aaaa", "[Red]0.00", '"d"0',
         "[h]:mm", "[mm]:ss", "0.0%", "#,##0_ ;[Red]-#,##0 ", "yyyy-mm-dd h:mm:ss", "\\d0",
         "General;[Red]-General;\"零\"", "m月d日", "上午/下午h\"时\"mm\"分\""]


@pytest.mark.parametrize("code", CODES)
def test_date_and_duration_formats_are_known_as_openpyxl_knows_them(code: str) -> None:
    assert numbers.is_date_format(code) == openpyxl_is_date(code)
    assert numbers.is_timedelta_format(code) == openpyxl_is_timedelta(code)


def test_builtin_formats_are_openpyxls() -> None:
    assert numbers.BUILTIN_FORMATS == BUILTIN_FORMATS


@given(st.floats(0, 2958465.99), st.booleans(), st.booleans())
def test_serial_numbers_read_as_openpyxl_reads_them(value: float, mac: bool, duration: bool
                                                    ) -> None:
    try:
        theirs = openpyxl_from_excel(value, MAC_EPOCH if mac else WINDOWS_EPOCH,
                                     timedelta=duration)
    except OverflowError:  # past year 9999 from the Mac epoch: both refuse
        with pytest.raises(OverflowError):
            numbers.from_excel(value, numbers.MAC_EPOCH, duration=duration)
        return
    ours = numbers.from_excel(value, numbers.MAC_EPOCH if mac else numbers.WINDOWS_EPOCH,
                              duration=duration)
    assert ours == theirs


@given(st.one_of(st.dates(date(1900, 1, 1), date(9999, 12, 31)),
                 st.datetimes(datetime(1900, 1, 1), datetime(9999, 12, 31)), st.times()),
       st.booleans())
def test_dates_written_as_openpyxl_writes_them(value: date, mac: bool) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if mac and not isinstance(value, time) and day < date(1904, 1, 1):
        return  # before the Mac epoch: no serial number
    ours = numbers.to_excel(value, numbers.MAC_EPOCH if mac else numbers.WINDOWS_EPOCH)
    assert ours == pytest.approx(openpyxl_to_excel(value, MAC_EPOCH if mac else WINDOWS_EPOCH),
                                 abs=1e-9)


@pytest.mark.parametrize(("ref", "expected"), [
    ("A1", (1, 1, 1, 1)), ("B2:D9", (2, 2, 9, 4)), ("$A$1:$XFD$1048576", (1, 1, 1048576, 16384)),
    ("A:C", (1, 1, 1048576, 3)), ("3:5", (3, 1, 5, 16384)), ("AA10", (10, 27, 10, 27)),
])
def test_references(ref: str, expected: tuple[int, int, int, int]) -> None:
    assert box(ref) == expected


@given(st.integers(1, 16384))
def test_column_letters_round_trip(number: int) -> None:
    assert column_number(column_letters(number)) == number
    assert cell_of(f"{column_letters(number)}7") == (7, number)
