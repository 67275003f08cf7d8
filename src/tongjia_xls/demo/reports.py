"""The demo's 21 述职报告 (reports), written as real .docx files.

Each organization of the roster gets the report its ``profile`` asks for (see
``tongjia_xls.demo.roster``): most follow 附件1 of the notice and its 1500-2000 字 and
65%-70% / 30%-35% rules, the others break exactly one kind of rule, the way reports that
reach the office really do. :func:`intended` says which rules each profile breaks, so that
tests can check that the checker finds them.

The text is composed in ``tongjia_xls.demo.compose`` from the phrase banks of
``tongjia_xls.demo.phrases``, and rendered to Word by ``tongjia_xls.demo.docx_writer``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tongjia_xls.demo.compose import compose
from tongjia_xls.demo.docx_writer import render
from tongjia_xls.demo.roster import (
    COMPLIANT,
    MISSING_TOPIC,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
    DemoOrg,
)

__all__ = [
    "RULE_CAUSES",
    "RULE_PROBLEMS",
    "RULE_SHARES",
    "RULE_TEMPLATE_RESIDUE",
    "RULE_TOPICS",
    "RULE_WORDS",
    "TOPIC_ECONOMY",
    "TOPIC_SAFETY",
    "VIOLATIONS",
    "intended",
    "report_file_name",
    "write_reports",
]

#: The two 必答题 (mandatory topics) of 三、7, by the notice's own words.
TOPIC_ECONOMY = "拼经济搞建设"
TOPIC_SAFETY = "防风险保安全"

# The rules a profile can break, named as the checker should name them.
RULE_WORDS = "words"  # 四、5: 1500-2000 字
RULE_TOPICS = "topics"  # 三、7: both 必答题 answered
RULE_TEMPLATE_RESIDUE = "template_residue"  # 附件1 left-overs: XX, ……, （主要包括…）
RULE_SHARES = "part_shares"  # 四、5 and 附件1: 65%-70% practices, ≥ 30% problems and plans
RULE_PROBLEMS = "problems"  # 附件1: 一是、二是、三是 problems
RULE_CAUSES = "cause_analysis"  # 附件1: 以上问题究其原因

#: Which rules each profile's report is written to break.
VIOLATIONS: dict[str, frozenset[str]] = {
    COMPLIANT: frozenset(),
    TOO_SHORT: frozenset({RULE_WORDS}),
    MISSING_TOPIC: frozenset({RULE_TOPICS}),
    TEMPLATE_RESIDUE: frozenset({RULE_TEMPLATE_RESIDUE}),
    THIN_PROBLEMS: frozenset({RULE_SHARES, RULE_PROBLEMS, RULE_CAUSES}),
}

_COMPLIANT_FACTS: dict[str, Any] = {
    "words": (1500, 2000),  # whole document, Word-true 字数
    "practices_share": (0.65, 0.67),  # part 一 over the three parts
    "problems_share": (0.20, 0.25),  # part 二 over the three parts
    "problems": (3, 4),  # number of 一是、二是… in part 二
    "plans": (3, 3),
    "topics": (TOPIC_ECONOMY, TOPIC_SAFETY),
    "cause_analysis": True,
    "first_person": True,  # part 二 is sure to say 我 or 本人
    "template_residue": False,
    "min_data_points": 5,  # figures in part 一
}


def intended(profile: str) -> dict[str, Any]:
    """Return what the demo report of ``profile`` is meant to be, and to break.

    Keys: ``violates`` (rule names, see ``RULE_*``), ``words`` (range of the whole
    document's 字数), ``practices_share`` and ``problems_share`` (ranges of part 一 and
    part 二 over the three parts' 字数), ``problems`` and ``plans`` (ranges of their
    numbers), ``topics`` (the 必答题 the text mentions), ``cause_analysis``,
    ``first_person`` (part 二 is sure to say 我 or 本人), ``template_residue`` and
    ``min_data_points`` (figures such as 12次 or 27.8万元 in part 一).
    """
    if profile not in VIOLATIONS:
        raise ValueError(f"未知的述职报告类型：{profile}")
    facts = dict(_COMPLIANT_FACTS)
    facts["violates"] = VIOLATIONS[profile]
    if profile == TOO_SHORT:
        facts["words"] = (900, 1200)
    elif profile == MISSING_TOPIC:
        facts["topics"] = (TOPIC_ECONOMY,)
    elif profile == TEMPLATE_RESIDUE:
        facts["template_residue"] = True
    elif profile == THIN_PROBLEMS:
        facts.update(
            practices_share=(0.85, 0.95),
            problems_share=(0.0, 0.10),
            problems=(0, 2),  # a single problem comes unnumbered: "主要是…"
            cause_analysis=False,
            first_person=False,
        )
    return facts


def report_file_name(org: DemoOrg, year: int = 2023) -> str:
    """Return the file name the secretary hands in, e.g. ``X村-张三-2023年度…报告.docx``."""
    return f"{org.name}-{org.secretary}-{year}年度抓基层党建述职报告.docx"


def write_reports(orgs: Sequence[DemoOrg], folder: Path, *, year: int = 2023) -> list[Path]:
    """Write one 述职报告 per organization into ``folder``; return the paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for org in orgs:
        report = compose(org, year)
        path = folder / report_file_name(org, year)
        render(report, org, year).save(str(path))
        paths.append(path)
    return paths
