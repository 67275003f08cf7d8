"""Scoring: tally the ballots, combine the three scores, propose grades under the quota.

``score_workbook`` is what the 计算得分与等次 button and ``tongjia-xls score`` do. It never
touches 确定等次 (the committee's) and never overwrites a 评价意见 staff have edited. The
ballots' tally is :mod:`tongjia_xls.actions.ballots`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tongjia_xls.actions.ballots import read_ballots
from tongjia_xls.actions.stats_sheet import stats_layout
from tongjia_xls.actions.workbook import (
    Outcome,
    Progress,
    holds_workbook,
    open_book,
    path_of,
    validate_workbook,
)
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import Diagnostic, Severity
from tongjia_xls.scoring import (
    BallotFlag,
    Bands,
    Components,
    Composite,
    Counts,
    FinalCheck,
    Proposals,
    Quota,
    Rank,
    WeightsError,
    ballot_score,
    check_final,
    composite_scores,
    grade_score,
    propose_grades,
    rank,
)
from tongjia_xls.scoring.opinion import draft_opinions, fingerprint
from tongjia_xls.scoring.opinion_input import Ledger, OpinionInput, ledgers
from tongjia_xls.scoring.sensitivity import sensitivity
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import (
    ORGS,
    RECTIFICATION,
    REMARKS_HEADER,
    REPORTS,
    SCORES,
    STATS,
)
from tongjia_xls.sheets.table import Record, key_text


@dataclass
class ScoreOutcome(Outcome):
    """What scoring did: per organization its numbers, and the quota's state."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    quota: str = ""
    final: str = ""
    flags: list[BallotFlag] = field(default_factory=list)
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # org -> cells not read


@dataclass(frozen=True)
class _Graded:
    """One run's figures: the components, 综合得分, ranks, proposals and 确定等次 check."""

    components: list[Components]
    bad: dict[str, list[str]]  # org -> why it has no 综合得分 (unreadable cells)
    composites: dict[str, Composite]
    ranks: dict[str, Rank]
    bands: Bands
    quota: Quota
    vetoes: dict[str, Any]
    proposals: Proposals
    finals: dict[str, Any]
    final: FinalCheck


@holds_workbook
def score_workbook(
    book: Workbook | Path | str, *, progress: Progress | None = None
) -> ScoreOutcome:
    """Compute 测评得分, 综合得分, 排名, 建议等次, 等次分数 and draft opinions; fill 统计."""
    book = open_book(book)
    settings, _ = book.settings()
    orgs = [r for r in book.read(ORGS) if r.get("org")]
    names = [r["org"] for r in orgs]
    outcome = ScoreOutcome(path_of(book))
    ballots = read_ballots(book, names, settings)
    outcome.flags, outcome.unreadable = ballots.flags, ballots.unreadable
    outcome.diagnostics += ballots.diagnostics
    if progress:
        progress(1, 3, "计算得分与等次")
    by_org = {key_text(r["org"]): r for r in book.read(SCORES) if r.get("org")}
    graded = _grade(book, names, by_org, ballots.counts, settings, outcome)
    outcome.quota, outcome.final = graded.proposals.summary, graded.final.message
    reports = {key_text(r["org"]): r for r in book.read(REPORTS) if r.get("org")}
    if progress:
        progress(2, 3, "计算得分与等次")
    secretaries = {key_text(r["org"]): r.get("secretary") for r in orgs}
    ledger = ledgers(book.read(RECTIFICATION), key=key_text)
    rows, inputs = _score_rows(
        names, graded, by_org, reports, settings, secretaries, ledger, outcome
    )
    _opinions(rows, inputs, by_org)
    outcome.diagnostics += book.update(SCORES, rows, add_missing=True).diagnostics
    scenarios = sensitivity(graded.components, settings.weights, graded.bands, graded.quota,
                            graded.vetoes, alternative_onsite=ballots.clean_scores or None)
    _write_stats(book, settings, graded.composites, graded.proposals, graded.finals, reports,
                 names, [graded.proposals.summary, f"确定等次核对：{graded.final.message}"],
                 scenarios)
    if progress:
        progress(3, 3, "计算得分与等次")
    validated = validate_workbook(book)
    outcome.diagnostics += validated.diagnostics
    outcome.lines, outcome.backup = validated.lines, validated.backup
    outcome.saved = validated.saved
    return outcome


_EMPTY: dict[str, Any] = {}


def _component(record: Record | None, name: str) -> Any:
    return record.get(name) if record else None


def _grade(
    book: Workbook, names: list[str], by_org: Mapping[str, Record],
    counts: Mapping[str, Counts], settings: Settings, outcome: ScoreOutcome,
) -> _Graded:
    """Return the 综合得分, ranks and proposed grades, and check the committee's grades."""
    components, bad = _components(names, by_org, counts, settings, outcome.unreadable)
    composites = _composites(book, names, components, bad, settings, outcome)
    ranks = rank({org: c.score for org, c in composites.items()})
    bands = Bands(settings.good_min, settings.fairly_good_min, settings.average_min)
    quota = Quota(settings.quota_share, settings.quota_low_min)
    vetoes = {name: by_org[key_text(name)].get("veto") for name in names
              if key_text(name) in by_org and by_org[key_text(name)].get("veto")}
    proposals = propose_grades({o: c.score for o, c in composites.items()}, bands, quota, vetoes)
    finals = {name: (by_org.get(key_text(name)) or _EMPTY).get("final_grade") for name in names}
    final = check_final(finals, quota)
    return _Graded(components, bad, composites, ranks, bands, quota, vetoes, proposals, finals,
                   final)


def _components(
    names: list[str], by_org: Mapping[str, Record], counts: Mapping[str, Counts],
    settings: Settings, unreadable: Mapping[str, list[str]],
) -> tuple[list[Components], dict[str, list[str]]]:
    """Return each org's three scores and 测评得分, and the cells of them not read."""
    components = []
    bad: dict[str, list[str]] = {name: list(unreadable.get(name, ())) for name in names}
    for name in names:
        record = by_org.get(key_text(name))
        for field_name in _COMPONENTS:
            if record is not None and field_name in record.unreadable:
                header = SCORES.column(field_name).header
                bad[name].append(f"“{header}”（工作表“{SCORES.title}”第{record.row}行）无法识别")
        components.append(Components(
            name,
            record.get("routine") if record else None,
            record.get("field") if record else None,
            record.get("onsite") if record else None,
            ballot_score(counts[name], settings.grade_scores) if name in counts else None,
        ))
    return components, bad


def _composites(
    book: Workbook, names: list[str], components: list[Components],
    bad: Mapping[str, list[str]], settings: Settings, outcome: ScoreOutcome,
) -> dict[str, Composite]:
    """Return each org's 综合得分, none where a cell was unreadable (and warn of those)."""
    try:
        computed = composite_scores(components, settings.weights)
    except WeightsError as error:
        _clear_scores(book, names, str(error))
        raise
    # An unreadable cell is never read as 0 or as absent: the organization gets no score.
    composites = {c.org: (replace(c, score=None) if bad[c.org] else c) for c in computed}
    skipped = [name for name in names if bad[name]]
    if skipped:
        outcome.diagnostics.append(Diagnostic(
            f"{'、'.join(skipped)}的数据中有无法识别的单元格，没有计算综合得分和等次，"
            f"也不计入定等次的比例基数。请按各表“{REMARKS_HEADER}”改正后重新运行",
            severity=Severity.WARNING))
    return composites


def _score_rows(
    names: list[str], graded: _Graded, by_org: Mapping[str, Record],
    reports: Mapping[str, Record], settings: Settings, secretaries: Mapping[str, Any],
    ledger: Mapping[str, Ledger], outcome: ScoreOutcome,
) -> tuple[dict[str, dict[str, Any]], dict[str, OpinionInput]]:
    """Return each org's row of 得分与等次 and the evidence of its draft; list it in outcome."""
    rows: dict[str, dict[str, Any]] = {}
    scored = sum(c.score is not None for c in graded.composites.values())
    inputs: dict[str, OpinionInput] = {}
    for name in names:
        composite, proposal = graded.composites[name], graded.proposals[name]
        place, final = graded.ranks[name], graded.finals[name]
        rows[name] = {
            "composite": composite.score,
            # A number, so that sorting gives 1, 2, 10; a tie is said in 等次说明.
            "rank": place.position,
            "proposed_grade": proposal.grade,
            "grade_score": grade_score(final, proposal.grade, settings.grade_scores),
            "grade_notes": _notes("；".join(graded.bad[name]) or composite.note, proposal,
                                  place),
        }
        inputs[name] = _opinion_input(
            name, by_org.get(key_text(name)), composite, proposal.grade, final, place.label,
            scored, reports.get(key_text(name)), settings, secretaries.get(key_text(name)),
            ledger.get(key_text(name)))
        outcome.rows.append({"org": name, "composite": composite.score,
                             "rank": place.label, "proposed": proposal.grade,
                             "final": final, "tie": bool(proposal.tie)})
    return rows, inputs


def _notes(missing: str | None, proposal: Any, place: Any = None) -> str | None:
    tied = f"并列第{place.position}名" if place is not None and place.tied else None
    parts = [text for text in (missing, tied, proposal.veto and f"一票否决：{proposal.veto}",
                               proposal.reason, proposal.tie) if text]
    return "\n".join(dict.fromkeys(parts)) or None


_COMPONENTS = ("routine", "field", "onsite")


def _clear_scores(book: Workbook, names: Sequence[str], reason: str) -> None:
    """Clear last run's 综合得分 and what follows from it, when this run cannot compute them."""
    cleared = {name: {"composite": None, "rank": None, "proposed_grade": None,
                      "grade_score": None, "grade_notes": f"未计算：{reason}"} for name in names}
    book.update(SCORES, cleared)
    book.save()


def _opinion_input(
    name: str, record: Record | None, composite: Any, proposed: str | None, final: Any,
    rank_label: str, n: int, report: Record | None, settings: Settings, secretary: Any,
    ledger: Ledger | None,
) -> OpinionInput:
    """Return the evidence of ``name``'s draft: scores, the report's figures, the ledger."""
    facts = report.get if report else _EMPTY.get
    decided = final if isinstance(final, str) and final.strip() else None
    return OpinionInput(
        org=name, secretary=secretary, grade=decided or proposed, final=decided is not None,
        score=composite.score, rank_label=rank_label, n=n,
        routine=_component(record, "routine"), field=_component(record, "field"),
        onsite=composite.onsite, report_verdict=facts("verdict"),
        report_issues=_report_issues(report, settings), words=facts("words"),
        data_points=facts("data_points"), data_points_min=settings.data_points_min,
        topics=(facts("topic_economy"), facts("topic_safety")),
        problems_listed=facts("problems_listed"), ledger=ledger or Ledger(),
    )


def _opinions(rows: dict[str, dict[str, Any]], inputs: Mapping[str, OpinionInput],
              by_org: Mapping[str, Record]) -> None:
    """Put each draft in ``rows``; an edited opinion stays; no data: a note in 等次说明."""
    drafts = draft_opinions(list(inputs.values()))
    for name, draft in drafts.items():
        record = by_org.get(key_text(name))
        current = record.get("opinion") if record else None
        mark = record.get("opinion_mark") if record else None
        if current and fingerprint(str(current)) != mark:
            continue  # staff have edited the draft: it is theirs now
        rows[name]["opinion"] = draft.text or None
        rows[name]["opinion_mark"] = fingerprint(draft.text) if draft.text else None
        if draft.note:
            notes = rows[name].get("grade_notes")
            rows[name]["grade_notes"] = f"{notes}\n{draft.note}" if notes else draft.note


def _report_issues(report: Record | None, settings: Settings) -> tuple[str, ...]:
    """Return the checker's rule names that the 述职报告 sheet shows were broken."""
    if report is None:
        return ()
    issues = []
    if "✗" in (report.get("topic_economy") or "") + (report.get("topic_safety") or ""):
        issues.append("必答题")
    words = report.get("words")
    if words is not None and not settings.words_min <= words <= settings.words_max:
        issues.append("字数")
    shares = [report.get("problems_share"), report.get("plans_share")]
    if None not in shares and sum(shares) < settings.problems_share_min - 1e-9:
        issues.append("问题占三分之一")
    data = report.get("data_points")
    if data is not None and data < settings.data_points_min:
        issues.append("数据举例")
    listed = report.get("problems_listed")
    if listed is not None and listed < 3:
        issues.append("条数")
    return tuple(issues)


def _write_stats(
    book: Workbook, settings: Settings, composites: Mapping[str, Any], proposals: Proposals,
    finals: Mapping[str, Any], reports: Mapping[str, Record], names: list[str],
    quota_lines: list[str], scenarios: Sequence[Any],
) -> None:
    scores = [(n, composites[n].score, proposals[n].grade, finals[n]) for n in names]
    verdicts = {n: (reports.get(key_text(n)) or _EMPTY).get("verdict") for n in names}
    topics = {n: _topics_answered(reports.get(key_text(n)) or _EMPTY) for n in names}
    layout = stats_layout(
        f"{settings.town}{settings.year}年度述职评议考核统计", scores, verdicts, topics,
        quota_lines, [(s.label, s.changed, s.orgs) for s in scenarios],
    )
    book.rewrite(STATS, layout.rows, layout.looks, layout.charts, layout.widths)


def _topics_answered(report: Record | Mapping[str, Any]) -> tuple[bool, bool]:
    """Return whether the report answered the two 必答题, as 述职报告's ✓ marks say."""
    economy, safety = (str(report.get(k) or "").startswith("✓")
                       for k in ("topic_economy", "topic_safety"))
    return economy, safety
