"""The thresholds and weights every rule uses, with their defaults from the notice.

:class:`Settings` is declared once; each field carries the Chinese label that stands in the
``设置`` sheet, the clause of the notice it comes from and a note for staff. Where the
notice gives no number the default is marked as the town's decision (``town=True``): the
sheet highlights it so the committee sees it must be settled.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tongjia_xls.errors import Diagnostic, Severity
from tongjia_xls.sheets.cells import (
    CellValueError,
    Kind,
    format_words,
    is_blank,
    parse,
    parse_text,
)
from tongjia_xls.sheets.schema import BALLOTS, GRADES, RECTIFICATION, REPORTS, SETTINGS

SHARE_BASIS_TOGETHER = "二三部分合计"
SHARE_BASIS_PART_TWO = "第二部分单独"
SHARE_BASES = (SHARE_BASIS_TOGETHER, SHARE_BASIS_PART_TWO)

TOWN_DECISION = "【由镇党委决定】"

BALLOTS_COUNTED = "计入"
BALLOTS_EXCLUDED = "不计入"
BALLOT_POLICIES = (BALLOTS_COUNTED, BALLOTS_EXCLUDED)

# The two 必答题, as their 述职报告 columns are headed.
_ECONOMY, _SAFETY = REPORTS.header("topic_economy"), REPORTS.header("topic_safety")

_CONFLICT = (
    "通知前后不一致：四、1和附件1要求“问题及原因分析”不少于三分之一，四、5又要求问题和打算"
    "合计只占30%—35%，两条同时严格执行时第三部分几乎没有篇幅。"
)


@dataclass(frozen=True)
class SettingSpec:
    """How one setting appears in ``设置``: label, type, clause and note."""

    name: str
    label: str
    default: Any
    kind: Kind
    clause: str
    note: str
    town: bool = False
    choices: tuple[str, ...] = ()

    def cell_value(self, value: Any) -> Any:
        """Return ``value`` as it is written into the ``值`` cell."""
        return format_words(value) if self.kind is Kind.WORDS else value

    @property
    def description(self) -> str:
        """Return the text of the ``说明`` cell."""
        prefix = TOWN_DECISION if self.town else ""
        source = f"（出处：{self.clause}）" if self.clause else ""
        return f"{prefix}{self.note}{source}"


def _setting(
    default: Any,
    label: str,
    clause: str,
    note: str,
    kind: Kind = Kind.NUMBER,
    *,
    town: bool = False,
    choices: tuple[str, ...] = (),
) -> Any:
    spec = dict(label=label, kind=kind, clause=clause, note=note, town=town, choices=choices)
    return field(default=default, metadata=spec)


def committee_name(town: str, county: str | None = None) -> str:
    """Return the Party committee's full name for ``town`` ("中共乐至县石桥镇委员会").

    ``county`` ``None`` leaves the county out ("中共石桥镇委员会"): a guess would print
    another county's name on every signature.
    """
    return f"中共{county or ''}{town}委员会"


@dataclass(frozen=True)
class Settings:
    """Every setting of the ``设置`` sheet, typed, with the notice's defaults."""

    year: int = _setting(2023, "年度", "通知标题", "述职评议考核的年度", Kind.INT)
    town: str = _setting("童家镇", "乡镇", "通知", "乡镇名称，用于标题和文件名", Kind.TEXT)
    committee: str = _setting(
        "中共乐至县童家镇委员会", "党委名称", "通知落款", "印在评议表和评价意见上", Kind.TEXT
    )
    deadline: date | None = _setting(
        date(2024, 1, 5), "报送截止日期", "通知正文",
        "述职报告电子档经包片领导审核后报党建办的截止日期（“1月5日前”）", Kind.DATE,
    )
    meeting_date: date | None = _setting(
        None, "述职会议日期", "二", "通知只说“暂定在1月中旬”，定下后请填写", Kind.DATE, town=True
    )
    words_min: int = _setting(
        1500, "字数下限", "四、5", "述职报告字数（按Word字数统计）下限", Kind.INT
    )
    words_max: int = _setting(2000, "字数上限", "四、5", "述职报告字数上限", Kind.INT)
    practices_share_min: float = _setting(
        0.65, "做法成效占比下限", "四、5", "“主要做法及成效”占三个板块字数的比例下限", Kind.RATIO
    )
    practices_share_max: float = _setting(
        0.70, "做法成效占比上限", "四、5", "“主要做法及成效”占比上限", Kind.RATIO
    )
    problems_plans_share_min: float = _setting(
        0.30, "问题打算占比下限", "四、5", "“存在问题”与“工作打算”合计占比下限", Kind.RATIO
    )
    problems_plans_share_max: float = _setting(
        0.35, "问题打算占比上限", "四、5", "“存在问题”与“工作打算”合计占比上限", Kind.RATIO
    )
    problems_share_min: float = _setting(
        1 / 3, "问题原因占比下限", "四、1；附件1",
        "“存在问题及原因分析”不少于整个篇幅的三分之一。" + _CONFLICT, Kind.RATIO,
    )
    share_tolerance: float = _setting(
        0.02, "比例容差", "四、1“原则上”；四、5“左右”",
        "篇幅比例差得不多（不超过此值，如 2%）时只提醒、不判“需修改”：通知说的是“原则上”"
        "“左右”", Kind.RATIO, town=True,
    )
    problems_share_basis: str = _setting(
        SHARE_BASIS_TOGETHER, "问题原因占比口径", "四、1；四、5；附件1",
        _CONFLICT + "默认按“二三部分合计”计算三分之一，这是两条都能做到的唯一读法"
        "（做法成效65%—66.7%，问题和打算33.3%—35%）；选“第二部分单独”则按附件1字面执行",
        Kind.CHOICE, town=True, choices=SHARE_BASES,
    )
    data_points_min: int = _setting(
        5, "数据举例下限", "四、2",
        "“主要做法及成效”中至少应有的具体数据个数（如党课12次、积极分子3名），通知未定数量",
        Kind.INT, town=True,
    )
    routine_weight: float = _setting(
        0.3, "平时考核权重", "四、4", "综合得分中平时考核所占权重，三项权重之和应为1", Kind.RATIO,
        town=True,
    )
    field_weight: float = _setting(
        0.3, "实地调研权重", "四、4", "综合得分中实地调研所占权重", Kind.RATIO, town=True
    )
    onsite_weight: float = _setting(
        0.4, "现场述职权重", "四、4", "综合得分中现场述职所占权重", Kind.RATIO, town=True
    )
    score_good: float = _setting(100, "好分数", "附件2", "评议等次“好”的分数", Kind.SCORE)
    score_fairly_good: float = _setting(90, "较好分数", "附件2", "评议等次“较好”的分数", Kind.SCORE)
    score_average: float = _setting(75, "一般分数", "附件2", "评议等次“一般”的分数", Kind.SCORE)
    score_poor: float = _setting(60, "差分数", "附件2", "评议等次“差”的分数", Kind.SCORE)
    quota_share: float = _setting(
        0.15, "较好及以下最低比例", "四、4", "评价为“较好”或以下等次的原则上不低于15%", Kind.RATIO
    )
    quota_low_min: int = _setting(
        1, "一般及差最少个数", "四、4", "通知只说“一般”和“差”要占一定比例，未定数量", Kind.INT,
        town=True,
    )
    good_min: float = _setting(
        90, "好最低分", "四、4",
        "综合得分不低于此分按“好”提出建议等次（再按比例要求调整），通知未定分档",
        Kind.SCORE, town=True,
    )
    fairly_good_min: float = _setting(
        80, "较好最低分", "四、4", "综合得分不低于此分（低于“好最低分”）按“较好”提出建议",
        Kind.SCORE, town=True,
    )
    average_min: float = _setting(
        70, "一般最低分", "四、4", "综合得分不低于此分按“一般”提出建议，低于此分按“差”", Kind.SCORE,
        town=True,
    )
    flagged_ballots: str = _setting(
        BALLOTS_COUNTED, "问题测评票", "附件2",
        "空白、漏填、填写无法识别、全部同一等次或自身不符合比例要求的测评票是否计入测评得分；"
        f"两种算法结果不同时会在“{BALLOTS.title}”表中同时列出", Kind.CHOICE, town=True,
        choices=BALLOT_POLICIES,
    )
    short_tenure_months: int = _setting(
        6, "任职较短月数", "三、7",
        "任职不满此月数的书记按“任职时间较短”对待（可报告调研了解的问题和思路举措），通知未定",
        Kind.INT, town=True,
    )
    economy_words: tuple[str, ...] = _setting(
        ("拼经济搞建设", "拼经济", "搞建设"), "拼经济搞建设关键词", "三、7",
        f"报告中出现其中任一词语，即视为回答了必答题“{_ECONOMY}”，词语之间用顿号分隔",
        Kind.WORDS,
    )
    safety_words: tuple[str, ...] = _setting(
        ("防风险保安全", "防风险", "保安全"), "防风险保安全关键词", "三、7",
        f"报告中出现其中任一词语，即视为回答了必答题“{_SAFETY}”", Kind.WORDS,
    )
    economy_substance_words: tuple[str, ...] = _setting(
        ("集体经济", "集体收入", "村级收入", "经营性收入", "产业", "招商", "引资", "招引", "项目",
         "增收", "致富", "合作社", "高标准农田", "土地流转", "种植", "养殖", "电商", "农旅",
         "民宿", "就业", "务工", "分红", "市场主体", "个体工商户", "营商环境", "基础设施",
         "道路硬化", "乡村振兴", "经济发展", "产值"),
        "拼经济搞建设实际内容词", "三、7",
        f"没有写“{_ECONOMY}”字样、但写到其中至少“实际内容最少词数”个词语的，视为实质回答，"
        "只提醒点明必答题", Kind.WORDS,
    )
    safety_substance_words: tuple[str, ...] = _setting(
        ("安全生产", "防汛", "森林防火", "防火", "消防", "隐患", "排查", "矛盾纠纷", "调解",
         "信访", "维稳", "防返贫", "返贫", "地质灾害", "交通安全", "燃气", "食品安全", "禁毒",
         "反诈", "电信诈骗", "平安建设", "社会治安", "治安", "应急", "防溺水", "疫情防控",
         "自建房"),
        "防风险保安全实际内容词", "三、7", f"同上，对应“{_SAFETY}”", Kind.WORDS,
    )
    substance_words_min: int = _setting(
        2, "实际内容最少词数", "三、7",
        "报告中写到实际内容词中至少这么多个不同的词语，才视为实质回答了必答题", Kind.INT,
    )
    aspect_politics_words: tuple[str, ...] = _setting(
        ("加强政治建设", "政治建设", "政治功能", "理论武装", "主题教育", "理论学习"),
        "政治建设方面关键词", "附件1（一）", "“主要做法和成效”中出现其中任一词语，即视为写了该方面",
        Kind.WORDS,
    )
    aspect_center_words: tuple[str, ...] = _setting(
        ("服务保障中心大局", "中心大局", "服务大局", "中心工作", "服务保障"),
        "服务大局方面关键词", "附件1（二）", "同上，对应“服务保障中心大局方面”", Kind.WORDS,
    )
    aspect_tasks_words: tuple[str, ...] = _setting(
        ("推进基层党建工作重点任务落实", "重点任务", "组织体系", "标准化规范化", "党员发展",
         "党员队伍", "组织建设"),
        "重点任务方面关键词", "附件1（三）", "同上，对应“推进基层党建工作重点任务落实方面”",
        Kind.WORDS,
    )
    aspect_duty_words: tuple[str, ...] = _setting(
        ("落实责任", "主体责任", "第一责任人", "一岗双责"),
        "落实责任方面关键词", "附件1（四）", "同上，对应“落实责任方面”", Kind.WORDS,
    )
    data_units: tuple[str, ...] = _setting(
        ("万元", "亿元", "元", "人次", "次", "个", "名", "人", "户", "场", "期", "件", "项",
         "家", "处", "条", "篇", "批", "支", "亩", "公里", "%"),
        "数据单位", "四、2", "数字后紧跟这些单位时算作一个具体数据（如党课12次、积极分子3名）",
        Kind.WORDS,
    )
    similarity_threshold: float = _setting(
        0.8, "雷同相似度", "三（防止走过场）",
        "两段文字的相似度达到此值即提示雷同（各村之间、与本村上年度报告之间）", Kind.RATIO,
    )
    last_year_copy_share: float = _setting(
        0.5, "照抄上年度比例", "三（防止走过场）；四、1",
        "报告中与本单位上年度报告雷同的文字达到此比例，即判为照抄上年度、需修改（不想判需修改"
        "时填 100%）", Kind.RATIO, town=True,
    )
    disabled_rules: tuple[str, ...] = _setting(
        (), "停用的检查项", "",
        "不需要的检查项填在这里，用顿号分隔，可填：字数、篇幅比例、问题占三分之一、三个板块、"
        "四个方面、条数、原因分析、数据举例、必答题、述我、上年度整改、模板残留、任职较短、年度、雷同",
        Kind.WORDS,
    )
    soon_days: int = _setting(
        7, "临期提醒天数", "四、6",
        f"整改事项距完成时限不足此天数时在“{RECTIFICATION.title}”表标黄提醒", Kind.INT,
    )
    backups_kept: int = _setting(
        10, "备份保留份数", "", "每次保存前在“备份”文件夹留一份旧版本，最多保留的份数", Kind.INT
    )

    @property
    def weights(self) -> tuple[float, float, float]:
        """Return the weights of 平时考核, 实地调研 and 现场述职."""
        return (self.routine_weight, self.field_weight, self.onsite_weight)

    @property
    def grade_scores(self) -> dict[str, float]:
        """Return the score of each grade, 好 first."""
        scores = (self.score_good, self.score_fairly_good, self.score_average, self.score_poor)
        return dict(zip(GRADES, scores, strict=True))


def setting_specs() -> list[SettingSpec]:
    """Return the specs of every setting, in the order of the ``设置`` sheet."""
    defaults = Settings()
    return [
        SettingSpec(name=f.name, default=getattr(defaults, f.name), **f.metadata)
        for f in dataclasses.fields(Settings)
    ]


def settings_from_rows(
    rows: Iterable[tuple[int, Any, Any]], sheet_title: str = SETTINGS.title
) -> tuple[Settings, list[Diagnostic]]:
    """Return the settings typed from ``(row, 项目, 值)`` triples, and what was wrong.

    A missing or unreadable value keeps the notice's default, and a diagnostic says so.
    Rows whose 项目 is unknown are staff's own and are ignored.
    """
    specs = {spec.label: spec for spec in setting_specs()}
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    seen: set[str] = set()
    for row, label, raw in rows:
        spec = specs.get(parse_text(label))
        if spec is None:
            continue
        seen.add(spec.label)
        if is_blank(raw):
            if spec.kind is Kind.WORDS:
                values[spec.name] = ()  # an emptied list is a choice, not a mistake
            elif spec.default is not None:
                diagnostics.append(_kept_default(spec, sheet_title, row, "未填写"))
            continue
        try:
            values[spec.name] = parse(spec.kind, raw, spec.choices)
        except CellValueError as error:
            diagnostics.append(_kept_default(spec, sheet_title, row, str(error)))
    for spec in specs.values():
        if spec.label not in seen:
            diagnostics.append(
                Diagnostic(
                    f"缺少设置项“{spec.label}”，已按默认值 {format_setting(spec.default)} 计算。"
                    "可运行 tongjia-xls validate 自动补上该行",
                    sheet=sheet_title, severity=Severity.WARNING,
                )
            )
    return Settings(**values), diagnostics


def _kept_default(spec: SettingSpec, sheet: str, row: int, why: str) -> Diagnostic:
    return Diagnostic(
        f"{why}，已按默认值 {format_setting(spec.default)} 计算，请检查“{spec.label}”的值",
        sheet=sheet, row=row, column=SETTINGS.header("value"), severity=Severity.WARNING,
    )


def format_setting(value: Any) -> str:
    """Return a setting's value as staff would write it."""
    if value is None:
        return "（空）"
    if isinstance(value, tuple):
        return format_words(value) or "（空）"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4g}"
    if isinstance(value, float):
        return str(int(value))
    return str(value)
