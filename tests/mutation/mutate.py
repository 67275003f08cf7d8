"""Operator mutants of one module, each run against a chosen subset of the tests.

Run (in the project's venv, from the repository root)::

    python tests/mutation/mutate.py src/tongjia_xls/reports/rules.py tests/reports

Not a pass/fail test. It complements ``mutmut run`` (configured in pyproject.toml), which
leaves decorated functions and module-level constants alone: every check of
:mod:`tongjia_xls.reports.rules` is a decorated function, and limits such as
``WEIGHT_TOLERANCE`` or ``DAILY_DAYS`` are constants.

The mutants, one token at a time (strings, f-strings, comments and docstrings untouched):

* comparison at the boundary: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``; ``==`` ↔ ``!=``;
* integer constants ``n`` → ``n + 1`` and ``n - 1``;
* ``continue`` ↔ ``break``; ``True`` ↔ ``False``; ``and`` ↔ ``or``.

The source tree is copied once into a temporary folder and mutated there, one mutant at a
time; the tests run with that copy first on ``PYTHONPATH``, so the working tree is never
changed, even when the run is interrupted. A line ending in ``# pragma: no mutate`` is
skipped. The unmutated copy must pass first. Each mutant is reported as killed (a test
failed), survived, or timeout (counted as killed: the mutant hangs the tests), then the
score per module and the survivors with their lines.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

_SWAPS = {
    "<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==",
    "continue": "break", "break": "continue", "True": "False", "False": "True",
    "and": "or", "or": "and",
}
_PRAGMA = "pragma: no mutate"


@dataclass(frozen=True)
class Mutant:
    """One token of the module replaced: where, what and by what."""

    line: int
    column: int
    old: str
    new: str

    def apply(self, source: str) -> str:
        """Return ``source`` with this mutant's token replaced."""
        lines = source.splitlines(keepends=True)
        text = lines[self.line - 1]
        assert text[self.column:self.column + len(self.old)] == self.old, (self, text)
        lines[self.line - 1] = text[:self.column] + self.new + text[self.column + len(self.old):]
        return "".join(lines)


def mutants(source: str) -> Iterator[Mutant]:
    """Yield every mutant of ``source``, in the order of the text."""
    skipped = {number for number, line in enumerate(source.splitlines(), 1) if _PRAGMA in line}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        line, column = token.start
        if line in skipped:
            continue
        if token.type in (tokenize.OP, tokenize.NAME) and token.string in _SWAPS:
            yield Mutant(line, column, token.string, _SWAPS[token.string])
        elif token.type == tokenize.NUMBER and _is_int(token.string):
            value = int(token.string, 0)
            yield Mutant(line, column, token.string, str(value + 1))
            yield Mutant(line, column, token.string, str(value - 1))


def _is_int(text: str) -> bool:
    try:
        int(text, 0)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Outcome:
    """What the tests said of one mutant."""

    mutant: Mutant
    verdict: str  # "killed", "survived" or "timeout"
    seconds: float


def run_tests(src: Path, tests: Sequence[str], timeout: float) -> tuple[bool, float]:
    """Return whether the tests passed with ``src`` first on the path, and how long they took."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    start = time.monotonic()
    try:
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False, timeout
    return done.returncode == 0, time.monotonic() - start


def mutate_module(module: Path, tests: Sequence[str], *, limit: int | None = None,
                  lines: frozenset[int] = frozenset()) -> list[Outcome]:
    """Return the outcome of every mutant of ``module`` (a path under ``src/``).

    ``lines``, if given, keeps only the mutants on those lines (to re-run survivors).
    """
    root = Path.cwd()
    relative = module.resolve().relative_to((root / "src").resolve())
    with tempfile.TemporaryDirectory(prefix="tongjia-mutate-") as work:
        src = Path(work) / "src"
        shutil.copytree(root / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        target = src / relative
        original = target.read_text(encoding="utf-8")
        passed, baseline = run_tests(src, tests, timeout=900)
        if not passed:
            raise SystemExit(f"the tests fail without any mutant: {' '.join(tests)}")
        timeout = baseline * 5 + 10
        print(f"{relative}: baseline {baseline:.1f} s", flush=True)
        outcomes = []
        chosen = [m for m in mutants(original) if not lines or m.line in lines]
        for number, mutant in enumerate(chosen, 1):
            if limit is not None and number > limit:
                break
            target.write_text(mutant.apply(original), encoding="utf-8")
            passed, seconds = run_tests(src, tests, timeout)
            verdict = "survived" if passed else ("timeout" if seconds >= timeout else "killed")
            outcomes.append(Outcome(mutant, verdict, seconds))
            print(f"  {verdict:8} {mutant.line}:{mutant.column} {mutant.old} -> {mutant.new}",
                  flush=True)
        target.write_text(original, encoding="utf-8")
        return outcomes


def report(module: Path, outcomes: Sequence[Outcome]) -> str:
    """Return the score and the survivors, with their source lines, as text."""
    lines = module.read_text(encoding="utf-8").splitlines()
    survivors = [o for o in outcomes if o.verdict == "survived"]
    killed = len(outcomes) - len(survivors)
    score = killed / len(outcomes) if outcomes else 1.0
    text = [f"{module}: {killed}/{len(outcomes)} killed ({score:.1%}), "
            f"{len(survivors)} survived"]
    for o in survivors:
        m = o.mutant
        text.append(f"  {m.line}: {m.old} -> {m.new}    {lines[m.line - 1].strip()}")
    return "\n".join(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mutants of one module against the tests given; print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", type=Path, help="the module to mutate, e.g. src/.../rules.py")
    parser.add_argument("tests", nargs="+", help="test files or folders (pytest arguments)")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--limit", type=int, help="run only the first N mutants")
    parser.add_argument("--lines", default="",
                        help="only the mutants on these lines, e.g. 108,116 (survivors)")
    args = parser.parse_args(argv)
    if args.list:
        for m in mutants(args.module.read_text(encoding="utf-8")):
            print(f"{m.line}:{m.column} {m.old} -> {m.new}")
        return 0
    lines = frozenset(int(n) for n in args.lines.split(",") if n.strip())
    outcomes = mutate_module(args.module, args.tests, limit=args.limit, lines=lines)
    print(report(args.module, outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
