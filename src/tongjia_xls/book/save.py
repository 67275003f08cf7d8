"""Saving a workbook without ever losing the one staff have.

The order is: refuse if Excel, WPS or LibreOffice holds the file; write the new version to a
temporary file beside it and check it is a readable package; copy the old version into
``备份/``; then replace the workbook in one atomic step. A crash at any point leaves the old
workbook in place.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tongjia_xls.errors import UserError, WorkbookLocked

BACKUP_DIR = "备份"


def lock_files(path: Path) -> list[Path]:
    """Return the lock files that would show ``path`` is open in an office program.

    Excel and Word write ``~$name`` (long names lose their first two characters), WPS
    ``.~name#`` and LibreOffice ``.~lock.name#``.
    """
    name = path.name
    candidates = {f"~${name}", f"~${name[2:]}", f".~{name}#", f".~lock.{name}#"}
    return sorted(path.parent / c for c in candidates if (path.parent / c).exists())


def ensure_not_open(path: Path) -> None:
    """Raise :class:`WorkbookLocked` if ``path`` is open in Excel, WPS or LibreOffice."""
    found = lock_files(path)
    if found:
        raise WorkbookLocked(
            f"工作簿“{path.name}”正在 Excel/WPS 中打开（发现锁定文件“{found[0].name}”），"
            "本次没有写入任何内容。请先在 Excel/WPS 中保存并关闭它，再重新运行；"
            "如果确认已经关闭，可以删除该锁定文件后重试。"
        )


def safe_save(path: Path, write: Callable[[Path], None], *, keep: int = 10) -> Path | None:
    """Save through ``write(temporary_path)`` and replace ``path`` atomically.

    Returns the backup of the previous version, or ``None`` when ``path`` did not exist or
    ``keep`` is 0. ``write`` must write a complete workbook to the path it is given.
    """
    path = Path(path)
    ensure_not_open(path)
    temporary = path.with_name(f".{path.stem}.saving-{os.getpid()}{path.suffix}")
    try:
        write(temporary)
        _check_package(temporary, path)
        backup = backup_copy(path, keep) if path.exists() else None
        os.replace(temporary, path)
    except PermissionError:
        raise UserError(
            f"无法写入“{path.name}”：文件被占用或没有写入权限。请关闭打开它的程序后重试。"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return backup


def backup_copy(path: Path, keep: int) -> Path | None:
    """Copy ``path`` into the ``备份`` folder beside it and prune old copies to ``keep``.

    Returns the copy, or ``None`` when ``keep`` is 0 (no backups wanted).
    """
    if keep <= 0:
        return None
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem}-{stamp}-{counter}{path.suffix}"
    shutil.copy2(path, target)
    _prune(folder, path, keep)
    return target


def _prune(folder: Path, path: Path, keep: int) -> None:
    pattern = re.compile(
        re.escape(path.stem) + r"-\d{8}-\d{6}(-\d+)?" + re.escape(path.suffix) + "$"
    )
    copies = sorted(
        (p for p in folder.iterdir() if pattern.match(p.name)),
        key=lambda p: (p.stat().st_mtime, p.name),
    )
    for old in copies[: max(0, len(copies) - keep)]:
        old.unlink()


def _check_package(written: Path, path: Path) -> None:
    # A truncated or empty file must never replace a good workbook.
    try:
        with zipfile.ZipFile(written) as package:
            if "[Content_Types].xml" not in package.namelist():
                raise zipfile.BadZipFile("no content types")
    except (zipfile.BadZipFile, OSError) as error:
        raise RuntimeError(f"the new version of {path.name} is not a valid package") from error
