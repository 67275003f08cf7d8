"""Small text helpers shared by drafting and importing: sentences and keys.

Secretaries number their items ``一是``, ``1.``, ``（一）`` or ``第一，``; the ledger keeps
the text without the number, because the row itself is the number and a renumbered report
must not look like a new problem. The numbering itself is read by the checker's grammar
(:mod:`tongjia_xls.reports.items`, imported from there), so the two never count differently.
"""

from __future__ import annotations

import re
import unicodedata

from tongjia_xls.reports.items import clean_item, strip_marker

__all__ = ["first_sentence", "normalized"]

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_NOT_KEY = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def first_sentence(text: str) -> str:
    """Return the first sentence of ``text`` without its closing mark (all of it if one)."""
    found = _SENTENCE_END.search(text)
    head = clean_item(text[: found.start()]) if found else ""
    return head or text


def normalized(text: str) -> str:
    """Return ``text`` reduced to what identifies it: no marker, spaces, punctuation or figures.

    Figures become ``0`` because a secretary who corrects ``3名`` to ``4名`` still means the
    same problem; width forms are folded (NFKC) so a full-width copy is the same text.
    """
    bare = _NOT_KEY.sub("", strip_marker(unicodedata.normalize("NFKC", text)))
    return _DIGITS.sub("0", bare)
