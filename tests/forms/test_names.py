"""Middle dots in names: every look-alike made U+00B7, names of a field one per line."""

from __future__ import annotations

import pytest

from tongjia_xls.forms.names import MIDDLE_DOT, name_lines, normalize_dots, printed_width


@pytest.mark.parametrize("typed", [
    "买买提·吐尔逊", "买买提•吐尔逊", "买买提‧吐尔逊", "买买提・吐尔逊", "买买提･吐尔逊",
    "买买提．吐尔逊", "买买提.吐尔逊", "买买提 · 吐尔逊", "买买提\u3000•\u3000吐尔逊",
    "买买提\u2060·\u2060吐尔逊", "买买提∙吐尔逊", "买买提⋅吐尔逊",
])
def test_every_dot_staff_type_becomes_the_middle_dot(typed: str) -> None:
    assert normalize_dots(typed) == f"买买提{MIDDLE_DOT}吐尔逊"


@pytest.mark.parametrize("text", ["3.5分", "a.m.", "报告.docx", "•要点", "张三", ""])
def test_other_dots_are_left_alone(text: str) -> None:
    assert normalize_dots(text) == text


def test_names_of_a_field_stand_one_per_line() -> None:
    assert name_lines("买买提•吐尔逊、张三") == ["买买提·吐尔逊、", "张三"]
    assert name_lines("王五，赵六；阿依古丽・买买提") == ["王五，", "赵六；", "阿依古丽·买买提"]
    assert name_lines("张三 李四") == ["张三", "李四"]
    assert name_lines("") == [""]


def test_printed_width() -> None:
    assert printed_width("买买提·吐尔逊") == 7
    assert printed_width("Li 3") == 2
