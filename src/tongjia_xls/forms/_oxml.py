"""The element layer under the documents written: WordprocessingML python-docx has no API for.

Private to :mod:`tongjia_xls.forms`, in python-docx's own split: ``docx.oxml`` builds and
changes the XML, the proxies above it (``Paragraph``, ``Table`` …) carry the meaning. Here
the proxies above are :mod:`~tongjia_xls.forms.docx_style` and the form modules; they pass
python-docx objects to these functions and touch no XML, namespace or private name of
python-docx themselves.

Elements are built with python-docx's ``OxmlElement`` and ``qn``; no XML is assembled from
strings. :func:`_element_of` is the one place that knows python-docx's internals: runs,
styles and parts give their element publicly (``.element``), paragraphs, tables and rows
do not, so it reads the ``_element`` every python-docx proxy keeps.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import BaseStyle
    from docx.table import Table, _Row

#: ``xml:space``, which ``qn`` has no prefix for.
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The characters ``Run.text`` writes as elements of their own (w:tab, w:br).
_BREAKS = frozenset("\t\r\n")
#: The run properties that follow ``w:w`` in the schema's order (Word wants the order).
_AFTER_W = ("w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
            "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
            "w:eastAsianLayout", "w:specVanish", "w:oMath")
#: Word 2010's copy of the styles, which python-docx has no name for.
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
#: What a style names of the others, and what a list definition names of the styles.
_STYLE_REFERENCES = ("w:basedOn", "w:next", "w:link")
_NUMBERING_REFERENCES = ("w:pStyle", "w:styleLink", "w:numStyleLink")
#: A face declared in the font table: Chinese character set, proportional.
_FONT_TRAITS = (("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable"))


def _element_of(proxy: Paragraph | Table | _Row) -> Any:
    """Return the element ``proxy`` stands for: python-docx's ``_element``, kept by every proxy.

    The only read of a python-docx private name in the project (see the module docstring).
    """
    return proxy._element


def detached_paragraph() -> Paragraph:
    """Return a paragraph belonging to no document: a model to format once and copy from."""
    return Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]


def copy_paragraph_format(model: Paragraph, paragraph: Paragraph) -> None:
    """Give the new, empty ``paragraph`` a copy of ``model``'s properties (``w:pPr``).

    The same XML as setting each property through ``paragraph_format``, without python-docx
    looking up each child of ``w:pPr`` in the schema's order again for every paragraph.
    """
    p_pr = _element_of(model).pPr
    if p_pr is not None:
        _element_of(paragraph).insert(0, copy.deepcopy(p_pr))


def add_run_like(paragraph: Paragraph, model: Run, text: str) -> Run:
    """Add to ``paragraph`` a run of ``text`` with a copy of ``model``'s properties (``w:rPr``).

    ``text`` is written as ``Run.text`` writes it (tabs and line breaks as their elements).
    """
    r = copy.deepcopy(model.element)  # its w:rPr and nothing else
    if _BREAKS.isdisjoint(text):
        # The one w:t that Run.text would write, without its character-by-character parse.
        t = OxmlElement("w:t")
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_XML_SPACE, "preserve")
        r.append(t)
    else:
        r.text = text  # tabs and line breaks become their elements
    _element_of(paragraph).append(r)
    return Run(r, paragraph)


def trim_template(doc: Document, styles: Iterable[str]) -> None:
    """Leave in ``doc`` only what its documents use of python-docx's default template.

    The template carries 164 styles (four in five of them table styles no document uses), a
    copy of them for Word 2010 (``stylesWithEffects.xml``), a thumbnail of an empty page and
    a bibliography store: 800 KB of XML that every document would parse, write and deflate
    again. Kept are the style ids ``styles``, those the list definitions name, what they are
    based on, linked to or followed by, and the defaults Word falls back to; Word and WPS add
    any other built-in style when it is first applied.
    """
    element = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in element.findall(qn("w:style"))}
    numbering = doc.part.numbering_part.element
    wanted = [*styles, *(i for i, s in by_id.items() if s.get(qn("w:default")) == "1"),
              *(r.get(qn("w:val")) for tag in _NUMBERING_REFERENCES
                for r in numbering.iter(qn(tag)))]
    kept: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in kept or style_id not in by_id:
            continue
        kept.add(style_id)
        for tag in _STYLE_REFERENCES:
            wanted += (r.get(qn("w:val")) for r in by_id[style_id].findall(qn(tag)))
    for style_id, style in by_id.items():
        if style_id not in kept:
            element.remove(style)
    unused = (_STYLES_WITH_EFFECTS, RELATIONSHIP_TYPE.CUSTOM_XML, RELATIONSHIP_TYPE.THUMBNAIL)
    for source in (doc.part, doc.part.package):
        for r_id in [r for r, rel in source.rels.items() if rel.reltype in unused]:
            del source.rels[r_id]  # nothing refers to these parts by id: saving drops them


def set_faces(target: Run | BaseStyle, face: str) -> None:
    """Name ``face`` in every font slot of a run or style, the East Asian one (汉字) included.

    Theme fonts are removed: Word would show them instead of the named face.
    """
    r_fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in [a for a in r_fonts.attrib if a.endswith("Theme") or a.endswith("theme")]:
        del r_fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(slot), face)
    r_fonts.set(qn("w:hint"), "eastAsia")


def set_language(style: BaseStyle, western: str, east_asian: str) -> None:
    """Set ``style``'s languages (``w:lang``), e.g. ``en-US`` and ``zh-CN`` for Chinese text."""
    r_pr = style.element.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), western)
    lang.set(qn("w:eastAsia"), east_asian)


def set_character_scale(run: Run, percent: int) -> None:
    """Scale ``run``'s characters horizontally to ``percent`` (Word's 字符缩放, ``w:w``)."""
    r_pr = run.element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:w")):
        r_pr.remove(old)
    r_pr.insert_element_before(OxmlElement("w:w", {qn("w:val"): str(percent)}), *_AFTER_W)


def remove_run(run: Run) -> None:
    """Take ``run`` out of its paragraph."""
    run.element.getparent().remove(run.element)


def remove_paragraph(paragraph: Paragraph) -> None:
    """Take ``paragraph`` out of its document, cell or footer."""
    p = _element_of(paragraph)
    p.getparent().remove(p)


def repeat_as_header(row: _Row) -> None:
    """Mark ``row`` to repeat at the top of every page the table runs onto."""
    _element_of(row).get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_row_together(row: _Row) -> None:
    """Keep ``row`` on one page (``w:cantSplit``)."""
    _element_of(row).get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def set_side_cell_margins(table: Table, twips: int) -> None:
    """Set the left and right padding of every cell of ``table`` to ``twips``."""
    tbl_pr = _element_of(table).tblPr
    for old in tbl_pr.findall(qn("w:tblCellMar")):
        tbl_pr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margins.append(OxmlElement(side, {qn("w:w"): str(twips), qn("w:type"): "dxa"}))
    # Word is strict about the schema's order: tblCellMar comes before tblLook and the
    # caption, description and change-tracking elements that may follow it.
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                 "w:tblPrChange")


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> list[Run]:
    """Add a complex field (``PAGE`` …) to ``paragraph`` and return its five runs.

    The runs hold, in order, the field's begin, its instruction, the separator, the result
    shown until the field is updated, and its end; the caller gives them their font.
    """
    begin, code, separate, result, end = (paragraph.add_run() for _ in range(5))
    for run, kind in ((begin, "begin"), (separate, "separate"), (end, "end")):
        run.element.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    text = OxmlElement("w:instrText", {_XML_SPACE: "preserve"})
    text.text = f" {instruction} "
    code.element.append(text)
    result.add_text(shown)
    return [begin, code, separate, result, end]


def declare_fonts(doc: Document, alternatives: Mapping[str, str]) -> None:
    """Declare each face of ``alternatives`` in the font table, its value as ``w:altName``.

    Faces the table knows already are left as they are.
    """
    source = doc.part
    part = source.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    fonts = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in fonts.findall(qn("w:font"))}
    for face, alternative in alternatives.items():
        if face in known:
            continue
        font = OxmlElement("w:font", {qn("w:name"): face})
        for tag, value in (("w:altName", alternative), *_FONT_TRAITS):
            font.append(OxmlElement(tag, {qn("w:val"): value}))
        fonts.append(font)
    blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)
    _replace_related_part(source, RELATIONSHIP_TYPE.FONT_TABLE, blob)


def _replace_related_part(source: Any, reltype: str, blob: bytes) -> None:
    """Replace the part ``source`` relates to by ``reltype`` with one holding ``blob``.

    The font table is a plain part to python-docx, whose bytes have no setter: a new part of
    the same name and type takes its place, with its relationships, in the same place among
    ``source``'s relationships (and so in the package).
    """
    rels = source.rels
    r_id = next(r for r, rel in rels.items() if rel.reltype == reltype and not rel.is_external)
    old = rels[r_id].target_part
    new = Part(old.partname, old.content_type, blob, old.package)
    for rel in old.rels.values():
        new.load_rel(rel.reltype, rel.target_ref if rel.is_external else rel.target_part,
                     rel.rId, rel.is_external)
    order = list(rels)
    source.drop_rel(r_id)
    source.relate_to(new, reltype)  # the first rId missing: here the one just freed
    for later in order[order.index(r_id) + 1:]:
        rels[later] = rels.pop(later)
