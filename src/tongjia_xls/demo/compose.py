"""Compose the text and layout of one demo 述职报告, ready for rendering.

Sentences come from the template banks of ``tongjia_xls.demo.phrases_practices`` and
``tongjia_xls.demo.phrases_problems``, said in the report's voice
(``tongjia_xls.demo.voice``): each report takes the alternatives its serial selects
(``tongjia_xls.demo.variants``), so no two reports of a year, and no report and the same
organization's report of the year before, share a sentence the near-duplicate check would
flag. Figures come from a ``random.Random`` seeded by the organization and the year, so
each run writes the same text. Parts are filled sentence by sentence up to a 字数
budget measured with the Word-true counter of ``tongjia_xls.reports.count``, the way the
checker measures them (text under each part heading), which is how the profiles land in
their ranges without any trial and error at write time.

One copy is planted on purpose: the second template_residue report of the roster lifts a
paragraph of aspect 二 from the first, with its own village name and figures
(``tongjia_xls.demo.voice.COPIED_FROM``), so the demo shows the ``similarity`` rule on two
reports that fail anyway. The layout of each report (headings, table, byline) is drawn in
``tongjia_xls.demo.layout``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from tongjia_xls.demo.facts import draw_facts, short_tenure
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
    PROFILES,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
    DemoOrg,
)
from tongjia_xls.demo.voice import COPIED_TEMPLATES, Voice, report_rng, report_serial
from tongjia_xls.reports.count import word_count

__all__ = ["compose"]


def _words(texts: Sequence[str]) -> int:
    """Return the 字数 of ``texts`` as Word counts them, one paragraph each."""
    return word_count("\n".join(texts))


def _block_words(blocks: Sequence[Block]) -> int:
    """Return the 字数 of ``blocks``, a table counting the text of its cells."""
    texts: list[str] = []
    for block in blocks:
        texts.extend([c for row in block.rows for c in row] if isinstance(block, Table)
                     else [block.text])
    return _words(texts)


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
    rng = report_rng(org, year)
    serial = report_serial(org, year)
    voice = Voice(org, year, serial, draw_facts(org, year, rng, serial))
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


def _practices(voice: Voice, style: Style, rng: random.Random, target: int) -> list[Block]:
    """Return part 一's blocks: the four aspects sized to ``target`` 字, and the table if any."""
    titles = _aspect_titles(style, voice.residue_aspect())
    copied = voice.copied_paragraph()
    chosen = _aspect_openings(voice, rng, copied)
    table = draw_table(voice.org, voice.facts, rng) if style.table_aspect >= 0 else None
    table_texts = _table_texts(table)
    base = _words([*titles, *table_texts, *(s for ss in chosen for s in ss)])
    bodies = _aspect_bodies(voice, rng, [t for _, t in COPIED_TEMPLATES] if copied else [])
    fillers = [(i, s) for i in range(4) for s in FILLERS[i]]
    _fill(base, target, _round_robin(bodies) + fillers, chosen)

    blocks: list[Block] = []
    for index, sentences in enumerate(chosen):
        paragraphs = _aspect_paragraphs(sentences, copied if index == 1 else [], rng)
        blocks += _aspect_blocks(style, titles[index], paragraphs)
        if table is not None and index == style.table_aspect:
            blocks += [Para(table_texts[0], "body"), table]
    return blocks


def _table_texts(table: Table | None) -> list[str]:
    """Return the texts a table adds to part 一: the line that introduces it, then its cells."""
    if table is None:
        return []
    return ["全年党建重点工作完成情况见下表：", *(cell for row in table.rows for cell in row)]


def _aspect_paragraphs(sentences: list[str], copied: list[str], rng: random.Random
                       ) -> list[str]:
    """Group an aspect's sentences into paragraphs; ``copied`` ones make one of their own."""
    if not copied:
        return _paragraphs(sentences, rng)
    # The copied paragraph stands on its own, as it did in the report it came from.
    cut = 1 + len(copied)
    return [sentences[0], "".join(sentences[1:cut]), *_paragraphs(sentences[cut:], rng)]


def _aspect_titles(style: Style, residue_aspect: int) -> list[str]:
    """Return the four aspects' titles as this report numbers and punctuates them."""
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
    return titles


def _aspect_openings(voice: Voice, rng: random.Random, copied: list[str]) -> list[list[str]]:
    """Return the sentences each aspect must have: its lead, the 必答题, 三、6 and 三、7."""
    chosen: list[list[str]] = []
    for index in range(4):
        sentences = [rng.choice(voice.bank(ASPECT_LEADS[index]))]
        if index == 1:
            sentences += copied if copied else _topic_answers(voice, rng)
        if index == 3:
            sentences.append(voice.must(PRIOR_YEAR))
            if short_tenure(voice.org, voice.year) and voice.org.profile != THIN_PROBLEMS:
                sentences.append(voice.must(RESEARCH))
        chosen.append(sentences)
    return chosen


def _topic_answers(voice: Voice, rng: random.Random) -> list[str]:
    """Return the sentences that answer the 必答题 this report may answer."""
    # Every report answers 拼经济搞建设; all but missing_topic also 防风险保安全.
    answers = [rng.choice(voice.bank(ECONOMY))]
    safety = voice.bank(SAFETY)
    if safety:
        answers.append(rng.choice(safety))
    return answers


def _aspect_bodies(voice: Voice, rng: random.Random, skip: Sequence[str]) -> list[list[str]]:
    """Return each aspect's further sentences, shuffled, leaving out ``skip``'s templates."""
    bodies = []
    for index in range(4):
        bank = voice.bank(ASPECT_BODIES[index], skip)
        rng.shuffle(bank)
        bodies.append(bank)
    return bodies


def _aspect_blocks(style: Style, title: str, paragraphs: list[str]) -> list[Block]:
    """Return one aspect's blocks: its title on its own line or leading its first paragraph."""
    blocks: list[Block]
    if style.aspect_layout == "inline":
        blocks = [Para(title + paragraphs[0], "body", lead=title)]
    else:
        blocks = [Para(title, "aspect"), Para(paragraphs[0], "body")]
    blocks.extend(Para(text, "body") for text in paragraphs[1:])
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


def _problem_pool(voice: Voice, rng: random.Random) -> list[tuple[str, list[str]]]:
    pool = []
    for kind, lead, details in PROBLEMS:
        if voice.allowed(kind, lead):
            texts = [text for d in details if (text := voice.say(d)) is not None]
            if texts:
                pool.append((lead, texts))
    rng.shuffle(pool)
    return pool


def _problems(voice: Voice, style: Style, rng: random.Random, target: int) -> list[Block]:
    """Return part 二's blocks: the problems and their causes, sized to ``target`` 字."""
    profile = voice.org.profile
    pool = _problem_pool(voice, rng)
    if profile == THIN_PROBLEMS:
        return _thin_problems(style, rng, pool)

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


def _thin_problems(style: Style, rng: random.Random, pool: list[tuple[str, list[str]]]
                   ) -> list[Block]:
    """Return a thin_problems report's part 二: one or two one-line problems, no causes."""
    # The report of a secretary who mostly lists achievements, which 四、1 warns against.
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


def _plans(voice: Voice, style: Style, rng: random.Random, target: int
           ) -> tuple[list[Block], str]:
    """Return part 三's blocks, sized to ``target`` 字, and the closing formula after it.

    The closing ("以上述职，请予评议。") belongs to no part, as a reader and the checker see it.
    """
    profile = voice.org.profile
    pool = _plan_pool(voice, rng)
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

    items = [_numbered(i, lead, chosen[i]) for i, (lead, _) in enumerate(picked)]
    residue_first = rng.random() < 0.5
    return _plan_blocks(style, intro, residue, residue_first, items), closing


def _plan_pool(voice: Voice, rng: random.Random) -> list[tuple[str, list[str]]]:
    """Return the plans this report may make, with their details, shuffled."""
    pool = []
    for kind, lead, details in PLANS:
        if voice.allowed(kind, lead):
            pool.append((lead, [text for d in details if (text := voice.say(d)) is not None]))
    rng.shuffle(pool)
    return pool


def _plan_blocks(style: Style, intro: str, residue: str, residue_first: bool,
                 items: list[tuple[str, str]]) -> list[Block]:
    """Return part 三's blocks: the intro, the numbered plans, and the residue line if any."""
    blocks: list[Block] = []
    if intro:
        blocks.append(Para(intro, "body"))
    if residue and residue_first:
        blocks.append(Para(residue, "body"))
    if style.plans_one_paragraph:
        blocks.append(Para("".join(text for _, text in items), "body"))
    else:
        for head, text in items:
            blocks.append(Para(text, "body", lead=head if style.bold_leads else ""))
    if residue and not residue_first:
        blocks.append(Para(residue, "body"))
    return blocks
