"""Click in Simplified Chinese: help pages, usage errors, Ctrl-C, and no library warnings.

Click builds every text it shows through ``gettext`` (``_()`` and ``ngettext()`` bound in
each of its modules). :func:`install` binds those names to :data:`CATALOGUE` instead, so
click's own messages come out in Chinese however they are formatted. The classes here do
the rest: a formatter with "用法：" and Chinese section headings, Chinese placeholders
("[选项]", "总工作簿", "文件夹"), a date type whose message says which format to use, and a
group whose :meth:`ChineseGroup.main` prints usage errors error-first, says in Chinese what
an interruption means, and keeps library warnings off the console.

Only click is imported here, so ``tongjia-xls --help`` stays quick.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import click

PROG = "tongjia-xls"

#: Click's message ids (click 8.x) and their Chinese. A message missing here shows in English,
#: which ``tests/test_cli_words.py`` looks for.
CATALOGUE: dict[str, str] = {
    # formatting and help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助。",
    "Show the version and exit.": "显示版本号。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（自动）",
    "deprecated": "已停用",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "查看说明和例子：{command} {option}",
    "Aborted!": "已停止。",
    "Missing command.": "没有写要做什么。请在 tongjia-xls 后面写上命令，例如 tongjia-xls demo。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "填写的值不对：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "No such option {name!r}.": "没有“{name}”这个选项。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "Option {name!r} does not take a value.": "选项“{name}”后面不用写值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”要写 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项（{option}）的开头字符不对",
    "Value must be an iterable.": "这里要写一组值。",
    "Could not open file {filename!r}: {message}": "打不开文件“{filename}”：{message}",
    "unknown error": "原因不明",
    "{value!r} is not a valid {number_type}.": "“{value}”不是{number_type}，请填写阿拉伯数字。",
    "{value} is not in the range {range}.": "“{value}”不在允许的范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "“{value}”不是“是”或“否”，可以写：{states}",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的编号。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在，请检查名称和位置。",
    "{name} {filename!r} is a file.": "“{filename}”是一个文件，这里要写{name}。",
    "{name} {filename!r} is a directory.": "“{filename}”是一个文件夹，这里要写{name}。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”无法读取，请检查权限。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”无法写入，请检查权限。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”无法运行。",
    "Unknown standard stream '{name}'": "没有“{name}”这个标准流",
    "Windows error: {error}": "Windows 出错：{error}",
    "Do you want to continue?": "要继续吗？",
    "Confirm the action without prompting.": "不再询问，直接进行。",
    "Repeat for confirmation": "请再输入一遍确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一致。",
    "Error: invalid input": "错误：输入的内容不对",
    "Press any key to continue...": "按任意键继续……",
}

#: ``ngettext`` messages (singular, plural): Chinese has one form for both.
PLURALS: dict[tuple[str, str], str] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        "多写了内容（{args}）。文件名中有空格时，请用英文双引号把整个名称括起来。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        "是不是要写“{possibility}{possibilities}”？",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项“{name}”后面要写上值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        "“{value}”不是可选的值（{choice}{choices}）。",
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        "“{value}”的格式不对，应为 {format}。",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "要写 {nargs} 个值，写了 {len} 个。",
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        "要写 {len_type} 个值，写了 {len_value} 个。",
}

#: Chinese names of click's number types, for "“x”不是整数".
_TYPE_NAMES = {"integer": "整数", "float": "数字"}

#: Placeholders shown in usage lines and option lists, by click type name.
_METAVARS = {"integer": "数字", "float": "数字", "text": "文字", "boolean": "是或否"}
#: Placeholders of some options, by parameter name; the others are named by their type.
OPTION_NAMES = {"year": "年度", "town": "乡镇", "county": "县", "interpreter": "路径",
                "port": "端口", "idle_minutes": "分钟"}
#: Placeholders of the arguments, by parameter name (a new argument should be listed here).
ARGUMENT_NAMES = {
    "workbook": "总工作簿",
    "out": "新工作簿",
    "folder": "文件夹",
    "files": "报告文件",
    "old": "原名称",
    "new": "新名称",
}

#: Said when staff press Ctrl-C. True of every command: the workbook is replaced whole, in
#: one step, only when a save completes (``book/save.py``), and every document is written to
#: a temporary file first (``outputs.py``).
INTERRUPTED = (
    "已停止运行（按下了 Ctrl+C）。总工作簿不会只写了一半：它保持停止前最后一次保存的样子，"
    "已做完的步骤已保存，正在做的那一步没有保存；已生成的文件都是完整的。"
    "需要时重新运行刚才的命令即可。"
)
#: The exit code of a run stopped by Ctrl-C, as shells give it (128 + SIGINT).
INTERRUPTED_CODE = 130


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    chinese = PLURALS.get((singular, plural))
    if chinese is None:
        return singular if n == 1 else plural
    if "{possibility}{possibilities}" in chinese:  # only one of the two is given
        return chinese.replace("{possibility}{possibilities}",
                               "{possibility}" if n == 1 else "{possibilities}")
    if "{choice}{choices}" in chinese:
        return chinese.replace("{choice}{choices}", "{choice}" if n == 1 else "{choices}")
    if "{format}" in chinese and n != 1:
        return chinese.replace("{format}", "{formats}")
    return chinese


def fill_after(head: str, text: str, margin: str) -> str:
    """Return ``text``'s lines, the first after ``head`` and the others after ``margin``."""
    lines = text.splitlines() or [""]
    return "\n".join([head + lines[0], *(margin + line if line else "" for line in lines[1:])])


def install() -> None:
    """Bind click's ``_`` and ``ngettext`` to the Chinese catalogue (idempotent)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.termui, click.types, click.utils):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def display_width(text: str) -> int:
    """Return how many columns ``text`` takes on a console: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


#: Punctuation that never starts a line (it stays at the end of the line before).
_CLOSING = set("，。、；：？！）》」』”’】…")


def fill(text: str, width: int, first_indent: str = "", next_indent: str = "") -> str:
    """Return one paragraph wrapped to ``width`` columns, Chinese characters counted double.

    Chinese text breaks between any two characters; a run of ASCII (an option, a file name,
    a number) is kept whole; closing punctuation never starts a line (the character before
    it goes down with it).
    """
    lines: list[str] = []
    line, start = first_indent, len(first_indent)  # ``start``: where the words begin
    for token in re.findall(r"[!-~]+|\s+|.", text):
        space = token.isspace()
        if space and len(line) == start:
            continue
        if (display_width(line) + display_width(token) > width and len(line) > start
                and not space):
            carry = ""
            if token[0] in _CLOSING and len(line) > start + 1 and display_width(line[-1]) == 2:
                line, carry = line[:-1], line[-1]
            lines.append(line.rstrip())
            line, start = next_indent + carry, len(next_indent)
        line += " " if space else token
    lines.append(line.rstrip())
    return "\n".join(lines)


def wrap_paragraphs(text: str, width: int, indent: str = "") -> str:
    """Wrap ``text`` as click does (blank lines part paragraphs, a ``\\b`` line keeps a
    paragraph as written), measuring Chinese characters as two columns."""
    paragraphs: list[tuple[str, bool, list[str]]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            raw = lines[0].strip() == "\b"
            body = lines[1:] if raw else lines
            extra = " " * (len(body[0]) - len(body[0].lstrip())) if body else ""
            paragraphs.append((extra, raw, [line if raw else line.strip() for line in body]))
            lines.clear()

    for line in text.splitlines():
        if line.strip():
            lines.append(line)
        else:
            flush()
    flush()
    out = []
    for extra, raw, body in paragraphs:
        if raw:
            out.append("\n".join(indent + line if line.strip() != "\b" else ""
                                  for line in body))
        else:
            out.append(fill(" ".join(body), width, indent + extra, indent + extra))
    return "\n\n".join(out)


class ChineseFormatter(click.HelpFormatter):
    """Help pages with "用法：", full-width colons after the headings, Chinese-width wrapping."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((display_width(r[0]) for r in rows), default=0), col_max)
        first_col += col_spacing
        margin = " " * (first_col + self.current_indent)
        for first, second in rows:
            head = " " * self.current_indent + first
            if not second:
                self.write(head + "\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                head += " " * (first_col - display_width(first))
            else:
                self.write(head + "\n")
                head = margin
            text = wrap_paragraphs(second, max(self.width - len(margin), 20))
            self.write(fill_after(head, text, margin) + "\n")


class ChineseContext(click.Context):
    """A context whose help pages use :class:`ChineseFormatter`."""

    formatter_class = ChineseFormatter


class Date(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click stubs
    """A day: 2024-03-01, also 2024.3.1, 2024/3/1 and 2024年3月1日."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "日期"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        match = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?", text)
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                self.fail(f"没有“{text}”这一天，请检查月份和日期。", param, ctx)
        self.fail(f"“{text}”不是日期，请按 2024-03-01 这样的格式填写。", param, ctx)


def _chinese_placeholders(params: Sequence[click.Parameter]) -> None:
    for param in params:
        if isinstance(param.type, click.Path):
            param.type.name = ("文件夹" if not param.type.file_okay else
                               "文件" if not param.type.dir_okay else "路径")
        elif isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
            param.type.name = _TYPE_NAMES.get(param.type.name, param.type.name)
        if param.metavar is not None:
            continue
        if isinstance(param, click.Argument):
            param.metavar = ARGUMENT_NAMES.get(param.name or "")
        elif isinstance(param, click.Option) and not param.is_flag:
            if param.name in OPTION_NAMES:
                param.metavar = OPTION_NAMES[param.name]
            elif isinstance(param.type, click.Path):
                param.metavar = param.type.name
            elif isinstance(param.type, click.types.IntParamType):
                param.metavar = "数字"
            else:
                param.metavar = _METAVARS.get(param.type.name)


class _Chinese:
    """What every command shares: the context class and Chinese placeholders."""

    context_class: type[click.Context] = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        _chinese_placeholders(self.params)  # type: ignore[attr-defined]


class ChineseCommand(_Chinese, click.Command):
    """A command whose help page and messages are in Chinese."""


class ChineseGroup(_Chinese, click.Group):
    """The command group: Chinese help and errors, Ctrl-C explained, no library warnings."""

    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run the command line as click does, with what staff see in Chinese.

        Usage errors print the error first, then the usage line and how to get help (exit
        2); Ctrl-C prints :data:`INTERRUPTED` (exit 130). Warnings of the libraries below
        are not shown unless Python was started with ``-W`` (``sys.warnoptions``); the
        tool's own messages are printed, never issued as warnings.
        """
        install()
        with warnings.catch_warnings():
            if not sys.warnoptions:
                warnings.simplefilter("ignore")
            if not standalone_mode:
                return super().main(args, PROG, complete_var, False, **extra)
            code = _standalone(lambda: super(ChineseGroup, self).main(
                args, PROG, complete_var, False, **extra))
        sys.exit(code)


def _standalone(run: Any) -> int:
    """Call ``run`` (click's main, not standalone) and return the exit code to leave with."""
    try:
        returned = run()
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help())
        return 0
    except click.UsageError as error:
        show_usage_error(error)
        return error.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo(INTERRUPTED, err=True)
        return INTERRUPTED_CODE
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        # The reader went away (``tongjia-xls rules | head``): say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return returned if isinstance(returned, int) else 0


def usage_message(error: click.UsageError) -> str:
    """Return the Chinese sentence for a usage error, naming the option or argument."""
    if isinstance(error, click.BadParameter) and error.param is not None:
        name = _param_name(error.param, error.ctx)
        if isinstance(error, click.MissingParameter):
            if isinstance(error.param, click.Option):
                what = f"：{error.param.help}" if error.param.help else "。"
                return f"缺少选项“{name}”{what}"
            return f"缺少{name}：请按下面的用法，在命令后面写上。"
        return f"“{name}”的值不对：{error.message}"
    if isinstance(error, click.NoSuchOption):
        text = f"没有“{error.option_name}”这个选项。"
        if error.possibilities:
            text += "是不是要写" + "、".join(f"“{p}”" for p in error.possibilities) + "？"
        return text
    return error.format_message()


def _param_name(param: click.Parameter, ctx: click.Context | None) -> str:
    if isinstance(param, click.Option):
        return " / ".join(param.opts)
    return param.make_metavar(ctx) if ctx is not None else (param.metavar or param.name or "")


def show_usage_error(error: click.UsageError) -> None:
    """Print a usage error for staff: what is wrong, the usage line, where the help is."""
    click.secho(f"错误：{usage_message(error)}", fg="red", err=True)
    if error.ctx is not None:
        click.echo(error.ctx.get_usage(), err=True)
        click.echo(f"查看说明和例子：{error.ctx.command_path} -h", err=True)
