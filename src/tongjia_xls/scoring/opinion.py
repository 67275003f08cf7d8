"""评价意见: a draft of the 综合评价意见 in the three movements of the notice (四、4).

The draft has three paragraphs, 肯定成绩、指出问题、明确方向, written as the town's
official prose and built only from the data: grade, score and rank, the strongest and
weakest component, the findings of the report checker (by rule name or id) and the
strengths staff noted. It is deterministic, so re-running the tool reproduces the same
draft and :func:`fingerprint` can tell whether staff have edited it since (an edited
opinion is theirs and is never overwritten).

Length: the draft aims at 150–250 字 (Word's count, :mod:`tongjia_xls.reports.count`).
Sentences carry priorities: the core of each paragraph is always written, the others are
added most useful first while the total stays within 250, and neutral directions taken
from the notice are added when it would fall short of 150.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tongjia_xls.reports.count import word_count
from tongjia_xls.scoring.composite import COMPONENT_NAMES, FIELD, ONSITE, ROUTINE
from tongjia_xls.scoring.grades import (
    AVERAGE,
    FAIRLY_GOOD,
    GOOD,
    POOR,
    format_score,
    is_missing,
)

__all__ = ["ISSUE_PHRASES", "MAX_CHARS", "MIN_CHARS", "OpinionInput", "draft_opinion",
           "fingerprint"]

MIN_CHARS, MAX_CHARS = 150, 250


@dataclass(frozen=True)
class OpinionInput:
    """What the draft is built from; ``None`` and empty values are simply left out.

    ``rank_label`` is as :func:`tongjia_xls.scoring.composite.rank` gives it ("3",
    "并列2"); ``report_issues`` are the report checker's rule names (必答题, 字数,
    问题占三分之一 …) or ids; ``strengths`` are short phrases such as "产业发展".
    """

    org: str
    secretary: str | None = None
    grade: str | None = None
    score: float | None = None
    rank_label: str = ""
    n: int = 0
    routine: float | None = None
    field: float | None = None
    onsite: float | None = None
    report_verdict: str | None = None
    report_issues: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()


# Each kind of report finding: what the opinion says of it, and the direction it points.
# Several rules share a kind (问题占三分之一, 原因分析 and 述我 all mean the self-analysis was
# shallow), so the draft never says the same thing twice. Listed most substantive first.
_ISSUES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("必答题", "topics"),
     "对拼经济搞建设、防风险保安全等必答题回应不够",
     "围绕拼经济搞建设、防风险保安全发挥党组织作用"),
    (("问题占三分之一", "problems_third", "原因分析", "causes", "述我", "self"),
     "查摆问题不够深入，自我剖析不够",
     "坚持问题导向，把自己摆进去，深入剖析问题根源"),
    (("上年度整改", "prior_year"),
     "对上年度查摆问题的整改情况回应不够",
     "逐项抓好上年度查摆问题的整改"),
    (("数据举例", "data"),
     "用具体实例和数据说话不够",
     "注重用实例和数据说话"),
    (("四个方面", "aspects"),
     "总结工作不够全面，有的重点方面没有写到",
     "统筹抓好政治建设、服务大局、重点任务和落实责任各方面工作"),
    (("雷同", "similarity"),
     "有的内容与其他报告雷同，结合本村（社区）实际不够",
     "立足本村（社区）实际谋划和推进工作"),
    (("任职较短", "short_tenure"),
     "对调研了解的突出问题和工作思路报告不够",
     "尽快熟悉情况，理清抓党建工作的思路举措"),
    (("三个板块", "parts", "条数", "items"),
     "报告结构不够规范",
     "严格按照提纲要求撰写述职报告"),
    (("字数", "words", "篇幅比例", "shares"),
     "篇幅把握不够准确",
     "严格按照提纲要求撰写述职报告"),
    (("模板残留", "template_residue", "年度", "year"),
     "撰写不够严谨细致",
     "以严谨细致的作风对待述职工作"),
)

#: Rule name or id → the phrase the opinion uses for it.
ISSUE_PHRASES = {name: phrase for names, phrase, _ in _ISSUES for name in names}

_OPENING = {
    GOOD: "认真履行抓基层党建第一责任人职责，工作思路清晰、措施有力、成效明显",
    FAIRLY_GOOD: "能够认真履行抓基层党建第一责任人职责，工作思路较为清晰，重点任务推进较好",
    AVERAGE: "能够履行抓基层党建第一责任人职责，按要求推进各项工作，取得了一定成效",
    POOR: "在抓基层党建工作中做了一些努力，部分工作能够按要求推进",
    None: "能够履行抓基层党建第一责任人职责，按要求推进各项工作",
}
_GAP = {
    AVERAGE: "整体工作与先进村（社区）相比还有一定差距",
    POOR: "第一责任人职责落实不够到位，整体工作与镇党委的要求还有较大差距",
}
_ENDING = {
    GOOD: "努力在全镇发挥示范带动作用",
    FAIRLY_GOOD: "推动抓党建工作再上新台阶",
    AVERAGE: "推动各项工作尽快提质增效",
    POOR: "切实扭转工作被动局面",
    None: "推动基层党建工作全面进步",
}
_STRONG = {
    ROUTINE: "日常工作抓得比较扎实",
    FIELD: "基层基础工作较为扎实",
    ONSITE: "述职得到与会同志的较好评价",
}
_WEAK = {
    ROUTINE: "日常工作和重点任务落实还需加强",
    FIELD: "基层基础工作还有薄弱环节",
    ONSITE: "述职的说服力和认可度有待提高",
}
_WEAK_DIRECTION = {
    ROUTINE: "抓好日常工作和重点任务落实",
    FIELD: "夯实基层基础工作",
    ONSITE: "以实绩赢得党员群众认可",
}
_RECTIFY = "针对会议点评和自身查摆的问题，明确措施和时限，抓好整改落实"
_NEUTRAL_DIRECTIONS = (
    "持续增强基层党组织政治功能和组织功能",
    "突出发挥党员先锋模范作用",
    "推进基层党组织标准化规范化建设",
)
#: A component must trail the others by this many points to be called weak.
_WEAK_GAP = 2.0
_LONGEST_STRENGTH = 16


@dataclass(frozen=True)
class _Piece:
    paragraph: int  # 0 肯定成绩, 1 指出问题, 2 明确方向
    slot: int  # position within the paragraph
    text: str


# A bundle of pieces is written whole or not at all: a weakness named in 指出问题 and the
# direction that answers it in 明确方向 belong together.
_Bundle = tuple[int, tuple[_Piece, ...]]  # (priority: 0 always, lower added first; pieces)


def draft_opinion(data: OpinionInput) -> str:
    """Return a 150–250 字 draft: one paragraph each for 肯定成绩、指出问题、明确方向."""
    bundles = _bundles(data)
    chosen = [piece for priority, pieces in bundles if priority == 0 for piece in pieces]
    optional = sorted((b for b in bundles if b[0] > 0), key=lambda b: b[0])
    neutral = [(9, (_Piece(2, 50 + i, text),)) for i, text in enumerate(_NEUTRAL_DIRECTIONS)]
    for priority, pieces in [*optional, *neutral]:
        if priority == 9 and word_count(_render(chosen)) >= MIN_CHARS:
            break
        trial = [*chosen, *pieces]
        if word_count(_render(trial)) <= MAX_CHARS:
            chosen = trial
    return _render(chosen)


def _render(pieces: list[_Piece]) -> str:
    """Join the chosen pieces in reading order; each paragraph has its own grammar."""
    by_paragraph: list[list[_Piece]] = [[], [], []]
    for piece in sorted(pieces, key=lambda p: (p.paragraph, p.slot)):
        by_paragraph[piece.paragraph].append(piece)
    praise = "".join(p.text for p in by_paragraph[0])
    # 指出问题: the report's findings (slots < 10) make one clause joined by "，"; the
    # component and the overall gap (slots ≥ 10) are clauses of their own, joined by "；".
    report = "，".join(p.text for p in by_paragraph[1] if p.slot < 10)
    clauses = [report] if report else []
    clauses += [p.text for p in by_paragraph[1] if p.slot >= 10]
    problems = "同时也要看到，" + "；".join(clauses) + "。"
    directions = [p.text for p in by_paragraph[2]]
    # The direction paragraph is one sentence: "下一步，要A，B，C，ending。"
    ending, steps = directions[-1], directions[:-1]
    plan = "下一步，要" + "，".join(steps) + "，" + ending + "。"
    return "\n".join((praise, problems, plan))


def _present(data: OpinionInput) -> dict[str, float]:
    values = (data.routine, data.field, data.onsite)
    return {
        name: float(value) for name, value in zip(COMPONENT_NAMES, values, strict=True)
        if value is not None and not is_missing(value)
    }


def _issue_kinds(issues: tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Return the kinds of known findings (by :data:`_ISSUES` index) and unknown names."""
    kinds: set[int] = set()
    unknown: list[str] = []
    for issue in issues:
        name = issue.strip()
        for index, (names, _, _) in enumerate(_ISSUES):
            if name in names:
                kinds.add(index)
                break
        else:
            if name and name not in unknown:
                unknown.append(name)
    return sorted(kinds), unknown


def _bundles(data: OpinionInput) -> list[_Bundle]:
    grade = data.grade if data.grade in _OPENING else None
    secretary = (data.secretary or "").strip()
    who = f"{data.org}党组织书记" + (f"{secretary}同志" if secretary else "")
    bundles: list[_Bundle] = [(0, (_Piece(0, 0, f"{who}{_OPENING[grade]}。"),))]

    standing = []
    if data.score is not None and not is_missing(data.score):
        standing.append(f"综合得分{format_score(data.score)}分")
    if data.rank_label:
        label = data.rank_label
        place = label.replace("并列", "并列第") if "并列" in label else f"第{label}"
        where = f"在{data.n}个参评党组织中" if data.n else ""
        standing.append(f"{where}排名{place}")
    if grade:
        standing.append(f"等次为“{grade}”")
    if standing:
        bundles.append((0, (_Piece(0, 1, "，".join(standing) + "。"),)))

    components = _present(data)
    strongest, weakest = _extremes(components)
    if strongest:
        score = format_score(components[strongest])
        text = f"其中{strongest}得分{score}分，{_STRONG[strongest]}。"
        bundles.append((5, (_Piece(0, 2, text),)))
    strengths = [s.strip() for s in data.strengths if s and s.strip()]
    strengths = [s for s in strengths if len(s) <= _LONGEST_STRENGTH][:2]
    if strengths:
        text = f"特别是在{'、'.join(strengths)}等方面做法较实、成效较好。"
        bundles.append((4, (_Piece(0, 3, text),)))

    kinds, unknown = _issue_kinds(data.report_issues)
    phrases = [_ISSUES[k][1] for k in kinds] + [f"“{name}”方面还有不足" for name in unknown]
    if phrases:
        bundles.append((0, (_Piece(1, 0, "述职报告" + phrases[0]),)))
        if len(phrases) > 1:
            bundles.append((3, (_Piece(1, 1, phrases[1]),)))
        if len(phrases) > 2:
            bundles.append((7, (_Piece(1, 2, "，".join(phrases[2:4])),)))
    elif data.report_verdict == "无法读取":
        bundles.append((0, (_Piece(1, 0, "述职报告未能读取（请对照原件补充存在的问题）"),)))
    else:
        bundles.append((0, (_Piece(1, 0, "对照更高标准，工作创新和特色亮点打造还不够突出"),)))
    if weakest:
        score = format_score(components[weakest])
        bundles.append((2, (
            _Piece(1, 10, f"{weakest}得分相对较低（{score}分），{_WEAK[weakest]}"),
            _Piece(2, 10, _WEAK_DIRECTION[weakest]),
        )))
    if grade in _GAP:
        bundles.append((0, (_Piece(1, 11, _GAP[grade]),)))

    directions: list[str] = []
    for kind in kinds:
        if _ISSUES[kind][2] not in directions:
            directions.append(_ISSUES[kind][2])
    for slot, text in enumerate(directions[:2]):
        bundles.append((1 if slot == 0 else 6, (_Piece(2, slot, text),)))
    bundles.append((0, (_Piece(2, 20, _RECTIFY),)))
    bundles.append((0, (_Piece(2, 99, _ENDING[grade]),)))
    return bundles


def _extremes(components: dict[str, float]) -> tuple[str | None, str | None]:
    """Return the strongest and the clearly weakest component, if any stands out."""
    if len(components) < 2 or len(set(components.values())) == 1:
        return None, None
    strongest = max(components, key=components.__getitem__)
    weakest = min(components, key=components.__getitem__)
    others = [v for name, v in components.items() if name != weakest]
    if min(others) - components[weakest] < _WEAK_GAP:
        weakest = None
    return strongest, weakest


def fingerprint(text: str) -> str:
    """Return a short stable hash of an opinion (16 hex digits).

    Line endings and trailing spaces are normalized first, because a round trip through
    Excel may change them without anyone editing the words.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normalized = "\n".join(line.rstrip() for line in lines).strip()
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=8).hexdigest()
