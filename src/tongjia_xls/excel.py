"""What the buttons run: one function per button of ``控制台``, called by xlwings' RunPython.

Each function takes the workbook that called it (``xw.Book.caller()``), wraps it in the
xlwings backend of the gateway, and runs the same action as the command line on the OPEN
workbook; the file on disk is never touched by another library while Excel holds it.
Progress goes to Excel's status bar. A mistake staff can fix is shown in an alert and on
``控制台``; anything else is a bug: the alert says so, and the traceback is written to a
log beside the workbook instead of a VBA error box.

Every function also accepts ``book`` directly, which is how the tests drive them with a
faithful double of xlwings' ``Book``.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tongjia_xls.errors import Severity, UserError
from tongjia_xls.sheets.schema import DASHBOARD, REMARKS_HEADER

#: The row of ``控制台`` that tells what the last button did.
LAST_RUN_STAGE = "最近一次按钮操作"
#: The log of unexpected errors, beside the workbook.
ERROR_LOG = "tongjia-xls-错误记录.txt"
#: How many messages an alert lists before it only counts the rest.
SHOWN = 8

Action = Callable[[Any, Callable[[int, int, str], None]], Any]


def validate(book: Any = None) -> Any:
    """Button 检查工作簿: check what staff typed in every sheet."""
    from tongjia_xls.actions import validate_workbook

    return _run("检查工作簿", book, lambda wb, progress: validate_workbook(wb))


def check_reports(book: Any = None) -> Any:
    """Button 检查述职报告: check the reports in the 述职报告 folder beside the workbook."""
    from tongjia_xls.actions import check_reports as check

    return _run("检查述职报告", book, lambda wb, progress: check(wb, progress=progress))


def score(book: Any = None) -> Any:
    """Button 计算得分与等次: tally the ballots, score, rank and propose grades."""
    from tongjia_xls.actions import score_workbook

    return _run("计算得分与等次", book, lambda wb, progress: score_workbook(wb, progress=progress))


def rectify(book: Any = None) -> Any:
    """Button 更新整改台账: draft items from the reports, refresh days left and alerts."""
    from tongjia_xls.actions.rectify import rectify_workbook

    return _run("更新整改台账", book,
                lambda wb, progress: rectify_workbook(wb, draft=True, progress=progress))


def forms(book: Any = None) -> Any:
    """Button 生成打印材料: write every printable document, with PDFs where possible."""
    from tongjia_xls.actions.forms import make_forms

    def action(wb: Any, progress: Callable[[int, int, str], None]) -> Any:
        outcome = make_forms(wb, progress=progress)
        _excel_pdfs(wb.backend.book.app, outcome)
        return outcome

    return _run("生成打印材料", book, action)


def run_all(book: Any = None) -> Any:
    """Button 一键运行全部: check, score, ledger and forms, stopping at a step that cannot run."""
    from tongjia_xls.actions.forms import run_all as run

    return _run("一键运行全部", book, lambda wb, progress: run(wb, progress=progress))


# -- the frame every button runs in ---------------------------------------------------


def _run(title: str, book: Any, action: Action) -> Any:
    """Run ``action`` on the calling workbook and tell staff how it went; return the outcome.

    ``None`` is returned when the action could not run (the alert said why).
    """
    from tongjia_xls.book.gateway import Workbook
    from tongjia_xls.book.xlwings_backend import XlwingsBackend

    book = book if book is not None else _caller()
    app = book.app
    gateway = Workbook(XlwingsBackend(book))
    app.status_bar = f"正在{title}……"
    # Excel repaints after every cell written over COM unless told not to.
    app.screen_updating = False
    try:
        _ensure_local_file(book)
        outcome = action(gateway, _progress(app, title))
    except UserError as error:
        _note(gateway, f"“{title}”未能完成：{error}", "按提示修改后，再点一次按钮")
        app.alert(f"“{title}”未能完成。\n\n{error}", title="tongjia-xls", mode="critical")
        return None
    except Exception:  # a bug: keep the traceback for the developers, not in a VBA box
        log = _log_error(book, title)
        app.alert(f"“{title}”运行时程序出错，这不是您的操作问题。\n详细信息已记录在：{log}\n"
                  "请把该文件发给维护人员。工作簿中已写入的内容可以保留，也可以不保存直接关闭。",
                  title="tongjia-xls", mode="critical")
        return None
    finally:
        app.screen_updating = True
        app.status_bar = False  # hands the status bar back to Excel
    stopped = getattr(outcome, "stopped", None)
    if stopped:
        _note(gateway, stopped, "按提示修改后，再点“一键运行全部”")
    else:
        _clear_failure_note(gateway, title)
    app.alert(summary(title, outcome), title="tongjia-xls",
              mode="critical" if stopped else "info")
    return outcome


def summary(title: str, outcome: Any) -> str:
    """Return the Chinese text of the alert after a button: counts, first messages, files."""
    stopped = getattr(outcome, "stopped", None)
    lines = [f"“{title}”{'中途停止' if stopped else '已完成'}。"]
    if stopped:
        lines.append(stopped)
    problems = [d for d in outcome.diagnostics if d.severity is not Severity.INFO]
    errors = outcome.count(Severity.ERROR)
    if problems:
        lines.append(f"发现错误 {errors} 条、提醒 {len(problems) - errors} 条"
                     f"（各表“{REMARKS_HEADER}”列有逐行说明）：")
        lines += [f"· {d}" for d in problems[:SHOWN]]
        if len(problems) > SHOWN:
            lines.append(f"……另有 {len(problems) - SHOWN} 条")
    for line in outcome.lines[:5]:
        lines.append(f"{line.stage}：{line.status}")
    if outcome.outputs:
        folders = sorted({str(Path(p).parent) for p in outcome.outputs})
        lines.append(f"已生成 {len(outcome.outputs)} 个文件，在：{'；'.join(folders)}")
    if outcome.backup:
        lines.append(f"保存前的版本已备份到：{outcome.backup}")
    return "\n".join(lines)


def _caller() -> Any:
    try:
        import xlwings
    except ImportError:  # pragma: no cover - xlwings is a dependency
        raise UserError("没有安装 xlwings。请在命令提示符中运行：pip install xlwings") from None
    return xlwings.Book.caller()


def _ensure_local_file(book: Any) -> None:
    """Refuse a workbook that is not a file on this computer: reports and forms sit beside it."""
    fullname = str(book.fullname)
    if "://" in fullname:
        raise UserError("工作簿保存在 OneDrive/SharePoint 等网络位置，工具找不到它旁边的文件夹。"
                        "请“另存为”到本机的文件夹（例如 D:\\述职评议），再点按钮。")
    if not Path(fullname).is_absolute() or not Path(fullname).is_file():
        raise UserError("这个工作簿还没有保存过。请先“另存为”到述职报告所在的文件夹，再点按钮。")


def _progress(app: Any, title: str) -> Callable[[int, int, str], None]:
    def show(done: int, total: int, what: str) -> None:
        app.status_bar = f"正在{title}：{done}/{total} {what}"

    return show


def _note(gateway: Any, status: str, next_step: str) -> None:
    """Write what the last button did as a row of ``控制台``, saved with the workbook."""
    now = datetime.now().replace(microsecond=0)
    # When 控制台 itself is unusable (renamed, say) the alert alone tells staff.
    with contextlib.suppress(UserError):
        gateway.update(DASHBOARD, {LAST_RUN_STAGE: {
            "status": status, "next_step": next_step, "updated": now}}, add_missing=True)


def _clear_failure_note(gateway: Any, title: str) -> None:
    """Replace the note of an earlier failure, if 控制台 has one, and save that change.

    Only then: a button that succeeds after another success writes nothing more.
    """
    with contextlib.suppress(UserError):
        note = gateway.read(DASHBOARD).by_key().get(LAST_RUN_STAGE)
        if note is not None and "未能完成" in str(note.get("status") or ""):
            _note(gateway, f"“{title}”已完成",
                  f"按“{DASHBOARD.title}”各行的“{DASHBOARD.header('next_step')}”继续")
            gateway.save()


def _log_error(book: Any, title: str) -> Path:
    folder = Path(book.fullname).parent
    log = folder / ERROR_LOG if folder.is_dir() else Path.home() / ERROR_LOG
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n==== {stamp} {title} ({book.name})\n{traceback.format_exc()}")
    return log


def _excel_pdfs(app: Any, outcome: Any) -> None:
    """Export each .xlsx form to PDF through Excel itself, beside it."""
    from tongjia_xls.errors import Diagnostic

    for path in [Path(p) for p in outcome.outputs if str(p).lower().endswith(".xlsx")]:
        pdf = path.with_suffix(".pdf")
        try:
            opened = app.books.open(str(path))
            try:
                opened.to_pdf(str(pdf))
            finally:
                opened.close()
        except Exception as error:  # Excel's COM errors have no common base class
            outcome.diagnostics.append(Diagnostic(
                f"未能用 Excel 把“{path.name}”转为 PDF（{error}）。可打开该文件后“另存为”PDF",
                severity=Severity.WARNING))
            continue
        outcome.outputs.append(pdf)
