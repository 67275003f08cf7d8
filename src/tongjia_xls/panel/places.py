"""Where the panel looks: recent workbooks, a folder's workbooks, and opening a file.

Recent workbooks are kept in ``recent.json`` in the user's settings folder (``%APPDATA%``
on Windows, ``$XDG_CONFIG_HOME`` or ``~/.config`` elsewhere; ``TONGJIA_XLS_CONFIG_DIR``
overrides both). Opening a file or folder uses the system's default program, or
``TONGJIA_XLS_OPEN_WITH`` when set (a 信创 desktop may want WPS named explicitly).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from tongjia_xls.errors import UserError

__all__ = ["WORKBOOK_SUFFIXES", "folder_listing", "open_in_system", "recent", "remember"]

#: The files the folder browser shows besides folders.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: How many recent workbooks are remembered.
RECENT_KEPT = 8


def config_dir() -> Path:
    """Return the folder of the user's panel settings (not created here)."""
    override = os.environ.get("TONGJIA_XLS_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "tongjia-xls"
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "tongjia-xls"


def recent() -> list[Path]:
    """Return the workbooks used lately that still exist, newest first."""
    try:
        names = json.loads((config_dir() / "recent.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [Path(n) for n in names if isinstance(n, str) and Path(n).is_file()]


def remember(workbook: Path) -> None:
    """Put ``workbook`` first among the recent ones; a settings folder that cannot be
    written only costs the list."""
    names = [str(workbook)] + [str(p) for p in recent() if p != workbook]
    try:
        folder = config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "recent.json").write_text(
            json.dumps(names[:RECENT_KEPT], ensure_ascii=False), "utf-8")
    except OSError:
        pass


def folder_listing(folder: Path) -> list[dict[str, Any]]:
    """Return the sub-folders and workbooks of ``folder``, folders first, by name.

    Hidden entries and office lock files (``~$…``, ``.~…``) are left out.
    """
    try:
        children = sorted(folder.iterdir(), key=lambda p: (not p.is_dir(), p.name))
    except OSError as error:
        raise UserError(f"无法打开文件夹“{folder}”：{error.strerror or error}") from None
    entries = []
    for child in children:
        if child.name.startswith((".", "~$")):
            continue
        if child.is_dir():
            entries.append({"name": child.name, "path": str(child), "kind": "folder"})
        elif child.suffix.lower() in WORKBOOK_SUFFIXES:
            entries.append({"name": child.name, "path": str(child), "kind": "workbook"})
    return entries


def open_in_system(path: Path) -> None:
    """Open ``path`` (a file or a folder) with the program the system uses for it."""
    if not path.exists():
        raise UserError(f"找不到“{path}”，它可能已被移动或删除。")
    chosen = os.environ.get("TONGJIA_XLS_OPEN_WITH")
    try:
        if chosen:
            _launch([chosen, str(path)])
        elif sys.platform == "win32":
            os.startfile(str(path))  # type: ignore[attr-defined]
        else:
            _launch(["open" if sys.platform == "darwin" else "xdg-open", str(path)])
    except OSError:
        raise UserError(f"无法打开“{path.name}”：系统中没有找到打开它的程序。"
                        f"请在文件夹“{path.parent}”中直接双击打开。") from None


def _launch(args: list[str]) -> None:
    """Start a program that outlives the request; a thread reaps it when it ends."""
    process = subprocess.Popen(args, start_new_session=True, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threading.Thread(target=process.wait, daemon=True, name="panel-open").start()
