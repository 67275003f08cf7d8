"""The command line, checked through the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from helpers import write_roster_csv
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.sheets.schema import BALLOTS, ORGS, SCORES, SETTINGS

INJECTION = "=cmd|' /C calc'!A0"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def test_init_with_a_gbk_csv_roster(tmp_path: Path) -> None:
    roster = write_roster_csv(tmp_path / "名单.csv", encoding="gb18030")
    code, output = _run("init", tmp_path / "总表.xlsx", "--roster", roster, "--year", "2024",
                        "--town", "回澜镇")
    assert code == 0, output
    book = Workbook.open(tmp_path / "总表.xlsx")
    assert [r["org"] for r in book.read(ORGS)][:2] == ["青杠湾村", "松林坪村"]
    assert [r["secretary"] for r in book.read(BALLOTS)][:2] == ["李德明", "张玉华"]
    settings, problems = book.settings()
    assert (settings.year, settings.town) == (2024, "回澜镇")
    assert problems == []


def test_init_with_an_xlsx_roster_keeps_formula_text_as_text(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "党组织名称", "书记姓名", "任职日期"])
    ws.append([1, INJECTION, "张三", "2023.9.1"])
    ws.append([2, "+松林坪村", "-李四", "2021年1月10日"])
    ws["B2"].data_type = "s"  # a roster whose cell holds the text, as a CSV import gives it
    wb.save(tmp_path / "名单.xlsx")
    code, output = _run("init", tmp_path / "总表.xlsx", "--roster", tmp_path / "名单.xlsx")
    assert code == 0, output
    ws = openpyxl.load_workbook(tmp_path / "总表.xlsx")[ORGS.title]
    assert (ws["B2"].value, ws["B2"].data_type) == (INJECTION, "s")
    assert (ws["B3"].value, ws["D3"].value) == ("+松林坪村", "-李四")
    names = [r["org"] for r in Workbook.open(tmp_path / "总表.xlsx").read(SCORES)]
    assert names == [INJECTION, "+松林坪村"]


def test_csv_roster_with_a_formula_name_comes_back_as_literal_text(tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text(f'党组织名称,书记姓名\n"{INJECTION}",张三\n', encoding="utf-8-sig")
    assert _run("init", tmp_path / "总表.xlsx", "--roster", roster)[0] == 0
    for sheet in ("组织", "述职报告", "测评票", "评分"):
        ws = openpyxl.load_workbook(tmp_path / "总表.xlsx")[sheet]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == INJECTION)
        assert cell.data_type == "s", sheet


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "总表.xlsx"
    assert _run("init", target)[0] == 0
    code, output = _run("init", target)
    assert code == 2
    assert "已经存在" in output and "Traceback" not in output


def test_validate_exit_codes_and_messages(book_path: Path) -> None:
    assert _run("validate", book_path)[0] == 0
    wb = openpyxl.load_workbook(book_path)
    wb["评分"]["D3"] = "九十"
    wb.save(book_path)
    code, output = _run("validate", book_path)
    assert code == 1
    assert "工作表“评分”第3行“实地调研”列：“九十”不是数字" in output


def test_user_mistakes_end_in_a_message_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "坏.xlsx"
    broken.write_text("not a workbook")
    for args in (("validate", broken), ("validate", tmp_path / "无.xlsx"),
                 ("init", tmp_path / "x.xls"), ("init", tmp_path / "y.xlsx", "--roster",
                                                  tmp_path / "无.csv")):
        code, output = _run(*args)
        assert code == 2, (args, output)
        assert output.startswith("错误：") and "Traceback" not in output


def test_a_locked_workbook_is_refused_by_the_cli(book_path: Path) -> None:
    (book_path.parent / f"~${book_path.name}").write_text("x")
    before = book_path.read_bytes()
    code, output = _run("validate", book_path)
    assert code == 2 and "正在 Excel/WPS 中打开" in output
    assert book_path.read_bytes() == before


def test_sheets_lists_every_sheet_as_plain_text_or_as_markdown() -> None:
    from tongjia_xls.sheets.schema import SHEETS, sheet_table_markdown

    code, output = _run("sheets")
    assert code == 0
    assert "|" not in output and "---" not in output
    titles = [line.split()[0] for line in output.splitlines() if not line.startswith(" ")]
    assert titles == [s.title for s in SHEETS]
    assert f"由您填写：{SETTINGS.column('value').header}" in output
    code, output = _run("sheets", "--markdown")
    assert code == 0
    assert output.strip() == sheet_table_markdown()


def test_python_dash_m_and_help_answer_without_heavy_imports() -> None:
    code = (
        "import sys, runpy; sys.argv=['tongjia-xls','--help'];\n"
        "try:\n runpy.run_module('tongjia_xls', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "heavy=[m for m in ('openpyxl','pandas','docx','xlwings') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "述职评议考核" in result.stdout
    assert "HEAVY []" in result.stdout


def test_init_builds_the_macro_workbook_for_the_named_python(tmp_path: Path) -> None:
    from tongjia_xls.book.xlsm import CONF_SHEET, check_macro_workbook

    roster = write_roster_csv(tmp_path / "名单.csv")
    out = tmp_path / "总表.xlsm"
    code, output = _run("init", out, "--roster", roster, "--interpreter", r"D:\py\pythonw.exe")
    assert code == 0, output
    assert "启用内容" in output
    assert check_macro_workbook(out) == []
    assert [r["org"] for r in Workbook.open(out).read(ORGS)][:1] == ["青杠湾村"]
    assert openpyxl.load_workbook(out)[CONF_SHEET]["B1"].value == r"D:\py\pythonw.exe"
