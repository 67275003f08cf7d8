"""评价意见: a draft of the 综合评价意见 in the three movements of the notice (四、4).

The draft has three paragraphs, 肯定成绩、指出问题、明确方向, written as the town's
official prose and built only from the evidence: the secretary's name, grade, score and
rank; the 现场述职 score against the town's (first quarter, upper half, lower half, last
quarter) and against the ballot's scale (95 and more is mostly 好); the strongest and
weakest component; the report checker's figures and findings; and the 整改台账 (overdue
items, last year's unfinished ones, the problems the report itself named). A phrase is
used only when the numbers bear it out: a 99-point 现场述职 is never "较好评价", a report
with enough figures is never "数据不够". An organization with no composite and no report
figures gets no draft, only a note saying what is missing.

Each piece of evidence has several phrasings (:mod:`tongjia_xls.scoring.phrases_opinion`).
:func:`draft_opinions` spreads them over a town's organizations in an order seeded by the
organizations' names, so drafts whose evidence differs do not read alike and the same
workbook always gives the same drafts; :func:`fingerprint` tells whether staff have edited
a draft since (an edited opinion is theirs and is never overwritten).

Length: the draft aims at 150–250 字 (Word's count, :mod:`tongjia_xls.reports.count`).
Sentences carry priorities: the core of each paragraph is always written, the others are
added most useful first while the total stays within 250, and neutral directions taken
from the notice are added when it would fall short of 150.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tongjia_xls.scoring.phrases_opinion as bank
from tongjia_xls.reports.count import word_count
from tongjia_xls.scoring.composite import FIELD, ONSITE, ROUTINE
from tongjia_xls.scoring.grades import format_score
from tongjia_xls.scoring.opinion_input import (
    ONSITE_GOOD,
    ONSITE_HIGH,
    PROBLEMS_MIN,
    Draft,
    OpinionInput,
    count,
    missing_data,
    number,
    tier,
    topic_levels,
)

__all__ = [
    "ISSUE_PHRASES",
    "MAX_CHARS",
    "MIN_CHARS",
    "draft_opinion",
    "draft_opinions",
    "fingerprint",
]

MIN_CHARS, MAX_CHARS = 150, 250
#: Rule name or id → the phrase the opinion uses for it (its first phrasing).
ISSUE_PHRASES = {name: phrases[0] for names, phrases, _ in bank.ISSUES for name in names}
_KIND = {name: index for index, (names, _, _) in enumerate(bank.ISSUES) for name in names}
_DATA, _ITEMS, _TOPICS = _KIND["数据举例"], _KIND["条数"], _KIND["必答题"]
_SELF = _KIND["问题占三分之一"]
#: A component must trail the others by this many points to be called weak.
_WEAK_GAP = 2.0
_LONGEST_STRENGTH = 16
_DATA_SLOT, _TOPICS_SLOT = 4, 5  # in 肯定成绩: the report's figures, then its 必答题
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|"
                        r"\d+\s*[.、．]|[一二三四五六七八九十]+、)\s*")
_CLAUSE_END = re.compile(r"[，。；：,;:！？!?]")


# -- choosing phrasings ----------------------------------------------------------------------

def _seed(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "big")


def _seeded_order(key: str, org: str) -> tuple[int, str]:
    """Return where ``org`` stands among the users of ``key``: an order fixed by the names."""
    return (_seed(f"{key}|{org}"), org)


class _Chooser:
    """Picks a phrasing per key: by the org's place among the town's users of the key, or
    (``places`` ``None``, a draft on its own) by a hash of the org's name."""

    def __init__(self, org: str, places: Mapping[str, int] | None = None) -> None:
        self.org, self.places = org, places
        self.keys: list[str] = []

    def index(self, key: str) -> int:
        self.keys.append(key)
        if self.places is None:
            return _seed(f"{key}|{self.org}")
        return self.places.get(key, 0) + _seed(key)

    def __call__(self, key: str, phrases: Sequence[str], **values: Any) -> str:
        return phrases[self.index(key) % len(phrases)].format(**values)


# -- the draft ------------------------------------------------------------------------------

def draft_opinion(data: OpinionInput) -> str:
    """Return the draft for one organization on its own ("" when there is no data).

    Without the town, the 现场述职 is judged on the ballot's scale only.
    """
    if missing_data(data):
        return ""
    return _compose(data, (), _Chooser(data.org))


def draft_opinions(inputs: Sequence[OpinionInput]) -> dict[str, Draft]:
    """Return the drafts of a town's organizations, by name, phrasings spread among them."""
    town = tuple(v for d in inputs if (v := number(d.onsite)) is not None)
    users: dict[str, list[str]] = {}
    for data in inputs:
        if missing_data(data) is None:
            chooser = _Chooser(data.org, {})
            _compose(data, town, chooser)  # which keys it uses: the same whatever it picks
            for key in dict.fromkeys(chooser.keys):
                users.setdefault(key, []).append(data.org)
    places: dict[str, dict[str, int]] = {d.org: {} for d in inputs}
    for key, orgs in users.items():
        for place, org in enumerate(sorted(orgs, key=functools.partial(_seeded_order, key))):
            places[org][key] = place
    drafts = {}
    for data in inputs:
        note = missing_data(data)
        drafts[data.org] = Draft("", note) if note else Draft(
            _compose(data, town, _Chooser(data.org, places[data.org])))
    return drafts


@dataclass(frozen=True)
class _Piece:
    paragraph: int  # 0 肯定成绩, 1 指出问题, 2 明确方向
    slot: int  # position within the paragraph
    text: str


# A bundle of pieces is written whole or not at all: a weakness named in 指出问题 and the
# direction that answers it in 明确方向 belong together.
_Bundle = tuple[int, tuple[_Piece, ...]]  # (priority: 0 always, lower added first; pieces)


def _compose(data: OpinionInput, town: tuple[float, ...], pick: _Chooser) -> str:
    bundles = _bundles(data, town, pick)
    leads = (pick("lead:problems", bank.PROBLEMS_LEAD), pick("lead:plan", bank.PLAN_LEAD))
    start = pick.index("neutral")
    neutral = [bank.NEUTRAL_DIRECTIONS[(start + i) % len(bank.NEUTRAL_DIRECTIONS)]
               for i in range(3)]
    chosen = [piece for priority, pieces in bundles if priority == 0 for piece in pieces]
    optional = sorted((b for b in bundles if b[0] > 0), key=lambda b: b[0])
    fill = [(9, (_Piece(2, 50 + i, text),)) for i, text in enumerate(neutral)]
    for priority, pieces in [*optional, *fill]:
        if priority == 9 and word_count(_render(chosen, leads)) >= MIN_CHARS:
            break
        trial = [*chosen, *pieces]
        if word_count(_render(trial, leads)) <= MAX_CHARS:
            chosen = trial
    return _render(chosen, leads)


def _render(pieces: list[_Piece], leads: tuple[str, str]) -> str:
    """Join the chosen pieces in reading order; each paragraph has its own grammar."""
    by_paragraph: list[list[_Piece]] = [[], [], []]
    for piece in sorted(pieces, key=lambda p: (p.paragraph, p.slot)):
        by_paragraph[piece.paragraph].append(piece)
    praise = ""
    for before, piece in zip([None, *by_paragraph[0]], by_paragraph[0], strict=False):
        if piece.slot != _TOPICS_SLOT:
            praise += piece.text
        elif before is not None and before.slot == _DATA_SLOT:  # one sentence on the report
            praise = praise[:-1] + "，" + piece.text
        else:
            praise += "述职报告" + piece.text
    # 指出问题: the report's findings (slots < 10) make one clause joined by "，"; the
    # others (slots ≥ 10) are clauses of their own, joined by "；".
    report = "，".join(p.text for p in by_paragraph[1] if p.slot < 10)
    clauses = [report] if report else []
    clauses += [p.text for p in by_paragraph[1] if p.slot >= 10]
    problems = leads[0] + "；".join(clauses) + "。"
    directions = list(dict.fromkeys(p.text for p in by_paragraph[2]))
    # The direction paragraph is one sentence: "下一步，要A，B，C，ending。"
    ending, steps = directions[-1], directions[:-1]
    plan = leads[1] + "".join(f"{step}，" for step in steps) + ending + "。"
    return "\n".join((praise, problems, plan))


def _who(data: OpinionInput) -> str:
    name = re.sub(r"\s+", "", str(data.secretary or ""))
    if name.lower() in ("none", "nan"):
        name = ""
    return f"{data.org}党组织书记" + (f"{name}同志" if name else "")


def _onsite(data: OpinionInput, town: tuple[float, ...], pick: _Chooser
            ) -> tuple[list[_Bundle], list[_Bundle]]:
    """Return the praise and the problem bundles the 现场述职 score bears out."""
    onsite = number(data.onsite)
    if onsite is None:
        return [], []
    level = "high" if onsite >= ONSITE_HIGH else "good" if onsite >= ONSITE_GOOD else "fair"
    place, score = tier(onsite, town), format_score(onsite)
    if place in ("top", "upper") or (place == "" and level != "fair"):
        key = f"{level}/{place or 'upper'}"
        text = pick(f"onsite:{key}", bank.ONSITE_PRAISE[key], s=score)
        return [(2, (_Piece(0, 2, f"{text}。"),))], []
    key = f"{level}/bottom" if place == "bottom" else f"fair/{place}" if level == "fair" else ""
    if not key:
        return [], []  # the lower half, but a good score: nothing to praise or to fault
    text = pick(f"onsite:{key}", bank.ONSITE_PROBLEM[key], s=score)
    direction = pick("onsite:direction", bank.ONSITE_DIRECTION)
    return [], [(1, (_Piece(1, 12, text), _Piece(2, 12, direction)))]


def _findings(data: OpinionInput) -> tuple[list[int], list[str]]:
    """Return the kinds of findings the figures bear out, and unknown rule names."""
    kinds: set[int] = set()
    unknown: list[str] = []
    for issue in data.report_issues:
        name = str(issue).strip()
        if name in _KIND:
            kinds.add(_KIND[name])
        elif name and name not in unknown:
            unknown.append(name)
    points, listed = count(data.data_points), count(data.problems_listed)
    levels = topic_levels(data)
    if points is not None:
        (kinds.add if points < data.data_points_min else kinds.discard)(_DATA)
    if listed is not None:
        (kinds.add if listed < PROBLEMS_MIN else kinds.discard)(_ITEMS)
    if len(levels) == 2 and "none" not in levels:
        kinds.discard(_TOPICS)
    elif "none" in levels:
        kinds.add(_TOPICS)
    return sorted(kinds), unknown


def _short(problem: str) -> str | None:
    """Return the first clause of a problem when it is short enough to quote."""
    text = _CLAUSE_END.split(_NUMBERING.sub("", problem.strip()), maxsplit=1)[0].strip()
    return text if 4 <= len(text) <= 16 else None


def _report_praise(data: OpinionInput, kinds: list[int], pick: _Chooser) -> list[_Bundle]:
    bundles: list[_Bundle] = []
    points, listed = count(data.data_points), count(data.problems_listed)
    least = max(data.data_points_min, 1)
    if points is not None and points >= least:
        phrases = bank.DATA_RICH if points >= 2 * least else bank.DATA_ENOUGH
        key = "rich" if points >= 2 * least else "enough"
        text = pick(f"data:{key}", phrases, d=points)
        bundles.append((3, (_Piece(0, _DATA_SLOT, f"{text}。"),)))
    levels = topic_levels(data)
    if len(levels) == 2 and "none" not in levels:
        explicit = set(levels) == {"explicit"}
        phrases = bank.TOPICS_EXPLICIT if explicit else bank.TOPICS_ANSWERED
        text = pick(f"topics:{explicit}", phrases)
        bundles.append((5, (_Piece(0, _TOPICS_SLOT, f"{text}。"),)))  # its subject: _render
    if listed is not None and listed >= PROBLEMS_MIN and _SELF not in kinds:
        text = pick("problems:named", bank.PROBLEMS_NAMED, p=listed)
        bundles.append((7, (_Piece(0, 6, f"{text}。"),)))
    return bundles


def _report_problems(data: OpinionInput, kinds: list[int], unknown: list[str],
                     pick: _Chooser) -> tuple[list[_Bundle], list[_Bundle]]:
    """Return the bundles of the report's findings, and those of their directions."""
    phrases = _finding_phrases(data, kinds, unknown, pick)
    found: list[_Bundle] = []
    if phrases:
        found.append((0, (_Piece(1, 0, "述职报告" + phrases[0]),)))
    if len(phrases) > 1:
        found.append((4, (_Piece(1, 1, phrases[1]),)))
    if len(phrases) > 2:
        found.append((7, (_Piece(1, 2, "，".join(phrases[2:4])),)))
    if not phrases and data.report_verdict == "无法读取":
        found.append((0, (_Piece(1, 0, "述职报告未能读取（请对照原件补充存在的问题）"),)))
    return found, _directions(kinds, pick)


def _finding_phrases(data: OpinionInput, kinds: list[int], unknown: list[str],
                     pick: _Chooser) -> list[str]:
    """Return one phrase per finding of the report, then one per unknown rule name."""
    phrases = []
    for kind in kinds:
        points, listed = count(data.data_points), count(data.problems_listed)
        if kind == _DATA and points is not None:
            phrases.append(pick("issue:data:count", bank.DATA_FEW, d=points))
        elif kind == _ITEMS and listed is not None:
            phrases.append(pick("issue:items:count", bank.PROBLEMS_FEW, p=listed))
        else:
            phrases.append(pick(f"issue:{kind}", bank.ISSUES[kind][1]))
    phrases += [f"“{name}”方面还有不足" for name in unknown]
    return phrases


def _directions(kinds: list[int], pick: _Chooser) -> list[_Bundle]:
    """Return the bundles of the first two distinct directions the findings call for."""
    directions: list[str] = []
    for kind in kinds:
        options = bank.ISSUES[kind][2]
        text = pick(f"direction:{options[0]}", options)
        if text not in directions:
            directions.append(text)
    return [(1 if slot == 0 else 6, (_Piece(2, slot, text),))
            for slot, text in enumerate(directions[:2])]


def _ledger(data: OpinionInput, pick: _Chooser) -> tuple[list[_Bundle], list[_Bundle]]:
    """Return the praise and problem bundles of the ledger, and its rectification step."""
    ledger = data.ledger
    praise: list[_Bundle] = []
    problems: list[_Bundle] = []
    if ledger.total and not ledger.open:
        text = pick("ledger:done", bank.LEDGER_DONE, k=ledger.total)
        praise.append((5, (_Piece(0, 7, f"{text}。"),)))
    if ledger.overdue:
        problems.append((1, (_Piece(1, 14, pick("ledger:overdue", bank.OVERDUE, k=ledger.overdue)),
                             _Piece(2, 14, pick("ledger:overdue:direction",
                                                bank.OVERDUE_DIRECTION, k=ledger.overdue)))))
    if ledger.prior_open:
        k = ledger.prior_open
        problems.append((2, (_Piece(1, 15, pick("ledger:prior", bank.PRIOR_OPEN, k=k)),
                             _Piece(2, 15, pick("ledger:prior:direction",
                                                bank.PRIOR_DIRECTION, k=k)))))
    own = ledger.own_problems
    if own:
        first, n = _short(own[0]), len(own)
        label = (f"“{first}”等{n}个问题" if n > 1 else f"“{first}”问题") if first else f"{n}个问题"
        step = pick("ledger:own", bank.OWN_RECTIFY, label=label)
    else:
        step = pick("rectify", bank.RECTIFY)
    return praise, [*problems, (0, (_Piece(2, 20, step),))]


def _components(data: OpinionInput, pick: _Chooser) -> list[_Bundle]:
    """Return the strongest and the clearly weakest of 平时考核 and 实地调研, if any."""
    present = {name: v for name, v in ((ROUTINE, number(data.routine)),
                                        (FIELD, number(data.field)),
                                        (ONSITE, number(data.onsite))) if v is not None}
    if len(present) < 2 or len(set(present.values())) == 1:
        return []
    bundles: list[_Bundle] = []
    strongest = max(present, key=present.__getitem__)
    weakest = min(present, key=present.__getitem__)
    # 现场述职 is said from its own evidence (:func:`_onsite`), never as "strongest".
    if strongest in bank.STRONG:
        text = pick(f"strong:{strongest}", bank.STRONG[strongest])
        score = format_score(present[strongest])
        bundles.append((6, (_Piece(0, 3, f"其中{strongest}得分{score}分，{text}。"),)))
    others = [v for name, v in present.items() if name != weakest]
    if weakest in bank.WEAK and min(others) - present[weakest] >= _WEAK_GAP:
        score = format_score(present[weakest])
        text = pick(f"weak:{weakest}", bank.WEAK[weakest])
        direction = pick(f"weak:{weakest}:direction", bank.WEAK_DIRECTION[weakest])
        bundles.append((3, (_Piece(1, 10, f"{weakest}得分相对较低（{score}分），{text}"),
                            _Piece(2, 10, direction))))
    return bundles


def _standing(data: OpinionInput, grade: str | None) -> str:
    standing = []
    score = number(data.score)
    if score is not None:
        standing.append(f"综合得分{format_score(score)}分")
    if data.rank_label:
        label = str(data.rank_label)
        place = label.replace("并列", "并列第") if "并列" in label else f"第{label}"
        where = f"在{data.n}个参评党组织中" if data.n else ""
        standing.append(f"{where}排名{place}")
    if grade:
        standing.append(f"{'' if data.final else '建议'}等次为“{grade}”")
    return "，".join(standing) + "。" if standing else ""


def _bundles(data: OpinionInput, town: tuple[float, ...], pick: _Chooser) -> list[_Bundle]:
    """Return every bundle of the draft; the phrasings are picked in a fixed order."""
    grade = data.grade if data.grade in bank.OPENING else None
    bundles = _opening(data, grade, pick)
    kinds, unknown = _findings(data)
    onsite_praise, onsite_problems = _onsite(data, town, pick)
    found, aims = _report_problems(data, kinds, unknown, pick)
    ledger_praise, ledger_problems = _ledger(data, pick)
    problems = [*found, *onsite_problems, *_components(data, pick), *ledger_problems]
    bundles += [*onsite_praise, *_report_praise(data, kinds, pick), *ledger_praise, *aims]
    if grade in bank.GAP:
        problems.append((0, (_Piece(1, 19, pick(f"gap:{grade}", bank.GAP[grade])),)))
    bundles += _one_problem_said(problems, pick)
    bundles.append((0, (_Piece(2, 99, pick(f"ending:{grade}", bank.ENDING[grade])),)))
    return bundles


def _opening(data: OpinionInput, grade: str | None, pick: _Chooser) -> list[_Bundle]:
    """Return the opening bundles: who, the standing, and the strengths staff typed."""
    opening = pick(f"opening:{grade}", bank.OPENING[grade])
    bundles: list[_Bundle] = [(0, (_Piece(0, 0, f"{_who(data)}{opening}。"),))]
    standing = _standing(data, grade)
    if standing:
        bundles.append((0, (_Piece(0, 1, standing),)))
    strengths = [s.strip() for s in data.strengths if s and s.strip()]
    strengths = [s for s in strengths if len(s) <= _LONGEST_STRENGTH][:2]
    if strengths:
        text = f"特别是在{'、'.join(strengths)}等方面做法较实、成效较好。"
        bundles.append((4, (_Piece(0, 8, text),)))
    return bundles


def _one_problem_said(problems: list[_Bundle], pick: _Chooser) -> list[_Bundle]:
    """Return ``problems`` with one always written: the most useful, or a general one."""
    said = [b for b in problems if any(p.paragraph == 1 for p in b[1])]
    if not said:
        text = pick("higher_standard", bank.HIGHER_STANDARD)
        return [*problems, (0, (_Piece(1, 0, text),))]
    if not any(priority == 0 for priority, _ in said):
        # The most useful problem is always said: the paragraph is never empty.
        first = min(said, key=lambda b: b[0])
        return [(0, first[1]) if b is first else b for b in problems]
    return problems


def fingerprint(text: str) -> str:
    """Return a short stable hash of an opinion (16 hex digits).

    Line endings and trailing spaces are normalized first, because a round trip through
    Excel may change them without anyone editing the words.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normalized = "\n".join(line.rstrip() for line in lines).strip()
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=8).hexdigest()
