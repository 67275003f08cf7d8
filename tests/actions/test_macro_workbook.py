"""The macro workbook survives every batch action run headless on it.

After ``check``, ``score``, ``forms`` and ``rectify`` run from the command line on the .xlsm,
its VBA project is byte-identical, every button still runs its macro, and the package is
still macro-enabled.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tongjia_xls.book.buttons import BUTTONS, button_macros
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.vba_project import compile_project
from tongjia_xls.book.xlsm import (
    CONF_CODE_NAME,
    MACRO_ENABLED,
    check_macro_workbook,
    project_modules,
)
from tongjia_xls.cli import main
from tongjia_xls.demo.workspace import make_demo
from tongjia_xls.sheets.schema import SCORES, SHEETS


def _snapshot(path: Path) -> tuple[bytes, dict[str, dict[str, str]], str]:
    with zipfile.ZipFile(path) as package:
        vba = package.read("xl/vbaProject.bin")
        types = package.read("[Content_Types].xml").decode()
    workbook_type = "macro-enabled" if MACRO_ENABLED in types else "plain"
    return vba, button_macros(path), workbook_type


@pytest.fixture(scope="module")
def demo_xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = make_demo(tmp_path_factory.mktemp("demo") / "演示", macro=True)
    assert result.workbook.suffix == ".xlsm"
    return result.workbook


def test_the_demo_builds_the_macro_workbook_and_runs_every_step_on_it(demo_xlsm: Path) -> None:
    assert check_macro_workbook(demo_xlsm) == []
    scores = Workbook.open(demo_xlsm, for_write=False).read(SCORES)
    # Every organization is scored but the one with the demo's deliberate 九十.
    assert sum(r.get("composite") is not None for r in scores) == len(scores.records) - 1


@pytest.mark.parametrize("command", [
    ("check",), ("score",), ("forms", "--result"), ("rectify", "--draft"),
])
def test_a_batch_action_leaves_macros_and_buttons_as_they_were(
    demo_xlsm: Path, command: tuple[str, ...]
) -> None:
    before = _snapshot(demo_xlsm)
    result = CliRunner().invoke(main, [command[0], str(demo_xlsm), *command[1:]])
    assert result.exit_code in (0, 1), result.output  # 1: the demo's deliberate 九十
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _snapshot(demo_xlsm) == before
    assert check_macro_workbook(demo_xlsm) == []


def test_after_every_action_the_project_is_the_one_compiled_from_source(demo_xlsm: Path) -> None:
    for command in ("check", "score", "rectify", "validate"):
        CliRunner().invoke(main, [command, str(demo_xlsm)])
    modules = project_modules()
    documents = [s.code_name for s in SHEETS] + [CONF_CODE_NAME]
    vba, buttons, kind = _snapshot(demo_xlsm)
    assert vba == compile_project(modules, documents)
    assert buttons == {"xl/worksheets/sheet1.xml": {b.caption: b.macro for b in BUTTONS}}
    assert kind == "macro-enabled"


def test_next_years_macro_workbook_comes_with_its_buttons(demo_xlsm: Path) -> None:
    from tongjia_xls.actions.rectify import rollover_workbook

    before = _snapshot(demo_xlsm)
    out = demo_xlsm.with_name("童家镇2024年度述职评议考核.xlsm")
    rollover_workbook(demo_xlsm, year=2024, out=out)
    assert check_macro_workbook(out) == []
    settings, _ = Workbook.open(out, for_write=False).settings()
    assert settings.year == 2024
    assert _snapshot(demo_xlsm) == before  # last year's workbook is only read


def test_without_the_xlsm_extra_the_demo_stops_before_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from tongjia_xls.book.vba_project import INSTALL_HINT
    from tongjia_xls.errors import UserError

    monkeypatch.setitem(sys.modules, "ms_ovba.vbaProject", None)  # as if not installed
    with pytest.raises(UserError) as raised:
        make_demo(tmp_path / "演示", macro=True)
    assert str(raised.value) == INSTALL_HINT
    assert not (tmp_path / "演示").exists()
