"""What the command line prints: outcomes, problems, 控制台 and progress, in staff's words.

Kept apart from :mod:`tongjia_xls.cli` so that the commands stay one screen each.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tongjia_xls.cli_words import display_width as _width
from tongjia_xls.errors import Diagnostic, Severity
from tongjia_xls.sheets.schema import BALLOT_DETAILS, DASHBOARD, REMARKS_HEADER, SCORES

if TYPE_CHECKING:
    from tongjia_xls.actions import Outcome

#: How many diagnostics are printed before the rest are only counted.
SHOWN = 30


def print_analysis(result: Any) -> None:
    click.secho(f"\n{result.file}", bold=True)
    if result.error:
        click.secho(f"  无法读取：{result.error}", fg="red")
        return
    data = result.as_json()
    parts = {key: "未找到" if value is None else value for key, value in data["parts"].items()}
    wps = data.get("words_wps")
    words = data["words"] if wps in (None, data["words"]) else f"{data['words']}（WPS {wps}）"
    causes = data.get("causes_listed")
    listed = f"问题 {data['problems_listed']} 条、" + (
        f"原因 {causes} 条、" if causes else "") + f"打算 {data['plans_listed']} 条"
    click.echo(f"  字数 {words}；做法成效 {parts['practices']}、"
               f"问题原因 {parts['problems']}、工作打算 {parts['plans']}；"
               f"数据 {data['data_points']} 个；{listed}；结论：{result.verdict}")
    for finding in result.findings:
        colour = {"error": "red", "warning": "yellow"}.get(finding.severity.value)
        label = finding.severity.label
        click.secho(f"  【{label}】{finding.message}（{finding.clause}）", fg=colour)


def report_outcome(outcome: Outcome, *, limit: int = SHOWN) -> None:
    from tongjia_xls.actions import CheckOutcome, ScoreOutcome

    if isinstance(outcome, CheckOutcome):
        check_summary(outcome)
    if isinstance(outcome, ScoreOutcome):
        score_summary(outcome)
    found = new_problems(outcome.diagnostics, set())
    print_diagnostics(found, limit)
    print_dashboard(outcome.lines, listed=bool(found))
    if not outcome.lines and outcome.outputs:  # documents only: the workbook was just read
        click.echo(made(outcome.outputs))
    elif outcome.saved and outcome.workbook:
        backup = f"（上一版本已备份到 {outcome.backup}）" if outcome.backup else ""
        click.echo(f"已保存 {outcome.workbook}{backup}")
    elif outcome.workbook:
        click.echo("没有需要更新的内容，工作簿未改动。")


def new_problems(diagnostics: list[Diagnostic], seen: set[str]) -> list[Diagnostic]:
    """Return the problems (not notes) not in ``seen``, each once; add them to ``seen``."""
    fresh = []
    for diagnostic in diagnostics:
        text = str(diagnostic)
        if diagnostic.severity is not Severity.INFO and text not in seen:
            seen.add(text)
            fresh.append(diagnostic)
    return fresh


def print_diagnostics(found: list[Diagnostic], limit: int = SHOWN) -> None:
    for diagnostic in found[:limit]:
        colour = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        click.secho(str(diagnostic), fg=colour)
    if len(found) > limit:
        click.echo(f"……另有 {len(found) - limit} 条，见各表的“{REMARKS_HEADER}”列。")


def made(outputs: list[Path]) -> str:
    folders = sorted({p.parent for p in outputs})
    return f"已生成 {len(outputs)} 个文件，在：" + "；".join(map(str, folders))


def steps_report(steps: list[tuple[str, Outcome]], *, lines: Sequence[Any] | None = None,
                  limit: int = SHOWN) -> None:
    """Print each step's result on one line, then every problem once, then 控制台 once.

    Each action checks the whole workbook again, so a problem of the workbook comes back
    in every step's outcome: it is printed (and counted) with the step that first found it.
    """
    seen: set[str] = set()
    found: list[Diagnostic] = []
    for title, outcome in steps:
        fresh = new_problems(outcome.diagnostics, seen)
        found += fresh
        click.echo(step_line(title, outcome, fresh))
    if found:
        errors = sum(d.severity is Severity.ERROR for d in found)
        click.secho(f"\n需要处理的问题（{errors} 处错误、{len(found) - errors} 处提醒）：",
                    bold=True)
        print_diagnostics(found, limit)
    if lines is None:
        lines = next((o.lines for _, o in reversed(steps) if o.lines), [])
    if lines:
        click.secho(f"\n{DASHBOARD.title}（工作簿第一张表）：", bold=True)
        print_dashboard(lines, listed=bool(found))


def print_dashboard(lines: Sequence[Any], *, listed: bool) -> None:
    """Print the 控制台 lines; with the problems ``listed`` above, not the first one again."""
    from tongjia_xls.dashboard import STAGE_VALIDATION

    for line in lines:
        next_step = line.next_step
        if listed and line.stage == STAGE_VALIDATION and "首个问题" in next_step:
            next_step = f"按上面列出的问题改正（各表“{REMARKS_HEADER}”列也写着），然后重新运行"
        click.echo(f"  {line.stage}：{line.status}。下一步：{next_step}")


def step_line(title: str, outcome: Outcome, fresh: list[Diagnostic]) -> str:
    """Return "✓ 步骤：结果" for a clean step, "！步骤：结果" for one that found problems."""
    facts, clean = _outcome_facts(outcome)
    counts = _problem_counts(fresh)
    if counts:
        facts.append("、".join(counts) + "（见下）")
    elif not facts:
        facts.append("未发现问题")
    mark = "✓ " if clean and not fresh else "！"
    return f"{mark}{title}：" + "；".join(facts)


def _outcome_facts(outcome: Outcome) -> tuple[list[str], bool]:
    """Return what a step's outcome says of its kind, and whether that leaves it clean."""
    from tongjia_xls.actions import CheckOutcome, ScoreOutcome
    from tongjia_xls.actions.forms import FormsOutcome
    from tongjia_xls.actions.rectify import RectifyOutcome

    if isinstance(outcome, CheckOutcome):
        return _check_facts(outcome)
    if isinstance(outcome, ScoreOutcome):
        return _score_facts(outcome)
    if isinstance(outcome, RectifyOutcome) and outcome.summary:
        return [outcome.summary], not outcome.overdue
    if isinstance(outcome, FormsOutcome):
        return [f"生成 {len(outcome.outputs)} 个文件"], True
    return [], True


def _check_facts(outcome: Any) -> tuple[list[str], bool]:
    """Return the reports checked, by verdict, and the missing ones; clean if all passed."""
    from tongjia_xls.reports.analysis import PASSED

    verdicts = verdict_counts(outcome)
    missing = len(outcome.matching.missing) if outcome.matching else 0
    facts = [f"检查了 {len(outcome.analyses)} 份报告，"
             + "、".join(f"{v} {n} 份" for v, n in verdicts.items())]
    if missing:
        facts.append(f"未收到 {missing} 个党组织的报告")
    return facts, sum(verdicts.values()) == verdicts.get(PASSED, 0) and not missing


def _score_facts(outcome: Any) -> tuple[list[str], bool]:
    """Return the proposed grades and what is lacking; clean if nothing is lacking or tied."""
    from tongjia_xls.scoring import GRADES

    proposed = [row["proposed"] for row in outcome.rows]
    facts = ["建议等次 " + "、".join(f"{g} {proposed.count(g)} 个" for g in GRADES)]
    lacking = sum(row["composite"] is None for row in outcome.rows)
    ties = sum(bool(row["tie"]) for row in outcome.rows)
    if lacking:
        facts.append(f"{lacking} 个党组织缺少综合得分")
    if ties:
        facts.append(f"{ties} 个党组织并列待定")
    return facts, not (lacking or ties or outcome.flags)


def _problem_counts(fresh: list[Diagnostic]) -> list[str]:
    """Return "N 处错误" and "N 处提醒" for the step's new problems, leaving out zeros."""
    errors = sum(d.severity is Severity.ERROR for d in fresh)
    return [f"{n} 处{what}" for n, what in ((errors, "错误"), (len(fresh) - errors, "提醒"))
            if n]


def verdict_counts(outcome: Any) -> dict[str, int]:
    """Return how many reports have each verdict (合格 first, then 需修改, 无法读取)."""
    from tongjia_xls.reports.analysis import NEEDS_WORK, PASSED

    counts = dict.fromkeys((PASSED, NEEDS_WORK), 0)  # 无法读取 only when there is one
    for analysis in outcome.analyses.values():
        counts[analysis.verdict] = counts.get(analysis.verdict, 0) + 1
    return counts


def pad(text: Any, width: int) -> str:
    shown = str(text)
    return shown + " " * max(width - _width(shown), 1)


def cells(*pairs: tuple[Any, int]) -> str:
    """Return the texts padded to display widths: a Chinese character takes two columns."""
    return "".join(pad(text, width) for text, width in pairs)


def aligned(rows: Sequence[Sequence[Any]]) -> str:
    """Return ``rows`` as plain text in aligned columns; the last column is not padded."""
    widths = [max(_width(str(row[i])) for row in rows) + 2 for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "".join(pad(cell, w) for cell, w in zip(row, widths, strict=False)) + str(row[-1])
        for row in rows
    )


def score_summary(outcome: Any) -> None:
    widths = (14, 10, 8, 10, 10)
    headers = ("党组织", *(SCORES.header(n) for n in ("composite", "rank", "proposed_grade",
                                                      "final_grade")))
    click.echo(cells(*zip(headers, widths, strict=True)))
    for row in outcome.rows:
        score = "—" if row["composite"] is None else f"{row['composite']:.2f}"
        tie = "并列待定" if row["tie"] else ""
        values = (row["org"], score, row["rank"] or "—", row["proposed"] or "—",
                  row["final"] or "—")
        click.echo(cells(*zip(values, widths, strict=True)) + tie)
    for line in grade_sentences(outcome):
        click.secho(line, bold=True)
    if outcome.flags:
        details = BALLOT_DETAILS.title
        click.echo(f"{details}中有 {len({f.number for f in outcome.flags})} 张票有问题，"
                   f"见“{details}”表“{BALLOT_DETAILS.header('flags')}”列。")


def grade_sentences(outcome: Any) -> list[str]:
    """Return the two lines that sum up scoring: the quota of the proposed grades, the final."""
    return [f"{SCORES.header('proposed_grade')}：{outcome.quota}",
            f"{SCORES.header('final_grade')}：{outcome.final}"]


def checked_sentence(outcome: Any) -> str:
    """Return the sentence that sums up a check: reports per verdict and those not received."""
    missing = len(outcome.matching.missing) if outcome.matching else 0
    counted = "、".join(f"{v} {n} 份" for v, n in verdict_counts(outcome).items())
    return f"检查了 {len(outcome.analyses)} 份报告：{counted}；未收到 {missing} 个党组织的报告。"


def drafted_sentence(drafted: int) -> str:
    """Return the sentence that says how many ledger items were drafted, and what next."""
    from tongjia_xls.sheets.schema import RECTIFICATION

    return (f"新起草整改事项 {drafted} 项"
            f"（请在“{RECTIFICATION.title}”表中确认、补充责任人和时限）。")


def check_summary(outcome: Any) -> None:
    click.echo(checked_sentence(outcome))
    if outcome.feedback_dir:
        click.echo(f"审核意见和汇总表：{outcome.feedback_dir}")


def progress_printer() -> Any:
    """Return a progress callback: a counter redrawn in place on a terminal, one line elsewhere."""
    live = sys.stdout.isatty()

    def show(done: int, total: int, what: str) -> None:
        if live:
            bar = "█" * (20 * done // max(total, 1))
            click.echo(f"\r  {what}：{bar:<20} {done}/{total}", nl=done >= total)
        elif done >= total:
            click.echo(f"  {what}：{done}/{total}")

    return show


def utf8_console(streams: Sequence[Any] = (sys.stdout, sys.stderr)) -> None:
    # A Chinese Windows console may default to GBK: characters outside it must not crash.
    for stream in streams:
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in (
            "utf-8", "utf8"
        ):
            stream.reconfigure(errors="replace")
