"""One demo report's voice: the serial and figures it speaks with, and what it must not say.

A report's serial (``tongjia_xls.demo.variants``) picks the alternative of every template
it says, and its ``random.Random``, seeded by the organization and the year, draws its
figures (``tongjia_xls.demo.facts``), so each run says the same. The profile decides what a
report leaves out: a missing_topic report never touches the safety 必答题, the new
secretaries of thin_problems report no research.

The planted copy lives here too: the second template_residue report of the roster lifts a
paragraph of aspect 二 from the first (:data:`COPIED_FROM`), said with the first's serial
and with its own village name and figures.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tongjia_xls.demo.facts import copied_facts, draw_facts
from tongjia_xls.demo.phrases_practices import ASPECT_BODIES, ECONOMY, PIONEERS, SAFETY
from tongjia_xls.demo.roster import (
    MISSING_TOPIC,
    TEMPLATE_RESIDUE,
    THIN_PROBLEMS,
    DemoOrg,
    demo_orgs,
)
from tongjia_xls.demo.variants import realize, serial_for

__all__ = ["COPIED_FROM", "COPIED_TEMPLATES", "Voice", "report_rng", "report_serial"]

_ROSTER_INDEX = {org.name: index for index, org in enumerate(demo_orgs())}
_RESIDUE_ORGS = [org for org in demo_orgs() if org.profile == TEMPLATE_RESIDUE]
_RESIDUE_RANK = {org.name: rank for rank, org in enumerate(_RESIDUE_ORGS)}
#: The planted copy: copier's name -> the organization whose paragraph it lifted.
COPIED_FROM: dict[str, DemoOrg] = (
    {_RESIDUE_ORGS[1].name: _RESIDUE_ORGS[0]} if len(_RESIDUE_ORGS) > 1 else {}
)
#: The copied paragraph: the 拼经济搞建设 sentence, the 党员先锋队 one and the 防风险保安全 one.
COPIED_TEMPLATES = (ECONOMY[0], ASPECT_BODIES[1][PIONEERS], SAFETY[0])


def report_serial(org: DemoOrg, year: int) -> int:
    """Return the serial that picks the alternatives of ``org``'s report of ``year``."""
    index = _ROSTER_INDEX.get(org.name)
    if index is None:
        index = zlib.crc32(org.name.encode("utf-8"))
    return serial_for(index, year)


def report_rng(org: DemoOrg, year: int) -> random.Random:
    """Return the random source of ``org``'s report of ``year``, the same on every run."""
    return random.Random(f"{org.name}/{year}")


@dataclass
class Voice:
    """One report's way of saying things: its serial, figures and what it must not say."""

    org: DemoOrg
    year: int
    serial: int
    facts: dict[str, Any]

    def allowed(self, kind: str, text: str) -> bool:
        """Return True if this report may say ``text`` (``kind``: the kind of org it fits)."""
        if kind and kind != self.org.kind:
            return False
        profile = self.org.profile
        # missing_topic reports never touch the safety 必答题, not even in passing; the new
        # secretaries of thin_problems report no research (三、7).
        if profile == MISSING_TOPIC and ("风险" in text or "安全" in text):
            return False
        return not (profile == THIN_PROBLEMS and "调研" in text)

    def say(self, template: str, kind: str = "", *, serial: int | None = None,
            facts: dict[str, Any] | None = None) -> str | None:
        """Return this report's sentence of ``template``, or None if it may not say it."""
        if kind and kind != self.org.kind:
            return None
        text = realize(template, self.serial if serial is None else serial)
        text = text.format(**(self.facts if facts is None else facts))
        return text if self.allowed("", text) else None

    def must(self, template: str) -> str:
        """Return this report's sentence of ``template``; raise if it may not say it."""
        text = self.say(template)
        if text is None:
            raise ValueError(f"{self.org.name}的报告必须有这句话，但它被排除了：{template[:20]}")
        return text

    def bank(self, bank: Sequence[tuple[str, str]], skip: Sequence[str] = ()) -> list[str]:
        """Return the sentences this report may say of a bank, leaving out ``skip``."""
        return [text for kind, template in bank if template not in skip
                and (text := self.say(template, kind)) is not None]

    def residue_aspect(self) -> int:
        """Return the aspect whose title carries 附件1's aside (template_residue only), or -1."""
        if self.org.profile != TEMPLATE_RESIDUE:
            return -1
        # 附件1's aside under aspect (一) or (四), alternating from year to year and between
        # the roster's two template_residue reports: the planted copy stays the only match.
        rank = _RESIDUE_RANK.get(self.org.name, self.serial)
        return (0, 3)[(self.year + rank) % 2]

    def copied_paragraph(self) -> list[str]:
        """Return the paragraph both template_residue reports share, or [] for the others."""
        if self.org.profile != TEMPLATE_RESIDUE:
            return []
        source = COPIED_FROM.get(self.org.name, self.org)
        serial, facts = self.serial, self.facts
        if source is not self.org:
            serial = report_serial(source, self.year)
            theirs = draw_facts(source, self.year, report_rng(source, self.year), serial)
            facts = copied_facts(self.org, self.facts, theirs)
        texts = [self.say(t, kind, serial=serial, facts=facts) for kind, t in COPIED_TEMPLATES]
        return [t for t in texts if t is not None] if all(texts) else []
