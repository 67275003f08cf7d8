"""The replace at the end of an atomic write is one rename, never a copy over the file.

A copy would write the old file in place: a reader holding it open, or a hard link to it,
would see the new bytes arrive (or half of them). A rename gives the name a new file and
leaves the old one whole for whoever still holds it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tongjia_xls.outputs import atomic_write

OLD = b"old version " * 10_000
NEW = b"new version, longer " * 10_000


def _write(target: Path, data: bytes) -> None:
    with atomic_write(target) as temporary:
        temporary.write_bytes(data)


@pytest.mark.parametrize("name", ["总表.xlsx", "审核意见.docx", "a.pdf"])
def test_the_name_gets_a_new_file(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    target.write_bytes(OLD)
    before = target.stat().st_ino
    _write(target, NEW)
    assert target.read_bytes() == NEW
    assert target.stat().st_ino != before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # the temporary is gone


@pytest.mark.skipif(os.name == "nt", reason="Windows cannot replace a file held open")
def test_a_reader_holding_the_old_file_reads_it_whole(tmp_path: Path) -> None:
    target = tmp_path / "总表.xlsx"
    target.write_bytes(OLD)
    with target.open("rb") as reader:
        reader.read(100)
        _write(target, NEW)
        reader.seek(0)
        assert reader.read() == OLD
    assert target.read_bytes() == NEW


def test_a_hard_link_to_the_old_file_keeps_the_old_bytes(tmp_path: Path) -> None:
    target = tmp_path / "总表.xlsx"
    target.write_bytes(OLD)
    link = tmp_path / "链接.xlsx"
    try:
        os.link(target, link)
    except OSError as error:  # some file systems have no hard links
        pytest.skip(f"no hard links here: {error}")
    _write(target, NEW)
    assert (link.read_bytes(), target.read_bytes()) == (OLD, NEW)


def test_a_new_file_appears_whole(tmp_path: Path) -> None:
    target = tmp_path / "新文件.docx"
    with atomic_write(target) as temporary:
        temporary.write_bytes(NEW)
        assert not target.exists()
    assert target.read_bytes() == NEW
