"""The text of a .docx package, read from its XML the way Word lays it out.

A hand recursion over the elements, not python-docx's ``Document.paragraphs``: that is
several times slower and sees neither tables, text boxes, content controls, tracked
insertions, ``w:fldSimple`` nor smart tags. What is read (see the ``extract`` module for why):

* the main story in document order, tables cell by cell, nested tables too;
* content controls (``w:sdt``), tracked insertions and moves (``w:ins``, ``w:moveTo``),
  ``w:hyperlink``, ``w:fldSimple``, ``w:smartTag``, ``w:customXml``: their runs count;
* deleted text (``w:del``, ``w:moveFrom``) is left out, as are field codes (``w:instrText``);
* a text box once: ``mc:AlternateContent`` gives the text box twice, as DrawingML in
  ``mc:Choice`` and as VML in ``mc:Fallback``; only the first Choice is read. Its paragraphs
  follow the paragraph that anchors it, with ``story="textbox"``;
* footnotes and endnotes at the end, without the separator notes;
* ``w:tab`` is a tab, ``w:br``/``w:cr`` a ``"\\n"`` inside the paragraph, ``w:noBreakHyphen``
  a ``-``; automatic numbering (numbering.xml) is not text, as in Word's 字数.

Hostile packages are refused with a :class:`PackageError` of kind ``"hostile"``: parts far
larger than a report, absurd compression ratios, any DTD (OOXML never has one; it is how
billion-laughs and external-entity attacks start), too many members or paragraphs.

Style resolution (names, bold, outline levels by style id) lives in
:mod:`tongjia_xls.word.ooxml_styles`; styles.xml is read and cached here.
"""

from __future__ import annotations

import posixpath
import threading
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree

from tongjia_xls.reports.model import Para, new_para
from tongjia_xls.word.ooxml_styles import (
    _B,
    _FONTS,
    _OUTLINE,
    _PPR,
    _RPR,
    _VAL,
    Styles,
    W,
    _child,
    _level,
    _on,
    east_asian_font,
)

__all__ = ["DocumentText", "PackageError", "clear_style_cache", "read_document"]

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# Strict OOXML (Word's "Strict Open XML Document") only renames the namespace.
_STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_TRANSITIONAL_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"

MAX_DOCUMENT = 50 * 1024 * 1024  # bytes of word/document.xml once inflated
MAX_PART = 10 * 1024 * 1024  # any other part read (styles, footnotes, relationships)
MAX_RATIO = 200  # inflated / compressed; real Word XML stays well under 50
RATIO_FLOOR = 1024 * 1024  # small parts may compress as well as they like
MAX_MEMBERS = 10_000
MAX_PARAGRAPHS = 200_000

# Kinds of PackageError, turned into Chinese messages by the extract module.
CORRUPT = "corrupt"
NOT_WORD = "not_word"
ODF = "odf"
HOSTILE = "hostile"
ENCRYPTED = "encrypted"

_P, _R, _T = W + "p", W + "r", W + "t"
_PSTYLE, _RSTYLE = W + "pStyle", W + "rStyle"
_TXBX, _RUBY, _RUBY_BASE = W + "txbxContent", W + "ruby", W + "rubyBase"
_ALTERNATE, _CHOICE, _FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
_CHARS = {
    W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-",
}
_GRAPHICS = frozenset({W + "drawing", W + "pict", W + "object", _ALTERNATE})
_INLINE_WRAPPERS = frozenset(
    W + tag
    for tag in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "sdt",
                "sdtContent", "dir", "bdo")
)
_BLOCK_WRAPPERS = frozenset(W + tag for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"))
_TABLE_PARTS = frozenset(W + tag for tag in ("tbl", "tr", "tc"))
_OMML = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MATH = frozenset({_OMML + "oMath", _OMML + "oMathPara"})
_MATH_TEXT = _OMML + "t"
_NOTE_MARKS = frozenset({W + "footnoteReference", W + "endnoteReference"})
_NO_SUBDOCS = W + "doNotIncludeSubdocsInStats"


class PackageError(Exception):
    """The package cannot be read; ``kind`` is one of the module's kinds, ``detail`` Chinese."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers must not be shared between threads; one per thread is reused.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
            remove_comments=True, remove_pis=True, collect_ids=False,
        )
        _local.parser = parser
    return parser


def parse_part(data: bytes, name: str) -> Any:
    """Return the root element of XML ``data``; refuse any DTD."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise PackageError(HOSTILE, f"{name} 含有 DTD 声明")
    if _STRICT_W in data:
        data = data.replace(_STRICT_W, _TRANSITIONAL_W)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise PackageError(CORRUPT, f"{name}: {error}") from None
    if root.getroottree().docinfo.doctype:  # a DTD in UTF-16 escapes the byte test above
        raise PackageError(HOSTILE, f"{name} 含有 DTD 声明")
    return root


def _read_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    if info.file_size > cap:
        raise PackageError(HOSTILE, f"{info.filename} 解压后达 {info.file_size // 2**20} MB")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise PackageError(HOSTILE, f"{info.filename} 压缩比异常")
    with package.open(info) as member:
        # The read is capped as well: the declared size is only the archive's word for it.
        data = member.read(cap + 1)
    if len(data) > cap:
        raise PackageError(HOSTILE, f"{info.filename} 解压后超过上限")
    return data


_style_cache: OrderedDict[tuple[int, int], Styles] = OrderedDict()
_style_lock = threading.Lock()
_STYLE_CACHE_SIZE = 64


def clear_style_cache() -> None:
    """Forget the parsed styles.xml files (the benchmark measures the uncached path)."""
    with _style_lock:
        _style_cache.clear()


@dataclass(frozen=True)
class DocumentText:
    """A .docx's paragraphs and what decides which of them Word's and WPS's 字数 count.

    ``subdocs_in_stats`` is False when settings.xml carries
    ``w:doNotIncludeSubdocsInStats``: Word then leaves text boxes, footnotes and endnotes out
    (a document with none of them is always True: its settings.xml is not read);
    ``note_marks`` counts the footnote and endnote reference marks in the main text, one
    word each in WPS's figure.
    """

    paragraphs: tuple[Para, ...]
    subdocs_in_stats: bool = True
    note_marks: int = 0


def read_document(source: Path | bytes) -> DocumentText:
    """Return the paragraphs of the .docx at ``source`` and the scope of its 字数."""
    try:
        with zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source) as package:
            return _read_package(package)
    except PackageError:
        raise
    except RecursionError:
        raise PackageError(HOSTILE, "嵌套层次过深") from None
    except RuntimeError:  # zipfile: "File is encrypted, password required"
        raise PackageError(ENCRYPTED) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as error:
        raise PackageError(CORRUPT, type(error).__name__) from None


def _read_package(package: zipfile.ZipFile) -> DocumentText:
    infos = package.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(HOSTILE, f"包含 {len(infos)} 个部件")
    members = {info.filename: info for info in infos}
    main = "word/document.xml"
    if main in members:
        # Word, WPS and LibreOffice all use the standard names: no relationships to read.
        related = {kind: f"word/{kind}.xml"
                   for kind in ("styles", "footnotes", "endnotes", "settings")}
    else:
        found = _targets(package, members, "_rels/.rels", "", ("officeDocument",))
        if "officeDocument" not in found or found["officeDocument"] not in members:
            if "mimetype" in members and b"opendocument.text" in _read_member(
                package, members["mimetype"], 1024
            ):
                raise PackageError(ODF)
            raise PackageError(NOT_WORD)
        main = found["officeDocument"]
        folder, base = posixpath.split(main)
        related = _targets(package, members, f"{folder}/_rels/{base}.rels", folder,
                           ("styles", "footnotes", "endnotes", "settings"))

    styles = _styles(package, members.get(related.get("styles", "")))
    root = parse_part(_read_member(package, members[main], MAX_DOCUMENT), main)
    body = root.find(W + "body")
    if root.tag != W + "document" or body is None:
        raise PackageError(NOT_WORD)
    walker = _Walker(styles)
    walker.blocks(body, False, "body")
    for story in ("footnote", "endnote"):
        info = members.get(related.get(f"{story}s", ""))
        if info is None:
            continue
        notes = parse_part(_read_member(package, info, MAX_PART), info.filename)
        for note in notes.iterchildren(W + story):
            # separator and continuation notes are the rule above the notes, not text
            if note.get(W + "type", "normal") == "normal":
                walker.blocks(note, False, story)
    paragraphs = tuple(walker.paragraphs)
    # settings.xml only says whether text boxes and notes count: a document with neither
    # does not need it, and it is left unread, as fontTable.xml and numbering.xml always are
    # (reading it was an eighth of reading a report).
    in_stats = (not any(p.story != "body" for p in paragraphs)
                or _subdocs_in_stats(package, members, related))
    return DocumentText(paragraphs, in_stats, walker.note_marks)


def _subdocs_in_stats(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                      related: dict[str, str]) -> bool:
    info = members.get(related.get("settings", ""))
    if info is None:
        return True
    settings = parse_part(_read_member(package, info, MAX_PART), info.filename)
    found = next(settings.iterchildren(_NO_SUBDOCS), None)  # the filter runs in C
    return found is None or not _on(found)


def _targets(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], rels: str,
             folder: str, kinds: tuple[str, ...]) -> dict[str, str]:
    """Return the part names that relationships file ``rels`` gives for each of ``kinds``."""
    info = members.get(rels)
    if info is None:
        return {}
    found: dict[str, str] = {}
    for rel in parse_part(_read_member(package, info, MAX_PART), rels).iterchildren(_REL):
        kind = rel.get("Type", "").rpartition("/")[2]
        if kind in kinds and kind not in found and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target if target.startswith("/") else posixpath.join("/", folder, target)
            found[kind] = posixpath.normpath(path).lstrip("/")
    return found


def _styles(package: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> Styles:
    if info is None:
        return Styles(None)
    # Reports from one template share styles.xml byte for byte; the CRC names the content.
    key = (info.CRC, info.file_size)
    with _style_lock:
        cached = _style_cache.get(key)
        if cached is not None:
            _style_cache.move_to_end(key)
            return cached
    data = _read_member(package, info, MAX_PART)
    # latentStyles (two thirds of Word's styles.xml) only holds UI hints: skip parsing it.
    start = data.find(b"<w:latentStyles")
    end = data.find(b"</w:latentStyles>", start)
    if start > 0 and end > start:
        data = data[:start] + data[end + len(b"</w:latentStyles>"):]
    styles = Styles(parse_part(data, info.filename))
    with _style_lock:
        _style_cache[key] = styles
        if len(_style_cache) > _STYLE_CACHE_SIZE:
            _style_cache.popitem(last=False)
    return styles


def _choose(alternate: Any) -> Any:
    """Return the branch of ``mc:AlternateContent`` to read: its first Choice, else Fallback."""
    fallback = None
    for branch in alternate:
        if branch.tag == _CHOICE:
            return branch
        if branch.tag == _FALLBACK:
            fallback = branch
    return fallback


def _find_boxes(element: Any, boxes: list[Any]) -> None:
    """Append the outermost text box contents under ``element`` (a drawing or picture)."""
    if element.tag == _ALTERNATE:
        element = _choose(element)
        if element is None:
            return
    for child in element:
        if child.tag == _TXBX:
            boxes.append(child)
        else:
            _find_boxes(child, boxes)


def _ruby(ruby: Any, pieces: list[str]) -> bool:
    """Append the base text of 拼音指南 (what the reader sees); return whether it has any."""
    carries_text = False
    base = _child(ruby, _RUBY_BASE)
    for run_text in () if base is None else base.iter(_T):
        if run_text.text:
            pieces.append(run_text.text)
            carries_text = carries_text or not run_text.text.isspace()
    return carries_text


class _Walker:
    """Collects :class:`Para` objects from block-level content.

    lxml makes a proxy object for every element reached and an iterator object for every
    ``for child in element``; children are taken as a list (``element[:]``, about a third of
    the cost of an iterator) and each element's children are gone through once.
    """

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.paragraphs: list[Para] = []
        self.note_marks = 0
        self.story = "body"  # the story of the paragraph being read

    def blocks(self, parent: Any, in_table: bool, story: str) -> None:
        """Read the paragraphs and tables under ``parent`` (a body, cell, note or text box)."""
        for child in parent[:]:
            tag = child.tag
            if tag == _P:
                self.paragraph(child, in_table, story)
            elif tag in _TABLE_PARTS:
                self.blocks(child, True, story)
            elif tag in _BLOCK_WRAPPERS:
                self.blocks(child, in_table, story)
            elif tag == _ALTERNATE:
                chosen = _choose(child)
                if chosen is not None:
                    self.blocks(chosen, in_table, story)

    def paragraph(self, p: Any, in_table: bool, story: str) -> None:
        self.story = story
        style_id = None
        direct_outline = None
        children = p[:]
        ppr = None
        for child in children:  # pPr comes first; the first one counts wherever it is
            if child.tag == _PPR:
                ppr = child
                break
        if ppr is not None:
            for prop in ppr[:]:
                tag = prop.tag
                if tag == _PSTYLE:
                    style_id = prop.get(_VAL)
                elif tag == _OUTLINE:
                    direct_outline = _level(prop)
        name, style_bold, outline, style_font = self.styles.paragraph(style_id)
        if direct_outline is not None:
            outline = direct_outline if 0 <= direct_outline <= 8 else None
        pieces: list[str] = []
        boxes: list[Any] = []
        fonts: set[str | None] = set()
        all_bold = self._inline(children, pieces, boxes, (style_bold, style_font), True, fonts)
        text = "".join(pieces)
        font = next(iter(fonts)) if len(fonts) == 1 else None
        self.paragraphs.append(
            new_para(text, all_bold and not text.isspace() and text != "", name, outline,
                     in_table, story, font)
        )
        if len(self.paragraphs) > MAX_PARAGRAPHS:
            raise PackageError(HOSTILE, f"段落超过 {MAX_PARAGRAPHS} 个")
        for box in boxes:
            self.blocks(box, False, "textbox")

    def _inline(self, children: list[Any], pieces: list[str], boxes: list[Any],
                style: tuple[bool, str | None], all_bold: bool, fonts: set[str | None]) -> bool:
        """Append the text of the runs among ``children``; return whether all text is bold.

        ``style`` is the paragraph style's (bold, font); the font of each run carrying text
        is added to ``fonts``.
        """
        for child in children:
            tag = child.tag
            if tag == _R:
                if self._run(child, pieces, boxes, style, fonts) is False:
                    all_bold = False
            elif tag in _MATH:
                # An equation's text is what Word shows and counts.
                pieces.extend(t.text for t in child.iter(_MATH_TEXT) if t.text)
            elif tag in _INLINE_WRAPPERS:
                all_bold = self._inline(child[:], pieces, boxes, style, all_bold, fonts)
            elif tag == _ALTERNATE:
                chosen = _choose(child)
                if chosen is not None:
                    all_bold = self._inline(chosen[:], pieces, boxes, style, all_bold, fonts)
        return all_bold

    def _run(self, run: Any, pieces: list[str], boxes: list[Any],
             style: tuple[bool, str | None], fonts: set[str | None]) -> bool | None:
        """Append the text of ``run``; return whether it is bold (``None``: no text in it).

        The run's font is added to ``fonts`` when it carries text.
        """
        rpr = None
        carries_text = False
        for item in run[:]:
            kind = item.tag
            if kind == _T:
                text = item.text
                if text:
                    pieces.append(text)
                    carries_text = carries_text or not text.isspace()
            elif kind == _RPR:
                rpr = item
            elif kind in _CHARS:
                pieces.append(_CHARS[kind])
            elif kind in _GRAPHICS:
                _find_boxes(item, boxes)
            elif kind in _NOTE_MARKS and self.story == "body":
                self.note_marks += 1
            elif kind == _RUBY:
                carries_text = _ruby(item, pieces) or carries_text
        if not carries_text:
            return None
        bold, font = self._run_look(rpr, style)
        fonts.add(font)
        return bold

    def _run_look(self, rpr: Any, style: tuple[bool, str | None]) -> tuple[bool, str | None]:
        """Return whether a run is bold and its font for Chinese text, styles followed."""
        bold, font = style
        if rpr is None:
            return bold, font
        own_bold: bool | None = None
        own_font: str | None = None
        character: tuple[bool | None, str | None] = (None, None)
        for prop in rpr[:]:
            tag = prop.tag
            if tag == _B:
                own_bold = _on(prop)
            elif tag == _FONTS:
                own_font = east_asian_font(prop)
            elif tag == _RSTYLE:
                character = self.styles.character(prop.get(_VAL, ""))
        bold = own_bold if own_bold is not None else (
            character[0] if character[0] is not None else bold)
        return bold, own_font or character[1] or font
