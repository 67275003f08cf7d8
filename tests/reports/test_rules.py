"""Each rule with a report that passes and one that fails, built in the test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from helpers import report_lines, report_text
from tongjia_xls.errors import Severity
from tongjia_xls.reports.analysis import NEEDS_WORK, PASSED, analyze
from tongjia_xls.reports.rules import RULES, Context
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings


def _rules(lines: list[str], context: Context | None = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in analyze(report_text(lines), context).findings:
        found.setdefault(finding.rule, []).append(finding.message)
    return found


def test_the_built_report_passes_every_rule() -> None:
    analysis = analyze(report_text(report_lines()))
    assert analysis.findings == []
    assert analysis.verdict == PASSED


def _without(lines: list[str], heading: str) -> list[str]:
    return [line for line in lines if line != heading]


def _replace(lines: list[str], old: str, new: str) -> list[str]:
    return [line.replace(old, new) for line in lines]


FAILING = [
    ("words", report_lines(practices=700, problems=250, plans=150), "少于 1500 字的下限"),
    ("words", report_lines(practices=1600, problems=500, plans=300), "超过 2000 字的上限"),
    ("shares", report_lines(practices=1350, problems=300, plans=150), "要求 65.0%—70.0%"),
    ("problems_third", report_lines(practices=1400, problems=250, plans=120), "少于 33.3%"),
    ("parts", _without(report_lines(), "三、下步工作打算"), "没有找到第三部分“下步工作打算”"),
    ("aspects",
     _replace(report_lines(), "（四）落实责任方面。本人履行第一责任人职责，", "（四）其他方面。"),
     "落实责任方面"),
    ("items", report_lines(skip=("problems",)), "问题有 0 条"),
    ("causes", report_lines(skip=("causes",)), "没有原因分析"),
    ("topics", report_lines(skip=("safety",)), "必答题“防风险保安全”"),
    ("self", _replace(_replace(report_lines(), "我", "村里"), "本人", "班子"), "第一人称"),
    ("prior_year", _replace(report_lines(), "上年度查摆", "今年发现"), "上年度"),
    ("template_residue", report_lines(extra={"problems": "一是......................"}),
     "省略号占位"),
    ("template_residue", _replace(report_lines(), "2023年度抓基层", "XX书记抓基层"), "占位符"),
    ("year", _replace(report_lines(), "2023年度抓基层", "2022年度抓基层"), "2022年度"),
]


@pytest.mark.parametrize(("rule", "lines", "message"), FAILING,
                         ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(FAILING)])
def test_each_rule_catches_its_failure(rule: str, lines: list[str], message: str) -> None:
    found = _rules(lines)
    assert rule in found, found
    assert any(message in m for m in found[rule]), found[rule]


def test_data_rule_counts_figures_and_ignores_party_phrases() -> None:
    lines = _replace(report_lines(), "我带头开展党课12次，组织主题教育集中学习20次。",
                     "坚定拥护“两个确立”、做到“两个维护”，落实“三会一课”。")
    context = Context(replace(Settings(), data_points_min=6))
    assert "只有 5 个具体数据" in _rules(lines, context)["data"][0]


def test_problems_third_follows_the_basis_the_town_chose() -> None:
    lines = report_lines()
    assert "problems_third" not in _rules(lines)
    alone = Context(replace(Settings(), problems_share_basis=SHARE_BASIS_PART_TWO))
    assert "口径：第二部分单独" in _rules(lines, alone)["problems_third"][0]


def test_short_tenure_asks_for_research_and_measures() -> None:
    lines = _replace(report_lines(), "思路不宽", "办法不多")
    context = Context(appointed=date(2023, 9, 1))
    assert "不满 6 个月" in _rules(lines, context)["short_tenure"][0]
    assert "short_tenure" not in _rules(lines, Context(appointed=date(2020, 1, 1)))
    researched = report_lines(extra={"practices": "到任后我走访调研了40户，提出三条思路举措。"})
    assert "short_tenure" not in _rules(researched, context)


def test_prior_year_items_are_named_one_by_one() -> None:
    context = Context(prior_items=("发展党员青年比例偏低", "联系群众不够紧密"))
    found = _rules(report_lines(), context)["prior_year"]
    assert found == ["没有说明上年度整改事项“发展党员青年比例偏低”的整改情况"]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_can_be_switched_off_by_id_or_name(rule_id: str) -> None:
    assert RULES[rule_id].clause and RULES[rule_id].name
    everything_wrong = report_lines(practices=300, problems=30, plans=20,
                                    skip=("safety", "causes", "problems"),
                                    title="2022年度XX书记述职报告")
    for switch in (rule_id, RULES[rule_id].name):
        context = Context(replace(Settings(), disabled_rules=(switch,)))
        assert rule_id not in _rules(everything_wrong, context)


def test_verdict_is_needs_work_on_any_error() -> None:
    analysis = analyze(report_text(report_lines(skip=("safety",))))
    assert analysis.verdict == NEEDS_WORK
    assert {f.severity for f in analysis.findings} == {Severity.ERROR}


def test_similar_passages_give_one_finding_per_other_report() -> None:
    from tongjia_xls.reports.similarity import find_similar, summarize

    copied = "我们组织党员志愿者开展人居环境整治，清理沟渠垃圾，改善群众生活环境，群众普遍点赞。"
    mine = report_lines(extra={"practices": copied + "另外新修便民桥一座，方便群众出行往来。"})
    theirs = report_lines(extra={"practices": copied})
    matches = summarize(find_similar({"甲村": "\n".join(mine), "乙村": "\n".join(theirs),
                                      "丙村": "天气很好。"}))
    found = _rules(mine, Context(similar=tuple(matches["甲村"])))["similarity"]
    assert len(found) == 1 and "“乙村”的报告" in found[0]


def test_the_settings_note_names_every_rule_staff_can_switch_off() -> None:
    from tongjia_xls.settings import setting_specs

    note = next(s.note for s in setting_specs() if s.name == "disabled_rules")
    assert all(r.name in note for r in RULES.values())
