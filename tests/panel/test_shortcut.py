"""The desktop launcher: written for Windows and Linux, and on Linux started for real."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import PANEL_URL
from tongjia_xls.cli import main
from tongjia_xls.panel.shortcut import NAME, write_shortcut


def test_the_windows_launcher_runs_this_python_on_the_workbook(tmp_path: Path) -> None:
    book = tmp_path / "童家镇 2023 年度.xlsx"
    book.write_bytes(b"")
    made = write_shortcut(book, folder=tmp_path / "桌面", windows=True)
    assert made.name == f"{NAME}.cmd"
    raw = made.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    text = raw.decode("utf-8")
    assert "chcp 65001" in text
    assert f'"{sys.executable}" -m tongjia_xls panel "{book.resolve()}"' in text


def test_the_linux_launcher_is_an_executable_desktop_entry(tmp_path: Path) -> None:
    book = tmp_path / "100%完成.xlsx"
    book.write_bytes(b"")
    made = write_shortcut(book, folder=tmp_path / "Desktop", windows=False)
    assert made.name == f"{NAME}.desktop" and os.access(made, os.X_OK)
    entry = dict(line.split("=", 1) for line in made.read_text("utf-8").splitlines()
                 if "=" in line)
    assert entry["Type"] == "Application" and entry["Name"] == NAME
    assert "%%" in entry["Exec"]  # the spec's escape for a literal %
    argv = shlex.split(entry["Exec"].replace("%%", "%"))
    assert argv == [sys.executable, "-m", "tongjia_xls", "panel", str(book.resolve())]


@pytest.mark.skipif(sys.platform == "win32", reason="runs the .desktop entry's command")
def test_the_linux_launcher_starts_the_panel(book_path: Path, tmp_path: Path) -> None:
    made = write_shortcut(book_path, folder=tmp_path, windows=False)
    exec_line = next(line.split("=", 1)[1] for line in made.read_text("utf-8").splitlines()
                     if line.startswith("Exec="))
    argv = [*shlex.split(exec_line.replace("%%", "%")), "--idle", "0.05"]
    # BROWSER: what webbrowser runs to "open" the page; here a program that does nothing.
    env = {**os.environ, "BROWSER": "true", "HOME": str(tmp_path),
           "TONGJIA_XLS_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert PANEL_URL.match(done.stdout.splitlines()[0])
    assert "控制面板已关闭。" in done.stdout


def test_the_command_puts_it_on_the_desktop(book_path: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONGJIA_XLS_DESKTOP", str(tmp_path / "桌面"))
    result = CliRunner().invoke(main, ["panel", str(book_path), "--shortcut"])
    assert result.exit_code == 0, result.output
    assert "已在桌面放好快捷方式" in result.output
    [made] = (tmp_path / "桌面").iterdir()
    assert made.name.startswith(NAME)
    missing = CliRunner().invoke(main, ["panel", "--shortcut"])
    assert missing.exit_code != 0 and "需要给出总工作簿" in missing.output
