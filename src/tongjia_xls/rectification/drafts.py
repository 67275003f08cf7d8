"""Draft ledger items from a report: one per problem of part 二, with its plan of part 三.

A draft is only a proposal: staff confirm, edit or delete it in the ``整改`` sheet. Each
draft carries a short key made from the organization and the problem's normalized text;
the workbook keeps it in the hidden ``草稿码`` column, so drafting again (after a report is
re-submitted with other numbering, spacing or punctuation) recognises what is already
there and adds nothing, whatever staff have since typed into the row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from tongjia_xls.rectification.ledger import NOT_STARTED, Item
from tongjia_xls.rectification.pairing import pair_plans
from tongjia_xls.rectification.text import first_sentence, normalized
from tongjia_xls.reports.items import Item as ReportItem
from tongjia_xls.reports.items import cause_start, clean_item
from tongjia_xls.sheets.schema import SOURCES
from tongjia_xls.sheets.table import key_text

__all__ = ["PROBLEM_MAX_CHARS", "Draft", "draft_items", "draft_key", "new_drafts", "with_keys"]

#: A problem longer than this is cut to its first sentence, which in a report is the
#: headline (``一是理论学习还不够深入。``); the details that follow belong to the report.
PROBLEM_MAX_CHARS = 80
#: Length of a draft key in hex digits: 40 bits, ample for a few hundred rows a year.
KEY_DIGITS = 10

Draft = tuple[str, Item]


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
    answers it by content (:func:`~tongjia_xls.rectification.pairing.pair_plans`), or
    ``None`` when none does. A problem left empty once its marker is gone is skipped.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {SOURCES}")
    plan_texts = [clean_item(_text(plan)) for plan in plans]
    wholes = [_without_causes(clean_item(_text(raw))) for raw in problems]
    wholes = [whole for whole in wholes if normalized(whole)]
    answers = pair_plans(wholes, plan_texts)
    drafts: list[Draft] = []
    for whole, answer in zip(wholes, answers, strict=True):
        problem = first_sentence(whole) if len(whole) > PROBLEM_MAX_CHARS else whole
        item = Item(
            org=org,
            problem=problem,
            source=source,
            measure=plan_texts[answer] if answer is not None else None,
            owner=(owner or "").strip() or None,
            status=NOT_STARTED,
        )
        drafts.append((draft_key(org, problem), item))
    return drafts


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


def _without_causes(text: str) -> str:
    # The cause analysis often follows the last problem in its paragraph; it is no problem.
    found = cause_start(text)
    return clean_item(text[:found]) if found else text


def _text(item: str | ReportItem) -> str:
    return item if isinstance(item, str) else item.text
