"""Cross-sheet checks of what staff typed: plain records in, diagnostics out.

The per-cell checks (types, ranges, required cells, repeated keys) happen when a table is
read; here come the checks that need two sheets or the settings: names that are not in the
roster, organizations missing from a sheet, settings that contradict each other.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tongjia_xls.errors import Diagnostic, Severity
from tongjia_xls.settings import Settings, setting_specs
from tongjia_xls.sheets.schema import ORGS, SETTINGS
from tongjia_xls.sheets.table import Table, key_text


@dataclass
class RosterCheck:
    """What comparing a sheet with the roster found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # roster names the sheet lacks


def check_against_roster(table: Table, roster: Iterable[str], *, complete: bool) -> RosterCheck:
    """Return names in ``table`` that are not in ``roster`` and, if ``complete``, the reverse.

    ``complete`` sheets (one row per organization) must list every organization.
    """
    names = {key_text(name): name for name in roster}
    result = RosterCheck()
    if not table.usable:
        return result
    header = table.sheet.column("org").header
    seen: set[str] = set()
    for record in table:
        name = record.values.get("org")
        if name is None:
            continue
        seen.add(key_text(name))
        if key_text(name) not in names:
            close = _close_name(key_text(name), names)
            hint = f"，是否应为“{close}”" if close else ""
            result.diagnostics.append(
                Diagnostic(
                    f"“{name}”不在“{ORGS.title}”表中{hint}？名称须与“{ORGS.title}”表一字不差",
                    sheet=table.title, row=record.row, column=header,
                )
            )
    if complete:
        result.missing = [name for key, name in names.items() if key not in seen]
    return result


#: Endings every organization shares: a match on them alone ("团结社区"/"清水社区") is none.
_ORG_ENDINGS = re.compile(r"(党委|党总支|党支部|支部|委员会|村|社区|居委会)+$")


def _close_name(name: str, names: dict[str, str]) -> str | None:
    """Return the roster name ``name`` was probably meant to be, compared without endings."""
    def stem(text: str) -> str:
        return _ORG_ENDINGS.sub("", text) or text

    stems = {stem(key): key for key in names}
    close = difflib.get_close_matches(stem(name), list(stems), n=1, cutoff=0.5)
    return names[stems[close[0]]] if close else None


def orphans(table: Table, roster: Iterable[str]) -> list[int]:
    """Return the rows of ``table`` naming an organization ``roster`` does not hold."""
    known = {key_text(name) for name in roster}
    return [r.row for r in table if r.values.get("org") and key_text(r["org"]) not in known]


def check_settings(settings: Settings) -> list[Diagnostic]:
    """Return the contradictions between settings, each with what to change."""
    labels = {spec.name: spec.label for spec in setting_specs()}
    found: list[Diagnostic] = []

    def pair(low: str, high: str) -> None:
        if getattr(settings, low) > getattr(settings, high):
            found.append(
                Diagnostic(f"“{labels[low]}”大于“{labels[high]}”，请改正", sheet=SETTINGS.title)
            )

    pair("words_min", "words_max")
    pair("practices_share_min", "practices_share_max")
    pair("problems_plans_share_min", "problems_plans_share_max")
    total = sum(settings.weights)
    if abs(total - 1) > 1e-6:
        found.append(
            Diagnostic(
                f"平时考核、实地调研、现场述职三项权重之和为 {total:g}，应为 1。"
                f"请在“{SETTINGS.title}”中调整，否则无法计算综合得分",
                sheet=SETTINGS.title,
            )
        )
    scores = list(settings.grade_scores.values())
    if scores != sorted(scores, reverse=True):
        found.append(
            Diagnostic("等次分数应从“好”到“差”依次降低，请检查“好分数”至“差分数”",
                       sheet=SETTINGS.title)
        )
    town = settings.town.strip()
    if town and town not in settings.committee:
        found.append(Diagnostic(
            f"“党委名称”是“{settings.committee}”，不含本镇名称“{town}”。评议表和评价意见的"
            f"落款都用这个名称，请在“{SETTINGS.title}”表改为本镇党委的全称（例如“中共××县{town}委员会”）",
            sheet=SETTINGS.title, severity=Severity.WARNING,
        ))
    if settings.quota_low_min < 0:
        found.append(Diagnostic("“一般及差最少个数”不能为负数", sheet=SETTINGS.title))
    return found


def remarks_by_row(diagnostics: Iterable[Diagnostic], sheet_title: str | None) -> dict[int, str]:
    """Return, for each row of ``sheet_title``, its diagnostics as one 校验提示 text."""
    lines: dict[int, list[str]] = {}
    for diagnostic in diagnostics:
        if diagnostic.sheet != sheet_title or diagnostic.row is None:
            continue
        column = f"“{diagnostic.column}”：" if diagnostic.column else ""
        prefix = "" if diagnostic.severity is Severity.ERROR else f"{diagnostic.severity.label}："
        lines.setdefault(diagnostic.row, []).append(f"{prefix}{column}{diagnostic.message}")
    return {row: "；".join(texts) for row, texts in lines.items()}
