"""Paragraph and character styles of a .docx, resolved from its styles.xml.

:class:`Styles` answers what the :mod:`tongjia_xls.word.ooxml` walker asks of a style id:
the paragraph style's name, bold and outline level, and the bold a character style sets,
following ``w:basedOn`` chains and ``w:docDefaults``. The small helpers for on/off and
level properties are shared with the walker. Reading styles.xml out of the package (and
caching it per template) stays in the ``ooxml`` module.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Styles", "W", "east_asian_font"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_PPR, _RPR, _B, _VAL, _OUTLINE = W + "pPr", W + "rPr", W + "b", W + "val", W + "outlineLvl"
_OFF = frozenset({"0", "false", "off"})
_BUILT_IN_HEADINGS = {f"heading {n}": n - 1 for n in range(1, 10)}
_STYLE, _STYLE_ID, _TYPE, _DEFAULT = W + "style", W + "styleId", W + "type", W + "default"
_NAME, _BASED_ON = W + "name", W + "basedOn"
_FONTS = W + "rFonts"
_EAST_ASIA = W + "eastAsia"
# (type, name, basedOn, bold, outline level, East Asian font), None where unset.
_Style = tuple[str, str | None, str | None, bool | None, int | None, str | None]


def _on(element: Any) -> bool:
    """Return the value of an on/off property such as ``<w:b/>`` or ``<w:b w:val="0"/>``."""
    # values() is about a fifth of get(); most such elements (<w:b/>) have no attribute.
    return not element.values() or element.get(_VAL) not in _OFF


def _level(element: Any) -> int | None:
    try:
        return int(element.get(_VAL))
    except (TypeError, ValueError):
        return None


def east_asian_font(rfonts: Any) -> str | None:
    """Return the font ``w:rFonts`` sets for Chinese text (``None`` when it sets none)."""
    return rfonts.get(_EAST_ASIA) or None


def _child(element: Any, tag: str) -> Any:
    # Faster than Element.find for the handful of children of pPr/rPr.
    for child in element:
        if child.tag == tag:
            return child
    return None


class Styles:
    """What the checker needs from styles.xml: names, bold and outline levels by style id.

    Resolution walks ``w:basedOn`` once per style id and is cached. Toggle-property XOR
    between paragraph and character styles is not modelled: the innermost setting wins.
    Table styles (a bold header row set by the table style) are not read either. Word's
    built-in ``heading 1``-``heading 9`` keep their level even when ``w:outlineLvl`` is missing.
    """

    def __init__(self, root: Any) -> None:
        # Only an index is built here; a style is read when a paragraph or run first uses it
        # (Word's styles.xml defines a hundred styles, a report uses a handful).
        self._elements: dict[str, Any] = {}
        self._styles: dict[str, _Style | None] = {}
        self.default_paragraph: str | None = None
        self.default_bold = False
        self.default_outline: int | None = None
        self.default_font: str | None = None
        self._paragraph: dict[str | None, tuple[str | None, bool, int | None, str | None]] = {}
        self._character: dict[str, tuple[bool | None, str | None]] = {}
        if root is None:
            return
        for element in root:
            tag = element.tag
            if tag == _STYLE:
                self._index(element)
            elif tag == W + "docDefaults":
                self._read_defaults(element)
        if self.default_paragraph is None and "Normal" in self._elements:
            # LibreOffice marks no style as the default: Word then takes "Normal".
            self.default_paragraph = "Normal"

    def _index(self, element: Any) -> None:
        """Index a ``w:style`` by its id (the first of a repeated id wins), noting the default."""
        style_id = element.get(_STYLE_ID)
        if style_id is None or style_id in self._elements:
            return
        self._elements[style_id] = element
        if (
            self.default_paragraph is None
            and element.get(_DEFAULT) in ("1", "true", "on")
            and element.get(_TYPE, "paragraph") == "paragraph"
        ):
            self.default_paragraph = style_id

    def _read_defaults(self, element: Any) -> None:
        """Take the default bold, font and outline level from ``w:docDefaults``."""
        for rpr in element.iter(_RPR):
            bold = _child(rpr, _B)
            self.default_bold = bold is not None and _on(bold)
            fonts = _child(rpr, _FONTS)
            self.default_font = east_asian_font(fonts) if fonts is not None else None
        for ppr in element.iter(_PPR):
            outline = _child(ppr, _OUTLINE)
            self.default_outline = None if outline is None else _level(outline)

    def _style(self, style_id: str) -> _Style | None:
        """Return (type, name, basedOn, bold, outline level, font) of a style, None if unset."""
        if style_id in self._styles:
            return self._styles[style_id]
        element = self._elements.get(style_id)
        found: _Style | None = None
        if element is not None:
            name = based_on = bold = outline = font = None
            for child in element:
                tag = child.tag
                if tag == _NAME:
                    name = child.get(_VAL)
                elif tag == _BASED_ON:
                    based_on = child.get(_VAL)
                elif tag == _RPR:
                    prop = _child(child, _B)
                    bold = None if prop is None else _on(prop)
                    fonts = _child(child, _FONTS)
                    font = None if fonts is None else east_asian_font(fonts)
                elif tag == _PPR:
                    prop = _child(child, _OUTLINE)
                    outline = None if prop is None else _level(prop)
            if outline is None and name and name.lower() in _BUILT_IN_HEADINGS:
                # Word fixes the level of its built-in headings; LibreOffice's RTF route
                # drops it.
                outline = _BUILT_IN_HEADINGS[name.lower()]
            found = (element.get(_TYPE, "paragraph"), name, based_on, bold, outline, font)
        self._styles[style_id] = found
        return found

    def _chain(self, style_id: str | None) -> tuple[bool | None, int | None, str | None]:
        bold: bool | None = None
        outline: int | None = None
        font: str | None = None
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            style = self._style(style_id)
            if style is None:
                break
            _, _, based_on, own_bold, own_outline, own_font = style
            bold = own_bold if bold is None else bold
            outline = own_outline if outline is None else outline
            font = own_font if font is None else font
            style_id = based_on
        return bold, outline, font

    def paragraph(self, style_id: str | None
                  ) -> tuple[str | None, bool, int | None, str | None]:
        """Return the name (None for Normal), bold, outline level and font of a paragraph style.

        The font is the one set for Chinese text (``None``: unknown).
        """
        resolved = self._paragraph.get(style_id)
        if resolved is None:
            key = style_id
            known = None if style_id is None else self._style(style_id)
            if known is None or known[0] != "paragraph":
                style_id = self.default_paragraph  # Word shows an unknown style as Normal
            bold, outline, font = self._chain(style_id)
            if outline is None:
                outline = self.default_outline
            name = None
            if known is not None and style_id != self.default_paragraph:
                name = known[1] or style_id
            resolved = (
                name,
                self.default_bold if bold is None else bold,
                outline if outline is not None and 0 <= outline <= 8 else None,
                font or self.default_font,
            )
            self._paragraph[key] = resolved
        return resolved

    def character(self, style_id: str) -> tuple[bool | None, str | None]:
        """Return the bold and font a character style sets, None where its chain leaves it."""
        if style_id not in self._character:
            bold, _, font = self._chain(style_id)
            self._character[style_id] = (bold, font)
        return self._character[style_id]
