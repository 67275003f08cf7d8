"""The demo's 21 述职报告 (reports), written as real .docx files.

Each organization of the roster gets the report its ``profile`` asks for (see
``tongjia_xls.demo.roster``): most follow 附件1 of the notice and its 1500-2000 字 and
65%-70% / 30%-35% rules, the others break exactly one kind of rule, the way reports that
reach the office really do. :func:`intended` says which rules each profile breaks, so that
tests can check that the checker finds them.

The text is assembled from phrase banks, filled with figures drawn from a
``random.Random(org.name)``, so every report differs from the others yet each run writes
the same text. Parts are filled sentence by sentence until they reach a 字数 budget
measured with the Word-true counter of ``tongjia_xls.reports.count``, which is how the
profiles land in their ranges without any trial and error at write time.

Real reports vary in form, and so do these: 主要做法和成效 or 主要做法及成效, aspect
headings with or without （一）, a heading and its text in one paragraph, headings in Word
heading styles or only in bold, plans in one paragraph, a small table of figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from tongjia_xls.demo.roster import (
    COMPLIANT,
    MISSING_TOPIC,
    PROFILES,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
    DemoOrg,
)
from tongjia_xls.reports.count import word_count

__all__ = [
    "RULE_CAUSES",
    "RULE_PROBLEMS",
    "RULE_SHARES",
    "RULE_TEMPLATE_RESIDUE",
    "RULE_TOPICS",
    "RULE_WORDS",
    "TOPIC_ECONOMY",
    "TOPIC_SAFETY",
    "VIOLATIONS",
    "intended",
    "report_file_name",
    "write_reports",
]

#: The two 必答题 (mandatory topics) of 三、7, by the notice's own words.
TOPIC_ECONOMY = "拼经济搞建设"
TOPIC_SAFETY = "防风险保安全"

# The rules a profile can break, named as the checker should name them.
RULE_WORDS = "words"  # 四、5: 1500-2000 字
RULE_TOPICS = "topics"  # 三、7: both 必答题 answered
RULE_TEMPLATE_RESIDUE = "template_residue"  # 附件1 left-overs: XX, ……, （主要包括…）
RULE_SHARES = "part_shares"  # 四、5 and 附件1: 65%-70% practices, ≥ 30% problems and plans
RULE_PROBLEMS = "problems"  # 附件1: 一是、二是、三是 problems
RULE_CAUSES = "cause_analysis"  # 附件1: 以上问题究其原因

#: Which rules each profile's report is written to break.
VIOLATIONS: dict[str, frozenset[str]] = {
    COMPLIANT: frozenset(),
    TOO_SHORT: frozenset({RULE_WORDS}),
    MISSING_TOPIC: frozenset({RULE_TOPICS}),
    TEMPLATE_RESIDUE: frozenset({RULE_TEMPLATE_RESIDUE}),
    THIN_PROBLEMS: frozenset({RULE_SHARES, RULE_PROBLEMS, RULE_CAUSES}),
}

_COMPLIANT_FACTS: dict[str, Any] = {
    "words": (1500, 2000),  # whole document, Word-true 字数
    "practices_share": (0.65, 0.67),  # part 一 over the three parts
    "problems_share": (0.20, 0.25),  # part 二 over the three parts
    "problems": (3, 4),  # number of 一是、二是… in part 二
    "plans": (3, 3),
    "topics": (TOPIC_ECONOMY, TOPIC_SAFETY),
    "cause_analysis": True,
    "first_person": True,  # part 二 is sure to say 我 or 本人
    "template_residue": False,
    "min_data_points": 5,  # figures in part 一
}


def intended(profile: str) -> dict[str, Any]:
    """Return what the demo report of ``profile`` is meant to be, and to break.

    Keys: ``violates`` (rule names, see ``RULE_*``), ``words`` (range of the whole
    document's 字数), ``practices_share`` and ``problems_share`` (ranges of part 一 and
    part 二 over the three parts' 字数), ``problems`` and ``plans`` (ranges of their
    numbers), ``topics`` (the 必答题 the text mentions), ``cause_analysis``,
    ``first_person`` (part 二 is sure to say 我 or 本人), ``template_residue`` and
    ``min_data_points`` (figures such as 12次 or 27.8万元 in part 一).
    """
    if profile not in VIOLATIONS:
        raise ValueError(f"未知的述职报告类型：{profile}")
    facts = dict(_COMPLIANT_FACTS)
    facts["violates"] = VIOLATIONS[profile]
    if profile == TOO_SHORT:
        facts["words"] = (900, 1200)
    elif profile == MISSING_TOPIC:
        facts["topics"] = (TOPIC_ECONOMY,)
    elif profile == TEMPLATE_RESIDUE:
        facts["template_residue"] = True
    elif profile == THIN_PROBLEMS:
        facts.update(
            practices_share=(0.85, 0.95),
            problems_share=(0.0, 0.10),
            problems=(0, 2),  # a single problem comes unnumbered: "主要是…"
            cause_analysis=False,
            first_person=False,
        )
    return facts


def report_file_name(org: DemoOrg, year: int = 2023) -> str:
    """Return the file name the secretary hands in, e.g. ``X村-张三-2023年度…报告.docx``."""
    return f"{org.name}-{org.secretary}-{year}年度抓基层党建述职报告.docx"


def write_reports(orgs: Sequence[DemoOrg], folder: Path, *, year: int = 2023) -> list[Path]:
    """Write one 述职报告 per organization into ``folder``; return the paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for org in orgs:
        report = _compose(org, year)
        path = folder / report_file_name(org, year)
        _render(report, org, year).save(str(path))
        paths.append(path)
    return paths


# --- phrase banks --------------------------------------------------------------------------
# Each entry is (kind, text): kind "" fits every organization, "村" or "社区" only that kind.
# Texts are str.format templates over the facts drawn in _facts().

_Bank = tuple[tuple[str, str], ...]

_ASPECT_TITLES = ("加强政治建设", "服务保障中心大局", "推进基层党建工作重点任务落实", "落实责任")
_ORDINALS = "一二三四五六七八九十"

_ASPECT_LEADS: tuple[_Bank, ...] = (
    (
        (
            "",
            "{party}始终把党的政治建设摆在首位，坚持以习近平新时代中国特色社会主义思想为"
            "指导，引导全体党员坚定拥护“两个确立”、坚决做到“两个维护”。",
        ),
        (
            "",
            "我始终把旗帜鲜明讲政治放在首位，团结带领班子成员和{members}名党员深入学习贯彻"
            "党的二十大精神，推动党的创新理论在{name}落地生根。",
        ),
        (
            "",
            "坚持把学习贯彻党的二十大精神作为首要政治任务，我带头学、带头讲、带头用，"
            "推动全体党员在思想上政治上行动上同党中央保持高度一致。",
        ),
    ),
    (
        (
            "",
            "坚持围绕中心抓党建、抓好党建促发展，把党组织的政治优势和组织优势转化为推动"
            "{name}发展的实际成效。",
        ),
        (
            "",
            "我把服务保障中心大局作为检验党建成效的试金石，推动党建工作与中心工作同谋划、"
            "同部署、同落实。",
        ),
    ),
    (
        (
            "",
            "坚持大抓基层的鲜明导向，对标基层党组织标准化规范化建设要求，推动各项重点任务"
            "落地见效。",
        ),
        (
            "",
            "围绕提升组织体系建设整体效能，我逐项对照镇党委年初下达的党建重点任务清单抓落实，"
            "做到任务到人、责任到岗。",
        ),
    ),
    (
        (
            "",
            "我认真履行抓基层党建第一责任人职责，坚持重要工作亲自部署、重大问题亲自过问、"
            "重点环节亲自协调、重要任务亲自督办。",
        ),
        (
            "",
            "我始终牢记“抓好党建是最大政绩”，把党建工作与{home}各项工作一同谋划、一同"
            "部署、一同考核，切实扛起第一责任人职责。",
        ),
    ),
)

# The two 必答题 of aspect (二); every report but missing_topic answers both.
_ECONOMY: _Bank = (
    (
        "村",
        "紧扣拼经济搞建设这道“必答题”，坚持抓党建促乡村振兴，围绕{industry}主导产业，"
        "采取“党支部+合作社+农户”模式，发展{industry}{acres}亩，带动{households}户群众增收。",
    ),
    (
        "村",
        "聚焦拼经济搞建设，依托{coop}盘活闲置土地{acres}亩，全年村集体经济收入达到"
        "{income}万元，同比增长{growth}%。",
    ),
    (
        "社区",
        "紧扣拼经济搞建设这道“必答题”，社区党委主动对接辖区{shops}家商户和企业，协助办理"
        "证照、争取政策，帮助{jobs}名居民实现家门口就业。",
    ),
    (
        "社区",
        "聚焦拼经济搞建设，通过盘活闲置门面、开展物业服务等方式，全年社区集体经济收入"
        "达到{income}万元，同比增长{growth}%。",
    ),
)
_SAFETY: _Bank = (
    (
        "",
        "聚焦防风险保安全，坚持和发展新时代“枫桥经验”，建立“党组织+网格+党员中心户”"
        "矛盾纠纷排查化解机制，全年排查化解矛盾纠纷{disputes}件，化解率{resolve}%。",
    ),
    (
        "村",
        "扎实抓好防风险保安全工作，组织党员带头开展森林防灭火、防汛减灾和安全生产大排查，"
        "整治各类安全隐患{hazards}处，全年未发生较大安全事故。",
    ),
    (
        "社区",
        "扎实抓好防风险保安全工作，组织党员志愿者开展燃气安全、电动自行车充电和高层建筑"
        "消防排查，整治各类安全隐患{hazards}处，辖区保持平安稳定。",
    ),
)

_ASPECT_BODIES: tuple[_Bank, ...] = (
    (
        (
            "",
            "全年组织班子成员集中学习{study}次，开展专题研讨{seminars}次，我本人带头讲党课"
            "{my_lessons}次，推动学习往深里走、往实里走。",
        ),
        (
            "",
            "扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育，围绕群众急难愁盼问题"
            "开展调研{surveys}次，检视问题{found}个，已全部建立台账整改。",
        ),
        (
            "",
            "认真传达学习习近平总书记来川视察重要指示精神，通过院坝会、“坝坝宣讲”等形式开展"
            "宣讲{talks}场次，覆盖群众{talk_people}人次。",
        ),
        (
            "",
            "严格落实“第一议题”制度，党员大会、支委会均首先学习习近平总书记最新重要讲话和"
            "重要指示批示精神，全年跟进学习{first_topic}次。",
        ),
        ("", "坚持每月{day}日开展主题党日活动，全年开展主题党日12次，党员参学率达到{attend}%。"),
        (
            "",
            "针对年老体弱和外出务工党员，采取送学上门、微信群推送等方式开展学习，确保学习教育"
            "全覆盖、不漏人。",
        ),
        (
            "村",
            "结合主题教育开展“我为群众办实事”实践活动，班子成员领办民生实事{deeds}件，解决了"
            "入户道路硬化、灌溉渠道清淤等一批群众急难愁盼问题。",
        ),
        (
            "社区",
            "结合主题教育开展“我为群众办实事”实践活动，班子成员领办民生实事{deeds}件，解决了"
            "老旧小区雨污分流、楼道照明改造等一批居民急难愁盼问题。",
        ),
        (
            "",
            "依托“学习强国”“天府新视界”等平台组织党员常态化自学，{members}名党员中有"
            "{online}名坚持每日线上学习。",
        ),
    ),
    (
        (
            "村",
            "积极争取上级项目资金{invest}万元，实施{projects}个基础设施项目，新建和改造"
            "村组道路{road}公里，群众出行条件明显改善。",
        ),
        (
            "社区",
            "积极争取上级项目资金{invest}万元，实施{projects}个老旧小区改造和公共服务项目，"
            "居民生活环境明显改善。",
        ),
        (
            "村",
            "深入实施“四化同步、城乡融合、五区共兴”发展战略，主动对接成渝地区双城经济圈"
            "建设带来的市场机遇，推动村里{industry}产业与城市消费市场有效衔接。",
        ),
        (
            "社区",
            "深入实施“四化同步、城乡融合、五区共兴”发展战略，主动融入成渝地区双城经济圈"
            "建设，推动辖区商贸服务业提档升级。",
        ),
        (
            "村",
            "推行“党员示范户”带动机制，{mentors}名党员致富带头人结对帮带脱贫户和监测户"
            "{pairs}户，守牢不发生规模性返贫底线。",
        ),
        (
            "村",
            "严格落实耕地保护和粮食安全责任，完成粮食播种面积{grain}亩，坚决遏制耕地"
            "“非农化”、防止“非粮化”。",
        ),
        (
            "村",
            "统筹推进农村人居环境整治，发动党员群众开展环境卫生整治{cleanups}次，评选"
            "“美丽庭院”{courtyards}户。",
        ),
        (
            "社区",
            "推行“党建+物业”联动服务，推动{estates}个小区成立业主委员会或院落自治小组，"
            "解决停车难、垃圾清运等问题{fixes}个。",
        ),
        (
            "社区",
            "联合驻区单位开展“双报到”活动，{unit}在职党员报到{reported}名，认领服务岗位"
            "和微心愿{wishes}个。",
        ),
        (
            "",
            "围绕“三件大事”“三大会战”等重点任务，组建党员先锋队{teams}支，在项目推进、"
            "环境整治中冲锋在前。",
        ),
    ),
    (
        (
            "",
            "严格落实“三会一课”、组织生活会、民主评议党员等制度，全年召开党员大会"
            "{assemblies}次、支委会{committees}次，开展党课{lessons}次。",
        ),
        (
            "",
            "严把发展党员政治关、程序关，全年发展入党积极分子{activists}名，确定发展对象"
            "{candidates}名，发展党员{recruits}名。",
        ),
        ("", "推进党员全覆盖轮训，组织党员参加县、镇集中轮训，轮训覆盖率达到{train}%。"),
        (
            "",
            "加强和改进流动党员管理，建立{flowing}名外出流动党员台账，通过线上组织生活、"
            "微信联系等方式保持经常性联系。",
        ),
        (
            "村",
            "完善“村党组织—村民小组党小组—党员中心户”组织体系，在{cells}个村民小组建立"
            "党小组，实现党的组织和工作全覆盖。",
        ),
        (
            "社区",
            "完善“社区党委—网格党支部—楼栋党小组”组织体系，划分网格{cells}个，选优配强"
            "专兼职网格员{gridders}名。",
        ),
        (
            "",
            "对照标准化规范化建设要求，规范阵地建设和台账资料，党群服务中心全年为群众代办"
            "事项{services}件。",
        ),
        (
            "村",
            "注重培养储备后备力量，回引优秀返乡青年{youth}名，建立村级后备力量人才库，"
            "为下一次按期换届打好基础。",
        ),
        (
            "社区",
            "加强新就业群体党建工作，在辖区建成“暖蜂驿站”1个，联系服务快递员、外卖骑手{riders}名。",
        ),
        (
            "村",
            "以党建引领乡村治理，推行积分制管理，全年评选“星级文明户”{stars}户，修订完善村规民约。",
        ),
        ("", "严格执行党费收缴制度，全年按时足额收缴党费，党费收缴率100%。"),
    ),
    (
        (
            "",
            "年初召开专题会议研究部署党建工作{meetings}次，制定党建工作重点任务清单，明确"
            "{tasks}项具体任务并逐项销号。",
        ),
        ("", "督促其他班子成员履行“一岗双责”，与班子成员签订党风廉政建设责任书{pledges}份。"),
        (
            "",
            "严格落实党风廉政建设责任制，坚持“四议两公开”，全年公开党务、{affairs}、财务"
            "{opens}次，群众满意度达到{satisfy}%。",
        ),
        (
            "",
            "认真落实意识形态工作责任制，每季度分析研判意识形态领域情况，牢牢掌握意识形态"
            "工作领导权。",
        ),
        ("", "坚持抓党建带群建，指导妇联、团支部等群团组织开展活动{mass_events}场次。"),
        ("", "抓好上年度述职评议考核反馈的{rect}个问题整改，目前已全部整改到位。"),
        (
            "",
            "统筹推进党管统战、党管政法、抓党建促宗教治理等工作，全年走访群众{visits}户次，"
            "收集意见建议{ideas}条。",
        ),
        (
            "",
            "针对主题教育检视出的问题，建立整改台账，逐项明确责任人和完成时限，已完成整改"
            "{rect2}项。",
        ),
    ),
)

# Short sentences that close the last gap of a part's budget.
_FILLERS: tuple[_Bank, ...] = (
    (("", "全体党员的政治判断力、政治领悟力、政治执行力明显提升。"),),
    (("", "党组织的凝聚力和号召力进一步增强。"), ("", "群众获得感明显提升。")),
    (("", "基层组织基础进一步夯实。"), ("", "党员队伍活力明显增强。")),
    (("", "全年未发生违规违纪问题。"), ("", "党建责任层层压实。")),
)

_PROBLEM_INTROS = (
    "回顾一年来的工作，本人抓党建虽然取得了一定成效，但对照上级要求和群众期盼，还存在"
    "一些差距和不足：",
    "对照镇党委的要求和群众的期盼，我抓党建工作还存在一些不容忽视的问题：",
    "在肯定成绩的同时，我也清醒认识到，自身抓基层党建工作还有不少差距：",
)

# (kind, lead, details): details are first person and each stands on its own.
_PROBLEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "",
        "理论学习还不够深入",
        (
            "我在学习上存在“以干代学”的思想，满足于读文件、念报纸，对党的二十大精神学得不够系统。",
            "组织党员学习时形式较为单一，互动研讨少，部分老党员参学积极性不高。",
            "本人运用党的创新理论指导{home}发展和基层治理的能力还不够强。",
            "学用结合还不够紧密。",
        ),
    ),
    (
        "",
        "党员队伍结构不够优化",
        (
            "全{unit}{members}名党员中60岁以上的占{old_pct}%，35岁以下的仅{young}名，"
            "后继乏人问题比较突出。",
            "我对发展年轻党员抓得不够紧，对返乡青年、致富能手的培养联系不够主动。",
            "对流动党员管理办法不多，部分外出党员一年难以参加几次组织生活。",
            "党员队伍整体活力不足。",
        ),
    ),
    (
        "",
        "组织生活质量不够高",
        (
            "“三会一课”有时存在重形式、轻内容的情况，党课内容与群众关心的实际问题结合不够紧。",
            "组织生活会上开展批评与自我批评辣味不足，本人带头红红脸、出出汗做得还不够。",
            "主题党日活动内容较为单调，对年轻党员的吸引力不强。",
            "有的党员参加组织生活只是“到场签到”。",
        ),
    ),
    (
        "村",
        "带领群众发展集体经济的办法不多",
        (
            "村集体经济收入虽然达到{income}万元，但主要依靠资产租赁和项目收益，自我造血能力不强。",
            "我在谋划{industry}产业延链补链上思路不够宽，精深加工和品牌打造几乎是空白。",
            "本人对市场行情研判不够，{coop}的带动作用还没有充分发挥出来。",
            "集体经济增收后劲不足。",
        ),
    ),
    (
        "社区",
        "服务辖区发展的抓手不多",
        (
            "社区集体经济收入主要依靠门面租赁，来源单一，自我造血能力不强。",
            "我对辖区商户和新就业群体的需求了解不深，服务精准度还不高。",
            "本人统筹驻区单位资源的办法不多，“双报到”党员作用发挥还不充分。",
            "服务发展的实效还不明显。",
        ),
    ),
    (
        "",
        "防风险保安全的基础还不够牢",
        (
            "我对矛盾纠纷排查化解重视有余、办法不足，个别邻里纠纷反复调解仍未彻底解决。",
            "网格员和党员中心户作用发挥不平衡，安全隐患排查有时存在“走过场”的现象。",
            "应急演练开展得少，群众的安全防范意识还需要进一步提升。",
            "我对安全工作的督促检查还不够严。",
        ),
    ),
    (
        "",
        "履行第一责任人职责还有差距",
        (
            "本人把较多精力放在项目建设等具体事务上，研究党建工作的时间不够多，存在"
            "“重业务、轻党建”的倾向。",
            "对班子成员履行“一岗双责”督促检查不够经常，压力传导存在层层递减的现象。",
            "对上年度查摆问题的整改，有的还停留在制度层面，长效机制还不健全。",
            "本人抓党建的精力投入还不够。",
        ),
    ),
    (
        "",
        "联系服务群众还不够紧密",
        (
            "我入户走访多是在有任务的时候，平时主动到{cells}个{cell_name}听取意见建议不够经常。",
            "对群众反映的部分民生问题回应不够及时，群众还有不满意的地方。",
            "我与年轻群众的交流也比较少。",
        ),
    ),
    (
        "",
        "标准化规范化建设还有短板",
        (
            "党群服务中心功能发挥不充分，有时存在“建而不用”的情况。",
            "部分台账资料记录不规范、不及时，本人督促检查不够到位。",
            "阵地作用发挥还不够充分。",
        ),
    ),
)

_CAUSE_OPENERS = (
    "以上问题究其原因，主要在于以下几个方面：",
    "以上问题究其原因，主要在于自身，具体有以下几点：",
    "深入剖析，以上问题究其原因，主要在于：",
)
_CAUSE_LINKS = ("首先，", "其次，", "再次，", "此外，", "同时，")
_CAUSES: _Bank = (
    (
        "",
        "本人对“抓好党建是最大政绩”的认识还不够深刻，思想上存在重发展、轻党建的倾向，"
        "没有真正把党建工作放在心上、抓在手上。",
    ),
    (
        "",
        "自身学习的自觉性和主动性不够强，用理论武装头脑、指导实践的意识不够，工作中创新办法不多。",
    ),
    (
        "",
        "我履行第一责任人职责的担当精神还需加强，有时满足于完成上级布置的任务，主动谋划、"
        "攻坚克难的劲头不足。",
    ),
    (
        "",
        "抓工作统筹的能力还不够强，对党员队伍建设缺乏长远规划，制度执行上有时宽松软，"
        "没有形成抓常抓长的工作机制。",
    ),
    ("", "联系群众的宗旨意识有所淡化，深入一线调研的时间少，对群众的真实想法掌握不够。"),
    ("", "本人在工作中有时还存在畏难情绪。"),
    (
        "村",
        "客观上，村里青壮年大多外出务工，党员老龄化问题短期内难以扭转，也给组织生活和"
        "党员发展带来一定困难。",
    ),
    (
        "社区",
        "客观上，社区人口流动性大、居民需求多元，党员分散在各个小区，也给组织动员带来一定困难。",
    ),
)

_PLAN_INTROS = (
    "{next_year}年，我将针对存在的问题，重点抓好以下几个方面工作：",
    "下一步，我将坚持问题导向，切实抓好以下工作：",
    "",
)

_PLANS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "",
        "强化理论武装",
        (
            "坚持把学习贯彻党的二十大精神作为长期政治任务，本人全年讲党课不少于4次。",
            "用好“三会一课”、主题党日等载体，推动学习教育常态化长效化。",
            "切实做到以学促干。",
        ),
    ),
    (
        "",
        "建强党员队伍",
        (
            "计划发展入党积极分子{plan_activists}名，重点从返乡青年、致富能手中培养。",
            "加强流动党员管理，确保每名党员都能受教育、有归属。",
            "不断优化党员队伍结构。",
        ),
    ),
    (
        "村",
        "壮大村集体经济",
        (
            "围绕{industry}产业延链补链，力争{next_year}年村集体经济收入突破{income_target}万元。",
            "发挥{coop}带动作用，拓宽群众增收渠道。",
            "带动更多群众增收致富。",
        ),
    ),
    (
        "社区",
        "提升服务发展能力",
        (
            "深化“党建+物业”联动，力争{next_year}年社区集体经济收入突破{income_target}万元。",
            "精准对接辖区商户和新就业群体需求，办好一批民生实事。",
            "不断提升居民幸福感。",
        ),
    ),
    (
        "",
        "抓实防风险保安全",
        (
            "健全网格化管理机制，常态化开展矛盾纠纷排查化解和安全隐患整治。",
            "每半年至少组织1次应急演练，确保{unit}内和谐稳定。",
            "筑牢安全稳定防线。",
        ),
    ),
    (
        "",
        "压实党建工作责任",
        (
            "严格履行第一责任人职责，每季度至少专题研究党建工作1次。",
            "对本次述职评议指出的问题建立整改台账，逐项销号。",
            "推动问题整改见底见效。",
        ),
    ),
    (
        "",
        "提升组织生活质量",
        (
            "丰富主题党日活动内容，把组织生活与{home}中心工作结合起来。",
            "认真开展批评与自我批评，增强组织生活的政治性、时代性、原则性、战斗性。",
            "不断增强党组织凝聚力。",
        ),
    ),
)

_CLOSINGS = ("以上述职，请各位领导和同志们评议。", "以上述职，请予评议。", "")

# 附件1's own words, copied into template_residue reports as secretaries do.
_OUTLINE_ASIDES = (
    "（主要包括深入学习贯彻习近平新时代中国特色社会主义思想，学习贯彻习近平总书记来川视察"
    "重要指示精神，跟进学习习近平总书记最新重要讲话和重要指示批示精神，学习贯彻党的二十大精神，"
    "贯彻落实全国全省全市全县组织工作会议部署，扎实开展主题教育等情况。）",
    "（主要包括基层党组织履行抓基层党建工作主体责任、党组织书记履行第一责任人职责、其他班子"
    "成员履行“一岗双责”。推动基层党组织落实党风廉政建设责任制、意识形态工作责任制，党管统战、"
    "党管政法、抓党建带群建、抓党建促宗教治理等全面从严治党有关工作情况。以及上年度述职评议"
    "考核整改落实情况和巡视、巡察反馈中涉及基层党建工作问题整改情况等。）",
)
_OUTLINE_DOTS_LINE = "一是......................"

_VILLAGE_INDUSTRIES = ("柑橘", "蚕桑", "黑山羊", "食用菌", "花椒", "稻虾", "中药材", "柠檬")

# Part budgets per profile: total 字数 range to aim at, part 一's share of the three parts,
# and part 二's share of what remains (the rest is part 三).
_BUDGETS: dict[str, tuple[tuple[int, int], tuple[float, float], float]] = {
    COMPLIANT: ((1720, 1900), (0.661, 0.667), 0.66),
    TOO_SHORT: ((980, 1120), (0.661, 0.667), 0.64),
    MISSING_TOPIC: ((1720, 1900), (0.661, 0.667), 0.66),
    TEMPLATE_RESIDUE: ((1720, 1900), (0.661, 0.667), 0.66),
    THIN_PROBLEMS: ((1640, 1840), (0.875, 0.885), 0.50),
}


# --- the report model ----------------------------------------------------------------------


@dataclass
class _Para:
    """One paragraph: ``lead`` is a leading part of ``text`` shown in bold, if any."""

    text: str
    role: str  # title, byline, date, intro, part, aspect, body
    lead: str = ""


@dataclass
class _Table:
    rows: list[tuple[str, ...]]


_Block = _Para | _Table


@dataclass
class _Style:
    """How one secretary lays the report out."""

    title: str
    byline: str
    date_line: str
    salutation: str
    part_titles: tuple[str, str, str]
    aspect_layout: str  # separate, inline, unnumbered
    heading_styles: bool  # Word heading styles, or bold runs only
    aspect_suffix: str  # "方面" or ""
    table_aspect: int  # index of the aspect followed by a table, -1 for none
    bold_leads: bool  # 一是… leads in bold
    plans_one_paragraph: bool


@dataclass
class _Report:
    style: _Style
    blocks: list[tuple[int, _Block]] = field(default_factory=list)  # (part, block)

    def add(self, part: int, block: _Block) -> None:
        self.blocks.append((part, block))


def _words(texts: Sequence[str]) -> int:
    return word_count("\n".join(texts))


def _facts(org: DemoOrg, year: int, rng: random.Random) -> dict[str, Any]:
    """Draw the organization's figures; every sentence of its report uses the same ones."""
    village = org.kind != "社区"
    industry = rng.choice(_VILLAGE_INDUSTRIES)
    income = round(rng.uniform(12.0, 48.0), 1)
    members = rng.randint(38, 96)
    return {
        "year": year,
        "next_year": year + 1,
        "name": org.name,
        "party": f"{org.name}党{'支部' if village else '委'}",
        "unit": "村" if village else "社区",
        "home": "村里" if village else "社区",
        "affairs": "村务" if village else "居务",
        "cell_name": "村民小组" if village else "网格",
        "industry": industry,
        "coop": f"{org.name[:-1]}{industry}专业合作社",
        "members": members,
        "online": rng.randint(members // 3, members // 2),
        "cells": rng.randint(6, 13),
        "study": rng.randint(12, 24),
        "seminars": rng.randint(3, 6),
        "lessons": rng.randint(8, 14),
        "my_lessons": rng.randint(2, 4),
        "surveys": rng.randint(4, 9),
        "found": rng.randint(5, 12),
        "talks": rng.randint(6, 18),
        "talk_people": rng.randint(30, 120) * 10,
        "first_topic": rng.randint(14, 26),
        "day": rng.choice((5, 10, 15, 20)),
        "attend": rng.randint(90, 98),
        "deeds": rng.randint(5, 15),
        "invest": round(rng.uniform(60.0, 380.0), 1),
        "projects": rng.randint(3, 7),
        "road": round(rng.uniform(1.2, 6.5), 1),
        "acres": rng.randint(3, 15) * 100,
        "households": rng.randint(60, 320),
        "income": income,
        "income_target": int(income * 1.2) // 5 * 5 + 5,
        "growth": rng.randint(8, 26),
        "shops": rng.randint(40, 160),
        "jobs": rng.randint(15, 60),
        "mentors": rng.randint(5, 12),
        "pairs": rng.randint(12, 40),
        "grain": rng.randint(8, 30) * 100,
        "cleanups": rng.randint(10, 36),
        "courtyards": rng.randint(12, 45),
        "estates": rng.randint(4, 11),
        "fixes": rng.randint(12, 40),
        "reported": rng.randint(30, 120),
        "wishes": rng.randint(40, 150),
        "teams": rng.randint(2, 5),
        "disputes": rng.randint(18, 56),
        "resolve": rng.randint(96, 99),
        "hazards": rng.randint(8, 30),
        "assemblies": rng.randint(4, 8),
        "committees": rng.randint(12, 20),
        "activists": rng.randint(2, 5),
        "candidates": rng.randint(1, 3),
        "recruits": rng.randint(1, 2),
        "train": rng.randint(96, 100),
        "flowing": rng.randint(4, 18),
        "gridders": rng.randint(8, 20),
        "services": rng.randint(180, 960),
        "youth": rng.randint(2, 6),
        "riders": rng.randint(24, 80),
        "stars": rng.randint(20, 60),
        "meetings": rng.randint(4, 8),
        "tasks": rng.randint(12, 24),
        "pledges": rng.randint(4, 7),
        "opens": rng.randint(12, 16),
        "satisfy": rng.randint(95, 99),
        "mass_events": rng.randint(6, 15),
        "rect": rng.randint(3, 6),
        "rect2": rng.randint(4, 9),
        "visits": rng.randint(160, 480),
        "ideas": rng.randint(20, 60),
        "old_pct": rng.randint(45, 68),
        "young": rng.randint(2, 7),
        "plan_activists": rng.randint(2, 4),
    }


def _style(org: DemoOrg, year: int, profile: str, rng: random.Random) -> _Style:
    title = rng.choice(
        (
            f"{year}年度抓基层党建工作述职报告",
            f"{org.position}{year}年度抓基层党建工作述职报告",
            f"{year}年度抓基层党建工作情况述职报告",
        )
    )
    if profile == TEMPLATE_RESIDUE:
        byline = "XX书记"
        date_line = "（XX年X月）" if rng.random() < 0.5 else ""
    else:
        byline = f"{org.position}{rng.choice((' ', '　', '  '))}{org.secretary}"
        date_line = f"（{year + 1}年1月）" if rng.random() < 0.4 else ""
    layout = rng.choice(("separate", "separate", "inline", "unnumbered"))
    return _Style(
        title=title,
        byline=byline,
        date_line=date_line,
        salutation="尊敬的各位领导、同志们：" if rng.random() < 0.25 else "",
        part_titles=(
            rng.choice(("主要做法和成效", "主要做法及成效")),
            rng.choice(("存在问题及原因分析", "存在的问题及原因分析")),
            rng.choice(("下步工作打算", "下一步工作打算")),
        ),
        aspect_layout=layout,
        heading_styles=layout != "inline" and rng.random() < 0.4,
        aspect_suffix="方面" if rng.random() < 0.75 else "",
        # The table of figures follows aspect (三), where the counted work is reported.
        table_aspect=2 if rng.random() < 0.3 else -1,
        bold_leads=rng.random() < 0.5,
        plans_one_paragraph=rng.random() < 0.3,
    )


def _allowed(kind: str, text: str, org: DemoOrg, profile: str) -> bool:
    if kind and kind != org.kind:
        return False
    # missing_topic reports never touch the safety 必答题, not even in passing.
    return not (profile == MISSING_TOPIC and ("风险" in text or "安全" in text))


def _pick(bank: _Bank, org: DemoOrg, profile: str, facts: dict[str, Any]) -> list[str]:
    return [text.format(**facts) for kind, text in bank if _allowed(kind, text, org, profile)]


def _fill(
    base: int, target: int, candidates: list[tuple[int, str]], chosen: list[list[str]]
) -> int:
    """Append candidate sentences to ``chosen[slot]`` while the 字数 stays within target.

    Candidates are tried in order and any that would overshoot is skipped, so the last
    gap ends up smaller than the shortest candidate left. Sentences end with full-width
    punctuation, so their counts simply add up.
    """
    total = base
    for slot, text in candidates:
        words = word_count(text)
        if total + words <= target:
            chosen[slot].append(text)
            total += words
    return total


def _round_robin(banks: list[list[str]]) -> list[tuple[int, str]]:
    order = []
    for depth in range(max(map(len, banks), default=0)):
        for slot, bank in enumerate(banks):
            if depth < len(bank):
                order.append((slot, bank[depth]))
    return order


def _numbered(index: int, lead: str, details: Sequence[str]) -> tuple[str, str]:
    head = f"{_ORDINALS[index]}是{lead}。"
    return head, head + "".join(details)


def _compose(org: DemoOrg, year: int) -> _Report:
    """Build the whole report of ``org``: text, layout and the part each block belongs to."""
    profile = org.profile
    if profile not in PROFILES:
        raise ValueError(f"未知的述职报告类型：{profile}")
    rng = random.Random(org.name)
    facts = _facts(org, year, rng)
    style = _style(org, year, profile, rng)
    report = _Report(style)
    (total_lo, total_hi), (share_lo, share_hi), problems_of_rest = _BUDGETS[profile]
    total_target = rng.randint(total_lo, total_hi)
    practices_share = rng.uniform(share_lo, share_hi)

    # Front matter, outside the three parts.
    report.add(0, _Para(style.title, "title"))
    if style.date_line:
        report.add(0, _Para(style.date_line, "date"))
    report.add(0, _Para(style.byline, "byline"))
    if style.salutation:
        report.add(0, _Para(style.salutation, "intro"))
    report.add(0, _Para(f"根据会议安排，现就{year}年度抓基层党建工作情况述职如下：", "intro"))
    front = _words([b.text for _, b in report.blocks if isinstance(b, _Para)])
    parts_target = total_target - front
    rest_target = parts_target * (1 - practices_share)
    problems_target = round(rest_target * problems_of_rest)
    plans_target = round(rest_target) - problems_target

    problems = _problems(org, profile, facts, style, rng, problems_target)
    plans = _plans(org, profile, facts, style, rng, plans_target)
    rest = _words([b.text for b in problems + plans if isinstance(b, _Para)])
    if profile == THIN_PROBLEMS:
        # Thin parts 二 and 三 are the point: part 一 makes up the whole length.
        practices_target = parts_target - rest
    else:
        # Part 一 is sized from what parts 二 and 三 really came to, so its share is exact.
        practices_target = round(rest * practices_share / (1 - practices_share))
    practices = _practices(org, profile, facts, style, rng, practices_target)

    for part, blocks in ((1, practices), (2, problems), (3, plans)):
        for block in blocks:
            report.add(part, block)
    return report


def _practices(
    org: DemoOrg,
    profile: str,
    facts: dict[str, Any],
    style: _Style,
    rng: random.Random,
    target: int,
) -> list[_Block]:
    heading = f"一、{style.part_titles[0]}"
    residue_aspect = rng.choice((0, 3)) if profile == TEMPLATE_RESIDUE else -1
    titles = []
    for index, title in enumerate(_ASPECT_TITLES):
        text = title + style.aspect_suffix
        if style.aspect_layout != "unnumbered":
            text = f"（{_ORDINALS[index]}）{text}"
        if style.aspect_layout == "inline" or index == residue_aspect:
            text += "。"
        if index == residue_aspect:
            text += _OUTLINE_ASIDES[0 if index == 0 else 1]
        titles.append(text)

    chosen: list[list[str]] = []
    for index in range(4):
        sentences = [rng.choice(_pick(_ASPECT_LEADS[index], org, profile, facts))]
        if index == 1:
            # Every report answers 拼经济搞建设; all but missing_topic also 防风险保安全.
            sentences.append(rng.choice(_pick(_ECONOMY, org, profile, facts)))
            safety = _pick(_SAFETY, org, profile, facts)
            if safety:
                sentences.append(rng.choice(safety))
        chosen.append(sentences)

    table = _table(org, facts, rng) if style.table_aspect >= 0 else None
    table_texts = ["全年党建重点工作完成情况见下表："] if table else []
    if table:
        table_texts += [cell for row in table.rows for cell in row]
    base = _words([heading, *titles, *table_texts, *(s for ss in chosen for s in ss)])

    bodies = []
    for index in range(4):
        bank = _pick(_ASPECT_BODIES[index], org, profile, facts)
        rng.shuffle(bank)
        bodies.append(bank)
    fillers = [(i, s) for i in range(4) for s in _pick(_FILLERS[i], org, profile, facts)]
    _fill(base, target, _round_robin(bodies) + fillers, chosen)

    blocks: list[_Block] = [_Para(heading, "part")]
    for index, sentences in enumerate(chosen):
        paragraphs = _paragraphs(sentences, rng)
        if style.aspect_layout == "inline":
            paragraphs[0] = titles[index] + paragraphs[0]
            blocks.append(_Para(paragraphs[0], "body", lead=titles[index]))
        else:
            blocks.append(_Para(titles[index], "aspect"))
            blocks.append(_Para(paragraphs[0], "body"))
        blocks.extend(_Para(text, "body") for text in paragraphs[1:])
        if table and index == style.table_aspect:
            blocks.append(_Para(table_texts[0], "body"))
            blocks.append(table)
    return blocks


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    """Group an aspect's sentences into paragraphs of two to four sentences."""
    paragraphs = []
    start = 0
    while start < len(sentences):
        size = rng.randint(2, 4)
        if len(sentences) - (start + size) == 1:
            size += 1  # a lone last sentence reads badly
        paragraphs.append("".join(sentences[start : start + size]))
        start += size
    return paragraphs


def _table(org: DemoOrg, facts: dict[str, Any], rng: random.Random) -> _Table:
    economy = "村集体经济收入" if org.kind != "社区" else "社区集体经济收入"
    rows = [
        ("开展党课", f"{facts['lessons']}次"),
        ("主题党日活动", "12次"),
        ("发展入党积极分子", f"{facts['activists']}名"),
        ("党员轮训覆盖率", f"{facts['train']}%"),
        (economy, f"{facts['income']}万元"),
        ("群众满意度", f"{facts['satisfy']}%"),
    ]
    rows = rows[: rng.randint(4, len(rows))]
    return _Table([("项目", f"{facts['year']}年完成情况"), *rows])


def _problems(
    org: DemoOrg,
    profile: str,
    facts: dict[str, Any],
    style: _Style,
    rng: random.Random,
    target: int,
) -> list[_Block]:
    heading = f"二、{style.part_titles[1]}"
    pool = [
        (lead, [d.format(**facts) for d in details])
        for kind, lead, details in _PROBLEMS
        if _allowed(kind, lead + "".join(details), org, profile)
    ]
    rng.shuffle(pool)

    if profile == THIN_PROBLEMS:
        # One or two one-line problems and no cause analysis: the report of a secretary
        # who mostly lists achievements, which 四、1 warns against.
        count = rng.choice((1, 2))
        picked = pool[:count]
        if count == 1:
            lead, details = picked[0]
            text = f"本人抓党建工作还存在一些不足，主要是{lead}，{details[0]}"
            return [_Para(heading, "part"), _Para(text, "body")]
        paras = [_Para("工作中也还存在一些不足：", "body")]
        for index, (lead, details) in enumerate(picked):
            head, text = _numbered(index, lead, details[:1])
            paras.append(_Para(text, "body", lead=head if style.bold_leads else ""))
        return [_Para(heading, "part"), *paras]

    count = 4 if profile != TOO_SHORT and rng.random() < 0.3 else 3
    picked = pool[:count]
    intro = rng.choice(_PROBLEM_INTROS)
    opener = rng.choice(_CAUSE_OPENERS)
    causes = _pick(_CAUSES, org, profile, facts)
    rng.shuffle(causes)
    # Subjective causes first, the objective one (客观上) last if it makes it in.
    causes.sort(key=lambda text: text.startswith("客观上"))

    chosen: list[list[str]] = [[] for _ in range(count + 1)]
    chosen[count].append(causes[0])
    base = _words(
        [heading, intro, opener, causes[0]]
        + [_numbered(i, lead, [])[1] for i, (lead, _) in enumerate(picked)]
    )
    banks = [list(details) for _, details in picked] + [causes[1:]]
    _fill(base, target, _round_robin(banks), chosen)

    blocks: list[_Block] = [_Para(heading, "part"), _Para(intro, "body")]
    for index, (lead, _) in enumerate(picked):
        head, text = _numbered(index, lead, chosen[index])
        blocks.append(_Para(text, "body", lead=head if style.bold_leads else ""))
    linked = [
        sentence if sentence.startswith("客观上") else _CAUSE_LINKS[i] + sentence
        for i, sentence in enumerate(chosen[count])
    ]
    blocks.append(_Para(opener + "".join(linked), "body"))
    return blocks


def _plans(
    org: DemoOrg,
    profile: str,
    facts: dict[str, Any],
    style: _Style,
    rng: random.Random,
    target: int,
) -> list[_Block]:
    heading = f"三、{style.part_titles[2]}"
    pool = [
        (lead, [d.format(**facts) for d in details])
        for kind, lead, details in _PLANS
        if _allowed(kind, lead + "".join(details), org, profile)
    ]
    rng.shuffle(pool)
    picked = pool[:3]
    intro = rng.choice(_PLAN_INTROS).format(**facts) if profile != THIN_PROBLEMS else ""
    closing = rng.choice(_CLOSINGS)
    residue = _OUTLINE_DOTS_LINE if profile == TEMPLATE_RESIDUE else ""

    chosen: list[list[str]] = [[] for _ in picked]
    base = _words(
        [heading, intro, closing, residue]
        + [_numbered(i, lead, [])[1] for i, (lead, _) in enumerate(picked)]
    )
    _fill(base, target, _round_robin([details for _, details in picked]), chosen)

    blocks: list[_Block] = [_Para(heading, "part")]
    if intro:
        blocks.append(_Para(intro, "body"))
    residue_first = rng.random() < 0.5
    if residue and residue_first:
        blocks.append(_Para(residue, "body"))
    items = [_numbered(i, lead, chosen[i]) for i, (lead, _) in enumerate(picked)]
    if style.plans_one_paragraph:
        blocks.append(_Para("".join(text for _, text in items), "body"))
    else:
        for head, text in items:
            blocks.append(_Para(text, "body", lead=head if style.bold_leads else ""))
    if residue and not residue_first:
        blocks.append(_Para(residue, "body"))
    if closing:
        blocks.append(_Para(closing, "body"))
    return blocks


# --- rendering -----------------------------------------------------------------------------
# Formatting lives in paragraph styles rather than on every run, as in a tidy official
# document. The styles are set up once per layout in a prototype document whose 160 unused
# built-in styles (438 KB of styles.xml, twice over with stylesWithEffects.xml) are dropped;
# each report then opens the small prototype, which keeps 21 reports well under a second.

_BODY_FONT = "仿宋_GB2312"
_HEADING_FONTS = {"part": "黑体", "aspect": "楷体_GB2312"}
# Paragraph role -> (style name, font, size in points).
_CUSTOM_STYLES = {
    "title": ("述职标题", "方正小标宋简体", 22),
    "byline": ("述职署名", "楷体_GB2312", 16),
    "table": ("述职表格", _BODY_FONT, 14),
}
# Built-in styles the reports use; _prune_styles adds what these and numbering.xml refer to.
_KEPT_STYLE_IDS = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Heading1", "Heading2"}
)
_STYLE_REFERENCES = ("w:basedOn", "w:next", "w:link")
_NUMBERING_REFERENCES = ("w:pStyle", "w:styleLink", "w:numStyleLink")
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _set_font(target: Any, name: str, size: float | None = None) -> None:
    """Set a run's or style's font, East Asian slot included (the one Word uses for 汉字)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    r_fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    # Theme fonts of the built-in heading styles would override the named font in Word.
    for attribute in [a for a in r_fonts.attrib if a.endswith("Theme")]:
        del r_fonts.attrib[attribute]
    r_fonts.set(qn("w:eastAsia"), name)


@lru_cache(maxsize=2)
def _prototype(heading_styles: bool) -> tuple[bytes, dict[str, str | None]]:
    """Return an empty, styled document and the style id of each paragraph role.

    ``heading_styles`` puts part and aspect headings in Word's 标题 1 / 标题 2; without it
    they are bold Normal paragraphs, as many secretaries type them.
    """
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal, _BODY_FONT, 16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32)  # 首行缩进2字符 at 三号

    ids: dict[str, str | None] = {"body": None, "intro": None}  # None: Normal
    for role, (name, font, size) in _CUSTOM_STYLES.items():
        custom = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        custom.base_style = normal
        _set_font(custom, font, size)
        custom.paragraph_format.first_line_indent = Pt(0)
        custom.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ids[role] = custom.style_id
    styles["述职标题"].paragraph_format.space_after = Pt(16)
    ids["date"] = ids["byline"]
    if heading_styles:
        for role, level in (("part", "Heading 1"), ("aspect", "Heading 2")):
            heading = styles[level]
            _set_font(heading, _HEADING_FONTS[role], 16)
            heading.font.bold = role == "aspect"
            heading.font.italic = False
            # The built-in headings are blue; secretaries' files are black.
            heading.font.color.rgb = RGBColor(0, 0, 0)
            heading.paragraph_format.first_line_indent = Pt(32)
            heading.paragraph_format.space_before = Pt(0)
            heading.paragraph_format.space_after = Pt(0)
            ids[role] = heading.style_id
    else:
        ids["part"] = ids["aspect"] = None

    _prune_styles(doc, _KEPT_STYLE_IDS | {custom_id for custom_id in ids.values() if custom_id})
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(r_id)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), ids


def _prune_styles(doc: Any, wanted: frozenset[str]) -> None:
    """Drop every style that neither ``wanted`` nor any style kept refers to."""
    numbering = doc.part.numbering_part.element
    keep = set(wanted)
    for tag in _NUMBERING_REFERENCES:
        keep.update(element.get(qn("w:val")) for element in numbering.iter(qn(tag)))
    root = doc.styles.element
    by_id = {element.get(qn("w:styleId")): element for element in root.findall(qn("w:style"))}
    pending = list(keep)
    while pending:
        element = by_id.get(pending.pop())
        if element is None:
            continue
        for tag in _STYLE_REFERENCES:
            for reference in element.findall(qn(tag)):
                target = reference.get(qn("w:val"))
                if target not in keep:
                    keep.add(target)
                    pending.append(target)
    for style_id, element in by_id.items():
        if style_id not in keep:
            root.remove(element)


def _render(report: _Report, org: DemoOrg, year: int) -> Any:
    style = report.style
    prototype, style_ids = _prototype(style.heading_styles)
    doc = Document(BytesIO(prototype))

    props = doc.core_properties
    props.author = org.secretary
    props.last_modified_by = org.secretary
    props.title = style.title
    props.comments = ""
    # Fixed stamps keep the documents identical from run to run.
    stamp = datetime(year + 1, 1, 3, 9, 0, tzinfo=timezone.utc)
    props.created = stamp
    props.modified = stamp
    props.revision = 1

    for _, block in report.blocks:
        if isinstance(block, _Table):
            _render_table(doc, block, style_ids["table"])
            continue
        paragraph = doc.add_paragraph()
        _apply_style(paragraph, style_ids[block.role])
        text = block.text
        if block.lead:
            lead = paragraph.add_run(block.lead)
            lead.bold = True
            if block.lead.startswith("（"):
                # An aspect heading run into its text keeps the heading font.
                _set_font(lead, _HEADING_FONTS["aspect"])
            text = text[len(block.lead) :]
        if not text:
            continue
        run = paragraph.add_run(text)
        if block.role in _HEADING_FONTS and not style.heading_styles:
            # Bold-only headings: a Normal paragraph that only looks like a heading.
            run.bold = True
            _set_font(run, _HEADING_FONTS[block.role])
    return doc


def _apply_style(paragraph: Any, style_id: str | None) -> None:
    """Give ``paragraph`` a style by id (None for Normal).

    ``Paragraph.style = ...`` rescans every style of the document on each call, which
    made rendering several times slower than all the rest together.
    """
    if style_id is not None:
        paragraph._p.style = style_id


def _render_table(doc: Any, block: _Table, cell_style_id: str | None) -> None:
    table = doc.add_table(rows=len(block.rows), cols=len(block.rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (row, values) in enumerate(zip(table.rows, block.rows, strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            _apply_style(paragraph, cell_style_id)
            run = paragraph.add_run(value)
            run.bold = index == 0
