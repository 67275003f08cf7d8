"""The fixed texts, local names and part budgets the demo's 述职报告 are assembled from.

Pure data, no logic. The sentence banks live beside this module:
``tongjia_xls.demo.phrases_practices`` (part 一) and ``tongjia_xls.demo.phrases_problems``
(parts 二 and 三), written as templates with alternatives (``tongjia_xls.demo.variants``).
Changing any text here changes the generated reports.
"""

from __future__ import annotations

from tongjia_xls.demo.roster import (
    COMPLIANT,
    MISSING_TOPIC,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    TOO_SHORT,
)

ASPECT_TITLES = ("加强政治建设", "服务保障中心大局", "推进基层党建工作重点任务落实", "落实责任")
ORDINALS = "一二三四五六七八九十"

CLOSINGS = ("以上述职，请各位领导和同志们评议。", "以上述职，请予评议。", "")

# 附件1's own words, copied into template_residue reports as secretaries do.
OUTLINE_ASIDES = (
    "（主要包括深入学习贯彻习近平新时代中国特色社会主义思想，学习贯彻习近平总书记来川视察"
    "重要指示精神，跟进学习习近平总书记最新重要讲话和重要指示批示精神，学习贯彻党的二十大精神，"
    "贯彻落实全国全省全市全县组织工作会议部署，扎实开展主题教育等情况。）",
    "（主要包括基层党组织履行抓基层党建工作主体责任、党组织书记履行第一责任人职责、其他班子"
    "成员履行“一岗双责”。推动基层党组织落实党风廉政建设责任制、意识形态工作责任制，党管统战、"
    "党管政法、抓党建带群建、抓党建促宗教治理等全面从严治党有关工作情况。以及上年度述职评议"
    "考核整改落实情况和巡视、巡察反馈中涉及基层党建工作问题整改情况等。）",
)
OUTLINE_DOTS_LINE = "一是......................"

VILLAGE_INDUSTRIES = ("柑橘", "蚕桑", "黑山羊", "食用菌", "花椒", "稻虾", "中药材", "柠檬")
COMMUNITY_INDUSTRIES = ("商贸服务", "物业服务", "社区养老")

# Last year's main problem, named where a report answers for its rectification (三、6).
# The four organizations with a 上年度 item on the demo workbook's 整改台账
# (``tongjia_xls.demo.workspace``) name that item, so that ``check`` finds it answered.
LAST_YEAR_PROBLEMS = {
    "青杠湾村": "党员活动室功能不全、“三会一课”记录不规范",
    "白鹭溪村": "发展党员青年比例偏低",
    "双河口村": "流动党员联系不经常",
    "杏花岭村": "软弱涣散整顿成效不够稳固",
}
OTHER_LAST_YEAR_PROBLEMS = (
    "党员教育管理不够严格", "阵地功能发挥不充分", "组织生活会质量不高", "党务公开不够及时规范",
    "后备力量培养不足", "集体经济发展办法不多", "班子成员“一岗双责”落实不到位",
    "联系服务群众不够经常",
)

# 院落 and 小区 names, one per report serial (no demo organization's name among them).
VILLAGE_PLACES = (
    "黄桷树", "老屋基", "石板沟", "柏香林", "核桃湾", "龙洞湾", "凉水井", "桐子林", "杨家沟",
    "何家院子", "堰塘湾", "松树包", "庙子梁", "岩口上", "竹林湾", "新房子", "石河堰", "枫香坡",
    "油坊沟", "槐树院", "高石坎", "罗家坝", "瓦窑沟", "上河坝", "板桥湾", "柿子坪", "李子园",
    "水碾房", "鹰嘴岩", "张家湾", "团山堡", "土地垭", "猫儿石", "白果树", "花椒湾", "干河沟",
    "碾子坪", "大石包", "青龙嘴", "稻香湾", "磨盘山", "唐家院子",
)
COMMUNITY_PLACES = ("锦绣花园", "翠屏苑", "丰收小区", "和平里", "滨河小区", "文昌苑")

# Part budgets per profile: total 字数 to aim at, the share of parts 二 and 三 together in
# the three parts' 字数, and part 二's share of that (the rest is part 三). The default
# checker wants part 一 at 65%-70% and parts 二+三 at 30%-35% but at least 1/3: the demo aims
# at 二+三 ≈ 34% so that rounding never tips a compliant report over either edge.
BUDGETS: dict[str, tuple[tuple[int, int], tuple[float, float], float]] = {
    COMPLIANT: ((1720, 1880), (0.339, 0.341), 0.66),
    TOO_SHORT: ((980, 1120), (0.339, 0.341), 0.62),
    MISSING_TOPIC: ((1720, 1880), (0.339, 0.341), 0.66),
    TEMPLATE_RESIDUE: ((1720, 1880), (0.339, 0.341), 0.62),
    THIN_PROBLEMS: ((1660, 1820), (0.110, 0.125), 0.50),
}
