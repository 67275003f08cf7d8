"""The demo workspace: a filled master workbook and 21 sample reports, made in seconds.

It plays a town office half-way through the review: reports registered (two late, one
not yet reviewed), ballots tallied, routine and field scores typed, last year's
rectification items on the ledger, and one deliberate typing mistake (``九十``) so the
newcomer sees how the tool reports it.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tongjia_xls.actions import Outcome, Progress, init_workbook, validate_workbook
from tongjia_xls.actions.check import REPORTS_DIR
from tongjia_xls.actions.forms import run_all
from tongjia_xls.actions.rectify import EXPORT_DIR, rectify_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.demo.roster import COMPLIANT, DemoOrg, demo_orgs
from tongjia_xls.sheets.schema import BALLOT_DETAILS, ORGS, RECTIFICATION, REPORTS, SCORES

YEAR = 2023
TOWN = "童家镇"
WORKBOOK_NAME = f"{TOWN}{YEAR}年度述职评议考核.xlsx"
ROSTER_NAME = "组织名单.csv"
EVALUATORS = 35
#: The day the demo plays: after the meeting, while rectification runs.
TODAY = date(2024, 1, 20)
#: The deliberate mistake, so the demo shows how a wrong cell is reported.
MISTAKE_ORG_INDEX = 6
MISTAKE_VALUE = "九十"


@dataclass
class DemoResult:
    """Where the demo put things, and what its steps reported."""

    folder: Path
    workbook: Path
    reports: list[Path]
    roster: Path
    steps: list[tuple[str, Outcome]] = field(default_factory=list)


def make_demo(
    folder: Path, *, macro: bool = False, progress: Progress | None = None
) -> DemoResult:
    """Write the demo workspace into ``folder`` and run every step of the review on it.

    ``macro`` makes the workbook the .xlsm with buttons instead of the .xlsx.
    """
    from tongjia_xls.demo.reports import write_reports

    folder = Path(folder)
    if macro:
        from tongjia_xls.book.vba_project import ensure_available

        ensure_available()  # before the reports are written, not after
    folder.mkdir(parents=True, exist_ok=True)
    orgs = demo_orgs()
    roster = _write_roster(folder / ROSTER_NAME, orgs)
    reports = write_reports(orgs, folder / REPORTS_DIR, year=YEAR)
    if progress:
        progress(len(reports), len(reports), "示例述职报告")
    workbook = folder / WORKBOOK_NAME
    if macro:
        workbook = workbook.with_suffix(".xlsm")
    created = init_workbook(workbook, year=YEAR, town=TOWN, roster=roster, force=True)
    result = DemoResult(folder, workbook, reports, roster, [("新建工作簿", created)])
    with Workbook.open(workbook) as book:
        _fill(book, orgs, reports)
        result.steps.append(("填入示例数据", validate_workbook(book)))
    drafted = rectify_workbook(workbook, today=TODAY, draft=True, export=folder / EXPORT_DIR)
    result.steps.append(("从报告起草整改事项", drafted))
    # The demo ends as a town's batch does: every step in order (PDFs are left to `forms`,
    # which takes LibreOffice several seconds a document).
    run = run_all(workbook, today=TODAY, pdf=False, progress=progress)
    result.steps += run.steps
    return result


def _write_roster(path: Path, orgs: list[DemoOrg]) -> Path:
    headers = [ORGS.column(name).header for name in
               ("seq", "org", "kind", "secretary", "position", "area_leader", "appointed")]
    # UTF-8 with a BOM: Excel and WPS then open the file with the right characters.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for seq, org in enumerate(orgs, start=1):
            writer.writerow([seq, org.name, org.kind, org.secretary, org.position,
                             org.area_leader, org.appointed.isoformat()])
    return path


def _fill(book: Workbook, orgs: list[DemoOrg], reports: list[Path]) -> None:
    rng = random.Random(YEAR)
    book.update(REPORTS, {org.name: _report_row(i, org, path)
                          for i, (org, path) in enumerate(zip(orgs, reports, strict=True))},
                include_staff=True)
    counts = {org.name: _ballot_row(rng, org) for org in orgs}
    book.append(BALLOT_DETAILS, _ballot_sheets(rng, counts))
    scores = {org.name: _score_row(rng, org) for org in orgs}
    scores[orgs[MISTAKE_ORG_INDEX].name]["field"] = MISTAKE_VALUE
    book.update(SCORES, scores, include_staff=True)
    book.append(RECTIFICATION, _ledger(orgs))


def _report_row(index: int, org: DemoOrg, path: Path) -> dict[str, Any]:
    late = index in (4, 15)
    review = "未审核" if index == 11 else "退回修改" if index == 18 else "已审核"
    return {
        "file": path.name,
        "submitted": date(2024, 1, 8) if late else date(2024, 1, 2 + index % 4),
        "area_review": review,
    }


def _ballot_row(rng: random.Random, org: DemoOrg) -> dict[str, Any]:
    strong = org.profile == COMPLIANT
    good = rng.randint(24, 31) if strong else rng.randint(12, 22)
    fairly_good = rng.randint(0, EVALUATORS - good)
    average = rng.randint(0, EVALUATORS - good - fairly_good)
    poor = EVALUATORS - good - fairly_good - average
    return {"good": good, "fairly_good": fairly_good, "average": average, "poor": poor}


def _ballot_sheets(rng: random.Random, counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Return one row per collected ballot whose marks add up to ``counts``.

    The last evaluator left one organization unmarked, as happens at real meetings, so the
    demo shows a flagged ballot.
    """
    grades = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "差"}
    columns: dict[str, list[str]] = {}
    for org, votes in counts.items():
        marks = [grades[k] for k, n in votes.items() for _ in range(n)]
        rng.shuffle(marks)
        columns[org] = marks
    rows: list[dict[str, Any]] = [
        {"number": f"{i + 1:03d}", **{org: m[i] for org, m in columns.items()}}
        for i in range(EVALUATORS)]
    rows[-1][next(iter(columns))] = None
    return rows


def _score_row(rng: random.Random, org: DemoOrg) -> dict[str, Any]:
    base = 88 if org.profile == COMPLIANT else 80
    return {
        "routine": round(base + rng.uniform(0, 9), 1),
        "field": round(base + rng.uniform(-2, 9), 1),
    }


def _ledger(orgs: list[DemoOrg]) -> list[dict[str, Any]]:
    items = (
        (0, "上年度", "党员活动室功能不全，“三会一课”记录不规范",
         "按标准化要求完善活动室，专人负责记录",
         date(2023, 6, 30), "已核验", date(2023, 6, 20), "镇党建办7月抽查合格"),
        (2, "上年度", "发展党员青年比例偏低", "建立青年人才储备库，每年至少培养2名入党积极分子",
         date(2023, 12, 31), "整改中", None, None),
        (4, "巡视巡察", "村级集体经济收入台账不清", "建立收支台账，每季度公开",
         date(2023, 9, 30), "已完成", date(2023, 9, 25), None),
        (8, "上年度", "流动党员联系不经常", "建立流动党员微信群，每月推送学习内容",
         date(2024, 3, 31), "整改中", None, None),
        (12, "主题教育", "为民办实事项目推进较慢", "倒排工期，明确专人跟进",
         date(2024, 2, 29), "未开始", None, None),
        (16, "上年度", "软弱涣散整顿成效不够稳固", "包片领导每月督导一次，建立问题清单",
         date(2024, 1, 31), "整改中", None, None),
    )
    return [
        {"org": orgs[i].name, "source": source, "problem": problem, "measure": measure,
         "owner": orgs[i].secretary, "deadline": deadline, "status": status,
         "done_on": done_on, "verification": verification}
        for i, source, problem, measure, deadline, status, done_on, verification in items
    ]
