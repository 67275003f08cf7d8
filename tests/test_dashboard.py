"""The 控制台 lines: what each stage says, and the next step it gives."""

from __future__ import annotations

from datetime import date

import pytest

from tongjia_xls import dashboard
from tongjia_xls.scoring.bands import Quota

QUOTA = Quota(0.15, 1)
BALLOTS = {"good": 20, "fairly_good": 5, "average": 1, "poor": 0}


@pytest.mark.parametrize(("line", "step"), [
    # An empty roster: every per-organization stage asks for the roster first.
    (lambda: dashboard.reports_line([], 0, date(2023, 12, 20)), dashboard.NO_ROSTER),
    (lambda: dashboard.ballots_line([], 0), dashboard.NO_ROSTER),
    (lambda: dashboard.grades_line([], 0, QUOTA), dashboard.NO_ROSTER),
    # Then the steps of the process, in order.
    (lambda: dashboard.reports_line([], 2, date(2023, 12, 20)),
     "催交未报送的报告（截止 2023年12月20日），收到后登记文件名"),
    (lambda: dashboard.reports_line([{"file": "a.docx"}, {"file": "b.docx"}], 2, None),
     "点“检查述职报告”或运行 tongjia-xls check"),
    (lambda: dashboard.ballots_line([BALLOTS], 2), "现场述职后录入各等次票数"),
    (lambda: dashboard.ballots_line([BALLOTS], 1), "点“计算得分与等次”或运行 tongjia-xls score"),
    (lambda: dashboard.ballots_line([{**BALLOTS, "ballot_score": 96.2}], 1),
     "测评得分已算出；票数有改动时重新计算"),
    (lambda: dashboard.grades_line([{"composite": 90.0}], 1, QUOTA),
     "镇党委研究后在“评分”表“确定等次”列选择等次"),
    (lambda: dashboard.rectification_line([]), "述职会后登记会议点评和自身查摆的问题"),
])
def test_next_steps(line, step: str) -> None:
    assert line().next_step == step
