"""The file backend on the master workbook: what it reads, what it writes, what it keeps.

Each test starts from a real master workbook (``tongjia-xls init``) and, where staff would
have Excel or WPS add something the tool's own writer never makes (a formula with its
result, a shared formula, a table, a picture on 统计, a prefixed namespace), puts it into the
package the way those programs write it.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tongjia_xls.actions import score_workbook, validate_workbook
from tongjia_xls.book.file_backend import FileBackend
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.save import BACKUP_DIR
from tongjia_xls.errors import UserError
from tongjia_xls.sheets.schema import SCORES, STATS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def edit_part(path: Path, part: str, change) -> None:
    """Rewrite one part of the package at ``path`` through ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, change(data) if info.filename == part else data)


def read_part(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(part)


def sheet_part(path: Path, title: str) -> str:
    import package_diff

    return package_diff.sheet_parts(path)[title]


def set_cell_xml(path: Path, title: str, ref: str, xml: str) -> None:
    """Replace cell ``ref`` of sheet ``title`` by ``xml``, as Excel would have written it."""
    part = sheet_part(path, title)

    def change(data: bytes) -> bytes:
        text = data.decode()
        cell = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)')
        if cell.search(text):
            return cell.sub(xml, text, count=1).encode()
        row = int(re.sub(r"\D", "", ref))
        return re.sub(rf'(<row r="{row}"[^>]*>)', rf"\1{xml}", text, count=1).encode()

    edit_part(path, part, change)


def _score_row(path: Path, org: str) -> dict:
    table = Workbook.open(path, for_write=False).read(SCORES)
    return next(r.values for r in table.records if r.values.get("org") == org)


# -- staff formulas -------------------------------------------------------------------------

def test_a_staff_formula_keeps_its_result_through_every_save(book_path: Path) -> None:
    # 平时考核 of the first organization typed as =85+5 in Excel: formula and result stored.
    set_cell_xml(book_path, SCORES.title, "C2", '<c r="C2"><f>85+5</f><v>90</v></c>')
    for _ in range(2):  # the second run reads what the first one saved
        validate_workbook(book_path)
        score_workbook(book_path)
        assert _score_row(book_path, "青杠湾村")["routine"] == 90
    cell = re.search(rb'<c r="C2"[^>]*>.*?</c>', read_part(book_path, sheet_part(
        book_path, SCORES.title)))
    assert cell is not None and b"<f>85+5</f><v>90</v>" in cell.group(0)


def test_a_formula_returning_empty_text_reads_as_blank(book_path: Path) -> None:
    set_cell_xml(book_path, SCORES.title, "C2",
                 '<c r="C2" t="str"><f>IF(1&gt;2,"x","")</f><v></v></c>')
    assert _score_row(book_path, "青杠湾村")["routine"] is None
    table = Workbook.open(book_path, for_write=False).read(SCORES)
    assert not [d for d in table.diagnostics if d.row == 2 and d.column == "平时考核"]


def test_overwriting_a_formula_drops_the_calculation_chain_and_asks_for_recalculation(
    book_path: Path,
) -> None:
    # A formula typed into a tool column (综合得分, G2): the tool's value replaces it.
    set_cell_xml(book_path, SCORES.title, "G2", '<c r="G2"><f>1+1</f><v>2</v></c>')
    _add_calc_chain(book_path, SCORES.title, "G2")
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"composite": 88.5}})
        book.save()
    with zipfile.ZipFile(book_path) as package:
        names = package.namelist()
        assert "xl/calcChain.xml" not in names
        assert b"calcChain" not in package.read("[Content_Types].xml")
        assert b"calcChain" not in package.read("xl/_rels/workbook.xml.rels")
        assert b'fullCalcOnLoad="1"' in package.read("xl/workbook.xml")
    assert openpyxl.load_workbook(book_path)[SCORES.title]["G2"].value == 88.5


def _add_calc_chain(path: Path, title: str, ref: str) -> None:
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    chain = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<calcChain xmlns="{MAIN}"><c r="{ref}" i="7"/></calcChain>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'spreadsheetml.calcChain+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdCalc" Type="http:'
                                    b'//schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/calcChain" Target="calcChain.xml"/>'
                                    b"</Relationships>")
            dst.writestr(info, data)
        dst.writestr("xl/calcChain.xml", chain)


def test_writing_only_values_keeps_the_calculation_chain(book_path: Path) -> None:
    _add_calc_chain(book_path, SCORES.title, "N2")
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"composite": 88.5}})
        book.save()
    assert "xl/calcChain.xml" in zipfile.ZipFile(book_path).namelist()


def test_a_shared_formula_survives_its_master_being_overwritten(book_path: Path) -> None:
    # Staff filled G2:G4 (a tool column) by dragging =C2*2 down: Excel stores one master.
    set_cell_xml(book_path, SCORES.title, "G2",
                 '<c r="G2"><f t="shared" ref="G2:G4" si="0">C2*2</f><v>0</v></c>')
    set_cell_xml(book_path, SCORES.title, "G3", '<c r="G3"><f t="shared" si="0"/><v>0</v></c>')
    set_cell_xml(book_path, SCORES.title, "G4", '<c r="G4"><f t="shared" si="0"/><v>0</v></c>')
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"composite": 77}})
        book.save()
    sheet = openpyxl.load_workbook(book_path)[SCORES.title]
    assert sheet["G2"].value == 77
    assert sheet["G3"].value == "=C3*2"
    assert sheet["G4"].value == "=C4*2"


def test_a_cell_of_an_array_formula_is_left_and_reported(book_path: Path) -> None:
    set_cell_xml(book_path, SCORES.title, "G2",
                 '<c r="G2"><f t="array" ref="G2:G3">C2:C3*2</f><v>0</v></c>')
    set_cell_xml(book_path, SCORES.title, "G3", '<c r="G3"><v>0</v></c>')
    with Workbook.open(book_path) as book:
        report = book.update_rows(SCORES, {3: {"composite": 66}})
        book.save()
    assert report.changed == 0
    assert "数组公式" in str(report.diagnostics[0])
    assert b'<f t="array" ref="G2:G3">' in read_part(book_path, sheet_part(book_path, "评分"))


# -- text, dates, reading -----------------------------------------------------------------

@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+1", "-3", "@张三", "=HYPERLINK(\"x\")"])
def test_text_that_looks_like_a_formula_stays_text(book_path: Path, text: str) -> None:
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"remarks": text}})
        book.save()
    cell = openpyxl.load_workbook(book_path)[SCORES.title].cell(row=2, column=14)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert b"<f>" not in read_part(book_path, sheet_part(book_path, SCORES.title))


def test_text_with_excel_escapes_and_markup_round_trips(book_path: Path) -> None:
    text = "字面的 _x000D_ 和 <b>&amp; \"引号\"\n第二行"
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"remarks": text}})
        book.save()
    assert Workbook.open(book_path, for_write=False).read(SCORES).records[0].raw["remarks"] == text
    assert b"_x005F_x000D_" in read_part(book_path, sheet_part(book_path, SCORES.title))


def test_dates_written_get_a_date_format_and_read_back(book_path: Path) -> None:
    stamp = datetime(2024, 1, 5, 9, 30)
    with Workbook.open(book_path) as book:
        book.backend.write_cells(SCORES.title, {(2, 20): stamp})
        book.save()
    cell = openpyxl.load_workbook(book_path)[SCORES.title].cell(row=2, column=20)
    assert cell.value == stamp and cell.is_date


@pytest.mark.parametrize(("xml", "expected"), [
    ('<c r="T2" t="b"><v>1</v></c>', True),
    ('<c r="T2" t="e"><v>#N/A</v></c>', "#N/A"),
    ('<c r="T2" t="inlineStr"><is><r><t>红</t></r><r><rPr><b/></rPr><t>字</t></r></is></c>',
     "红字"),
    ('<c r="T2"><v>1.5E2</v></c>', 150.0),
    ('<c r="T2"><v>7</v></c>', 7),
])
def test_cells_read_as_openpyxl_reads_them(book_path: Path, xml: str, expected: object) -> None:
    set_cell_xml(book_path, SCORES.title, "T2", xml)
    backend = FileBackend.open(book_path, for_write=False)
    value = backend.read_grid(SCORES.title)[1][19]
    assert value == expected and type(value) is type(expected)


def test_a_chinese_builtin_date_format_reads_as_a_date(book_path: Path) -> None:
    # Chinese Excel writes 2024年1月5日 with the built-in format 31, absent from numFmts.
    def add_xf(data: bytes) -> bytes:
        count = int(re.search(rb'<cellXfs count="(\d+)"', data).group(1))
        data = data.replace(b'<cellXfs count="%d"' % count, b'<cellXfs count="%d"' % (count + 1))
        return data.replace(b"</cellXfs>", b'<xf numFmtId="31" fontId="0" fillId="0" '
                            b'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'), count

    styles = read_part(book_path, "xl/styles.xml")
    _, index = add_xf(styles)
    edit_part(book_path, "xl/styles.xml", lambda d: add_xf(d)[0])
    set_cell_xml(book_path, SCORES.title, "T2", f'<c r="T2" s="{index}"><v>45296</v></c>')
    value = FileBackend.open(book_path, for_write=False).read_grid(SCORES.title)[1][19]
    assert value == datetime(2024, 1, 5)


# -- rows, styles, repeated runs ----------------------------------------------------------

def test_a_second_run_with_nothing_new_writes_nothing(book_path: Path) -> None:
    validate_workbook(book_path)
    before = book_path.read_bytes()
    outcome = validate_workbook(book_path)
    assert not outcome.saved and book_path.read_bytes() == before


def test_styles_are_appended_once_and_reused(book_path: Path) -> None:
    def count() -> int:
        return int(re.search(rb'<cellXfs count="(\d+)"', read_part(book_path, "xl/styles.xml"))
                   .group(1))

    before = count()
    for _ in range(3):
        with Workbook.open(book_path) as book:
            book.append(SCORES, [{"org": f"新增{_}村"}])
            book.save()
    grown = count() - before
    # One cell format per look and number format of the table's columns, the same every time.
    from tongjia_xls.book.look import body_look

    kinds = {(body_look(column), column.format) for column in SCORES.columns}
    assert 0 < grown <= len(kinds)


def test_rows_added_stand_in_order_and_the_dimension_covers_them(book_path: Path) -> None:
    with Workbook.open(book_path) as book:
        report = book.append(SCORES, [{"org": "甲村"}, {"org": "乙村"}])
        book.save()
    data = read_part(book_path, sheet_part(book_path, SCORES.title)).decode()
    numbers = [int(n) for n in re.findall(r'<row r="(\d+)"', data)]
    assert numbers == sorted(numbers) and report.added_rows[-1] in numbers
    last = re.search(r'<dimension ref="A1:([A-Z]+)(\d+)"', data)
    assert last is not None and int(last.group(2)) >= report.added_rows[-1]


def test_a_header_written_into_a_table_renames_the_table_column(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    from openpyxl.worksheet.table import Table

    ws = wb[SCORES.title]
    ws.add_table(Table(displayName="评分表", ref=f"A1:O{ws.max_row}"))
    wb.save(book_path)
    # Staff renamed the 综合得分 header; the tool puts it back, and the table follows.
    set_cell_xml(book_path, SCORES.title, "G1", '<c r="G1" t="inlineStr"><is><t>总分</t></is></c>')
    with Workbook.open(book_path) as book:
        book.backend.write_cells(SCORES.title, {(1, 7): "综合得分"})
        book.save()
    table = openpyxl.load_workbook(book_path)[SCORES.title].tables["评分表"]
    assert table.tableColumns[6].name == "综合得分"


# -- the sheet the tool lays out whole ----------------------------------------------------

def test_statistics_charts_are_replaced_and_a_staff_picture_on_it_stays(book_path: Path) -> None:
    score_workbook(book_path)
    _put_picture_on(book_path, STATS.title)
    for _ in range(2):
        with Workbook.open(book_path) as book:
            book.update_rows(SCORES, {2: {"remarks": f"第{_}次"}})
            book.save()
        score_workbook(book_path)
    with zipfile.ZipFile(book_path) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        drawing = next(n for n in package.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n)
                       and b"staff-picture" in package.read(n))
        assert b'name="tongjia-xls 1"' in package.read(drawing)
        assert "xl/media/staff.png" in package.namelist()
    assert len(charts) == 2  # the two charts of 统计, never piling up
    assert Workbook.open(book_path, for_write=False).backend.chart_count(STATS.title) == 2


def _put_picture_on(path: Path, title: str) -> None:
    """Add a picture anchored on ``title`` to its drawing, as Excel would."""
    part = sheet_part(path, title)
    rels_name = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    with zipfile.ZipFile(path) as src:
        items = {info.filename: (info, src.read(info)) for info in src.infolist()}
    drawing_target = re.search(rb'Target="\.\./drawings/(drawing\d+\.xml)"', items[rels_name][1])
    assert drawing_target is not None, "统计 has charts, hence a drawing"
    drawing = "xl/drawings/" + drawing_target.group(1).decode()
    drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    picture = (
        b'<xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>'
        b'<xdr:row>40</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
        b'<xdr:ext cx="90000" cy="90000"/>'
        b'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="99" name="staff-picture"/><xdr:cNvPicPr/>'
        b'</xdr:nvPicPr><xdr:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships" r:embed="rIdStaffPic"/><a:stretch><a:fillRect/>'
        b'</a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        b'</xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>'
    )
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d4944415478da6364f8cf00000301010035a8fb0b0000"
                        "000049454e44ae426082")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, (info, data) in items.items():
            if name == drawing:
                data = data.replace(b"</xdr:wsDr>", picture + b"</xdr:wsDr>")
            if name == drawing_rels:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdStaffPic" '
                                    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/image" Target="../media/staff.png"/>'
                                    b"</Relationships>")
            if name == "[Content_Types].xml" and b'Extension="png"' not in data:
                data = data.replace(b"</Types>",
                                    b'<Default Extension="png" ContentType="image/png"/></Types>')
            dst.writestr(info, data)
        dst.writestr("xl/media/staff.png", png)


def test_a_missing_statistics_sheet_is_added_last_and_no_tab_moves(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    del wb[STATS.title]
    wb.save(book_path)
    titles = openpyxl.load_workbook(book_path).sheetnames
    score_workbook(book_path)
    after = openpyxl.load_workbook(book_path)
    assert after.sheetnames == [*titles, STATS.title]
    assert len(after[STATS.title]._charts) == 2


# -- packages of other shapes -------------------------------------------------------------

def test_a_sheet_written_with_a_namespace_prefix_is_patched_in_its_own_prefix(
    book_path: Path,
) -> None:
    part = sheet_part(book_path, SCORES.title)

    def prefixed(data: bytes) -> bytes:
        text = data.decode()
        text = text.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"', 1)
        return re.sub(r"<(/?)(?!x:|\?)([A-Za-z])", r"<\1x:\2", text).encode()

    edit_part(book_path, part, prefixed)
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"remarks": "前缀也能写"}})
        book.append(SCORES, [{"org": "前缀村"}])
        book.save()
    data = read_part(book_path, part).decode()
    assert "<c " not in data and "<row " not in data  # every new element in the x: prefix
    records = Workbook.open(book_path, for_write=False).read(SCORES).records
    assert records[0].raw["remarks"] == "前缀也能写" and records[-1].raw["org"] == "前缀村"


def test_a_strict_open_xml_workbook_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "严格.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/"
                         "package/2006/content-types'/>")
        package.writestr("_rels/.rels", (
            "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
            "<Relationship Id='r1' Type='http://purl.oclc.org/ooxml/officeDocument/relationships/"
            "officeDocument' Target='xl/workbook.xml'/></Relationships>"))
    with pytest.raises(UserError, match=r"严格 Open XML.*另存为"):
        Workbook.open(path)
    assert not (tmp_path / BACKUP_DIR).exists()
