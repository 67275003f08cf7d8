"""The demo runs end to end and leaves a workspace a newcomer can open."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tongjia_xls.actions import validate_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.demo.workspace import MISTAKE_VALUE, make_demo
from tongjia_xls.errors import Severity
from tongjia_xls.sheets.schema import BALLOTS, ORGS, RECTIFICATION, REPORTS, SCORES


def test_demo_command_prints_where_its_outputs_are(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "演示")])
    assert result.exit_code == 0, result.output
    assert "演示完成" in result.output
    assert str((tmp_path / "演示").resolve()) in result.output
    assert "“九十”不是数字" in result.output


def test_demo_workspace_is_complete(tmp_path: Path) -> None:
    result = make_demo(tmp_path)
    assert len(result.reports) == 21 and all(p.suffix == ".docx" for p in result.reports)
    book = Workbook.open(result.workbook)
    roster = book.read(ORGS)
    assert len(roster) == 21 and not roster.diagnostics
    reports = book.read(REPORTS).by_key()
    assert all((tmp_path / "述职报告" / r["file"]).is_file() for r in reports.values())
    ballots = book.read(BALLOTS)  # tallied from 35 ballots, one of them left a cell blank
    assert sorted({r["valid_votes"] for r in ballots}) == [34, 35]
    ledger = book.read(RECTIFICATION)
    assert sum(1 for r in ledger if not r["draft_key"]) == 6  # typed by the office
    drafts = [r for r in ledger if r["draft_key"]]  # drafted from the reports' problems
    assert drafts and {r["source"] for r in drafts} == {"自身查摆"}
    assert any(r["overdue"] == "是" for r in ledger)  # tracked on the demo's day
    scored = dict(result.steps)["计算得分与等次"]
    errors = [d for d in scored.diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 1 and MISTAKE_VALUE in errors[0].message
    assert errors[0].sheet == SCORES.title
    scores = book.read(SCORES).by_key()
    assert sum(r["composite"] is not None for r in scores.values()) == 20  # 九十 is no score
    assert all(r["proposed_grade"] for r in scores.values() if r["composite"] is not None)


def test_demo_ends_with_every_step_of_the_batch(tmp_path: Path) -> None:
    steps = [title for title, _ in make_demo(tmp_path).steps]
    assert steps[-4:] == ["检查述职报告", "计算得分与等次", "更新整改台账", "生成打印材料"]
    assert (tmp_path / "打印材料" / "2023年度述职评议结果表.docx").is_file()


def test_demo_runs_again_over_its_own_folder(tmp_path: Path) -> None:
    make_demo(tmp_path)
    second = make_demo(tmp_path)
    assert len(Workbook.open(second.workbook).read(ORGS)) == 21
    assert not validate_workbook(second.workbook).saved  # nothing left to change
