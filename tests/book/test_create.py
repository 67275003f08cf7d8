"""A new master workbook: every sheet, dropdown, format and print setting as the schema says."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from helpers import ORG_NAMES
from tongjia_xls.book.create import laid_out
from tongjia_xls.book.look import PAINTS, Look, header_look
from tongjia_xls.settings import TOWN_DECISION, setting_specs
from tongjia_xls.sheets.cells import same_value
from tongjia_xls.sheets.schema import DASHBOARD, SETTINGS, SHEETS, STATS

ROSTER = [{"org": name} for name in ORG_NAMES]


def test_every_sheet_in_tab_order_with_its_headers(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    assert wb.sheetnames == [s.title for s in SHEETS]
    assert wb.active.title == DASHBOARD.title
    for sheet in (laid_out(s, ROSTER) for s in SHEETS):
        ws = wb[sheet.title]
        assert ws.sheet_properties.codeName == sheet.code_name
        headers = [ws.cell(row=sheet.header_row, column=i + 1).value
                   for i in range(len(sheet.columns))]
        assert headers == [c.header for c in sheet.columns]


def test_tool_and_staff_columns_look_different(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    for sheet in (laid_out(s, ROSTER) for s in SHEETS):
        ws = wb[sheet.title]
        for col, column in enumerate(sheet.columns, start=1):
            header = ws.cell(row=sheet.header_row, column=col)
            assert header.fill.fgColor.rgb[-6:] == PAINTS[header_look(column)].fill, column.header
            assert ws.column_dimensions[get_column_letter(col)].width == column.width


def test_dropdowns_and_range_checks_read_back(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    for sheet in SHEETS:
        if sheet in (SETTINGS, DASHBOARD):
            continue
        sheet = laid_out(sheet, ROSTER)
        ws = wb[sheet.title]
        validations = {str(v.sqref).split(":")[0].rstrip("0123456789"): v
                       for v in ws.data_validations.dataValidation}
        for col, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(col)
            if column.is_tool:
                assert letter not in validations
            elif column.choices:
                assert validations[letter].type == "list"
                assert validations[letter].formula1 == '"' + ",".join(column.choices) + '"'
                assert validations[letter].showErrorMessage
            elif column.kind.value == "score":
                assert (validations[letter].type, validations[letter].formula2) == (
                    "decimal", "100")


def test_number_formats_on_data_rows(book_path: Path) -> None:
    ws = openpyxl.load_workbook(book_path)["述职报告"]
    assert ws["C2"].number_format == 'yyyy"年"m"月"d"日"'
    assert ws["F2"].number_format == "0.0%"


def test_settings_rows_carry_defaults_clauses_and_town_decisions(book_path: Path) -> None:
    ws = openpyxl.load_workbook(book_path)[SETTINGS.title]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for spec in setting_specs():
        row = rows[spec.label]
        value, note = ws.cell(row=row, column=2), ws.cell(row=row, column=3).value
        if spec.default is not None:
            assert same_value(value.value, spec.cell_value(spec.default)), spec.label
        assert note.startswith(TOWN_DECISION) == spec.town, spec.label
        if spec.town:
            assert value.fill.fgColor.rgb[-6:] == PAINTS[Look.TOWN_DECISION].fill
    assert ws.cell(row=rows["字数下限"], column=2).value == 1500
    assert "四、5" in ws.cell(row=rows["字数下限"], column=3).value
    assert "不一致" in ws.cell(row=rows["问题原因占比口径"], column=3).value


def test_print_setup_is_a4_with_repeated_titles(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    for sheet in (laid_out(s, ROSTER) for s in SHEETS):
        ws = wb[sheet.title]
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text
        if sheet is not STATS:
            assert ws.print_title_rows == f"${sheet.header_row}:${sheet.header_row}"


def test_panes_frozen_and_filters_on_tables(book_path: Path) -> None:
    ws = openpyxl.load_workbook(book_path)["评分"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.startswith("A1:")


def test_the_dashboard_has_no_cell_comments(book_path: Path) -> None:
    ws = openpyxl.load_workbook(book_path)[DASHBOARD.title]
    assert not any(cell.comment for row in ws.iter_rows() for cell in row)


def test_libreoffice_opens_the_workbook_and_sees_every_sheet(
    book_path: Path, soffice: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(book_path)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = out / (book_path.stem + ".pdf")
    assert pdf.exists(), result.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for title in ("党组织名称", "字数下限", "平时考核", "问题描述"):
        assert title in text
