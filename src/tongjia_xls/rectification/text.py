"""Small text helpers shared by drafting and importing: item markers, sentences, similarity.

Secretaries number their items ``一是``, ``1.``, ``（一）`` or ``第一，``; the ledger keeps
the text without the number, because the row itself is the number and a renumbered report
must not look like a new problem.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "bigram_jaccard",
    "clean_item",
    "first_sentence",
    "marker_style",
    "normalized",
    "strip_marker",
]

_CN = "一二三四五六七八九十"
#: Marker styles at the start of an item, by name; the name tells styles apart so that a
#: heading numbered ``一、`` is not taken for an item numbered ``1.``.
_MARKERS: dict[str, re.Pattern[str]] = {
    "shi": re.compile(rf"^\s*[{_CN}]{{1,3}}是\s*"),
    "di": re.compile(rf"^\s*第[{_CN}]{{1,3}}\s*[，,、：:]\s*"),
    "paren": re.compile(rf"^\s*[（(]\s*(?:\d{{1,2}}|[{_CN}]{{1,3}})\s*[）)]\s*"),
    "arabic": re.compile(r"^\s*\d{1,2}\s*(?:[.．、](?!\d)|[）)])\s*"),
    "chinese": re.compile(rf"^\s*[{_CN}]{{1,3}}\s*[、.．]\s*"),
}
_TRAILING = re.compile(r"[\s。；;，,、.．：:！!？?…]+$")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_NOT_KEY = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def marker_style(text: str) -> str | None:
    """Return the name of the marker ``text`` starts with, or ``None`` when it has none."""
    return next((name for name, regex in _MARKERS.items() if regex.match(text)), None)


def strip_marker(text: str) -> str:
    """Return ``text`` without its leading item markers (``一是（1）`` loses both).

    The text is otherwise kept as typed (full-width ``，`` stays ``，``): the patterns
    accept both widths themselves, since folding would change what staff read.
    """
    rest = text.strip()
    while True:
        for regex in _MARKERS.values():
            found = regex.match(rest)
            if found:
                rest = rest[found.end():].lstrip()
                break
        else:
            return rest


def clean_item(text: str) -> str:
    """Return an item's text without its marker and without punctuation at its end."""
    return _TRAILING.sub("", strip_marker(text))


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


def bigram_jaccard(left: str, right: str) -> float:
    """Return the Jaccard overlap of the character bigrams of two texts (0 to 1)."""
    a, b = _bigrams(normalized(left)), _bigrams(normalized(right))
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}
