"""Creating a new master workbook from the schema.

Every sheet gets its header row styled by who fills each column, frozen panes, a filter,
dropdowns and range checks on staff columns, number formats, widths, A4 print setup with
repeated titles and page numbers. ``控制台`` gets its title, status table and the steps of
the process; ``设置`` one row per setting with the notice's default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tongjia_xls.book.look import LEGEND, TITLE_FONT, Look, body_look, header_look
from tongjia_xls.book.openpyxl_backend import store, style_cell
from tongjia_xls.dashboard import PROCESS_STEPS, STAGES
from tongjia_xls.settings import Settings, setting_specs
from tongjia_xls.sheets.cells import Kind
from tongjia_xls.sheets.schema import (
    BALLOT_DETAILS,
    DASHBOARD,
    DATE_FORMAT,
    GRADES,
    ORGS,
    RATIO_FORMAT,
    RECTIFICATION,
    SETTINGS,
    SHEETS,
    STATS,
    Column,
    Sheet,
)

#: Dropdowns and range checks cover this many rows below the header.
VALIDATED_ROWS = 1000
#: Blank, styled rows prepared in sheets staff fill row by row.
_BLANK_ROWS = {RECTIFICATION.name: 30, ORGS.name: 30, BALLOT_DETAILS.name: 50}
_SETTING_FORMATS = {Kind.RATIO: RATIO_FORMAT, Kind.DATE: DATE_FORMAT, Kind.INT: "0"}


def new_workbook(settings: Settings, orgs: Sequence[Mapping[str, Any]]) -> OpenpyxlWorkbook:
    """Return a new master workbook for ``settings`` with the roster ``orgs``.

    ``orgs`` holds one mapping per organization with the English names of the ``组织``
    columns (``org``, ``secretary``, ...); any subset of them.
    """
    workbook = OpenpyxlWorkbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"{settings.town}{settings.year}年度述职评议考核"
    workbook.properties.creator = "tongjia-xls"
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.title)
        ws.sheet_properties.codeName = sheet.code_name
        if sheet.tab_color:
            ws.sheet_properties.tabColor = sheet.tab_color
        if sheet is DASHBOARD:
            _lay_out_dashboard(ws, settings)
        elif sheet is SETTINGS:
            _lay_out_table(ws, sheet, _setting_rows(settings))
            _mark_settings(ws)
        elif sheet is STATS:
            _lay_out_stats(ws, settings)
        elif sheet is BALLOT_DETAILS:
            _lay_out_table(ws, laid_out(sheet, orgs), [])
        elif sheet is RECTIFICATION:
            _lay_out_table(ws, sheet, [])
            _mark_alerts(ws, sheet)
        else:
            _lay_out_table(ws, sheet, _seed_rows(sheet, orgs))
        _print_setup(ws, sheet, settings)
    workbook.active = 0
    return workbook


def laid_out(sheet: Sheet, orgs: Sequence[Mapping[str, Any]]) -> Sheet:
    """Return ``sheet`` with the columns a new workbook gives it for the roster ``orgs``.

    Only 测评票明细 differs from its schema: one column per organization between 票号 and
    票面问题.
    """
    if sheet is not BALLOT_DETAILS:
        return sheet
    number, flags = BALLOT_DETAILS.columns
    marks = tuple(
        Column(str(org["org"]), f"org_{index}", Kind.CHOICE, choices=GRADES, width=9,
               help="填 好、较好、一般 或 差")
        for index, org in enumerate(orgs)
    )
    return replace(BALLOT_DETAILS, columns=(number, *marks, flags))


def _seed_rows(sheet: Sheet, orgs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if sheet.name == "orgs":
        return [dict(org) for org in orgs]
    if sheet.per_org:
        names = {c.name for c in sheet.columns}
        return [{k: v for k, v in org.items() if k in {"org", "secretary"} & names}
                for org in orgs]
    return []


def _setting_rows(settings: Settings) -> list[dict[str, Any]]:
    return [
        {"item": spec.label, "value": spec.cell_value(getattr(settings, spec.name)),
         "note": spec.description}
        for spec in setting_specs()
    ]


def _lay_out_table(ws: Worksheet, sheet: Sheet, rows: Sequence[Mapping[str, Any]]) -> None:
    header = sheet.header_row
    for col, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header, column=col)
        store(cell, column.header)
        style_cell(cell, header_look(column))
        ws.column_dimensions[get_column_letter(col)].width = column.width
        ws.column_dimensions[get_column_letter(col)].hidden = column.hidden
    ws.row_dimensions[header].height = 30
    body = max(len(rows), _BLANK_ROWS.get(sheet.name, 0))
    for offset in range(body):
        values = rows[offset] if offset < len(rows) else {}
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=header + 1 + offset, column=col)
            style_cell(cell, body_look(column), column.format)
            if values.get(column.name) is not None:
                store(cell, values[column.name])
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A{header}:{last}{header + max(body, 1)}"
    ws.freeze_panes = f"{'B' if sheet.key == 'org' else 'A'}{header + 1}"
    _add_validations(ws, sheet)


def _add_validations(ws: Worksheet, sheet: Sheet) -> None:
    first, last = sheet.header_row + 1, sheet.header_row + VALIDATED_ROWS
    for col, column in enumerate(sheet.columns, start=1):
        if column.is_tool:
            continue
        validation = _validation_for(column)
        if validation is None:
            continue
        letter = get_column_letter(col)
        validation.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(validation)


def _validation_for(column: Column) -> DataValidation | None:
    if column.choices:
        listed = ",".join(column.choices)
        validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        validation.error = f"请从下拉列表中选择：{'、'.join(column.choices)}"
    elif column.kind is Kind.SCORE:
        validation = DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
        )
        validation.error = "请填写 0 到 100 之间的数字，例如 90"
    elif column.kind is Kind.COUNT:
        validation = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        validation.error = "请填写不小于 0 的整数（票数）"
    else:
        return None
    validation.errorTitle = f"“{column.header}”填写有误"
    validation.showErrorMessage = True
    if column.help:
        validation.promptTitle = column.header
        validation.prompt = column.help
        validation.showInputMessage = True
    return validation


def _mark_alerts(ws: Worksheet, sheet: Sheet) -> None:
    """Colour a whole ledger row by its 提醒: red when overdue, yellow when due soon.

    Native conditional formats: Excel and WPS keep them, and they follow the value the tool
    writes, so the colours never go stale.
    """
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    col = get_column_letter([c.name for c in sheet.columns].index("alert") + 1)
    first = sheet.header_row + 1
    last_col = get_column_letter(len(sheet.columns))
    target = f"A{first}:{last_col}{sheet.header_row + VALIDATED_ROWS}"
    for text, colour in (("已逾期", "F8CBAD"), ("即将到期", "FFE699")):
        fill = PatternFill("solid", start_color=colour, end_color=colour)
        ws.conditional_formatting.add(
            target, FormulaRule(formula=[f'${col}{first}="{text}"'], fill=fill)
        )


def _mark_settings(ws: Worksheet) -> None:
    """Format each setting's value by its kind and highlight the town's decisions."""
    for offset, spec in enumerate(setting_specs()):
        row = SETTINGS.header_row + 1 + offset
        value = ws.cell(row=row, column=2)
        value.number_format = _SETTING_FORMATS.get(spec.kind, "General")
        if spec.town:
            style_cell(value, Look.TOWN_DECISION, value.number_format)
        if spec.choices:
            validation = DataValidation(
                type="list", formula1=f'"{",".join(spec.choices)}"', allow_blank=False
            )
            validation.error = f"请从下拉列表中选择：{'、'.join(spec.choices)}"
            validation.showErrorMessage = True
            validation.add(value.coordinate)
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _lay_out_dashboard(ws: Worksheet, settings: Settings) -> None:
    width = len(DASHBOARD.columns)
    title = ws.cell(row=1, column=1)
    store(title, f"{settings.town}{settings.year}年度村（社区）党组织书记抓党建述职评议考核")
    title.font = Font(name=TITLE_FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 32
    legend = ws.cell(row=2, column=1)
    store(legend, f"本工作簿用于述职报告登记与检查、测评票汇总、评分定等和整改跟踪。{LEGEND}")
    legend.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[2].height = 48
    _lay_out_table(ws, DASHBOARD, [{"stage": stage} for stage in STAGES])
    ws.freeze_panes = None
    ws.auto_filter.ref = None
    steps_col = width + 2
    ws.column_dimensions[get_column_letter(steps_col)].width = 60
    for offset, line in enumerate(PROCESS_STEPS):
        cell = ws.cell(row=DASHBOARD.header_row + offset, column=steps_col)
        store(cell, line)
        cell.font = Font(bold=offset == 0)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _lay_out_stats(ws: Worksheet, settings: Settings) -> None:
    cell = ws.cell(row=1, column=1)
    store(cell, f"{settings.town}{settings.year}年度述职评议考核统计")
    cell.font = Font(name=TITLE_FONT, size=14, bold=True)
    store(ws.cell(row=2, column=1),
          "运行“计算得分与等次”后，这里将生成等次分布、得分和报告合规情况的统计图表。")
    ws.column_dimensions["A"].width = 24


def _print_setup(ws: Worksheet, sheet: Sheet, settings: Settings) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    if sheet.columns:
        ws.print_title_rows = f"{sheet.header_row}:{sheet.header_row}"
    ws.oddHeader.center.text = f"{settings.town}{settings.year}年度述职评议考核 · {sheet.title}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
