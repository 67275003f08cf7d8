"""Compose the text and layout of one demo 述职报告, ready for rendering.

Sentences come from the template banks of ``tongjia_xls.demo.phrases_practices`` and
``tongjia_xls.demo.phrases_problems``: each report takes the alternatives its serial
selects (``tongjia_xls.demo.variants``), so no two reports of a year, and no report and
the same organization's report of the year before, share a sentence the near-duplicate
check would flag. Figures come from a ``random.Random`` seeded by the organization and the
year, so each run writes the same text. Parts are filled sentence by sentence up to a 字数
budget measured with the Word-true counter of ``tongjia_xls.reports.count``, the way the
checker measures them (text under each part heading), which is how the profiles land in
their ranges without any trial and error at write time.

One copy is planted on purpose: the second template_residue report of the roster lifts a
paragraph of aspect 二 from the first, with its own village name and figures
(:data:`COPIED_FROM`), so the demo shows the ``similarity`` rule on two reports that fail
anyway. The layout of each report (headings, table, byline) is drawn in
``tongjia_xls.demo.layout``.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tongjia_xls.demo.facts import copied_facts, draw_facts, short_tenure
from tongjia_xls.demo.layout import draw_style, draw_table
from tongjia_xls.demo.phrases import (
    ASPECT_TITLES,
    BUDGETS,
    CLOSINGS,
    ORDINALS,
    OUTLINE_ASIDES,
    OUTLINE_DOTS_LINE,
)
from tongjia_xls.demo.phrases_practices import (
    ASPECT_BODIES,
    ASPECT_LEADS,
    ECONOMY,
    FILLERS,
    PIONEERS,
    PRIOR_YEAR,
    RESEARCH,
    SAFETY,
)
from tongjia_xls.demo.phrases_problems import (
    CAUSE_LINKS,
    CAUSE_OPENER,
    CAUSES,
    OBJECTIVE_CAUSES,
    PLAN_INTROS,
    PLANS,
    PROBLEM_FILLERS,
    PROBLEM_INTRO,
    PROBLEMS,
)
from tongjia_xls.demo.report_model import Block, Para, Report, Style, Table
from tongjia_xls.demo.roster import (
    MISSING_TOPIC,
    PROFILES,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
    DemoOrg,
    demo_orgs,
)
from tongjia_xls.demo.variants import realize, serial_for
from tongjia_xls.reports.count import word_count

__all__ = ["COPIED_FROM", "compose"]

_ROSTER_INDEX = {org.name: index for index, org in enumerate(demo_orgs())}
_RESIDUE_ORGS = [org for org in demo_orgs() if org.profile == TEMPLATE_RESIDUE]
_RESIDUE_RANK = {org.name: rank for rank, org in enumerate(_RESIDUE_ORGS)}
#: The planted copy: copier's name -> the organization whose paragraph it lifted.
COPIED_FROM: dict[str, DemoOrg] = (
    {_RESIDUE_ORGS[1].name: _RESIDUE_ORGS[0]} if len(_RESIDUE_ORGS) > 1 else {}
)
# The copied paragraph: the 拼经济搞建设 sentence, the 党员先锋队 one and the 防风险保安全 one.
_COPIED_TEMPLATES = (ECONOMY[0], ASPECT_BODIES[1][PIONEERS], SAFETY[0])


def _words(texts: Sequence[str]) -> int:
    return word_count("\n".join(texts))


def _block_words(blocks: Sequence[Block]) -> int:
    texts: list[str] = []
    for block in blocks:
        texts.extend([c for row in block.rows for c in row] if isinstance(block, Table)
                     else [block.text])
    return _words(texts)


def _serial(org: DemoOrg, year: int) -> int:
    index = _ROSTER_INDEX.get(org.name)
    if index is None:
        index = zlib.crc32(org.name.encode("utf-8"))
    return serial_for(index, year)


def _rng(org: DemoOrg, year: int) -> random.Random:
    return random.Random(f"{org.name}/{year}")


@dataclass
class _Voice:
    """One report's way of saying things: its serial, figures and what it must not say."""

    org: DemoOrg
    year: int
    serial: int
    facts: dict[str, Any]

    def allowed(self, kind: str, text: str) -> bool:
        if kind and kind != self.org.kind:
            return False
        profile = self.org.profile
        # missing_topic reports never touch the safety 必答题, not even in passing; the new
        # secretaries of thin_problems report no research (三、7).
        if profile == MISSING_TOPIC and ("风险" in text or "安全" in text):
            return False
        return not (profile == THIN_PROBLEMS and "调研" in text)

    def say(self, template: str, kind: str = "", *, serial: int | None = None,
            facts: dict[str, Any] | None = None) -> str | None:
        """Return this report's sentence of ``template``, or None if it may not say it."""
        if kind and kind != self.org.kind:
            return None
        text = realize(template, self.serial if serial is None else serial)
        text = text.format(**(self.facts if facts is None else facts))
        return text if self.allowed("", text) else None

    def must(self, template: str) -> str:
        text = self.say(template)
        if text is None:
            raise ValueError(f"{self.org.name}的报告必须有这句话，但它被排除了：{template[:20]}")
        return text

    def bank(self, bank: Sequence[tuple[str, str]], skip: Sequence[str] = ()) -> list[str]:
        return [text for kind, template in bank if template not in skip
                and (text := self.say(template, kind)) is not None]

    def copied_paragraph(self) -> list[str]:
        """Return the paragraph both template_residue reports share, or [] for the others."""
        if self.org.profile != TEMPLATE_RESIDUE:
            return []
        source = COPIED_FROM.get(self.org.name, self.org)
        serial, facts = self.serial, self.facts
        if source is not self.org:
            serial = _serial(source, self.year)
            theirs = draw_facts(source, self.year, _rng(source, self.year), serial)
            facts = copied_facts(self.org, self.facts, theirs)
        texts = [self.say(t, kind, serial=serial, facts=facts) for kind, t in _COPIED_TEMPLATES]
        return [t for t in texts if t is not None] if all(texts) else []


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
    rng = _rng(org, year)
    serial = _serial(org, year)
    voice = _Voice(org, year, serial, draw_facts(org, year, rng, serial))
    style = draw_style(org, year, rng)
    report = Report(style)
    (total_lo, total_hi), (rest_lo, rest_hi), problems_of_rest = BUDGETS[profile]
    total_target = rng.randint(total_lo, total_hi)
    rest_share = rng.uniform(rest_lo, rest_hi)

    # Front matter, outside the three parts.
    report.add(0, Para(style.title, "title"))
    if style.date_line:
        report.add(0, Para(style.date_line, "date"))
    report.add(0, Para(style.byline, "byline"))
    if style.salutation:
        report.add(0, Para(style.salutation, "intro"))
    report.add(0, Para(f"根据会议安排，现就{year}年度抓基层党建工作情况述职如下：", "intro"))
    headings = [f"{ORDINALS[i]}、{title}" for i, title in enumerate(style.part_titles)]
    front = _block_words([b for _, b in report.blocks]) + _words(headings)
    # Budgets count the text under the part headings, as the checker's shares do.
    parts_target = total_target - front
    rest_target = round(parts_target * rest_share)
    # Plans first: part 二, with more sentences to choose from, takes up what they left.
    plans, closing = _plans(voice, style, rng, round(rest_target * (1 - problems_of_rest)))
    problems = _problems(voice, style, rng, rest_target - _block_words(plans))
    rest = _block_words(problems + plans)
    if profile == THIN_PROBLEMS:
        # Thin parts 二 and 三 are the point: part 一 makes up the whole length.
        practices_target = parts_target - rest
    else:
        # Part 一 is sized from what parts 二 and 三 really came to, so its share is exact.
        practices_target = round(rest * (1 - rest_share) / rest_share)
    practices = _practices(voice, style, rng, practices_target)

    for part, blocks in ((1, practices), (2, problems), (3, plans)):
        report.add(part, Para(headings[part - 1], "part"))
        for block in blocks:
            report.add(part, block)
    if closing:
        report.add(3, Para(closing, "body"))
    return report


def _practices(voice: _Voice, style: Style, rng: random.Random, target: int) -> list[Block]:
    profile = voice.org.profile
    residue_aspect = -1
    if profile == TEMPLATE_RESIDUE:
        # 附件1's aside under aspect (一) or (四), alternating from year to year and between
        # the roster's two template_residue reports: the planted copy stays the only match.
        rank = _RESIDUE_RANK.get(voice.org.name, voice.serial)
        residue_aspect = (0, 3)[(voice.year + rank) % 2]
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

    copied = voice.copied_paragraph()
    chosen: list[list[str]] = []
    for index in range(4):
        sentences = [rng.choice(voice.bank(ASPECT_LEADS[index]))]
        if index == 1 and copied:
            sentences += copied
        elif index == 1:
            # Every report answers 拼经济搞建设; all but missing_topic also 防风险保安全.
            sentences.append(rng.choice(voice.bank(ECONOMY)))
            safety = voice.bank(SAFETY)
            if safety:
                sentences.append(rng.choice(safety))
        if index == 3:
            sentences.append(voice.must(PRIOR_YEAR))
            if short_tenure(voice.org, voice.year) and profile != THIN_PROBLEMS:
                sentences.append(voice.must(RESEARCH))
        chosen.append(sentences)

    table = draw_table(voice.org, voice.facts, rng) if style.table_aspect >= 0 else None
    table_texts = ["全年党建重点工作完成情况见下表："] if table else []
    if table:
        table_texts += [cell for row in table.rows for cell in row]
    base = _words([*titles, *table_texts, *(s for ss in chosen for s in ss)])

    bodies = []
    skip = [t for _, t in _COPIED_TEMPLATES] if copied else []
    for index in range(4):
        bank = voice.bank(ASPECT_BODIES[index], skip)
        rng.shuffle(bank)
        bodies.append(bank)
    fillers = [(i, s) for i in range(4) for s in FILLERS[i]]
    _fill(base, target, _round_robin(bodies) + fillers, chosen)

    blocks: list[Block] = []
    for index, sentences in enumerate(chosen):
        if index == 1 and copied:
            # The copied paragraph stands on its own, as it did in the report it came from.
            cut = 1 + len(copied)
            paragraphs = [sentences[0], "".join(sentences[1:cut])]
            paragraphs += _paragraphs(sentences[cut:], rng)
        else:
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


def _problem_pool(voice: _Voice, rng: random.Random) -> list[tuple[str, list[str]]]:
    pool = []
    for kind, lead, details in PROBLEMS:
        if voice.allowed(kind, lead):
            texts = [text for d in details if (text := voice.say(d)) is not None]
            if texts:
                pool.append((lead, texts))
    rng.shuffle(pool)
    return pool


def _problems(voice: _Voice, style: Style, rng: random.Random, target: int) -> list[Block]:
    profile = voice.org.profile
    pool = _problem_pool(voice, rng)
    if profile == THIN_PROBLEMS:
        # One or two one-line problems and no cause analysis: the report of a secretary
        # who mostly lists achievements, which 四、1 warns against.
        count = rng.choice((1, 2))
        picked = pool[:count]
        if count == 1:
            lead, details = picked[0]
            return [Para(f"本人抓党建工作还存在一些不足，主要是{lead}，{details[0]}", "body")]
        paras: list[Block] = [Para("我抓党建工作也还存在一些不足：", "body")]
        for index, (lead, details) in enumerate(picked):
            head, text = _numbered(index, lead, details[:1])
            paras.append(Para(text, "body", lead=head if style.bold_leads else ""))
        return paras

    count = 4 if profile != TOO_SHORT and rng.random() < 0.35 else 3
    picked = pool[:count]
    intro = voice.must(PROBLEM_INTRO)
    opener = voice.must(CAUSE_OPENER)
    causes = [voice.must(cause) for cause in CAUSES]
    rng.shuffle(causes)
    # Subjective causes first, the objective one (客观上) last if it makes it in.
    causes += voice.bank(OBJECTIVE_CAUSES)

    chosen: list[list[str]] = [[] for _ in range(count + 1)]
    chosen[count].append(causes[0])
    base = _words(
        [intro, opener + CAUSE_LINKS[0] + causes[0]]
        + [_numbered(i, lead, [])[1] for i, (lead, _) in enumerate(picked)]
    )
    banks = [list(details) for _, details in picked] + [causes[1:]]
    fillers = [(i, voice.must(text)) for i, text in enumerate(PROBLEM_FILLERS[:count])]
    _fill(base, target, _round_robin(banks) + fillers, chosen)

    blocks: list[Block] = [Para(intro, "body")]
    for index, (lead, _) in enumerate(picked):
        head, text = _numbered(index, lead, chosen[index])
        blocks.append(Para(text, "body", lead=head if style.bold_leads else ""))
    linked = [
        sentence if sentence.startswith("客观上") else CAUSE_LINKS[i] + sentence
        for i, sentence in enumerate(chosen[count])
    ]
    blocks.append(Para(opener + "".join(linked), "body"))
    return blocks


def _plans(voice: _Voice, style: Style, rng: random.Random, target: int
           ) -> tuple[list[Block], str]:
    """Return part 三's blocks, sized to ``target`` 字, and the closing formula after it.

    The closing ("以上述职，请予评议。") belongs to no part, as a reader and the checker see it.
    """
    profile = voice.org.profile
    pool = []
    for kind, lead, details in PLANS:
        if voice.allowed(kind, lead):
            pool.append((lead, [text for d in details if (text := voice.say(d)) is not None]))
    rng.shuffle(pool)
    count = 4 if profile not in (TOO_SHORT, THIN_PROBLEMS) and rng.random() < 0.3 else 3
    picked = pool[:count]
    intro = voice.must(rng.choice(PLAN_INTROS)) if profile != THIN_PROBLEMS else ""
    closing = rng.choice(CLOSINGS)
    residue = OUTLINE_DOTS_LINE if profile == TEMPLATE_RESIDUE else ""

    chosen: list[list[str]] = [[] for _ in picked]
    base = _words(
        [intro, residue] + [_numbered(i, lead, [])[1] for i, (lead, _) in enumerate(picked)]
    )
    _fill(base, target, _round_robin([details for _, details in picked]), chosen)

    blocks: list[Block] = []
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
    return blocks, closing
