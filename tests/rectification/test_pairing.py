"""Which plan answers which problem: by content, never by position alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tongjia_xls.rectification.pairing import pair_plans
from tongjia_xls.word.extract import analyze_file

CORPUS = Path(__file__).parents[1] / "reports" / "corpus"
#: For each corpus report, the plan (by index among the checker's plans) a careful reader
#: takes to answer each problem; written by reading the reports, not the pairing's output.
READER_PAIRS = json.loads((Path(__file__).parent / "reader_pairs.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("problems", "plans", "expected"),
    [
        # Another order, numbered 1. 2. 3.: the details (网格员, 议事会, 企业) decide.
        (["1.社区网格员队伍不稳定，今年有3名网格员辞职，网格服务出现空档。",
          "2.居民议事会作用发挥不够，议题多由社区提出，居民参与度低。",
          "3.我对辖区企业党建指导不够，2家非公企业至今未建立党组织。"],
         ["1.推动非公企业党组织应建尽建，年内新建企业党支部2个。",
          "2.稳定网格员队伍，落实网格员补贴，建立以老带新机制。",
          "3.完善居民议事规则，每月召开一次居民议事会，议题由居民提出。"],
         [1, 2, 0]),
        # Fewer plans than problems: the unanswered ones stay unanswered.
        (["一是我学习不够主动。", "二是产业发展慢，核桃价格低。",
          "三是人居环境整治不彻底，部分农户房前屋后杂物乱堆。", "四是党员年龄偏大。"],
         ["一是大力发展核桃加工，提高核桃产业效益。",
          "二是开展人居环境整治“大比武”，每季度评选清洁户。"],
         [None, 0, 1, None]),
        # Plans on other subjects answer nothing, however they are numbered.
        (["一是集体经济收入低。", "二是党员老龄化。", "三是学习不够深入。"],
         ["一是抓好防汛。", "二是抓好森林防火。", "三是做好信访维稳。"],
         [None, None, None]),
        # The last plan left is not taken for the last problem when it is on another subject.
        (["一是集体经济收入来源单一。", "二是党员学习不够深入。"],
         ["一是拓宽集体经济增收渠道。", "二是做好防汛减灾工作。"],
         [0, None]),
        # ... but it is when the two share a telling word (茶).
        (["一是党员老化严重。", "二是茶叶只卖鲜叶和粗茶，价钱上不去。"],
         ["一是从返乡青年中发展党员，优化党员结构。", "二是合作社建一条小型制茶线。"],
         [0, 1]),
        # "针对……的问题，我将……": the plan names the problem it answers.
        (["第一，村务公开不及时。", "第二，矛盾纠纷化解不够及时，今年发生越级上访1起。"],
         ["针对矛盾纠纷化解不及时的问题，我将建立“院坝调解”机制，小事不出组。",
          "针对村务公开不及时的问题，我将每月25日前在公开栏和微信群公开村务财务。"],
         [1, 0]),
        # One plan may answer two problems, when it answers both far better than the rest.
        (["一是乡村旅游淡季冷，民宿经营困难。", "二是旅游公司收支公开不够细。",
          "三是党员作用发挥不平衡。"],
         ["一是开发冬季研学等淡季旅游项目，旅游公司每季度公开收支明细。",
          "二是给每名党员明确1个服务岗位，发挥党员作用。", "三是选拔培养年轻人才。"],
         [0, 0, 1]),
        ([], ["一是加强学习。"], []),
        (["一是学习不够。"], [], [None]),
    ],
)
def test_plans_are_paired_by_what_they_say(problems: list[str], plans: list[str],
                                           expected: list[int | None]) -> None:
    assert pair_plans(problems, plans) == expected


def test_a_tie_goes_to_the_plan_at_the_same_position() -> None:
    assert pair_plans(["一是党员教育不够。", "二是党员教育不够。"],
                      ["一是加强党员教育。", "二是加强党员教育。"]) == [0, 1]


def test_long_lists_are_paired_too() -> None:
    topics = ["核桃", "网格", "防汛", "茶叶", "柑橘", "民宿", "养老", "物业", "电商"]
    problems = [f"{n}是{t}工作滞后。" for n, t in zip("一二三四五六七八九", topics, strict=True)]
    plans = [f"{n}是抓好{t}。" for n, t in zip("一二三四五六七八九", reversed(topics),
                                                 strict=True)]
    assert pair_plans(problems, plans) == list(reversed(range(len(topics))))


def test_the_corpus_is_paired_as_its_reader_pairs_it() -> None:
    wrong = []
    for path in sorted((CORPUS / "docx").glob("*.docx")):
        measures = analyze_file(path, soffice=None).measures
        assert measures is not None, path.name
        got = pair_plans([i.text for i in measures.problems], [i.text for i in measures.plans])
        expected = READER_PAIRS[path.stem]
        wrong += [f"{path.stem} 问题{n + 1}: {g} ≠ {e}"
                  for n, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
    assert not wrong
