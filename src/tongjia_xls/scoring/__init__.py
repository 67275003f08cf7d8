"""Scoring: 测评票, 综合得分, 排名, 建议等次 under the quota, 评价意见 and sensitivity.

The pure domain of issue 4: plain data in, plain data out. Nothing here reads or writes a
file or a workbook; the workbook side maps sheets to these types and back.
"""

from __future__ import annotations

from tongjia_xls.scoring.ballots import (
    Ballot,
    BallotFlag,
    Counts,
    ballot_score,
    check_ballots,
    scores_both_ways,
    tally,
)
from tongjia_xls.scoring.bands import Bands, BandsError, Quota, QuotaError
from tongjia_xls.scoring.composite import (
    Components,
    Composite,
    Rank,
    WeightsError,
    composite_scores,
    rank,
)
from tongjia_xls.scoring.final import FinalCheck, check_final, grade_score
from tongjia_xls.scoring.grades import GRADES, quota_arithmetic, required_below_good, required_low
from tongjia_xls.scoring.grading import Proposal, Proposals, propose_grades
from tongjia_xls.scoring.opinion import draft_opinion, fingerprint
from tongjia_xls.scoring.opinion_input import OpinionInput
from tongjia_xls.scoring.sensitivity import Scenario, sensitivity

__all__ = [
    "GRADES",
    "Ballot",
    "BallotFlag",
    "Bands",
    "BandsError",
    "Components",
    "Composite",
    "Counts",
    "FinalCheck",
    "OpinionInput",
    "Proposal",
    "Proposals",
    "Quota",
    "QuotaError",
    "Rank",
    "Scenario",
    "WeightsError",
    "ballot_score",
    "check_ballots",
    "check_final",
    "composite_scores",
    "draft_opinion",
    "fingerprint",
    "grade_score",
    "propose_grades",
    "quota_arithmetic",
    "rank",
    "required_below_good",
    "required_low",
    "scores_both_ways",
    "sensitivity",
    "tally",
]
