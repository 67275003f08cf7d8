"""Scoring: tally the ballots, combine the three scores, propose grades under the quota.

``score_workbook`` is what the 计算得分与等次 button and ``tongjia-xls score`` do. It never
touches 确定等次 (the committee's) and never overwrites a 评价意见 staff have edited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
    Ballot,
    BallotFlag,
    Bands,
    Components,
    Counts,
    Proposals,
    Quota,
    WeightsError,
    ballot_score,
    check_ballots,
    check_final,
    composite_scores,
    grade_score,
    propose_grades,
    rank,
    tally,
)
from tongjia_xls.scoring.opinion import (
    Ledger,
    OpinionInput,
    draft_opinions,
    fingerprint,
    ledgers,
)
from tongjia_xls.scoring.sensitivity import sensitivity
from tongjia_xls.settings import BALLOTS_EXCLUDED, Settings
from tongjia_xls.sheets.schema import (
    BALLOT_DETAILS,
    BALLOTS,
    ORGS,
    RECTIFICATION,
    REPORTS,
    SCORES,
    STATS,
)
from tongjia_xls.sheets.table import Record, key_text

_COUNT_FIELDS = ("good", "fairly_good", "average", "poor")


@dataclass
class ScoreOutcome(Outcome):
    """What scoring did: per organization its numbers, and the quota's state."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    quota: str = ""
    final: str = ""
    flags: list[BallotFlag] = field(default_factory=list)
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # org -> cells not read


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
    counts, clean_scores = _ballots(book, names, settings, outcome)
    if progress:
        progress(1, 3, "计算得分与等次")
    scores_table = book.read(SCORES)
    by_org = {key_text(r["org"]): r for r in scores_table if r.get("org")}
    components = []
    bad: dict[str, list[str]] = {name: list(outcome.unreadable.get(name, ())) for name in names}
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
            "也不计入定等次的比例基数。请按各表“校验提示”改正后重新运行",
            severity=Severity.WARNING))
    ranks = rank({org: c.score for org, c in composites.items()})
    bands = Bands(settings.good_min, settings.fairly_good_min, settings.average_min)
    quota = Quota(settings.quota_share, settings.quota_low_min)
    vetoes = {name: by_org[key_text(name)].get("veto") for name in names
              if key_text(name) in by_org and by_org[key_text(name)].get("veto")}
    proposals = propose_grades({o: c.score for o, c in composites.items()}, bands, quota, vetoes)
    finals = {name: (by_org.get(key_text(name)) or _EMPTY).get("final_grade") for name in names}
    final = check_final(finals, quota)
    outcome.quota, outcome.final = proposals.summary, final.message
    reports = {key_text(r["org"]): r for r in book.read(REPORTS) if r.get("org")}
    if progress:
        progress(2, 3, "计算得分与等次")
    rows: dict[str, dict[str, Any]] = {}
    scored = sum(c.score is not None for c in composites.values())
    secretaries = {key_text(r["org"]): r.get("secretary") for r in orgs}
    ledger = ledgers(book.read(RECTIFICATION), key=key_text)
    inputs: dict[str, OpinionInput] = {}
    for name in names:
        composite, proposal = composites[name], proposals[name]
        record = by_org.get(key_text(name))
        values = {
            "composite": composite.score,
            # A number, so that sorting gives 1, 2, 10; a tie is said in 等次说明.
            "rank": ranks[name].position,
            "proposed_grade": proposal.grade,
            "grade_score": grade_score(finals[name], proposal.grade, settings.grade_scores),
            "grade_notes": _notes("；".join(bad[name]) or composite.note, proposal,
                                  ranks[name]),
        }
        inputs[name] = _opinion_input(
            name, record, composite, proposal.grade, finals[name], ranks[name].label, scored,
            reports.get(key_text(name)), settings, secretaries.get(key_text(name)),
            ledger.get(key_text(name)))
        rows[name] = values
        outcome.rows.append({"org": name, "composite": composite.score,
                             "rank": ranks[name].label, "proposed": proposal.grade,
                             "final": finals[name], "tie": bool(proposal.tie)})
    _opinions(rows, inputs, by_org)
    outcome.diagnostics += book.update(SCORES, rows, add_missing=True).diagnostics
    scenarios = sensitivity(components, settings.weights, bands, quota, vetoes,
                            alternative_onsite=clean_scores or None)
    _write_stats(book, settings, composites, proposals, finals, reports, names,
                 [proposals.summary, f"确定等次核对：{final.message}"], scenarios)
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


def _ballots(
    book: Workbook, names: list[str], settings: Settings, outcome: ScoreOutcome
) -> tuple[dict[str, Counts], dict[str, float | None]]:
    """Return each org's votes, and the 测评得分 without flagged ballots (when it differs)."""
    details = book.read(BALLOT_DETAILS)
    ballots = [Ballot(str(r["number"]), _marks(r, names)) for r in details if r.get("number")]
    if not ballots:
        counts = {}
        for record in book.read(BALLOTS):
            if not record.get("org"):
                continue
            row_counts = _typed_counts(record)
            if row_counts is None:
                outcome.unreadable.setdefault(record["org"], []).append(
                    f"工作表“{BALLOTS.title}”第{record.row}行的票数无法识别")
                continue
            counts[record["org"]] = row_counts
        names_known = {key_text(n): n for n in names}
        counts = {names_known[key_text(o)]: c for o, c in counts.items()
                  if key_text(o) in names_known}
        _write_ballot_scores(book, counts, {}, settings)
        return counts, {}
    _flag_unknown_columns(details, names, outcome)
    # An organization without a column was not voted for: its blank is no faulty ballot.
    headers = {key_text(h) for h in details.layout.extra_headers.values()} if details.layout \
        else set()
    voted = [n for n in names if key_text(n) in headers]
    flags = check_ballots(ballots, voted, quota_share=settings.quota_share,
                          quota_low_min=settings.quota_low_min)
    outcome.flags = flags
    excluded = settings.flagged_ballots == BALLOTS_EXCLUDED
    counted = tally(ballots, voted, exclude_flagged=excluded, flags=flags)
    other = tally(ballots, voted, exclude_flagged=not excluded, flags=flags)
    clean = other if not excluded else counted
    clean_scores = {n: ballot_score(clean[n], settings.grade_scores) for n in voted}
    # The tally of 测评票明细 replaces the counts in 测评票: one source of truth per run.
    typed: dict[str, dict[str, Any]] = {
        n: dict(zip(_COUNT_FIELDS, (c.good, c.fairly_good, c.average, c.poor), strict=True))
        for n, c in counted.items()}
    for name in names:
        if name not in counted:  # last run's figures must not stand for a vote not held
            typed[name] = dict.fromkeys(_COUNT_FIELDS)
    book.update(BALLOTS, typed, add_missing=True, include_staff=True)
    book.update(BALLOTS, {n: {"valid_votes": None, "ballot_score": None,
                              "ballot_score_clean": None} for n in names if n not in counted})
    _write_ballot_scores(book, counted, clean_scores, settings)
    by_number: dict[str, list[str]] = {}
    for flag in flags:
        by_number.setdefault(flag.number, []).append(flag.message)
    rows = {r.row: {"flags": "；".join(by_number.get(str(r["number"]), [])) or None}
            for r in details if r.get("number")}
    book.update_rows(BALLOT_DETAILS, rows)
    return counted, clean_scores


def _marks(record: Record, names: Sequence[str]) -> dict[str, Any]:
    extra = {key_text(header): value for header, value in record.extra.items()}
    return {name: extra.get(key_text(name)) for name in names}


def _flag_unknown_columns(details: Any, names: list[str], outcome: ScoreOutcome) -> None:
    layout = details.layout
    if layout is None:
        return
    known = {key_text(n) for n in names}
    for header in layout.extra_headers.values():
        if key_text(header) not in known:
            outcome.diagnostics.append(Diagnostic(
                f"表头“{header}”不是“组织”表中的党组织名称，该列的票未计入。请核对表头",
                sheet=details.title, column=header, severity=Severity.WARNING))
    for name in names:
        if key_text(name) not in {key_text(h) for h in layout.extra_headers.values()}:
            outcome.diagnostics.append(Diagnostic(
                f"没有“{name}”这一列，按未对该党组织测评处理（不算问题票，也不计测评得分）。"
                "如已对它投票，请在表头加上该党组织名称，再按原票录入",
                sheet=details.title, severity=Severity.WARNING))


def _typed_counts(record: Record) -> Counts | None:
    """Return the votes typed in 测评票, or ``None`` when one of the counts is unreadable."""
    if any(name in record.unreadable for name in _COUNT_FIELDS):
        return None
    return Counts(*(int(record.get(name) or 0) for name in _COUNT_FIELDS))


def _write_ballot_scores(
    book: Workbook, counts: Mapping[str, Counts], clean: Mapping[str, float | None],
    settings: Settings,
) -> None:
    rows = {}
    for org, votes in counts.items():
        score = ballot_score(votes, settings.grade_scores)
        other = clean.get(org)
        rows[org] = {
            "valid_votes": votes.valid or None,
            "ballot_score": score,
            "ballot_score_clean": other if other is not None and other != score else None,
        }
    book.update(BALLOTS, rows)


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
