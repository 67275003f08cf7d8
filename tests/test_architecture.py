"""The rules of the house, drawn from the imports.

Layers, from the bottom: ``errors`` and ``sheets`` (the workbook as plain data); the domain
(``reports``, ``scoring``, ``rectification``, ``settings``, ``validation``, ``dashboard``);
the adapters that know files (``book`` for workbooks, ``word`` for reading Word files,
``forms`` and ``outputs`` for the documents written); ``actions``; and the entry points (the
CLI, the Excel buttons, the demo). An arrow may only point down, and no two modules may
import each other, even for an annotation or inside a function.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

#: Plain data in, plain data out: each of these must import none of FORBIDDEN.
DOMAIN = ("tongjia_xls.reports", "tongjia_xls.scoring", "tongjia_xls.rectification",
          "tongjia_xls.settings", "tongjia_xls.validation", "tongjia_xls.dashboard")
FORBIDDEN = {"openpyxl", "xlwings", "docx", "pandas", "lxml", "zipfile", "xml", "starlette",
             "uvicorn"}
#: The project's own packages and modules the domain must never reach up to.
ABOVE_DOMAIN = ("tongjia_xls.book", "tongjia_xls.word", "tongjia_xls.forms",
                "tongjia_xls.outputs", "tongjia_xls.actions", "tongjia_xls.cli",
                "tongjia_xls.cli_output", "tongjia_xls.cli_words", "tongjia_xls.excel",
                "tongjia_xls.demo", "tongjia_xls.panel")
#: The panel decides nothing: it reaches the domain only through the actions.
PANEL_MAY_NOT = ("tongjia_xls.reports", "tongjia_xls.scoring", "tongjia_xls.rectification",
                 "tongjia_xls.validation", "tongjia_xls.forms", "tongjia_xls.word")
#: What the plain-data layer may import of the project.
BELOW_DOMAIN = ("tongjia_xls.errors", "tongjia_xls.sheets")
SOURCE = Path(importlib.import_module("tongjia_xls").__file__).parent  # type: ignore[arg-type]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """Return the project modules ``name`` imports anywhere (top level, functions, typing)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
            found.update(submodules or {base})
    return {m for m in found if m in MODULES and m != name}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


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


@pytest.mark.parametrize("name", sorted(m for m in MODULES if _within(m, DOMAIN)))
def test_the_domain_never_imports_a_layer_above_it(name: str) -> None:
    above = sorted(m for m in _imports(name) if _within(m, ABOVE_DOMAIN))
    assert not above, f"{name} imports {above}"


@pytest.mark.parametrize("name", sorted(m for m in MODULES if _within(m, ("tongjia_xls.sheets",))))
def test_the_plain_data_layer_imports_only_errors_and_itself(name: str) -> None:
    outside = sorted(m for m in _imports(name) if not _within(m, BELOW_DOMAIN))
    assert not outside, f"{name} imports {outside}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other() -> None:
    graph = {name: _imports(name) for name in MODULES}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The test above can only fail if this one passes.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(m for m in MODULES if _within(m, ("tongjia_xls.panel",))))
def test_the_panel_reaches_the_domain_only_through_the_actions(name: str) -> None:
    direct = sorted(m for m in _imports(name) if _within(m, PANEL_MAY_NOT))
    assert not direct, f"{name} imports {direct}: call an action instead"
