"""The documents are written through public APIs; forms/_oxml.py alone knows python-docx's XML.

The modules that write documents (forms/ and the demo's docx_writer) may not read a private
attribute of python-docx, openpyxl or lxml objects (``row._tr``, ``cell._style`` …) nor build
XML from strings (``nsdecls``, f-strings): what python-docx has no API for is done by the
element layer, whose one private read is ``_element_of``.
"""

from __future__ import annotations

import ast
import importlib
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from helpers import private_reads
from tongjia_xls.forms import _oxml
from tongjia_xls.forms.docx_style import FONT_FALLBACKS, official_page

SOURCE = Path(importlib.import_module("tongjia_xls").__file__).parent  # type: ignore[arg-type]
LAYER = SOURCE / "forms" / "_oxml.py"
WRITERS = [*sorted(p for p in (SOURCE / "forms").glob("*.py") if p != LAYER),
           SOURCE / "demo" / "docx_writer.py"]
#: Names that build XML from text.
XML_FROM_TEXT = {"nsdecls", "parse_xml"}


def _xml_from_text(tree: ast.AST) -> list[tuple[int, str]]:
    """Return (line, what) of each name that builds XML from text and each XML-like string."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in XML_FROM_TEXT:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.alias) and node.name.rpartition(".")[2] in XML_FROM_TEXT:
            found.append((node.lineno, node.name))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and ("<w:" in node.value or "xmlns" in node.value)):
            found.append((node.lineno, node.value[:40]))
    return found


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: p.name)
def test_no_writer_reads_a_private_attribute(path: Path) -> None:
    found = private_reads(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.name}: private attributes {found}; use forms/_oxml.py"


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: p.name)
def test_no_writer_builds_xml_from_text(path: Path) -> None:
    found = _xml_from_text(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.name}: XML from text {found}; use forms/_oxml.py"


def test_the_element_layer_has_one_private_read_and_no_xml_from_text() -> None:
    tree = ast.parse(LAYER.read_text(encoding="utf-8"))
    assert [name for _, name in private_reads(tree)] == ["_element"]
    accessor = next(node for node in ast.walk(tree)
                    if isinstance(node, ast.FunctionDef) and node.name == "_element_of")
    assert private_reads(accessor) == private_reads(tree)
    assert not any(isinstance(node, ast.JoinedStr) and "<" in ast.unparse(node)
                   for node in ast.walk(tree))
    # parse_xml reads the font table's bytes, never a string built here.
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "parse_xml"]
    assert [ast.unparse(call.args[0]) for call in calls] == ["part.blob"]
    assert "nsdecls" not in {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def test_the_scan_finds_what_it_is_for() -> None:
    code = ('row._tr.append(parse_xml(f"<w:tblHeader {nsdecls(\'w\')}/>"))\n'
            'cell._style = copy(other._style)\nself._own = getattr(run, "_r")\n')
    tree = ast.parse(code)
    assert sorted(name for _, name in private_reads(tree)) == ["_r", "_style", "_style", "_tr"]
    assert {what for _, what in _xml_from_text(tree)} == {"parse_xml", "nsdecls", "<w:tblHeader "}


def test_the_accessor_reaches_the_elements() -> None:
    doc = docx.Document()
    paragraph = doc.add_paragraph("x")
    table = doc.add_table(rows=1, cols=1)
    assert _oxml._element_of(paragraph).tag == qn("w:p")
    assert _oxml._element_of(table).tag == qn("w:tbl")
    assert _oxml._element_of(table.rows[0]).tag == qn("w:tr")


def test_font_table_is_replaced_in_place() -> None:
    def relationships(doc: object) -> list[tuple[str, str]]:
        return [(r_id, rel.reltype) for r_id, rel in doc.part.rels.items()]  # type: ignore[attr-defined]

    doc = docx.Document()
    before = relationships(doc)
    official_page(doc)
    official_page(doc)  # the second time declares nothing more
    buffer = BytesIO()
    doc.save(buffer)
    saved = docx.Document(BytesIO(buffer.getvalue()))
    assert [rel for rel in relationships(saved) if rel in before] == before
    fonts = parse_xml(saved.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE).blob)
    declared = [f.get(qn("w:name")) for f in fonts.iter(qn("w:font"))]
    for face, fallback in FONT_FALLBACKS.items():
        assert declared.count(face) == 1
        font = next(f for f in fonts.iter(qn("w:font")) if f.get(qn("w:name")) == face)
        assert font.find(qn("w:altName")).get(qn("w:val")) == fallback


def test_cell_margins_stand_where_the_schema_puts_them() -> None:
    import docx

    from tongjia_xls.forms._oxml import _element_of, set_side_cell_margins

    table = docx.Document().add_table(rows=1, cols=2)
    set_side_cell_margins(table, 57)
    set_side_cell_margins(table, 80)  # again: replaced, not added
    order = [child.tag.rsplit("}", 1)[1] for child in _element_of(table).tblPr]
    assert order.count("tblCellMar") == 1
    assert order.index("tblCellMar") < order.index("tblLook")
