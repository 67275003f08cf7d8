"""The demo's 21 述职报告: files, text as Word sees it, and each profile's intended faults."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.table import Table

from tongjia_xls.demo.reports import (
    RULE_WORDS,
    TOPIC_ECONOMY,
    TOPIC_SAFETY,
    VIOLATIONS,
    intended,
    report_file_name,
    write_reports,
)
from tongjia_xls.demo.roster import (
    COMPLIANT,
    MISSING_TOPIC,
    PROFILES,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
    DemoOrg,
    demo_orgs,
)
from tongjia_xls.reports.count import count_paragraphs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ASPECTS = ("加强政治建设", "服务保障中心大局", "推进基层党建工作重点任务落实", "落实责任")
# 一是、二是… at the start of a paragraph or a sentence.
NUMBERED = re.compile(r"(?:^|[。：；])([一二三四五六七八九十])是")
# A concrete figure: 12次, 3名, 27.8万元, 95%.
DATA_POINT = re.compile(
    r"\d+(?:\.\d+)?(?:%|万元|次|名|个|件|户次|户|亩|公里|处|场次|人次|支|项|份|条)"
)
# Profiles whose reports keep 附件1's whole structure: 一是…三是 problems and causes.
FULL_STRUCTURE = (COMPLIANT, TOO_SHORT, MISSING_TOPIC, TEMPLATE_RESIDUE)


def xml_paragraphs(path: Path) -> list[str]:
    """Every paragraph of the main story, table cells included, from the ``w:t`` elements."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    return [
        "".join(text.text or "" for text in paragraph.iter(f"{W}t"))
        for paragraph in root.iter(f"{W}p")
    ]


def docx_paragraphs(path: Path) -> list[str]:
    """The same paragraphs as python-docx sees them, tables walked cell by cell."""
    texts: list[str] = []
    for item in Document(str(path)).iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    texts.extend(paragraph.text for paragraph in cell.paragraphs)
        else:
            texts.append(item.text)
    return texts


def split_parts(paragraphs: list[str]) -> list[list[str]]:
    """Return parts 一, 二 and 三, each from its heading to the next (the last to the end)."""
    starts = [i for i, text in enumerate(paragraphs) if re.match(r"[一二三]、", text)]
    assert [paragraphs[i][0] for i in starts] == ["一", "二", "三"]
    return [
        paragraphs[starts[0] : starts[1]],
        paragraphs[starts[1] : starts[2]],
        paragraphs[starts[2] :],
    ]


def numbered(paragraphs: list[str]) -> set[str]:
    return {match for text in paragraphs for match in NUMBERED.findall(text)}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[DemoOrg, Path]]:
    orgs = demo_orgs()
    paths = write_reports(orgs, tmp_path_factory.mktemp("reports") / "述职报告")
    return list(zip(orgs, paths, strict=True))


@pytest.fixture(scope="module")
def texts(written: list[tuple[DemoOrg, Path]]) -> dict[str, list[str]]:
    return {org.name: xml_paragraphs(path) for org, path in written}


def of_profile(written: list[tuple[DemoOrg, Path]], *profiles: str) -> list[DemoOrg]:
    orgs = [org for org, _ in written if org.profile in profiles]
    assert orgs
    return orgs


def test_one_file_per_org_named_and_ordered(written: list[tuple[DemoOrg, Path]]) -> None:
    assert len(written) == 21
    folder = written[0][1].parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for _, p in written)
    for org, path in written:
        assert path.name == f"{org.name}-{org.secretary}-2023年度抓基层党建述职报告.docx"
        assert path.name == report_file_name(org)
        assert path.is_file()


def test_order_follows_the_given_sequence(tmp_path: Path) -> None:
    orgs = demo_orgs()[::-4]
    paths = write_reports(orgs, tmp_path, year=2024)
    assert [p.name for p in paths] == [report_file_name(org, 2024) for org in orgs]
    assert write_reports([], tmp_path / "empty") == []


def test_python_docx_and_xml_walk_see_the_same_text(written: list[tuple[DemoOrg, Path]]) -> None:
    for _, path in written:
        assert docx_paragraphs(path) == xml_paragraphs(path)


@pytest.mark.parametrize("profile", PROFILES)
def test_total_words_in_intended_range(
    profile: str, written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    low, high = intended(profile)["words"]
    for org in of_profile(written, profile):
        assert low <= count_paragraphs(texts[org.name]) <= high, org.name


def test_compliant_reports_aim_at_1700_to_1900(
    written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    for org in of_profile(written, COMPLIANT, MISSING_TOPIC, TEMPLATE_RESIDUE):
        assert 1700 <= count_paragraphs(texts[org.name]) <= 1900, org.name


@pytest.mark.parametrize("profile", PROFILES)
def test_part_shares_in_intended_range(
    profile: str, written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    facts = intended(profile)
    for org in of_profile(written, profile):
        counts = [count_paragraphs(part) for part in split_parts(texts[org.name])]
        total = sum(counts)
        low, high = facts["practices_share"]
        assert low <= counts[0] / total <= high, (org.name, counts)
        low, high = facts["problems_share"]
        assert low <= counts[1] / total <= high, (org.name, counts)


@pytest.mark.parametrize("profile", FULL_STRUCTURE)
def test_full_structure(
    profile: str, written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    facts = intended(profile)
    for org in of_profile(written, profile):
        paragraphs = texts[org.name]
        whole = "\n".join(paragraphs)
        practices, problems, plans = split_parts(paragraphs)
        assert "根据会议安排，现就2023年度抓基层党建工作情况述职如下：" in paragraphs
        for aspect in ASPECTS:
            assert any(text.lstrip("（一二三四）").startswith(aspect) for text in practices)
        assert {"一", "二", "三"} <= numbered(problems), org.name
        assert {"一", "二", "三"} <= numbered(plans), org.name
        low, high = facts["problems"]
        assert low <= len(numbered(problems)) <= high
        low, high = facts["plans"]
        assert low <= len(numbered(plans)) <= high
        assert "究其原因" in "".join(problems)
        assert "我" in "".join(problems) or "本人" in "".join(problems)
        data_points = DATA_POINT.findall("\n".join(practices))
        assert len(data_points) >= facts["min_data_points"], org.name
        for topic in facts["topics"]:
            assert topic in whole


def test_both_mandatory_topics_where_intended(
    written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    for org, _ in written:
        whole = "".join(texts[org.name])
        assert TOPIC_ECONOMY in whole
        assert (TOPIC_SAFETY in whole) == (TOPIC_SAFETY in intended(org.profile)["topics"])


def test_missing_topic_never_touches_safety(
    written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    for org in of_profile(written, MISSING_TOPIC):
        whole = "".join(texts[org.name])
        assert TOPIC_SAFETY not in whole
        assert "风险" not in whole
        assert "安全" not in whole


def test_template_residue_only_where_intended(
    written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    for org, _ in written:
        paragraphs = texts[org.name]
        whole = "\n".join(paragraphs)
        residue = intended(org.profile)["template_residue"]
        assert ("XX" in whole) == residue, org.name
        assert ("（主要包括" in whole) == residue, org.name
        assert ("一是......................" in paragraphs) == residue, org.name
        assert ("XX书记" in paragraphs) == residue, org.name
        if not residue:
            assert org.secretary in whole


def test_thin_problems(written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]) -> None:
    facts = intended(THIN_PROBLEMS)
    for org in of_profile(written, THIN_PROBLEMS):
        practices, problems, plans = split_parts(texts[org.name])
        assert "究其原因" not in "".join(problems)
        assert len(numbered(problems)) <= facts["problems"][1]
        assert count_paragraphs(problems) < 0.10 * count_paragraphs(texts[org.name])
        assert {"一", "二", "三"} <= numbered(plans)
        assert count_paragraphs(plans) < count_paragraphs(practices) / 8


def test_a_table_of_figures_exists(written: list[tuple[DemoOrg, Path]]) -> None:
    with_tables = []
    for org, path in written:
        tables = Document(str(path)).tables
        with zipfile.ZipFile(path) as package:
            assert (b"<w:tbl>" in package.read("word/document.xml")) == bool(tables)
        if tables:
            with_tables.append(org.name)
            cells = [cell.text for row in tables[0].rows for cell in row.cells]
            assert "开展党课" in cells
            assert any(DATA_POINT.fullmatch(text) for text in cells)
    assert with_tables


def test_forms_vary(written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]) -> None:
    heads = {text for paragraphs in texts.values() for text in paragraphs if text[:2] == "一、"}
    assert {"一、主要做法和成效", "一、主要做法及成效"} <= heads
    joined = ["\n".join(paragraphs) for paragraphs in texts.values()]
    # Aspect headings run into their text, and headings without （一）.
    assert any(re.search(r"^（一）加强政治建设(方面)?。.", text, re.M) for text in joined)
    assert any(re.search(r"^加强政治建设(方面)?$", text, re.M) for text in joined)
    styled = [Document(str(path)).paragraphs for _, path in written]
    uses_heading_styles = [
        any(p.style is not None and p.style.name == "Heading 1" for p in paragraphs)
        for paragraphs in styled
    ]
    assert any(uses_heading_styles)
    assert not all(uses_heading_styles)


def test_every_report_differs(texts: dict[str, list[str]]) -> None:
    assert len({"\n".join(paragraphs) for paragraphs in texts.values()}) == 21
    practices = [tuple(split_parts(paragraphs)[0][1:]) for paragraphs in texts.values()]
    assert len(set(practices)) == 21


def test_deterministic(tmp_path: Path, written: list[tuple[DemoOrg, Path]]) -> None:
    again = write_reports([org for org, _ in written], tmp_path)
    for (_, first), second in zip(written, again, strict=True):
        with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
            assert a.namelist() == b.namelist()
            for name in a.namelist():
                assert a.read(name) == b.read(name), (first.name, name)


def test_fast(tmp_path: Path) -> None:
    orgs = demo_orgs()
    write_reports(orgs[:1], tmp_path / "warm")  # the styled prototypes are built once
    start = time.perf_counter()
    write_reports(orgs, tmp_path)
    # About 0.2 s on a laptop; the bound only catches a pathological slowdown.
    assert time.perf_counter() - start < 3.0


def test_intended_facts() -> None:
    assert set(VIOLATIONS) == set(PROFILES)
    assert intended(COMPLIANT)["violates"] == frozenset()
    assert intended(TOO_SHORT)["violates"] == {RULE_WORDS}
    assert intended(MISSING_TOPIC)["topics"] == (TOPIC_ECONOMY,)
    for profile in PROFILES:
        facts = intended(profile)
        assert facts["violates"] == VIOLATIONS[profile]
        if profile != COMPLIANT:
            assert facts["violates"]
        low, high = facts["words"]
        assert (low >= 1500 and high <= 2000) == (RULE_WORDS not in facts["violates"])
    facts = intended(COMPLIANT)
    facts["words"] = (0, 0)  # a copy: callers cannot corrupt the table
    assert intended(COMPLIANT)["words"] == (1500, 2000)
    with pytest.raises(ValueError, match="未知"):
        intended("no_such_profile")
