"""The rule of the house: domain modules know no workbook, Word or file library."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

#: Plain data in, plain data out: each of these must import none of FORBIDDEN.
DOMAIN = ("tongjia_xls.scoring", "tongjia_xls.rectification", "tongjia_xls.settings",
          "tongjia_xls.validation", "tongjia_xls.dashboard")
FORBIDDEN = {"openpyxl", "xlwings", "docx", "pandas"}
SOURCE = Path(importlib.import_module("tongjia_xls").__file__).parent  # type: ignore[arg-type]


def _files(name: str) -> list[Path]:
    module = importlib.import_module(name)
    path = Path(module.__file__)  # type: ignore[arg-type]
    return sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]


@pytest.mark.parametrize("name", DOMAIN)
def test_no_domain_module_imports_a_workbook_or_document_library(name: str) -> None:
    for path in _files(name):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & FORBIDDEN, f"{path.name} imports {roots & FORBIDDEN}"


@pytest.mark.parametrize("name", DOMAIN)
def test_importing_the_domain_loads_none_of_them(name: str) -> None:
    code = (
        f"import sys, {name}; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


def test_every_module_stays_a_few_hundred_lines() -> None:
    # phrases_*.py hold the demo's text banks: data, not logic.
    for path in SOURCE.rglob("*.py"):
        if path.name.startswith("phrases"):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines < 480, f"{path.relative_to(SOURCE)} has {lines} lines"
