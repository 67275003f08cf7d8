"""How fast report text is extracted, against the bare minimum for the same files.

Run: ``python benchmarks/bench_extract.py [N]`` (in the project's venv; N defaults to 200).
Writes N demo reports (the demo's 21 organizations over and over, one folder per round),
then times, on one core, passes over all of them:

* the bare minimum: open the zip, read ``word/document.xml``, parse it with lxml and join
  the text of every ``w:t``;
* ``extract`` as the checker calls it: styles.xml parsed once per template (the demo's
  reports share two), the usual case of a batch written from one template;
* ``extract`` with that cache cleared before every file: every report brings its own
  styles.xml, the worst case.

Prints a Markdown table with the best of several passes. Not a pass/fail test.

``--before SRC`` measures another source tree beside this one (``git archive main | tar -x
-C /tmp/src-before``, then ``--before /tmp/src-before/src``): the script runs ``--rounds``
times (default 3) on each, alternating, on the same files, and prints the best of each row
for both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from tongjia_xls.demo.reports import write_reports
from tongjia_xls.demo.roster import demo_orgs
from tongjia_xls.word.extract import extract
from tongjia_xls.word.ooxml import clear_style_cache

W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
PASSES = 5


def bare_minimum(path: Path) -> str:
    """Unzip, parse word/document.xml and join its text: the floor for any extraction."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter(W_T))


def extract_cached(path: Path) -> object:
    return extract(path)


def extract_cold(path: Path) -> object:
    clear_style_cache()
    return extract(path)


def write_demo_reports(folder: Path, count: int) -> list[Path]:
    orgs = demo_orgs()
    paths: list[Path] = []
    round_ = 0
    while len(paths) < count:
        batch = orgs[: count - len(paths)]
        paths.extend(write_reports(batch, folder / f"round-{round_:04d}"))
        round_ += 1
    return paths


def best_rate(work: Callable[[Path], object], paths: list[Path]) -> float:
    """Return the best reports per second over several passes."""
    best = float("inf")
    for _ in range(PASSES):
        start = time.perf_counter()
        for path in paths:
            work(path)
        best = min(best, time.perf_counter() - start)
    return len(paths) / best


LABELS = (
    "bare minimum (unzip + parse document.xml + join w:t)",
    "`extract` (styles cached per template)",
    "`extract` (styles.xml parsed for every file)",
)


def measure(paths: list[Path]) -> list[tuple[str, float]]:
    """Return (row label, reports per second) for the rows of LABELS."""
    for path in paths:  # warm the page cache and the imports
        extract(path)
        bare_minimum(path)
    works = (bare_minimum, extract_cached, extract_cold)
    return [(label, best_rate(work, paths)) for label, work in zip(LABELS, works, strict=True)]


def side_by_side(before: Path, folder: Path, count: int, rounds: int) -> dict[str, list[float]]:
    """Run this script on ``before`` and on this tree in turn; return the best rates of each."""
    trees = {"before": before, "after": Path(__file__).resolve().parents[1] / "src"}
    best: dict[str, list[float]] = {}
    for turn in range(rounds):
        for name, src in trees.items():
            print(f"round {turn + 1} of {rounds}: {name} ({src}) …", file=sys.stderr)
            done = subprocess.run(
                [sys.executable, __file__, str(count), "--folder", str(folder), "--json"],
                env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True,
                check=True)
            rates = [rate for _, rate in json.loads(done.stdout.splitlines()[-1])]
            best[name] = [max(a, b) for a, b in zip(best.get(name, rates), rates, strict=True)]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=200, help="demo reports (200)")
    parser.add_argument("--folder", type=Path, help="the reports, written there if missing")
    parser.add_argument("--before", type=Path, metavar="SRC", help="also measure tree SRC")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tree with --before")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON only")
    args = parser.parse_args()
    count = args.count
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, children too
    folder = args.folder or Path(tempfile.mkdtemp(prefix="tongjia-bench-extract-"))
    try:
        paths = sorted(folder.glob("round-*/*.docx"))[:count]
        if len(paths) < count:
            paths = write_demo_reports(folder, count)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        if args.before is not None:
            best = side_by_side(args.before, folder, count, args.rounds)
        else:
            rows = measure(paths)
            if args.json:
                print(json.dumps(rows))
                return
    finally:
        if args.folder is None:
            shutil.rmtree(folder)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}; "
          f"{count} demo reports of {size:.0f} KB on average, one core, best of {PASSES} passes"
          + (f", best of {args.rounds} runs of each tree; before: {args.before}"
             if args.before is not None else "") + "\n")
    if args.before is not None:
        print("| what | before reports/s (ms) | after reports/s (ms) | before × bare "
              "| after × bare |")
        print("|---|---:|---:|---:|---:|")
        for row, label in enumerate(LABELS):
            b, a = best["before"][row], best["after"][row]
            print(f"| {label} | {b:,.0f} ({1000 / b:.2f}) | {a:,.0f} ({1000 / a:.2f}) "
                  f"| {best['before'][0] / b:.2f} | {best['after'][0] / a:.2f} |")
        return
    bare = rows[0][1]
    print("| what | reports/s | ms/report | × bare minimum |")
    print("|---|---:|---:|---:|")
    for label, rate in rows:
        print(f"| {label} | {rate:,.0f} | {1000 / rate:.2f} | {bare / rate:.2f} |")


if __name__ == "__main__":
    main()
