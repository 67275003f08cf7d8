"""How one demo secretary lays a report out, and the small table of figures some add.

Real reports vary in form, and so do these: 主要做法和成效 or 主要做法及成效, aspect
headings with or without （一）, a heading and its text in one paragraph, headings in Word
heading styles or only in bold, plans in one paragraph, a small table of figures. The
template_residue profile keeps 附件1's ``XX书记`` and ``（XX年X月）``.
"""

from __future__ import annotations

import random
from typing import Any

from tongjia_xls.demo.report_model import Style, Table
from tongjia_xls.demo.roster import TEMPLATE_RESIDUE, DemoOrg

__all__ = ["draw_style", "draw_table"]


def draw_style(org: DemoOrg, year: int, rng: random.Random) -> Style:
    """Draw how ``org``'s secretary lays the report out: title, byline, headings, table."""
    profile = org.profile
    title = rng.choice(
        (
            f"{year}年度抓基层党建工作述职报告",
            f"{org.position}{year}年度抓基层党建工作述职报告",
            f"{year}年度抓基层党建工作情况述职报告",
        )
    )
    if profile == TEMPLATE_RESIDUE:
        byline = "XX书记"
        date_line = "（XX年X月）" if rng.random() < 0.5 else ""
    else:
        byline = f"{org.position}{rng.choice((' ', '　', '  '))}{org.secretary}"
        date_line = f"（{year + 1}年1月）" if rng.random() < 0.4 else ""
    layout = rng.choice(("separate", "separate", "inline", "unnumbered"))
    return Style(
        title=title,
        byline=byline,
        date_line=date_line,
        salutation="尊敬的各位领导、同志们：" if rng.random() < 0.25 else "",
        part_titles=(
            rng.choice(("主要做法和成效", "主要做法及成效")),
            rng.choice(("存在问题及原因分析", "存在的问题及原因分析")),
            rng.choice(("下步工作打算", "下一步工作打算")),
        ),
        aspect_layout=layout,
        heading_styles=layout != "inline" and rng.random() < 0.4,
        aspect_suffix="方面" if rng.random() < 0.75 else "",
        # The table of figures follows aspect (三), where the counted work is reported.
        table_aspect=2 if rng.random() < 0.3 else -1,
        bold_leads=rng.random() < 0.5,
        plans_one_paragraph=rng.random() < 0.3,
    )


def draw_table(org: DemoOrg, facts: dict[str, Any], rng: random.Random) -> Table:
    """Return the small table of figures some secretaries put under aspect (三)."""
    economy = "村集体经济收入" if org.kind != "社区" else "社区集体经济收入"
    rows = [
        ("开展党课", f"{facts['lessons']}次"),
        ("主题党日活动", "12次"),
        ("发展入党积极分子", f"{facts['activists']}名"),
        ("党员轮训覆盖率", f"{facts['train']}%"),
        (economy, f"{facts['income']}万元"),
        ("群众满意度", f"{facts['satisfy']}%"),
    ]
    rows = rows[: rng.randint(4, len(rows))]
    return Table([("项目", f"{facts['year']}年完成情况"), *rows])
