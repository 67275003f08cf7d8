"""Which plan of part 三 answers which problem of part 二, read by content.

Secretaries write the plans in their own words and order: "理论学习还不够深入" is answered
by "抓实学习教育", "茶叶只卖鲜叶和粗茶" by "合作社建一条小型制茶线". What the two share
is a few distinctive terms (学习, 茶), not a position and rarely a whole phrase. So a pair is
judged by the character bigrams the two texts share, each weighted by how rare it is among
the report's own items (党员, present everywhere, proves little; 核桃 proves much), with
the words every item uses (不够, 加强, 进一步 …) left out.

The plans are then assigned as a reader assigns them: the best one-to-one pairing of the
whole list, so that two problems do not fight over one plan while another plan stays unused;
a problem whose assigned plan shares nothing with it gets none (``None``), unless one plan
answers it far better than its assigned one (a plan may answer two problems), or it is the
last problem left with the last plan, sharing at least a distinctive character.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import permutations

from tongjia_xls.rectification.text import first_sentence, normalized

__all__ = ["ANSWER_THRESHOLD", "pair_plans"]

#: The content score from which a plan is taken to answer a problem it is assigned to.
ANSWER_THRESHOLD = 0.06
#: The score from which a problem takes a plan already assigned to another one, when that
#: plan answers it at least twice as well as its own.
SHARED_THRESHOLD = 0.1
#: Beyond this many items, the one-to-one pairing is found greedily rather than exactly.
_EXACT_LIMIT = 7
#: Words every problem or plan may use: they say how, not what about.
_GENERIC_WORDS = (
    "不够 不足 不高 不强 不多 不深 不严 不细 不好 不优 不到 还不 不平 平衡 加强 提升 提高 "
    "进一 一步 工作 问题 存在 方面 还是 我们 自己 一些 没有 有待 较多 比较 下功 功夫 上下 "
    "持续 着力 推动 做好 抓好 抓实 开展 坚持 不断 注重 力争 确保 全面 深入 年内 每月 每季 "
    "季度 以上 不少 少于 做到 真正 切实 进行 主要 部分 个别 同时 我在 我对 我抓 本人 还有 "
    "的现 现象 一是 二是 三是 四是 五是 年度")
_GENERIC = frozenset(_GENERIC_WORDS.split())
#: Characters too common to show, alone, that two texts speak of the same thing.
_COMMON_CHARS = frozenset("的了在和与对上下中是我不还有为把将要及等个一二三四五年月做好抓工作")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def pair_plans(problems: Sequence[str], plans: Sequence[str]) -> list[int | None]:
    """Return, for each problem, the index of the plan answering it, or ``None`` for none."""
    if not problems or not plans:
        return [None] * len(problems)
    scores = _scores(problems, plans)
    assigned = _assignment(scores)
    chosen: list[int | None] = []
    for row, own in zip(scores, assigned, strict=True):
        best = max(range(len(plans)), key=lambda j: (row[j], -j))
        if row[best] >= SHARED_THRESHOLD and (own is None or row[best] >= 2 * row[own]):
            chosen.append(best)
        elif own is not None and row[own] >= ANSWER_THRESHOLD:
            chosen.append(own)
        else:
            chosen.append(None)
    _pair_last_by_elimination(chosen, problems, plans)
    return chosen


def _scores(problems: Sequence[str], plans: Sequence[str]) -> list[list[float]]:
    """Return the content score of every problem against every plan (0 to 2)."""
    texts = [*problems, *plans]
    wholes = [_terms(text) for text in texts]
    heads = [_terms(first_sentence(text)) for text in texts]
    spread = Counter(term for terms in wholes for term in terms)
    weight = {term: math.log(1 + len(texts) / count) for term, count in spread.items()}

    def cosine(left: set[str], right: set[str]) -> float:
        mass = sum(weight.get(t, 0.0) for t in left) * sum(weight.get(t, 0.0) for t in right)
        return sum(weight[t] for t in left & right) / math.sqrt(mass) if mass else 0.0

    # The headline names the topic ("党员队伍结构不优" / "建强党员队伍"); the details
    # carry the rest (核桃, 网格员): both count.
    first = len(problems)
    return [[cosine(wholes[i], wholes[first + j]) + cosine(heads[i], heads[first + j])
             for j in range(len(plans))] for i in range(len(problems))]


def _terms(text: str) -> set[str]:
    """Return the distinctive character bigrams of ``text``'s Chinese runs."""
    return {run[i:i + 2] for run in _HAN.findall(normalized(text))
            for i in range(len(run) - 1)} - _GENERIC


def _assignment(scores: list[list[float]]) -> list[int | None]:
    """Return each problem's plan in the one-to-one pairing of the highest total score.

    Ties go to the plan at the problem's own position: with nothing to tell two pairings
    apart, the order the secretary wrote in is the better guess.
    """
    rows, cols = len(scores), len(scores[0])

    def value(i: int, j: int) -> float:
        return scores[i][j] + (1e-6 if i == j else 0.0)

    if min(rows, cols) > _EXACT_LIMIT:
        return _greedy(scores)
    if rows <= cols:
        best = max(permutations(range(cols), rows),
                   key=lambda perm: sum(value(i, j) for i, j in enumerate(perm)))
        return list(best)
    chosen: list[int | None] = [None] * rows
    rows_for = max(permutations(range(rows), cols),
                   key=lambda perm: sum(value(i, j) for j, i in enumerate(perm)))
    for j, i in enumerate(rows_for):
        chosen[i] = j
    return chosen


def _greedy(scores: list[list[float]]) -> list[int | None]:
    """Return a one-to-one pairing built from the best remaining pair down."""
    pairs = sorted(((scores[i][j], i == j, -i, -j) for i in range(len(scores))
                    for j in range(len(scores[0]))), reverse=True)
    chosen: list[int | None] = [None] * len(scores)
    used: set[int] = set()
    for _, _, minus_i, minus_j in pairs:
        i, j = -minus_i, -minus_j
        if chosen[i] is None and j not in used:
            chosen[i] = j
            used.add(j)
    return chosen


def _pair_last_by_elimination(chosen: list[int | None], problems: Sequence[str],
                              plans: Sequence[str]) -> None:
    """Give the one problem left the one plan left, if the two share a telling character.

    Only when problems and plans are equally many: then a reader who paired all the others
    takes the last plan for the last problem ("茶叶只卖鲜叶" / "制茶线"), but not a plan on
    another subject altogether.
    """
    if len(problems) != len(plans):
        return
    left = [i for i, plan in enumerate(chosen) if plan is None]
    free = [j for j in range(len(plans)) if j not in chosen]
    if len(left) == 1 and len(free) == 1:
        shared = set(normalized(problems[left[0]])) & set(normalized(plans[free[0]]))
        if any(_HAN.match(char) and char not in _COMMON_CHARS for char in shared):
            chosen[left[0]] = free[0]
