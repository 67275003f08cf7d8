"""The demo's 21 fictional organizations.

Every name here is invented for the demo: the villages, the secretaries and the area
leaders. ``profile`` says what kind of report the demo writes for the organization, so
that the checker has something to find (see ``tongjia_xls.demo.reports``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Report profiles, each a kind of report the office really receives.
COMPLIANT = "compliant"
TOO_SHORT = "too_short"
MISSING_TOPIC = "missing_topic"
TEMPLATE_RESIDUE = "template_residue"
THIN_PROBLEMS = "thin_problems"

PROFILES = (COMPLIANT, TOO_SHORT, MISSING_TOPIC, TEMPLATE_RESIDUE, THIN_PROBLEMS)


@dataclass(frozen=True)
class DemoOrg:
    """One fictional organization of the demo roster."""

    name: str
    kind: str
    secretary: str
    area_leader: str
    appointed: date
    profile: str

    @property
    def position(self) -> str:
        """Return the 单位及职务 as printed on 附件2, e.g. ``青杠湾村党委书记``."""
        return f"{self.name}党{'委' if self.kind == '社区' else '支部'}书记"


_LEADERS = ("刘晓岚", "陈国栋", "周立新", "王雪梅")

_ROWS = (
    ("青杠湾村", "村", "李德明", COMPLIANT),
    ("松林坪村", "村", "张玉华", COMPLIANT),
    ("白鹭溪村", "村", "王建国", TOO_SHORT),
    ("金竹岭村", "村", "赵春梅", COMPLIANT),
    ("石堰坝村", "村", "陈志远", MISSING_TOPIC),
    ("桂花湾村", "村", "刘海燕", COMPLIANT),
    ("柏树垭村", "村", "杨光辉", TEMPLATE_RESIDUE),
    ("梨园沟村", "村", "黄秀英", COMPLIANT),
    ("双河口村", "村", "周明亮", THIN_PROBLEMS),
    ("龙井坡村", "村", "吴文军", COMPLIANT),
    ("新桥铺村", "村", "徐丽萍", COMPLIANT),
    ("红岩嘴村", "村", "孙永强", TOO_SHORT),
    ("马鞍山村", "村", "胡晓东", COMPLIANT),
    ("凤凰台村", "村", "郭美玲", MISSING_TOPIC),
    ("柳树塘村", "村", "何建平", COMPLIANT),
    ("大田坝村", "村", "高红霞", COMPLIANT),
    ("杏花岭村", "村", "林志刚", THIN_PROBLEMS),
    ("观音岩村", "村", "罗小芳", COMPLIANT),
    ("水井湾村", "村", "梁德胜", TEMPLATE_RESIDUE),
    ("童心街社区", "社区", "宋佳怡", COMPLIANT),
    ("南华路社区", "社区", "谢文斌", COMPLIANT),
)


def demo_orgs() -> list[DemoOrg]:
    """Return the 21 demo organizations in roster order."""
    orgs = []
    for index, (name, kind, secretary, profile) in enumerate(_ROWS):
        # Two secretaries took office late in the year: the "short tenure" case of 三、7.
        appointed = date(2023, 9, 1) if index in (8, 16) else date(2021, 1, 10 + index % 15)
        orgs.append(
            DemoOrg(
                name=name,
                kind=kind,
                secretary=secretary,
                area_leader=_LEADERS[index % len(_LEADERS)],
                appointed=appointed,
                profile=profile,
            )
        )
    return orgs
