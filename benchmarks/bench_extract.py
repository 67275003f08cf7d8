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
"""

from __future__ import annotations

import os
import platform
import shutil
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


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    folder = Path(tempfile.mkdtemp(prefix="tongjia-bench-extract-"))
    try:
        paths = write_demo_reports(folder, count)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        for path in paths:  # warm the page cache and the imports
            extract(path)
            bare_minimum(path)
        bare = best_rate(bare_minimum, paths)
        rows = [
            ("bare minimum (unzip + parse document.xml + join w:t)", bare),
            ("`extract` (styles cached per template)", best_rate(extract_cached, paths)),
            ("`extract` (styles.xml parsed for every file)", best_rate(extract_cold, paths)),
        ]
    finally:
        shutil.rmtree(folder)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}; "
          f"{count} demo reports of {size:.0f} KB on average, one core, best of {PASSES} passes\n")
    print("| what | reports/s | ms/report | × bare minimum |")
    print("|---|---:|---:|---:|")
    for label, rate in rows:
        print(f"| {label} | {rate:,.0f} | {1000 / rate:.2f} | {bare / rate:.2f} |")


if __name__ == "__main__":
    main()
