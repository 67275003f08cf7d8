"""An action's outcome as the page shows it: plain JSON, every text already in Chinese.

The page decides nothing and words nothing: the sentences are the CLI's own (the same
``Diagnostic`` texts, the same summary lines), so the three ways of running an action tell
staff the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tongjia_xls.actions.workbook import Outcome
from tongjia_xls.cli_output import new_problems
from tongjia_xls.errors import Diagnostic

__all__ = ["diagnostic_json", "outcome_json"]


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """Return what the page shows of ``outcome``: problems, 控制台, files, and the details
    of its kind of action (reports' verdicts, grades, ledger, the steps of a whole run)."""
    from tongjia_xls.actions.forms import RunOutcome

    data: dict[str, Any] = {
        "workbook": _path(outcome.workbook),
        "saved": outcome.saved,
        "backup": _path(outcome.backup),
        "diagnostics": [diagnostic_json(d) for d in new_problems(outcome.diagnostics, set())],
        "lines": [{"stage": x.stage, "status": x.status, "next_step": x.next_step}
                  for x in outcome.lines],
        "outputs": [_output(path) for path in outcome.outputs],
        "summary": summary_lines(outcome),
    }
    if isinstance(outcome, RunOutcome):
        data["stopped"] = outcome.stopped
        data["steps"] = [{"title": title, **_details(step), "summary": summary_lines(step)}
                         for title, step in outcome.steps]
        seen: set[str] = set()
        data["diagnostics"] = [diagnostic_json(d) for _, step in outcome.steps
                               for d in new_problems(step.diagnostics, seen)]
        data["outputs"] = [_output(p) for _, step in outcome.steps for p in step.outputs]
    data.update(_details(outcome))
    return data


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """Return one message with its place (file, sheet, row, column) and its full text."""
    return {"severity": diagnostic.severity.value, "label": diagnostic.severity.label,
            "text": str(diagnostic), "message": diagnostic.message, "file": diagnostic.file,
            "sheet": diagnostic.sheet, "row": diagnostic.row, "column": diagnostic.column}


def summary_lines(outcome: Outcome) -> list[str]:
    """Return the one or two sentences that say what the action did, as the CLI says them."""
    from tongjia_xls.actions import CheckOutcome, ScoreOutcome
    from tongjia_xls.actions.rectify import RectifyOutcome
    from tongjia_xls.cli_output import checked_sentence, drafted_sentence, grade_sentences

    lines: list[str] = []
    if isinstance(outcome, CheckOutcome):
        lines.append(checked_sentence(outcome))
    if isinstance(outcome, ScoreOutcome):
        lines += grade_sentences(outcome)
    if isinstance(outcome, RectifyOutcome):
        if outcome.drafted:
            lines.append(drafted_sentence(outcome.drafted))
        lines.append(outcome.summary)
    if outcome.outputs:
        lines.append(f"已生成 {len(outcome.outputs)} 个文件。")
    if outcome.saved:
        lines.append("工作簿已保存" + (f"，上一版本已备份到 {outcome.backup}。"
                                      if outcome.backup else "。"))
    return lines


def _details(outcome: Outcome) -> dict[str, Any]:
    from tongjia_xls.actions import CheckOutcome, ScoreOutcome
    from tongjia_xls.actions.rectify import RectifyOutcome

    if isinstance(outcome, CheckOutcome):
        return {"reports": [
            {"org": org, "file": Path(a.file).name if a.file else None, "verdict": a.verdict,
             "words": a.measures.words if a.measures else None,
             "findings": [{"label": f.severity.label, "severity": f.severity.value,
                           "message": f.message, "clause": f.clause} for f in a.findings]}
            for org, a in outcome.analyses.items()],
            "missing": list(outcome.matching.missing) if outcome.matching else []}
    if isinstance(outcome, ScoreOutcome):
        return {"grades": {"rows": [
            {"org": r["org"], "composite": r["composite"], "rank": r["rank"],
             "proposed": r["proposed"], "final": r["final"], "tie": bool(r["tie"])}
            for r in outcome.rows], "quota": outcome.quota, "final": outcome.final}}
    if isinstance(outcome, RectifyOutcome):
        return {"ledger": {"summary": outcome.summary, "overdue": outcome.overdue,
                           "drafted": outcome.drafted, "overdue_items": _overdue(outcome)}}
    return {}


def _overdue(outcome: Outcome) -> list[dict[str, Any]]:
    """Return the ledger items past their deadline, read back from the saved workbook."""
    from tongjia_xls.book.gateway import Workbook
    from tongjia_xls.sheets.schema import RECTIFICATION

    if outcome.workbook is None or not Path(outcome.workbook).is_file():
        return []
    with Workbook.open(Path(outcome.workbook), for_write=False) as book:
        rows = [r.values for r in book.read(RECTIFICATION)]
    return [{"org": r.get("org"), "problem": r.get("problem"), "owner": r.get("owner"),
             "deadline": str(r["deadline"]) if r.get("deadline") else None,
             "days_left": r.get("days_left")} for r in rows if r.get("overdue") == "是"]


def _output(path: Path) -> dict[str, str]:
    return {"name": path.name, "path": str(path), "folder": str(path.parent)}


def _path(path: Path | None) -> str | None:
    return str(path) if path else None
