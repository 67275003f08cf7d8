"""Compose the text and layout of one demo 述职报告, ready for rendering.

The text is assembled from the phrase banks of ``tongjia_xls.demo.phrases``, filled with
figures drawn from a ``random.Random(org.name)``, so every report differs from the others
yet each run writes the same text. Parts are filled sentence by sentence until they reach
a 字数 budget measured with the Word-true counter of ``tongjia_xls.reports.count``, which
is how the profiles land in their ranges without any trial and error at write time.

Real reports vary in form, and so do these: 主要做法和成效 or 主要做法及成效, aspect
headings with or without （一）, a heading and its text in one paragraph, headings in Word
heading styles or only in bold, plans in one paragraph, a small table of figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from tongjia_xls.demo.phrases import (
    ASPECT_BODIES,
    ASPECT_LEADS,
    ASPECT_TITLES,
    BUDGETS,
    CAUSE_LINKS,
    CAUSE_OPENERS,
    CAUSES,
    CLOSINGS,
    ECONOMY,
    FILLERS,
    ORDINALS,
    OUTLINE_ASIDES,
    OUTLINE_DOTS_LINE,
    PLAN_INTROS,
    PLANS,
    PROBLEM_INTROS,
    PROBLEMS,
    SAFETY,
    VILLAGE_INDUSTRIES,
    Bank,
)
from tongjia_xls.demo.report_model import Block, Para, Report, Style, Table
from tongjia_xls.demo.roster import (
    MISSING_TOPIC,
    PROFILES,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
    DemoOrg,
)
from tongjia_xls.reports.count import word_count

__all__ = ["compose"]


def _words(texts: Sequence[str]) -> int:
    return word_count("\n".join(texts))


def _facts(org: DemoOrg, year: int, rng: random.Random) -> dict[str, Any]:
    """Draw the organization's figures; every sentence of its report uses the same ones."""
    village = org.kind != "社区"
    industry = rng.choice(VILLAGE_INDUSTRIES)
    income = round(rng.uniform(12.0, 48.0), 1)
    members = rng.randint(38, 96)
    return {
        "year": year,
        "next_year": year + 1,
        "name": org.name,
        "party": f"{org.name}党{'支部' if village else '委'}",
        "unit": "村" if village else "社区",
        "home": "村里" if village else "社区",
        "affairs": "村务" if village else "居务",
        "cell_name": "村民小组" if village else "网格",
        "industry": industry,
        "coop": f"{org.name[:-1]}{industry}专业合作社",
        "members": members,
        "online": rng.randint(members // 3, members // 2),
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
        "youth": rng.randint(2, 6),
        "riders": rng.randint(24, 80),
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
        "old_pct": rng.randint(45, 68),
        "young": rng.randint(2, 7),
        "plan_activists": rng.randint(2, 4),
    }


def _style(org: DemoOrg, year: int, profile: str, rng: random.Random) -> Style:
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


def _allowed(kind: str, text: str, org: DemoOrg, profile: str) -> bool:
    if kind and kind != org.kind:
        return False
    # missing_topic reports never touch the safety 必答题, not even in passing.
    return not (profile == MISSING_TOPIC and ("风险" in text or "安全" in text))


def _pick(bank: Bank, org: DemoOrg, profile: str, facts: dict[str, Any]) -> list[str]:
    return [text.format(**facts) for kind, text in bank if _allowed(kind, text, org, profile)]


def _fill(
    base: int, target: int, candidates: list[tuple[int, str]], chosen: list[list[str]]
) -> int:
    """Append candidate sentences to ``chosen[slot]`` while the 字数 stays within target.

    Candidates are tried in order and any that would overshoot is skipped, so the last
    gap ends up smaller than the shortest candidate left. Sentences end with full-width
    punctuation, so their counts simply add up.
    """
    total = base
    for slot, text in candidates:
        words = word_count(text)
        if total + words <= target:
            chosen[slot].append(text)
            total += words
    return total


def _round_robin(banks: list[list[str]]) -> list[tuple[int, str]]:
    order = []
    for depth in range(max(map(len, banks), default=0)):
        for slot, bank in enumerate(banks):
            if depth < len(bank):
                order.append((slot, bank[depth]))
    return order


def _numbered(index: int, lead: str, details: Sequence[str]) -> tuple[str, str]:
    head = f"{ORDINALS[index]}是{lead}。"
    return head, head + "".join(details)


def compose(org: DemoOrg, year: int) -> Report:
    """Build the whole report of ``org``: text, layout and the part each block belongs to."""
    profile = org.profile
    if profile not in PROFILES:
        raise ValueError(f"未知的述职报告类型：{profile}")
    rng = random.Random(org.name)
    facts = _facts(org, year, rng)
    style = _style(org, year, profile, rng)
    report = Report(style)
    (total_lo, total_hi), (share_lo, share_hi), problems_of_rest = BUDGETS[profile]
    total_target = rng.randint(total_lo, total_hi)
    practices_share = rng.uniform(share_lo, share_hi)

    # Front matter, outside the three parts.
    report.add(0, Para(style.title, "title"))
    if style.date_line:
        report.add(0, Para(style.date_line, "date"))
    report.add(0, Para(style.byline, "byline"))
    if style.salutation:
        report.add(0, Para(style.salutation, "intro"))
    report.add(0, Para(f"根据会议安排，现就{year}年度抓基层党建工作情况述职如下：", "intro"))
    front = _words([b.text for _, b in report.blocks if isinstance(b, Para)])
    parts_target = total_target - front
    rest_target = parts_target * (1 - practices_share)
    problems_target = round(rest_target * problems_of_rest)
    plans_target = round(rest_target) - problems_target

    problems = _problems(org, profile, facts, style, rng, problems_target)
    plans = _plans(org, profile, facts, style, rng, plans_target)
    rest = _words([b.text for b in problems + plans if isinstance(b, Para)])
    if profile == THIN_PROBLEMS:
        # Thin parts 二 and 三 are the point: part 一 makes up the whole length.
        practices_target = parts_target - rest
    else:
        # Part 一 is sized from what parts 二 and 三 really came to, so its share is exact.
        practices_target = round(rest * practices_share / (1 - practices_share))
    practices = _practices(org, profile, facts, style, rng, practices_target)

    for part, blocks in ((1, practices), (2, problems), (3, plans)):
        for block in blocks:
            report.add(part, block)
    return report


def _practices(
    org: DemoOrg,
    profile: str,
    facts: dict[str, Any],
    style: Style,
    rng: random.Random,
    target: int,
) -> list[Block]:
    heading = f"一、{style.part_titles[0]}"
    residue_aspect = rng.choice((0, 3)) if profile == TEMPLATE_RESIDUE else -1
    titles = []
    for index, title in enumerate(ASPECT_TITLES):
        text = title + style.aspect_suffix
        if style.aspect_layout != "unnumbered":
            text = f"（{ORDINALS[index]}）{text}"
        if style.aspect_layout == "inline" or index == residue_aspect:
            text += "。"
        if index == residue_aspect:
            text += OUTLINE_ASIDES[0 if index == 0 else 1]
        titles.append(text)

    chosen: list[list[str]] = []
    for index in range(4):
        sentences = [rng.choice(_pick(ASPECT_LEADS[index], org, profile, facts))]
        if index == 1:
            # Every report answers 拼经济搞建设; all but missing_topic also 防风险保安全.
            sentences.append(rng.choice(_pick(ECONOMY, org, profile, facts)))
            safety = _pick(SAFETY, org, profile, facts)
            if safety:
                sentences.append(rng.choice(safety))
        chosen.append(sentences)

    table = _table(org, facts, rng) if style.table_aspect >= 0 else None
    table_texts = ["全年党建重点工作完成情况见下表："] if table else []
    if table:
        table_texts += [cell for row in table.rows for cell in row]
    base = _words([heading, *titles, *table_texts, *(s for ss in chosen for s in ss)])

    bodies = []
    for index in range(4):
        bank = _pick(ASPECT_BODIES[index], org, profile, facts)
        rng.shuffle(bank)
        bodies.append(bank)
    fillers = [(i, s) for i in range(4) for s in _pick(FILLERS[i], org, profile, facts)]
    _fill(base, target, _round_robin(bodies) + fillers, chosen)

    blocks: list[Block] = [Para(heading, "part")]
    for index, sentences in enumerate(chosen):
        paragraphs = _paragraphs(sentences, rng)
        if style.aspect_layout == "inline":
            paragraphs[0] = titles[index] + paragraphs[0]
            blocks.append(Para(paragraphs[0], "body", lead=titles[index]))
        else:
            blocks.append(Para(titles[index], "aspect"))
            blocks.append(Para(paragraphs[0], "body"))
        blocks.extend(Para(text, "body") for text in paragraphs[1:])
        if table and index == style.table_aspect:
            blocks.append(Para(table_texts[0], "body"))
            blocks.append(table)
    return blocks


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    """Group an aspect's sentences into paragraphs of two to four sentences."""
    paragraphs = []
    start = 0
    while start < len(sentences):
        size = rng.randint(2, 4)
        if len(sentences) - (start + size) == 1:
            size += 1  # a lone last sentence reads badly
        paragraphs.append("".join(sentences[start : start + size]))
        start += size
    return paragraphs


def _table(org: DemoOrg, facts: dict[str, Any], rng: random.Random) -> Table:
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


def _problems(
    org: DemoOrg,
    profile: str,
    facts: dict[str, Any],
    style: Style,
    rng: random.Random,
    target: int,
) -> list[Block]:
    heading = f"二、{style.part_titles[1]}"
    pool = [
        (lead, [d.format(**facts) for d in details])
        for kind, lead, details in PROBLEMS
        if _allowed(kind, lead + "".join(details), org, profile)
    ]
    rng.shuffle(pool)

    if profile == THIN_PROBLEMS:
        # One or two one-line problems and no cause analysis: the report of a secretary
        # who mostly lists achievements, which 四、1 warns against.
        count = rng.choice((1, 2))
        picked = pool[:count]
        if count == 1:
            lead, details = picked[0]
            text = f"本人抓党建工作还存在一些不足，主要是{lead}，{details[0]}"
            return [Para(heading, "part"), Para(text, "body")]
        paras = [Para("工作中也还存在一些不足：", "body")]
        for index, (lead, details) in enumerate(picked):
            head, text = _numbered(index, lead, details[:1])
            paras.append(Para(text, "body", lead=head if style.bold_leads else ""))
        return [Para(heading, "part"), *paras]

    count = 4 if profile != TOO_SHORT and rng.random() < 0.3 else 3
    picked = pool[:count]
    intro = rng.choice(PROBLEM_INTROS)
    opener = rng.choice(CAUSE_OPENERS)
    causes = _pick(CAUSES, org, profile, facts)
    rng.shuffle(causes)
    # Subjective causes first, the objective one (客观上) last if it makes it in.
    causes.sort(key=lambda text: text.startswith("客观上"))

    chosen: list[list[str]] = [[] for _ in range(count + 1)]
    chosen[count].append(causes[0])
    base = _words(
        [heading, intro, opener, causes[0]]
        + [_numbered(i, lead, [])[1] for i, (lead, _) in enumerate(picked)]
    )
    banks = [list(details) for _, details in picked] + [causes[1:]]
    _fill(base, target, _round_robin(banks), chosen)

    blocks: list[Block] = [Para(heading, "part"), Para(intro, "body")]
    for index, (lead, _) in enumerate(picked):
        head, text = _numbered(index, lead, chosen[index])
        blocks.append(Para(text, "body", lead=head if style.bold_leads else ""))
    linked = [
        sentence if sentence.startswith("客观上") else CAUSE_LINKS[i] + sentence
        for i, sentence in enumerate(chosen[count])
    ]
    blocks.append(Para(opener + "".join(linked), "body"))
    return blocks


def _plans(
    org: DemoOrg,
    profile: str,
    facts: dict[str, Any],
    style: Style,
    rng: random.Random,
    target: int,
) -> list[Block]:
    heading = f"三、{style.part_titles[2]}"
    pool = [
        (lead, [d.format(**facts) for d in details])
        for kind, lead, details in PLANS
        if _allowed(kind, lead + "".join(details), org, profile)
    ]
    rng.shuffle(pool)
    picked = pool[:3]
    intro = rng.choice(PLAN_INTROS).format(**facts) if profile != THIN_PROBLEMS else ""
    closing = rng.choice(CLOSINGS)
    residue = OUTLINE_DOTS_LINE if profile == TEMPLATE_RESIDUE else ""

    chosen: list[list[str]] = [[] for _ in picked]
    base = _words(
        [heading, intro, closing, residue]
        + [_numbered(i, lead, [])[1] for i, (lead, _) in enumerate(picked)]
    )
    _fill(base, target, _round_robin([details for _, details in picked]), chosen)

    blocks: list[Block] = [Para(heading, "part")]
    if intro:
        blocks.append(Para(intro, "body"))
    residue_first = rng.random() < 0.5
    if residue and residue_first:
        blocks.append(Para(residue, "body"))
    items = [_numbered(i, lead, chosen[i]) for i, (lead, _) in enumerate(picked)]
    if style.plans_one_paragraph:
        blocks.append(Para("".join(text for _, text in items), "body"))
    else:
        for head, text in items:
            blocks.append(Para(text, "body", lead=head if style.bold_leads else ""))
    if residue and not residue_first:
        blocks.append(Para(residue, "body"))
    if closing:
        blocks.append(Para(closing, "body"))
    return blocks
