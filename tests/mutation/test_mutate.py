"""The mutant generator of tests/mutation/mutate.py: which tokens it changes, and how."""

from __future__ import annotations

from mutation.mutate import Mutant, mutants

SOURCE = '''"""Docstring with < and 3 and True."""
LIMIT = 3  # a comment with > and 2


def f(words: int, flags: list[bool]) -> str:
    for flag in flags:
        if flag and words >= LIMIT:
            continue
        if words == 0 or not flag:
            break
    message = f"{words} < 2 and {LIMIT}"
    return message if True else "x"  # pragma: no mutate
'''


def test_every_operator_token_and_nothing_in_strings_or_comments() -> None:
    found = [(m.line, m.old, m.new) for m in mutants(SOURCE)]
    assert found == [
        (2, "3", "4"), (2, "3", "2"),
        (7, "and", "or"), (7, ">=", ">"),
        (8, "continue", "break"),
        (9, "==", "!="), (9, "0", "1"), (9, "0", "-1"), (9, "or", "and"),
        (10, "break", "continue"),
    ]


def test_a_mutant_replaces_its_token_only() -> None:
    (mutant,) = [m for m in mutants(SOURCE) if m.old == ">="]
    assert mutant == Mutant(7, 26, ">=", ">")
    changed = mutant.apply(SOURCE).splitlines()
    assert changed[6] == "        if flag and words > LIMIT:"
    assert [a for a, b in zip(changed, SOURCE.splitlines(), strict=True) if a != b] == [changed[6]]
