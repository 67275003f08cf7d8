"""Opening and closing formulas and stock sentences of Party documents are never copying."""

from __future__ import annotations

import unicodedata

import pytest

from tongjia_xls.reports.similarity import _BOILERPLATE, _DIGITS, _NON_WORD, NUMBER_MARK


def normalize(text: str) -> str:
    """Return a passage's key as the matcher makes it: no punctuation, digits as one mark."""
    return _DIGITS.sub(NUMBER_MARK, _NON_WORD.sub("", unicodedata.normalize("NFKC", text)))

FORMULAS = [
    "按照镇党委关于开展2023年度村（社区）党组织书记抓基层党建工作述职评议考核的统一安排和部署，"
    "现就本人2023年度履行基层党建工作第一责任人职责情况述职如下：",
    "以上述职，如有不妥之处，恳请各位领导和同志们批评指正，谢谢大家！",
    "述职不足之处，敬请各位领导、各位同志批评指正。",
    "全面从严治党永远在路上，我们将以更加饱满的热情投入到工作中去。",
    "以上述职，请予评议。",
]
COPYING = [
    "组织全村党员开展森林防火宣传12次，排查隐患点5处，整改完成率100%。",
    "村集体经济收入从8万元增加到15.6万元，新建蔬菜大棚30个。",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_on_the_stop_list(text: str) -> None:
    assert _BOILERPLATE.fullmatch(normalize(text))


@pytest.mark.parametrize("text", COPYING)
def test_a_sentence_of_real_work_is_not(text: str) -> None:
    assert not _BOILERPLATE.fullmatch(normalize(text))
