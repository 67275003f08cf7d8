"""The master workbook, declared once.

Every sheet the tool knows, its columns, their types, who fills them, their dropdowns,
widths and formats live here and nowhere else. Creating a workbook, reading it,
validating it, writing the tool's columns and the README's table of sheets all derive from
:data:`SHEETS`. Code refers to sheets and columns by their English ``name``; the Chinese
``title``/``header`` is what staff see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from tongjia_xls.sheets.cells import Kind


class Filler(str, Enum):
    """Who fills a column: staff, the tool, or the tool as a draft that staff may rewrite."""

    STAFF = "staff"
    TOOL = "tool"
    DRAFT = "draft"

    @property
    def label(self) -> str:
        """Return the Chinese word used in documentation."""
        return {"staff": "工作人员", "tool": "工具", "draft": "工具起草、可修改"}[self.value]


GRADES = ("好", "较好", "一般", "差")
ORG_TYPES = ("村", "社区")
REVIEW_STATES = ("已审核", "未审核", "退回修改")
SOURCES = ("会议点评", "自身查摆", "上年度", "巡视巡察", "主题教育")
STATUSES = ("未开始", "整改中", "已完成", "已核验")
YES_NO = ("是", "否")

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
RATIO_FORMAT = "0.0%"
SCORE_FORMAT = "0.00"

_DEFAULT_FORMATS = {
    Kind.DATE: DATE_FORMAT,
    Kind.RATIO: RATIO_FORMAT,
    Kind.SCORE: SCORE_FORMAT,
    Kind.INT: "0",
    Kind.COUNT: "0",
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, type, filler and look.

    ``number_format`` of ``None`` means the default for the column's kind; ``choices``
    become a dropdown; ``aliases`` are other headers accepted when reading (headers staff
    or older versions wrote).
    """

    header: str
    name: str
    kind: Kind = Kind.TEXT
    filled_by: Filler = Filler.STAFF
    choices: tuple[str, ...] = ()
    width: float = 12
    number_format: str | None = None
    required: bool = False
    help: str = ""
    aliases: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def is_tool(self) -> bool:
        """Return True when the tool writes this column (a draft included)."""
        return self.filled_by is not Filler.STAFF

    @property
    def format(self) -> str:
        """Return the Excel number format of the column's cells."""
        return self.number_format or _DEFAULT_FORMATS.get(self.kind, "General")

    @property
    def headers(self) -> tuple[str, ...]:
        """Return every header text accepted for this column, the official one first."""
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the master workbook.

    ``key`` names the column that identifies a row (``None``: rows are identified by their
    position, as in the ledger where an organization has many rows). ``per_org`` sheets get
    one row per organization of the roster when a workbook is created. ``columns`` is empty
    for sheets the tool lays out freely (``统计``).
    """

    title: str
    name: str
    purpose: str
    columns: tuple[Column, ...] = ()
    key: str | None = None
    per_org: bool = False
    code_name: str = ""
    tab_color: str | None = None
    landscape: bool = False
    header_row: int = 1

    def column(self, name: str) -> Column:
        """Return the column called ``name``; raise KeyError for an unknown name."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    def header(self, name: str) -> str:
        """Return the header staff see for the column called ``name`` (KeyError if unknown).

        Code that names a column to staff (a message, a document's table) uses this, so the
        Chinese header stands only in this module.
        """
        return self.column(name).header

    @property
    def tool_columns(self) -> tuple[Column, ...]:
        """Return the columns the tool writes."""
        return tuple(c for c in self.columns if c.is_tool)

    @property
    def key_column(self) -> Column | None:
        """Return the key column, or ``None`` when rows have no key."""
        return self.column(self.key) if self.key else None


def _org(filled_by: Filler = Filler.STAFF) -> Column:
    return Column(
        "党组织名称", "org", filled_by=filled_by, width=16, required=True,
        aliases=("党组织", "组织名称", "村（社区）"),
        help="与“组织”表中的名称一字不差",
    )


def _secretary() -> Column:
    return Column("述职人", "secretary", filled_by=Filler.TOOL, width=10, aliases=("书记姓名",))


#: The header of the column, on most sheets, where the tool writes each row's problems.
REMARKS_HEADER = "校验提示"


def _remarks() -> Column:
    return Column(REMARKS_HEADER, "remarks", filled_by=Filler.TOOL, width=40,
                  help="工具写入的检查结果，改正后重新运行即更新")


def _score(header: str, name: str, filled_by: Filler = Filler.STAFF, help: str = "") -> Column:
    return Column(header, name, Kind.SCORE, filled_by, width=10, help=help or "0–100 的分数")


#: The 控制台 row that tells of a save refused to protect staff data (not a stage).
REFUSED_STAGE = "保存被拒绝"

DASHBOARD = Sheet(
    "控制台", "dashboard", code_name="Dashboard", tab_color="C00000", header_row=4, key="stage",
    landscape=True,
    purpose="工作簿的首页：说明用途、各阶段进展，每次运行后自动刷新",
    columns=(
        Column("阶段", "stage", filled_by=Filler.TOOL, width=16),
        Column("状态", "status", filled_by=Filler.TOOL, width=46),
        Column("下一步", "next_step", filled_by=Filler.TOOL, width=52),
        Column("更新时间", "updated", filled_by=Filler.TOOL, width=18,
               number_format="yyyy-mm-dd hh:mm"),
    ),
)

SETTINGS = Sheet(
    "设置", "settings", code_name="Settings", key="item",
    purpose="各项规则的阈值和权重，默认值取自通知；黄色底的值需由镇党委研究确定",
    columns=(
        Column("项目", "item", filled_by=Filler.TOOL, width=20, required=True),
        Column("值", "value", width=16, help="可按本镇实际修改"),
        Column("说明", "note", filled_by=Filler.TOOL, width=70),
    ),
)

ORGS = Sheet(
    "组织", "orgs", code_name="Orgs", key="org",
    purpose="参加述职的村（社区）党组织名单，其他各表以“党组织名称”与此对应",
    columns=(
        Column("序号", "seq", Kind.INT, width=6),
        _org(),
        Column("类型", "kind", Kind.CHOICE, choices=ORG_TYPES, width=8),
        Column("书记姓名", "secretary", width=10, required=True, aliases=("述职人", "书记")),
        Column("单位及职务", "position", width=24, aliases=("单位职务", "职务")),
        Column("包片领导", "area_leader", width=10),
        Column("任职日期", "appointed", Kind.DATE, width=14, help="用于判断任职时间较短的书记"),
        Column("备注", "notes", width=24),
        _remarks(),
    ),
)

REPORTS = Sheet(
    "述职报告", "reports", code_name="Reports", key="org", per_org=True, landscape=True,
    purpose="各党组织述职报告的收取、审核和检查结果",
    columns=(
        _org(),
        Column("报告文件", "file", width=30, help="报告文件名，放在报告文件夹中"),
        Column("提交日期", "submitted", Kind.DATE, width=14),
        Column("包片领导审核", "area_review", Kind.CHOICE, choices=REVIEW_STATES, width=12),
        Column("字数", "words", Kind.COUNT, Filler.TOOL, width=8),
        Column("做法成效占比", "practices_share", Kind.RATIO, Filler.TOOL, width=10),
        Column("问题原因占比", "problems_share", Kind.RATIO, Filler.TOOL, width=10),
        Column("工作打算占比", "plans_share", Kind.RATIO, Filler.TOOL, width=10),
        Column("数据举例", "data_points", Kind.COUNT, Filler.TOOL, width=8),
        Column("拼经济搞建设", "topic_economy", filled_by=Filler.TOOL, width=8),
        Column("防风险保安全", "topic_safety", filled_by=Filler.TOOL, width=8),
        Column("问题条数", "problems_listed", Kind.COUNT, Filler.TOOL, width=8),
        Column("打算条数", "plans_listed", Kind.COUNT, Filler.TOOL, width=8),
        Column("检查结论", "verdict", filled_by=Filler.TOOL, width=10),
        Column("问题说明", "explanation", filled_by=Filler.TOOL, width=50),
        _remarks(),
    ),
)

BALLOTS = Sheet(
    "测评票", "ballots", code_name="Ballots", key="org", per_org=True,
    purpose="现场述职测评票按党组织汇总的票数",
    columns=(
        _org(),
        _secretary(),
        Column("好", "good", Kind.COUNT, width=7, help="票数"),
        Column("较好", "fairly_good", Kind.COUNT, width=7, help="票数"),
        Column("一般", "average", Kind.COUNT, width=7, help="票数"),
        Column("差", "poor", Kind.COUNT, width=7, help="票数"),
        Column("有效票", "valid_votes", Kind.COUNT, Filler.TOOL, width=8),
        _score("测评得分", "ballot_score", Filler.TOOL),
        _score("剔除问题票得分", "ballot_score_clean", Filler.TOOL),
        _remarks(),
    ),
)

SCORES = Sheet(
    "评分", "scores", code_name="Scores", key="org", per_org=True, landscape=True,
    purpose="平时考核、实地调研、现场述职的综合得分、排名和等次",
    columns=(
        _org(),
        _secretary(),
        _score("平时考核", "routine"),
        _score("实地调研", "field"),
        _score("现场述职", "onsite", help="不填则取测评得分；填写的分数优先"),
        Column("一票否决", "veto", width=16,
               help="如有一票否决情形，填写原因；填写后建议等次为“差”"),
        _score("综合得分", "composite", Filler.TOOL),
        Column("排名", "rank", Kind.INT, filled_by=Filler.TOOL, width=7),
        Column("建议等次", "proposed_grade", Kind.CHOICE, Filler.TOOL, GRADES, width=9),
        Column("确定等次", "final_grade", Kind.CHOICE, choices=GRADES, width=9,
               help="由镇党委研究确定，工具不会改动"),
        _score("等次分数", "grade_score", Filler.TOOL),
        Column("等次说明", "grade_notes", filled_by=Filler.TOOL, width=44,
               help="建议等次的依据：分档、比例要求的调整、并列、一票否决、缺少的分数"),
        Column("评价意见", "opinion", filled_by=Filler.DRAFT, width=50,
               help="工具起草，可直接修改；修改过的意见工具不再改动"),
        _remarks(),
        Column("意见草稿码", "opinion_mark", filled_by=Filler.TOOL, width=10, hidden=True),
    ),
)

BALLOT_DETAILS = Sheet(
    "测评票明细", "ballot_details", code_name="BallotDetails", key="number",
    purpose="逐张录入的测评票：每张票一行，每个党组织一列（表头为党组织名称），填好、较好、一般或差",
    columns=(
        Column("票号", "number", width=8, required=True, help="测评票的编号，每张票一行"),
        Column("票面问题", "flags", filled_by=Filler.TOOL, width=40),
    ),
)

RECTIFICATION = Sheet(
    "整改", "rectification", code_name="Rectification", landscape=True,
    purpose="整改台账：每个问题一行，跟踪措施、责任人、时限和完成情况",
    columns=(
        _org(),
        Column("问题来源", "source", Kind.CHOICE, choices=SOURCES, width=10),
        Column("问题描述", "problem", width=36, required=True),
        Column("整改措施", "measure", width=36),
        Column("责任人", "owner", width=10),
        Column("完成时限", "deadline", Kind.DATE, width=14),
        Column("状态", "status", Kind.CHOICE, choices=STATUSES, width=9),
        Column("完成日期", "done_on", Kind.DATE, width=14),
        Column("核验情况", "verification", width=24),
        Column("剩余天数", "days_left", Kind.INT, Filler.TOOL, width=9),
        Column("是否逾期", "overdue", Kind.CHOICE, Filler.TOOL, YES_NO, width=9),
        Column("提醒", "alert", filled_by=Filler.TOOL, width=10,
               help="已逾期的行标红，临近时限的行标黄"),
        _remarks(),
        Column("草稿码", "draft_key", filled_by=Filler.TOOL, width=10, hidden=True),
    ),
)

STATS = Sheet(
    "统计", "stats", code_name="Stats",
    purpose="等次分布、得分和报告合规情况的统计与图表，由工具生成",
)

#: Every sheet of the master workbook, in tab order.
SHEETS: tuple[Sheet, ...] = (
    DASHBOARD, SETTINGS, ORGS, REPORTS, BALLOTS, BALLOT_DETAILS, SCORES, RECTIFICATION, STATS,
)


@dataclass(frozen=True)
class SheetDoc:
    """A row of the documentation table of sheets."""

    title: str
    purpose: str
    staff: list[str] = field(default_factory=list)
    tool: list[str] = field(default_factory=list)


def sheet_docs() -> list[SheetDoc]:
    """Return, for each sheet, who fills which columns: the README's table of sheets."""
    return [
        SheetDoc(
            s.title,
            s.purpose,
            [c.header for c in s.columns if not c.is_tool],
            [c.header + ("（起草，可修改）" if c.filled_by is Filler.DRAFT else "")
             for c in s.columns if c.is_tool and not c.hidden],
        )
        for s in SHEETS
    ]


def sheet_table_markdown() -> str:
    """Return the table of sheets as Markdown, as it stands in the README."""
    lines = ["| 工作表 | 用途 | 由您填写 | 由工具填写 |", "|---|---|---|---|"]
    for doc in sheet_docs():
        staff = "、".join(doc.staff) or "—"
        if doc.title == BALLOT_DETAILS.title:
            staff += "、各党组织一列"
        tool = "、".join(doc.tool) or "（整表由工具生成）"
        lines.append(f"| {doc.title} | {doc.purpose} | {staff} | {tool} |")
    return "\n".join(lines)
