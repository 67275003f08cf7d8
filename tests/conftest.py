"""Shared fixtures: real master workbooks made with the tool itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import write_roster_csv
from tongjia_xls.actions import init_workbook


@pytest.fixture(scope="session")
def _pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pristine")
    roster = write_roster_csv(folder / "名单.csv")
    out = folder / "总表.xlsx"
    init_workbook(out, roster=roster)
    return out


@pytest.fixture
def book_path(_pristine: Path, tmp_path: Path) -> Path:
    """A fresh master workbook of five organizations, in its own folder."""
    target = tmp_path / "总表.xlsx"
    shutil.copy(_pristine, target)
    return target


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice binary; the test is skipped where LibreOffice is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice is not installed (CI installs it: see .ci/run)")
    return found
