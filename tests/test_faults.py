"""The hostile battery: damaged files, full disks, long names, links, races and kill -9.

Every case goes through the command line as staff would meet it, and must end with a
Chinese message and no traceback, the workbook either untouched or saved whole, and no
update of another run lost.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import type_scores
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.save import BACKUP_DIR, tool_lock
from tongjia_xls.cli import main
from tongjia_xls.sheets.schema import RECTIFICATION, SCORES

PYTHON = [sys.executable, "-m", "tongjia_xls"]


def _cli(*args: object) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    crash = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.output, crash


def _staff_data(path: Path) -> None:
    """Type what staff type before scoring and tracking: scores and one ledger item."""
    type_scores(path)
    wb = openpyxl.load_workbook(path)
    ledger = wb[RECTIFICATION.title]
    for col, value in enumerate(["青杠湾村", "会议点评", "台账不规范", "补齐台账", "李德明",
                                 date(2030, 6, 30), "整改中"], start=1):
        ledger.cell(row=2, column=col).value = value
    wb.save(path)


@pytest.fixture
def staff_book(book_path: Path) -> Path:
    _staff_data(book_path)
    return book_path


def _rezip(path: Path, change) -> None:
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            data = change(info.filename, data)
            if data is not None:
                dst.writestr(info, data)
    path.write_bytes(out.getvalue())


# -- damaged files ----------------------------------------------------------------------

def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _ole(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)  # a .doc renamed


def _text(path: Path) -> None:
    path.write_text("这不是工作簿", encoding="utf-8")


def _broken_sheet(path: Path) -> None:
    _rezip(path, lambda n, d: d[:-40] if n == "xl/worksheets/sheet7.xml" else d)


def _no_workbook_part(path: Path) -> None:
    _rezip(path, lambda n, d: None if n == "xl/workbook.xml" else d)


def _no_styles(path: Path) -> None:
    _rezip(path, lambda n, d: None if n == "xl/styles.xml" else d)


def _bad_shared_index(path: Path) -> None:
    _rezip(path, lambda n, d: d.replace(b"<v>", b"<v>x", 1)
           if n == "xl/worksheets/sheet3.xml" else d)


@pytest.mark.parametrize("damage", [_truncate, _empty, _ole, _text, _broken_sheet,
                                    _no_workbook_part, _no_styles, _bad_shared_index])
@pytest.mark.parametrize("command", ["validate", "score", "check"])
def test_a_damaged_workbook_gets_the_chinese_message(staff_book: Path, damage, command: str
                                                     ) -> None:
    damage(staff_book)
    before = staff_book.read_bytes()
    code, output, crash = _cli(command, staff_book)
    assert crash is None, output
    assert code == 2 and "错误：" in output
    assert "Traceback" not in output and "Error" not in output
    assert staff_book.read_bytes() == before
    assert not tool_lock(staff_book).exists()


def _halve_drawings(path: Path) -> None:
    _rezip(path, lambda n, d: d[: len(d) // 2] if n.startswith("xl/drawings/drawing") else d)


def _break_sheet_rels(path: Path) -> None:
    _rezip(path, lambda n, d: d[:-20] if n.startswith("xl/worksheets/_rels/") else d)


@pytest.mark.parametrize("damage", [_halve_drawings, _break_sheet_rels])
@pytest.mark.parametrize("command", ["score", "run"])
def test_a_damaged_drawing_of_the_charts_gets_the_chinese_message(
        staff_book: Path, damage, command: str) -> None:
    # 统计's charts are counted before a save decides whether to redraw them: that read
    # must end in the same message as any other damaged part.
    assert _cli("score", staff_book)[0] == 0
    (staff_book.parent / "述职报告").mkdir()  # run's first step reads the reports' folder
    damage(staff_book)
    before = staff_book.read_bytes()
    code, output, crash = _cli(command, staff_book)
    assert crash is None, output
    assert code == 2 and "已损坏" in output and ("错误：" in output or "已停止：" in output)
    assert "Traceback" not in output
    if command == "score":  # run's first step (check) saves what it owns before step 2 stops
        assert staff_book.read_bytes() == before
    assert not tool_lock(staff_book).exists()


@pytest.mark.parametrize("seed", range(16))
def test_random_damage_never_ends_in_a_traceback_or_a_broken_save(staff_book: Path,
                                                                  seed: int) -> None:
    data = bytearray(staff_book.read_bytes())
    rng = random.Random(seed)
    for _ in range(3):
        data[rng.randrange(100, len(data) - 100)] ^= 1 << rng.randrange(8)
    staff_book.write_bytes(bytes(data))
    code, output, crash = _cli("score", staff_book)
    assert crash is None, output
    assert "Traceback" not in output
    if code == 0:  # the damage hit nothing the tool reads or copies
        with zipfile.ZipFile(staff_book) as package:
            assert package.testzip() is None
    else:
        assert code == 2 and "错误：" in output
        assert staff_book.read_bytes() == bytes(data)


# -- the file system ----------------------------------------------------------------------

def _in_small_tmpfs(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) in a private mount namespace with a 96 KiB tmpfs at ``$DISK``."""
    disk = tmp_path / "disk"
    disk.mkdir()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    body = f'mount -t tmpfs -o size=96k tmpfs "{disk}" || exit 77\nDISK="{disk}"\n{script}'
    flags = ["-m"] if os.geteuid() == 0 else ["-r", "-m"]
    done = subprocess.run([unshare, *flags, "sh", "-c", body], capture_output=True, text=True,
                          timeout=120)
    if done.returncode == 77 or "unshare failed" in done.stderr:
        pytest.skip("no private tmpfs mount here (user namespaces disabled)")
    return done


def test_a_full_disk_leaves_the_workbook_as_it_was(staff_book: Path, tmp_path: Path) -> None:
    # The workbook (about 40 KiB) fits, its new version beside it does not.
    filler = "dd if=/dev/zero of=\"$DISK/填满\" bs=1k count=40 2>/dev/null"
    run = " ".join(PYTHON)
    done = _in_small_tmpfs(tmp_path, f"""
cp "{staff_book}" "$DISK/总表.xlsx"
{filler}
{run} score "$DISK/总表.xlsx"; echo "exit=$?"
cmp "{staff_book}" "$DISK/总表.xlsx" && echo same
ls -A "$DISK"
""")
    out = done.stdout + done.stderr
    assert "exit=2" in out and "磁盘空间不足" in out, out
    assert "same" in out and "Traceback" not in out
    leftovers = [n for n in done.stdout.split() if n.startswith(".")]
    assert leftovers == [], out


def test_a_long_file_name_is_saved_with_short_temporary_and_backup_names(
    staff_book: Path,
) -> None:
    long = staff_book.with_name("童家镇" * 26 + ".xlsx")  # 234 bytes: near the 255 limit
    staff_book.rename(long)
    code, output, crash = _cli("score", long)
    assert crash is None and code == 0, output
    backups = list((long.parent / BACKUP_DIR).iterdir())
    assert len(backups) == 1 and len(backups[0].name.encode()) <= 240


def test_a_workbook_reached_through_a_link_is_written_through_it(staff_book: Path,
                                                                 tmp_path: Path) -> None:
    elsewhere = tmp_path / "共享" / "总表.xlsx"
    elsewhere.parent.mkdir()
    staff_book.rename(elsewhere)
    link = tmp_path / "桌面上的总表.xlsx"
    link.symlink_to(elsewhere)
    code, output, _ = _cli("score", link)
    assert code == 0, output
    assert link.is_symlink() and link.resolve() == elsewhere
    assert Workbook.open(elsewhere, for_write=False).read(SCORES).records[0]["composite"]


def test_permission_denied_says_what_to_do(staff_book: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # As root every file is writable, so the refusal of the file system is played here.
    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tongjia_xls.book.save.os.replace", refuse)
    before = staff_book.read_bytes()
    code, output, crash = _cli("score", staff_book)
    assert crash is None and code == 2 and "没有权限" in output, output
    assert staff_book.read_bytes() == before
    assert [p.name for p in staff_book.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("lock", ["~$总表.xlsx", ".~总表.xlsx#", ".~总表.xlsx",
                                  ".~lock.总表.xlsx#"])
def test_excel_and_wps_lock_files_are_honoured(staff_book: Path, lock: str) -> None:
    (staff_book.parent / lock).write_text("x")
    before = staff_book.read_bytes()
    code, output, _ = _cli("score", staff_book)
    assert code == 2 and "正在 Excel/WPS 中打开" in output
    assert staff_book.read_bytes() == before


# -- races ----------------------------------------------------------------------------------

def _results(path: Path) -> tuple[bool, bool]:
    """Return whether ``score`` and whether ``rectify`` left their results in the workbook."""
    with Workbook.open(path, for_write=False) as book:
        scored = book.read(SCORES).records[0]["composite"] is not None
        tracked = book.read(RECTIFICATION).records[0]["days_left"] is not None
    return scored, tracked


@pytest.mark.parametrize("pair", range(10))
def test_two_commands_at_once_never_lose_an_update(staff_book: Path, pair: int) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    first, second = (["score"], ["rectify"]) if pair % 2 else (["rectify"], ["score"])
    procs = [subprocess.Popen([*PYTHON, *cmd, str(staff_book)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env)
             for cmd in (first, second)]
    outs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        outs.append((proc.returncode, out))
    finished = {cmd[0]: code == 0 for cmd, (code, _) in zip((first, second), outs, strict=True)}
    for code, out in outs:
        assert code in (0, 2) and "Traceback" not in out, out
        if code == 2:
            assert "另一个 tongjia-xls 操作" in out or "被改动过" in out, out
    scored, tracked = _results(staff_book)
    assert scored == finished["score"] and tracked == finished["rectify"]
    assert not tool_lock(staff_book).exists()


def test_a_run_that_finds_the_file_changed_refuses_to_overwrite_it(staff_book: Path) -> None:
    with Workbook.open(staff_book) as book:
        book.update_rows(SCORES, {2: {"composite": 1}})
        # Meanwhile staff save the workbook in Excel (a new version of the file).
        wb = openpyxl.load_workbook(staff_book)
        wb[SCORES.title]["N3"] = "在 Excel 里改的"
        wb.save(staff_book)
        after_excel = staff_book.read_bytes()
        with pytest.raises(Exception, match=r"被改动过.*没有保存"):
            book.save()
    assert staff_book.read_bytes() == after_excel


_SAVER = """
import sys
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.sheets.schema import SCORES
path = sys.argv[1]
n = 0
with Workbook.open(path) as book:
    while True:
        n += 1
        book.update_rows(SCORES, {2: {"remarks": "第%d次" % n}})
        book.save()
        print(n, flush=True)
"""


def test_kill_during_saves_leaves_a_whole_workbook_and_the_next_run_cleans_up(
    staff_book: Path, tmp_path: Path,
) -> None:
    script = tmp_path / "saver.py"
    script.write_text(_SAVER, encoding="utf-8")
    rng = random.Random(7)
    for _ in range(6):
        saver = subprocess.Popen([sys.executable, str(script), str(staff_book)],
                                 stdout=subprocess.PIPE, text=True)
        assert saver.stdout is not None
        saver.stdout.readline()  # it is saving now
        time.sleep(rng.uniform(0.0, 0.15))
        saver.send_signal(signal.SIGKILL)
        saver.communicate()
        with zipfile.ZipFile(staff_book) as package:  # the old version or the new: whole
            assert package.testzip() is None
        assert tool_lock(staff_book).exists()  # left behind by the killed run
    code, output, _ = _cli("validate", staff_book)
    assert code in (0, 1), output
    left = [p.name for p in staff_book.parent.iterdir() if p.name.startswith(".")]
    assert left == []


def test_run_makes_one_backup_equal_to_the_workbook_before_it(staff_book: Path) -> None:
    (staff_book.parent / "述职报告").mkdir()
    original = staff_book.read_bytes()
    code, output, crash = _cli("run", staff_book, "--out", staff_book.parent / "材料")
    assert crash is None and code in (0, 1), output
    copies = list((staff_book.parent / BACKUP_DIR).iterdir())
    assert len(copies) == 1, output
    assert copies[0].read_bytes() == original
