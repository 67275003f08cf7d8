"""Report files matched to organizations the way offices name them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongjia_xls.reports.matching import (
    NEWER_THAN_REGISTERED,
    NEWEST,
    REGISTERED,
    OrgRef,
    ReportFile,
    match_reports,
)

ORGS = [
    OrgRef("青杠湾村", "李德明"),
    OrgRef("杠湾村", "张三"),
    OrgRef("松林坪村", "张玉华", registered="松林坪村述职（定稿）.docx"),
    OrgRef("南华路社区", "谢文斌"),
]


def _file(name: str, mtime: float = 1.0, title: str | None = None) -> ReportFile:
    return ReportFile(Path(name), mtime, title)


@pytest.mark.parametrize(
    ("file", "org"),
    [
        (_file("青杠湾村述职报告.docx"), "青杠湾村"),  # the longer name wins over 杠湾村
        (_file("杠湾村-张三.docx"), "杠湾村"),
        (_file("李德明2023年述职.docx"), "青杠湾村"),  # by the secretary
        (_file("松林坪村述职（定稿）.docx"), "松林坪村"),  # as registered
        (_file("新建 Microsoft Word 文档.docx", title="南华路社区党委书记述职报告"), "南华路社区"),
        (_file("南 华 路 社区.docx"), "南华路社区"),  # spaces typed into the name
        (_file("述职报告.docx"), None),
    ],
)
def test_a_file_finds_its_organization(file: ReportFile, org: str | None) -> None:
    matching = match_reports([file], ORGS)
    if org is None:
        assert matching.unmatched == [file]
    else:
        assert matching.chosen[org] == file


def test_the_newest_of_two_files_is_used_and_the_other_reported() -> None:
    old, new = _file("青杠湾村述职.docx", 1.0), _file("青杠湾村述职（修改稿）.docx", 2.0)
    matching = match_reports([old, new], ORGS)
    assert matching.chosen["青杠湾村"] == new
    assert matching.passed_over["青杠湾村"] == [old]


def test_the_registered_file_wins_over_a_newer_copy() -> None:
    registered = _file("松林坪村述职（定稿）.docx", 1.0)
    newer = _file("松林坪村述职（草稿）.docx", 5.0)
    assert match_reports([newer, registered], ORGS).chosen["松林坪村"] == registered


def test_organizations_without_a_file_are_listed() -> None:
    matching = match_reports([_file("青杠湾村.docx")], ORGS)
    assert matching.missing == ["杠湾村", "松林坪村", "南华路社区"]


_DAY = 86400.0
_REGISTERED_ON = 1_700_000_000.0  # a day in November 2023


@pytest.mark.parametrize(("newer_at", "chosen", "reason"), [
    (None, "松林坪村述职（定稿）.docx", NEWEST),  # no other file
    (_REGISTERED_ON - 3 * _DAY, "松林坪村述职（定稿）.docx", NEWEST),  # the other is older
    # a newer copy that was there when staff registered: the registered one wins
    (_REGISTERED_ON + 3600, "松林坪村述职（定稿）.docx", REGISTERED),
    # a 修改稿 that came days after the registration: it wins
    (_REGISTERED_ON + 2 * _DAY, "松林坪村述职（修改稿）.docx", NEWER_THAN_REGISTERED),
])
def test_registered_or_newer(newer_at: float | None, chosen: str, reason: str) -> None:
    from datetime import datetime

    submitted = datetime.fromtimestamp(_REGISTERED_ON).date()
    orgs = [OrgRef("松林坪村", "张玉华", registered="松林坪村述职（定稿）.docx",
                   submitted=submitted)]
    files = [_file("松林坪村述职（定稿）.docx", _REGISTERED_ON - _DAY)]
    if newer_at is not None:
        files.append(_file("松林坪村述职（修改稿）.docx", newer_at))
    matching = match_reports(files, orgs)
    assert (matching.chosen["松林坪村"].path.name, matching.reasons["松林坪村"]) == (chosen, reason)
