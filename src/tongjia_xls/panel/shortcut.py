"""A launcher on the desktop, so that staff start the panel with a double click.

Windows gets a ``.cmd`` file, Linux desktops (信创 included) a ``.desktop`` entry marked
executable. Either runs this very Python with ``-m tongjia_xls panel WORKBOOK``, so it
keeps working whatever is on the PATH.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from tongjia_xls.dashboard import PANEL_SHORTCUT

__all__ = ["desktop_folder", "write_shortcut"]

#: The launcher's name, without its extension (控制台 tells staff to look for it).
NAME = PANEL_SHORTCUT


def desktop_folder() -> Path:
    """Return the user's desktop folder (``桌面`` or ``Desktop``), which may not exist yet."""
    override = os.environ.get("TONGJIA_XLS_DESKTOP")
    if override:
        return Path(override)
    if sys.platform != "win32":
        try:
            found = subprocess.run(["xdg-user-dir", "DESKTOP"], capture_output=True,
                                   text=True, timeout=5, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and Path(found) != Path.home():
            return Path(found)
    home = Path(os.environ.get("USERPROFILE") or Path.home())
    chinese = home / "桌面"
    return chinese if chinese.is_dir() else home / "Desktop"


def write_shortcut(workbook: Path, *, folder: Path | None = None,
                   windows: bool | None = None) -> Path:
    """Write the launcher for ``workbook`` into ``folder`` (the desktop); return its path.

    ``windows`` chooses the kind (``None``: the kind of this system).
    """
    folder = folder or desktop_folder()
    folder.mkdir(parents=True, exist_ok=True)
    workbook = workbook.resolve()
    windows = sys.platform == "win32" if windows is None else windows
    if windows:
        target = folder / f"{NAME}.cmd"
        # chcp 65001: the Chinese path must reach Python intact from a UTF-8 file.
        lines = ["@echo off", "chcp 65001 >nul",
                 f'"{sys.executable}" -m tongjia_xls panel "{workbook}"',
                 "if errorlevel 1 pause"]
        target.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
        return target
    target = folder / f"{NAME}.desktop"
    command = shlex.join([sys.executable, "-m", "tongjia_xls", "panel", str(workbook)])
    target.write_text("\n".join([
        "[Desktop Entry]", "Type=Application", f"Name={NAME}",
        f"Comment=打开 {workbook.name} 的控制面板", f"Exec={_desktop_exec(command)}",
        f"Path={workbook.parent}", "Terminal=true", "Icon=x-office-spreadsheet", "",
    ]), encoding="utf-8")
    target.chmod(0o755)
    return target


def _desktop_exec(command: str) -> str:
    # The Desktop Entry spec reserves %; a literal one is written %%.
    return command.replace("%", "%%")
