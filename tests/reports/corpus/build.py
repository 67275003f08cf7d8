"""Build the independent 述职报告 corpus: reports/*.json -> docx/<id>.docx + labels.json.

Run from the project root (or anywhere)::

    python tests/reports/corpus/build.py

Standard library + python-docx + lxml only. The output is deterministic: the same JSON gives
byte-identical .docx files (fixed core properties, fixed zip entry dates, no randomness).

The reports are written by people who never saw the checker's code; this builder is likewise an
independent implementation (the 字数 rule is implemented here from docs/word-count.md).

JSON schema of one report (reports/<id>.json)::

    {
      "id": "a01-xxx",                 # must equal the file stem
      "persona": "...", "org": "...", "year": 2023,
      "layout": ["tag", ...],
      "blocks": [
        {"type": "title", "text": "..."},
        {"type": "heading", "text": "...", "style": "plain|bold|heiti|heading1|heading2",
         "part": "practices|problems|plans|none"},
        {"type": "para", "text": "...",
         "part": "preamble|practices|problems|plans|closing", "bold": false},
        {"type": "table", "rows": [["cell", ...], ...],
         "part": "practices|problems|plans|mixed",
         "cell_parts": [["practices", ...], ...]},     # only with "mixed"
        {"type": "textbox", "text": "...", "part": "..."}
      ],
      "expected": {...}                 # see EXPECTED_KEYS
    }

Tolerances (documented, so that a parallel writer's files are not rejected for trifles):
- "\\n" inside any text starts a new Word paragraph (in a table cell: a new paragraph in the
  cell; in a title: a new centred title line).
- In "cell_parts", a heading cell is marked "none" ("heading" is accepted as a synonym); tables
  and text boxes may also carry the parts "preamble", "closing" or "none".
- Ragged table rows are padded with empty cells.

Counting scope of ``words`` (Word's 字数 with "包括文本框、脚注和尾注" ticked, the default):
title, headings, paragraphs, table cells and text boxes; the footer (a page-number field) is
not counted, as Word does not count headers/footers. ``words_main_story`` is the same without
text boxes (what WPS shows).
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from lxml import etree

HERE = Path(__file__).resolve().parent
REPORTS_DIR = HERE / "reports"
DOCX_DIR = HERE / "docx"
LABELS_PATH = HERE / "labels.json"

# ---------------------------------------------------------------------------------------------
# 字数 (Word's "字数"), implemented from word-count.md
# ---------------------------------------------------------------------------------------------

_ZERO_WIDTH = {"\u200b", "\ufeff"}

# (first, last) inclusive code point ranges counted as East Asian characters.
_EAST_ASIAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2EFF),  # CJK Radicals Supplement
    (0x2F00, 0x2FDF),  # Kangxi Radicals
    (0x2FF0, 0x2FFF),  # Ideographic Description Characters
    (0x3001, 0x303F),  # CJK Symbols and Punctuation (U+3000 is whitespace)
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x3190, 0x319F),  # Kanbun
    (0x31A0, 0x31BF),  # Bopomofo Extended
    (0x31C0, 0x31EF),  # CJK Strokes
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0x3200, 0x33FF),  # Enclosed CJK Letters and Months, CJK Compatibility
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7AF),  # Hangul Syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF01, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0x1AFF0, 0x1B16F),  # Kana Extended-B, Kana Supplement, Kana Extended-A, Small Kana Ext.
    (0x20000, 0x2FA1F),  # CJK Extensions B-F, Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # CJK Extensions G-H
)

# Marks a Chinese keyboard types; counted as East Asian (a setting that defaults to on).
_CHINESE_KEYBOARD_MARKS = frozenset("\u201c\u201d\u2018\u2019\u2014\u2026\u00b7")


def is_east_asian(ch: str, keyboard_marks: bool = True) -> bool:
    if keyboard_marks and ch in _CHINESE_KEYBOARD_MARKS:
        return True
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _EAST_ASIAN_RANGES)


def word_count(text: str, keyboard_marks: bool = True) -> int:
    """Word's 字数 of one paragraph (or of text whose paragraphs are separated by whitespace)."""
    count = 0
    in_run = False
    for ch in text:
        if ch in _ZERO_WIDTH:
            continue
        if ch.isspace():
            in_run = False
        elif is_east_asian(ch, keyboard_marks):
            count += 1
            in_run = False
        elif not in_run:
            count += 1
            in_run = True
    return count


def words_of_paragraphs(paragraphs) -> int:
    """字数 of several paragraphs: each is counted on its own, so runs never merge across."""
    return sum(word_count(p) for p in paragraphs)


def _self_check_word_count() -> None:
    examples = {
        "2023年开展党课12次，发展入党积极分子3名。": 20,
        "主题教育 theme education 100%": 7,
        "使用 Adobe Photoshop 打开图片": 8,
        "Hello、World。": 4,
        "一二三四五 six seven eight": 8,
        "《中国共产党章程》": 9,
        # further cases from the rule itself
        "5.2% e-mail -": 3,
        "“两个确立”——": 8,
        "a\u200bb": 1,
        "\u3000\u3000党建": 2,
        "ＡＢＣ１２": 5,
        "": 0,
    }
    for text, expected in examples.items():
        got = word_count(text)
        assert got == expected, f"word_count({text!r}) = {got}, expected {expected}"
    # paragraphs never merge: "abc" + "def" in two paragraphs are 2 words
    assert words_of_paragraphs(["abc", "def"]) == 2
    assert word_count("“引号”", keyboard_marks=False) == 4  # each quote is then a word of its own


# ---------------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------------

HEADING_STYLES = {"plain", "bold", "heiti", "heading1", "heading2"}
HEADING_PARTS = {"practices", "problems", "plans", "none"}
PARA_PARTS = {"preamble", "practices", "problems", "plans", "closing"}
COUNTED_PARTS = ("practices", "problems", "plans")
TABLE_PARTS = {"practices", "problems", "plans", "mixed", "preamble", "closing", "none"}
CELL_PARTS = {"practices", "problems", "plans", "preamble", "closing", "none", "heading"}
TEXTBOX_PARTS = PARA_PARTS | {"none"}
LEVELS = {"explicit", "substance", "none"}
VERDICTS = {"合格", "需修改"}
EXPECTED_KEYS = {
    "problems": int,
    "causes": int,
    "cause_phrase": (str, type(None)),
    "plans": int,
    "economy": str,
    "safety": str,
    "problems_first_person": bool,
    "closing_formula": bool,
    "reader_verdict": str,
    "reader_reasons": list,
}


class SchemaError(ValueError):
    pass


def _req(cond: bool, where: str, msg: str) -> None:
    if not cond:
        raise SchemaError(f"{where}: {msg}")


def _is_text(value) -> bool:
    return isinstance(value, str)


def validate(report: dict, stem: str) -> None:
    w = stem
    _req(isinstance(report, dict), w, "top level must be an object")
    for key in ("id", "persona", "org", "year", "layout", "blocks", "expected"):
        _req(key in report, w, f"missing key {key!r}")
    _req(report["id"] == stem, w, f"id {report['id']!r} differs from the file stem")
    _req(_is_text(report["org"]) and report["org"], w, "org must be a non-empty string")
    _req(isinstance(report["year"], int), w, "year must be an integer")
    _req(
        isinstance(report["layout"], list) and all(_is_text(t) for t in report["layout"]),
        w,
        "layout must be a list of strings",
    )
    blocks = report["blocks"]
    _req(isinstance(blocks, list) and blocks, w, "blocks must be a non-empty list")
    for i, b in enumerate(blocks):
        bw = f"{w} blocks[{i}]"
        _req(isinstance(b, dict) and "type" in b, bw, "block must be an object with a type")
        t = b["type"]
        if t == "title":
            _req(_is_text(b.get("text")), bw, "title needs text")
        elif t == "heading":
            _req(_is_text(b.get("text")), bw, "heading needs text")
            _req(b.get("style", "plain") in HEADING_STYLES, bw, f"bad style {b.get('style')!r}")
            _req(b.get("part", "none") in HEADING_PARTS, bw, f"bad part {b.get('part')!r}")
        elif t == "para":
            _req(_is_text(b.get("text")), bw, "para needs text")
            _req(b.get("part") in PARA_PARTS, bw, f"bad part {b.get('part')!r}")
            _req(isinstance(b.get("bold", False), bool), bw, "bold must be a boolean")
        elif t == "table":
            rows = b.get("rows")
            _req(
                isinstance(rows, list)
                and rows
                and all(isinstance(r, list) and r and all(_is_text(c) for c in r) for r in rows),
                bw,
                "rows must be a non-empty list of non-empty lists of strings",
            )
            part = b.get("part")
            _req(part in TABLE_PARTS, bw, f"bad part {part!r}")
            if part == "mixed":
                cp = b.get("cell_parts")
                _req(isinstance(cp, list) and len(cp) == len(rows), bw, "cell_parts shape")
                for r, (row, prow) in enumerate(zip(rows, cp, strict=True)):
                    _req(
                        isinstance(prow, list) and len(prow) == len(row),
                        bw,
                        f"cell_parts[{r}] must have {len(row)} entries",
                    )
                    for c in prow:
                        _req(c in CELL_PARTS, bw, f"bad cell part {c!r}")
        elif t == "textbox":
            _req(_is_text(b.get("text")), bw, "textbox needs text")
            _req(b.get("part") in TEXTBOX_PARTS, bw, f"bad part {b.get('part')!r}")
        else:
            raise SchemaError(f"{bw}: unknown block type {t!r}")
    exp = report["expected"]
    _req(isinstance(exp, dict), w, "expected must be an object")
    for key, typ in EXPECTED_KEYS.items():
        _req(key in exp, w, f"expected.{key} missing")
        _req(isinstance(exp[key], typ), w, f"expected.{key} has the wrong type")
        if typ is int:
            _req(not isinstance(exp[key], bool) and exp[key] >= 0, w, f"expected.{key} < 0")
    _req(exp["economy"] in LEVELS, w, "expected.economy must be explicit|substance|none")
    _req(exp["safety"] in LEVELS, w, "expected.safety must be explicit|substance|none")
    _req(exp["reader_verdict"] in VERDICTS, w, "expected.reader_verdict must be 合格|需修改")
    _req(all(_is_text(r) for r in exp["reader_reasons"]), w, "reader_reasons must be strings")
    if exp["reader_verdict"] == "需修改":
        _req(bool(exp["reader_reasons"]), w, "需修改 needs at least one reader_reason")


# ---------------------------------------------------------------------------------------------
# Counting from the JSON
# ---------------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _norm_cell_part(part: str) -> str:
    return "none" if part == "heading" else part


def count_report(report: dict) -> dict:
    total = 0
    textbox_words = 0
    parts = dict.fromkeys(COUNTED_PARTS, 0)
    for b in report["blocks"]:
        t = b["type"]
        if t in ("title", "heading"):
            total += words_of_paragraphs(_lines(b["text"]))
        elif t in ("para", "textbox"):
            n = words_of_paragraphs(_lines(b["text"]))
            total += n
            if t == "textbox":
                textbox_words += n
            if b["part"] in parts:
                parts[b["part"]] += n
        elif t == "table":
            for r, row in enumerate(b["rows"]):
                for c, cell in enumerate(row):
                    n = words_of_paragraphs(_lines(cell))
                    total += n
                    part = b["part"]
                    if part == "mixed":
                        part = _norm_cell_part(b["cell_parts"][r][c])
                    if part in parts:
                        parts[part] += n
    return {
        "words": total,
        "words_main_story": total - textbox_words,
        "part_words": parts,
    }


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
HEITI = "黑体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
BOX_SIZE = Pt(14)  # 四号
FIXED_DATE = datetime(2024, 1, 4, 9, 0, 0, tzinfo=timezone.utc)
ZIP_DATE = (2024, 1, 4, 9, 0, 0)

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}


def _set_fonts(rpr_owner, east_asia: str, latin: str | None = None) -> None:
    """Set w:rFonts (ascii, hAnsi, eastAsia) on a run or on a style's rPr."""
    latin = latin or east_asia
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _setup_document(doc, report: dict) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.header_distance, sec.footer_distance = Cm(1.5), Cm(2.8)

    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element, BODY_FONT, LATIN_FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    for name in ("Heading 1", "Heading 2"):
        _set_fonts(doc.styles[name].element, HEITI, LATIN_FONT)

    # East Asian language of the document (the template says ja-JP).
    settings = doc.settings.element
    tfl = settings.find(qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(qn("w:eastAsia"), "zh-CN")

    # Footer: centred page number "— 1 —" (a PAGE field), as official documents have.
    footer_p = sec.footer.paragraphs[0]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_p.add_run("— ")
    _add_field(footer_p, "PAGE", "1")
    footer_p.add_run(" —")

    cp = doc.core_properties
    cp.author = "tongjia-xls corpus builder"
    cp.last_modified_by = "tongjia-xls corpus builder"
    cp.title = report["org"] + str(report["year"]) + "年度述职报告"
    cp.subject = ""
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE
    cp.last_printed = FIXED_DATE


def _add_field(paragraph, instr: str, result: str) -> None:
    def fld(kind: str):
        r = paragraph.add_run()
        el = r._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        r._r.append(el)

    fld("begin")
    r = paragraph.add_run()
    it = r._r.makeelement(qn("w:instrText"), {})
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    paragraph.add_run(result)
    fld("end")


def _body_paragraph(doc_or_cell, text: str, *, bold: bool = False, indent: bool = True):
    p = doc_or_cell.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        run = p.add_run(text)
        run.bold = bold or None
    return p


def _add_title(doc, text: str) -> None:
    for i, line in enumerate(_lines(text)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(36)
        if i == len(_lines(text)) - 1:
            pf.space_after = Pt(16)
        run = p.add_run(line)
        run.font.size = TITLE_SIZE
        _set_fonts(run._r, TITLE_FONT)


def _add_heading(doc, text: str, style: str) -> None:
    for line in _lines(text):
        if style in ("heading1", "heading2"):
            p = doc.add_paragraph(style="Heading 1" if style == "heading1" else "Heading 2")
            p.add_run(line)
            continue
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        run = p.add_run(line)
        if style == "bold":
            run.bold = True
        elif style == "heiti":
            _set_fonts(run._r, HEITI)
            run.bold = False


def _column_widths(rows: list[list[str]], ncols: int, total_emu: int) -> list[int]:
    weights = []
    for c in range(ncols):
        longest = 0
        for row in rows:
            if c < len(row):
                longest = max(longest, max(len(line) for line in _lines(row[c])))
        weights.append(max(4, min(longest, 40)))
    s = sum(weights)
    widths = [total_emu * w // s for w in weights]
    widths[-1] = total_emu - sum(widths[:-1])
    return widths


def _add_table(doc, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = int(Cm(21 - 2.8 - 2.6))
    widths = _column_widths(rows, ncols, total)
    grid = table._tbl.tblGrid
    for gc, wd in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        gc.set(qn("w:w"), str(int(Emu(wd).twips)))
    for r, row in enumerate(rows):
        for c in range(ncols):
            cell = table.cell(r, c)
            cell.width = Emu(widths[c])
            text = row[c] if c < len(row) else ""
            lines = _lines(text)
            first = cell.paragraphs[0]
            for i, line in enumerate(lines):
                p = first if i == 0 else cell.add_paragraph()
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                if line:
                    p.add_run(line)
    return table


def _wrap_parse(xml: str):
    """Parse a fragment that uses the prefixes of NS; return its single top element.

    The fragment is parsed inside a wrapper that declares the namespaces, so that once the
    element is moved into the document, lxml reuses the document's own declarations.
    """
    decls = " ".join(f'xmlns:{p}="{uri}"' for p, uri in NS.items())
    wrapper = etree.fromstring(f"<wrapper {decls}>{xml}</wrapper>")
    return wrapper[0]


def _txbx_content_xml(lines: list[str]) -> str:
    paras = []
    for line in lines:
        run = ""
        if line:
            run = (
                "<w:r><w:rPr>"
                f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
                f'w:eastAsia="{BODY_FONT}"/>'
                '<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>'
                f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
            )
        paras.append(
            '<w:p><w:pPr><w:spacing w:line="400" w:lineRule="exact"/>'
            f'<w:ind w:firstLine="560"/><w:jc w:val="both"/></w:pPr>{run}</w:p>'
        )
    return "<w:txbxContent>" + "".join(paras) + "</w:txbxContent>"


def _add_textbox(doc, text: str, shape_id: int) -> None:
    """A DrawingML text box (wps:wsp) with a VML fallback, anchored in its own paragraph.

    This is the markup Word 2010+ writes for 插入 → 文本框: mc:AlternateContent whose
    mc:Choice (Requires="wps") holds a wp:anchor drawing and whose mc:Fallback holds the same
    text in a VML v:shape (type 202, a text box). The text is thus stored twice; readers must
    skip mc:Fallback.
    """
    lines = _lines(text)
    width = int(Cm(21 - 2.8 - 2.6))
    inset = 91440
    per_line = max(1, (width - 2 * inset) // int(BOX_SIZE))
    n_lines = sum(max(1, -(-len(line) // per_line)) for line in lines)
    height = int(Pt(20)) * n_lines + 2 * 45720 + int(Pt(8))
    name = f"文本框 {shape_id}"
    z = 251659264 + shape_id
    content = _txbx_content_xml(lines)
    drawing = (
        "<w:drawing>"
        '<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" '
        f'relativeHeight="{z}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width}" cy="{height}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        "<wp:wrapTopAndBottom/>"
        f'<wp:docPr id="{shape_id}" name="{name}"/>'
        "<wp:cNvGraphicFramePr/>"
        "<a:graphic>"
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        "<wps:wsp>"
        '<wps:cNvSpPr txBox="1"/>'
        "<wps:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="FFF2CC"/></a:solidFill>'
        '<a:ln w="12700"><a:solidFill><a:srgbClr val="C00000"/></a:solidFill></a:ln>'
        "</wps:spPr>"
        f"<wps:txbx>{content}</wps:txbx>"
        f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="{inset}" tIns="45720" '
        f'rIns="{inset}" bIns="45720" anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr>'
        "</wps:wsp>"
        "</a:graphicData>"
        "</a:graphic>"
        '<wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>0</wp14:pctWidth></wp14:sizeRelH>'
        '<wp14:sizeRelV relativeFrom="margin"><wp14:pctHeight>0</wp14:pctHeight></wp14:sizeRelV>'
        "</wp:anchor>"
        "</w:drawing>"
    )
    shapetype = (
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>'
        "</v:shapetype>"
        if shape_id == 1
        else ""
    )
    style = (
        "position:absolute;margin-left:0;margin-top:0;"
        f"width:{width / 12700:.1f}pt;height:{height / 12700:.1f}pt;z-index:{z};"
        "mso-wrap-style:square;mso-position-horizontal:absolute;"
        "mso-position-horizontal-relative:text;mso-position-vertical:absolute;"
        "mso-position-vertical-relative:text;v-text-anchor:top"
    )
    pict = (
        f"<w:pict>{shapetype}"
        f'<v:shape id="{name}" o:spid="_x0000_s{1025 + shape_id}" type="#_x0000_t202" '
        f'style="{style}" fillcolor="#fff2cc" strokecolor="#c00000" strokeweight="1pt">'
        f'<v:textbox style="mso-fit-shape-to-text:t">{content}</v:textbox>'
        '<w10:wrap type="topAndBottom"/>'
        "</v:shape></w:pict>"
    )
    alt = _wrap_parse(
        f'<mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        f"<mc:Fallback>{pict}</mc:Fallback></mc:AlternateContent>"
    )
    p = doc.add_paragraph()
    p.add_run()._r.append(alt)


def render(report: dict):
    doc = Document()
    _setup_document(doc, report)
    body = doc.element.body
    # drop the template's empty first paragraph if any
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    shape_id = 0
    prev_was_table = False
    for b in report["blocks"]:
        t = b["type"]
        if t == "table" and prev_was_table:
            doc.add_paragraph()  # Word cannot put two tables side by side without a paragraph
        if t == "title":
            _add_title(doc, b["text"])
        elif t == "heading":
            _add_heading(doc, b["text"], b.get("style", "plain"))
        elif t == "para":
            for line in _lines(b["text"]):
                _body_paragraph(doc, line, bold=b.get("bold", False))
        elif t == "table":
            _add_table(doc, b["rows"])
        elif t == "textbox":
            shape_id += 1
            _add_textbox(doc, b["text"], shape_id)
        prev_was_table = t == "table"
    if prev_was_table:
        doc.add_paragraph()
    return doc


def _deterministic_zip(blob: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zi.create_system = 0
            dst.writestr(zi, data)
    return out.getvalue()


def docx_bytes(report: dict) -> bytes:
    doc = render(report)
    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic_zip(buf.getvalue())


# ---------------------------------------------------------------------------------------------
# Re-reading the .docx (a check that the rendering kept every character)
# ---------------------------------------------------------------------------------------------

_W = NS["w"]
_T = f"{{{_W}}}t"
_P = f"{{{_W}}}p"
_FALLBACK = f"{{{NS['mc']}}}Fallback"
_TXBX = f"{{{_W}}}txbxContent"
_SEPARATORS = {f"{{{_W}}}br", f"{{{_W}}}tab", f"{{{_W}}}cr"}


def _ancestors(el):
    anc = el.getparent()
    while anc is not None:
        yield anc
        anc = anc.getparent()


def count_docx(blob: bytes) -> tuple[int, int]:
    """(Word's 字数 incl. text boxes, main story only) read back from document.xml.

    Every w:p is counted on its own from the w:t (w:br/w:tab/w:cr as a space) whose nearest
    paragraph it is, so a text box paragraph is not merged into its anchor paragraph;
    mc:Fallback (the VML copy of a text box) is skipped.
    """
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    total = main = 0
    for para in root.iter(_P):
        ancestors = list(_ancestors(para))
        if any(a.tag == _FALLBACK for a in ancestors):
            continue
        boxed = any(a.tag == _TXBX for a in ancestors)
        parts = []
        for el in para.iter(_T, *_SEPARATORS):
            nearest = next(a for a in _ancestors(el) if a.tag == _P)
            if nearest is not para:
                continue
            parts.append((el.text or "") if el.tag == _T else " ")
        n = word_count("".join(parts))
        total += n
        if not boxed:
            main += n
    return total, main


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def build() -> list[dict]:
    _self_check_word_count()
    DOCX_DIR.mkdir(exist_ok=True)
    labels = []
    errors = []
    for path in sorted(REPORTS_DIR.glob("*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            validate(report, path.stem)
        except (SchemaError, json.JSONDecodeError) as exc:
            errors.append(f"{path.name}: {exc}")
            continue
        figures = count_report(report)
        blob = docx_bytes(report)
        back_total, back_main = count_docx(blob)
        assert (back_total, back_main) == (figures["words"], figures["words_main_story"]), (
            f"{path.name}: docx recount {back_total}/{back_main} differs from "
            f"{figures['words']}/{figures['words_main_story']}"
        )
        _write_if_changed(DOCX_DIR / f"{report['id']}.docx", blob)
        words = figures["words"]
        labels.append(
            {
                "id": report["id"],
                "org": report["org"],
                "year": report["year"],
                "layout": report["layout"],
                "expected": report["expected"],
                "words": words,
                "words_main_story": figures["words_main_story"],
                "part_words": figures["part_words"],
                "part_share": {
                    k: round(v / words, 3) if words else 0.0
                    for k, v in figures["part_words"].items()
                },
            }
        )
    labels.sort(key=lambda e: e["id"])
    # remove outputs whose report is gone
    present = {e["id"] for e in labels} | {p.stem for p in REPORTS_DIR.glob("*.json")}
    for stale in DOCX_DIR.glob("*.docx"):
        if stale.stem not in present:
            stale.unlink()
    data = (json.dumps(labels, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    _write_if_changed(LABELS_PATH, data)
    if errors:
        raise SystemExit("invalid reports:\n" + "\n".join(errors))
    return labels


def main(argv: list[str]) -> int:
    labels = build()
    if "-q" not in argv:
        for e in labels:
            pw = e["part_words"]
            print(
                f"{e['id']:<28} {e['words']:>5} 字  做法{pw['practices']:>5} "
                f"问题{pw['problems']:>5} 打算{pw['plans']:>5}  "
                f"{e['expected']['reader_verdict']}"
            )
        print(f"{len(labels)} reports -> {DOCX_DIR.relative_to(HERE.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
