"""The panel's buttons: each runs the action the CLI command and the Excel button run.

The six buttons of ``控制台`` are :data:`tongjia_xls.book.buttons.BUTTONS`, in the same
order and with the same captions; the panel adds 新建工作簿 and 下一年度, which the
workbook cannot offer from inside itself. Nothing here decides anything: a command turns
the page's options into the keyword arguments of one action function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongjia_xls.actions.workbook import Outcome, Progress
from tongjia_xls.book.buttons import BUTTONS
from tongjia_xls.errors import UserError

__all__ = ["COMMANDS", "Command"]

Options = Mapping[str, Any]
Run = Callable[[Path, Options, Progress], Outcome]


@dataclass(frozen=True)
class Command:
    """One button of the panel: its name in the API, its caption, and what it runs.

    ``creates`` names the option that holds the path of a workbook it makes (``None``:
    none); ``needs_workbook`` is false for the one command that needs no workbook chosen
    (新建工作簿, which runs on the path it makes); ``cli`` is the equivalent command line.
    """

    name: str
    title: str
    cli: str
    run: Run
    creates: str | None = None
    needs_workbook: bool = True


def _validate(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions import validate_workbook

    return validate_workbook(book)


def _check(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions import check_reports

    return check_reports(book, progress=progress)


def _score(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions import score_workbook

    return score_workbook(book, progress=progress)


def _rectify(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions.rectify import rectify_workbook

    return rectify_workbook(book, draft=True, progress=progress)


def _forms(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions.forms import make_forms

    return make_forms(book, progress=progress)


def _run_all(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions.forms import run_all

    return run_all(book, progress=progress)


def _init(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions import init_workbook

    return init_workbook(book, year=_year(options, required=False),
                         town=_text(options, "town"), county=_text(options, "county"))


def _rollover(book: Path, options: Options, progress: Progress) -> Outcome:
    from tongjia_xls.actions.rectify import rollover_workbook

    out = options.get("out")
    if not out:
        raise UserError("请填写下一年度工作簿的保存位置。")
    year = _year(options, required=True)
    assert year is not None
    return rollover_workbook(book, year=year, out=Path(str(out)))


_BY_ENTRY: dict[str, Run] = {
    "validate": _validate, "check_reports": _check, "score": _score,
    "rectify": _rectify, "forms": _forms, "run_all": _run_all,
}

#: Every command, by its API name; the first six are the buttons of ``控制台``.
COMMANDS: dict[str, Command] = {
    **{b.entry: Command(b.entry, b.caption, f"tongjia-xls {b.command} 工作簿.xlsx",
                        _BY_ENTRY[b.entry]) for b in BUTTONS},
    "init": Command("init", "新建工作簿", "tongjia-xls init 新工作簿.xlsx", _init,
                    creates="path", needs_workbook=False),
    "rollover": Command("rollover", "下一年度", "tongjia-xls rollover 工作簿.xlsx --year 年度 "
                        "--out 新工作簿.xlsx", _rollover, creates="out"),
}


def _year(options: Options, *, required: bool) -> int | None:
    raw = options.get("year")
    if raw in (None, ""):
        if required:
            raise UserError("请填写年度，例如 2024。")
        return None
    text = str(raw).strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise UserError(f"年度“{text}”不是一个年份，请填写四位数字，例如 2024。")
    return int(text)


def _text(options: Options, key: str) -> str | None:
    value = str(options.get(key) or "").strip()
    return value or None
