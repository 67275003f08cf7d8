"""The demo runs end to end and leaves a workspace a newcomer can open."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tongjia_xls.actions import validate_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.schema import BALLOTS, ORGS, RECTIFICATION, REPORTS, SCORES
from tongjia_xls.cli import main
from tongjia_xls.demo.workspace import MISTAKE_VALUE, make_demo
from tongjia_xls.errors import Severity


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
    ballots = book.read(BALLOTS)
    assert all(sum(r[k] for k in ("good", "fairly_good", "average", "poor")) == 35 for r in ballots)
    assert len(book.read(RECTIFICATION)) == 6
    errors = [d for _, o in result.steps for d in o.diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 1 and MISTAKE_VALUE in errors[0].message
    assert errors[0].sheet == SCORES.title


def test_demo_runs_again_over_its_own_folder(tmp_path: Path) -> None:
    make_demo(tmp_path)
    second = make_demo(tmp_path)
    assert len(Workbook.open(second.workbook).read(ORGS)) == 21
    assert not validate_workbook(second.workbook).saved  # nothing left to change
