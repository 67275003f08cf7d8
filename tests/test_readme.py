"""The README stays true: its opening commands and its table of sheets."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from tongjia_xls.sheets.schema import SHEETS, sheet_table_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_demo_and_the_test_command() -> None:
    commands = [line for line in README.splitlines()[:8] if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("tongjia-xls demo")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    line = next(line for line in README.splitlines() if line.endswith("&& pytest"))
    test_command = line.split("activate && ", 1)[1]
    assert test_command in ci


def test_readme_table_of_sheets_is_the_schemas() -> None:
    start, end = README.index("<!-- sheets:start -->"), README.index("<!-- sheets:end -->")
    assert README[start:end].split("\n", 1)[1].strip() == sheet_table_markdown()


def test_readme_table_of_checks_is_the_rules() -> None:
    from tongjia_xls.reports.rules import rules_markdown

    start, end = README.index("<!-- rules:start -->"), README.index("<!-- rules:end -->")
    assert README[start:end].split("\n", 1)[1].strip() == rules_markdown()


def test_the_shipped_master_workbook_has_the_schemas_sheets_and_headers() -> None:
    shipped = next((ROOT / "workbook").glob("*.xlsx"))
    wb = openpyxl.load_workbook(shipped)
    assert wb.sheetnames == [s.title for s in SHEETS]
    for sheet in SHEETS:
        ws = wb[sheet.title]
        headers = [ws.cell(row=sheet.header_row, column=i + 1).value
                   for i in range(len(sheet.columns))]
        assert headers == [c.header for c in sheet.columns], sheet.title


def test_requirements_table_names_every_requirement_and_real_tests() -> None:
    import re

    table = (ROOT / "docs" / "requirements.md").read_text(encoding="utf-8")
    ids = re.findall(r"^\| (N\d+) \|", table, flags=re.MULTILINE)
    assert ids == [f"N{i}" for i in range(1, 32)]
    for path, name in re.findall(r"`([\w/]+\.py)::(\w+)", table):
        source = (ROOT / "tests" / path).read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{path}::{name}"


def test_every_button_staff_are_told_to_click_exists() -> None:
    # 控制台 and the README name the buttons in the same words as the buttons themselves.
    from tongjia_xls.book.buttons import BUTTONS
    from tongjia_xls.dashboard import PROCESS_STEPS
    from tongjia_xls.panel.app import STATIC
    from tongjia_xls.panel.commands import COMMANDS

    page = (STATIC / "index.html").read_text(encoding="utf-8")
    script = (STATIC / "panel.js").read_text(encoding="utf-8")
    on_page = set(re.findall(r"<button[^>]*>([^<]+)</button>", page)) | set(
        re.findall(r'el\("button", "([^"]+)"', script))
    captions = {b.caption for b in BUTTONS} | {"启用内容"} | {
        c.title for c in COMMANDS.values()} | on_page
    texts = [*PROCESS_STEPS, (ROOT / "README.md").read_text(encoding="utf-8")]
    clicked = {name for text in texts for name in re.findall(r"点“([^”]+)”", text)}
    assert clicked, "no button named at all"
    assert clicked <= captions, clicked - captions
