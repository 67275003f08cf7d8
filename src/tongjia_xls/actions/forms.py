"""Print-ready documents from the workbook, and the whole batch in the order of the process."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongjia_xls.actions.workbook import Outcome, Progress, holds_workbook, open_book, path_of
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import Diagnostic, Severity, UserError
from tongjia_xls.outputs import NameBook, OutputError, ensure_folder, written_or_noted
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import ORGS, SCORES
from tongjia_xls.sheets.table import Record, key_text

if TYPE_CHECKING:
    from tongjia_xls.forms.review_form import ReviewRow

FORMS_DIR = "打印材料"


@dataclass
class FormsOutcome(Outcome):
    """The documents written, and what could not be made (a PDF without LibreOffice)."""


def make_forms(
    book: Workbook | Path | str,
    *,
    out: Path | str | None = None,
    blank: bool = False,
    copies: int = 1,
    result: bool = False,
    outline: bool = False,
    opinions: bool = False,
    pdf: bool = True,
    progress: Progress | None = None,
) -> FormsOutcome:
    """Write the 附件2 ballots and result table, the 附件1 outlines and the opinions.

    With none of ``blank``, ``result``, ``outline``, ``opinions`` every document is made.
    The workbook is only read.
    """
    if copies < 1:
        raise UserError("份数（--copies）至少为 1。")
    if not (blank or result or outline or opinions):
        blank = result = outline = opinions = True
    book = book if isinstance(book, Workbook) else Workbook.open(Path(book), for_write=False)
    home = path_of(book)
    folder = ensure_folder(_forms_folder(out, home))
    settings, _ = book.settings()
    roster, scores = _read(book)
    outcome = FormsOutcome(home)
    rows = _review_rows(roster, scores, outcome.diagnostics)
    run = _Forms(settings, folder, roster, scores, rows, outcome, progress)
    if blank:
        run.blank_ballots(copies)
    if result:
        run.result()
    if outline:
        run.outlines()
    if opinions:
        run.opinions()
    outcome.outputs += run.printable
    if pdf:
        outcome.outputs += _pdfs(run.printable, outcome)
    return outcome


def _forms_folder(out: Path | str | None, home: Path | None) -> Path:
    """Return the folder asked for, or 打印材料 beside the workbook (or here)."""
    return Path(out) if out else (home.parent / FORMS_DIR if home else Path(FORMS_DIR))


def _read(book: Workbook) -> tuple[list[Record], dict[str, Record]]:
    """Return the roster and each org's 得分与等次 row; refuse a roster with no org."""
    roster = [r for r in book.read(ORGS) if r.get("org")]
    if not roster:
        raise UserError(f"“{ORGS.title}”表还没有党组织，无法生成评议表。请先填写名单。")
    scores = {key_text(r["org"]): r for r in book.read(SCORES) if r.get("org")}
    return roster, scores


def _review_rows(
    roster: list[Record], scores: Mapping[str, Record], diagnostics: list[Diagnostic]
) -> list[ReviewRow]:
    """Return each org's row of the 附件2 forms; warn of a blank 单位及职务."""
    from tongjia_xls.forms.review_form import ReviewRow

    rows = []
    position = ORGS.header("position")
    for record in roster:
        score = scores.get(key_text(record["org"]))
        final = score.get("final_grade") if score else None
        proposed = score.get("proposed_grade") if score else None
        rows.append(ReviewRow(record.get("secretary") or "", record.get("position"),
                              record["org"], final or proposed, final=final is not None))
        if not record.get("position"):
            diagnostics.append(Diagnostic(
                f"“{position}”未填写，评议表上这一格将空白", sheet=ORGS.title, row=record.row,
                column=position, severity=Severity.WARNING))
    return rows


@dataclass
class _Forms:
    """One make_forms run: what its documents are made of, and what was written."""

    settings: Settings
    folder: Path
    roster: list[Record]
    scores: dict[str, Record]
    rows: list[ReviewRow]
    outcome: FormsOutcome
    progress: Progress | None
    printable: list[Path] = field(default_factory=list)  # also turned into PDFs

    def write(self, make: Callable[[], Path], into: list[Path]) -> None:
        """Write one document into ``into``, or note why it could not be written."""
        # A document that cannot be written (disk full, open in Word …) is noted; the rest
        # are still made.
        path = written_or_noted(make, self.outcome.diagnostics)
        if path is not None:
            into.append(path)

    def blank_ballots(self, copies: int) -> None:
        """Write the blank 附件2 ballots, as .docx (printable) and .xlsx."""
        from tongjia_xls.forms.review_form import (
            write_blank_ballots_docx,
            write_blank_ballots_xlsx,
        )

        rows, settings, folder = self.rows, self.settings, self.folder
        self.write(lambda: write_blank_ballots_docx(rows, settings, folder, copies=copies),
                   self.printable)
        self.write(lambda: write_blank_ballots_xlsx(rows, settings, folder, copies=copies),
                   self.outcome.outputs)

    def result(self) -> None:
        """Write the 附件2 result table, warning when no org has a grade yet."""
        from tongjia_xls.forms.review_form import write_result_docx, write_result_xlsx

        rows, settings, folder = self.rows, self.settings, self.folder
        if not any(r.grade for r in rows):
            self.outcome.diagnostics.append(Diagnostic(
                "还没有建议等次或确定等次，结果表中没有√。请先运行“计算得分与等次”",
                sheet=SCORES.title, severity=Severity.WARNING))
        self.write(lambda: write_result_docx(rows, settings, folder), self.printable)
        self.write(lambda: write_result_xlsx(rows, settings, folder), self.outcome.outputs)

    def outlines(self) -> None:
        """Write one 附件1 outline per org into their own folder."""
        from tongjia_xls.forms.outline import OutlineOrg, write_outline

        target, names = self.folder / "附件1提纲", NameBook("述职报告提纲")
        if _folder_made(target, self.outcome):
            for done, record in enumerate(self.roster, start=1):
                org = OutlineOrg(record["org"], record.get("secretary"), record.get("position"))
                self.write(partial(write_outline, org, self.settings, target, names=names),
                           self.outcome.outputs)
                if self.progress:
                    self.progress(done, len(self.roster), "生成附件1提纲")
        self.outcome.diagnostics += names.diagnostics()

    def opinions(self) -> None:
        """Write each org's 评价意见 into their own folder, and all of them in one file."""
        from tongjia_xls.forms.opinion import OpinionDoc, write_opinion, write_opinions_combined

        docs = [_opinion_doc(OpinionDoc, record, self.scores.get(key_text(record["org"])))
                for record in self.roster]
        target, names = self.folder / "综合评价意见", NameBook("综合评价意见")
        if _folder_made(target, self.outcome):
            for doc in docs:
                self.write(partial(write_opinion, doc, self.settings, target, names=names),
                           self.outcome.outputs)
        self.outcome.diagnostics += names.diagnostics()
        settings, folder = self.settings, self.folder
        self.write(lambda: write_opinions_combined(docs, settings, folder), self.printable)


def _opinion_doc(kind: Any, record: Any, score: Any) -> Any:
    get = score.get if score else (lambda name, default=None: default)
    final = get("final_grade")
    return kind(record["org"], record.get("secretary"), record.get("position"),
                get("composite"), get("rank") or "", final or get("proposed_grade"),
                final is not None, get("opinion"))


def _folder_made(folder: Path, outcome: Outcome) -> bool:
    """Create ``folder``; if it cannot be, say so in ``outcome`` and return ``False``."""
    try:
        ensure_folder(folder)
    except OutputError as error:
        outcome.diagnostics.append(Diagnostic(str(error)))
        return False
    return True


def _pdfs(paths: list[Path], outcome: FormsOutcome) -> list[Path]:
    """Make the PDFs of ``paths`` in one LibreOffice run; note the files that got none."""
    from tongjia_xls.forms.pdf import PdfUnavailable, to_pdfs

    try:
        results = to_pdfs(paths)
    except PdfUnavailable as error:  # the same reason holds for every file
        outcome.diagnostics.append(Diagnostic(str(error), severity=Severity.WARNING))
        return []
    made = []
    for result in results:
        if isinstance(result, Path):
            made.append(result)
        else:  # not converted is a note; converted but not written is an error
            severity = Severity.WARNING if isinstance(result, PdfUnavailable) else Severity.ERROR
            outcome.diagnostics.append(Diagnostic(str(result), severity=severity))
    return made


@dataclass
class RunOutcome(Outcome):
    """The whole batch: each step's outcome, in order, and the step that stopped it."""

    steps: list[tuple[str, Outcome]] = field(default_factory=list)
    stopped: str | None = None


@holds_workbook
def run_all(
    workbook: Workbook | Path | str,
    *,
    reports: Path | str | None = None,
    out: Path | str | None = None,
    today: date | None = None,
    pdf: bool = True,
    progress: Progress | None = None,
) -> RunOutcome:
    """Check the reports, score, refresh the ledger and make the forms, in that order.

    A step that cannot run (a user's mistake) stops the batch there; the steps before it
    are saved, and ``stopped`` says which step and why.
    """
    from tongjia_xls.actions.check import check_reports
    from tongjia_xls.actions.rectify import rectify_workbook
    from tongjia_xls.actions.score import score_workbook

    # One gateway for every step: the file is read once, or the open workbook is used
    # throughout when a button runs the batch.
    book = open_book(workbook)
    outcome = RunOutcome(path_of(book))
    steps: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("检查述职报告", lambda: check_reports(book, reports=reports, progress=progress)),
        ("计算得分与等次", lambda: score_workbook(book, progress=progress)),
        ("更新整改台账", lambda: rectify_workbook(book, today=today)),
        ("生成打印材料", lambda: make_forms(book, out=out, pdf=pdf, progress=progress)),
    )
    for number, (title, step) in enumerate(steps, start=1):
        try:
            done = step()
        except UserError as error:
            outcome.stopped = f"第{number}步“{title}”未能完成：{error}"
            break
        outcome.steps.append((title, done))
        outcome.outputs += done.outputs
    if outcome.steps:
        last = outcome.steps[-1][1]
        outcome.lines = last.lines or next((o.lines for _, o in reversed(outcome.steps)
                                            if o.lines), [])
    return outcome
