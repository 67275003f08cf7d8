"""Drafting ledger items from parts 二 and 三 of a report, and never drafting them twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.demo.compose import compose
from tongjia_xls.demo.report_model import Para as DemoPara
from tongjia_xls.demo.roster import DemoOrg, demo_orgs
from tongjia_xls.rectification.drafts import (
    draft_items,
    draft_key,
    new_drafts,
    with_keys,
)
from tongjia_xls.rectification.ledger import Item
from tongjia_xls.rectification.text import first_sentence
from tongjia_xls.reports.items import Item as ReportItem
from tongjia_xls.reports.items import clean_item, strip_marker
from tongjia_xls.reports.measure import measure
from tongjia_xls.reports.model import Para, ReportText
from tongjia_xls.settings import Settings

ORG = "青杠湾村"
PROBLEMS = [
    "一是理论学习还不够深入。我在学习上存在“以干代学”的思想，对党的二十大精神学得不够系统。",
    "二是组织生活质量不够高。党小组会有时开成了“通知会”，党员参与热情不高。",
    "三是带领群众发展集体经济的办法不多。",
]
PLANS = [
    "一是壮大村集体经济。依托花椒专业合作社，建设初加工车间1个。",
    "二是提升组织生活质量。规范落实“三会一课”制度。",
    "三是加强理论学习。每月至少组织1次集中学习。",
]


@pytest.mark.parametrize(
    "variant",
    [
        "理论学习还不够深入",
        "一是理论学习还不够深入。",
        "二是 理论学习，还不够深入！",
        "1. 理论学习还不够深入",
        "１．理论学习还不够深入；",
        "12、理论学习还不够深入",
        "（一）理论学习还不够深入",
        "(3) 理论学习 还不够 深入",
        "第一，理论学习还不够深入",
        "一、理论学习还不够深入……",
        "  理论学习\u3000还不够深入\n",
    ],
)
def test_key_ignores_markers_spaces_and_punctuation(variant: str) -> None:
    assert draft_key(ORG, variant) == draft_key(ORG, "理论学习还不够深入")


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (("青杠湾村", "党员发展3名"), ("青杠湾村", "党员发展4名"), True),  # figures do not count
        ((" 青杠湾村 ", "党员发展"), ("青杠湾村", "党员发展"), True),
        (("青杠湾村", "党员发展"), ("松林坪村", "党员发展"), False),
        (("青杠湾村", "党员发展不够"), ("青杠湾村", "党员教育不够"), False),
        (("青杠湾村", "第一书记作用发挥不够"), ("青杠湾村", "书记作用发挥不够"), False),
    ],
)
def test_key_tells_organizations_and_problems_apart(
    left: tuple[str, str], right: tuple[str, str], same: bool
) -> None:
    assert (draft_key(*left) == draft_key(*right)) is same


def test_key_is_ten_hex_digits_and_never_changes() -> None:
    # Keys are stored in workbooks (草稿码): a change here would re-draft every old row.
    key = draft_key(ORG, "理论学习还不够深入")
    assert re.fullmatch(r"[0-9a-f]{10}", key)
    assert key == "77806ae4af"


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("一是理论学习还不够深入。", "理论学习还不够深入"),
        ("（一）（1）组织生活，质量不高；", "组织生活，质量不高"),
        ("第二、党员队伍老化", "党员队伍老化"),
        ("3）党员队伍老化", "党员队伍老化"),
        ("2024年发展党员2名。", "2024年发展党员2名"),  # a year is no marker
        ("12.5万元收入未达标", "12.5万元收入未达标"),
        ("一些党员意识淡薄", "一些党员意识淡薄"),
    ],
)
def test_clean_item(text: str, bare: str) -> None:
    assert clean_item(text) == bare


def test_strip_marker_keeps_full_width_punctuation() -> None:
    assert strip_marker("一是学习不深，效果（一般）") == "学习不深，效果（一般）"


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("理论学习还不够深入。我在学习上……", "理论学习还不够深入"),
        ("理论学习还不够深入", "理论学习还不够深入"),
        ("。开头就是句号", "。开头就是句号"),
    ],
)
def test_first_sentence(text: str, head: str) -> None:
    assert first_sentence(text) == head


def test_one_draft_per_problem_with_its_matching_plan() -> None:
    drafts = draft_items(ORG, "张三", PROBLEMS, PLANS)
    items = [item for _, item in drafts]
    assert [i.problem for i in items] == [
        "理论学习还不够深入。我在学习上存在“以干代学”的思想，对党的二十大精神学得不够系统",
        "组织生活质量不够高。党小组会有时开成了“通知会”，党员参与热情不高",
        "带领群众发展集体经济的办法不多",
    ]
    # Matched by overlap, not by position: the plans are listed in another order.
    assert [i.measure for i in items] == [
        "加强理论学习。每月至少组织1次集中学习",
        "提升组织生活质量。规范落实“三会一课”制度",
        "壮大村集体经济。依托花椒专业合作社，建设初加工车间1个",
    ]
    assert all(i.org == ORG and i.owner == "张三" for i in items)
    assert all(i.source == "自身查摆" and i.status == "未开始" for i in items)
    assert all(i.deadline is None and i.done_on is None for i in items)
    assert [key for key, _ in drafts] == [draft_key(ORG, i.problem) for i in items]


@pytest.mark.parametrize(
    ("problems", "plans", "measures"),
    [
        # No overlap worth the name: no measure, whatever the positions (plans do not
        # follow the problems' order).
        (["一是阵地建设滞后", "二是台账不规范"], ["一是新建活动室", "二是专人管理资料"],
         [None, None]),
        # A plan answers the problem it names, wherever it stands.
        (["一是阵地建设滞后", "二是台账不规范"], ["一是规范台账管理", "二是加强阵地建设"],
         ["加强阵地建设", "规范台账管理"]),
        (["一是阵地建设滞后", "二是台账不规范"], ["一是加强阵地建设"], ["加强阵地建设", None]),
        ([" 一是阵地建设滞后"], [], [None]),
        # An empty plan is no measure.
        (["一是阵地建设滞后"], ["一是"], [None]),
    ],
)
def test_plan_fallbacks(problems: list[str], plans: list[str],
                        measures: list[str | None]) -> None:
    drafted = draft_items(ORG, "张三", problems, plans)
    assert [item.measure for _, item in drafted] == measures


def test_long_problems_are_cut_to_their_first_sentence() -> None:
    details = "本人对党建工作亲自过问不够，研究党建工作的时间不够多。" * 3
    long = "一是履行第一责任人职责还有差距。" + details
    assert len(clean_item(long)) > 80
    (_, item), = draft_items(ORG, "张三", [long], [])
    assert item.problem == "履行第一责任人职责还有差距"


def test_cause_analysis_after_the_last_problem_is_left_out() -> None:
    text = "三是联系服务群众还不够紧密。以上问题究其原因，主要在于本人宗旨意识不强。"
    (_, item), = draft_items(ORG, "张三", [text], [])
    assert item.problem == "联系服务群众还不够紧密"


def test_checker_items_empty_problems_owner_and_source() -> None:
    problems = [ReportItem("一", "一是阵地建设滞后。"), ReportItem("二", "二是。"), "  "]
    drafted = draft_items(ORG, "  ", problems, [ReportItem("一", "一是加强阵地建设")],
                          source="会议点评")
    assert [(i.problem, i.measure, i.owner, i.source) for _, i in drafted] == [
        ("阵地建设滞后", "加强阵地建设", None, "会议点评"),
    ]
    with pytest.raises(ValueError, match="source"):
        draft_items(ORG, "张三", problems, [], source="自查")


def test_drafting_twice_adds_nothing() -> None:
    first = draft_items(ORG, "张三", PROBLEMS, PLANS)
    ledger = new_drafts([], first)
    assert ledger == first
    # The report re-submitted with other numbering, spacing and punctuation.
    resubmitted = [re.sub(r"^.是", "", p).replace("，", " ") for p in PROBLEMS]
    again = draft_items(ORG, "张三", resubmitted, PLANS)
    assert new_drafts([key for key, _ in ledger], again) == []
    # A problem staff have not seen yet is the only one added.
    more = draft_items(ORG, "张三", [*PROBLEMS, "四是党员队伍结构不够优化"], PLANS)
    (_, added), = new_drafts([f" {key} " for key, _ in ledger], more)
    assert added.problem == "党员队伍结构不够优化"


def test_new_drafts_drops_repeats_within_one_batch() -> None:
    drafts = draft_items(ORG, "张三", ["一是台账不规范", "二是台账不规范。"], [])
    assert len(drafts) == 2
    assert len(new_drafts([], drafts)) == 1


def test_with_keys_gives_imported_items_their_draft_key() -> None:
    item = Item(ORG, "台账不规范")
    assert with_keys([item]) == [(draft_key(ORG, "二是台账不规范。"), item)]


@pytest.mark.parametrize("org", demo_orgs()[:6], ids=lambda org: org.name)
def test_drafting_from_a_demo_report_gives_one_row_per_listed_problem(org: DemoOrg) -> None:
    report = compose(org, 2023)
    paragraphs = tuple(Para(b.text) for _, b in report.blocks if isinstance(b, DemoPara))
    measures = measure(ReportText(Path("述职报告.docx"), paragraphs), Settings())
    drafts = draft_items(org.name, org.secretary, measures.problems, measures.plans)
    assert len(drafts) == len(measures.problems) > 0
    assert new_drafts([], drafts) == drafts
    again = draft_items(org.name, org.secretary, measures.problems, measures.plans)
    assert new_drafts([key for key, _ in drafts], again) == []


# --- properties ------------------------------------------------------------------------

# Text made of characters that can never form an item marker (no numerals, no 第/是),
# so that inserting spaces or punctuation cannot turn part of it into one.
_BODY = st.text(alphabet="党员组织生活学习教育管理不够规范深入村集体经济发展群众服务abcXYZ",
                min_size=1, max_size=40)
_NOISE = st.lists(st.sampled_from([" ", "\u3000", "，", "。", "；", "、", ",", ".", "！", "…",
                                   "“", "”", "\n", "\t"]), max_size=4)
_MARKERS = st.sampled_from(["", "一是", "十二是", "1.", "２、", "（三）", "(4)", "第五，",
                            "六、", "7)"])
_TEXTS = st.lists(st.text(min_size=0, max_size=30), max_size=6)


@st.composite
def _perturbed(draw: st.DrawFn) -> tuple[str, str]:
    body = draw(_BODY)
    chars = list(body)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, "".join(draw(_NOISE)))
    noisy = draw(_MARKERS) + "".join(draw(_NOISE)) + "".join(chars) + "".join(draw(_NOISE))
    return body, noisy


@given(_perturbed())
def test_keys_are_stable_under_spacing_punctuation_and_markers(pair: tuple[str, str]) -> None:
    body, noisy = pair
    assert draft_key(ORG, noisy) == draft_key(ORG, body)


@given(_TEXTS, _TEXTS, st.sampled_from(["自身查摆", "会议点评"]))
def test_drafting_twice_never_adds_anything(
    problems: list[str], plans: list[str], source: str
) -> None:
    drafts = draft_items(ORG, "张三", problems, plans, source=source)
    assert new_drafts([key for key, _ in drafts], drafts) == []
    ledger = new_drafts([], drafts)
    assert len({key for key, _ in ledger}) == len(ledger)
    again = draft_items(ORG, "张三", problems, plans, source=source)
    assert new_drafts([key for key, _ in ledger], again) == []
    assert all(item.problem and item.problem == item.problem.strip() for _, item in drafts)
