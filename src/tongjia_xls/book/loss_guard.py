"""The loss guard: before a save replaces the workbook, prove nothing of the staff's is lost.

It compares the package on disk with the one about to replace it, part by part and element
by element, with its own zip reading and a real XML parser, and it shares no code with the
writer: a writer bug can only make it refuse. The writer declares what it changed
(:class:`Claims`); every other part must keep its bytes, and every other element of a part
the tool touched must be there, equal, in its place. What is not the tool's and would
change or disappear is named in the words staff use (sheet, cell, 图片, 批注, 下拉列表…).
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from lxml import etree

Cell = tuple[int, int]

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ELEMENTS = {
    "sheetPr": "工作表属性（标签颜色等）", "sheetViews": "视图设置（冻结窗格等）",
    "sheetFormatPr": "默认行高和列宽", "cols": "列宽和列格式", "sheetProtection": "工作表保护",
    "protectedRanges": "允许编辑区域", "autoFilter": "筛选", "sortState": "排序",
    "mergeCells": "合并单元格", "conditionalFormatting": "条件格式",
    "dataValidations": "下拉列表（数据有效性）", "hyperlinks": "超链接",
    "printOptions": "打印设置", "pageMargins": "页边距", "pageSetup": "页面设置",
    "headerFooter": "页眉页脚", "rowBreaks": "分页符", "colBreaks": "分页符",
    "drawing": "图片、图形或图表", "legacyDrawing": "批注框或按钮",
    "legacyDrawingHF": "页眉页脚中的图片", "picture": "背景图片", "oleObjects": "嵌入的对象",
    "controls": "控件", "tableParts": "表格",
    "extLst": "扩展功能（数据条、图标集、跨表下拉列表、迷你图等）",
    "ignoredErrors": "忽略的错误提示", "definedNames": "名称（含打印标题、打印区域）",
    "bookViews": "窗口设置", "workbookProtection": "工作簿保护", "sheets": "工作表列表",
    "pivotCaches": "数据透视表", "calcPr": "计算设置", "externalReferences": "外部链接",
}
_FOLDERS = (
    ("xl/drawings/vmlDrawing", "批注框或按钮"), ("xl/drawings/", "图片、图形或图表"),
    ("xl/media/", "图片"), ("xl/charts/", "图表"), ("xl/threadedComments/", "批注（新版）"),
    ("xl/comments", "批注"), ("xl/persons/", "批注的作者"), ("xl/pivotTables/", "数据透视表"),
    ("xl/pivotCache/", "数据透视表的数据"), ("xl/tables/", "表格"),
    ("xl/slicers/", "切片器"), ("xl/slicerCaches/", "切片器"), ("xl/vbaProject", "宏（VBA 工程）"),
    ("xl/sharedStrings", "单元格中的文字（含彩色文字）"), ("xl/styles", "单元格格式"),
    ("xl/externalLinks/", "外部链接"), ("customXml/", "自定义数据"),
    ("xl/richData/", "单元格中的图片"),
    ("xl/metadata", "动态数组和单元格图片的信息"), ("xl/embeddings/", "嵌入的对象"),
    ("xl/activeX/", "控件"), ("xl/ctrlProps/", "控件"), ("xl/theme/", "主题颜色和字体"),
    ("docProps/", "文档属性"), ("xl/workbook", "工作簿结构"), ("[Content_Types]", "文件目录"),
)


@dataclass
class Claims:
    """What a save changed on purpose; the guard holds everything else to its old bytes.

    ``cells`` maps a worksheet part to the cells whose ``<c>`` the tool wrote; ``owned``
    lists worksheet parts the tool lays out whole (their cells and merges are the tool's);
    ``widths`` the columns whose width it set; ``added`` and ``removed`` whole parts;
    ``tables`` table parts whose column names or range it updated; ``drawings`` drawing
    parts in which it replaced its own chart anchors (their rel ids). For the buttons:
    ``replaced`` parts that are wholly the tool's (the VBA project, the buttons' drawing);
    ``attributes`` the (element, attribute) pairs it may set in a part (``sheetPr``'s
    ``codeName``); ``elements`` children it may add to a sheet (``legacyDrawing``);
    ``row_heights`` rows whose height it set; ``retyped`` parts whose content type it changed.
    """

    cells: dict[str, set[Cell]] = field(default_factory=dict)
    owned: set[str] = field(default_factory=set)
    widths: dict[str, set[int]] = field(default_factory=dict)
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)
    drawings: dict[str, set[str]] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)
    attributes: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    elements: dict[str, set[str]] = field(default_factory=dict)
    row_heights: dict[str, set[int]] = field(default_factory=dict)
    retyped: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Loss:
    """One thing of the staff's that a save would change or lose, in their words."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}的{self.what}" if self.where else self.what


def find_losses(old: bytes, new: bytes, claims: Claims) -> list[Loss]:
    """Return what replacing package ``old`` with ``new`` would lose beyond ``claims``."""
    before, after = _parts(old), _parts(new)
    titles = _sheet_titles(before)
    found: list[Loss] = []
    for name, data in before.items():
        if name in claims.removed or name in claims.replaced:
            continue
        if name not in after:
            found.append(Loss("", _describe(name, titles)))
            continue
        if after[name] == data:
            continue
        found += _compare(name, data, after[name], claims, titles)
    return found


def _compare(name: str, old: bytes, new: bytes, claims: Claims, titles: dict[str, str]
             ) -> list[Loss]:
    where = f"工作表“{titles[name]}”" if name in titles else ""
    try:
        a, b = _xml(old), _xml(new)
    except etree.XMLSyntaxError:
        return [Loss(where, _describe(name, titles))]
    strip = claims.attributes.get(name, set())
    if a.tag == f"{_M}worksheet":
        return _worksheet(a, b, where, name, claims)
    if name == "[Content_Types].xml" or name.endswith(".rels"):
        return _superset(name, a, b, claims, titles)
    if a.tag == f"{_M}styleSheet":
        return _appended_only(a, b)
    if a.tag == f"{_M}workbook":
        return _workbook(a, b, strip)
    if name in claims.tables:
        return _table(a, b, name, titles)
    if name in claims.drawings:
        return _drawing(a, b, claims.drawings[name], name, titles)
    return [Loss(where, _describe(name, titles))]


# -- worksheets ---------------------------------------------------------------------------

def _worksheet(a: etree._Element, b: etree._Element, where: str, name: str, claims: Claims
               ) -> list[Loss]:
    """Return what worksheet part ``name`` would lose beyond ``claims``."""
    owned, widths = name in claims.owned, claims.widths.get(name, set())
    found = _same_children(a, b, _free_elements(name, claims), where,
                           claims.attributes.get(name, set()))
    if widths:
        found += _width_losses(a, b, widths, where)
    if owned:
        if a.find(f"{_M}drawing") is not None and b.find(f"{_M}drawing") is None:
            found.append(Loss(where, _ELEMENTS["drawing"]))
        return found
    row_losses, lost = _row_losses(a, b, claims.cells.get(name, set()),
                                   claims.row_heights.get(name, set()), where)
    found += row_losses
    if _masters(a) - _masters(b) & _members(b):
        found.append(Loss(where, "共享公式（拖动填充的公式）"))
    return found + _cell_losses(lost, where)


def _free_elements(name: str, claims: Claims) -> set[str]:
    """Return the children of sheet ``name`` the tool may change, compared apart or not at all."""
    free = {"sheetData", "dimension"} | claims.elements.get(name, set())
    if name in claims.owned:
        free |= {"mergeCells", "drawing"}
    if claims.widths.get(name):
        free.add("cols")
    return free


def _width_losses(a: etree._Element, b: etree._Element, widths: set[int], where: str
                  ) -> list[Loss]:
    """Return a loss for the first column not in ``widths`` whose width or format changed."""
    old_cols, new_cols = _columns(a), _columns(b)
    for col in sorted(set(old_cols) | set(new_cols)):
        if col not in widths and old_cols.get(col) != new_cols.get(col):
            return [Loss(where, f"第{col}列的列宽或格式")]
    return []


def _row_losses(a: etree._Element, b: etree._Element, cells: set[Cell], heights: set[int],
                where: str) -> tuple[list[Loss], list[Cell]]:
    """Return a loss for each row whose look changed, and the cells lost beyond ``cells``."""
    old_rows, new_rows = _rows(a), _rows(b)
    found: list[Loss] = []
    lost: list[Cell] = []
    for number, (whole, row) in old_rows.items():
        kept = new_rows.get(number)
        if kept is not None and kept[0] == whole:
            continue  # the usual case: a row the tool did not touch, compared in one go
        ignored = ("spans", "ht", "customHeight") if number in heights else ("spans",)
        if kept is None or _without(dict(row.attrib), *ignored) != _without(
            dict(kept[1].attrib), *ignored
        ):
            found.append(Loss(where, f"第{number}行的行高或格式"))
        new_cells = _cells(kept[1], number) if kept is not None else {}
        lost += [c for c, xml in _cells(row, number).items()
                 if c not in cells and new_cells.get(c) != xml]
    return found, lost


def _cell_losses(lost: list[Cell], where: str) -> list[Loss]:
    """Return a loss for each of the first five cells lost, and one for the rest."""
    found = [Loss(where, f"{_ref(cell)} 单元格") for cell in lost[:5]]
    if len(lost) > 5:
        found.append(Loss(where, f"另外 {len(lost) - 5} 个单元格"))
    return found


def _rows(root: etree._Element) -> dict[int, tuple[bytes, etree._Element]]:
    """Return each row of the sheet by number: its canonical bytes and its element."""
    rows: dict[int, tuple[bytes, etree._Element]] = {}
    data = root.find(f"{_M}sheetData")
    number = 0
    for row in data.iter(f"{_M}row") if data is not None else ():
        number = int(row.get("r", number + 1))
        rows[number] = (_c14n(row), row)
    return rows


def _cells(row: etree._Element, number: int) -> dict[Cell, bytes]:
    cells: dict[Cell, bytes] = {}
    col = 0
    for cell in row.iter(f"{_M}c"):
        col = _column(cell.get("r")) or col + 1
        cells[(number, col)] = _c14n(cell)
    return cells


def _masters(root: etree._Element) -> set[str]:
    """Return the shared-formula groups that have a master cell (the one with the text)."""
    return {f.get("si", "") for f in root.iter(f"{_M}f") if f.get("t") == "shared" and f.text}


def _members(root: etree._Element) -> set[str]:
    return {f.get("si", "") for f in root.iter(f"{_M}f") if f.get("t") == "shared"}


def _columns(root: etree._Element) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for col in root.iter(f"{_M}col"):
        attrs = _without(dict(col.attrib), "min", "max")
        for number in range(int(col.get("min", "1")), min(int(col.get("max", "1")), 16384) + 1):
            found[number] = attrs
    return found


# -- other parts --------------------------------------------------------------------------

def _same_children(a: etree._Element, b: etree._Element, free: set[str], where: str,
                   strip: Set[tuple[str, str]] = frozenset()) -> list[Loss]:
    """Return a loss for each kind of child of ``a`` that ``b`` does not hold unchanged.

    ``strip`` names (element, attribute) pairs the tool may set: they are left out of the
    comparison, and an element that holds nothing else counts as absent.
    """
    def kept(root: etree._Element) -> dict[str, list[bytes]]:
        found: dict[str, list[bytes]] = {}
        for child in root:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local in free:
                continue
            claimed = {attr for element, attr in strip if element == local}
            if claimed:
                child = copy.deepcopy(child)
                for attr in claimed:
                    child.attrib.pop(attr, None)
                if not child.attrib and not len(child):
                    continue
            found.setdefault(local, []).append(_c14n(child))
        return found

    old, new = kept(a), kept(b)
    return [Loss(where, _ELEMENTS.get(local, f"“{local}”设置"))
            for local, items in old.items() if new.get(local) != items]


def _appended_only(a: etree._Element, b: etree._Element) -> list[Loss]:
    new = {etree.QName(c).localname: c for c in b if isinstance(c.tag, str)}
    for child in a:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        kept = new.get(local)
        old_items = [_c14n(c) for c in child]
        new_items = [_c14n(c) for c in kept] if kept is not None else []
        if new_items[:len(old_items)] != old_items or (
            _without(dict(child.attrib), "count") != _without(dict(kept.attrib), "count")
            if kept is not None else True
        ):
            return [Loss("", "单元格格式")]
    return []


def _workbook(a: etree._Element, b: etree._Element, strip: set[tuple[str, str]]
              ) -> list[Loss]:
    found = _same_children(a, b, {"sheets", "calcPr"}, "工作簿", strip)
    old_sheets = [_c14n(s) for s in a.iter(f"{_M}sheet")]
    new_sheets = [_c14n(s) for s in b.iter(f"{_M}sheet")]
    if new_sheets[:len(old_sheets)] != old_sheets:
        found.append(Loss("工作簿", _ELEMENTS["sheets"]))
    old_calc, new_calc = a.find(f"{_M}calcPr"), b.find(f"{_M}calcPr")
    old_attrs = dict(old_calc.attrib) if old_calc is not None else {}
    new_attrs = dict(new_calc.attrib) if new_calc is not None else {}
    if _without(old_attrs, "fullCalcOnLoad") != _without(new_attrs, "fullCalcOnLoad"):
        found.append(Loss("工作簿", _ELEMENTS["calcPr"]))
    return found


def _superset(name: str, a: etree._Element, b: etree._Element, claims: Claims,
              titles: dict[str, str]) -> list[Loss]:
    """Every old entry of a content-types or relationships part must still be there."""
    source = name.replace("_rels/", "").removesuffix(".rels")
    removed = claims.removed

    def key(entry: etree._Element) -> bytes:
        if (entry.get("PartName") or "").lstrip("/") in claims.retyped:
            entry = copy.deepcopy(entry)
            entry.attrib.pop("ContentType", None)
        return _c14n(entry)

    new = {key(e) for e in b if isinstance(e.tag, str)}
    for entry in a:
        if not isinstance(entry.tag, str):
            continue
        part = (entry.get("PartName") or "").lstrip("/")
        if entry.get("Target") and entry.get("TargetMode") != "External":
            target = entry.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(source), target))
        if part in removed:
            continue
        if key(entry) not in new:
            return [Loss("", _describe(part or name, titles))]
    return []


def _table(a: etree._Element, b: etree._Element, name: str, titles: dict[str, str]
           ) -> list[Loss]:
    def shape(root: etree._Element) -> list[bytes]:
        copy = etree.fromstring(etree.tostring(root))
        copy.attrib.pop("ref", None)
        for node in copy.iter(f"{_M}autoFilter", f"{_M}tableColumn"):
            node.attrib.pop("ref" if node.tag == f"{_M}autoFilter" else "name", None)
        return [_c14n(copy)]

    return [] if shape(a) == shape(b) else [Loss("", _describe(name, titles))]


def _drawing(a: etree._Element, b: etree._Element, replaced: set[str], name: str,
             titles: dict[str, str]) -> list[Loss]:
    def anchors(root: etree._Element, skip: set[str]) -> list[bytes]:
        kept = []
        for anchor in root:
            ids = {node.get(f"{_R}id") for node in anchor.iter() if node.get(f"{_R}id")}
            if not ids & skip:
                kept.append(_c14n(anchor))
        return kept

    old = anchors(a, replaced)
    new = anchors(b, set())
    if any(item not in new for item in old):
        return [Loss("", _describe(name, titles))]
    return []


# -- helpers ------------------------------------------------------------------------------

def _parts(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _sheet_titles(parts: dict[str, bytes]) -> dict[str, str]:
    """Return {part name: tab title} of the worksheets and chart sheets."""
    try:
        rels = _xml(parts["xl/_rels/workbook.xml.rels"])
        book = _xml(parts["xl/workbook.xml"])
    except (KeyError, etree.XMLSyntaxError):
        return {}
    targets = {r.get("Id"): posixpath.normpath(posixpath.join("xl", r.get("Target", "")))
               if not r.get("Target", "").startswith("/") else r.get("Target", "").lstrip("/")
               for r in rels.iter(f"{_PR}Relationship")}
    return {targets[s.get(f"{_R}id")]: s.get("name", "")
            for s in book.iter(f"{_M}sheet") if s.get(f"{_R}id") in targets}


def _describe(name: str, titles: dict[str, str]) -> str:
    if name in titles:
        return f"工作表“{titles[name]}”"
    for prefix, label in _FOLDERS:
        if name.startswith(prefix):
            return f"{label}（{name}）"
    return f"文件中的“{name}”部分"


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True,
                                                  remove_blank_text=False))


def _c14n(node: etree._Element) -> bytes:
    canonical: bytes = etree.tostring(node, method="c14n", exclusive=True)
    return canonical


def _without(attrs: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in attrs.items() if k not in names}


def _column(ref: str | None) -> int:
    number = 0
    for char in (ref or "").upper():
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    return number


def _ref(cell: Cell) -> str:
    row, col = cell
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def describe(losses: Iterable[Loss]) -> str:
    """Return the losses as one Chinese sentence listing each (at most eight)."""
    items = [str(loss) for loss in losses]
    shown = "；".join(dict.fromkeys(items[:8]))
    more = f"等 {len(items)} 处" if len(items) > 8 else ""
    return shown + more
