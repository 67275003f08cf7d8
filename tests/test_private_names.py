"""No module of the package reads another library's private names, but for the few listed here.

A private attribute (``row._tr``, ``sheet._charts`` …) can change in any release of the
library that owns it. Where a library offers no public way, the read is put in one small
accessor beside its reason, and listed in ``ALLOWED``; anything else fails this test.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from helpers import private_reads

SOURCE = Path(importlib.import_module("tongjia_xls").__file__).parent  # type: ignore[arg-type]

#: (module, private name) -> why it is read.
ALLOWED = {
    ("forms/_oxml.py", "_element"): "python-docx's paragraphs, tables and rows do not "
                                    "give their element publicly (_oxml._element_of)",
    ("book/openpyxl_backend.py", "_charts"): "openpyxl has add_chart but no public way to "
                                             "list or remove charts (_charts_of)",
    ("cli_words.py", "_"): "click's gettext hook: its messages are shown in Chinese",
}
#: lxml's element class is public under this name (``lxml.etree._Element``, documented).
PUBLIC_ANYWAY = {"_Element"}


def _reads() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(SOURCE.rglob("*.py")):
        module = path.relative_to(SOURCE).as_posix()
        for _, name in private_reads(ast.parse(path.read_text(encoding="utf-8"))):
            if name not in PUBLIC_ANYWAY:
                found.add((module, name))
    return found


def test_only_the_allowed_private_reads() -> None:
    assert _reads() <= set(ALLOWED), sorted(_reads() - set(ALLOWED))


def test_every_allowed_read_is_still_there() -> None:
    # An entry the code no longer needs is taken off the list, so the list stays true.
    assert set(ALLOWED) <= _reads(), sorted(set(ALLOWED) - _reads())
