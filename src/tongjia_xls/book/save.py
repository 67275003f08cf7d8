"""Saving a workbook without ever losing the one staff have, or another run's work.

:class:`WorkbookFile` is a workbook on disk opened for writing. Opening it takes the tool's
own lock file beside the workbook (a second command on the same workbook is refused at once,
and a lock left by a killed run is recognised and taken over) and clears the temporary files
killed runs left. Each save then:

1. refuses if Excel, WPS or LibreOffice has the workbook open (their lock files);
2. refuses if the file changed on disk since it was read (Excel saved it, another program
   wrote it, a copy replaced it), so no update is ever lost silently;
3. writes the new version to a temporary file beside it, flushed to the disk, and checks
   it is a readable package;
4. copies the version on disk into ``备份/`` (once per command: the version staff had);
5. replaces the workbook in one atomic step; through a symbolic link, the file it points at.

A crash at any point leaves the old workbook in place, and every operating-system failure
(disk full, no permission, a name too long) becomes a plain Chinese message.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import socket
import sys
import time
import weakref
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from tongjia_xls.errors import UserError, WorkbookLocked
from tongjia_xls.outputs import atomic_write, clear_leftovers, os_message, process_alive

BACKUP_DIR = "备份"
#: Every backup of the last so many days keeps its first copy of the day.
DAILY_DAYS = 30
#: A lock older than this is taken for one left behind, whoever wrote it.
STALE_LOCK = timedelta(hours=12)
#: Longest file name, in UTF-8 bytes, the tool gives a backup (most file systems: 255).
MAX_NAME_BYTES = 240


class WorkbookBusy(UserError):
    """Another run of the tool is writing the same workbook."""


class WorkbookChanged(UserError):
    """The workbook changed on disk after it was read; saving would overwrite that change."""


def lock_files(path: Path) -> list[Path]:
    """Return the lock files that show ``path`` is open in an office program.

    Excel and Word write ``~$name`` (long names lose their first two characters), WPS
    ``.~name#`` or ``.~name`` and LibreOffice ``.~lock.name#``.
    """
    name = path.name
    candidates = {f"~${name}", f"~${name[2:]}", f".~{name}#", f".~{name}", f".~lock.{name}#"}
    return sorted(path.parent / c for c in candidates if (path.parent / c).exists())


def ensure_not_open(path: Path) -> None:
    """Raise :class:`WorkbookLocked` if ``path`` is open in Excel, WPS or LibreOffice."""
    found = lock_files(path)
    real = Path(os.path.realpath(path))
    if real != path:
        found += lock_files(real)
    if found:
        raise WorkbookLocked(
            f"工作簿“{path.name}”正在 Excel/WPS 中打开（发现锁定文件“{found[0].name}”），"
            "本次没有写入任何内容。请先在 Excel/WPS 中保存并关闭它，再重新运行；"
            "如果确认已经关闭，可以删除该锁定文件后重试。"
        )


def tool_lock(path: Path) -> Path:
    """Return the tool's own lock file for the workbook at ``path``."""
    real = Path(os.path.realpath(path))
    digest = hashlib.sha1(real.name.encode("utf-8")).hexdigest()[:8]
    return real.with_name(f".~tongjia-{digest}.lock")


class WorkbookFile:
    """A workbook on disk, held for writing by this run until :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.target = Path(os.path.realpath(self.path))
        self._fingerprint: str | None = None
        self._backed_up = False
        self._lock = _acquire(tool_lock(self.path), self.path)
        self._release = weakref.finalize(self, _release, self._lock, os.getpid())
        clear_leftovers(self.target.parent)

    def read(self) -> bytes:
        """Return the workbook's bytes and remember them as the version this run works on."""
        data = read_bytes(self.path)
        self._fingerprint = hashlib.sha256(data).hexdigest()
        return data

    def save(self, data: bytes, *, keep: int = 10) -> Path | None:
        """Replace the workbook with ``data``; return the backup made, or ``None``.

        The first save of a run copies the version on disk into ``备份`` (unless ``keep``
        is 0); later saves of the same run do not, since that version is the run's own.
        """
        ensure_not_open(self.path)
        self._ensure_unchanged()
        backup = None
        with atomic_write(self.path) as temporary:
            temporary.write_bytes(data)
            _check_package(temporary, self.path)
            if not self._backed_up and keep > 0 and self.target.exists():
                backup = backup_copy(self.path, keep)
                self._backed_up = True
        self._fingerprint = hashlib.sha256(data).hexdigest()
        return backup

    def skip_backup(self) -> None:
        """Make no backup in this run: the file is a copy the run has just made."""
        self._backed_up = True

    def close(self) -> None:
        """Give up the workbook: remove this run's lock file."""
        self._release()

    def _ensure_unchanged(self) -> None:
        if self._fingerprint is None:
            return
        try:
            now = hashlib.sha256(self.target.read_bytes()).hexdigest()
        except FileNotFoundError:
            now = None
        if now != self._fingerprint:
            raise WorkbookChanged(
                f"工作簿“{self.path.name}”在本次运行期间被改动过（可能在 Excel/WPS 中保存过，"
                "或有另一个程序写入了它）。为了不覆盖那些改动，本次结果没有保存。"
                "请重新运行本操作。"
            )


def safe_save(path: Path, write: Callable[[Path], None], *, keep: int = 10) -> Path | None:
    """Save a workbook made in memory through ``write(temporary_path)``, atomically.

    Used for a workbook the tool builds whole (``init``): there is nothing of the staff's
    in it to keep. Returns the backup of a file it replaces, or ``None``.
    """
    path = Path(path)
    ensure_not_open(path)
    backup = None
    with atomic_write(path) as temporary:
        write(temporary)
        _check_package(temporary, path)
        if path.exists() and keep > 0:
            backup = backup_copy(path, keep)
    return backup


def backup_copy(path: Path, keep: int) -> Path | None:
    """Copy ``path`` into the ``备份`` folder beside it and prune old copies.

    Returns the copy, or ``None`` when ``keep`` is 0 (no backups wanted). See
    :func:`prune_backups` for what is kept.
    """
    if keep <= 0:
        return None
    path = Path(path)
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = backup_stem(path)
    # Within one second the copies are numbered after the highest number used, never in a
    # gap pruning left: a reused lower number would sort before the newer copies and be
    # pruned as the oldest the moment it is made.
    taken = [p.name for p in folder.glob(f"{glob.escape(stem)}-{stamp}*{path.suffix}")]
    counter = max((_copy_number(name, stem, stamp, path.suffix) for name in taken), default=0)
    target = folder / (f"{stem}-{stamp}{path.suffix}" if counter == 0
                       else f"{stem}-{stamp}-{counter + 1}{path.suffix}")
    with atomic_write(target) as partial:
        shutil.copy2(os.path.realpath(path), partial)
    prune_backups(folder, path, keep)
    return target


def _copy_number(name: str, stem: str, stamp: str, suffix: str) -> int:
    """Return a backup's number within its second (1 for the unnumbered first, 0 if foreign)."""
    middle = name[len(f"{stem}-{stamp}"): len(name) - len(suffix)]
    if middle == "":
        return 1
    return int(middle[1:]) if middle.startswith("-") and middle[1:].isdigit() else 0


def prune_backups(folder: Path, path: Path, keep: int, *, now: datetime | None = None) -> None:
    """Delete the backups of ``path`` no rule keeps.

    Kept: the newest ``keep``; the first of each of the last :data:`DAILY_DAYS` days; and
    the oldest of all, the workbook as it was before the tool first wrote it, which no
    number of runs may rotate away.
    """
    pattern = re.compile(re.escape(backup_stem(path)) + r"-(\d{8})-(\d{6})(?:-(\d+))?"
                         + re.escape(path.suffix) + "$")
    copies = []
    for item in folder.iterdir():
        match = pattern.match(item.name)
        if match:
            order = (match.group(1), match.group(2), int(match.group(3) or 1))
            copies.append((order, item))
    copies.sort()
    if not copies:
        return
    keepers = {item for _, item in copies[-keep:]} | {copies[0][1]}
    since = ((now or datetime.now()) - timedelta(days=DAILY_DAYS)).strftime("%Y%m%d")
    days: set[str] = set()
    for (day, _, _), item in copies:
        if day >= since and day not in days:
            days.add(day)
            keepers.add(item)
    for _, item in copies:
        if item not in keepers:
            with contextlib.suppress(OSError):
                item.unlink()


# -- locks and temporary files ----------------------------------------------------------

#: Locks this process holds, with how many open workbooks share each: one run may open its
#: workbook twice (a batch and its steps); the version check still guards each save.
_HELD: dict[Path, int] = {}


def _acquire(lock: Path, path: Path) -> Path:
    if lock in _HELD:
        _HELD[lock] += 1
        return lock
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": datetime.now().isoformat(timespec="seconds"),
              "command": " ".join(Path(a).name for a in sys.argv[:2])}
    for _ in range(3):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _stale(lock):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()
                continue
            raise WorkbookBusy(_busy_message(lock, path)) from None
        except OSError as error:
            raise UserError(os_message(error, path)) from None
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(holder, out, ensure_ascii=False)
        _hide(lock)
        _HELD[lock] = 1
        return lock
    raise WorkbookBusy(_busy_message(lock, path))


def _release(lock: Path, pid: int) -> None:
    # Only the process that took the lock removes it (a fork inherits the finalizer).
    if os.getpid() != pid:
        return
    _HELD[lock] = _HELD.get(lock, 1) - 1
    if _HELD[lock] > 0:
        return
    del _HELD[lock]
    with contextlib.suppress(OSError):
        if json.loads(lock.read_text(encoding="utf-8")).get("pid") == pid:
            lock.unlink()


def _stale(lock: Path) -> bool:
    try:
        age = time.time() - lock.stat().st_mtime
        holder = json.loads(lock.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return age > 60  # written half by a run killed at that very moment
    if age > STALE_LOCK.total_seconds():
        return True
    if holder.get("host") != socket.gethostname():
        return False  # another computer's run on a shared folder: cannot be checked
    return not process_alive(int(holder.get("pid", 0)))


def _busy_message(lock: Path, path: Path) -> str:
    try:
        holder = json.loads(lock.read_text(encoding="utf-8"))
        since = str(holder.get("started", "")).replace("T", " ")
        who = f"（{holder.get('host', '')} 上的进程 {holder.get('pid', '')}，开始于 {since}）"
    except (OSError, ValueError):
        who = ""
    return (f"另一个 tongjia-xls 操作{who}正在处理工作簿“{path.name}”，本次没有写入任何内容。"
            "请等它完成后再运行。如果确认没有别的操作在运行（例如电脑曾经死机），"
            f"可以删除工作簿旁边的“{lock.name}”后重试。")


def _hide(path: Path) -> None:
    if os.name == "nt":
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # type: ignore[attr-defined]


def backup_stem(path: Path) -> str:
    """Return the name stem of ``path``'s backups, cut so a backup's name stays short enough."""
    room = MAX_NAME_BYTES - len(b"-20240101-120000-99") - len(path.suffix.encode())
    stem = path.stem
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return stem


# -- writing ----------------------------------------------------------------------------

def _check_package(written: Path, path: Path) -> None:
    # A truncated or empty file must never replace a good workbook.
    try:
        with zipfile.ZipFile(written) as package:
            if "[Content_Types].xml" not in package.namelist():
                raise zipfile.BadZipFile("no content types")
    except (zipfile.BadZipFile, OSError) as error:
        raise RuntimeError(f"the new version of {path.name} is not a valid package") from error


def read_bytes(path: Path) -> bytes:
    """Return the bytes of the workbook at ``path``; a failure becomes a :class:`UserError`."""
    try:
        return Path(os.path.realpath(path)).read_bytes()
    except OSError as error:
        raise UserError(
            f"无法读取“{path.name}”（{error.strerror or error}）。请确认文件还在、没有被其他程序"
            "独占，并且您有权限打开它，然后重新运行。"
        ) from None
