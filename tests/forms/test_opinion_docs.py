"""综合评价意见 per secretary and the committee's 汇编: read back and rendered."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from tongjia_xls.forms.docx_style import TITLE_FONT
from tongjia_xls.forms.opinion import (
    NO_OPINION,
    NOT_FINAL,
    OpinionDoc,
    opinion_name,
    opinion_paragraphs,
    write_opinion,
    write_opinions_combined,
)
from tongjia_xls.settings import Settings

SETTINGS = Settings()
DAY = date(2024, 1, 20)
OPINION = (
    "李德明同志履行第一责任人职责认真，带头讲党课12次，村集体经济收入达到27.8万元。\n"
    "同时也要看到，问题分析不够深入，把自己摆进去不够。\r\n"
    "\n"
    "下一步，要加强理论学习，持续壮大集体经济。"
)
DOCS = (
    OpinionDoc("青杠湾村", "李德明", "青杠湾村党委书记", 92.35, "1", "好", True, OPINION),
    OpinionDoc("白鹭溪村", "=1+1", "白鹭溪村党总支书记", 88.5, "并列2", "较好", False,
               "白鹭溪村党总支工作扎实。\n下一步，要补齐短板。"),
    OpinionDoc("南华路社区", None, None, None, "", None, False, None),
)


def _title(org: str) -> str:
    return f"{org}党组织书记2023年度抓基层党建工作综合评价意见"


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _cells(path: Path, table: int = 0) -> list[list[str]]:
    found = Document(str(path)).tables[table]
    return [[cell.text for cell in row.cells] for row in found.rows]


# -- one opinion ---------------------------------------------------------------------------

def test_file_name_and_title(tmp_path: Path) -> None:
    path = write_opinion(DOCS[0], SETTINGS, tmp_path, day=DAY)
    assert path.name == "青杠湾村-2023年度综合评价意见.docx"
    assert opinion_name("南华路/社区*", SETTINGS) == "南华路社区-2023年度综合评价意见.docx"
    title = Document(str(path)).paragraphs[0]
    assert title.text.replace("\n", "") == _title("青杠湾村")
    assert title.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT


def test_table_of_figures_with_a_final_grade(tmp_path: Path) -> None:
    cells = _cells(write_opinion(DOCS[0], SETTINGS, tmp_path, day=DAY))
    assert cells == [
        ["述职人", "李德明", "单位及职务", "青杠湾村党委书记"],
        ["综合得分", "92.35", "排名", "第1名"],
        ["评价等次", "好", "好", "好"],  # one merged cell over three columns
    ]


def test_a_proposed_grade_is_marked_and_a_formula_name_is_text(tmp_path: Path) -> None:
    cells = _cells(write_opinion(DOCS[1], SETTINGS, tmp_path, day=DAY))
    assert cells[0][:2] == ["述职人", "=1+1"]
    assert cells[1] == ["综合得分", "88.50", "排名", "并列第2名"]
    assert cells[2][1] == f"较好{NOT_FINAL}" == "较好（建议，待党委确定）"


def test_nothing_yet(tmp_path: Path) -> None:
    path = write_opinion(DOCS[2], SETTINGS, tmp_path, day=DAY)
    cells = _cells(path)
    assert cells[0] == ["述职人", "—", "单位及职务", "南华路社区党组织书记"]
    assert cells[1] == ["综合得分", "—", "排名", "—"]
    assert cells[2][1] == "尚未评定"
    assert NO_OPINION in _texts(path) and "评价意见尚未填写" in NO_OPINION


def test_opinion_paragraphs_as_written_then_the_signature(tmp_path: Path) -> None:
    texts = [t for t in _texts(write_opinion(DOCS[0], SETTINGS, tmp_path, day=DAY)) if t]
    assert texts[1:] == [
        "李德明同志履行第一责任人职责认真，带头讲党课12次，村集体经济收入达到27.8万元。",
        "同时也要看到，问题分析不够深入，把自己摆进去不够。",
        "下一步，要加强理论学习，持续壮大集体经济。",
        "中共乐至县童家镇委员会",
        "2024年1月20日",
    ]


def test_committee_and_year_from_the_settings(tmp_path: Path) -> None:
    settings = replace(SETTINGS, year=2024, committee="中共乐至县新华镇委员会")
    path = write_opinion(DOCS[0], settings, tmp_path, day=DAY)
    assert path.name == "青杠湾村-2024年度综合评价意见.docx"
    texts = _texts(path)
    assert texts[0].replace("\n", "") == "青杠湾村党组织书记2024年度抓基层党建工作综合评价意见"
    assert "中共乐至县新华镇委员会" in texts


def test_splitting_the_opinion() -> None:
    assert opinion_paragraphs(None) == []
    assert opinion_paragraphs("  \n ") == []
    split = opinion_paragraphs("甲。\r\n\r\n乙。\r丙。\u2028丁。")
    assert split == ["甲。", "乙。", "丙。", "丁。"]


# -- the 汇编 ------------------------------------------------------------------------------

def _breaks(paragraph: Paragraph) -> int:
    """Page breaks at or in ``paragraph``: 段前分页, hard page breaks, section breaks."""
    p = paragraph._p
    before = p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")
    on = before is not None and before.get(qn("w:val"), "true") in ("1", "true", "on")
    hard = [br for br in p.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    section = p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    return int(on) + len(hard) + int(section is not None)


def test_combined_has_every_opinion_in_order_each_on_a_new_page(tmp_path: Path) -> None:
    path = write_opinions_combined(DOCS, SETTINGS, tmp_path, day=DAY)
    assert path.name == "2023年度村（社区）党组织书记综合评价意见汇编.docx"
    doc = Document(str(path))
    paragraphs = doc.paragraphs
    texts = [p.text.replace("\n", "") for p in paragraphs]
    assert texts[0] == "童家镇2023年度村（社区）党组织书记综合评价意见汇编"
    contents = next(t for t in texts if t.startswith("本汇编收录"))
    assert "3个" in contents
    assert [contents.index(f"{n}．{d.org}") for n, d in enumerate(DOCS, start=1)] == sorted(
        contents.index(f"{n}．{d.org}") for n, d in enumerate(DOCS, start=1))
    assert "白鹭溪村（=1+1）" in contents
    titles = [texts.index(_title(d.org)) for d in DOCS]
    assert titles == sorted(titles)
    # One break before each organization (the first after the contents page), none elsewhere.
    breaks = [i for i, p in enumerate(paragraphs) for _ in range(_breaks(p))]
    assert breaks == titles
    # Every organization's figures and its opinion, between its title and the next.
    assert len(doc.tables) == len(DOCS)
    assert [doc.tables[i].cell(0, 1).text for i in range(3)] == ["李德明", "=1+1", "—"]
    ends = [*titles[1:], len(texts)]
    for d, start, end in zip(DOCS, titles, ends, strict=True):
        own = texts[start:end]
        for text in opinion_paragraphs(d.opinion) or [NO_OPINION]:
            assert text in own, text
        assert own[-2:] == ["中共乐至县童家镇委员会", "2024年1月20日"]


def test_combined_notes_proposed_grades_only_when_there_are_some(tmp_path: Path) -> None:
    note = "尚待镇党委研究确定"
    body = "\n".join(_texts(write_opinions_combined(DOCS, SETTINGS, tmp_path, day=DAY)))
    assert note in body
    final_only = [DOCS[0]]
    body = "\n".join(_texts(write_opinions_combined(final_only, SETTINGS, tmp_path, day=DAY)))
    assert note not in body and "本汇编收录1个" in body


# -- rendered ------------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (poppler-utils)")
    return found


def test_rendered_opinions_are_a4_one_page_each(tmp_path: Path, soffice: str) -> None:
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    work = tmp_path / "pdf"
    work.mkdir()
    sources = []
    for name, made in (("one", write_opinion(DOCS[0], SETTINGS, tmp_path, day=DAY)),
                       ("all", write_opinions_combined(DOCS, SETTINGS, tmp_path, day=DAY))):
        sources.append(work / f"{name}.docx")  # ASCII names and a private profile
        shutil.copyfile(made, sources[-1])
    subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(work), *map(str, sources)],
        check=True, timeout=180, capture_output=True, env={**os.environ, "HOME": str(work)},
    )

    def info(pdf: Path) -> str:
        return subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True,
                              check=True).stdout

    def text(pdf: Path) -> str:
        return re.sub(r"\s+", "", subprocess.run([pdftotext, str(pdf), "-"],
                                                 capture_output=True, text=True,
                                                 check=True).stdout)

    one, combined = work / "one.pdf", work / "all.pdf"
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info(one))
    assert re.search(r"Pages:\s+1\n", info(one))
    assert _title("青杠湾村") in text(one)
    # The contents page, then one page per organization.
    assert re.search(rf"Pages:\s+{len(DOCS) + 1}\n", info(combined))
    flat = text(combined)
    assert [flat.index(_title(d.org)) for d in DOCS] == sorted(
        flat.index(_title(d.org)) for d in DOCS)
