"""附件2 述职评议表: what the Word and the Excel forms share.

The row of the form (:class:`ReviewRow`), its title and file names, the four grades with
their scores, the √ marks and the texts under the table (instructions, tally, notes).
:mod:`tongjia_xls.forms.review_form` writes the Word documents and
:mod:`tongjia_xls.forms.review_form_xlsx` fills the Excel template from these pieces.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tongjia_xls.errors import UserError
from tongjia_xls.outputs import safe_file_name
from tongjia_xls.settings import Settings, format_setting
from tongjia_xls.sheets.schema import SCORES

__all__ = [
    "EVALUATOR_LINE",
    "GRADES",
    "PROPOSED",
    "PROPOSED_NOTE",
    "RESULT_TAG",
    "TICK",
    "ReviewRow",
    "ballot_name",
    "form_title",
    "result_name",
]

GRADES = ("好", "较好", "一般", "差")
TICK = "√"
PROPOSED = "（建议）"
PROPOSED_NOTE = "注：标“建议”的为工具建议等次，尚待党委确定。"
RESULT_TAG = "（评议结果）"
EVALUATOR_LINE = "评议人（可不署名）：________________　　日期：________"


@dataclass(frozen=True)
class ReviewRow:
    """One organization's line on the form.

    ``grade`` is the 确定等次 when ``final`` is true, else the tool's 建议等次 (or ``None``:
    no grade yet, no √).
    """

    secretary: str
    position: str | None
    org: str
    grade: str | None = None
    final: bool = False


def form_title(settings: Settings) -> str:
    """Return the form's title, as 附件2 of the notice words it."""
    return f"{settings.year}年度村（社区）党组织书记抓基层党建工作情况述职评议表"


def ballot_name(settings: Settings, copies: int, suffix: str = ".docx") -> str:
    """Return the file name of the blank ballots."""
    return safe_file_name(f"{settings.year}年度述职评议表（空白票，{copies}份）{suffix}")


def result_name(settings: Settings, suffix: str = ".docx") -> str:
    """Return the file name of the result table."""
    return safe_file_name(f"{settings.year}年度述职评议结果表{suffix}")


def _score_label(grade: str, settings: Settings) -> str:
    return f"（{format_setting(settings.grade_scores[grade])}分）"


def _ticket(number: int, copies: int) -> str:
    return f"票号：{number:0{max(3, len(str(copies)))}d}"


def _instructions(rows: Sequence[ReviewRow], settings: Settings) -> str:
    share = settings.quota_share
    least = math.ceil(round(len(rows) * share, 9))
    count = f"（{len(rows)}名述职人中至少{least}名）" if rows and least else ""
    return (f"说明：请在每位述职人对应的评议等次栏内划“{TICK}”，每人只划一个等次；"
            f"评为“较好”及以下等次的原则上不低于{share:.0%}{count}，"
            "其中“一般”和“差”应占一定比例。")


def _check_grades(rows: Iterable[ReviewRow]) -> None:
    for row in rows:
        if row.grade is not None and row.grade not in GRADES:
            raise UserError(
                f"“{row.org}”的等次“{row.grade}”不是“好、较好、一般、差”之一，"
                f"无法在评议结果表中划“√”。请在“{SCORES.title}”表中改正后再生成。"
            )


def _mark(row: ReviewRow, grade: str) -> str:
    if row.grade != grade:
        return ""
    return TICK if row.final else TICK + PROPOSED


def _tally(rows: Sequence[ReviewRow]) -> str:
    counts = {grade: sum(r.grade == grade for r in rows) for grade in GRADES}
    text = "合计：" + "，".join(f"{g} {counts[g]} 个" for g in GRADES)
    missing = sum(r.grade is None for r in rows)
    if missing:
        text += f"，未定等次 {missing} 个"
    graded = len(rows) - missing
    if graded:
        low = graded - counts["好"]
        text += f"；“较好”及以下占 {low / graded:.0%}"
    return text + "。"

