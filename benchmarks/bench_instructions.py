"""Instructions per report of the checker against the bare minimum, counted by valgrind.

Run: ``python benchmarks/bench_instructions.py [--reports N] [--folder DIR] [--before SRC]``
(in the project's venv, with ``valgrind`` and a C compiler installed). Not a pass/fail test.

A wall clock on a shared two-core machine moves by 10 % between two runs of the same code;
an instruction count does not move at all, so it tells a change of a few per cent. It is not
time: CPython's substring search runs on SIMD instructions that do 16 characters each, and
the bare minimum is C with more instructions per cycle than Python, so a ratio of counts is
smaller than the same ratio of times (see ``docs/benchmarks.md``).

Each stage runs in its own process under ``valgrind --tool=callgrind --collect-atstart=no``;
a tiny C library, compiled on the fly, switches collection on and off around the timed loop
only, so start-up, imports and the files' first reading are not counted:

a. **bare minimum**: unzip, parse ``word/document.xml`` with lxml, join every ``w:t``;
b. **extract**: ``tongjia_xls.word.extract.extract(path)``;
c. **extract + analyze**: ``analyze(extract(path), Context(settings, appointed))``.

The reports are the first N (default 100) of ``bench_check.py``'s demo reports, written into
``--folder`` (default a temporary folder) if missing; ``--corpus`` takes the project's corpus
of real reports (``tests/reports/corpus/docx``) instead. ``--before SRC`` counts another
source tree beside this one (``git archive main | tar -x -C /tmp/before`` then ``--before
/tmp/before/src``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
CORPUS = HERE.parent / "tests" / "reports" / "corpus" / "docx"
TOGGLE_C = "#include <valgrind/callgrind.h>\nvoid toggle(void) { CALLGRIND_TOGGLE_COLLECT; }\n"
STAGES = ("bare", "extract", "check")


def _child(stage: str, folder: str, count: int, library: str) -> None:
    """Run ``stage`` on the reports, counting only the loop (inside valgrind)."""
    import ctypes

    sys.path.insert(0, str(HERE))
    import bench_check as bench

    from tongjia_xls.reports.analysis import analyze
    from tongjia_xls.reports.rules import Context
    from tongjia_xls.settings import Settings
    from tongjia_xls.word.extract import extract

    toggle = ctypes.CDLL(library).toggle
    settings = Settings()
    if folder == "corpus":
        pairs = [(None, path) for path in sorted(CORPUS.glob("*.docx"))[-count:]]
    else:
        pairs = [(org.appointed, path)
                 for org, path in bench.reports_in(Path(folder), count, settings.year)]
    for appointed, path in pairs[:3]:  # caches warm, as in a batch
        analyze(extract(path), Context(settings, appointed))
    work = {
        "bare": lambda: [bench.bare_minimum(path) for _, path in pairs],
        "extract": lambda: [extract(path) for _, path in pairs],
        "check": lambda: [analyze(extract(path), Context(settings, appointed))
                          for appointed, path in pairs],
    }[stage]
    toggle()
    work()
    toggle()


def _count(stage: str, src: Path, folder: str, count: int, library: Path, out: Path) -> float:
    """Return the instructions per report of ``stage`` with the package from ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, __file__, "--child", stage, folder, str(count), str(library)],
        check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1]) / count
    raise RuntimeError(f"callgrind wrote no total to {out}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child(argv[1], argv[2], int(argv[3]), argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--folder", type=Path, help="the demo reports (kept there)")
    parser.add_argument("--corpus", action="store_true", help="the corpus of real reports")
    parser.add_argument("--before", type=Path, help="another source tree, counted beside")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind") or not shutil.which("cc"):
        sys.exit("需要 valgrind 和 C 编译器：sudo apt-get install valgrind gcc")
    with tempfile.TemporaryDirectory() as temp:
        library = Path(temp) / "libtoggle.so"
        (Path(temp) / "toggle.c").write_text(TOGGLE_C)
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(library),
                        str(Path(temp) / "toggle.c")], check=True)
        folder = "corpus" if args.corpus else str(args.folder or Path(temp) / "reports")
        if folder != "corpus":  # write the reports once, outside valgrind
            subprocess.run([sys.executable, __file__, "--child", "bare", folder,
                            str(args.reports), str(library)], check=True,
                           env={**os.environ, "PYTHONPATH": str(SRC)})
        trees = {"after": SRC, **({"before": args.before} if args.before else {})}
        rows = {name: {stage: _count(stage, src, folder, args.reports, library,
                                     Path(temp) / f"{name}.{stage}.out")
                       for stage in STAGES}
                for name, src in trees.items()}
    what = "corpus reports" if args.corpus else "demo reports"
    print(f"Instructions per report, {args.reports} {what} (M = million)\n")
    print("| tree | (a) bare minimum | (b) extract | (c) extract + analyze | (c)/(a) |")
    print("|---|---:|---:|---:|---:|")
    for name in sorted(rows, reverse=True):
        row = rows[name]
        print(f"| {name} | {row['bare'] / 1e6:.2f} M | {row['extract'] / 1e6:.2f} M | "
              f"{row['check'] / 1e6:.2f} M | {row['check'] / row['bare']:.2f}× |")


if __name__ == "__main__":
    main()
