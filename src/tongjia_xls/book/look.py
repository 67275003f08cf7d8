"""The look of the master workbook: which cells are whose, at a glance.

Staff columns have a dark blue header and white cells; the tool's columns a grey-green
header and light grey cells, so that nobody types where the next run would overwrite.
These are plain descriptions; each backend turns them into its own styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tongjia_xls.sheets.schema import Column, Filler

FONT = "宋体"
TITLE_FONT = "黑体"


class Look(str, Enum):
    """The kinds of cell the tool styles."""

    HEADER_STAFF = "header_staff"
    HEADER_TOOL = "header_tool"
    HEADER_DRAFT = "header_draft"
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
    Look.HEADER_DRAFT: Paint("7F6084", "FFFFFF", bold=True, wrap=True),
    Look.BODY_STAFF: Paint(None),
    Look.BODY_TOOL: Paint("EDEDED", "404040"),
    Look.TOWN_DECISION: Paint("FFF2CC", "000000", bold=True),
}

LEGEND = (
    "深蓝色表头的列由您填写；灰绿色表头、浅灰底色的列由工具填写，每次运行都会重写，请勿手工修改；"
    "紫色表头的列（评价意见）由工具起草，您可以直接修改，改过的内容工具不再改动。"
    "黄色底的设置项需由镇党委研究确定。"
)


def header_look(column: Column) -> Look:
    """Return the look of ``column``'s header cell: whose column it is."""
    return {Filler.STAFF: Look.HEADER_STAFF, Filler.TOOL: Look.HEADER_TOOL,
            Filler.DRAFT: Look.HEADER_DRAFT}[column.filled_by]


def body_look(column: Column) -> Look:
    """Return the look of ``column``'s data cells; a draft is staff's to edit, so plain."""
    return Look.BODY_TOOL if column.filled_by is Filler.TOOL else Look.BODY_STAFF
