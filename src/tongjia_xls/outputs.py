"""Writing the documents the tool makes: in one step, under names every computer accepts.

Every .docx, .xlsx and .pdf is written to a hidden temporary file beside its place and then
moved over it in one step (:func:`atomic_write`), so a run killed half-way leaves the old
document or the new one, never a truncated one; what the operating system refuses (disk
full, no permission, a name too long) becomes an :class:`OutputError` in plain Chinese.
:func:`safe_file_name` makes a name that Windows and Linux both accept, and
:class:`NameBook` keeps the names of one batch apart when cleaning makes two of them equal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tongjia_xls.errors import Diagnostic, Severity, UserError

__all__ = ["MAX_NAME_BYTES", "MAX_STEM", "NameBook", "OutputError", "atomic_write",
           "clear_leftovers", "ensure_folder", "os_message", "process_alive", "safe_file_name",
           "unique_names", "written_or_noted"]

#: Longest stem in characters: with the folders above it, well inside Windows' 260.
MAX_STEM = 80
#: Longest whole name in UTF-8 bytes: Linux allows 255 and a Chinese character takes 3.
MAX_NAME_BYTES = 240
#: A temporary file of a killed run is removed once its process is gone, or after this.
STALE_TEMP = 3600.0
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)
_ELLIPSIS = "…"
_TEMP_STEM = 40  # characters of the stem kept in a temporary name: it must stay short
# Also ``.name.saving-PID.xlsx``: what versions before the atomic writer left behind.
_TEMP = re.compile(r"\..*\.(?:writing-(?P<pid>\d+)-[0-9a-f]{8}|saving-(?P<old_pid>\d+))(\.\w+)?")
_NO_SYNC = {errno.EINVAL, errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)}
_WINDOWS_LOCKED = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_CLEARED: set[Path] = set()


class OutputError(UserError):
    """A document could not be written; the message names it and says what to do."""


# -- names ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cleaned:
    name: str
    removed: str  # the forbidden characters taken out, each once
    shortened: bool


def safe_file_name(name: str, *, max_length: int = MAX_STEM) -> str:
    """Return ``name`` made into a file name Windows and Linux both accept, suffix kept.

    Forbidden and control characters go, and leading and trailing dots and spaces; a
    reserved device name (``CON``, ``COM1`` …) gets a leading ``_``. A stem longer than
    ``max_length`` characters, or a name longer than :data:`MAX_NAME_BYTES` in UTF-8, is
    cut in the middle with ``…``: the start and the end (what the document is) stay.
    """
    return _clean(name, max_length).name


def _clean(name: str, max_length: int, tail: str = "") -> _Cleaned:
    text = unicodedata.normalize("NFC", name)
    removed = "".join(dict.fromkeys(_FORBIDDEN.findall(text)))
    stem, suffix = _split(_FORBIDDEN.sub("", text))
    stem = stem.strip(" .") or "未命名"
    if _RESERVED.fullmatch(stem.split(".")[0].rstrip(" ")):
        stem = "_" + stem
    budget = MAX_NAME_BYTES - _size(suffix) - _size(tail)
    cut = _shorten(stem, max_length - len(tail), budget)
    return _Cleaned(f"{cut}{tail}{suffix}", removed, cut != stem)


def _split(name: str) -> tuple[str, str]:
    """Return the stem and the suffix (``.docx``); a dot inside a name is no suffix."""
    stem, dot, ext = name.rstrip(" .").rpartition(".")
    if dot and 0 < len(ext) <= 10 and ext.isascii() and ext.isalnum():
        return stem, f".{ext}"
    return name, ""


def _shorten(stem: str, chars: int, size: int) -> str:
    if len(stem) <= chars and _size(stem) <= size:
        return stem
    keep = min(len(stem), chars) - 1  # room for the ellipsis
    while keep > 0:
        end = keep // 3
        cut = stem[: keep - end].rstrip(" .") + _ELLIPSIS + (stem[-end:] if end else "")
        if _size(cut) <= size:
            return cut
        keep -= 1
    return _ELLIPSIS


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _key(name: str) -> str:
    # Windows (and macOS) see ``ABC.docx`` and ``abc.docx`` as one file.
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class _Entry:
    label: str
    wanted: str
    name: str
    cleaned: _Cleaned
    reserved: bool = False


class NameBook:
    """The file names of one batch in one folder: each safe, no two equal ignoring case.

    ``what`` names the documents in the messages (e.g. ``审核意见``). A later name that
    would equal an earlier one gets ``（2）``, ``（3）`` … at the end of its stem.
    """

    def __init__(self, what: str = "", *, max_length: int = MAX_STEM) -> None:
        self.what = what
        self.max_length = max_length
        self._entries: list[_Entry] = []
        self._used: set[str] = set()

    def reserve(self, name: str) -> str:
        """Take the safe form of ``name``, for a document of fixed name in the same folder."""
        cleaned = _clean(name, self.max_length)
        self._used.add(_key(cleaned.name))
        self._entries.append(_Entry(name, name, cleaned.name, cleaned, reserved=True))
        return cleaned.name

    def name(self, wanted: str, *, label: str | None = None) -> str:
        """Return a safe file name for ``wanted``, distinct from every name taken before.

        ``label`` is what the messages call the document's owner (an organization's
        name); it defaults to ``wanted``.
        """
        cleaned = _clean(wanted, self.max_length)
        name, number = cleaned.name, 1
        while _key(name) in self._used:
            number += 1
            name = _clean(wanted, self.max_length, tail=f"（{number}）").name
        self._used.add(_key(name))
        self._entries.append(_Entry(label or wanted, wanted, name, cleaned))
        return name

    def renamed(self) -> list[tuple[str, str, str]]:
        """Return (label, wanted, name) for each name given that is not the one wanted."""
        return [(e.label, e.wanted, e.name) for e in self._entries
                if not e.reserved and e.name != e.wanted]

    def diagnostics(self) -> list[Diagnostic]:
        """Return one message per group of names made distinct, and per name changed.

        Names made distinct and names cut short are warnings (the file is not where staff
        would look for it); characters merely taken out are information.
        """
        found: list[Diagnostic] = []
        grouped: set[int] = set()
        for index, entry in enumerate(self._entries):
            if entry.name == entry.cleaned.name or index in grouped:
                continue
            base = _key(entry.cleaned.name)
            members = [i for i, e in enumerate(self._entries)
                       if _key(e.cleaned.name) == base or _key(e.name) == base]
            grouped.update(members)
            found.append(self._collision([self._entries[i] for i in members]))
        for index, entry in enumerate(self._entries):
            if index in grouped or entry.reserved:
                continue
            if entry.cleaned.shortened:
                found.append(Diagnostic(
                    f"“{_brief(entry.label)}”的名称太长，{self._noun}已截短为“{entry.name}”",
                    severity=Severity.WARNING))
            elif entry.cleaned.removed:
                found.append(Diagnostic(
                    f"“{entry.label}”含有文件名中不能用的字符（{_chars(entry.cleaned.removed)}），"
                    f"{self.what or '文件'}已保存为“{entry.name}”", severity=Severity.INFO))
        return found

    @property
    def _noun(self) -> str:
        return f"{self.what}文件名" if self.what else "文件名"

    def _collision(self, members: Sequence[_Entry]) -> Diagnostic:
        labels = _listed(f"“{_brief(e.label)}”" for e in members)
        names = _listed(f"“{e.name}”" for e in members)
        wanted = {e.wanted for e in members}
        if len(wanted) == 1:
            return Diagnostic(f"{labels}的{self._noun}重复，已分别保存为{names}",
                              severity=Severity.WARNING)
        removed = "".join(dict.fromkeys("".join(e.cleaned.removed for e in members)))
        steps = [f"去掉不能用的字符（{_chars(removed)}）"] if removed else []
        steps += ["截短过长的名称"] if any(e.cleaned.shortened for e in members) else []
        how = "、".join(steps) + "后" if steps else ""
        case = {e.cleaned.name for e in members if not e.reserved}
        alike = "（Windows 不区分大小写，会当作同一个文件）" if len(case) > 1 else ""
        return Diagnostic(f"{labels}的{self._noun}{how}相同{alike}，已分别保存为{names}",
                          severity=Severity.WARNING)


def unique_names(names: Iterable[str], *, what: str = ""
                 ) -> tuple[list[str], list[Diagnostic]]:
    """Return ``names`` made safe and distinct ignoring case, and what was changed."""
    book = NameBook(what)
    made = [book.name(name) for name in names]
    return made, book.diagnostics()


def _brief(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def _listed(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1]


def _chars(removed: str) -> str:
    return "、".join("控制字符" if ord(c) < 32 or ord(c) == 127 else c
                    for c in dict.fromkeys(removed))


# -- writing --------------------------------------------------------------------------------

@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends, it replaces ``path``.

    Write the whole document to the path yielded: it has ``path``'s suffix, for libraries
    that look at it. On any failure (Ctrl+C included) the temporary file goes and ``path``
    stays as it was; an operating-system failure becomes an :class:`OutputError` naming the
    file. Through a symbolic link the file it points at is replaced, the link kept.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    clear_leftovers(target.parent)
    temporary = target.with_name(
        f".{target.stem[:_TEMP_STEM]}.writing-{os.getpid()}-{secrets.token_hex(4)}"
        f"{target.suffix}")
    try:
        try:
            yield temporary
            if not temporary.is_file():
                raise RuntimeError(f"nothing was written for {path.name}")
            _sync(temporary)
            _replace(temporary, target)
        except OSError as error:
            raise OutputError(os_message(error, path)) from None
        _sync_folder(target.parent)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def ensure_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) unless it exists; return it."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(os_message(error, folder, folder=True)) from None
    return folder


def written_or_noted(write: Callable[[], Path], diagnostics: list[Diagnostic]) -> Path | None:
    """Return the path ``write`` wrote, or ``None`` after adding its failure to ``diagnostics``.

    A batch uses it so that one document that cannot be written does not stop the others.
    """
    try:
        return write()
    except OutputError as error:
        diagnostics.append(Diagnostic(str(error)))
        return None


def _sync(path: Path) -> None:
    # On the disk before the replace: a power cut must not leave an empty document.
    handle = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno not in _NO_SYNC:  # some network folders cannot sync: nothing to do
            raise
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    # The rename itself on the disk too; Windows cannot open a folder for this.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _replace(temporary: Path, target: Path, attempts: int = 5) -> None:
    for attempt in range(attempts):
        try:
            os.replace(temporary, target)
            return
        except PermissionError:
            # On Windows a virus scanner or the search indexer may hold a new file a moment.
            if os.name != "nt" or attempt == attempts - 1:
                raise
            time.sleep(0.2)


def clear_leftovers(folder: Path) -> None:
    """Remove the temporary files that killed runs left in ``folder``, once per run."""
    # Once per folder: this run's own temporary files never outlive their write, and a
    # batch of ten thousand documents must not list the folder ten thousand times.
    if folder in _CLEARED:
        return
    _CLEARED.add(folder)
    now = time.time()
    with contextlib.suppress(OSError):
        for item in folder.iterdir():
            match = _TEMP.fullmatch(item.name)
            if match is None:
                continue
            with contextlib.suppress(OSError):
                pid = int(match["pid"] or match["old_pid"])
                if pid != os.getpid() and (not process_alive(pid)
                                           or now - item.stat().st_mtime > STALE_TEMP):
                    item.unlink()


def process_alive(pid: int) -> bool:
    """Return True while process ``pid`` of this computer runs."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


@dataclass(frozen=True)
class _Writing:
    """What an OS error message says of the file or folder being written."""

    name: str
    parent: str
    thing: str  # “name” or 文件夹“name”
    failed: str  # 没有写入 or 无法建立
    kept: str  # that the old file of that name is unchanged, when there is one
    folder: bool

    @classmethod
    def of(cls, path: Path, folder: bool) -> _Writing:
        """Return the words for writing ``path`` (a folder to make when ``folder``)."""
        name, parent = path.name, str(path.parent)
        thing = f"文件夹“{name}”" if folder else f"“{name}”"
        failed = "无法建立" if folder else "没有写入"
        kept = "原来的同名文件保持不变，" if not folder and _exists(path) else ""
        return cls(name, parent, thing, failed, kept, folder)


def os_message(error: OSError, path: Path, *, folder: bool = False) -> str:
    """Return the Chinese message for ``error`` while writing ``path``: what, and what next."""
    w = _Writing.of(path, folder)
    message = _place_message(error, path, w) or _access_message(error, w) or _kind_message(error, w)
    if message:
        return message
    return (f"写入{w.thing}时出错（{error.strerror or error}），{w.failed}，{w.kept}"
            "请检查磁盘和文件夹后重新运行。")


def _place_message(error: OSError, path: Path, w: _Writing) -> str | None:
    """Return the message for a full disk, a path too long or a read-only place, if so."""
    code, winerror = error.errno, getattr(error, "winerror", None)
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        return (f"磁盘空间不足，{w.thing}{w.failed}，{w.kept}"
                "请清理磁盘（或换到空间足够的文件夹）后重新运行。")
    too_long = os.name == "nt" and isinstance(error, FileNotFoundError) and len(
        str(path.absolute())) >= 260
    if code == errno.ENAMETOOLONG or winerror == 206 or too_long:
        return (f"{w.thing}的名称或所在文件夹“{w.parent}”的路径太长，{w.failed}。请把总工作簿和"
                "输出文件夹移到路径较短的位置（例如 D:\\述职评议）后重新运行。")
    if code == errno.EROFS:
        return (f"{w.thing}所在的位置“{w.parent}”是只读的"
                "（如光盘、写保护的U盘或只读的共享文件夹），"
                f"{w.failed}。请换一个可以写入的文件夹后重新运行。")
    return None


def _access_message(error: OSError, w: _Writing) -> str | None:
    """Return the message for a file locked by another program or a write refused, if so."""
    if getattr(error, "winerror", None) in _WINDOWS_LOCKED:
        return (f"{w.thing}正在被其他程序（如 Word、WPS）使用，{w.failed}，{w.kept}"
                "请关闭它后重新运行。")
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM):
        return (f"没有权限写入{w.thing}：它可能正在 Word、WPS 或其他程序中打开，或者所在文件夹"
                f"不允许写入。{w.failed}，{w.kept}请关闭打开它的程序（或检查文件夹的权限）后重新运行。")
    return None


def _kind_message(error: OSError, w: _Writing) -> str | None:
    """Return the message for a folder where a file goes (or the reverse), or no folder."""
    if isinstance(error, IsADirectoryError) and not w.folder:
        return (f"“{w.parent}”中已有名为“{w.name}”的文件夹，无法写入同名文件。"
                "请把该文件夹改名或移走后重新运行。")
    if isinstance(error, FileExistsError) and w.folder:
        return (f"“{w.parent}”中已有名为“{w.name}”的文件，无法建立同名文件夹。"
                "请把该文件改名或移走后重新运行。")
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return (f"找不到{w.thing}所在的文件夹“{w.parent}”（它可能已被移动或删除、被同名文件占用，"
                f"或U盘、共享文件夹已断开），{w.failed}。请检查该文件夹后重新运行。")
    return None
