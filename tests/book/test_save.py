"""Safe save: locks refused, crashes harmless, backups bounded, macros kept."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from helpers import load_xlsm
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.save import BACKUP_DIR, DAILY_DAYS, backup_stem, prune_backups, safe_save
from tongjia_xls.errors import WorkbookLocked
from tongjia_xls.sheets.schema import SCORES


@pytest.mark.parametrize(
    "lock_name",
    ["~$总表.xlsx", ".~总表.xlsx#", ".~lock.总表.xlsx#", "~$long-workbook-name.xlsx"],
)
def test_open_workbook_is_refused_without_writing(book_path: Path, lock_name: str) -> None:
    if lock_name.startswith("~$long"):
        book_path = book_path.rename(book_path.with_name("a-long-workbook-name.xlsx"))
        lock_name = "~$" + book_path.name[2:]  # Word/Excel drop two letters of long names
    before = book_path.read_bytes()
    book = Workbook.open(book_path)
    book.update(SCORES, {"青杠湾村": {"composite": 99}})
    (book_path.parent / lock_name).write_text("owner")
    with pytest.raises(WorkbookLocked, match="请先在 Excel/WPS 中保存并关闭"):
        book.save()
    assert book_path.read_bytes() == before
    with pytest.raises(WorkbookLocked):
        Workbook.open(book_path)
    assert not (book_path.parent / BACKUP_DIR).exists()


def test_a_crash_mid_save_leaves_the_old_workbook_intact(book_path: Path) -> None:
    before = book_path.read_bytes()

    def crash(target: Path) -> None:
        target.write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt  # the power goes, the user hits Ctrl+C

    with pytest.raises(KeyboardInterrupt):
        safe_save(book_path, crash)
    assert book_path.read_bytes() == before
    assert sorted(p.name for p in book_path.parent.iterdir()) == [book_path.name]


def test_a_truncated_new_version_never_replaces_the_workbook(book_path: Path) -> None:
    before = book_path.read_bytes()
    with pytest.raises(RuntimeError, match="not a valid package"):
        safe_save(book_path, lambda target: target.write_bytes(b""))
    assert book_path.read_bytes() == before


def test_backups_are_kept_and_bounded(book_path: Path) -> None:
    original = book_path.read_bytes()
    for score in range(5):
        book = Workbook.open(book_path)
        book.backend.keep = 3  # type: ignore[attr-defined]
        book.update(SCORES, {"青杠湾村": {"composite": 90 + score}})
        backup = book.save()
        assert backup is not None and backup.parent.name == BACKUP_DIR
    copies = sorted((book_path.parent / BACKUP_DIR).iterdir(), key=lambda p: p.stat().st_mtime_ns)
    # The newest three, and the first: the workbook as it was before the tool wrote it.
    assert len(copies) == 4
    assert copies[0].read_bytes() == original
    newest = Workbook.open(copies[-1], for_write=False).read(SCORES).records[0]
    assert newest["composite"] == 93  # the version before the last save


def _backup_files(folder: Path, book: Path, stamps: list[datetime]) -> list[Path]:
    made = []
    for at in stamps:
        item = folder / f"{backup_stem(book)}-{at:%Y%m%d-%H%M%S}{book.suffix}"
        item.write_bytes(b"x")
        made.append(item)
    return made


def test_backups_keep_the_newest_the_first_of_each_recent_day_and_the_oldest(
        tmp_path: Path) -> None:
    book = tmp_path / "总表.xlsx"
    now = datetime(2026, 12, 1, 18, 0, 0)
    # Three backups a day for 40 days, the first at 08:00.
    stamps = [now - timedelta(days=d) + timedelta(hours=h - 10)
              for d in range(39, -1, -1) for h in (0, 2, 4)]
    made = _backup_files(tmp_path, book, stamps)
    prune_backups(tmp_path, book, keep=10, now=now)
    kept = {p.name for p in tmp_path.iterdir()}
    since = (now - timedelta(days=DAILY_DAYS)).strftime("%Y%m%d")
    first_of_day = {}
    for item, at in zip(made, stamps, strict=True):
        first_of_day.setdefault(at.strftime("%Y%m%d"), item)
    expected = ({p.name for p in made[-10:]} | {made[0].name}
                | {p.name for day, p in first_of_day.items() if day >= since})
    assert kept == expected
    # The boundary: the day exactly DAILY_DAYS ago keeps its first backup, the day before not.
    assert first_of_day[since].name in kept
    before = (now - timedelta(days=DAILY_DAYS + 1)).strftime("%Y%m%d")
    assert first_of_day[before].name not in kept or first_of_day[before] == made[0]


def test_keeping_one_backup_still_keeps_the_newest_and_the_original(tmp_path: Path) -> None:
    book = tmp_path / "总表.xlsx"
    now = datetime(2026, 12, 1, 18, 0, 0)
    made = _backup_files(tmp_path, book, [now - timedelta(days=90, hours=h) for h in (3, 2, 1)])
    prune_backups(tmp_path, book, keep=1, now=now)
    assert {p.name for p in tmp_path.iterdir()} == {made[0].name, made[-1].name}


def _make_xlsm(xlsx: Path, target: Path, vba: bytes) -> None:
    """Turn an .xlsx into a macro workbook with a VBA project, as Excel lays it out."""
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"</Types>",
                )
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba)


def test_an_xlsm_keeps_its_macro_project_byte_for_byte(book_path: Path) -> None:
    vba = bytes(range(256)) * 64
    xlsm = book_path.with_suffix(".xlsm")
    _make_xlsm(book_path, xlsm, vba)
    book = Workbook.open(xlsm)
    book.update(SCORES, {"青杠湾村": {"composite": 97}})
    book.save()
    with zipfile.ZipFile(xlsm) as package:
        assert package.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in package.read("[Content_Types].xml")
    assert load_xlsm(xlsm).vba_archive is not None
