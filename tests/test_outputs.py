"""Writing documents: safe and distinct file names, and a write that is whole or not at all."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongjia_xls.errors import Severity
from tongjia_xls.outputs import (
    MAX_NAME_BYTES,
    MAX_STEM,
    NameBook,
    OutputError,
    atomic_write,
    ensure_folder,
    safe_file_name,
    unique_names,
    written_or_noted,
)

LONG_ORG = "童家镇" + "超长名称党组织" * 28 + "村"  # 200 characters
TAIL = "-2023年度述职报告审核意见.docx"
FORBIDDEN = set('<>:"/\\|?*')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
            *(f"LPT{i}" for i in range(10))}


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


# -- safe_file_name -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "safe"), [
    ("名称*D-2023.docx", "名称D-2023.docx"),
    ('南华路/社区:"一组"?.docx', "南华路社区一组.docx"),
    ("a<b>c:d\"e/f\\g|h?i*j.xlsx", "abcdefghij.xlsx"),
    ("青杠湾\x00村\x1f\t\n\x7f.pdf", "青杠湾村.pdf"),
    ("CON.docx", "_CON.docx"),
    ("nul.tar.gz", "_nul.tar.gz"),
    ("Com1.xlsx", "_Com1.xlsx"),
    ("LPT9", "_LPT9"),
    ("AUX .docx", "_AUX.docx"),
    ("CONSOLE.docx", "CONSOLE.docx"),
    ("CON-2023年度述职报告审核意见.docx", "CON-2023年度述职报告审核意见.docx"),
    ("报告. .docx", "报告.docx"),
    ("报告 . ", "报告"),
    ("..隐藏的报告.docx", "隐藏的报告.docx"),
    ("  青杠湾村 .docx ", "青杠湾村.docx"),
    ("***.docx", "未命名.docx"),
    ("", "未命名"),
    ("X.Y村-2023年度.docx", "X.Y村-2023年度.docx"),
    ("X.Y村", "X.Y村"),
], ids=repr)
def test_safe_file_name(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe
    assert safe_file_name(safe) == safe  # cleaning a clean name changes nothing


@pytest.mark.parametrize(("name", "suffix"), [
    (LONG_ORG + TAIL, ".docx"),
    (LONG_ORG + "-2023年度述职评议结果表.xlsx", ".xlsx"),
    ("a" * 300 + ".pdf", ".pdf"),
    ("名" * 300, ""),
    ("𠀀" * 100 + ".docx", ".docx"),  # 4 bytes in UTF-8, two units in Windows' UTF-16
])
def test_a_long_name_is_cut_in_the_middle_and_keeps_its_suffix(name: str, suffix: str) -> None:
    safe = safe_file_name(name)
    assert safe.endswith(suffix) and _size(safe) <= MAX_NAME_BYTES
    stem = safe[: len(safe) - len(suffix)]
    assert len(stem) <= MAX_STEM and "…" in stem
    assert stem.startswith(name[:10])
    assert safe_file_name(safe) == safe


def test_a_long_org_name_keeps_what_the_document_is() -> None:
    safe = safe_file_name(LONG_ORG + TAIL)
    assert safe.startswith("童家镇超长名称党组织") and safe.endswith("村" + TAIL)
    assert len(safe.encode()) <= 240


def test_the_stem_limit_can_be_chosen() -> None:
    safe = safe_file_name("名" * 50 + ".docx", max_length=20)
    assert len(safe) == 20 + len(".docx") and safe.endswith(".docx")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300), st.sampled_from(["", ".docx", ".xlsx", ".pdf"]))
def test_every_safe_name_can_be_created_here_and_on_windows(text: str, suffix: str) -> None:
    safe = safe_file_name(text + suffix)
    assert not set(safe) & FORBIDDEN and all(ord(c) >= 32 and ord(c) != 127 for c in safe)
    assert _size(safe) <= MAX_NAME_BYTES and len(_stem(safe)) <= MAX_STEM + 10
    assert safe and safe == safe.strip(" ") and not safe.endswith(".") and safe[0] != "."
    assert safe.split(".")[0].rstrip(" ").upper() not in RESERVED
    assert safe_file_name(safe) == safe
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / safe).write_bytes(b"")


# -- unique names -------------------------------------------------------------------------

@pytest.mark.parametrize(("wanted", "made"), [
    (["名称*D.docx", "名称?D.docx"], ["名称D.docx", "名称D（2）.docx"]),
    (["名称*D.docx", "名称?D.docx", "名称D.docx"],
     ["名称D.docx", "名称D（2）.docx", "名称D（3）.docx"]),
    (["ABC村.docx", "abc村.docx"], ["ABC村.docx", "abc村（2）.docx"]),
    (["青杠湾村.docx", "青杠湾村.docx"], ["青杠湾村.docx", "青杠湾村（2）.docx"]),
    (["青杠湾村.docx", "松林坪村.docx"], ["青杠湾村.docx", "松林坪村.docx"]),
    (["A.docx", "A.docx", "A（2）.docx"], ["A.docx", "A（2）.docx", "A（2）（2）.docx"]),
], ids=repr)
def test_unique_names(wanted: list[str], made: list[str]) -> None:
    assert unique_names(wanted)[0] == made


def test_colliding_org_names_are_told_apart_and_said() -> None:
    names = NameBook("审核意见")
    assert names.reserve("2023年度述职报告检查汇总表.docx") == "2023年度述职报告检查汇总表.docx"
    given = [names.name(f"{org}{TAIL}", label=org) for org in ("名称*D", "名称?D", "青杠湾村")]
    assert given == [f"名称D{TAIL}", f"名称D{TAIL[:-5]}（2）.docx", f"青杠湾村{TAIL}"]
    assert names.renamed() == [("名称*D", f"名称*D{TAIL}", given[0]),
                               ("名称?D", f"名称?D{TAIL}", given[1])]
    [said] = names.diagnostics()
    assert said.severity is Severity.WARNING
    assert said.message == (
        f"“名称*D”和“名称?D”的审核意见文件名去掉不能用的字符（*、?）后相同，"
        f"已分别保存为“{given[0]}”和“{given[1]}”")


def test_long_names_that_cut_alike_stay_distinct_and_short() -> None:
    first, second = LONG_ORG, LONG_ORG[:100] + "另" + LONG_ORG[101:]
    made, said = unique_names([first + TAIL, second + TAIL], what="审核意见")
    assert made[0] != made[1] and made[1].endswith("（2）.docx")
    assert all(_size(n) <= MAX_NAME_BYTES and len(_stem(n)) <= MAX_STEM for n in made)
    assert len(said) == 1 and "截短过长的名称后相同" in said[0].message


def test_a_name_only_cut_or_only_cleaned_is_said_too() -> None:
    made, said = unique_names([LONG_ORG + TAIL, "南华路|社区" + TAIL], what="提纲")
    cut, cleaned = said
    assert cut.severity is Severity.WARNING and "名称太长，提纲文件名已截短为" in cut.message
    assert made[0] in cut.message
    assert cleaned.severity is Severity.INFO and "（|）" in cleaned.message
    assert unique_names(["青杠湾村.docx"])[1] == []


def test_a_name_that_differs_only_in_case_is_explained() -> None:
    [said] = unique_names(["ABC村.docx", "abc村.docx"])[1]
    assert "Windows 不区分大小写" in said.message


# -- atomic_write --------------------------------------------------------------------------

def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_new_document_replaces_the_old_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "审核意见.docx"
    target.write_bytes(b"old")
    with atomic_write(target) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".docx"
        assert temporary.name.startswith(".审核意见.writing-") and temporary != target
        temporary.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # nothing visible until the block ends
    assert target.read_bytes() == b"new" and _only(tmp_path) == ["审核意见.docx"]


@pytest.mark.parametrize("error", [ValueError("bug"), KeyboardInterrupt()], ids=repr)
def test_a_failing_writer_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "汇总表.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(type(error)), atomic_write(target) as temporary:
        temporary.write_bytes(b"half a docu")
        raise error
    assert target.read_bytes() == b"old" and _only(tmp_path) == ["汇总表.xlsx"]


def test_a_writer_that_writes_nothing_is_a_bug_not_a_success(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_write(tmp_path / "a.pdf"):
        pass
    assert _only(tmp_path) == []


def _raising(error: OSError) -> Callable[[Path], None]:
    def write(temporary: Path) -> None:
        temporary.write_bytes(b"PK\x03\x04 partial")
        raise error
    return write


def _windows_locked() -> OSError:
    error = PermissionError(errno.EACCES, "The process cannot access the file")
    error.winerror = 32  # type: ignore[attr-defined]
    return error


# Simulated failures: the writer raises what the library would (the real ones follow).
@pytest.mark.parametrize(("error", "words"), [
    (OSError(errno.ENOSPC, "No space left on device"), ["磁盘空间不足", "没有写入", "请清理磁盘"]),
    (OSError(errno.ENAMETOOLONG, "File name too long"), ["路径太长", "路径较短"]),
    (PermissionError(errno.EACCES, "Permission denied"), ["没有权限", "Word、WPS", "关闭"]),
    (_windows_locked(), ["正在被其他程序（如 Word、WPS）使用", "关闭"]),
    (OSError(errno.EROFS, "Read-only file system"), ["只读", "可以写入的文件夹"]),
    (OSError(errno.EIO, "Input/output error"), ["出错", "检查磁盘"]),
], ids=["ENOSPC", "ENAMETOOLONG", "EACCES", "windows-locked", "EROFS", "EIO"])
def test_an_os_failure_is_a_chinese_message_naming_the_file(
        tmp_path: Path, error: OSError, words: list[str]) -> None:
    target = tmp_path / "名称D-2023年度述职报告审核意见.docx"
    target.write_bytes(b"old")
    with pytest.raises(OutputError) as raised, atomic_write(target) as temporary:
        _raising(error)(temporary)
    message = str(raised.value)
    assert target.name in message and all(w in message for w in words), message
    assert target.read_bytes() == b"old" and _only(tmp_path) == [target.name]


def test_a_real_name_too_long(tmp_path: Path) -> None:
    target = tmp_path / ("名" * 90 + ".docx")  # 275 bytes: more than Linux allows
    with pytest.raises(OutputError, match="路径太长"), atomic_write(target) as temporary:
        temporary.write_bytes(b"new")
    assert _only(tmp_path) == []


def test_a_real_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "已删除" / "提纲.docx"
    with pytest.raises(OutputError, match=r"找不到“提纲\.docx”所在的文件夹"), atomic_write(
            target) as temporary:
        temporary.write_bytes(b"new")


def test_a_real_folder_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "提纲.docx").mkdir()
    with pytest.raises(OutputError, match=r"已有名为“提纲\.docx”的文件夹"), atomic_write(
            tmp_path / "提纲.docx") as temporary:
        temporary.write_bytes(b"new")
    assert _only(tmp_path) == ["提纲.docx"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root may write anywhere; the simulated case above stands in")
def test_a_real_folder_without_permission(tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="没有权限"), atomic_write(
                folder / "a.docx") as temporary:
            temporary.write_bytes(b"new")
    finally:
        folder.chmod(0o700)


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "真" / "汇总表.docx"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "汇总表.docx"
    link.symlink_to(real)
    with atomic_write(link) as temporary:
        temporary.write_bytes(b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_killed_run_leaves_the_old_file_and_its_temporary_goes_next_time(
        tmp_path: Path) -> None:
    target = tmp_path / "审核意见.docx"
    target.write_bytes(b"old")
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from tongjia_xls.outputs import atomic_write
        with atomic_write(Path({str(target)!r})) as temporary:
            temporary.write_bytes(b"half")
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    killed = subprocess.run([sys.executable, "-c", script], check=False)
    assert killed.returncode == -9
    assert target.read_bytes() == b"old"
    [left] = [p for p in tmp_path.iterdir() if p != target]
    assert ".writing-" in left.name
    alive = tmp_path / f".其他.writing-{os.getppid()}-0123abcd.docx"  # a run still going
    alive.write_bytes(b"")
    with atomic_write(tmp_path / "另一份.docx") as temporary:
        temporary.write_bytes(b"new")
    assert _only(tmp_path) == sorted([alive.name, "另一份.docx", "审核意见.docx"])


def test_ensure_folder_says_what_is_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "打印材料").write_bytes(b"")
    with pytest.raises(OutputError, match="已有名为“打印材料”的文件，无法建立同名文件夹"):
        ensure_folder(tmp_path / "打印材料")
    assert ensure_folder(tmp_path / "新" / "文件夹").is_dir()


def test_written_or_noted_keeps_a_batch_going(tmp_path: Path) -> None:
    noted: list = []

    def fails() -> Path:
        raise OutputError("磁盘空间不足，“a.docx”没有写入")

    assert written_or_noted(fails, noted) is None
    assert written_or_noted(lambda: tmp_path, noted) == tmp_path
    assert [d.message for d in noted] == ["磁盘空间不足，“a.docx”没有写入"]
    assert noted[0].severity is Severity.ERROR


# -- real full and read-only disks, in a private mount namespace ---------------------------

_SMALL_DISK = """
import sys
from pathlib import Path
from tongjia_xls.errors import UserError
from tongjia_xls.outputs import atomic_write
target = Path(sys.argv[1]) / "审核意见.docx"
try:
    with atomic_write(target) as temporary:
        temporary.write_bytes(b"x" * 200_000)
except UserError as error:
    print(error)
print(sorted(p.name for p in target.parent.iterdir()))
print(target.read_bytes() if target.exists() else None)
"""


def _in_small_disk(tmp_path: Path, options: str, before: bytes | None) -> str:
    """Run the writer against a 64 KiB tmpfs mounted in a private namespace (no root)."""
    unshare = shutil.which("unshare")
    if unshare is None or os.name != "posix":
        pytest.skip("unshare is not available")
    mount = tmp_path / "disk"
    mount.mkdir()
    prepare = f"printf %s {before.decode()} > {mount}/审核意见.docx && " if before else ""
    remount = f"mount -o remount,{options} {mount} && " if options else ""
    command = (f"mount -t tmpfs -o size=64k tmpfs {mount} && {prepare}{remount}"
               f"exec {sys.executable} -c '{_SMALL_DISK}' {mount}")
    done = subprocess.run([unshare, "-rm", "sh", "-c", command], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0 and "Traceback" not in done.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()[:200]}")
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_a_really_full_disk_leaves_the_old_document(tmp_path: Path) -> None:
    out = _in_small_disk(tmp_path, "", b"old")
    assert "磁盘空间不足，“审核意见.docx”没有写入，原来的同名文件保持不变" in out
    assert "['审核意见.docx']" in out and "b'old'" in out


def test_a_really_read_only_disk(tmp_path: Path) -> None:
    out = _in_small_disk(tmp_path, "ro", b"old")
    assert "只读" in out and "“审核意见.docx”" in out
    assert "b'old'" in out


def test_the_temporaries_older_versions_left_beside_a_workbook_go_too(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    old = tmp_path / f".总表.saving-{dead}.xlsx"
    old.write_bytes(b"half")
    alive = tmp_path / f".总表.saving-{os.getppid()}.xlsx"
    alive.write_bytes(b"")
    staff = tmp_path / ".总表.saving-note.xlsx"  # not a temporary of ours: no process number
    staff.write_bytes(b"")
    with atomic_write(tmp_path / "另一份.docx") as temporary:
        temporary.write_bytes(b"new")
    assert _only(tmp_path) == sorted([alive.name, staff.name, "另一份.docx"])
