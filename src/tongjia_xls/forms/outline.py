"""附件1 提纲模板, prefilled for one organization, ready for its secretary to write in.

The document follows 附件1 of the notice line by line: the title (with the organization and
the year in place of the template's), the date line, the secretary, the opening sentence,
the three parts with the four 方面 of part 一, the 一是/二是/三是 placeholders of parts 二
and 三. The notice's guidance (each 方面's "（主要包括……）" and part 二's "（此部分不少于整个
篇幅的1/3）") stands in a paragraph of its own under its heading, in 楷体, after a
【填写提示】, so that deleting it leaves a clean heading. What the notice asks of the report
stands in a 【填写说明】 box at the top, with its numbers from
:class:`~tongjia_xls.settings.Settings`.

Everything the secretary must delete is made so that the checker's ``template_residue`` rule
finds it when it is left in: the guidance of each 方面 keeps the notice's "（主要包括……）",
part 二 keeps "此部分不少于整个篇幅", the placeholders keep their "......", and the box
names "（主要包括……）" itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from tongjia_xls.forms._oxml import remove_paragraph
from tongjia_xls.forms.docx_style import (
    HEADING_FONT,
    SIZE_3,
    SIZE_SMALL_4,
    SUBHEADING_FONT,
    add_heading,
    add_run,
    add_text,
    add_title,
    cell_text,
    cn_date,
    grid_table,
    narrow_cell_margins,
    official_document,
)
from tongjia_xls.outputs import NameBook, atomic_write, ensure_folder, safe_file_name
from tongjia_xls.reports.measure import TOPIC_NAMES
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings

__all__ = ["ASPECTS", "PLACEHOLDER", "TIP", "OutlineOrg", "instructions", "new_document",
           "outline_name", "outline_title", "write_outline"]

#: The four 方面 of part 一 as 附件1 words them: heading, then the notice's guidance.
ASPECTS: tuple[tuple[str, str], ...] = (
    ("（一）加强政治建设方面。",
     "（主要包括深入学习贯彻习近平新时代中国特色社会主义思想，学习贯彻习近平总书记来川视察重要"
     "指示精神，跟进学习习近平总书记最新重要讲话和重要指示批示精神，学习贯彻党的二十大精神，"
     "贯彻落实全国全省全市全县组织工作会议部署，扎实开展主题教育等情况。）"),
    ("（二）服务保障中心大局方面。",
     "（主要包括贯彻落实省委十二届二次、三次、四次全会，市委五届六次、七次全会，县委十五届五次、"
     "六次全会决策部署，贯彻落实全省、全市、全县组织工作会议精神，有效服务“国之大者”“省之大计”"
     "“市之大事”“县之要事”，在推动成渝地区双城经济圈建设、深入实施“四化同步、城乡融合、"
     "五区共兴”发展战略、突出抓好“三件大事”“三大会战”“N项改革”，加快建设“三区三城”和现代化"
     "产业体系等重大任务中彰显基层党建工作成效，特别是服务保障拼经济搞建设、防风险保安全等情况。）"),
    ("（三）推进基层党建工作重点任务落实方面。",
     "（主要包括深入推进各领域基层党组织建设，大力推进基层党组织标准化规范化建设，持续整顿软弱"
     "涣散基层党组织。围绕提升党的组织体系建设的整体效能，深入推进抓党建促乡村振兴、以党建引领"
     "城市基层治理，把坚持和加强党的全面领导落实到机关、国有企业和学校、医院等事业单位，加强新"
     "经济组织、新社会组织、新就业群体党建工作。加强党员发展和教育管理工作，突出发挥好党员先锋"
     "模范作用，把坚持政治标准放在首位，提高发展党员质量，抓好党员经常性教育，推进党员全覆盖轮训，"
     "严格落实党的组织生活制度和基层党组织按期换届制度，加强和改进流动党员管理，严肃稳妥处置"
     "不合格党员。）"),
    ("（四）落实责任方面。",
     "（主要包括基层党组织履行抓基层党建工作主体责任、党组织书记履行第一责任人职责、其他班子成员"
     "履行“一岗双责”。推动基层党组织落实党风廉政建设责任制、意识形态工作责任制，党管统战、党管"
     "政法、抓党建带群建、抓党建促宗教治理等全面从严治党有关工作情况。以及上年度述职评议考核整改"
     "落实情况和巡视、巡察反馈中涉及基层党建工作问题整改情况等。）"),
)
PRACTICES_HEADING = "一、主要做法和成效"
PROBLEMS_HEADING = "二、存在问题及原因分析"
PLANS_HEADING = "三、下步工作打算"
#: The marker before each 方面's guidance; the guidance after it is what the checker finds.
TIP = "【填写提示：写完后删除本段】"
#: The dots of 附件1's 一是/二是/三是 lines (six or more: the checker's 省略号占位).
PLACEHOLDER = "......................"
CAUSES = "以上问题究其原因，主要在于……"
ORDINALS = ("一是", "二是", "三是")
#: Guidance is set a shade lighter than the text the secretary writes.
_GUIDANCE_COLOUR = RGBColor(0x40, 0x40, 0x40)
_BOX_PADDING_MM = 3.0
_BOX_PITCH = 20.0  # 小四 in the box: compact, so the title stays on page 1


@dataclass(frozen=True)
class OutlineOrg:
    """The organization an outline is made for: name, secretary and 单位及职务."""

    org: str
    secretary: str | None
    position: str | None


def outline_title(org: str, settings: Settings) -> str:
    """Return the report's real title, which replaces 附件1's template title."""
    return f"{org}{settings.year}年度抓基层党建工作述职报告"


def outline_name(org: str, settings: Settings, names: NameBook | None = None) -> str:
    """Return the file name of ``org``'s outline, taken from a batch's ``names`` if given."""
    wanted = f"{org}-{settings.year}年度述职报告提纲.docx"
    return names.name(wanted, label=org) if names else safe_file_name(wanted)


def write_outline(org: OutlineOrg, settings: Settings, folder: Path, *,
                  names: NameBook | None = None) -> Path:
    """Write 附件1 prefilled for ``org`` into ``folder`` and return its path.

    ``names`` keeps the file names of a batch distinct (see :class:`NameBook`).
    """
    doc = new_document(outline_title(org.org, settings), settings)
    _instructions_box(doc, settings)
    add_title(doc, f"{org.org}{settings.year}年度", "抓基层党建工作述职报告")
    remove_paragraph(doc.paragraphs[-1])  # add_title's blank line: 附件1's date line follows
    _centred(doc, f"（{_month_line(settings)}）")
    _centred(doc, _signer(org))
    add_text(doc, "")
    add_text(doc, f"根据会议安排，现就{settings.year}年度抓基层党建工作情况述职如下：")
    add_heading(doc, PRACTICES_HEADING)
    for heading, guidance in ASPECTS:
        add_heading(doc, heading, font=SUBHEADING_FONT)
        _guidance(doc, guidance)
        add_text(doc, "")  # where the secretary writes, in the body face
    # 附件1's note on the heading's line becomes guidance of its own: a heading with the note
    # left in is not a heading to the checker, which would then miss the whole part.
    add_heading(doc, PROBLEMS_HEADING)
    _guidance(doc, f"（此部分不少于整个篇幅的{_fraction(settings.problems_share_min)}）")
    for ordinal in ORDINALS:
        add_text(doc, ordinal + PLACEHOLDER)
    add_text(doc, CAUSES)
    add_heading(doc, PLANS_HEADING)
    for ordinal in ORDINALS:
        add_text(doc, ordinal + PLACEHOLDER)
    path = ensure_folder(folder) / outline_name(org.org, settings, names)
    with atomic_write(path) as temporary:
        doc.save(str(temporary))
    return path


def instructions(settings: Settings) -> list[str]:
    """Return the numbered lines of the 【填写说明】 box, with the numbers of ``settings``."""
    s = settings
    if s.problems_share_basis == SHARE_BASIS_PART_TWO:
        third = f"“存在问题及原因分析”不少于全文的{_fraction(s.problems_share_min)}"
    else:
        third = (f"“存在问题及原因分析”和“下步工作打算”合计不少于全文的"
                 f"{_fraction(s.problems_share_min)}")
    economy = s.economy_words[0] if s.economy_words else TOPIC_NAMES[0]
    safety = s.safety_words[0] if s.safety_words else TOPIC_NAMES[1]
    if s.deadline is not None:
        due = f"请于{cn_date(s.deadline)}前将述职报告电子档经包片领导审核后报{s.town}党建办。"
    else:
        due = f"述职报告电子档经包片领导审核后，按{s.town}党建办通知的时间报送。"
    lines = [
        f"篇幅：全文{s.words_min}—{s.words_max}字，分“主要做法和成效”“存在问题及原因分析”"
        f"“下步工作打算”三个板块；主要做法和成效约占{_pct(s.practices_share_min)}—"
        f"{_pct(s.practices_share_max)}，存在问题和工作打算约占{_pct(s.problems_plans_share_min)}"
        f"—{_pct(s.problems_plans_share_max)}，{third}。",
        f"必答题：“{economy}”“{safety}”2个重点难点问题必须回答，写清做了什么、成效如何。",
        f"用数据说话：用具体的实例和数据说话，如开展党课多少次、发展入党积极分子多少个，"
        f"“主要做法和成效”中至少写出{s.data_points_min}个具体数据。",
        "述“我”：紧扣基层党建难点堵点痛点问题，真正把自己摆进去，突出述“我”，讲清履行第一"
        "责任人职责的硬招实招、问题不足和改进措施，防止一味评功摆好。",
        "上年度整改：正面回应上年度查摆的突出问题和上级党组织督察、巡视巡察反馈问题的整改情况。",
        f"报送：{due}",
        "删除：本框、各段【填写提示】和“（主要包括……）”说明文字、“......”占位，写完后一律删除，"
        "否则检查时按“模板残留”退回修改。",
    ]
    return [f"{number}．{line}" for number, line in enumerate(lines, start=1)]


def new_document(title: str, settings: Settings) -> Any:
    """Return an empty document with the official page and ``title`` in its properties."""
    doc = official_document()
    props = doc.core_properties
    props.title, props.author = title, f"{settings.town}党建办"
    props.last_modified_by, props.comments, props.revision = props.author, "", 1
    props.created = props.modified = datetime.now().replace(microsecond=0)
    return doc


# -- the pieces ----------------------------------------------------------------------------

def _instructions_box(doc: Any, settings: Settings) -> None:
    section = doc.sections[-1]
    width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    table = grid_table(doc, 1, (width,))
    narrow_cell_margins(table, _BOX_PADDING_MM)
    cell = table.cell(0, 0)
    cell_text(cell, "【填写说明】（写完后删除本框）", font=HEADING_FONT, size=SIZE_SMALL_4)
    cell.paragraphs[0].paragraph_format.line_spacing = Pt(_BOX_PITCH)
    for line in instructions(settings):
        add_text(cell, line, font=SUBHEADING_FONT, size=SIZE_SMALL_4, line=_BOX_PITCH)
    add_text(doc, "")


def _guidance(doc: Any, guidance: str) -> None:
    paragraph = add_text(doc, "", font=SUBHEADING_FONT)
    _note(paragraph, TIP, True)
    _note(paragraph, guidance, False)


def _note(paragraph: Any, text: str, bold: bool) -> None:
    run = add_run(paragraph, text, SUBHEADING_FONT, SIZE_3, bold)
    run.font.color.rgb = _GUIDANCE_COLOUR


def _centred(doc: Any, text: str) -> None:
    add_text(doc, text, font=SUBHEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _month_line(settings: Settings) -> str:
    when = settings.deadline
    return f"{when.year}年{when.month}月" if when else f"{settings.year + 1}年1月"


def _signer(org: OutlineOrg) -> str:
    position = (org.position or "").strip() or f"{org.org}党组织书记"
    secretary = (org.secretary or "").strip() or "XX"  # left for the checker to find
    return f"{position} {secretary}"


def _pct(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def _fraction(share: float) -> str:
    """Return ``share`` as 附件1 writes it ("1/3"), or as a percentage when no small fraction."""
    close = Fraction(share).limit_denominator(10)
    if 0 < close < 1 and abs(float(close) - share) < 1e-6:
        return f"{close.numerator}/{close.denominator}"
    return _pct(share)
