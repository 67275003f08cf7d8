"""The demo's 21 述职报告: files, text as Word sees it, and what the checker finds in them."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.table import Table

from tongjia_xls.actions.check import check_reports
from tongjia_xls.demo import phrases_practices, phrases_problems
from tongjia_xls.demo.compose import compose
from tongjia_xls.demo.docx_writer import render
from tongjia_xls.demo.facts import short_tenure
from tongjia_xls.demo.reports import (
    PLANTED_COPY,
    RULE_SHORT_TENURE,
    RULE_SIMILARITY,
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
from tongjia_xls.demo.variants import SERIALS_PER_YEAR, combinations
from tongjia_xls.demo.workspace import make_demo
from tongjia_xls.reports.analysis import Analysis, analyze
from tongjia_xls.reports.count import count_paragraphs
from tongjia_xls.reports.rules import RULES, Context
from tongjia_xls.reports.similarity import find_similar, summarize
from tongjia_xls.reports.structure import PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import Settings
from tongjia_xls.word.extract import extract

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ASPECTS = ("加强政治建设", "服务保障中心大局", "推进基层党建工作重点任务落实", "落实责任")
# 一是、二是… at the start of a paragraph or a sentence.
NUMBERED = re.compile(r"(?:^|[。：；])([一二三四五六七八九十])是")
# A concrete figure: 12次, 3名, 27.8万元, 95%.
DATA_POINT = re.compile(
    r"\d+(?:\.\d+)?(?:%|万元|次|名|个|件|户次|户|亩|公里|处|场次|人次|支|项|份|条)"
)


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


def check_all(written: list[tuple[DemoOrg, Path]]) -> dict[str, Analysis]:
    """Extract and analyse every report as the checker does, similarity across all of them."""
    settings = Settings()
    reports = {org.name: extract(path) for org, path in written}
    similar = summarize(find_similar({name: r.text for name, r in reports.items()}))
    return {
        org.name: analyze(reports[org.name], Context(
            settings, appointed=org.appointed, similar=tuple(similar.get(org.name, ()))))
        for org, _ in written
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[DemoOrg, Path]]:
    orgs = demo_orgs()
    paths = write_reports(orgs, tmp_path_factory.mktemp("reports") / "述职报告")
    return list(zip(orgs, paths, strict=True))


@pytest.fixture(scope="module")
def texts(written: list[tuple[DemoOrg, Path]]) -> dict[str, list[str]]:
    return {org.name: xml_paragraphs(path) for org, path in written}


@pytest.fixture(scope="module")
def analyses(written: list[tuple[DemoOrg, Path]]) -> dict[str, Analysis]:
    return check_all(written)


def of_profile(written: list[tuple[DemoOrg, Path]], *profiles: str) -> list[DemoOrg]:
    orgs = [org for org, _ in written if org.profile in profiles]
    assert orgs
    return orgs


# --- the acceptance test: the checker finds exactly what each profile intends -------------


def test_checker_finds_exactly_the_intended_rules(
    written: list[tuple[DemoOrg, Path]], analyses: dict[str, Analysis]
) -> None:
    found = {org.name: {f.rule for f in analyses[org.name].findings} for org, _ in written}
    expected = {org.name: set(VIOLATIONS[org.profile]) for org, _ in written}
    assert found == expected


def test_the_workbook_check_finds_the_same(tmp_path: Path) -> None:
    # tongjia-xls demo, then check: the roster's 任职日期, last year's rectification items
    # on the 整改台账 and similarity across the folder, all from the demo workbook.
    outcome = check_reports(make_demo(tmp_path).workbook)
    found = {org: {f.rule for f in a.findings} for org, a in outcome.analyses.items()}
    assert found == {org.name: set(VIOLATIONS[org.profile]) for org in demo_orgs()}


def test_the_planted_copy_is_the_only_shared_passage(
    texts: dict[str, list[str]], analyses: dict[str, Analysis]
) -> None:
    assert PLANTED_COPY is not None
    copier, source = PLANTED_COPY
    orgs = {org.name: org for org in demo_orgs()}
    assert orgs[copier].profile == orgs[source].profile == TEMPLATE_RESIDUE
    matches = find_similar({name: "\n".join(paragraphs) for name, paragraphs in texts.items()})
    assert {(m.org, m.other_org) for m in matches} == {tuple(sorted(PLANTED_COPY))}
    assert len(matches) == 3  # a paragraph of three sentences, village and figures changed
    assert all(m.score == 1.0 and m.text != m.other_text for m in matches)
    for name, other in ((copier, source), (source, copier)):
        (finding,) = [f for f in analyses[name].findings if f.rule == RULE_SIMILARITY]
        assert f"“{other}”" in finding.message and "3 句" in finding.message


def test_next_year_reports_are_not_last_years_again(
    tmp_path: Path, texts: dict[str, list[str]]
) -> None:
    orgs = demo_orgs()
    paths = write_reports(orgs, tmp_path, year=2024)
    this_year = {org.name: extract(path).text for org, path in zip(orgs, paths, strict=True)}
    last_year = {name: "\n".join(paragraphs) for name, paragraphs in texts.items()}
    assert all(this_year[name] != last_year[name] for name in last_year)
    matches = find_similar(this_year, last_year=last_year)
    assert not [m for m in matches if m.last_year]
    # Among themselves, the 2024 reports share only the planted copy again.
    assert {(m.org, m.other_org) for m in matches} == {tuple(sorted(PLANTED_COPY or ()))}


@pytest.mark.parametrize("profile", PROFILES)
def test_measures_in_intended_ranges(
    profile: str, written: list[tuple[DemoOrg, Path]], analyses: dict[str, Analysis]
) -> None:
    facts = intended(profile)
    for org in of_profile(written, profile):
        m = analyses[org.name].measures
        assert m is not None
        practices, rest = m.share(PRACTICES), m.share(PROBLEMS, PLANS)
        assert practices is not None and rest is not None
        low, high = facts["words"]
        assert low <= m.words <= high, (org.name, m.words)
        low, high = facts["practices_share"]
        assert low <= practices <= high, (org.name, practices)
        low, high = facts["problems_plans_share"]
        assert low <= rest <= high, (org.name, rest)
        low, high = facts["problems"]
        assert low <= len(m.problems) <= high, org.name
        low, high = facts["plans"]
        assert low <= len(m.plans) <= high, org.name
        assert len(m.data_points) >= facts["min_data_points"], org.name
        assert (m.causes is not None) == facts["cause_analysis"], org.name
        assert (m.first_person > 0) == facts["first_person"], org.name
        assert bool(m.prior_year) == facts["prior_year"], org.name
        if facts["research"] is False:
            assert not m.research, org.name


def test_short_tenure_is_what_the_profiles_say(
    tmp_path: Path, written: list[tuple[DemoOrg, Path]]
) -> None:
    # The roster's new secretaries are exactly its thin_problems ones, which is why
    # VIOLATIONS[THIN_PROBLEMS] holds short_tenure.
    assert RULE_SHORT_TENURE in VIOLATIONS[THIN_PROBLEMS]
    assert {org.name for org, _ in written if short_tenure(org, 2023)} == {
        org.name for org in of_profile(written, THIN_PROBLEMS)
    }
    assert not short_tenure(of_profile(written, THIN_PROBLEMS)[0], 2024)
    # A new secretary of any other profile reports research and measures (三、7).
    for org in of_profile(written, COMPLIANT, TOO_SHORT)[:2]:
        newcomer = replace(org, appointed=date(2023, 10, 8))
        path = tmp_path / report_file_name(newcomer)
        render(compose(newcomer, 2023), newcomer, 2023).save(str(path))
        analysis = analyze(extract(path), Context(Settings(), appointed=newcomer.appointed))
        assert analysis.measures is not None and analysis.measures.research
        assert RULE_SHORT_TENURE not in {f.rule for f in analysis.findings}


# --- the files and their text -------------------------------------------------------------


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


@pytest.mark.parametrize("profile", (COMPLIANT, TOO_SHORT, MISSING_TOPIC, TEMPLATE_RESIDUE))
def test_full_structure(
    profile: str, written: list[tuple[DemoOrg, Path]], texts: dict[str, list[str]]
) -> None:
    for org in of_profile(written, profile):
        paragraphs = texts[org.name]
        practices, problems, plans = split_parts(paragraphs)
        assert "根据会议安排，现就2023年度抓基层党建工作情况述职如下：" in paragraphs
        for aspect in ASPECTS:
            assert any(text.lstrip("（一二三四）").startswith(aspect) for text in practices)
        assert {"一", "二", "三"} <= numbered(problems), org.name
        assert {"一", "二", "三"} <= numbered(plans), org.name
        assert "究其原因" in "".join(problems)
        assert "我" in "".join(problems) or "本人" in "".join(problems)
        assert len(DATA_POINT.findall("\n".join(practices))) >= 5, org.name
        assert "上年度" in "".join(practices)


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
        for word in ("防风险", "保安全", "风险", "安全"):
            assert word not in whole


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
        assert "调研" not in "".join(texts[org.name])
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


def test_the_prototypes_built_once_serve_every_later_report(tmp_path: Path) -> None:
    # Timing is left to benchmarks/: here only that reusing the styled prototypes (built by
    # the first report) changes nothing a later report holds.
    orgs = demo_orgs()
    (warm,) = write_reports(orgs[:1], tmp_path / "warm")  # the styled prototypes are built
    paths = write_reports(orgs, tmp_path / "all")
    assert len(set(paths)) == len(orgs) and all(zipfile.is_zipfile(p) for p in paths)
    with zipfile.ZipFile(warm) as a, zipfile.ZipFile(paths[0]) as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(name) == b.read(name) for name in a.namelist())


# --- the phrase banks and the profiles' table ---------------------------------------------


def _templates() -> list[tuple[str, str]]:
    """Every (kind, template) of the banks that may give a sentence."""
    found: list[tuple[str, str]] = []
    for bank in (*phrases_practices.ASPECT_LEADS, phrases_practices.ECONOMY,
                 phrases_practices.SAFETY, *phrases_practices.ASPECT_BODIES,
                 phrases_problems.OBJECTIVE_CAUSES):
        found.extend(bank)
    found += [("", t) for t in (phrases_practices.PRIOR_YEAR, phrases_practices.RESEARCH,
                                phrases_problems.PROBLEM_INTRO, phrases_problems.CAUSE_OPENER,
                                *phrases_problems.CAUSES, *phrases_problems.PLAN_INTROS)]
    for kind, _, details in phrases_problems.PROBLEMS + phrases_problems.PLANS:
        found.extend((kind, detail) for detail in details)
    return found


def test_long_sentences_have_a_combination_for_every_report() -> None:
    # A sentence the similarity check compares (30 characters or more) must come in at
    # least one combination per report of two years running; 社区 templates serve only
    # the roster's two communities. Fixed sentences stay under 30 characters.
    def longest(group: re.Match[str]) -> str:
        return max(group.group(1).split("|"), key=len)

    for kind, template in _templates():
        text = re.sub(r"\{\w+\}", "00", re.sub(r"\[([^\]]*)\]", longest, template))
        if len(re.sub(r"\W", "", text)) >= 30 and kind != "社区":
            assert combinations(template) >= 2 * SERIALS_PER_YEAR, template[:30]


def test_intended_facts() -> None:
    assert set(VIOLATIONS) == set(PROFILES)
    assert all(rule in RULES for rules in VIOLATIONS.values() for rule in rules)
    assert intended(COMPLIANT)["violates"] == frozenset()
    assert intended(TOO_SHORT)["violates"] == {RULE_WORDS}
    assert intended(MISSING_TOPIC)["topics"] == (TOPIC_ECONOMY,)
    assert RULE_SIMILARITY in intended(TEMPLATE_RESIDUE)["violates"]
    for profile in PROFILES:
        facts = intended(profile)
        assert facts["violates"] == VIOLATIONS[profile]
        if profile != COMPLIANT:
            assert facts["violates"]
        low, high = facts["words"]
        assert (low >= 1500 and high <= 2000) == (RULE_WORDS not in facts["violates"])
    facts = intended(COMPLIANT)
    facts["words"] = (0, 0)  # a copy: callers cannot corrupt the table
    assert intended(COMPLIANT)["words"] == (1650, 1950)
    with pytest.raises(ValueError, match="未知"):
        intended("no_such_profile")
