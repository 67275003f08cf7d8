"""Which report file belongs to which organization.

Secretaries name their files as they like: ``青杠湾村述职报告.docx``, ``李德明2023述职.docx``,
``新建 Microsoft Word 文档.docx``. A file is matched by the name registered in ``述职报告``,
else by the organization's name in the file name, else by the secretary's name in it, else
by the organization's name in the report's title. Plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tongjia_xls.sheets.table import key_text


@dataclass(frozen=True)
class ReportFile:
    """A file in the reports folder: its path, modification time and title (if read)."""

    path: Path
    mtime: float
    title: str | None = None


@dataclass(frozen=True)
class OrgRef:
    """An organization as the roster knows it, with the file registered for it.

    ``submitted`` is the 提交日期 staff typed beside the registration (``None``: none).
    """

    org: str
    secretary: str | None = None
    registered: str | None = None
    submitted: date | None = None


#: Why a file was chosen: the only or newest one, the one registered, or a newer one that
#: arrived after the registration.
NEWEST, REGISTERED, NEWER_THAN_REGISTERED = "newest", "registered", "newer_than_registered"


@dataclass
class Matching:
    """The result: the file chosen per organization, and what did not fit."""

    chosen: dict[str, ReportFile] = field(default_factory=dict)
    passed_over: dict[str, list[ReportFile]] = field(default_factory=dict)  # the others
    reasons: dict[str, str] = field(default_factory=dict)  # org -> NEWEST, REGISTERED …
    unmatched: list[ReportFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # organizations with no file


def match_reports(files: Sequence[ReportFile], orgs: Sequence[OrgRef]) -> Matching:
    """Return which of ``files`` belongs to which of ``orgs``; the newest of several wins."""
    found: dict[str, list[ReportFile]] = {o.org: [] for o in orgs}
    result = Matching()
    for file in files:
        org = _owner(file, orgs)
        if org is None:
            result.unmatched.append(file)
        else:
            found[org].append(file)
    for ref in orgs:
        candidates, reason = _ranked(ref, found[ref.org])
        if not candidates:
            result.missing.append(ref.org)
            continue
        result.chosen[ref.org] = candidates[0]
        result.reasons[ref.org] = reason
        if len(candidates) > 1:
            result.passed_over[ref.org] = candidates[1:]
    return result


def _ranked(ref: OrgRef, files: list[ReportFile]) -> tuple[list[ReportFile], str]:
    """Return ``ref``'s files, the one to use first, and why it was chosen."""
    candidates = sorted(files, key=lambda f: (f.mtime, f.path.name), reverse=True)
    registered = [f for f in candidates
                  if ref.registered and key_text(f.path.name) == key_text(ref.registered)]
    if not registered:
        return candidates, NEWEST
    chosen = registered[0]
    newer = [f for f in candidates if f.mtime > chosen.mtime]
    if newer and ref.submitted is not None and _day(newer[0]) > ref.submitted:
        # A 修改稿 that came after the registration (its 提交日期): it wins.
        return candidates, NEWER_THAN_REGISTERED
    # The file staff registered wins over a stray copy.
    candidates.remove(chosen)
    candidates.insert(0, chosen)
    return candidates, REGISTERED if newer else NEWEST


def _day(file: ReportFile) -> date:
    return datetime.fromtimestamp(file.mtime).date()


def _owner(file: ReportFile, orgs: Sequence[OrgRef]) -> str | None:
    """Return the organization ``file`` belongs to (``None``: it fits none).

    In this order: the name staff registered, the organization or its secretary named in
    the file name, the organization named in the report's title.
    """
    name = file.path.name
    for ref in orgs:
        if ref.registered and key_text(ref.registered) == key_text(name):
            return ref.org
    by_name = _named_in_stem(key_text(file.path.stem), orgs)
    if by_name is not None:
        return by_name
    return _named_in_title(key_text(file.title or ""), orgs)


def _named_in_stem(stem: str, orgs: Sequence[OrgRef]) -> str | None:
    """Return the organization, else the one secretary, that the file name names."""
    by_org = _longest([o for o in orgs if key_text(o.org) in stem])
    if by_org:
        return by_org.org
    by_secretary = [o for o in orgs if o.secretary and key_text(o.secretary) in stem]
    return by_secretary[0].org if len(by_secretary) == 1 else None


def _named_in_title(title: str, orgs: Sequence[OrgRef]) -> str | None:
    """Return the organization the report's title names (the longest name that fits)."""
    by_title = _longest([o for o in orgs if title and key_text(o.org) in title])
    return by_title.org if by_title else None


def _longest(refs: list[OrgRef]) -> OrgRef | None:
    # "青杠湾村" must win over a shorter "杠湾村" that happens to be inside it.
    return max(refs, key=lambda o: len(o.org), default=None)
