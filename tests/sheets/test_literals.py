"""Sheet titles and column headers stand only in the schema.

Code that names a sheet or a column to staff (a diagnostic's ``sheet=``, a message saying
where to look, a header written into a table) takes it from :mod:`tongjia_xls.sheets.schema`:
``SETTINGS.title``, ``REPORTS.header("file")``, ``REMARKS_HEADER``. Renaming a sheet or a
column is then one edit. This test reads every string literal of the package outside the
schema (docstrings aside) and fails on

- a literal that is exactly a sheet title or a column header (``sheet="设置"``);
- a sheet title or a column header in quotes, “…” or "…", inside a longer literal or an
  f-string (``"请在“设置”中改正"``);
- a sheet title followed by 表 (``"见评分表"``).

The same word in another sense (a folder, a rule's name, a report's wording) is listed in
:data:`ALLOWED` with the reason; an entry that no longer matches anything fails too.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from tongjia_xls.sheets.schema import GRADES, REPORTS, SHEETS

SOURCE = Path(importlib.import_module("tongjia_xls").__file__).parent  # type: ignore[arg-type]
SCHEMA = Path("sheets/schema.py")
#: Not scanned yet (none left: forms/ joined the scan when its rewrite landed).
PENDING: tuple[Path, ...] = ()

TITLES = {sheet.title for sheet in SHEETS}
#: The official headers. The 测评票 columns 好/较好/一般/差 are named after the grades, and a
#: grade word in code names the grade (``GRADES``), not the column; aliases are headers
#: accepted when reading staff's sheets, never written.
HEADERS = {column.header for sheet in SHEETS for column in sheet.columns} - set(GRADES)
NAMES = TITLES | HEADERS

#: (file, literal) → why the literal is not a sheet's or a column's name there.
_NOTICE = ("the notice's 附件2 names these columns so: the printed form follows the notice, "
           "not the workbook")
ALLOWED: dict[tuple[str, str], str] = {
    # forms/: printed documents, laid out as the notice's forms are.
    ("forms/feedback.py", "序号"): "a running number of a printed table, not 组织's column",
    ("forms/feedback.py", "述职人"): "the 检查汇总表's column: the notice's word for him",
    ("forms/feedback.py", "项目"): "the heading of the 审核意见's table of figures",
    ("forms/ledger.py", "序号"): "a running number of the printed 台账, not 组织's column",
    ("forms/opinion.py", "述职人"): _NOTICE,
    ("forms/opinion.py", "单位及职务"): _NOTICE,
    ("forms/review_form.py", "述职人"): _NOTICE,
    ("forms/review_form.py", "单位及职务"): _NOTICE,
    ("forms/review_form_xlsx.py", "述职人"): _NOTICE + "; also the template's anchor cells",
    ("forms/review_form_xlsx.py", "单位及职务"): _NOTICE + "; also the template's anchor cells",
    ("forms/review_form_xlsx.py", "票号"): "a placeholder of xlsx_templates/述职评议表.xlsx",
    ("forms/review_form_xlsx.py", "说明"): "a placeholder of xlsx_templates/述职评议表.xlsx",
    ("actions/check.py", "述职报告"):
        "REPORTS_DIR, the folder of reports beside the workbook, not the sheet",
    ("cli.py", "“述职报告”"):
        "--reports help names the reports folder (actions.check.REPORTS_DIR); the CLI does "
        "not import the actions before a command runs",
    ("scoring/opinion.py", "述职报告"):
        "the opinion's wording: 述职报告 (the report) opens a sentence about it",
    ("settings.py", "拼经济搞建设"):
        "the default keywords searched for in a report's text: the notice's words, whatever "
        "the column is headed",
    ("settings.py", "防风险保安全"): "as 拼经济搞建设: a default keyword of the report's text",
    ("settings.py", "项目"): "a default keyword of 拼经济搞建设 (a project), not the 设置 column",
    ("demo/reports.py", "拼经济搞建设"):
        "the demo writes the notice's words into its sample reports' text",
    ("demo/reports.py", "防风险保安全"): "as 拼经济搞建设: words of the sample reports' text",
    ("demo/layout.py", "项目"): "a table heading inside a sample report (the report's own table)",
    ("reports/rules.py", "字数"): "the name of a check (what staff type to disable it)",
    ("reports/rules.py", "数据举例"): "the name of a check (what staff type to disable it)",
    ("actions/score.py", "字数"): "the name of a check, passed to the opinion as an issue",
    ("actions/score.py", "数据举例"): "the name of a check, passed to the opinion as an issue",
    ("scoring/opinion.py", "数据举例"): "the name of a check, the key of its phrases",
    ("scoring/phrases_opinion.py", "字数"): "the name of a check, the key of its phrases",
    ("scoring/phrases_opinion.py", "数据举例"): "the name of a check, the key of its phrases",
    ("errors.py", "提醒"): "Severity.WARNING's label, not the 整改 column",
    ("cli_output.py", "提醒"): "the count of warnings (Severity.WARNING's label)",
    ("cli_words.py", "报告文件"): "the Chinese name of the FILES argument of analyze",
    ("actions/stats_sheet.py", "项目"): "a heading of the 统计 sheet's own tables",
}

_QUOTED = re.compile(r"“([^“”]{1,30})”|\"([^\"]{1,30})\"")


def _literals(path: Path) -> list[tuple[int, str, bool]]:
    """Return each string literal of ``path`` but docstrings: line, text, whether alone.

    A literal is alone unless it is a piece of an f-string.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    pieces: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # a bare string: an attribute's docstring
        if isinstance(node, ast.JoinedStr):
            pieces.update(id(value) for value in node.values)
    return [
        (node.lineno, node.value, id(node) not in pieces)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skipped
    ]


def _names_in(text: str, alone: bool) -> set[str]:
    """Return how ``text`` names a sheet or a column: the literal itself, or “the name”."""
    found = {text} if alone and text in NAMES else set()
    for match in _QUOTED.finditer(text):
        name = match.group(1) or match.group(2)
        if name in NAMES:
            found.add(match.group(0).replace('"', "“", 1).replace('"', "”", 1))
    found.update(f"{title}表" for title in TITLES if f"{title}表" in text)
    return found


def _scanned() -> list[Path]:
    return [
        path for path in sorted(SOURCE.rglob("*.py"))
        if (relative := path.relative_to(SOURCE)) != SCHEMA
        and not any(relative.is_relative_to(folder) for folder in PENDING)
    ]


def _found() -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for path in _scanned():
        relative = path.relative_to(SOURCE).as_posix()
        for line, text, alone in _literals(path):
            for name in _names_in(text, alone):
                found.setdefault((relative, name), []).append(line)
    return found


def test_no_sheet_title_or_header_is_typed_outside_the_schema() -> None:
    typed = {key: lines for key, lines in _found().items() if key not in ALLOWED}
    assert not typed, "take these from tongjia_xls.sheets.schema:\n" + "\n".join(
        f"  {path}:{','.join(map(str, lines))}: {name}" for (path, name), lines in typed.items()
    )


def test_every_allowed_literal_is_still_there() -> None:
    stale = sorted(set(ALLOWED) - set(_found()))
    assert not stale, f"remove from ALLOWED: {stale}"


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ('x = "设置"', {"设置"}),
        ('x = f"请在“{a}”的“整改措施”列填写"', {"“整改措施”"}),
        ("x = '见\"报告文件\"列'", {"“报告文件”"}),
        ('x = "详见评分表"', {"评分表"}),
        ('x = f"设置{a}"', set()),  # a piece of an f-string is prose, unless quoted
        ('x = "好"', set()),  # a grade, not the 测评票 column
        ('x = "党组织"', set()),  # an alias, accepted when reading only
    ],
)
def test_the_scan_finds_a_typed_name(code: str, names: set[str], tmp_path: Path) -> None:
    # The test above can only fail if this one passes.
    path = tmp_path / "module.py"
    path.write_text(f'"""Docstring naming 设置 and “评分”."""\n{code}\n', encoding="utf-8")
    assert {n for _, text, alone in _literals(path) for n in _names_in(text, alone)} == names


def test_a_sheet_hands_out_its_headers() -> None:
    assert REPORTS.header("file") == REPORTS.column("file").header == "报告文件"
    with pytest.raises(KeyError):
        REPORTS.header("nothing")
