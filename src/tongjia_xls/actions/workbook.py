"""The workbook's own actions: create it, validate what staff typed, refresh 控制台."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from tongjia_xls import dashboard
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.roster_file import Roster
from tongjia_xls.errors import Diagnostic, Severity, UserError
from tongjia_xls.scoring.bands import Quota
from tongjia_xls.settings import Settings, committee_name, setting_specs
from tongjia_xls.sheets.schema import (
    BALLOTS,
    DASHBOARD,
    ORGS,
    RECTIFICATION,
    REPORTS,
    SCORES,
    SETTINGS,
    Sheet,
)
from tongjia_xls.sheets.table import Table, key_text
from tongjia_xls.validation import (
    check_against_roster,
    check_settings,
    orphans,
    remarks_by_row,
)

A = TypeVar("A")

#: ``progress(done, total, what)`` is called as a batch advances.
Progress = Callable[[int, int, str], None]

PER_ORG_SHEETS = (REPORTS, BALLOTS, SCORES)


def holds_workbook(action: Callable[..., A]) -> Callable[..., A]:
    """Make ``action`` open a workbook given by its path, and release it when done.

    A :class:`Workbook` passed in stays open: whoever opened it closes it.
    """
    @functools.wraps(action)
    def run(book: Workbook | Path | str, *args: Any, **kwargs: Any) -> A:
        if isinstance(book, Workbook):
            return action(book, *args, **kwargs)
        with Workbook.open(Path(book)) as opened:
            return action(opened, *args, **kwargs)

    return run


@dataclass
class Outcome:
    """What an action did: the workbook, what it found, the 控制台 lines, the backup."""

    workbook: Path | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: list[dashboard.StageLine] = field(default_factory=list)
    backup: Path | None = None
    saved: bool = False
    outputs: list[Path] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        """Return how many diagnostics have ``severity``."""
        return sum(d.severity is severity for d in self.diagnostics)


def init_workbook(
    out: Path,
    *,
    year: int | None = None,
    town: str | None = None,
    county: str | None = None,
    roster: Path | None = None,
    force: bool = False,
    interpreter: str | None = None,
    soffice: str | None = "auto",
) -> Outcome:
    """Create a new master workbook at ``out``, with the roster file ``roster`` if given.

    ``town`` and ``county`` (``None``: the roster's 乡镇/县 column, else the notice's town)
    name the town in titles, file names and the 党委名称 every signature carries. A .xls
    roster is converted by LibreOffice (``soffice``, as in :func:`find_soffice`).
    An ``.xlsm`` name gives the macro workbook, with buttons on ``控制台`` that run the same
    actions through xlwings; ``interpreter`` is the Python they start (``None``: left blank,
    so that they start the ``python`` on the PATH).
    """
    out = Path(out)
    check_new_name(out)
    if out.exists() and not force:
        raise UserError(
            f"“{out}”已经存在，没有覆盖。请换一个文件名；确需重建时加 --force（原文件会先备份）。"
        )
    read = _read_roster(Path(roster), soffice) if roster is not None else Roster()
    town = (town or "").strip() or read.town
    county = (county or "").strip() or read.county
    settings = _new_settings(year, town, county)
    for seq, org in enumerate(read.orgs, start=1):
        org.setdefault("seq", seq)
    outcome = validate_workbook(new_book(out, settings, read.orgs, interpreter=interpreter))
    outcome.diagnostics[:0] = read.diagnostics
    if town and not county:
        outcome.diagnostics.append(Diagnostic(
            f"党委名称已设为“{settings.committee}”。如需写上县名，请在“{SETTINGS.title}”表修改“党委名称”，"
            "或新建时加上 --county（例如 --county 乐至县）",
            sheet=SETTINGS.title, severity=Severity.INFO,
        ))
    check_built(out)
    return outcome


def _new_settings(year: int | None, town: str | None, county: str | None) -> Settings:
    """Return the default settings with the year, the town and its 党委名称 given."""
    overrides: dict[str, Any] = {}
    if year is not None:
        overrides["year"] = year
    if town:
        overrides["town"] = town
    if town or county:
        overrides["committee"] = committee_name(town or Settings().town, county)
    return replace(Settings(), **overrides)


def _read_roster(path: Path, soffice: str | None) -> Roster:
    """Return the roster at ``path``, a .xls converted to .xlsx by LibreOffice first."""
    import tempfile

    from tongjia_xls.book.roster_file import CONVERTIBLE, read_roster

    if path.suffix.lower() not in CONVERTIBLE or not path.is_file():
        return read_roster(path)
    from tongjia_xls.word.convert import ConversionError, convert, find_soffice

    program = find_soffice(soffice)
    if program is None:
        raise UserError(
            f"名单文件“{path.name}”是旧的 {path.suffix} 格式，本机没有 LibreOffice 无法转换。"
            "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再试。"
        )
    try:
        data = convert(path, program, "xlsx")
    except ConversionError as error:
        raise UserError(
            f"名单文件“{path.name}”无法转换（{error}）。"
            "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再试。"
        ) from None
    with tempfile.TemporaryDirectory(prefix="tongjia-roster-") as work:
        converted = Path(work) / "roster.xlsx"
        converted.write_bytes(data)
        return read_roster(converted, shown_as=path.name)


def check_new_name(out: Path) -> None:
    """Raise :class:`UserError` unless ``out`` names an .xlsx or an .xlsm."""
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(
            f"新建的工作簿应以 .xlsx（普通工作簿）或 .xlsm（带按钮的工作簿）结尾"
            f"（现在是“{out.name}”）。"
        )


def new_book(
    out: Path,
    settings: Settings,
    orgs: Sequence[Mapping[str, Any]],
    *,
    interpreter: str | None = None,
) -> Workbook:
    """Return a new workbook for ``out``, built in memory and not saved yet.

    The name decides what is built: an ``.xlsx``, or the ``.xlsm`` with buttons.
    Once it is saved, call :func:`check_built`.
    """
    from tongjia_xls.book.create import new_workbook
    from tongjia_xls.book.openpyxl_backend import OpenpyxlBackend

    if out.suffix.lower() == ".xlsm":
        from tongjia_xls.book.xlsm import build_macro_workbook

        workbook = build_macro_workbook(settings, orgs, interpreter=interpreter)
    else:
        workbook = new_workbook(settings, orgs)
    out.parent.mkdir(parents=True, exist_ok=True)
    backend = OpenpyxlBackend(out, workbook, keep=settings.backups_kept)
    backend.changed = True
    return Workbook(backend)


def check_built(out: Path) -> None:
    """Read a new macro workbook back and fail loudly if the build broke anything."""
    if out.suffix.lower() != ".xlsm":
        return
    from tongjia_xls.book.xlsm import check_macro_workbook

    problems = check_macro_workbook(out)
    if problems:
        # Not the user's mistake: a broken build must never pass for a working workbook.
        raise RuntimeError(f"{out.name} failed its own check: " + "；".join(problems))


def add_buttons(workbook: Path | str, *, interpreter: str | None = None) -> Outcome:
    """Put the buttons into a master workbook, or renew them; return what was done.

    An ``.xlsx`` is only read: the macro workbook is written beside it, under the same name
    ending in ``.xlsm``, a copy of it byte for byte but for what the buttons add. An ``.xlsm``
    gets its VBA project compiled again (today's macros, the installed xlwings) and its
    buttons redrawn, in place, after a backup. ``interpreter`` is the Python the buttons
    start; ``None`` keeps the one in ``xlwings.conf`` (blank, for a new sheet: the PATH's).
    Either way the macro parts are grafted into the package (:mod:`tongjia_xls.book.xlsm_graft`),
    so nothing of the staff's is rewritten.
    """
    from tongjia_xls.book.file_backend import FileBackend
    from tongjia_xls.book.vba_project import ensure_available
    from tongjia_xls.book.xlsm_graft import copy_for_buttons, graft_macros

    ensure_available()
    source = Path(workbook)
    if source.suffix.lower() == ".xlsm":
        out = source
    else:
        out = source.with_suffix(".xlsm")
        if out.exists():
            raise UserError(f"“{out.name}”已经存在，没有覆盖。要更新它的按钮，请运行："
                            f"tongjia-xls buttons “{out}”")
        with Workbook.open(source, for_write=False):
            pass  # a workbook that cannot be read is refused before the twin is made
        copy_for_buttons(source, out)
    try:
        with Workbook.open(out) as book:
            backend = book.backend
            assert isinstance(backend, FileBackend)
            if out is not source:
                backend.skip_backup()  # the twin is new: the .xlsx itself is its original
            graft_macros(backend, interpreter=interpreter)
            outcome = validate_workbook(book)
    except BaseException:
        if out is not source:
            out.unlink(missing_ok=True)  # no half-made twin is left beside the .xlsx
        raise
    check_built(out)
    outcome.outputs.append(out)
    return outcome


@holds_workbook
def validate_workbook(book: Workbook | Path | str) -> Outcome:
    """Check every sheet of the workbook, mark each bad row in 校验提示, refresh 控制台.

    Also repairs what can be repaired without touching staff data: settings rows that are
    missing, rows for organizations of the roster that a per-organization sheet lacks, and
    the 述职人 copied from the roster.
    """
    book = open_book(book)
    diagnostics = list(getattr(book.backend, "load_diagnostics", []))
    settings, found = book.settings()
    diagnostics += found
    diagnostics += check_settings(settings)
    _repair_settings(book, diagnostics)
    orgs = book.read(ORGS)
    diagnostics += orgs.diagnostics
    roster = {key_text(r["org"]): r for r in orgs if r.get("org")}
    if orgs.usable and not roster:
        diagnostics.append(
            Diagnostic(f"还没有填写党组织名单。请在“{ORGS.title}”表逐行填写，"
                       "或用 tongjia-xls init --roster 从名单文件导入",
                       sheet=orgs.title, severity=Severity.WARNING)
        )
    names = [r["org"] for r in roster.values()]
    tables: dict[str, Table] = {}
    for sheet in (*PER_ORG_SHEETS, RECTIFICATION):
        table = book.read(sheet)
        diagnostics += table.diagnostics
        if table.usable and orgs.usable:
            check = check_against_roster(table, names, complete=sheet.per_org)
            diagnostics += check.diagnostics
            if check.missing:
                _add_orgs(book, sheet, check.missing, roster, diagnostics)
                table = book.read(sheet)
            if sheet.per_org:
                _copy_secretaries(book, table, roster, diagnostics)
                if roster:
                    _clear_orphans(book, table, orphans(table, names), diagnostics)
        tables[sheet.name] = table
    tables[ORGS.name] = orgs
    for table in tables.values():
        _write_remarks(book, table, diagnostics)
    lines = refresh_dashboard(book, settings, diagnostics)
    saved = book.changed
    backup = save(book, settings)
    return Outcome(path_of(book), diagnostics, lines, backup, saved=saved)


def refresh_dashboard(
    book: Workbook, settings: Settings, diagnostics: Sequence[Diagnostic]
) -> list[dashboard.StageLine]:
    """Recompute the 控制台 lines from the workbook and write those that changed."""
    def rows(sheet: Sheet) -> list[dict[str, Any]]:
        return [r.values for r in book.read(sheet)]

    orgs = len([r for r in rows(ORGS) if r.get("org")])
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    first = errors[0] if errors else (warnings[0] if warnings else None)
    lines = [
        dashboard.validation_line(len(errors), len(warnings), str(first) if first else None),
        dashboard.reports_line(rows(REPORTS), orgs, settings.deadline),
        dashboard.ballots_line(rows(BALLOTS), orgs),
        dashboard.grades_line(rows(SCORES), orgs,
                              Quota(settings.quota_share, settings.quota_low_min)),
        dashboard.rectification_line(rows(RECTIFICATION)),
    ]
    table = book.read(DASHBOARD)
    if not table.usable:
        return lines
    current = table.by_key()
    now = datetime.now().replace(microsecond=0)
    changes: dict[str, Mapping[str, Any]] = {}
    for line in lines:
        old = current.get(key_text(line.stage))
        if old and (old.values.get("status"), old.values.get("next_step")) == (
            line.status, line.next_step
        ):
            continue  # unchanged: keep its time, so a repeated run writes nothing
        changes[line.stage] = {"status": line.status, "next_step": line.next_step, "updated": now}
    book.update(DASHBOARD, changes, add_missing=True)
    return lines


# -- helpers -------------------------------------------------------------------------


def open_book(book: Workbook | Path | str) -> Workbook:
    """Return ``book`` itself, or the workbook file it names opened for writing."""
    return book if isinstance(book, Workbook) else Workbook.open(Path(book))




def path_of(book: Workbook) -> Path | None:
    """Return the file behind ``book``, or ``None`` for a workbook that has none."""
    return getattr(book.backend, "path", None)


def save(book: Workbook, settings: Settings) -> Path | None:
    """Save ``book`` keeping as many backups as the settings say; return the backup."""
    if hasattr(book.backend, "keep"):
        book.backend.keep = settings.backups_kept
    return book.save()


def _repair_settings(book: Workbook, diagnostics: list[Diagnostic]) -> None:
    table = book.read(SETTINGS)
    if not table.usable:
        return
    present = {key_text(r.raw.get("item")) for r in table}
    specs = setting_specs()
    book.update(SETTINGS, {s.label: {"note": s.description} for s in specs
                           if key_text(s.label) in present})
    missing = [s for s in specs if key_text(s.label) not in present]
    if missing:
        book.append(SETTINGS, [
            {"item": s.label, "value": s.cell_value(s.default), "note": s.description}
            for s in missing
        ])
        diagnostics.append(
            Diagnostic(
                f"已在“{SETTINGS.title}”末尾补上缺少的设置项："
                f"{'、'.join(s.label for s in missing)}（取默认值）",
                sheet=table.title, severity=Severity.INFO,
            )
        )


def _add_orgs(
    book: Workbook,
    sheet: Sheet,
    missing: list[str],
    roster: Mapping[str, Any],
    diagnostics: list[Diagnostic],
) -> None:
    has_secretary = any(c.name == "secretary" for c in sheet.columns)
    rows = {}
    for name in missing:
        values = {"secretary": roster[key_text(name)].get("secretary")} if has_secretary else {}
        rows[name] = values
    report = book.update(sheet, rows, add_missing=True)
    diagnostics += report.diagnostics
    diagnostics.append(
        Diagnostic(
            f"已为“{ORGS.title}”表中有、本表没有的党组织补上一行：{'、'.join(missing)}",
            sheet=sheet.title, severity=Severity.INFO,
        )
    )


def _copy_secretaries(
    book: Workbook, table: Table, roster: Mapping[str, Any], diagnostics: list[Diagnostic]
) -> None:
    if not any(c.name == "secretary" for c in table.sheet.columns):
        return
    values = {}
    for record in table:
        org = roster.get(key_text(record.get("org", "")))
        if org is not None:
            values[record.row] = {"secretary": org.get("secretary")}
    diagnostics += book.update_rows(table.sheet, values).diagnostics


def _clear_orphans(
    book: Workbook, table: Table, rows: Sequence[int], diagnostics: list[Diagnostic]
) -> None:
    """Clear the tool's figures on rows of organizations no longer in the roster."""
    owned = [c.name for c in table.sheet.tool_columns if c.name not in ("remarks", "secretary")]
    stale = {r.row: dict.fromkeys(owned) for r in table
             if r.row in rows and any(r.raw.get(name) not in (None, "") for name in owned)}
    if not stale:
        return
    diagnostics += book.update_rows(table.sheet, stale).diagnostics
    for row in stale:
        diagnostics.append(Diagnostic(
            "已清空本行工具算出的各项（如综合得分、排名），以免旧数字被误用。"
            f"党组织改了名的，请把本行名称改成“{ORGS.title}”表中的新名称，再重新计算",
            sheet=table.title, row=row, severity=Severity.WARNING,
        ))


def _write_remarks(book: Workbook, table: Table, diagnostics: list[Diagnostic]) -> None:
    if not table.usable or not any(c.name == "remarks" for c in table.sheet.columns):
        return
    remarks = remarks_by_row(diagnostics, table.title)
    values = {record.row: {"remarks": remarks.get(record.row)} for record in table}
    for row, text in remarks.items():
        values.setdefault(row, {"remarks": text})
    diagnostics += book.update_rows(table.sheet, values).diagnostics
