"""The ``控制台`` status lines: one per stage of the review, computed from plain records.

Every action ends by refreshing these lines, so the first sheet always says where the
review stands and what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tongjia_xls.reports.analysis import NOT_RECEIVED
from tongjia_xls.scoring.bands import Quota
from tongjia_xls.scoring.final import check_final
from tongjia_xls.sheets.schema import (
    BALLOTS,
    ORGS,
    RECTIFICATION,
    REMARKS_HEADER,
    REPORTS,
    SCORES,
    SETTINGS,
)

STAGE_VALIDATION = "工作簿校验"
STAGE_REPORTS = "1. 述职报告"
STAGE_BALLOTS = "2. 测评票"
STAGE_GRADES = "3. 评分与等次"
STAGE_RECTIFICATION = "4. 整改落实"

#: The stages in the order of the process, as they stand on 控制台.
STAGES = (STAGE_VALIDATION, STAGE_REPORTS, STAGE_BALLOTS, STAGE_GRADES, STAGE_RECTIFICATION)

#: The name of the panel's desktop launcher, as 控制台 tells staff to look for it.
PANEL_SHORTCUT = "述职评议考核控制面板"
#: What staff do at each stage, shown beside the status table.
PROCESS_STEPS = (
    "使用步骤：",
    f"① 在“{SETTINGS.title}”表核对年度、截止日期、权重等（黄色底为需镇党委决定的项）。",
    f"② 在“{ORGS.title}”表核对21个村（社区）党组织、书记、{ORGS.header('position')}、"
    f"{ORGS.header('area_leader')}。",
    f"③ 收到述职报告后，在“{REPORTS.title}”表登记{REPORTS.header('file')}、"
    f"{REPORTS.header('submitted')}和{REPORTS.header('area_review')}情况，点“检查述职报告”。",
    f"④ 现场述职后，在“{BALLOTS.title}”表录入各等次票数，在“{SCORES.title}”表录入"
    f"{SCORES.header('routine')}、{SCORES.header('field')}分数，点“计算得分与等次”。",
    f"⑤ 镇党委研究后在“{SCORES.title}”表“{SCORES.header('final_grade')}”列选择等次，"
    "再点一次“计算得分与等次”核对比例要求。",
    "⑥ 点“生成打印材料”，打印评议表（附件2）、结果表和评价意见。",
    f"⑦ 在“{RECTIFICATION.title}”表登记整改事项，点“更新整改台账”跟踪逾期情况。",
    "上面的按钮都在“控制面板”里（Excel、WPS 都能用）："
    f"双击桌面上的“{PANEL_SHORTCUT}”打开。"
    "桌面上还没有时，请维护人员运行一次 tongjia-xls panel 本工作簿 --shortcut。"
    "带按钮的 .xlsm 在 Excel 中也可以直接点本表上的按钮。",
)


@dataclass(frozen=True)
class StageLine:
    """One line of 控制台: a stage, its status and the next step."""

    stage: str
    status: str
    next_step: str


def validation_line(errors: int, warnings: int, first: str | None) -> StageLine:
    """Return the line saying whether the workbook's input is clean."""
    if errors == 0 and warnings == 0:
        return StageLine(STAGE_VALIDATION, "未发现问题", "可以进行下一步")
    status = f"发现 {errors} 处错误、{warnings} 处提醒"
    hint = f"首个问题：{first}" if first else ""
    return StageLine(
        STAGE_VALIDATION, status, f"请按各表“{REMARKS_HEADER}”列改正后重新运行。{hint}"
    )


#: The next step of every per-organization stage while the roster is empty.
NO_ROSTER = f"先在“{ORGS.title}”表填写党组织名单（或用 tongjia-xls init --roster 从名单文件导入）"


def reports_line(rows: Sequence[dict[str, Any]], orgs: int, deadline: date | None) -> StageLine:
    """Return the line on reports received, reviewed and checked."""
    # A report the checker read was received, whether or not its date was typed.
    received = [r for r in rows if r.get("file") or r.get("submitted")
                or r.get("verdict") not in (None, "", NOT_RECEIVED)]
    reviewed = [r for r in received if r.get("area_review") == "已审核"]
    checked = [r for r in received if r.get("verdict")]
    status = (
        f"已收 {len(received)}/{orgs} 份，包片领导已审核 {len(reviewed)} 份，"
        f"已检查 {len(checked)} 份"
    )
    if not orgs:
        return StageLine(STAGE_REPORTS, status, NO_ROSTER)
    if len(received) < orgs:
        due = f"（截止 {deadline.year}年{deadline.month}月{deadline.day}日）" if deadline else ""
        return StageLine(STAGE_REPORTS, status, f"催交未报送的报告{due}，收到后登记文件名")
    if len(checked) < len(received):
        return StageLine(STAGE_REPORTS, status, "点“检查述职报告”或运行 tongjia-xls check")
    return StageLine(STAGE_REPORTS, status, "把“需修改”的报告退回修改")


def ballots_line(rows: Sequence[dict[str, Any]], orgs: int) -> StageLine:
    """Return the line on ballots entered."""
    entered = [r for r in rows if any(r.get(k) for k in ("good", "fairly_good", "average", "poor"))]
    status = f"已录入 {len(entered)}/{orgs} 个党组织的测评票"
    scored = [r for r in entered if r.get("ballot_score") is not None]
    if not orgs:
        step = NO_ROSTER
    elif len(entered) < orgs:
        step = "现场述职后录入各等次票数"
    elif len(scored) < len(entered):
        step = "点“计算得分与等次”或运行 tongjia-xls score"
    else:
        step = "测评得分已算出；票数有改动时重新计算"
    return StageLine(STAGE_BALLOTS, status, step)


def grades_line(rows: Sequence[dict[str, Any]], orgs: int, quota: Quota) -> StageLine:
    """Return the line on scores and grades, with the final grades checked against the quota."""
    scored = [r for r in rows if r.get("composite") is not None]
    final = [r for r in rows if r.get("final_grade")]
    status = f"已计算 {len(scored)}/{orgs} 个综合得分，已确定等次 {len(final)}/{orgs} 个"
    if final:
        check = check_final({r.get("org") or "": r.get("final_grade") for r in rows}, quota)
        status += f"；{check.message}"
    if not orgs:
        return StageLine(STAGE_GRADES, status, NO_ROSTER)
    if len(final) < orgs:
        step = f"镇党委研究后在“{SCORES.title}”表“{SCORES.header('final_grade')}”列选择等次"
        return StageLine(STAGE_GRADES, status, step)
    return StageLine(STAGE_GRADES, status, "生成评议结果表和评价意见")


def rectification_line(rows: Sequence[dict[str, Any]]) -> StageLine:
    """Return the line on rectification items and how many are overdue."""
    done = [r for r in rows if r.get("status") in ("已完成", "已核验")]
    overdue = [r for r in rows if r.get("overdue") == "是"]
    status = f"整改事项 {len(rows)} 项，已完成 {len(done)} 项，逾期 {len(overdue)} 项"
    if overdue:
        return StageLine(STAGE_RECTIFICATION, status, "督促逾期事项的责任人，并更新状态")
    if not rows:
        return StageLine(STAGE_RECTIFICATION, status, "述职会后登记会议点评和自身查摆的问题")
    return StageLine(STAGE_RECTIFICATION, status, "按时限跟踪，完成后填写完成日期和核验情况")
