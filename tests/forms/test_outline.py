"""附件1 提纲 prefilled per organization: read back, checked by the checker, rendered."""

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
from docx.shared import Pt
from docx.text.run import Run

from tongjia_xls.forms.docx_style import BODY_FONT, HEADING_FONT, SUBHEADING_FONT, TITLE_FONT
from tongjia_xls.forms.outline import (
    ASPECTS,
    PLACEHOLDER,
    TIP,
    OutlineOrg,
    instructions,
    outline_name,
    write_outline,
)
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings
from tongjia_xls.word.extract import analyze_file

SETTINGS = Settings()
ORG = OutlineOrg("青杠湾村", "李德明", "青杠湾村党委书记")
HEADINGS = ("一、主要做法和成效", *(h for h, _ in ASPECTS), "二、存在问题及原因分析",
            "三、下步工作打算")


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _head(path: Path) -> list[str]:
    """The title, the date line and the secretary line (after the box's blank line)."""
    texts = _texts(path)
    assert texts[0] == ""
    return texts[1:4]


def _box(path: Path) -> str:
    doc = Document(str(path))
    assert len(doc.tables) == 1
    return "\n".join(p.text for p in doc.tables[0].cell(0, 0).paragraphs)


def _east_asia(run: Run) -> str:
    return run.element.rPr.rFonts.get(qn("w:eastAsia"))


# -- what it says --------------------------------------------------------------------------

def test_file_name_says_whose_outline_and_is_safe(tmp_path: Path) -> None:
    assert write_outline(ORG, SETTINGS, tmp_path).name == "青杠湾村-2023年度述职报告提纲.docx"
    name = outline_name('南华路/社区:"一组"?', SETTINGS)
    assert name == "南华路社区一组-2023年度述职报告提纲.docx"
    other = write_outline(ORG, replace(SETTINGS, year=2024), tmp_path / "sub")
    assert other.name == "青杠湾村-2024年度述职报告提纲.docx" and other.parent.is_dir()


def test_head_is_prefilled_with_the_real_title_date_and_secretary(tmp_path: Path) -> None:
    path = write_outline(ORG, SETTINGS, tmp_path)
    title, *rest = _head(path)
    assert title.replace("\n", "") == "青杠湾村2023年度抓基层党建工作述职报告"
    assert rest == ["（2024年1月）", "青杠湾村党委书记 李德明"]
    texts = _texts(path)
    assert "根据会议安排，现就2023年度抓基层党建工作情况述职如下：" in texts
    body = "\n".join(texts)
    assert "提纲模板" not in body
    assert "XX" not in body and "X年X月" not in body


@pytest.mark.parametrize(("year", "deadline", "line"), [
    (2023, date(2024, 1, 5), "（2024年1月）"),
    (2023, date(2024, 2, 20), "（2024年2月）"),
    (2023, None, "（2024年1月）"),
    (2024, None, "（2025年1月）"),
])
def test_date_line_from_the_deadline_or_january_after_the_year(
    tmp_path: Path, year: int, deadline: date | None, line: str
) -> None:
    settings = replace(SETTINGS, year=year, deadline=deadline)
    assert _head(write_outline(ORG, settings, tmp_path))[1] == line


def test_a_secretary_like_a_formula_is_plain_text(tmp_path: Path) -> None:
    path = write_outline(OutlineOrg("白鹭溪村", "=1+1", "白鹭溪村党总支书记"), SETTINGS, tmp_path)
    assert _head(path)[2] == "白鹭溪村党总支书记 =1+1"


def test_missing_position_and_secretary(tmp_path: Path) -> None:
    path = write_outline(OutlineOrg("金竹岭村", None, None), SETTINGS, tmp_path)
    # The position falls back to the org's; the name stays a placeholder to be filled in.
    assert _head(path)[2] == "金竹岭村党组织书记 XX"


def test_the_three_parts_and_four_aspects_in_the_order_of_the_notice(tmp_path: Path) -> None:
    texts = _texts(write_outline(ORG, SETTINGS, tmp_path))
    places = [texts.index(h) for h in HEADINGS]
    assert places == sorted(places)
    # Each aspect is followed by its 填写提示 and the notice's "（主要包括……）".
    for heading, guidance in ASPECTS:
        after = texts[texts.index(heading) + 1]
        assert after == TIP + guidance
        assert guidance.startswith("（主要包括") and guidance.endswith("。）")
    assert "特别是服务保障拼经济搞建设、防风险保安全等情况。）" in ASPECTS[1][1]
    problems = texts.index("二、存在问题及原因分析")
    plans = texts.index("三、下步工作打算")
    assert texts[problems + 1] == TIP + "（此部分不少于整个篇幅的1/3）"
    assert texts[problems + 2: plans] == [f"一是{PLACEHOLDER}", f"二是{PLACEHOLDER}",
                                          f"三是{PLACEHOLDER}", "以上问题究其原因，主要在于……"]
    assert texts[plans + 1:] == [f"一是{PLACEHOLDER}", f"二是{PLACEHOLDER}", f"三是{PLACEHOLDER}"]


def test_instructions_box_summarises_the_notice(tmp_path: Path) -> None:
    box = _box(write_outline(ORG, SETTINGS, tmp_path))
    assert box.startswith("【填写说明】")
    for words in ("1500—2000字", "65%—70%", "30%—35%", "1/3", "拼经济搞建设", "防风险保安全",
                  "必答题", "用具体的实例和数据说话", "至少写出5个具体数据", "突出述“我”",
                  "上年度查摆的突出问题", "2024年1月5日前", "经包片领导审核后报童家镇党建办",
                  "（主要包括"):
        assert words in box, words


def test_every_number_comes_from_the_settings(tmp_path: Path) -> None:
    settings = replace(SETTINGS, words_min=1600, words_max=2200, practices_share_min=0.6,
                       practices_share_max=0.72, problems_plans_share_min=0.28,
                       problems_plans_share_max=0.4, problems_share_min=0.25,
                       problems_share_basis=SHARE_BASIS_PART_TWO, data_points_min=8,
                       deadline=date(2024, 1, 10), town="新华镇")
    path = write_outline(ORG, settings, tmp_path)
    box = _box(path)
    for words in ("1600—2200字", "60%—72%", "28%—40%", "“存在问题及原因分析”不少于全文的1/4",
                  "至少写出8个", "2024年1月10日前", "报新华镇党建办"):
        assert words in box, words
    assert "1500" not in box and "65%" not in box
    assert TIP + "（此部分不少于整个篇幅的1/4）" in _texts(path)
    assert "合计不少于全文的1/3" in "".join(instructions(SETTINGS))  # the default basis
    assert "党建办通知的时间" in "".join(instructions(replace(SETTINGS, deadline=None)))


def test_a_share_without_a_small_fraction_is_a_percentage() -> None:
    assert "不少于全文的35%" in "".join(instructions(replace(SETTINGS, problems_share_min=0.35)))


# -- how it looks --------------------------------------------------------------------------

def test_official_page_and_faces(tmp_path: Path) -> None:
    doc = Document(str(write_outline(ORG, SETTINGS, tmp_path)))
    section = doc.sections[0]
    size = (section.page_width.mm, section.page_height.mm)
    assert size == pytest.approx((210, 297), abs=0.1)
    assert section.top_margin.mm == pytest.approx(37, abs=0.1)
    assert section.left_margin.mm == pytest.approx(28, abs=0.1)
    by_text = {p.text: p for p in doc.paragraphs}
    title = doc.paragraphs[1].runs[0]
    assert _east_asia(title) == TITLE_FONT and title.font.size == Pt(22)
    assert _east_asia(by_text["一、主要做法和成效"].runs[0]) == HEADING_FONT
    assert _east_asia(by_text["三、下步工作打算"].runs[0]) == HEADING_FONT
    assert _east_asia(by_text[ASPECTS[0][0]].runs[0]) == SUBHEADING_FONT
    tip, guidance = by_text[TIP + ASPECTS[0][1]].runs
    assert tip.font.bold and not guidance.font.bold
    assert {_east_asia(tip), _east_asia(guidance)} == {SUBHEADING_FONT}
    opening = next(p for p in doc.paragraphs if p.text.startswith("根据会议安排"))
    assert _east_asia(opening.runs[0]) == BODY_FONT and opening.runs[0].font.size == Pt(16)
    assert opening.paragraph_format.first_line_indent == Pt(32)
    footer = doc.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml


# -- the checker finds what is left of the template ----------------------------------------

def test_the_checker_finds_every_piece_of_template_left_in(tmp_path: Path) -> None:
    analysis = analyze_file(write_outline(ORG, SETTINGS, tmp_path), soffice=None)
    assert analysis.measures is not None
    assert list(analysis.measures.structure.parts) == ["practices", "problems", "plans"]
    quotes = [f.quote or "" for f in analysis.findings if f.rule == "template_residue"]
    for _, guidance in ASPECTS:
        assert any(q.startswith(TIP + guidance[:12]) for q in quotes), guidance[:12]
    assert any("此部分不少于整个篇幅" in q for q in quotes)
    assert sum(q.endswith(PLACEHOLDER) for q in quotes) == 3  # the same line, said once
    assert any(q.startswith("7．删除") or "（主要包括……）”说明文字" in q for q in quotes)


def test_the_checker_finds_an_unfilled_secretary(tmp_path: Path) -> None:
    analysis = analyze_file(write_outline(OutlineOrg("金竹岭村", None, None), SETTINGS, tmp_path),
                            soffice=None)
    assert any(f.rule == "template_residue" and "XX" in (f.quote or "")
               for f in analysis.findings)


# -- rendered ------------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (poppler-utils)")
    return found


def test_rendered_outline_is_a4_with_the_title(tmp_path: Path, soffice: str) -> None:
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    work = tmp_path / "pdf"
    work.mkdir()
    source = work / "outline.docx"  # an ASCII name and a private profile
    shutil.copyfile(write_outline(ORG, SETTINGS, tmp_path), source)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(source)],
        check=True, timeout=180, capture_output=True, env={**os.environ, "HOME": str(work)},
    )
    pdf = work / "outline.pdf"
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    text = re.sub(r"\s+", "", subprocess.run([pdftotext, str(pdf), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    assert "青杠湾村2023年度抓基层党建工作述职报告" in text
    head = text.index("述职报告（2024年1月）青杠湾村党委书记李德明")
    assert head < text.index("一、主要做法和成效")
    assert "三、下步工作打算" in text
