"""评价意见 drafts through the real actions: from the workbook's evidence to 评分 and Word."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

from helpers import ORG_NAMES, SECRETARIES
from tongjia_xls.actions import score_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.forms.opinion import NO_OPINION, opinion_paragraphs
from tongjia_xls.sheets.schema import RECTIFICATION, REPORTS, SCORES

NAMED = dict(zip(ORG_NAMES, SECRETARIES, strict=True))
#: 南华路社区 (the last) gets no score and no report: a new town's organization without data.
SCORED = ORG_NAMES[:-1]
EMPTY = ORG_NAMES[-1]


def _prepare(path: Path) -> None:
    book = Workbook.open(path)
    scores = {org: {"routine": 95 - 3 * i, "field": 94 - 3 * i, "onsite": 99 - 4 * i,
                    "secretary": None}  # as on a first run: 评分's 述职人 not yet copied
              for i, org in enumerate(SCORED)}
    book.update(SCORES, scores, include_staff=True)
    book.update(REPORTS, {"青杠湾村": {"words": 1800, "data_points": 38, "topic_economy": "✓",
                                     "topic_safety": "✓", "problems_listed": 4,
                                     "verdict": "合格"}})
    book.append(RECTIFICATION, [{"org": "松林坪村", "source": "上年度",
                                 "problem": "村级活动阵地建设滞后", "status": "整改中"}])
    book.save()


def _scores(path: Path) -> dict[str, dict[str, object]]:
    return {r["org"]: r.values for r in Workbook.open(path).read(SCORES)}


def test_drafts_name_the_secretary_follow_the_evidence_and_skip_an_org_without_data(
    book_path: Path,
) -> None:
    _prepare(book_path)
    score_workbook(book_path)
    scores = _scores(book_path)
    for org in SCORED:
        opinion = str(scores[org]["opinion"])
        assert opinion.startswith(f"{org}党组织书记{NAMED[org]}同志"), opinion
        assert len(opinion_paragraphs(opinion)) == 3
    top = str(scores["青杠湾村"]["opinion"])
    assert "现场述职得分99.00分" in top and "较好评价" not in top and "一般" not in top
    assert "数据说话不够" not in top and "不够具体" not in top
    assert "上年度" in opinion_paragraphs(str(scores["松林坪村"]["opinion"]))[1]
    assert scores[EMPTY]["opinion"] is None and scores[EMPTY]["opinion_mark"] is None
    assert "评价意见未生成：缺少综合得分" in str(scores[EMPTY]["grade_notes"])
    score_workbook(book_path)  # the same workbook gives the same drafts
    assert {o: s["opinion"] for o, s in _scores(book_path).items()} == \
        {o: s["opinion"] for o, s in scores.items()}


def test_a_draft_goes_when_its_data_goes_but_staffs_text_stays(book_path: Path) -> None:
    _prepare(book_path)
    score_workbook(book_path)
    book = Workbook.open(book_path)
    book.update(SCORES, {"金竹岭村": {"routine": None, "field": None, "onsite": None},
                         EMPTY: {"opinion": "党委研究后填写的意见。"}}, include_staff=True)
    book.save()
    score_workbook(book_path)
    scores = _scores(book_path)
    assert scores["金竹岭村"]["opinion"] is None  # last run's draft no longer has its data
    assert "评价意见未生成" in str(scores["金竹岭村"]["grade_notes"])
    assert scores[EMPTY]["opinion"] == "党委研究后填写的意见。"
    assert "评价意见未生成" not in str(scores[EMPTY]["grade_notes"] or "")


def test_the_draft_reaches_the_opinion_document(book_path: Path) -> None:
    _prepare(book_path)
    score_workbook(book_path)
    out = book_path.parent / "打印"
    result = CliRunner().invoke(main, ["forms", str(book_path), "--opinions", "--out", str(out)])
    assert result.exit_code == 0, result.output
    scores = _scores(book_path)
    for org in (*SCORED, EMPTY):
        path = out / "综合评价意见" / f"{org}-2023年度综合评价意见.docx"
        texts = [p.text for p in docx.Document(str(path)).paragraphs]
        wanted = opinion_paragraphs(scores[org]["opinion"]) or [NO_OPINION]  # type: ignore[arg-type]
        assert all(paragraph in texts for paragraph in wanted), org
