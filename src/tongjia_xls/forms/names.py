"""Names with a middle dot (买买提·吐尔逊) in printed documents: one dot, on one line.

Staff type the separator of a Uyghur, Kazakh or transliterated name however their input
method gives it: ``·`` (U+00B7, the standard one), ``•``, ``‧``, ``・``, ``･``, ``．``, ``∙``,
``⋅`` or even ``.`` between two 汉字. :func:`normalize_dots` makes each of them U+00B7, with
the spaces around it dropped.

汉字 allow a line break between any two of them, and LibreOffice breaks there even across a
WORD JOINER (U+2060) or ZERO WIDTH NO-BREAK SPACE, so no invisible character keeps a name
whole. The documents do it by layout instead: a field of several names puts each on a line
of its own (:func:`name_lines`), and a name wider than its cell is narrowed to fit
(:func:`tongjia_xls.forms.docx_style.fit_on_one_line`).
"""

from __future__ import annotations

import re

__all__ = ["MIDDLE_DOT", "name_lines", "normalize_dots", "printed_width"]

MIDDLE_DOT = "\u00b7"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: Characters typed for the dot: bullet, hyphenation point, katakana and half-width
#: katakana middle dots, full-width full stop, bullet operator, dot operator, Greek ano
#: teleia, hangul araea.
_DOT_LOOKALIKES = "\u00b7\u2022\u2027\u30fb\uff65\uff0e\u2219\u22c5\u0387\u318d"
_SPACE = r"[ \u3000\u00a0]*"
_DOT = re.compile(rf"(?<=[^\W\d_]){_SPACE}[{_DOT_LOOKALIKES}]{_SPACE}(?=[^\W\d_])")
# An ASCII full stop is a dot only between two 汉字 (not in 3.5, a.m. or file.docx).
_PERIOD = re.compile(rf"(?<=[\u3400-\u9fff]){_SPACE}\.{_SPACE}(?=[\u3400-\u9fff])")
# Split after a separator between names (the separator stays with the name before it).
_SEPARATED = re.compile(r"(?<=[、，,；;／/])\s*|\s+")


def normalize_dots(text: str) -> str:
    """Return ``text`` with every middle-dot look-alike between two letters as U+00B7."""
    if not text:
        return text
    text = text.translate({ord(ch): None for ch in _INVISIBLE})
    return _PERIOD.sub(MIDDLE_DOT, _DOT.sub(MIDDLE_DOT, text))


def name_lines(text: str) -> list[str]:
    """Return the names of a field ("买买提·吐尔逊、张三"), one per line, dots normalized.

    The separator stays at the end of its name's line, so the printed text reads as typed.
    """
    text = normalize_dots((text or "").strip())
    pieces = [p for p in _SEPARATED.split(text) if p and not p.isspace()]
    return [p.strip() for p in pieces] or [""]


def printed_width(text: str) -> float:
    """Return ``text``'s printed width in em: 汉字 and the dot 1, ASCII ½."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text if ch not in _INVISIBLE)
