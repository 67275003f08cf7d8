"""The figures and local names of one demo report, drawn once and used by every sentence.

Numbers come from the report's ``random.Random``; the 院落 or 小区 name comes from the
report's serial (``tongjia_xls.demo.variants``), so no two reports of a year name the same
place. :func:`copied_facts` gives the facts a copier keeps when lifting another village's
paragraph: its own name and figures, the other village's industry.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from tongjia_xls.demo.phrases import (
    COMMUNITY_INDUSTRIES,
    COMMUNITY_PLACES,
    LAST_YEAR_PROBLEMS,
    OTHER_LAST_YEAR_PROBLEMS,
    VILLAGE_INDUSTRIES,
    VILLAGE_PLACES,
)
from tongjia_xls.demo.roster import DemoOrg

__all__ = ["copied_facts", "draw_facts", "short_tenure"]

#: 三、7's "任职时间较短": the checker's default, in months before the reports are due.
SHORT_TENURE_MONTHS = 6


def short_tenure(org: DemoOrg, year: int) -> bool:
    """Return True when ``org``'s secretary took office less than six months before January."""
    due = date(year + 1, 1, 5)
    months = (due.year - org.appointed.year) * 12 + due.month - org.appointed.month
    return 0 <= months < SHORT_TENURE_MONTHS


def _coop(org: DemoOrg, industry: str) -> str:
    village = org.kind != "社区"
    return f"{org.name[:-1]}{industry}专业合作社" if village else f"{org.name}便民服务中心"


def draw_facts(org: DemoOrg, year: int, rng: random.Random, serial: int) -> dict[str, Any]:
    """Draw the organization's figures; every sentence of its report uses the same ones."""
    village = org.kind != "社区"
    industry = rng.choice(VILLAGE_INDUSTRIES if village else COMMUNITY_INDUSTRIES)
    places = VILLAGE_PLACES if village else COMMUNITY_PLACES
    income = round(rng.uniform(12.0, 48.0), 1)
    members = rng.randint(38, 96)
    old_pct = rng.randint(45, 68)
    young = rng.randint(2, 7)
    return {
        "year": year,
        "next_year": year + 1,
        "name": org.name,
        "party": f"{org.name}党{'支部' if village else '委'}",
        "unit": "村" if village else "社区",
        "home": "村里" if village else "社区",
        "masses": "群众" if village else "居民",
        "affairs": "村务" if village else "居务",
        "cell_name": "村民小组" if village else "网格",
        "place": places[serial % len(places)],
        "industry": industry,
        "coop": _coop(org, industry),
        "appointed": f"{org.appointed.year}年{org.appointed.month}月",
        "last_problem": LAST_YEAR_PROBLEMS.get(
            org.name, OTHER_LAST_YEAR_PROBLEMS[serial % len(OTHER_LAST_YEAR_PROBLEMS)]
        ),
        "members": members,
        "online": rng.randint(members // 3, members // 2),
        "old_pct": old_pct,
        "old_count": members * old_pct // 100,
        "avg_age": rng.randint(56, 63),
        "young": young,
        "young_pct": max(1, young * 100 // members),
        "cells": rng.randint(6, 13),
        "study": rng.randint(12, 24),
        "seminars": rng.randint(3, 6),
        "lessons": rng.randint(8, 14),
        "my_lessons": rng.randint(2, 4),
        "surveys": rng.randint(4, 9),
        "found": rng.randint(5, 12),
        "talks": rng.randint(6, 18),
        "talk_people": rng.randint(30, 120) * 10,
        "first_topic": rng.randint(14, 26),
        "day": rng.choice((5, 10, 15, 20)),
        "attend": rng.randint(90, 98),
        "deeds": rng.randint(5, 15),
        "invest": round(rng.uniform(60.0, 380.0), 1),
        "projects": rng.randint(3, 7),
        "road": round(rng.uniform(1.2, 6.5), 1),
        "acres": rng.randint(3, 15) * 100,
        "plan_acres": rng.randint(2, 6) * 100,
        "households": rng.randint(60, 320),
        "income": income,
        "income_target": int(income * 1.2) // 5 * 5 + 5,
        "growth": rng.randint(8, 26),
        "shops": rng.randint(40, 160),
        "jobs": rng.randint(15, 60),
        "mentors": rng.randint(5, 12),
        "pairs": rng.randint(12, 40),
        "grain": rng.randint(8, 30) * 100,
        "cleanups": rng.randint(10, 36),
        "courtyards": rng.randint(12, 45),
        "estates": rng.randint(4, 11),
        "fixes": rng.randint(12, 40),
        "reported": rng.randint(30, 120),
        "wishes": rng.randint(40, 150),
        "teams": rng.randint(2, 5),
        "disputes": rng.randint(18, 56),
        "resolve": rng.randint(96, 99),
        "hazards": rng.randint(8, 30),
        "assemblies": rng.randint(4, 8),
        "committees": rng.randint(12, 20),
        "activists": rng.randint(2, 5),
        "candidates": rng.randint(1, 3),
        "recruits": rng.randint(1, 2),
        "train": rng.randint(96, 100),
        "flowing": rng.randint(4, 18),
        "gridders": rng.randint(8, 20),
        "services": rng.randint(180, 960),
        "riders": rng.randint(24, 80),
        "youth": rng.randint(2, 6),
        "stars": rng.randint(20, 60),
        "meetings": rng.randint(4, 8),
        "tasks": rng.randint(12, 24),
        "pledges": rng.randint(4, 7),
        "opens": rng.randint(12, 16),
        "satisfy": rng.randint(95, 99),
        "mass_events": rng.randint(6, 15),
        "rect": rng.randint(3, 6),
        "rect2": rng.randint(4, 9),
        "visits": rng.randint(160, 480),
        "ideas": rng.randint(20, 60),
        "plan_activists": rng.randint(2, 4),
    }


def copied_facts(org: DemoOrg, own: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """Return the facts of a paragraph ``org`` copied: its name and figures, not its industry."""
    return {**own, "industry": source["industry"], "coop": _coop(org, source["industry"])}
