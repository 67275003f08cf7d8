"""How long the documents of the demo take to write, and the demo itself (issue 16).

Run: ``PYTHONPATH=src python benchmarks/bench_documents.py [--runs N] [--before SRC]``
(in the project's venv). On a fresh demo workspace it times: every document of
``make_forms(pdf=False)`` (附件2, 提纲, 评价意见); the 审核意见 that ``check`` writes
(``write_feedback`` and ``write_summary`` alone, summed over the check); the 整改台账
export (``write_ledger_xlsx`` + ``write_ledger_docx``); creating the master workbook
(``new_workbook`` + save); and ``make_demo`` end to end, without LibreOffice. Best of
``--runs`` (default 3) CPU-bound wall-clock seconds.

``--before SRC`` also runs the same measurements with ``PYTHONPATH=SRC`` (another source
tree, e.g. ``git archive main | tar -x -C /tmp/src-before`` and ``--before
/tmp/src-before/src``), alternating the two so that a noisy machine treats them alike, and
prints both columns side by side as a Markdown table for ``docs/benchmarks.md``. Not a
pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEPS = (
    ("forms", "`make_forms(pdf=False)`: 附件2, 21 提纲, 21 评价意见 and the combined ones"),
    ("feedback", "`check`'s 审核意见 (21 + 汇总), writing only"),
    ("ledger", "整改台账 export (.xlsx + .docx), writing only"),
    ("workbook", "new master workbook (`new_workbook` + save)"),
    ("demo", "`make_demo` end to end (no PDFs)"),
)


@contextmanager
def _timed(module: Any, names: tuple[str, ...], spent: list[float]) -> Iterator[None]:
    """Add the time spent in ``module``'s functions ``names`` to ``spent[0]``."""
    originals = {name: getattr(module, name) for name in names}

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
        return timed

    for name, function in originals.items():
        setattr(module, name, wrap(function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def _once(work: Path) -> dict[str, float]:
    """Measure each step once in ``work``; return seconds by step."""
    from tongjia_xls.actions.check import check_reports
    from tongjia_xls.actions.forms import make_forms
    from tongjia_xls.actions.rectify import rectify_workbook
    from tongjia_xls.book.create import new_workbook
    from tongjia_xls.book.gateway import Workbook
    from tongjia_xls.demo import workspace
    from tongjia_xls.forms import feedback, ledger
    from tongjia_xls.sheets.schema import ORGS

    seconds: dict[str, float] = {}
    start = time.perf_counter()
    demo = workspace.make_demo(work / "demo")
    seconds["demo"] = time.perf_counter() - start
    book = demo.workbook

    start = time.perf_counter()
    make_forms(book, out=work / "forms", pdf=False)
    seconds["forms"] = time.perf_counter() - start

    spent = [0.0]
    with _timed(feedback, ("write_feedback", "write_summary"), spent):
        check_reports(book, feedback=work / "feedback")
    seconds["feedback"] = spent[0]

    spent = [0.0]
    with _timed(ledger, ("write_ledger_xlsx", "write_ledger_docx"), spent):
        rectify_workbook(book, today=workspace.TODAY, export=work / "ledger")
    seconds["ledger"] = spent[0]

    with Workbook.open(book, for_write=False) as opened:
        settings, _ = opened.settings()
        orgs = [dict(r.values) for r in opened.read(ORGS) if r.get("org")]
    start = time.perf_counter()
    new_workbook(settings, orgs).save(work / "new.xlsx")
    seconds["workbook"] = time.perf_counter() - start
    return seconds


def _worker(runs: int) -> None:
    best: dict[str, float] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="tongjia-docs-") as work:
            for step, value in _once(Path(work)).items():
                best[step] = min(value, best.get(step, value))
    print(json.dumps(best))


def _measure(src: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, __file__, "--worker", "--runs", str(runs)],
                          env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another source tree's src folder")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.runs)
        return
    trees = {"after": ROOT / "src"}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    best: dict[str, dict[str, float]] = {name: {} for name in trees}
    for _ in range(args.runs):  # alternate the trees, one run each, best of all
        for name, src in trees.items():
            for step, value in _measure(src, 1).items():
                best[name][step] = min(value, best[name].get(step, value))
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}, {os.cpu_count()} cores; best of {args.runs}, seconds\n")
    print("| what | " + " | ".join(trees) + " |")
    print("|---|" + "---|" * len(trees))
    for step, label in STEPS:
        print(f"| {label} | " + " | ".join(f"{best[t][step]:.2f}" for t in trees) + " |")


if __name__ == "__main__":
    main()
