"""The buttons' Python side, driven through a double of xlwings (no Excel runs on Linux).

Each entry point is called as RunPython would, with the workbook as Excel holds it
(``xlwings_double.Book``), and must do what the same command does to the file: the tests
compare the open workbook after a button with a copy of the file after the command.
What stays unverified: that Excel itself runs the macro, passes the caller, and shows the
alert; see the README's acceptance checklist.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tongjia_xls import excel
from tongjia_xls.book.buttons import BUTTONS
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.xlsm import check_macro_workbook
from tongjia_xls.book.xlwings_backend import XlwingsBackend
from tongjia_xls.cli import main
from tongjia_xls.demo.workspace import make_demo
from tongjia_xls.sheets.schema import DASHBOARD, REPORTS, SCORES, SETTINGS
from xlwings_double import Book


@pytest.fixture(scope="module")
def _demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo") / "演示", macro=True).folder


@pytest.fixture
def demo(_demo: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo folder (macro workbook, reports); returns the workbook."""
    folder = tmp_path / "演示"
    shutil.copytree(_demo, folder)
    return next(folder.glob("*.xlsm"))


def _opened(path: Path) -> Book:
    return Book.from_file(path)


def _tool_values(book: Workbook, sheet: object, skip: tuple[str, ...] = ()) -> dict:
    return {r["org"]: {c.name: r.get(c.name) for c in sheet.columns
                       if c.is_tool and c.name not in skip}
            for r in book.read(sheet)}


@pytest.mark.parametrize("button", BUTTONS, ids=[b.entry for b in BUTTONS])
def test_every_button_runs_and_says_how_it_went(demo: Path, button: object) -> None:
    book = _opened(demo)
    outcome = getattr(excel, button.entry)(book)
    assert outcome is not None, book.app.alerts
    (alert,) = book.app.alerts
    assert alert["title"] == "tongjia-xls" and alert["mode"] == "info"
    assert button.caption in alert["prompt"] and "已完成" in alert["prompt"]
    assert book.app.status_history[0] == f"正在{button.caption}……"
    assert book.app.status_history[-1] is False  # the status bar goes back to Excel
    assert book.app.screen_updating is True


def test_a_button_does_what_its_command_does(demo: Path) -> None:
    command_copy = demo.with_name("命令行.xlsm")
    shutil.copy(demo, command_copy)
    assert CliRunner().invoke(main, ["score", str(command_copy)]).exit_code in (0, 1)
    book = _opened(demo)
    excel.score(book)
    by_button = Workbook(XlwingsBackend(book))
    by_command = Workbook.open(command_copy, for_write=False)
    for sheet in (SCORES, REPORTS):
        assert _tool_values(by_button, sheet) == _tool_values(by_command, sheet)


def test_the_button_saves_through_excel_after_a_backup(demo: Path) -> None:
    book = _opened(demo)
    excel.score(book)
    assert book.saves == []  # the demo is scored already: nothing changed, nothing saved
    first = next(iter(Workbook(XlwingsBackend(book)).read(SCORES))).get("org")
    Workbook(XlwingsBackend(book)).update(SCORES, {first: {"field": 61}}, include_staff=True)
    excel.score(book)
    assert book.saves == [None]  # Excel's own save of its own file
    backups = list((demo.parent / "备份").glob("*.xlsm"))
    assert backups
    assert "保存前的版本已备份到" in book.app.alerts[-1]["prompt"]
    # What the double wrote is a file a batch run could take over: macros and buttons kept.
    assert check_macro_workbook(demo) == []


def test_progress_goes_to_the_status_bar(demo: Path) -> None:
    book = _opened(demo)
    excel.check_reports(book)
    steps = [s for s in book.app.status_history if isinstance(s, str) and "/" in s]
    assert steps and steps[-1].startswith("正在检查述职报告：")


def test_a_mistake_staff_can_fix_is_shown_in_an_alert_and_on_the_dashboard(demo: Path) -> None:
    book = _opened(demo)
    gateway = Workbook(XlwingsBackend(book))
    gateway.update(SETTINGS, {"现场述职权重": {"value": 0.3}, "平时考核权重": {"value": 0.2}},
                   include_staff=True)
    assert excel.score(book) is None
    (alert,) = book.app.alerts
    assert alert["mode"] == "critical" and "计算得分与等次" in alert["prompt"]
    assert "0.8" in alert["prompt"]  # 0.2 + 0.3 + 0.3, named in the message
    dashboard = Workbook(XlwingsBackend(book)).read(DASHBOARD).by_key()
    assert "未能完成" in dashboard[excel.LAST_RUN_STAGE]["status"]
    # Only last run's figures are cleared, so that none looks current; that alone is saved.
    scores = Workbook(XlwingsBackend(book)).read(SCORES).records
    assert all(r["composite"] is None and "未计算" in str(r["grade_notes"]) for r in scores)
    assert len(book.saves) == 1

    gateway.update(SETTINGS, {"现场述职权重": {"value": 0.4}, "平时考核权重": {"value": 0.3}},
                   include_staff=True)
    assert excel.score(book) is not None
    dashboard = Workbook(XlwingsBackend(book)).read(DASHBOARD).by_key()
    assert dashboard[excel.LAST_RUN_STAGE]["status"] == "“计算得分与等次”已完成"


def test_a_bug_is_logged_beside_the_workbook_not_shown_as_a_traceback(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("tongjia_xls.actions.score_workbook", broken)
    book = _opened(demo)
    assert excel.score(book) is None
    (alert,) = book.app.alerts
    assert "程序出错" in alert["prompt"] and "Traceback" not in alert["prompt"]
    log = demo.parent / excel.ERROR_LOG
    assert "ZeroDivisionError: a bug" in log.read_text(encoding="utf-8")


def test_forms_are_exported_to_pdf_through_excel(demo: Path) -> None:
    book = _opened(demo)
    outcome = excel.forms(book)
    sheets = [Path(p) for p in outcome.outputs if Path(p).suffix == ".xlsx"]
    assert sheets
    for sheet in sheets:
        assert sheet.with_suffix(".pdf") in outcome.outputs
        assert sheet.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert not [b for b in book.app.books if b is not book]  # each export closed its book


@pytest.mark.parametrize("fullname", ["工作簿1", "https://d.docs.live.net/abc/总表.xlsm"])
def test_a_workbook_that_is_not_a_local_file_is_refused(fullname: str) -> None:
    book = Book(fullname, sheets=[DASHBOARD.title])
    assert excel.check_reports(book) is None
    (alert,) = book.app.alerts
    assert "另存为" in alert["prompt"]


def test_the_batch_button_stops_at_the_step_that_cannot_run(demo: Path) -> None:
    book = _opened(demo)
    Workbook(XlwingsBackend(book)).update(
        SETTINGS, {"平时考核权重": {"value": 0.2}}, include_staff=True)
    outcome = excel.run_all(book)
    assert outcome.stopped and outcome.stopped.startswith("第2步“计算得分与等次”未能完成")
    assert [title for title, _ in outcome.steps] == ["检查述职报告"]
    (alert,) = book.app.alerts
    assert alert["mode"] == "critical" and "中途停止" in alert["prompt"]
    note = Workbook(XlwingsBackend(book)).read(DASHBOARD).by_key()[excel.LAST_RUN_STAGE]
    assert note["status"] == outcome.stopped
