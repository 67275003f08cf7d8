"""The package list in pyproject.toml covers every package folder, and the VBA ships."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; CI runs 3.11
ROOT = Path(__file__).resolve().parents[1]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"]


def test_every_folder_of_python_modules_is_a_listed_package() -> None:
    source = ROOT / "src"
    folders = {
        ".".join(folder.relative_to(source).parts)
        for folder in source.rglob("*")
        if folder.is_dir() and any(folder.glob("*.py")) and "egg-info" not in folder.name
    }
    listed = set(_setuptools()["packages"])
    assert folders == listed - {"tongjia_xls.macros"}


def test_the_macros_folder_ships_as_package_data() -> None:
    config = _setuptools()
    assert config["package-dir"]["tongjia_xls.macros"] == "macros"
    assert "*.bas" in config["package-data"]["tongjia_xls.macros"]
    assert list((ROOT / "macros").glob("*.bas"))
