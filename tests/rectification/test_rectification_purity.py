"""The rectification package is the pure domain: no workbook, Word or file library in it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tongjia_xls.rectification

PACKAGE = Path(tongjia_xls.rectification.__file__).parent
FORBIDDEN = {"openpyxl", "xlwings", "docx", "pandas"}


def test_no_module_imports_a_workbook_or_document_library() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & FORBIDDEN, f"{path.name} imports {roots & FORBIDDEN}"


def test_importing_rectification_loads_none_of_them() -> None:
    code = (
        "import sys, tongjia_xls.rectification; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


def test_every_module_stays_small() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 450, path.name
