"""雷同相似度 at its edge: a pair scoring exactly the threshold is a match, a hair above is not."""

from __future__ import annotations

import math

import pytest

from tongjia_xls.reports.similarity import find_similar

A, B = "青杠湾村", "松林坪村"
SAFETY = ("针对汛期地质灾害隐患，组织党员干部开展拉网式排查12次，"
          "整改安全隐患12处，确保群众生命财产安全。")
EDITS = [("排查", "巡查"), ("确保群众", "保障群众"), ("拉网式", "全覆盖")]


@pytest.mark.parametrize(("old", "new"), EDITS)
def test_a_pair_at_exactly_the_threshold_is_a_match(old: str, new: str) -> None:
    reports = {A: SAFETY, B: SAFETY.replace(old, new)}
    [low] = {m.score for m in find_similar(reports, threshold=0.5)}
    assert 0.5 < low < 1.0
    assert {m.score for m in find_similar(reports, threshold=low)} == {low}
    assert find_similar(reports, threshold=math.nextafter(low, 1.0)) == []
    assert {m.score for m in find_similar(reports, threshold=math.nextafter(low, 0.0))} == {low}
