"""Which report file belongs to which organization.

Secretaries name their files as they like: ``青杠湾村述职报告.docx``, ``李德明2023述职.docx``,
``新建 Microsoft Word 文档.docx``. A file is matched by the name registered in ``述职报告``,
else by the organization's name in the file name, else by the secretary's name in it, else
by the organization's name in the report's title. Plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tongjia_xls.book.table import key_text


@dataclass(frozen=True)
class ReportFile:
    """A file in the reports folder: its path, modification time and title (if read)."""

    path: Path
    mtime: float
    title: str | None = None


@dataclass(frozen=True)
class OrgRef:
    """An organization as the roster knows it, with the file registered for it."""

    org: str
    secretary: str | None = None
    registered: str | None = None


@dataclass
class Matching:
    """The result: the file chosen per organization, and what did not fit."""

    chosen: dict[str, ReportFile] = field(default_factory=dict)
    passed_over: dict[str, list[ReportFile]] = field(default_factory=dict)  # older copies
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
        candidates = sorted(found[ref.org], key=lambda f: (f.mtime, f.path.name), reverse=True)
        registered = [f for f in candidates if ref.registered and f.path.name == ref.registered]
        if registered:  # the file staff registered wins over a newer stray copy
            candidates.remove(registered[0])
            candidates.insert(0, registered[0])
        if not candidates:
            result.missing.append(ref.org)
            continue
        result.chosen[ref.org] = candidates[0]
        if len(candidates) > 1:
            result.passed_over[ref.org] = candidates[1:]
    return result


def _owner(file: ReportFile, orgs: Sequence[OrgRef]) -> str | None:
    name = file.path.name
    for ref in orgs:
        if ref.registered and key_text(ref.registered) == key_text(name):
            return ref.org
    stem = key_text(file.path.stem)
    by_org = _longest([o for o in orgs if key_text(o.org) in stem])
    if by_org:
        return by_org.org
    by_secretary = [o for o in orgs if o.secretary and key_text(o.secretary) in stem]
    if len(by_secretary) == 1:
        return by_secretary[0].org
    title = key_text(file.title or "")
    by_title = _longest([o for o in orgs if title and key_text(o.org) in title])
    return by_title.org if by_title else None


def _longest(refs: list[OrgRef]) -> OrgRef | None:
    # "青杠湾村" must win over a shorter "杠湾村" that happens to be inside it.
    return max(refs, key=lambda o: len(o.org), default=None)
