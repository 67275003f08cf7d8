"""The demo's 21 述职报告 (reports), written as real .docx files.

Each organization of the roster gets the report its ``profile`` asks for (see
``tongjia_xls.demo.roster``): most follow 附件1 of the notice and its 1500-2000 字 and
65%-70% / 30%-35% rules, the others break one kind of rule, the way reports that reach
the office really do. :data:`VIOLATIONS` says which of the checker's rules each
profile breaks, so that tests can check that the checker finds exactly those.

The text is composed in ``tongjia_xls.demo.compose`` from the phrase banks of
``tongjia_xls.demo.phrases_practices`` and ``tongjia_xls.demo.phrases_problems`` (templates
with alternatives, ``tongjia_xls.demo.variants``, so that no two honest reports share a
sentence), and rendered to Word by ``tongjia_xls.demo.docx_writer``.
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
from tongjia_xls.demo.voice import COPIED_FROM
from tongjia_xls.outputs import atomic_write

__all__ = [
    "PLANTED_COPY",
    "RULE_CAUSES",
    "RULE_ITEMS",
    "RULE_PROBLEMS_THIRD",
    "RULE_SHARES",
    "RULE_SHORT_TENURE",
    "RULE_SIMILARITY",
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

# The checker's rule ids (``tongjia_xls.reports.rules.RULES``) the profiles break.
RULE_WORDS = "words"  # 四、5: 1500-2000 字
RULE_SHARES = "shares"  # 四、5: part 一 65%-70%, parts 二+三 30%-35%
RULE_PROBLEMS_THIRD = "problems_third"  # 四、1 and 附件1: problems (with plans) ≥ 1/3
RULE_ITEMS = "items"  # 附件1: 一是、二是、三是 problems and plans
RULE_CAUSES = "causes"  # 附件1: 以上问题究其原因
RULE_TOPICS = "topics"  # 三、7: both 必答题 answered
RULE_TEMPLATE_RESIDUE = "template_residue"  # 附件1 left-overs: XX, ……, （主要包括…）
RULE_SHORT_TENURE = "short_tenure"  # 三、7: a new secretary reports research and measures
RULE_SIMILARITY = "similarity"  # 三: passages copied between reports

#: The planted copy (copier, source): the roster's second template_residue report lifted a
#: paragraph of aspect 二 (three sentences) from the first, changing the village name and
#: the figures, so the ``similarity`` rule flags both of them.
PLANTED_COPY: tuple[str, str] | None = next(
    ((copier, source.name) for copier, source in COPIED_FROM.items()), None
)

#: Which rules each profile's report breaks, checked together with the other 20 reports
#: under the default settings (``tongjia_xls.settings.Settings()``):
#:
#: * compliant: nothing, by a comfortable margin (part 一 ≈ 66%, 1700-1900 字, no sentence
#:   shared with another report or with the same organization's report of the year before);
#: * template_residue: 附件1's XX, （主要包括…） and 一是…… left in, and the planted copy
#:   (:data:`PLANTED_COPY`) between the two template_residue reports;
#: * thin_problems: parts 二+三 at 9%-14% with at most two problems and no cause analysis.
#:   Both thin_problems secretaries of the roster took office in September 2023 and, just
#:   as thinly, report no research findings (三、7), so ``short_tenure`` fires too; a
#:   short-tenure secretary of any other profile writes the research paragraph.
VIOLATIONS: dict[str, frozenset[str]] = {
    COMPLIANT: frozenset(),
    TOO_SHORT: frozenset({RULE_WORDS}),
    MISSING_TOPIC: frozenset({RULE_TOPICS}),
    TEMPLATE_RESIDUE: frozenset({RULE_TEMPLATE_RESIDUE, RULE_SIMILARITY}),
    THIN_PROBLEMS: frozenset(
        {RULE_PROBLEMS_THIRD, RULE_SHARES, RULE_ITEMS, RULE_CAUSES, RULE_SHORT_TENURE}
    ),
}

_COMPLIANT_FACTS: dict[str, Any] = {
    "words": (1650, 1950),  # whole document, Word-true 字数
    "practices_share": (0.655, 0.663),  # part 一 over the three parts
    "problems_plans_share": (0.337, 0.345),  # parts 二 and 三 over the three parts
    "problems": (3, 4),  # number of 一是、二是… in part 二
    "plans": (3, 4),
    "topics": (TOPIC_ECONOMY, TOPIC_SAFETY),
    "cause_analysis": True,
    "first_person": True,  # part 二 is sure to say 我 or 本人
    "prior_year": True,  # 三、6: last year's problems and 巡察 feedback, rectified
    "research": None,  # 三、7 research paragraph: only when the secretary is new
    "template_residue": False,
    "min_data_points": 8,  # figures in part 一
}


def intended(profile: str) -> dict[str, Any]:
    """Return what the demo report of ``profile`` is meant to be, and to break.

    Keys: ``violates`` (rule ids, see ``RULE_*``), ``words`` (range of the whole
    document's 字数), ``practices_share`` and ``problems_plans_share`` (ranges of part 一
    and of parts 二+三 over the three parts' 字数), ``problems`` and ``plans`` (ranges of
    their numbers), ``topics`` (the 必答题 the text mentions), ``cause_analysis``,
    ``first_person`` (part 二 says 我 or 本人), ``prior_year`` (last year's rectification
    is reported), ``research`` (False: never, None: when the secretary is new),
    ``template_residue`` and ``min_data_points`` (figures such as 12次 in part 一).
    """
    if profile not in VIOLATIONS:
        raise ValueError(f"未知的述职报告类型：{profile}")
    facts = dict(_COMPLIANT_FACTS)
    facts["violates"] = VIOLATIONS[profile]
    if profile == TOO_SHORT:
        facts.update(words=(900, 1200), min_data_points=5)
    elif profile == MISSING_TOPIC:
        facts["topics"] = (TOPIC_ECONOMY,)
    elif profile == TEMPLATE_RESIDUE:
        facts["template_residue"] = True
    elif profile == THIN_PROBLEMS:
        facts.update(
            words=(1600, 1900),
            practices_share=(0.85, 0.92),
            problems_plans_share=(0.08, 0.15),
            problems=(0, 2),  # a single problem comes unnumbered: "主要是…"
            cause_analysis=False,
            research=False,
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
        with atomic_write(path) as temporary:
            render(report, org, year).save(str(temporary))
        paths.append(path)
    return paths
