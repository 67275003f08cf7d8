"""备份保留份数 at its edges: 0 makes no backup, 1 keeps one (and the very first), n keeps n.

Every way the tool saves a workbook is tried: a staff workbook saved in place
(:class:`WorkbookFile`), a workbook built whole (:func:`safe_save`) and a bare copy
(:func:`backup_copy`).
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from tongjia_xls.book import save as save_module
from tongjia_xls.book.save import BACKUP_DIR, WorkbookFile, backup_copy, safe_save

RUNS = 3


def _backups(book: Path) -> list[Path]:
    folder = book.parent / BACKUP_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def _save_in_place(book: Path, keep: int) -> Path | None:
    held = WorkbookFile(book)
    try:
        return held.save(held.read(), keep=keep)
    finally:
        held.close()


def _save_whole(book: Path, keep: int) -> Path | None:
    data = book.read_bytes()
    return safe_save(book, lambda temporary: temporary.write_bytes(data), keep=keep)


def _copy(book: Path, keep: int) -> Path | None:
    return backup_copy(book, keep)


SAVES = [_save_in_place, _save_whole, _copy]


@pytest.mark.parametrize("save", SAVES, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("keep", "kept"), [
    # The newest ``keep``, and the first of all (here also the first of the day).
    (0, 0), (1, 2), (2, 3), (RUNS, RUNS), (RUNS + 1, RUNS),
])
def test_backups_kept(book_path: Path, save, keep: int, kept: int) -> None:  # type: ignore[no-untyped-def]
    made = [save(book_path, keep) for _ in range(RUNS)]
    if keep == 0:
        assert made == [None] * RUNS
        assert not (book_path.parent / BACKUP_DIR).exists()
        return
    assert all(backup is not None and backup.parent.name == BACKUP_DIR for backup in made)
    left = _backups(book_path)
    assert len(left) == kept
    assert made[0] in left and made[-1] in left  # the first and the newest always stay
    assert all(backup.read_bytes() == book_path.read_bytes() for backup in left)


@pytest.mark.parametrize("keep", [1, 2])
def test_one_backup_kept_is_a_backup_made(book_path: Path, keep: int) -> None:
    original = book_path.read_bytes()
    backup = _save_in_place(book_path, keep)
    assert backup is not None and backup.read_bytes() == original


def test_a_new_workbook_has_nothing_to_back_up(tmp_path: Path, book_path: Path) -> None:
    target = tmp_path / "新" / "总表.xlsx"
    target.parent.mkdir()
    assert safe_save(target, lambda temporary: shutil.copy(book_path, temporary), keep=1) is None
    assert not (target.parent / BACKUP_DIR).exists()


class _OneSecond(datetime):
    """A clock that stands still: every save of the test falls in the same second."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
        return cls(2024, 1, 15, 9, 30, 0)


@pytest.mark.parametrize("save", SAVES, ids=lambda f: f.__name__)
def test_the_newest_backup_survives_many_saves_in_one_second(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, save  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(save_module, "datetime", _OneSecond)
    made = [save(book_path, 1) for _ in range(4)]
    assert made[-1] is not None and made[-1].exists()
    assert made[-1] in _backups(book_path)


def _stamped(folder: Path, *stamps: str) -> list[str]:
    for stamp in stamps:
        (folder / f"总表-{stamp}.xlsx").write_bytes(b"copy")
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("keep", "left"), [
    # Long ago, outside the daily window: only the newest ``keep`` and the very first stay.
    (1, ["20230101-080000", "20230301-080000"]),
    (2, ["20230101-080000", "20230201-080000", "20230301-080000"]),
    (3, ["20230101-080000", "20230102-080000", "20230201-080000", "20230301-080000"]),
])
def test_the_first_backup_of_all_is_never_pruned(
    tmp_path: Path, keep: int, left: list[str]
) -> None:
    book = tmp_path / "总表.xlsx"
    _stamped(tmp_path, "20230101-080000", "20230102-080000", "20230201-080000",
             "20230301-080000")
    save_module.prune_backups(tmp_path, book, keep, now=datetime(2024, 6, 1))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"总表-{s}.xlsx" for s in left]


@pytest.mark.parametrize(("day", "kept"), [
    # DAILY_DAYS = 30 before 2024-06-01 is 2024-05-02: that day's first copy is kept.
    ("20240502", True), ("20240501", False), ("20240503", True),
])
def test_the_daily_copies_go_back_thirty_days(tmp_path: Path, day: str, kept: bool) -> None:
    book = tmp_path / "总表.xlsx"
    _stamped(tmp_path, "20230101-080000", f"{day}-080000", f"{day}-090000", "20240531-080000")
    save_module.prune_backups(tmp_path, book, 1, now=datetime(2024, 6, 1, 12))
    names = {p.name for p in tmp_path.iterdir()}
    assert (f"总表-{day}-080000.xlsx" in names) is kept
    assert f"总表-{day}-090000.xlsx" not in names  # a second copy of the day is not
    assert {"总表-20230101-080000.xlsx", "总表-20240531-080000.xlsx"} <= names
