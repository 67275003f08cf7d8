"""How quickly the tool starts and how long the demo takes, end to end.

Run: ``python benchmarks/bench_startup.py`` (in the project's venv). Prints a Markdown table
for ``docs/benchmarks.md``. Wall-clock medians of several runs; not a pass/fail test.
"""

from __future__ import annotations

import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "tongjia_xls"]


def _median_seconds(command: list[str], runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        # validate exits 1 on the demo: it holds one deliberate mistake.
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode())
    return statistics.median(times)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="tongjia-bench-"))
    try:
        bare = _median_seconds([sys.executable, "-c", "pass"], 10, work)
        help_ = _median_seconds([*CLI, "--help"], 10, work)
        demo = _median_seconds([*CLI, "demo", "demo"], 5, work)
        book = next((work / "demo").glob("*.xlsx"))
        validate = _median_seconds([*CLI, "validate", str(book)], 5, work)
        init = _median_seconds([*CLI, "init", "x.xlsx", "--force"], 5, work)
    finally:
        shutil.rmtree(work)
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}; median wall-clock seconds\n")
    print("| what | seconds |")
    print("|---|---|")
    print(f"| `python -c pass` (the floor) | {bare:.3f} |")
    print(f"| `tongjia-xls --help` | {help_:.3f} |")
    print(f"| `tongjia-xls init x.xlsx` (no roster) | {init:.3f} |")
    print(f"| `tongjia-xls validate` on the demo workbook (21 orgs) | {validate:.3f} |")
    print(f"| `tongjia-xls demo` end to end | {demo:.3f} |")


if __name__ == "__main__":
    main()
