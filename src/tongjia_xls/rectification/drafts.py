"""Draft ledger items from a report: one per problem of part 二, with its plan of part 三.

A draft is only a proposal: staff confirm, edit or delete it in the ``整改`` sheet. Each
draft carries a short key made from the organization and the problem's normalized text;
the workbook keeps it in the hidden ``草稿码`` column, so drafting again (after a report is
re-submitted with other numbering, spacing or punctuation) recognises what is already
there and adds nothing, whatever staff have since typed into the row.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from tongjia_xls.rectification.ledger import NOT_STARTED, Item
from tongjia_xls.rectification.text import (
    bigram_jaccard,
    clean_item,
    first_sentence,
    normalized,
)
from tongjia_xls.reports.structure import Item as ReportItem
from tongjia_xls.sheets.schema import SOURCES
from tongjia_xls.sheets.table import key_text

__all__ = [
    "MATCH_THRESHOLD",
    "PROBLEM_MAX_CHARS",
    "SOURCES",
    "Draft",
    "draft_items",
    "draft_key",
    "match_plan",
    "new_drafts",
    "with_keys",
]

#: A problem longer than this is cut to its first sentence, which in a report is the
#: headline (``一是理论学习还不够深入。``); the details that follow belong to the report.
PROBLEM_MAX_CHARS = 80
#: The bigram overlap from which a plan is taken to answer a problem; below it, none does.
MATCH_THRESHOLD = 0.15
#: Length of a draft key in hex digits: 40 bits, ample for a few hundred rows a year.
KEY_DIGITS = 10

Draft = tuple[str, Item]
_CAUSES = re.compile(r"(?<=[。！？；;\s])(?:以上问题|究其原因|问题产生的原因)")


def draft_key(org: str, problem: str) -> str:
    """Return the stable key of ``problem`` of ``org``: 10 hex digits.

    Spaces, punctuation, width forms, the leading ``一是``/``1.``/``（一）`` marker and the
    figures' values do not change it, so a re-numbered or re-typed report gives the same key.
    """
    text = f"{key_text(org)}\x1f{normalized(problem)}"
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_DIGITS // 2)
    return digest.hexdigest()


def draft_items(
    org: str,
    owner: str | None,
    problems: Sequence[str | ReportItem],
    plans: Sequence[str | ReportItem],
    *,
    source: str = "自身查摆",
) -> list[Draft]:
    """Return one ``(key, item)`` draft per problem, in order, status 未开始, no deadline.

    ``problems`` and ``plans`` are the enumerated items of parts 二 and 三 (texts, or the
    checker's items); the owner is the secretary. Each problem's measure is the plan that
    answers it (see :func:`match_plan`). A problem left empty once its marker is gone is
    skipped.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {SOURCES}")
    plan_texts = [clean_item(_text(plan)) for plan in plans]
    drafts: list[Draft] = []
    for index, raw in enumerate(problems):
        whole = _without_causes(clean_item(_text(raw)))
        if not normalized(whole):
            continue
        problem = first_sentence(whole) if len(whole) > PROBLEM_MAX_CHARS else whole
        item = Item(
            org=org,
            problem=problem,
            source=source,
            measure=match_plan(whole, plan_texts, index),
            owner=(owner or "").strip() or None,
            status=NOT_STARTED,
        )
        drafts.append((draft_key(org, problem), item))
    return drafts


def match_plan(problem: str, plans: Sequence[str], index: int) -> str | None:
    """Return the plan answering ``problem``, the ``index``-th problem of its report.

    The plan overlapping it most (character bigrams, of the headlines or of the whole texts)
    wins when the overlap reaches :data:`MATCH_THRESHOLD`; below it there is no answer
    (``None``): plans do not follow the problems' order, so a position proves nothing. Ties
    go to the plan at the same position, then to the earlier one.
    """
    candidates = [clean_item(plan) for plan in plans]
    if not candidates:
        return None
    scores = [_overlap(problem, plan) if plan else 0.0 for plan in candidates]
    best = max(range(len(candidates)), key=lambda i: (scores[i], i == index, -i))
    return candidates[best] if scores[best] >= MATCH_THRESHOLD else None


def new_drafts(existing_keys: Iterable[str], drafts: Iterable[Draft]) -> list[Draft]:
    """Return the drafts whose key is neither in ``existing_keys`` nor earlier in ``drafts``.

    ``existing_keys`` are the ``草稿码`` of the ledger's rows; rows staff have edited keep
    their key, so they are never drafted again and never touched.
    """
    seen = {key.strip() for key in existing_keys if key}
    fresh: list[Draft] = []
    for key, item in drafts:
        if key not in seen:
            seen.add(key)
            fresh.append((key, item))
    return fresh


def with_keys(items: Iterable[Item]) -> list[Draft]:
    """Return ``items`` each with its key, so that imported items are not imported twice."""
    return [(draft_key(item.org, item.problem), item) for item in items]


def _overlap(problem: str, plan: str) -> float:
    # The headline carries the topic ("组织生活质量不够高" / "提升组织生活质量"); the
    # details of a long item dilute the overlap, so the better of the two counts.
    return max(
        bigram_jaccard(first_sentence(problem), first_sentence(plan)),
        bigram_jaccard(problem, plan),
    )


def _without_causes(text: str) -> str:
    # The cause analysis often follows the last problem in its paragraph; it is no problem.
    found = _CAUSES.search(text)
    return clean_item(text[: found.start()]) if found else text


def _text(item: str | ReportItem) -> str:
    return item if isinstance(item, str) else item.text
