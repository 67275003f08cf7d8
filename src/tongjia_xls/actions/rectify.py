"""The rectification ledger: draft items from the reports, import returned plans, track them,
export the ledger, and carry open items into next year's workbook.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from tongjia_xls.actions.check import REPORTS_DIR, _candidates, file_diagnostics, gather_reports
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
from tongjia_xls.rectification.drafts import draft_items, draft_key, new_drafts
from tongjia_xls.rectification.ledger import Item, Tracking, summary, track
from tongjia_xls.rectification.returned import items_from_paragraphs, items_from_rows
from tongjia_xls.rectification.rollover import carry_over
from tongjia_xls.reports.matching import OrgRef, ReportFile, match_reports
from tongjia_xls.reports.measure import measure
from tongjia_xls.reports.model import ReportText
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import ORGS, RECTIFICATION
from tongjia_xls.sheets.table import Record

LAST_YEAR_REPORTS = "上年度述职报告"
EXPORT_DIR = "整改台账"
_ITEM_FIELDS = ("org", "source", "problem", "measure", "owner", "deadline", "status",
                "done_on", "verification")


@dataclass
class RectifyOutcome(Outcome):
    """What the ledger action did."""

    drafted: int = 0
    imported: int = 0
    summary: str = ""
    overdue: int = 0  # items past their 完成时限, as counted in ``summary``


@holds_workbook
def rectify_workbook(
    book: Workbook | Path | str,
    *,
    today: date | None = None,
    draft: bool = False,
    reports: Path | str | None = None,
    import_dir: Path | str | None = None,
    export: Path | str | None = None,
    progress: Progress | None = None,
) -> RectifyOutcome:
    """Refresh 剩余天数/是否逾期/提醒; with ``draft`` add items from the reports' problems,
    with ``import_dir`` read returned 整改方案, with ``export`` write the ledger documents.
    """
    book = open_book(book)
    home = path_of(book)
    today = today or date.today()
    settings, _ = book.settings()
    roster = [r for r in book.read(ORGS) if r.get("org")]
    outcome = RectifyOutcome(home)
    keys = {r.get("draft_key") for r in book.read(RECTIFICATION) if r.get("draft_key")}
    if draft:
        folder = Path(reports) if reports else (home.parent / REPORTS_DIR if home else None)
        outcome.drafted = _draft(book, roster, folder, settings, keys, outcome, progress)
    if import_dir is not None:
        outcome.imported = _import(book, roster, Path(import_dir), keys, outcome, progress)
    items, trackings = _refresh_tracking(book, today, settings, outcome)
    counts = summary(items, trackings)
    outcome.overdue = counts.overdue
    outcome.summary = (
        f"整改事项 {counts.total} 项：已完成 {counts.done} 项，未完成 {counts.open} 项，"
        f"其中逾期 {counts.overdue} 项、{settings.soon_days} 天内到期 {counts.soon} 项"
    )
    if export is not None:
        _export(list(zip(items, trackings, strict=True)), settings, Path(export), today,
                outcome)
    validated = validate_workbook(book)
    outcome.diagnostics += validated.diagnostics
    outcome.lines, outcome.backup = validated.lines, validated.backup
    outcome.saved = validated.saved
    return outcome


def _refresh_tracking(book: Workbook, today: date, settings: Settings,
                      outcome: RectifyOutcome) -> tuple[list[Item], list[Tracking]]:
    """Write every ledger row's 剩余天数/是否逾期/提醒; return the items and their tracking."""
    ledger = book.read(RECTIFICATION)
    items = [_item(r) for r in ledger]
    trackings = [track(item, today, soon_days=settings.soon_days) for item in items]
    rows = {}
    noted: dict[str, list[int]] = {}
    for record, tracking in zip(ledger.records, trackings, strict=True):
        rows[record.row] = {"days_left": tracking.days_left, "overdue": tracking.overdue,
                            "alert": tracking.alert}
        if tracking.note:
            noted.setdefault(tracking.note, []).append(record.row)
    outcome.diagnostics += [_grouped(note, found, ledger.title) for note, found in noted.items()]
    outcome.diagnostics += book.update_rows(RECTIFICATION, rows).diagnostics
    return items, trackings


def _export(pairs: list[tuple[Item, Tracking]], settings: Settings, target: Path, today: date,
            outcome: RectifyOutcome) -> None:
    """Write the ledger documents (.xlsx and .docx) to ``target``, noting any that fail."""
    from tongjia_xls.forms.ledger import write_ledger_docx, write_ledger_xlsx
    from tongjia_xls.outputs import written_or_noted

    # A ledger that cannot be written is noted; the workbook is still saved.
    for write in (write_ledger_xlsx, write_ledger_docx):
        path = written_or_noted(partial(write, pairs, settings, target, today),
                                outcome.diagnostics)
        outcome.outputs += [path] if path else []


def rollover_workbook(source: Path | str, *, year: int, out: Path | str) -> Outcome:
    """Make next year's workbook at ``out`` from ``source``, which is only read.

    The roster and every setting carry over with the year changed; every item not done
    carries over as 上年度; last year's reports are copied to ``上年度述职报告`` beside the
    new workbook, where the similarity rule reads them. An ``.xlsm`` name gives next year's
    macro workbook, with its buttons.
    """
    from tongjia_xls.actions.workbook import check_built, check_new_name, new_book

    source, out = Path(source), Path(out)
    if out.exists():
        raise UserError(f"“{out}”已经存在，没有覆盖。请换一个文件名。")
    check_new_name(out)
    old = Workbook.open(source, for_write=False)
    settings, _ = old.settings()
    if year <= settings.year:
        raise UserError(f"新年度 {year} 应晚于原工作簿的年度 {settings.year}。")
    orgs = [{k: v for k, v in r.values.items() if k != "remarks" and v is not None}
            for r in old.read(ORGS) if r.get("org")]
    carried = carry_over([_item(r) for r in old.read(RECTIFICATION)], year)
    shift = year - settings.year
    new_settings = replace(
        settings, year=year, meeting_date=None,
        deadline=_shifted(settings.deadline, shift),
    )
    book = new_book(out, new_settings, orgs)
    if carried:
        book.append(RECTIFICATION, [{k: getattr(i, k) for k in _ITEM_FIELDS} for i in carried])
    outcome = validate_workbook(book)
    check_built(out)
    outcome.outputs.append(out)
    copied = _copy_reports(source.parent / REPORTS_DIR, out.parent / LAST_YEAR_REPORTS)
    outcome.diagnostics.append(Diagnostic(
        f"已新建 {year} 年度工作簿：{len(orgs)} 个党组织，转入未完成整改事项 {len(carried)} 项；"
        f"上年度述职报告 {copied} 份已复制到“{LAST_YEAR_REPORTS}”文件夹", severity=Severity.INFO))
    return outcome


def _grouped(note: str, rows: list[int], sheet: str | None) -> Diagnostic:
    """Return one diagnostic for a note that several rows share (drafts lack deadlines)."""
    if len(rows) == 1:
        return Diagnostic(note, sheet=sheet, row=rows[0], severity=Severity.WARNING)
    listed = "、".join(map(str, rows[:10])) + ("等" if len(rows) > 10 else "")
    return Diagnostic(f"{note}（共 {len(rows)} 项：第{listed}行）", sheet=sheet,
                      severity=Severity.WARNING)


def _shifted(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _copy_reports(folder: Path, target: Path) -> int:
    from tongjia_xls.outputs import atomic_write, ensure_folder

    if not folder.is_dir():
        return 0
    ensure_folder(target)
    count = 0
    for path in _candidates(folder):
        # Whole or not at all: the similarity rule reads these copies next year.
        with atomic_write(target / path.name) as temporary:
            shutil.copy2(path, temporary)
        count += 1
    return count


def _item(record: Record) -> Item:
    return Item(**{name: record.get(name) for name in _ITEM_FIELDS})


def _refs(roster: list[Record]) -> list[OrgRef]:
    return [OrgRef(r["org"], r.get("secretary")) for r in roster]


def _draft(
    book: Workbook, roster: list[Record], folder: Path | None, settings: Settings,
    keys: set[str], outcome: RectifyOutcome, progress: Progress | None,
) -> int:
    if folder is None or not folder.is_dir():
        raise UserError(f"找不到述职报告文件夹“{folder}”，无法起草整改事项。请用 --reports 指定。")
    gathered = gather_reports(book, folder, roster, progress)
    # The files check would not judge are not drafted from either, and staff hear why.
    outcome.diagnostics += file_diagnostics(gathered.matching, gathered.read, folder)
    secretaries = {r["org"]: r.get("secretary") for r in roster}
    rows = []
    for org, chosen in gathered.matching.chosen.items():
        report = gathered.read[chosen.path]
        if not isinstance(report, ReportText):
            continue
        measures = measure(report, settings)
        drafts = draft_items(org, secretaries.get(org), [i.text for i in measures.problems],
                             [i.text for i in measures.plans])
        for key, item in new_drafts(keys, drafts):
            keys.add(key)
            rows.append({**{k: getattr(item, k) for k in _ITEM_FIELDS}, "draft_key": key})
    if rows:
        added = book.append(RECTIFICATION, rows).added_rows
        empty = [row for row, values in zip(added, rows, strict=True) if not values["measure"]]
        if empty:
            outcome.diagnostics.append(_grouped(
                "报告的“下步工作打算”中没有找到回答这个问题的措施，"
                f"“{RECTIFICATION.header('measure')}”留空，"
                "请与书记核实后补填", empty, RECTIFICATION.title))
    return len(rows)


def _import(
    book: Workbook, roster: list[Record], folder: Path, keys: set[str],
    outcome: RectifyOutcome, progress: Progress | None,
) -> int:
    if not folder.is_dir():
        raise UserError(f"找不到整改方案文件夹“{folder}”。请检查路径。")
    paths = _plan_files(folder)
    matching = match_reports([ReportFile(p, p.stat().st_mtime) for p in paths], _refs(roster))
    for file in matching.unmatched:
        outcome.diagnostics.append(Diagnostic(
            "无法对应到党组织：文件名里没有党组织名称或书记姓名，请改名后重新导入",
            file=file.path.name, severity=Severity.WARNING))
    rows: list[dict[str, Any]] = []
    for done, (org, chosen) in enumerate(matching.chosen.items(), start=1):
        found = _import_plan(org, chosen.path, keys, outcome)
        if found is None:  # unreadable: noted, and (as before) no progress step
            continue
        rows += found
        if progress:
            progress(done, len(matching.chosen), "导入整改方案")
    if rows:
        book.append(RECTIFICATION, rows)
    return len(rows)


def _plan_files(folder: Path) -> list[Path]:
    """Return the returned 整改方案 files (.docx, .xlsx) of ``folder``, sorted."""
    return [p for p in sorted(folder.iterdir()) if p.is_file()
            and p.suffix.lower() in (".docx", ".xlsx") and not p.name.startswith(("~$", "."))]


def _import_plan(org: str, path: Path, keys: set[str],
                 outcome: RectifyOutcome) -> list[dict[str, Any]] | None:
    """Return the ledger rows for one returned plan's new items (``None``: unreadable)."""
    try:
        items, problems = _read_plan(path, org)
    except UserError as error:
        outcome.diagnostics.append(Diagnostic(str(error), file=path.name))
        return None
    outcome.diagnostics += [Diagnostic(p, file=path.name, severity=Severity.WARNING)
                            for p in problems]
    if not items:
        outcome.diagnostics.append(Diagnostic(
            "没有读到整改事项：请使用表格（问题、整改措施、责任人、完成时限）或“一是……”分条书写",
            file=path.name, severity=Severity.WARNING))
    rows: list[dict[str, Any]] = []
    for item in items:
        key = draft_key(org, item.problem)
        if key not in keys:
            keys.add(key)
            rows.append({**{k: getattr(item, k) for k in _ITEM_FIELDS}, "draft_key": key})
    return rows


def _read_plan(path: Path, org: str) -> tuple[list[Item], list[str]]:
    if path.suffix.lower() == ".xlsx":
        from tongjia_xls.book.file_backend import FileBackend

        backend = FileBackend.open(path, for_write=False)
        grid = backend.read_grid(backend.sheet_titles()[0])
        return items_from_rows(grid, org)
    tables = _docx_tables(path)
    items: list[Item] = []
    problems: list[str] = []
    for table in tables:
        found, trouble = items_from_rows(table, org)
        items += found
        problems += trouble
    if items:
        return items, problems
    from tongjia_xls.word.extract import ExtractError, extract

    try:
        report = extract(path)
    except ExtractError as error:
        raise UserError(str(error)) from None
    return items_from_paragraphs([p.text for p in report.paragraphs if not p.in_table], org)


def _docx_tables(path: Path) -> list[list[list[str]]]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds for a file that is no .docx
        return []
    return [[[cell.text.strip() for cell in row.cells] for row in table.rows]
            for table in document.tables]


