"""The look of the master workbook: which cells are whose, at a glance.

Staff columns have a dark blue header and white cells; the tool's columns a grey-green
header and light grey cells, so that nobody types where the next run would overwrite.
These are plain descriptions; each backend turns them into its own styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

FONT = "宋体"
TITLE_FONT = "黑体"


class Look(str, Enum):
    """The kinds of cell the tool styles."""

    HEADER_STAFF = "header_staff"
    HEADER_TOOL = "header_tool"
    BODY_STAFF = "body_staff"
    BODY_TOOL = "body_tool"
    TOWN_DECISION = "town_decision"  # a setting the committee must settle


@dataclass(frozen=True)
class Paint:
    """Font colour, fill colour (``None``: no fill) and boldness of a look."""

    fill: str | None
    color: str = "000000"
    bold: bool = False
    wrap: bool = False


PAINTS: dict[Look, Paint] = {
    Look.HEADER_STAFF: Paint("1F4E78", "FFFFFF", bold=True, wrap=True),
    Look.HEADER_TOOL: Paint("6B8E7F", "FFFFFF", bold=True, wrap=True),
    Look.BODY_STAFF: Paint(None),
    Look.BODY_TOOL: Paint("EDEDED", "404040"),
    Look.TOWN_DECISION: Paint("FFF2CC", "000000", bold=True),
}

LEGEND = (
    "深蓝色表头的列由您填写；灰绿色表头、浅灰底色的列由工具填写，每次运行都会重写，请勿手工修改。"
    "黄色底的设置项需由镇党委研究确定。"
)
