"""The town's grading settings as values: score bands and the quota.

Both check themselves when made, so a wrong 设置 is refused with what to change before any
organization is graded.
"""

from __future__ import annotations

from dataclasses import dataclass

from tongjia_xls.errors import UserError
from tongjia_xls.scoring.grades import AVERAGE, FAIRLY_GOOD, GOOD, POOR, exact, format_number
from tongjia_xls.sheets.schema import SETTINGS

__all__ = ["Bands", "BandsError", "Quota", "QuotaError"]


class BandsError(UserError):
    """The score bands are not in descending order."""


class QuotaError(UserError):
    """The quota settings are out of range."""


@dataclass(frozen=True)
class Bands:
    """Score bands: ≥ ``good_min`` is 好, ≥ ``fairly_good_min`` 较好, ≥ ``average_min`` 一般,
    anything lower 差."""

    good_min: float
    fairly_good_min: float
    average_min: float

    def __post_init__(self) -> None:
        if not self.good_min >= self.fairly_good_min >= self.average_min:
            shown = " / ".join(
                format_number(v) for v in (self.good_min, self.fairly_good_min, self.average_min)
            )
            raise BandsError(
                f"分档分数线应从高到低（好最低分 ≥ 较好最低分 ≥ 一般最低分），现在是 {shown}，"
                f"请在“{SETTINGS.title}”中改正后重新计算"
            )

    def grade(self, score: float) -> str:
        """Return the band grade of a (rounded) score."""
        if score >= self.good_min:
            return GOOD
        if score >= self.fairly_good_min:
            return FAIRLY_GOOD
        if score >= self.average_min:
            return AVERAGE
        return POOR


@dataclass(frozen=True)
class Quota:
    """The quota: ``share`` of N at 较好 or below, ``low_min`` at 一般 or 差."""

    share: float
    low_min: int

    def __post_init__(self) -> None:
        try:
            share = None if isinstance(self.share, bool) else exact(self.share)
        except (TypeError, ValueError):
            share = None
        if share is None or not 0 <= share <= 1:
            raise QuotaError(
                f"“较好及以下最低比例”为 {self.share}，应在 0 到 1 之间（如 0.15 表示 15%），"
                f"请在“{SETTINGS.title}”中改正"
            )
        if isinstance(self.low_min, bool) or int(self.low_min) != self.low_min or self.low_min < 0:
            raise QuotaError(
                f"“一般及差最少个数”为 {self.low_min}，应为 0 或正整数，"
                f"请在“{SETTINGS.title}”中改正"
            )
