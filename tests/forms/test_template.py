"""The documents carry only what they use of python-docx's template, and nothing they use is lost.

``docx_style.official_document`` trims the template (``_oxml.trim_template``) for speed: 164
styles down to those the documents apply, no Word 2010 copy of the styles, no thumbnail, no
bibliography store. These tests read every document the demo writes as a package: each style
a paragraph, run or table names is defined, each relationship and content type points at a
part that is there, and the body keeps its face, size and language.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tongjia_xls.demo.workspace import REPORTS_DIR, make_demo

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DROPPED = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/item1.xml")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every .docx the tool writes in the demo (the secretaries' own reports left out)."""
    folder = make_demo(tmp_path_factory.mktemp("demo")).folder
    found = [p for p in sorted(folder.rglob("*.docx")) if REPORTS_DIR not in p.parts]
    assert len(found) >= 40  # 附件2, 提纲, 评价意见, 审核意见, 台账 …
    return found


def _style_ids(package: zipfile.ZipFile) -> dict[str, etree._Element]:
    styles = etree.fromstring(package.read("word/styles.xml"))
    return {s.get(_q("styleId")): s for s in styles.iter(_q("style"))}


def test_every_style_named_is_defined(documents: list[Path]) -> None:
    for path in documents:
        with zipfile.ZipFile(path) as package:
            defined = _style_ids(package)
            for name in package.namelist():
                if not (name.startswith("word/") and name.endswith(".xml")) or "styles" in name:
                    continue
                root = etree.fromstring(package.read(name))
                for tag in ("pStyle", "rStyle", "tblStyle"):
                    for use in root.iter(_q(tag)):
                        assert use.get(_q("val")) in defined, (path.name, name, tag)


def test_kept_styles_resolve_their_links(documents: list[Path]) -> None:
    with zipfile.ZipFile(documents[0]) as package:
        defined = _style_ids(package)
    assert {"Normal", "Footer", "TableGrid", "DefaultParagraphFont", "TableNormal"} <= set(defined)
    assert len(defined) < 30
    for style_id, style in defined.items():
        for tag in ("basedOn", "link", "next"):
            linked = style.find(_q(tag))
            if linked is not None:
                assert linked.get(_q("val")) in defined, (style_id, tag)


def test_body_style_keeps_the_official_look(documents: list[Path]) -> None:
    with zipfile.ZipFile(documents[0]) as package:
        normal = _style_ids(package)["Normal"]
    fonts = normal.find(f"{_q('rPr')}/{_q('rFonts')}")
    assert fonts is not None and fonts.get(_q("eastAsia")) == "仿宋_GB2312"
    size = normal.find(f"{_q('rPr')}/{_q('sz')}")
    assert size is not None and size.get(_q("val")) == "32"  # 三号, in half points
    lang = normal.find(f"{_q('rPr')}/{_q('lang')}")
    assert lang is not None and lang.get(_q("eastAsia")) == "zh-CN"


def test_package_points_only_at_parts_it_holds(documents: list[Path]) -> None:
    for path in documents:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            assert not names & set(DROPPED), path.name
            types = etree.fromstring(package.read("[Content_Types].xml"))
            for override in types.iter(f"{{{TYPES}}}Override"):
                assert override.get("PartName").lstrip("/") in names, path.name
            for rels in (n for n in names if n.endswith(".rels")):
                base = posixpath.dirname(posixpath.dirname(rels))
                for rel in etree.fromstring(package.read(rels)).iter(f"{{{RELS}}}Relationship"):
                    if rel.get("TargetMode") == "External":
                        continue
                    target = posixpath.normpath(posixpath.join(base, rel.get("Target")))
                    assert target.lstrip("/") in names, (path.name, rels, target)
