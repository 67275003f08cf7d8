"""必答题 in substance: distinct words of the work, a word inside a longer one counted once."""

from __future__ import annotations

import pytest

from tongjia_xls.reports.measure import EXPLICIT, NONE, SUBSTANCE, compact, topic_level
from tongjia_xls.settings import Settings

SETTINGS = Settings()
SAFETY = (SETTINGS.safety_words, SETTINGS.safety_substance_words)


@pytest.mark.parametrize(("text", "level"), [
    ("组织党员开展森林防火宣传1次。", NONE),  # 防火 is inside 森林防火: one word, not two
    ("组织党员开展森林防火宣传1次，汛期前排查地灾点3处。", SUBSTANCE),
    ("开展防火宣传，做好防汛准备。", SUBSTANCE),
    ("落实防返贫监测，返贫风险户全部清零。", SUBSTANCE),  # 返贫 also stands on its own
    ("落实防返贫监测2户。", NONE),
    ("扎实做好防风险保安全工作。", EXPLICIT),
])
def test_a_word_inside_a_longer_word_of_the_lexicon_is_one_mention(text: str, level: str
                                                                    ) -> None:
    assert topic_level(compact(text), *SAFETY, SETTINGS)[0] == level
