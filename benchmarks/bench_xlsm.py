"""What the macro workbook costs: building it, and a batch action on it against the .xlsx.

Run: ``python benchmarks/bench_xlsm.py`` (in the project's venv, with the ``xlsm`` extra).
Prints a Markdown table for ``docs/benchmarks.md``. Wall-clock medians; not a pass/fail test.
"""

from __future__ import annotations

import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_startup import CLI, _median_seconds  # same folder: run as a script


def _in_process(runs: int) -> tuple[float, float]:
    from tongjia_xls.book.vba_project import compile_project
    from tongjia_xls.book.xlsm import CONF_CODE_NAME, project_modules
    from tongjia_xls.sheets.schema import SHEETS

    modules = project_modules()
    documents = [s.code_name for s in SHEETS] + [CONF_CODE_NAME]
    compile_times = []
    for _ in range(runs):
        start = time.perf_counter()
        compile_project(modules, documents)
        compile_times.append(time.perf_counter() - start)
    size = sum(len(m.code) for m in modules)
    return statistics.median(compile_times), size / 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="tongjia-bench-xlsm-"))
    try:
        rows = []
        compile_s, kib = _in_process(3)
        rows.append((f"compile the VBA project ({kib:.0f} KiB of VBA, in process)", compile_s))
        for suffix in ("xlsx", "xlsm"):
            rows.append((f"`tongjia-xls init x.{suffix}` (no roster)",
                         _median_seconds([*CLI, "init", f"x.{suffix}", "--force"], 3, work)))
        for flag, name in (([], "xlsx"), (["--xlsm"], "xlsm")):
            folder = f"demo-{name}"
            rows.append((f"`tongjia-xls demo {' '.join(flag)}` end to end ({name})",
                         _median_seconds([*CLI, "demo", folder, *flag], 3, work)))
            book = next((work / folder).glob(f"*.{name}"))
            rows.append((f"`tongjia-xls score` on the demo .{name}",
                         _median_seconds([*CLI, "score", str(book)], 3, work)))
        print(f"Python {platform.python_version()}, {platform.machine()}, "
              f"{platform.system()}; medians\n")
        print("| what | seconds |\n|---|---:|")
        for what, seconds in rows:
            print(f"| {what} | {seconds:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
