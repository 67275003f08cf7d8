"""Checking the reports: read every file, match it to its organization, judge it, write back.

``check_reports`` is what the 检查述职报告 button and ``tongjia-xls check`` do;
``analyze_files`` is the workbook-free look at some files (``tongjia-xls analyze``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from tongjia_xls.actions.workbook import (
    Outcome,
    Progress,
    holds_workbook,
    open_book,
    path_of,
    validate_workbook,
)
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import Diagnostic, Severity, UserError
from tongjia_xls.reports.analysis import NOT_RECEIVED, Analysis, analyze
from tongjia_xls.reports.matching import (
    NEWER_THAN_REGISTERED,
    REGISTERED,
    Matching,
    OrgRef,
    ReportFile,
    match_reports,
)
from tongjia_xls.reports.measure import EXPLICIT, NONE, SUBSTANCE, TOPIC_NAMES
from tongjia_xls.reports.model import ReportText
from tongjia_xls.reports.rules import Context, Finding
from tongjia_xls.reports.structure import PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import ORGS, RECTIFICATION, REPORTS
from tongjia_xls.sheets.table import key_text

REPORTS_DIR = "述职报告"
LAST_YEAR_DIR = "上年度述职报告"
FEEDBACK_DIR = "审核意见"
#: The column where staff register each report's file name.
_FILE = REPORTS.header("file")
#: Files in the reports folder that are read (others, such as .xlsx, are passed over).
READABLE = {".docx", ".docm", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".png", ".jpg", ".jpeg",
            ".gif", ".bmp", ".tif", ".tiff", ".txt"}


@dataclass
class CheckOutcome(Outcome):
    """What checking the reports did, beside the workbook outcome."""

    analyses: dict[str, Analysis] = field(default_factory=dict)  # by organization
    matching: Matching | None = None
    feedback_dir: Path | None = None


def analyze_files(
    paths: Sequence[Path | str],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[Analysis]:
    """Return the analysis of each file, in the order given; unreadable files carry ``error``."""
    settings = settings or Settings()
    read = _read_all([Path(p) for p in paths], progress)
    # The files given are compared with each other, as check compares a folder's reports.
    texts = {str(p): r.text for p, r in read.items() if isinstance(r, ReportText)}
    similar: dict[str, list[Any]] = {}
    if len(texts) > 1 and "similarity" not in settings.disabled_rules:
        from tongjia_xls.reports.similarity import find_similar, summarize

        similar = summarize(find_similar(texts, threshold=settings.similarity_threshold))
    results = []
    for path, report in read.items():
        if isinstance(report, str):
            results.append(Analysis(str(path), error=report))
        else:
            context = Context(settings, similar=tuple(similar.get(str(path), ())))
            analysis = analyze(report, context)
            analysis.file = str(path)
            results.append(analysis)
    return results


@holds_workbook
def check_reports(
    book: Workbook | Path | str,
    *,
    reports: Path | str | None = None,
    feedback: Path | str | None = None,
    progress: Progress | None = None,
) -> CheckOutcome:
    """Check every report in the reports folder and fill the tool's columns of 述职报告.

    ``reports`` defaults to the folder ``述职报告`` beside the workbook; ``feedback``, where
    the 审核意见 documents go, to ``审核意见`` beside it (``None`` beside no workbook file:
    no documents).
    """
    book = open_book(book)
    home = path_of(book)
    folder = _reports_folder(reports, home)
    settings, _ = book.settings()
    roster = [r for r in book.read(ORGS) if r.get("org")]
    gathered = gather_reports(book, folder, roster, progress)
    similar = _similar(gathered.matching, gathered.read, _last_year(home, folder, roster),
                       settings)
    outcome = CheckOutcome(home, matching=gathered.matching)
    judged = _judge_roster(roster, gathered, settings, _prior_items(book), similar)
    outcome.analyses.update(judged.analyses)
    outcome.diagnostics += book.update(REPORTS, judged.rows, add_missing=True).diagnostics
    outcome.diagnostics += _fill_found_files(book, gathered)
    outcome.diagnostics += file_diagnostics(gathered.matching, gathered.read, folder)
    target = Path(feedback) if feedback else (home.parent / FEEDBACK_DIR if home else None)
    if target is not None:
        written = _write_feedback(judged.feedback_rows, settings, target, outcome.diagnostics)
        outcome.outputs += written
        outcome.feedback_dir = target if written else None
    validated = validate_workbook(book)
    outcome.diagnostics += validated.diagnostics
    outcome.lines, outcome.backup = validated.lines, validated.backup
    outcome.saved = validated.saved
    return outcome


def _reports_folder(reports: Path | str | None, home: Path | None) -> Path:
    """Return the reports folder to check, or raise the Chinese error saying it is missing."""
    folder = Path(reports) if reports else (home.parent / REPORTS_DIR if home else None)
    if folder is None or not folder.is_dir():
        raise UserError(
            f"找不到述职报告文件夹“{folder}”。请把收到的报告放进总工作簿旁边的“{REPORTS_DIR}”"
            "文件夹，或用 --reports 指定文件夹。"
        )
    return folder


@dataclass
class _Judged:
    """The judgement of every organization of the roster, ready to be written."""

    analyses: dict[str, Analysis] = field(default_factory=dict)  # by organization
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # 述职报告 columns by org
    feedback_rows: list[tuple[Any, Any, Analysis | None, list[Finding]]] = field(
        default_factory=list)


def _judge_roster(roster: Sequence[Any], gathered: Gathered, settings: Settings,
                  prior: dict[str, tuple[str, ...]], similar: dict[str, list[Any]]) -> _Judged:
    """Analyze each organization's chosen report and build its 述职报告 columns."""
    judged = _Judged()
    matching = gathered.matching
    for record in roster:
        org = record["org"]
        chosen = matching.chosen.get(org)
        notes = _workbook_notes(gathered.registered.get(key_text(org)), matching, org, settings)
        analysis = _analysis_of(record, chosen, gathered.read, settings, prior, similar)
        if analysis is not None:
            judged.analyses[org] = analysis
        judged.rows[org] = _columns(analysis, notes)
        judged.feedback_rows.append((record, chosen, analysis, notes))
    return judged


def _analysis_of(record: Any, chosen: ReportFile | None, read: dict[Path, ReportText | str],
                 settings: Settings, prior: dict[str, tuple[str, ...]],
                 similar: dict[str, list[Any]]) -> Analysis | None:
    """Return the analysis of the report chosen for ``record`` (``None``: no report)."""
    report = read.get(chosen.path) if chosen else None
    if report is None or chosen is None:
        return None
    if isinstance(report, str):
        return Analysis(chosen.path.name, error=report)
    org = record["org"]
    context = Context(settings, record.get("appointed"), prior.get(key_text(org), ()),
                      tuple(similar.get(org, ())))
    analysis = analyze(report, context)
    analysis.file = chosen.path.name
    return analysis


def _fill_found_files(book: Workbook, gathered: Gathered) -> list[Diagnostic]:
    """Write each matched file's name into a 报告文件 cell staff left blank."""
    # 报告文件 is staff's: the matched file goes only into a cell they left blank.
    registered = gathered.registered
    found_files = {org: {"file": chosen.path.name}
                   for org, chosen in gathered.matching.chosen.items()
                   if not (registered.get(key_text(org)) or {}).get("file")}
    if not found_files:
        return []
    return list(book.update(REPORTS, found_files, include_staff=True).diagnostics)


@dataclass
class Gathered:
    """The reports of a folder, read, and matched to the roster as ``check`` matches them.

    ``read`` holds each file's text, or the Chinese reason it could not be read;
    ``registered`` the 述职报告 rows by organization (their 报告文件 decides between files).
    """

    read: dict[Path, ReportText | str]
    matching: Matching
    registered: dict[str, Any]


def gather_reports(book: Workbook, folder: Path, roster: Sequence[Any],
                   progress: Progress | None = None) -> Gathered:
    """Read every report in ``folder`` and choose one per organization of ``roster``.

    The one matching of the tool: ``check`` judges, and ``rectify --draft`` drafts from,
    the same file for each organization.
    """
    table = book.read(REPORTS)
    registered = {key_text(r["org"]): r for r in table if r.get("org")}
    refs = [OrgRef(r["org"], r.get("secretary"), _registered_file(registered, r["org"]),
                   _submitted(registered, r["org"]))
            for r in roster]
    read = _read_all(_candidates(folder), progress)
    files = [ReportFile(p, p.stat().st_mtime, _title(r)) for p, r in read.items()]
    return Gathered(read, match_reports(files, refs), registered)


def _submitted(registered: dict[str, Any], org: str) -> Any:
    """Return the 提交日期 registered for ``org`` (``None``: not registered or blank)."""
    record = registered.get(key_text(org))
    return record.get("submitted") if record else None


def _registered_file(registered: dict[str, Any], org: str) -> str | None:
    record = registered.get(key_text(org))
    return record.get("file") if record is not None else None


def _candidates(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in READABLE and not p.name.startswith(("~$", ".~", "."))
    )


def _read_all(paths: Sequence[Path], progress: Progress | None) -> dict[Path, ReportText | str]:
    """Return each file's text, or the Chinese message saying why it could not be read."""
    from tongjia_xls.word.extract import ExtractError, extract

    read: dict[Path, ReportText | str] = {}
    for done, path in enumerate(paths, start=1):
        try:
            read[path] = extract(path)
        except ExtractError as error:
            read[path] = str(error)
        if progress:
            progress(done, len(paths), "读取述职报告")
    return read


def _title(report: ReportText | str) -> str | None:
    if isinstance(report, str):
        return None
    # The title is among the first lines; several are joined so a split title still matches.
    return "".join(p.text for p in report.paragraphs[:3])


def _similar(matching: Matching, read: dict[Path, ReportText | str], last_year: dict[str, str],
             settings: Settings) -> dict[str, list[Any]]:
    if "similarity" in settings.disabled_rules or "雷同" in settings.disabled_rules:
        return {}
    from tongjia_xls.reports.similarity import find_similar, summarize

    texts = {org: report.text for org, file in matching.chosen.items()
             if isinstance(report := read[file.path], ReportText)}
    matches = find_similar(texts, last_year or None, threshold=settings.similarity_threshold)
    return dict(summarize(matches))


def _last_year(home: Path | None, folder: Path, roster: Sequence[Any]) -> dict[str, str]:
    """Return last year's report texts by organization, from ``上年度述职报告`` if present.

    Matched to the roster as this year's are (name, secretary, title), so a copy named
    ``述职报告(终稿)(1).docx`` is found by its title.
    """
    base = home.parent if home else folder.parent
    old = base / LAST_YEAR_DIR
    if not old.is_dir():
        return {}
    read = _read_all(_candidates(old), None)
    files = [ReportFile(p, p.stat().st_mtime, _title(r)) for p, r in read.items()]
    refs = [OrgRef(r["org"], r.get("secretary")) for r in roster]
    texts: dict[str, str] = {}
    for org, chosen in match_reports(files, refs).chosen.items():
        report = read[chosen.path]
        if isinstance(report, ReportText):
            texts[org] = report.text
    return texts


def _prior_items(book: Workbook) -> dict[str, tuple[str, ...]]:
    items: dict[str, list[str]] = {}
    for record in book.read(RECTIFICATION):
        if record.get("source") == "上年度" and record.get("org") and record.get("problem"):
            items.setdefault(key_text(record["org"]), []).append(record["problem"])
    return {org: tuple(problems) for org, problems in items.items()}


def _workbook_notes(
    record: Any, matching: Matching, org: str, settings: Settings
) -> list[Finding]:
    notes: list[Finding] = []
    if record is not None:
        submitted = record.get("submitted")
        if submitted and settings.deadline and submitted > settings.deadline:
            notes.append(Finding(
                "deadline", Severity.WARNING, "通知",
                f"{submitted:%Y-%m-%d} 报送，晚于截止日期 {settings.deadline:%Y-%m-%d}"))
        review = record.get("area_review")
        if review != "已审核" and org in matching.chosen:
            state = review or "未登记"
            notes.append(Finding(
                "area_review", Severity.WARNING, "通知",
                f"包片领导审核情况为“{state}”，报送前应经包片领导审核"))
    others = matching.passed_over.get(org, [])
    if not others:
        return notes
    chosen = matching.chosen[org].path.name
    names = "、".join(f"“{f.path.name}”" for f in others)
    reason = matching.reasons.get(org)
    if reason == REGISTERED:
        text = (f"检查的是“{_FILE}”中登记的“{chosen}”；另有较新的{names}没有检查。"
                f"如要检查较新的文件，请把“{_FILE}”改为它的文件名")
    elif reason == NEWER_THAN_REGISTERED:
        text = (f"“{_FILE}”中登记的是“{(record or {}).get('file')}”，但提交日期之后又收到较新的"
                f"“{chosen}”，检查的是较新的这份。如要检查登记的文件，请把提交日期改为收到"
                "新文件的那天或之后")
    else:
        text = f"另有{names}，检查的是较新的“{chosen}”"
    notes.append(Finding("duplicate", Severity.INFO, "", text))
    return notes


#: The columns a check fills from a report's measures; none of them may outlive the report.
_FIGURES = ("words", "practices_share", "problems_share", "plans_share", "data_points",
            "topic_economy", "topic_safety", "problems_listed", "plans_listed")
#: How 述职报告's 必答题 columns show each answer: "✓" is read back as answered.
_TOPIC_MARKS = {EXPLICIT: "✓", SUBSTANCE: "✓（实质）", NONE: "✗"}


def _columns(analysis: Analysis | None, notes: list[Finding]) -> dict[str, Any]:
    if analysis is None:
        return {"verdict": NOT_RECEIVED, "explanation": _explain(notes) or "尚未收到述职报告",
                **dict.fromkeys(_FIGURES)}
    if analysis.error or analysis.measures is None:
        # Last run's figures belong to a file that can no longer be read: they go.
        return {"verdict": analysis.verdict, "explanation": _explain(notes, analysis.error),
                **dict.fromkeys(_FIGURES)}
    m, shares = analysis.measures, analysis.shares()
    return {
        "words": m.words,
        "practices_share": shares[PRACTICES],
        "problems_share": shares[PROBLEMS],
        "plans_share": shares[PLANS],
        "data_points": len(m.data_points),
        "topic_economy": _TOPIC_MARKS[m.topic_levels[TOPIC_NAMES[0]]],
        "topic_safety": _TOPIC_MARKS[m.topic_levels[TOPIC_NAMES[1]]],
        "problems_listed": len(m.problems),
        "plans_listed": len(m.plans),
        "verdict": analysis.verdict,
        "explanation": _explain([*notes, *analysis.findings]) or None,
    }


def _explain(findings: Sequence[Finding], error: str | None = None) -> str:
    lines = [error] if error else []
    lines += [f.message for f in findings]
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def file_diagnostics(
    matching: Matching, read: dict[Path, ReportText | str], folder: Path
) -> list[Diagnostic]:
    found = [
        Diagnostic(f"无法对应到任何党组织：文件名和标题里都没有“{ORGS.title}”表中的党组织名称或书记姓名。"
                   "请把文件改名为“党组织名称-书记姓名-述职报告.docx”", file=f.path.name,
                   severity=Severity.WARNING)
        for f in matching.unmatched
    ]
    found += [Diagnostic(message, file=path.name) for path, message in read.items()
              if isinstance(message, str)]
    if matching.missing:
        found.append(Diagnostic(
            f"文件夹“{folder.name}”中没有以下党组织的报告：{'、'.join(matching.missing)}",
            severity=Severity.WARNING))
    return found


def _write_feedback(rows: list[tuple[Any, Any, Analysis | None, list[Finding]]],
                    settings: Settings, folder: Path, diagnostics: list[Diagnostic]
                    ) -> list[Path]:
    """Write each 审核意见 and the 汇总表; return what was written.

    A document that cannot be written (disk full, open in Word …) is noted in
    ``diagnostics`` and the others are still written; so are the renamings that keep two
    organizations' documents apart.
    """
    from tongjia_xls.forms.feedback import (
        FeedbackRow,
        summary_name,
        write_feedback,
        write_summary,
    )
    from tongjia_xls.outputs import NameBook, OutputError, ensure_folder, written_or_noted

    try:
        ensure_folder(folder)
    except OutputError as error:  # the workbook's results are still saved
        diagnostics.append(Diagnostic(str(error)))
        return []
    feedback = [
        FeedbackRow(org=record["org"], secretary=record.get("secretary"),
                    area_leader=record.get("area_leader"),
                    file=chosen.path.name if chosen else None, analysis=analysis, notes=notes)
        for record, chosen, analysis, notes in rows
    ]
    names = NameBook("审核意见")
    names.reserve(summary_name(settings))
    written = [written_or_noted(partial(write_feedback, row, settings, folder, names=names),
                                diagnostics)
               for row in feedback if row.file]
    written.append(written_or_noted(lambda: write_summary(feedback, settings, folder),
                                    diagnostics))
    diagnostics += names.diagnostics()
    return [path for path in written if path is not None]
