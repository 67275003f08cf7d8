"""The edges of book/save.py: the survivors of its operator mutants (docs/mutation.md).

Real files in a temporary folder throughout. One backup per run however many saves, none
after skip_backup and none of a file not there yet; the default of ten kept; the names of
several backups within one second, beside copies staff named alike; pruning by time before
number; the tool's own lock: its name, its mode, held twice by one run, and when a lock
left behind is taken over (a half-written one after 60 s, any after 12 hours, a dead
process on this computer, never another computer's); an office lock beside the real file
of a link; and the backup name's byte limit.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tongjia_xls.book import save as save_module
from tongjia_xls.book.save import (
    BACKUP_DIR,
    MAX_NAME_BYTES,
    STALE_LOCK,
    WorkbookBusy,
    WorkbookFile,
    backup_copy,
    backup_stem,
    prune_backups,
    safe_save,
    tool_lock,
)
from tongjia_xls.errors import WorkbookLocked

STAMP = "20240115-093000"


class _OneSecond(datetime):
    """A clock that stands still: every backup of the test falls in the same second."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
        return cls(2024, 1, 15, 9, 30, 0)


def _backups(book: Path) -> list[str]:
    folder = book.parent / BACKUP_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- one backup per run ---------------------------------------------------------------------


def test_a_run_backs_up_once_however_often_it_saves(book_path: Path) -> None:
    original = book_path.read_bytes()
    held = WorkbookFile(book_path)
    try:
        data = held.read()
        first = held.save(data, keep=5)
        assert held.save(data, keep=5) is None
        assert held.save(data, keep=5) is None
    finally:
        held.close()
    assert first is not None and first.read_bytes() == original
    assert _backups(book_path) == [first.name]


def test_a_run_told_to_skip_the_backup_makes_none(book_path: Path) -> None:
    held = WorkbookFile(book_path)
    try:
        held.skip_backup()
        assert held.save(held.read(), keep=5) is None
    finally:
        held.close()
    assert _backups(book_path) == []


def test_a_workbook_not_there_yet_is_written_without_a_backup(book_path: Path,
                                                              tmp_path: Path) -> None:
    data = book_path.read_bytes()
    new = tmp_path / "新建" / "总表.xlsx"
    new.parent.mkdir()
    held = WorkbookFile(new)
    try:
        assert held.save(data) is None
    finally:
        held.close()
    assert new.read_bytes() == data
    assert not (new.parent / BACKUP_DIR).exists()


@pytest.mark.parametrize("how", ["in_place", "whole"])
def test_ten_backups_are_kept_by_default(book_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         how: str) -> None:
    monkeypatch.setattr(save_module, "datetime", _OneSecond)
    data = book_path.read_bytes()
    for _ in range(13):
        if how == "whole":
            safe_save(book_path, lambda temporary: temporary.write_bytes(data))
            continue
        held = WorkbookFile(book_path)
        try:
            held.save(held.read())
        finally:
            held.close()
    # The newest ten (-4 … -13) and the very first.
    assert _backups(book_path) == sorted(
        [f"总表-{STAMP}.xlsx"] + [f"总表-{STAMP}-{n}.xlsx" for n in range(4, 14)])


# -- names within one second --------------------------------------------------------------


@pytest.mark.parametrize("foreign", [
    [],
    ["总表-20240115-093000-副本.xlsx"],  # staff's copies, named alike: never counted
    ["总表-20240115-093000_5.xlsx"],
    ["总表-20240115-093000 (2).xlsx", "总表-20240115-093000-副本.xlsx"],
])
def test_backups_in_one_second_are_numbered_from_two(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, foreign: list[str]
) -> None:
    monkeypatch.setattr(save_module, "datetime", _OneSecond)
    folder = book_path.parent / BACKUP_DIR
    folder.mkdir()
    for name in foreign:
        (folder / name).write_bytes(b"staff's copy")
    made = [backup_copy(book_path, 10) for _ in range(3)]
    assert [p.name for p in made if p] == [
        f"总表-{STAMP}.xlsx", f"总表-{STAMP}-2.xlsx", f"总表-{STAMP}-3.xlsx"]
    assert _backups(book_path) == sorted([p.name for p in made if p] + foreign)


def test_pruning_orders_by_time_before_number(tmp_path: Path) -> None:
    book = tmp_path / "总表.xlsx"
    names = ["总表-20230101-080000.xlsx", "总表-20230301-080000-3.xlsx",
             "总表-20230301-090000.xlsx", "总表-20230301-100000-2.xlsx"]
    for name in names:
        (tmp_path / name).write_bytes(b"copy")
    prune_backups(tmp_path, book, 1, now=datetime(2024, 6, 1))
    # The newest is the one of 10:00, whatever its number; the oldest of all stays too.
    assert sorted(p.name for p in tmp_path.iterdir()) == [names[0], names[3]]


# -- the tool's own lock --------------------------------------------------------------------


def test_the_lock_name_is_the_same_for_every_version_of_the_tool(tmp_path: Path) -> None:
    # Two versions of the tool on one shared folder must find each other's lock.
    assert tool_lock(tmp_path / "总表.xlsx") == tmp_path / ".~tongjia-0110077b.lock"


def test_the_lock_is_readable_by_all_and_writable_by_its_owner(book_path: Path) -> None:
    old = os.umask(0o022)
    try:
        held = WorkbookFile(book_path)
    finally:
        os.umask(old)
    try:
        assert stat.S_IMODE(tool_lock(book_path).stat().st_mode) == 0o644
    finally:
        held.close()


@pytest.mark.parametrize("opened", [1, 2, 3])
def test_a_lock_held_twice_by_one_run_goes_with_the_last_close(book_path: Path,
                                                               opened: int) -> None:
    lock = tool_lock(book_path)
    held = [WorkbookFile(book_path) for _ in range(opened)]
    for file in held:
        assert lock.exists()
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
        file.close()
    assert not lock.exists()
    WorkbookFile(book_path).close()  # and it can be taken again
    assert not lock.exists()


def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def _left_lock(book: Path, holder: dict[str, object] | str, age: float,
               monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the tool's lock as another run left it, ``age`` seconds old by the clock."""
    lock = tool_lock(book)
    lock.write_text(holder if isinstance(holder, str) else json.dumps(holder),
                    encoding="utf-8")
    written = 1_700_000_000
    os.utime(lock, (written, written))

    class _Clock:
        @staticmethod
        def time() -> float:
            return written + age

    monkeypatch.setattr(save_module, "time", _Clock)
    return lock


def _taken_over(book: Path) -> bool:
    try:
        held = WorkbookFile(book)
    except WorkbookBusy:
        return False
    held.close()
    return True


HOUR = 3600.0
HERE = socket.gethostname()


@pytest.mark.parametrize(("age", "taken"), [
    (59.5, False), (60.0, False), (60.5, True), (61.5, True),
])
def test_a_half_written_lock_is_taken_over_after_a_minute(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, age: float, taken: bool
) -> None:
    lock = _left_lock(book_path, '{"pid": 12', age, monkeypatch)
    assert _taken_over(book_path) is taken
    assert lock.exists() is not taken


@pytest.mark.parametrize(("age", "taken"), [
    (11.5 * HOUR, False), (12 * HOUR, False), (12 * HOUR + 1, True), (12.5 * HOUR, True),
])
def test_a_lock_of_a_live_run_is_taken_over_after_twelve_hours(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, age: float, taken: bool
) -> None:
    assert STALE_LOCK.total_seconds() == 12 * HOUR
    # Another process of this computer, alive: our parent (the lock is not ours).
    holder = {"pid": os.getppid(), "host": HERE}
    _left_lock(book_path, holder, age, monkeypatch)
    assert _taken_over(book_path) is taken


@pytest.mark.parametrize(("host", "pid", "taken"), [
    (HERE, "dead", True),  # a run killed on this computer
    (HERE, None, True),  # no process named: nothing to wait for
    (HERE, "parent", False),  # a run still working
    ("另一台电脑", "dead", False),  # cannot be checked from here: wait for it
    ("另一台电脑", None, False),
])
def test_a_young_lock_is_taken_over_only_from_a_dead_run_of_this_computer(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, pid: str | None, taken: bool
) -> None:
    holder: dict[str, object] = {"host": host, "started": "2024-01-15T09:30:00"}
    if pid is not None:
        holder["pid"] = _dead_pid() if pid == "dead" else os.getppid()
    _left_lock(book_path, holder, 10.0, monkeypatch)
    assert _taken_over(book_path) is taken


# -- office locks, and long names -------------------------------------------------------------


def test_an_office_lock_beside_the_real_file_of_a_link_is_honoured(book_path: Path,
                                                                   tmp_path: Path) -> None:
    link_folder = tmp_path / "快捷方式"
    link_folder.mkdir()
    link = link_folder / "总表.xlsx"
    link.symlink_to(book_path)
    (book_path.parent / f"~${book_path.name}").write_text("owner")
    before = book_path.read_bytes()
    with pytest.raises(WorkbookLocked):
        safe_save(link, lambda temporary: temporary.write_bytes(before))
    assert book_path.read_bytes() == before


ROOM = MAX_NAME_BYTES - len(b"-20240101-120000-99") - len(b".xlsx")


@pytest.mark.parametrize(("stem", "kept"), [
    ("总" * (ROOM // 3), "总" * (ROOM // 3)),  # exactly the room, in 3-byte characters
    ("总" * (ROOM // 3 + 1), "总" * (ROOM // 3)),  # one over: one character goes
    ("a" * ROOM, "a" * ROOM),
    ("a" * (ROOM + 1), "a" * ROOM),
    ("a" + "总" * (ROOM // 3), "a" + "总" * (ROOM // 3 - 1)),  # a whole character at a time
])
def test_a_backup_name_keeps_as_much_of_the_stem_as_fits(stem: str, kept: str) -> None:
    assert ROOM == 216
    assert backup_stem(Path(stem + ".xlsx")) == kept


def test_a_lock_gone_by_the_time_it_is_looked_at_is_no_obstacle(tmp_path: Path) -> None:
    # The run that held it finished between our attempt to create it and our look at it.
    assert save_module._stale(tmp_path / ".~tongjia-0110077b.lock") is True
