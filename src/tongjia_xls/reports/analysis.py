"""One report, analysed: its measures and findings, and how they are shown.

:func:`analyze` is the checker's one entry point for a report that has been read
(:func:`tongjia_xls.word.extract.analyze_file` reads a file first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tongjia_xls.errors import Severity
from tongjia_xls.reports.measure import Measures, measure
from tongjia_xls.reports.model import ReportText
from tongjia_xls.reports.rules import Context, Finding, run_rules
from tongjia_xls.reports.structure import PART_KEYS, PLANS, PRACTICES, PROBLEMS

PASSED = "合格"
NEEDS_WORK = "需修改"
UNREADABLE = "无法读取"
#: The 检查结论 of an organization whose report has not come in.
NOT_RECEIVED = "未收到"


@dataclass
class Analysis:
    """The checker's verdict on one file; ``error`` is set when it could not be read."""

    file: str
    measures: Measures | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    report: ReportText | None = None

    @property
    def verdict(self) -> str:
        """Return 合格 when no finding is an error, else 需修改 (or 无法读取)."""
        if self.error:
            return UNREADABLE
        return NEEDS_WORK if any(f.severity is Severity.ERROR for f in self.findings) else PASSED

    def as_json(self) -> dict[str, Any]:
        """Return the analysis as ``tongjia-xls analyze --json`` prints it."""
        m = self.measures
        return {
            "file": self.file,
            "error": self.error,
            "words": m.words if m else None,
            "words_wps": m.words_wps if m else None,
            "parts": dict(m.parts) if m else {k: None for k in PART_KEYS},
            "data_points": len(m.data_points) if m else None,
            "topics": {t: bool(found) for t, found in m.topics.items()} if m else None,
            "topic_levels": dict(m.topic_levels) if m else None,
            "problems_listed": len(m.problems) if m else None,
            "plans_listed": len(m.plans) if m else None,
            "causes_listed": len(m.cause_items) if m else None,
            "problem_items": [i.text for i in m.problems] if m else [],
            "cause_items": [i.text for i in m.cause_items] if m else [],
            "plan_items": [i.text for i in m.plans] if m else [],
            "findings": [f.as_json() for f in self.findings],
            "verdict": self.verdict,
            "title": m.structure.title if m else None,
            "data_point_examples": m.data_points if m else [],
            "aspects": {a: bool(found) for a, found in m.aspects.items()} if m else None,
        }

    def shares(self) -> dict[str, float | None]:
        """Return each part's share of the three parts' 字数."""
        m = self.measures
        if m is None:
            return dict.fromkeys(PART_KEYS)
        return {PRACTICES: m.share(PRACTICES), PROBLEMS: m.share(PROBLEMS), PLANS: m.share(PLANS)}


def analyze(report: ReportText, context: Context | None = None) -> Analysis:
    """Return the measures and findings of ``report`` under ``context``."""
    context = context or Context()
    measures = measure(report, context.settings)
    return Analysis(str(report.source), measures, run_rules(measures, context), report=report)
