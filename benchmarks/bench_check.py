"""How fast the checker goes through 21, 1 000 and 10 000 reports, against the bare minimum.

Run: ``python benchmarks/bench_check.py [--sizes 21,1000,10000] [--folder DIR] [--profile N]``
(in the project's venv). Not a pass/fail test.

Everything runs in this one process, pinned to one core where the OS allows it
(``sched_setaffinity``): the figures are reports per second **on one core**.

The reports are the demo's own .docx files (``tongjia_xls.demo.reports.write_reports``):
first the demo roster's 21 organizations (so the size 21 is exactly the town's case of the
demo), then synthetic ones up to the largest size: distinct seeded names (three random
characters + 村; the demo draws each report's figures and wording from its name), seeded
secretaries' names, the roster's profiles in turn (mostly compliant; too short, missing a
必答题, template leftovers, thin problems) and appointment dates (two in 21 short tenures).
They are written once, into a temporary folder removed at the end (``--folder DIR`` keeps
them there and reuses them on the next run); each size takes the first N of them.

For each size, on the same files:

a. **bare minimum**: open the zip, read ``word/document.xml``, parse it with lxml, join
   the text of every ``w:t``: the floor for reading any .docx;
b. **extract**: ``tongjia_xls.word.extract.extract(path)``;
c. **extract + analyze**: the per-report checker, ``analyze(extract(path), Context(...))``
   with every rule but similarity (there is nothing to compare with yet);
d. **similarity**: ``find_similar`` over all the texts of (b) and ``summarize``, as
   ``tongjia-xls check`` calls them (this year's reports only);
e. **the whole**, in the order ``tongjia-xls check`` runs it: extract every file,
   ``find_similar`` + ``summarize``, then ``analyze`` each report with its own matches in
   its ``Context`` (so the ``similarity`` rule runs too). Workbook and 审核意见 writing are
   not included.

Best of three passes for sizes up to 1 000, a single pass above. ``--profile N`` also runs
(c) and (d) on the first N reports under cProfile and prints the top functions.

``--before SRC`` measures another source tree beside this one (e.g. main:
``git archive main | tar -x -C /tmp/src-before`` and ``--before /tmp/src-before/src``): this
script runs ``--rounds`` times (default 3) on each, alternating with ``PYTHONPATH=SRC`` and
this tree's ``src``, on the same report files, and prints the best of each cell for both side
by side, so that a noisy machine treats them alike.

``find_similar`` reports every pair of near-duplicate passages, so its output, and its time
and memory, grow with the square of the number of reports that share a sentence. Before (d)
and (e) the script counts the pairs of exact copies (a lower bound of what ``find_similar``
will report, from a cheap normalization of its own) and skips both when that exceeds
``--max-pairs`` (default 5 000 000: about 30 s and 2 GB at 1 000 demo reports), printing the
projection instead of running out of memory.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from tongjia_xls.demo.reports import report_file_name, write_reports
from tongjia_xls.demo.roster import DemoOrg, demo_orgs
from tongjia_xls.reports.analysis import Analysis, analyze
from tongjia_xls.reports.model import ReportText
from tongjia_xls.reports.rules import Context
from tongjia_xls.reports.similarity import (
    MIN_COMMON,
    STOCK_CAP,
    find_similar,
    split_passages,
    summarize,
)
from tongjia_xls.settings import Settings
from tongjia_xls.word.extract import extract

W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
SIZES = (21, 1_000, 10_000)
BEST_OF = 3  # passes for sizes up to SINGLE_PASS_ABOVE
SINGLE_PASS_ABOVE = 1_000
SEED = 20261124
MANIFEST = "orgs.tsv"  # a line per report, in order: the DemoOrg's fields, the file's name
CHUNK = 500  # reports written between progress lines
MAX_PAIRS = 5_000_000
MIN_CHARS = 30  # find_similar's default: shorter passages take no part
_NON_WORD = re.compile(r"[^\w]+|_")
_DIGITS = re.compile(r"\d+")

# Characters of real village names, three of them + 村: 43**3 = 79 507 distinct names.
NAME_CHARS = (
    "青松白金石桂柏梨双龙新红马凤柳大杏观水童南黄鹭竹堰花树园河井桥岩鞍凰田心华土家坪山溪湾"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
GIVEN = "德明玉华建国春梅志远海燕光辉秀英亮文军丽萍永强晓东美玲平红霞刚小芳胜佳怡斌桂兰学成"


# ---------------------------------------------------------------------------- the reports


def synthetic_orgs(count: int, seed: int = SEED) -> list[DemoOrg]:
    """The demo roster, then synthetic organizations with distinct names, ``count`` in all."""
    rng = random.Random(seed)
    size = len(NAME_CHARS)
    roster = demo_orgs()
    orgs = roster[:count]
    names = {org.name for org in orgs}
    numbers = iter(rng.sample(range(size**3), size**3))
    while len(orgs) < count:
        first, rest = divmod(next(numbers), size * size)
        second, third = divmod(rest, size)
        name = f"{NAME_CHARS[first]}{NAME_CHARS[second]}{NAME_CHARS[third]}村"
        if name in names:
            continue
        names.add(name)
        model = roster[len(orgs) % len(roster)]
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        orgs.append(
            DemoOrg(
                name=name,
                kind="村",
                secretary=rng.choice(SURNAMES) + given,
                area_leader=model.area_leader,
                appointed=model.appointed,
                profile=model.profile,
            )
        )
    return orgs


def _read_manifest(folder: Path) -> list[tuple[DemoOrg, Path]]:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return []
    rows = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        name, kind, secretary, leader, appointed, profile, file = line.split("\t")
        org = DemoOrg(name, kind, secretary, leader, date.fromisoformat(appointed), profile)
        rows.append((org, folder / file))
    return rows


def reports_in(folder: Path, count: int, year: int) -> list[tuple[DemoOrg, Path]]:
    """Return ``count`` (organization, report file) pairs, writing what ``folder`` lacks."""
    cached = _read_manifest(folder)
    if len(cached) >= count and all(path.is_file() for _, path in cached[:count]):
        print(f"reusing {count:,} reports in {folder}", file=sys.stderr)
        return cached[:count]
    orgs = synthetic_orgs(count)
    pairs: list[tuple[DemoOrg, Path]] = []
    start = time.perf_counter()
    for first in range(0, count, CHUNK):
        batch = orgs[first : first + CHUNK]
        pairs.extend(zip(batch, write_reports(batch, folder, year=year), strict=True))
        print(
            f"\rwriting reports: {len(pairs):,}/{count:,} ({time.perf_counter() - start:.0f} s)",
            end="",
            file=sys.stderr,
        )
    print(file=sys.stderr)
    (folder / MANIFEST).write_text(
        "".join(
            f"{o.name}\t{o.kind}\t{o.secretary}\t{o.area_leader}\t{o.appointed.isoformat()}\t"
            f"{o.profile}\t{report_file_name(o, year)}\n"
            for o, _ in pairs
        ),
        encoding="utf-8",
    )
    return pairs


# ---------------------------------------------------------------------------- the stages


def bare_minimum(path: Path) -> str:
    """Unzip, parse word/document.xml and join its text: the floor for any extraction."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter(W_T))


def stage_bare(pairs: Sequence[tuple[DemoOrg, Path]], settings: Settings) -> Any:
    return [bare_minimum(path) for _, path in pairs]


def stage_extract(pairs: Sequence[tuple[DemoOrg, Path]], settings: Settings) -> Any:
    return [extract(path) for _, path in pairs]


def stage_check(pairs: Sequence[tuple[DemoOrg, Path]], settings: Settings) -> Any:
    return [analyze(extract(path), Context(settings, org.appointed)) for org, path in pairs]


def similar(reports: Sequence[tuple[DemoOrg, ReportText]], settings: Settings) -> dict[str, Any]:
    texts = {org.name: report.text for org, report in reports}
    return summarize(find_similar(texts, threshold=settings.similarity_threshold))


def stage_whole(pairs: Sequence[tuple[DemoOrg, Path]], settings: Settings) -> list[Analysis]:
    reports = [(org, extract(path)) for org, path in pairs]
    matches = similar(reports, settings)
    return [
        analyze(report, Context(settings, org.appointed, (), tuple(matches.get(org.name, ()))))
        for org, report in reports
    ]


def projected_pairs(texts: dict[str, str]) -> int:
    """Pairs of exactly copied passages that find_similar will report, at least.

    A passage is normalized roughly as find_similar does (punctuation gone, the org's name
    and stem replaced, digits collapsed); a passage found in k reports, k at most half of
    them and under ``STOCK_CAP`` (more is stock phrasing, which find_similar leaves out),
    gives k(k-1)/2 pairs.
    """
    found: defaultdict[str, set[str]] = defaultdict(set)
    for org, text in texts.items():
        stem = org.removesuffix("村").removesuffix("社区")
        for passage in split_passages(org, text):
            plain = _NON_WORD.sub("", unicodedata.normalize("NFKC", passage.text))
            if len(plain) >= MIN_CHARS:
                key = _DIGITS.sub("0", plain.replace(org, "\ue000").replace(stem, "\ue000"))
                found[key].add(org)
    # As find_similar's _common_keys: more than half of the reports, or STOCK_CAP of them.
    need = max(MIN_COMMON, min(len(texts) // 2 + 1, STOCK_CAP))
    return sum(len(orgs) * (len(orgs) - 1) // 2 for orgs in found.values() if len(orgs) < need)


def timed(work: Callable[[], Any], passes: int) -> tuple[float, Any]:
    """Return the best wall-clock seconds of ``passes`` runs, and the last run's result."""
    best, result = float("inf"), None
    for _ in range(passes):
        result = None  # let the previous pass's objects go before timing the next
        gc.collect()
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(
    pairs: Sequence[tuple[DemoOrg, Path]], settings: Settings, max_pairs: int = MAX_PAIRS
) -> dict[str, Any]:
    n = len(pairs)
    passes = BEST_OF if n <= SINGLE_PASS_ABOVE else 1
    row: dict[str, Any] = {"n": n, "passes": passes}
    row["a"], _ = timed(lambda: stage_bare(pairs, settings), passes)
    row["b"], reports = timed(lambda: stage_extract(pairs, settings), passes)
    row["c"], analyses = timed(lambda: stage_check(pairs, settings), passes)
    read = [(org, report) for (org, _), report in zip(pairs, reports, strict=True)]
    row["chars"] = sum(len(report.text) for report in reports) / n
    row["needs_work"] = sum(a.verdict == "需修改" for a in analyses)
    row["projected"] = projected_pairs({org.name: report.text for org, report in read})
    del analyses, reports
    if row["projected"] > max_pairs:
        row["d"] = row["e"] = None
        return row
    row["d"], matches = timed(lambda: similar(read, settings), passes)
    row["matches"] = sum(len(found) for found in matches.values()) // 2
    del matches
    row["e"], whole = timed(lambda: stage_whole(pairs, settings), passes)
    row["similarity_findings"] = sum(any(f.rule == "similarity" for f in a.findings) for a in whole)
    return row


# ---------------------------------------------------------------------------- output


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{model}; running on {cores} core(s) of {os.cpu_count()}"
    )


def _cell(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} ({1000 * seconds / n:.2f})"


def print_table(rows: Sequence[dict[str, Any]]) -> None:
    print(
        "| reports | passes | (a) bare minimum | (b) extract | (c) extract + analyze "
        "| (e) whole | (c)/(a) | (e)/(a) | (d) similarity s | similar pairs "
        "| reports flagged 雷同 |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        n = r["n"]
        passes = f"best of {r['passes']}" if r["passes"] > 1 else "one"
        head = f"| {n:,} | {passes} | {_cell(n, r['a'])} | {_cell(n, r['b'])} | {_cell(n, r['c'])} "
        if r["e"] is None:
            print(
                f"{head}| skipped | {r['c'] / r['a']:.1f}× | — | skipped "
                f"| ≥ {r['projected']:,} projected | — |"
            )
        else:
            print(
                f"{head}| {_cell(n, r['e'])} | {r['c'] / r['a']:.1f}× "
                f"| {r['e'] / r['a']:.1f}× | {r['d']:.2f} | {r['matches']:,} "
                f"| {r['similarity_findings']:,} |"
            )
    print(
        "\nCells of (a), (b), (c), (e): reports per second (ms per report). Similar pairs: "
        "passage pairs find_similar reported; skipped: more than --max-pairs pairs of exact "
        "copies were projected."
    )


def side_by_side(before: Path, sizes: Sequence[int], folder: Path, rounds: int,
                 max_pairs: int) -> None:
    """Run this script on ``before`` and on this tree in turn; print the best cells of both."""
    trees = {"before": before, "after": Path(__file__).resolve().parents[1] / "src"}
    best: dict[tuple[int, str], dict[str, Any]] = {}
    for turn in range(rounds):
        for name, src in trees.items():
            print(f"round {turn + 1} of {rounds}: {name} ({src}) …", file=sys.stderr)
            command = [sys.executable, __file__, "--sizes", ",".join(map(str, sizes)),
                       "--folder", str(folder), "--max-pairs", str(max_pairs), "--json"]
            done = subprocess.run(command, env={**os.environ, "PYTHONPATH": str(src)},
                                  capture_output=True, text=True, check=True)
            for row in json.loads(done.stdout.splitlines()[-1]):
                kept = best.setdefault((row["n"], name), row)
                for cell in "abcde":
                    if row[cell] is not None and kept[cell] is not None:
                        kept[cell] = min(kept[cell], row[cell])
    print(f"{_machine()}\nbest of {rounds} runs of best of {BEST_OF} passes each; "
          f"before: {before}\n")
    print("| reports | tree | (a) bare minimum | (b) extract | (c) extract + analyze | (e) whole "
          "| (c)/(a) | (e)/(a) | (d) similarity s | similar pairs | reports flagged 雷同 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (n, name), r in sorted(best.items(), key=lambda item: (item[0][0], item[0][1] != "before")):
        head = f"| {n:,} | {name} | {_cell(n, r['a'])} | {_cell(n, r['b'])} | {_cell(n, r['c'])} "
        if r["e"] is None:
            print(f"{head}| skipped | {r['c'] / r['a']:.1f}× | — | skipped | — | — |")
        else:
            print(f"{head}| {_cell(n, r['e'])} | {r['c'] / r['a']:.1f}× | {r['e'] / r['a']:.1f}× "
                  f"| {r['d']:.2f} | {r['matches']:,} | {r['similarity_findings']:,} |")


def _profiled(label: str, work: Callable[[], Any], top: int) -> Any:
    profiler = cProfile.Profile()
    profiler.enable()
    result = work()
    profiler.disable()
    print(f"\ncProfile of {label}:\n")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return result


def profile(pairs: Sequence[tuple[DemoOrg, Path]], settings: Settings, top: int = 25) -> None:
    """Profile (c) and, unless it would be skipped, (d) on ``pairs``."""
    n = len(pairs)
    stage_check(pairs, settings)  # warm: imports, caches
    _profiled(f"(c) extract + analyze, {n:,} reports", lambda: stage_check(pairs, settings), top)
    read = [(org, extract(path)) for org, path in pairs]
    if projected_pairs({org.name: report.text for org, report in read}) <= MAX_PAIRS:
        _profiled(f"(d) similarity, {n:,} reports", lambda: similar(read, settings), top)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated numbers of reports (default: %(default)s)",
    )
    parser.add_argument(
        "--folder", type=Path, help="write the reports here and keep them (reused if already there)"
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="also profile (c) and (d) on the first N reports"
    )
    parser.add_argument(
        "--max-pairs",
        type=int,
        default=MAX_PAIRS,
        help="skip (d) and (e) when more similar pairs are projected (default: %(default)s)",
    )
    parser.add_argument(
        "--before", type=Path, metavar="SRC",
        help="also measure the source tree SRC, alternating with this one (see above)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tree with --before")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON only")
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, children too
    if args.before is not None:
        folder = args.folder or Path(tempfile.mkdtemp(prefix="tongjia-bench-check-"))
        folder.mkdir(parents=True, exist_ok=True)
        try:
            reports_in(folder, max(sizes), Settings().year)  # written once, read by both
            side_by_side(args.before, sizes, folder, args.rounds, args.max_pairs)
        finally:
            if args.folder is None:
                shutil.rmtree(folder)
        return
    settings = Settings()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="tongjia-bench-check-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        pairs = reports_in(folder, max([*sizes, args.profile or 0]), settings.year)
        kb = sum(p.stat().st_size for _, p in pairs) / len(pairs) / 1024
        for _, path in pairs:  # warm the page cache
            bare_minimum(path)
        stage_whole(pairs[:21], settings)  # warm the imports and the style cache
        rows = []
        for size in sizes:
            print(f"measuring {size:,} reports …", file=sys.stderr)
            rows.append(measure(pairs[:size], settings, args.max_pairs))
        if args.json:
            print(json.dumps(rows))
            return
        print(
            f"{_machine()}\n{len(pairs):,} demo reports written, {kb:.0f} KB and "
            f"{rows[-1]['chars']:,.0f} characters of text each on average; "
            f"best of {BEST_OF} passes up to {SINGLE_PASS_ABOVE:,} reports, one above.\n"
        )
        print_table(rows)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(f"\nPeak memory of the process: {peak:,.0f} MiB.")
        if args.profile:
            profile(pairs[: args.profile], settings)
    finally:
        if args.folder is None:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
