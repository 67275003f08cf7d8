"""What a save costs through the in-place file backend, beside openpyxl's load + save.

Run: ``python benchmarks/bench_save.py`` (in the project's venv; ``--runs N``, default 5).
Side by side in one run, on the demo workbook and on the largest files of
``../shared/corpora/xlsx-real``: (a) openpyxl ``load_workbook`` + ``save``, the way the old
file backend saved (and lost formula results, x14 formats, shapes); (b) the file backend:
open, read every sheet, write ten cells, save (lock, version check, loss guard, backup,
atomic replace); (c) of (b), the loss guard alone. Prints a Markdown table for
``docs/benchmarks.md``. Wall-clock medians; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "xlsx-real"


def _median(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _openpyxl_round_trip(source: Path, work: Path) -> None:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(source, keep_vba=source.suffix == ".xlsm")
        book.save(work / f"openpyxl{source.suffix}")


def _backend_save(source: Path, work: Path) -> None:
    from tongjia_xls.book.file_backend import FileBackend

    target = work / f"copy{source.suffix}"
    shutil.copy(source, target)
    backend = FileBackend.open(target)
    try:
        titles = [t for t in backend.sheet_titles() if backend._entry(t).kind == "worksheet"]
        grids = {t: backend.read_grid(t) for t in titles}
        first = titles[0]
        backend.write_cells(first, {(len(grids[first]) + 1 + i, 2): f"第{i}行" for i in range(10)})
        backend.save()
    finally:
        backend.close()
    shutil.rmtree(work / "备份", ignore_errors=True)


def _guard_only(source: Path, work: Path) -> Callable[[], object]:
    from tongjia_xls.book.file_backend import FileBackend
    from tongjia_xls.book.loss_guard import find_losses

    target = work / f"guard{source.suffix}"
    shutil.copy(source, target)
    backend = FileBackend.open(target)
    title = next(t for t in backend.sheet_titles() if backend._entry(t).kind == "worksheet")
    backend.write_cells(title, {(len(backend.read_grid(title)) + 1, 2): "新行"})
    new, claims = backend._build()
    old = target.read_bytes()
    backend.close()
    return lambda: find_losses(old, new, claims)


def _demo_workbook(work: Path) -> Path:
    from tongjia_xls.demo.workspace import make_demo

    result = make_demo(work / "demo")
    return Path(result.workbook)


def _unpacked_mib(path: Path) -> float:
    with zipfile.ZipFile(path) as package:
        return sum(i.file_size for i in package.infolist()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=int, default=3, help="how many of the largest files")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tongjia-bench-save-"))
    try:
        books = [("demo workbook (21 orgs)", _demo_workbook(work))]
        largest = sorted(CORPUS.glob("*.xls*"), key=_unpacked_mib, reverse=True)[: args.corpus]
        books += [(f"corpus: {p.name}", p) for p in largest]
        print(f"Python {platform.python_version()}, {platform.machine()}, {platform.system()}; "
              f"median of {args.runs} runs, seconds\n")
        print("| workbook | size (zip / unpacked) | (a) openpyxl load+save | (b) file backend "
              "open+read+write+save | (b)/(a) | (c) of which the loss guard |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, path in books:
            a = _median(lambda p=path: _openpyxl_round_trip(p, work), args.runs)
            b = _median(lambda p=path: _backend_save(p, work), args.runs)
            c = _median(_guard_only(path, work), args.runs)
            size = f"{path.stat().st_size / 1024:.0f} KiB / {_unpacked_mib(path):.1f} MiB"
            print(f"| {label} | {size} | {a:.3f} | {b:.3f} | {b / a:.2f}× | {c:.3f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
