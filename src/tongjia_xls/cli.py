"""The command line: one command per action, each a thin call into :mod:`tongjia_xls.actions`.

Heavy libraries (openpyxl, pandas, python-docx) are imported inside the commands, so that
``tongjia-xls --help`` answers at once.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tongjia_xls import __version__
from tongjia_xls.cli_words import ChineseGroup, Date
from tongjia_xls.cli_words import display_width as _width
from tongjia_xls.errors import Diagnostic, Severity, UserError

if TYPE_CHECKING:
    from tongjia_xls.actions import Outcome

#: How many diagnostics are printed before the rest are only counted.
SHOWN = 30


#: The master workbook, first argument of most commands.
_workbook = click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
_reports = click.option(
    "--reports", type=click.Path(file_okay=False, path_type=Path),
    help="述职报告所在文件夹，默认为总工作簿旁边的“述职报告”文件夹。",
)


class _Group(ChineseGroup):
    """A group that turns a :class:`UserError` into a message and exit code 2.

    Its help pages, click's usage errors and Ctrl-C are in Chinese (:mod:`cli_words`).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            click.secho(f"错误：{error}", fg="red", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tongjia-xls",
                      message="%(prog)s 版本 %(version)s", help="显示版本号。")
def main() -> None:
    """村（社区）党组织书记抓党建述职评议考核工具。

    \b
    先试一试：  tongjia-xls demo
    新建工作簿：tongjia-xls init 童家镇2023年度述职评议考核.xlsx --roster 组织名单.csv
    检查工作簿：tongjia-xls validate 童家镇2023年度述职评议考核.xlsx
    """
    _utf8_console()


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="年度，默认 2023。")
@click.option("--town", help="乡镇名称，默认 童家镇。")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path),
              help="党组织名单（.csv 或 .xlsx），表头为“组织”表的列名，可只有其中几列。")
@click.option("--force", is_flag=True, help="新工作簿已存在时重建（原文件先备份到“备份”文件夹）。")
@click.option("--interpreter",
              help="仅 .xlsm：按钮使用的 Python 完整路径，默认为当前这个 Python（Windows）。")
def init(out: Path, year: int | None, town: str | None, roster: Path | None, force: bool,
         interpreter: str | None) -> None:
    """新建总工作簿：.xlsx 为普通工作簿，.xlsm 为“控制台”上带操作按钮的工作簿。

    \b
    例：tongjia-xls init 童家镇2023年度述职评议考核.xlsx --year 2023 --roster 组织名单.csv
    例：tongjia-xls init 童家镇2023年度述职评议考核.xlsm --roster 组织名单.csv
    """
    from tongjia_xls.actions import init_workbook

    outcome = init_workbook(out, year=year, town=town, roster=roster, force=force,
                            interpreter=interpreter)
    click.echo(f"已新建工作簿：{out}")
    if out.suffix.lower() == ".xlsm":
        click.echo("打开时请点“启用内容”（启用宏），再点“控制台”上的按钮；"
                   "按钮需要 Excel（WPS 请用命令行）。")
    _report(outcome)


@main.command()
@_workbook
@click.option("--interpreter",
              help="按钮使用的 Python 完整路径；不填时沿用“xlwings.conf”表里的设置。")
def buttons(workbook: Path, interpreter: str | None) -> None:
    """给总工作簿装上按钮，或更新按钮。

    \b
    .xlsx：在旁边另存一份同名的 .xlsm（内容完全相同，“控制台”上多了按钮），
           原文件不动。
    .xlsm：按本机安装的 xlwings 重新生成宏、重画按钮（先备份）。
    换了电脑、重装或升级了 Python / xlwings、按钮提示版本不一致时运行。
    \b
    例：tongjia-xls buttons 童家镇2023年度述职评议考核.xlsx
        tongjia-xls buttons 童家镇2023年度述职评议考核.xlsm --interpreter C:\\Python311\\pythonw.exe
    """
    from tongjia_xls.actions.workbook import add_buttons

    outcome = add_buttons(workbook, interpreter=interpreter)
    click.echo(f"按钮已就绪：{outcome.outputs[-1]}")
    _report(outcome)


@main.command()
@_workbook
def validate(workbook: Path) -> None:
    """检查总工作簿中填写的内容，把问题写入各表“校验提示”列和“控制台”。

    \b
    例：tongjia-xls validate 童家镇2023年度述职评议考核.xlsx
    """
    from tongjia_xls.actions import validate_workbook

    outcome = validate_workbook(workbook)
    _report(outcome)
    if outcome.count(Severity.ERROR):
        sys.exit(1)


@main.command()
@click.argument("folder", required=False, default="tongjia-demo",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--xlsm", is_flag=True, help="总工作簿做成带按钮的 .xlsm（需要 Excel 才能点按钮）。")
def demo(folder: Path, xlsm: bool) -> None:
    """生成一套演示材料（21个虚构的村、社区）并把每一步跑一遍。

    \b
    例：tongjia-xls demo            （写入当前目录下的 tongjia-demo 文件夹）
        tongjia-xls demo D:\\演示
        tongjia-xls demo --xlsm     （总工作簿带按钮，可在 Excel 中点按钮试用）
    """
    from tongjia_xls.demo.workspace import make_demo

    click.echo(f"正在生成演示材料：{folder.resolve()}")
    result = make_demo(folder, macro=xlsm, progress=_progress_printer())
    _steps_report(result.steps, limit=8)
    click.secho("\n演示完成，输出位置：", bold=True)
    click.echo(f"  总工作簿：  {result.workbook.resolve()}")
    click.echo(f"  述职报告：  {result.reports[0].parent.resolve()}（{len(result.reports)} 份）")
    click.echo(f"  审核意见：  {(result.folder / '审核意见').resolve()}")
    click.echo(f"  整改台账：  {(result.folder / '整改台账').resolve()}")
    forms = (result.folder / "打印材料").resolve()
    click.echo(f"  打印材料：  {forms}（附件2、附件1提纲、评价意见）")
    click.echo(f"  组织名单：  {result.roster.resolve()}")
    click.echo("用 Excel 或 WPS 打开总工作簿，先看“控制台”。“评分”表里故意填错了一处（九十），"
               "可以看到“校验提示”列是怎样提示的。")
    if xlsm:
        click.echo("这是带按钮的 .xlsm：用 Excel 打开后点“启用内容”，再点“控制台”第3行的按钮。"
                   "按钮使用的 Python 写在“xlwings.conf”表的 B1 格。")


@main.command()
@_workbook
@_reports
@click.option("--feedback", type=click.Path(file_okay=False, path_type=Path),
              help="审核意见的输出文件夹，默认为总工作簿旁边的“审核意见”文件夹。")
def check(workbook: Path, reports: Path | None, feedback: Path | None) -> None:
    """检查全部述职报告，结果写入“述职报告”表，并为每份报告生成审核意见。

    \b
    例：tongjia-xls check 童家镇2023年度述职评议考核.xlsx
        tongjia-xls check 总表.xlsx --reports D:\\收到的报告
    """
    from tongjia_xls.actions import check_reports

    outcome = check_reports(workbook, reports=reports, feedback=feedback,
                            progress=_progress_printer())
    _report(outcome)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（每个文件一个对象）。")
@click.option("--workbook", type=click.Path(dir_okay=False, path_type=Path),
              help="按该总工作簿“设置”表中的阈值检查（默认按通知的要求）。")
def analyze(files: tuple[Path, ...], as_json: bool, workbook: Path | None) -> None:
    """检查一个或几个述职报告文件，不写入任何工作簿。

    \b
    例：tongjia-xls analyze 青杠湾村述职报告.docx
        tongjia-xls analyze 述职报告/*.docx --json > 结果.json
    """
    import json

    from tongjia_xls.actions import analyze_files

    settings = None
    if workbook is not None:
        from tongjia_xls.book.gateway import Workbook

        settings, _ = Workbook.open(workbook, for_write=False).settings()
    results = analyze_files(files, settings=settings)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for result in results:
            _print_analysis(result)
    if any(r.error for r in results):
        sys.exit(2)


def _print_analysis(result: Any) -> None:
    click.secho(f"\n{result.file}", bold=True)
    if result.error:
        click.secho(f"  无法读取：{result.error}", fg="red")
        return
    data = result.as_json()
    parts = data["parts"]
    click.echo(f"  字数 {data['words']}；做法成效 {parts['practices']}、"
               f"问题原因 {parts['problems']}、工作打算 {parts['plans']}；"
               f"数据 {data['data_points']} 个；问题 {data['problems_listed']} 条、"
               f"打算 {data['plans_listed']} 条；结论：{result.verdict}")
    for finding in result.findings:
        colour = {"error": "red", "warning": "yellow"}.get(finding.severity.value)
        label = finding.severity.label
        click.secho(f"  【{label}】{finding.message}（{finding.clause}）", fg=colour)


@main.command()
@_workbook
def score(workbook: Path) -> None:
    """汇总测评票，计算综合得分、排名和建议等次，核对比例要求，起草评价意见，更新“统计”表。

    \b
    例：tongjia-xls score 童家镇2023年度述职评议考核.xlsx
    不会改动“确定等次”；修改过的评价意见也不会被覆盖。
    """
    from tongjia_xls.actions import score_workbook

    outcome = score_workbook(workbook, progress=_progress_printer())
    _report(outcome)


@main.command()
@_workbook
@click.option("--today", type=Date(),
              help="按这一天计算剩余天数和是否逾期，格式 2024-03-01；默认今天。")
@click.option("--draft", is_flag=True,
              help="从述职报告“存在问题”部分逐条起草整改事项（重复运行不会重复添加）。")
@click.option("--reports", type=click.Path(file_okay=False, path_type=Path),
              help="起草时读取的述职报告文件夹，默认为总工作簿旁边的“述职报告”。")
@click.option("--import", "import_dir", type=click.Path(file_okay=False, path_type=Path),
              help="导入各党组织报回的整改方案（.docx 或 .xlsx）所在的文件夹。")
@click.option("--export", type=click.Path(file_okay=False, path_type=Path),
              help="把整改台账导出为 .xlsx 和 .docx（按党组织、按状态排列）到此文件夹。")
def rectify(workbook: Path, today: Any, draft: bool, reports: Path | None,
            import_dir: Path | None, export: Path | None) -> None:
    """更新整改台账：计算剩余天数、标出逾期，可起草、导入、导出整改事项。

    \b
    例：tongjia-xls rectify 总表.xlsx
        tongjia-xls rectify 总表.xlsx --draft
        tongjia-xls rectify 总表.xlsx --import 整改方案 --export 台账 --today 2024-03-01
    """
    from tongjia_xls.actions.rectify import rectify_workbook

    outcome = rectify_workbook(workbook, today=today, draft=draft,
                               reports=reports, import_dir=import_dir, export=export,
                               progress=_progress_printer())
    if draft:
        click.echo(f"新起草整改事项 {outcome.drafted} 项（请在“整改”表中确认、补充责任人和时限）。")
    if import_dir is not None:
        click.echo(f"导入整改事项 {outcome.imported} 项。")
    click.secho(outcome.summary, bold=True)
    for path in outcome.outputs:
        click.echo(f"已导出：{path}")
    _report(outcome)


@main.command()
@_workbook
@click.option("--year", type=int, required=True, help="新年度，例如 2024。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="新工作簿的文件名（.xlsx，或带按钮的 .xlsm），建议放在新的文件夹中。")
def rollover(workbook: Path, year: int, out: Path) -> None:
    """生成下一年度的总工作簿：沿用名单和设置，转入未完成的整改事项；原工作簿不改动。

    \b
    例：tongjia-xls rollover 2023/童家镇2023年度述职评议考核.xlsx --year 2024 \\
            --out 2024/童家镇2024年度述职评议考核.xlsx
    """
    from tongjia_xls.actions.rectify import rollover_workbook

    outcome = rollover_workbook(workbook, year=year, out=out)
    for diagnostic in outcome.diagnostics:
        if diagnostic.severity is Severity.INFO:
            click.echo(diagnostic.message)
    _report(outcome)


@main.command()
@_workbook
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹，默认为总工作簿旁边的“打印材料”。")
@click.option("--blank", is_flag=True, help="空白述职评议表（附件2），发给评议人。")
@click.option("--copies", type=int, default=1, show_default=True, help="空白评议表的份数。")
@click.option("--result", is_flag=True, help="评议结果表（按确定等次，未确定的按建议等次打√）。")
@click.option("--outline", is_flag=True, help="各党组织的述职报告提纲（附件1）。")
@click.option("--opinions", is_flag=True, help="各书记的综合评价意见及汇编。")
def forms(workbook: Path, out: Path | None, blank: bool, copies: int, result: bool,
          outline: bool, opinions: bool) -> None:
    """生成打印材料（Word、Excel，装有 LibreOffice 时另存 PDF）；不加选项时全部生成。

    \b
    例：tongjia-xls forms 总表.xlsx
        tongjia-xls forms 总表.xlsx --blank --copies 35
    """
    from tongjia_xls.actions.forms import make_forms

    outcome = make_forms(workbook, out=out, blank=blank, copies=copies, result=result,
                         outline=outline, opinions=opinions, progress=_progress_printer())
    _report(outcome)


@main.command()
@_workbook
@_reports
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="打印材料的输出文件夹，默认为总工作簿旁边的“打印材料”。")
def run(workbook: Path, reports: Path | None, out: Path | None) -> None:
    """按流程一次做完：检查述职报告 → 计算得分与等次 → 更新整改台账 → 生成打印材料。

    \b
    例：tongjia-xls run 童家镇2023年度述职评议考核.xlsx
    某一步无法进行时在该步停下，并说明原因；之前各步的结果已保存。
    """
    from tongjia_xls.actions.forms import run_all

    outcome = run_all(workbook, reports=reports, out=out, progress=_progress_printer())
    _steps_report(outcome.steps, lines=outcome.lines)
    saved = [step for _, step in outcome.steps if step.saved]
    if saved:
        backup = next((step.backup for step in saved if step.backup), None)
        kept = f"（运行前的版本已备份到 {backup}）" if backup else ""
        click.echo(f"已保存 {outcome.workbook}{kept}")
    if outcome.outputs:
        click.echo(_made(outcome.outputs))
    if outcome.stopped:
        click.secho(f"已停止：{outcome.stopped}", fg="red", err=True)
        sys.exit(2)


_markdown = click.option("--markdown", is_flag=True,
                         help="输出 Markdown 表格（用于更新 README），默认输出对齐的文字。")


@main.command()
@_markdown
def rules(markdown: bool) -> None:
    """列出述职报告的各项检查、出处和编号（可在“设置”的“停用的检查项”中停用）。

    \b
    例：tongjia-xls rules
        tongjia-xls rules --markdown
    """
    from tongjia_xls.reports.rules import RULES, rules_markdown

    if markdown:
        click.echo(rules_markdown())
        return
    rows = [(r.name, r.clause, r.id, r.what) for r in RULES.values()]
    click.echo(_aligned([("检查项", "出处", "编号", "检查什么"), *rows]))
    click.echo("\n要停用某项检查，把检查项的名称（例如 字数）填入“设置”表的“停用的检查项”，"
               "几项之间用顿号分隔。")


@main.command()
@_markdown
def sheets(markdown: bool) -> None:
    """列出总工作簿的各个工作表，以及每一列由谁填写。

    \b
    例：tongjia-xls sheets
        tongjia-xls sheets --markdown
    """
    from tongjia_xls.book.schema import BALLOT_DETAILS, sheet_docs, sheet_table_markdown

    if markdown:
        click.echo(sheet_table_markdown())
        return
    docs = sheet_docs()
    width = max(_width(doc.title) for doc in docs) + 2
    for doc in docs:
        staff = "、".join(doc.staff) or "—"
        if doc.title == BALLOT_DETAILS.title:
            staff += "、各党组织一列"
        click.echo(_pad(doc.title, width) + doc.purpose)
        click.echo(" " * width + "由您填写：" + staff)
        click.echo(" " * width + "由工具填写：" + ("、".join(doc.tool) or "（整表由工具生成）"))


def _report(outcome: Outcome, *, limit: int = SHOWN) -> None:
    from tongjia_xls.actions import CheckOutcome, ScoreOutcome

    if isinstance(outcome, CheckOutcome):
        _check_summary(outcome)
    if isinstance(outcome, ScoreOutcome):
        _score_summary(outcome)
    found = _fresh(outcome.diagnostics, set())
    _diagnostics(found, limit)
    _dashboard(outcome.lines, listed=bool(found))
    if not outcome.lines and outcome.outputs:  # documents only: the workbook was just read
        click.echo(_made(outcome.outputs))
    elif outcome.saved and outcome.workbook:
        backup = f"（上一版本已备份到 {outcome.backup}）" if outcome.backup else ""
        click.echo(f"已保存 {outcome.workbook}{backup}")
    elif outcome.workbook:
        click.echo("没有需要更新的内容，工作簿未改动。")


def _fresh(diagnostics: list[Diagnostic], seen: set[str]) -> list[Diagnostic]:
    """Return the problems (not notes) not in ``seen``, each once; add them to ``seen``."""
    fresh = []
    for diagnostic in diagnostics:
        text = str(diagnostic)
        if diagnostic.severity is not Severity.INFO and text not in seen:
            seen.add(text)
            fresh.append(diagnostic)
    return fresh


def _diagnostics(found: list[Diagnostic], limit: int = SHOWN) -> None:
    for diagnostic in found[:limit]:
        colour = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        click.secho(str(diagnostic), fg=colour)
    if len(found) > limit:
        click.echo(f"……另有 {len(found) - limit} 条，见各表的“校验提示”列。")


def _made(outputs: list[Path]) -> str:
    folders = sorted({p.parent for p in outputs})
    return f"已生成 {len(outputs)} 个文件，在：" + "；".join(map(str, folders))


def _steps_report(steps: list[tuple[str, Outcome]], *, lines: Sequence[Any] | None = None,
                  limit: int = SHOWN) -> None:
    """Print each step's result on one line, then every problem once, then 控制台 once.

    Each action checks the whole workbook again, so a problem of the workbook comes back
    in every step's outcome: it is printed (and counted) with the step that first found it.
    """
    seen: set[str] = set()
    found: list[Diagnostic] = []
    for title, outcome in steps:
        fresh = _fresh(outcome.diagnostics, seen)
        found += fresh
        click.echo(_step_line(title, outcome, fresh))
    if found:
        errors = sum(d.severity is Severity.ERROR for d in found)
        click.secho(f"\n需要处理的问题（{errors} 处错误、{len(found) - errors} 处提醒）：",
                    bold=True)
        _diagnostics(found, limit)
    if lines is None:
        lines = next((o.lines for _, o in reversed(steps) if o.lines), [])
    if lines:
        click.secho("\n控制台（工作簿第一张表）：", bold=True)
        _dashboard(lines, listed=bool(found))


def _dashboard(lines: Sequence[Any], *, listed: bool) -> None:
    """Print the 控制台 lines; with the problems ``listed`` above, not the first one again."""
    from tongjia_xls.dashboard import STAGE_VALIDATION

    for line in lines:
        next_step = line.next_step
        if listed and line.stage == STAGE_VALIDATION and "首个问题" in next_step:
            next_step = "按上面列出的问题改正（各表“校验提示”列也写着），然后重新运行"
        click.echo(f"  {line.stage}：{line.status}。下一步：{next_step}")


def _step_line(title: str, outcome: Outcome, fresh: list[Diagnostic]) -> str:
    """Return "✓ 步骤：结果" for a clean step, "！步骤：结果" for one that found problems."""
    from tongjia_xls.actions import CheckOutcome, ScoreOutcome
    from tongjia_xls.actions.forms import FormsOutcome
    from tongjia_xls.actions.rectify import RectifyOutcome
    from tongjia_xls.reports.analysis import PASSED

    facts, clean = [], True
    if isinstance(outcome, CheckOutcome):
        verdicts = _verdicts(outcome)
        missing = len(outcome.matching.missing) if outcome.matching else 0
        facts.append(f"检查了 {len(outcome.analyses)} 份报告，"
                     + "、".join(f"{v} {n} 份" for v, n in verdicts.items()))
        if missing:
            facts.append(f"未收到 {missing} 个党组织的报告")
        clean = sum(verdicts.values()) == verdicts.get(PASSED, 0) and not missing
    elif isinstance(outcome, ScoreOutcome):
        from tongjia_xls.scoring import GRADES

        proposed = [row["proposed"] for row in outcome.rows]
        facts.append("建议等次 " + "、".join(f"{g} {proposed.count(g)} 个" for g in GRADES))
        lacking = sum(row["composite"] is None for row in outcome.rows)
        ties = sum(bool(row["tie"]) for row in outcome.rows)
        if lacking:
            facts.append(f"{lacking} 个党组织缺少综合得分")
        if ties:
            facts.append(f"{ties} 个党组织并列待定")
        clean = not (lacking or ties or outcome.flags)
    elif isinstance(outcome, RectifyOutcome) and outcome.summary:
        facts.append(outcome.summary)
        clean = not outcome.overdue
    elif isinstance(outcome, FormsOutcome):
        facts.append(f"生成 {len(outcome.outputs)} 个文件")
    errors = sum(d.severity is Severity.ERROR for d in fresh)
    counts = [f"{n} 处{what}" for n, what in ((errors, "错误"), (len(fresh) - errors, "提醒"))
              if n]
    if counts:
        facts.append("、".join(counts) + "（见下）")
    elif not facts:
        facts.append("未发现问题")
    mark = "✓ " if clean and not fresh else "！"
    return f"{mark}{title}：" + "；".join(facts)


def _verdicts(outcome: Any) -> dict[str, int]:
    """Return how many reports have each verdict (合格 first, then 需修改, 无法读取)."""
    from tongjia_xls.reports.analysis import NEEDS_WORK, PASSED

    counts = dict.fromkeys((PASSED, NEEDS_WORK), 0)  # 无法读取 only when there is one
    for analysis in outcome.analyses.values():
        counts[analysis.verdict] = counts.get(analysis.verdict, 0) + 1
    return counts


def _pad(text: Any, width: int) -> str:
    text = str(text)
    return text + " " * max(width - _width(text), 1)


def _cells(*pairs: tuple[Any, int]) -> str:
    """Return the texts padded to display widths: a Chinese character takes two columns."""
    return "".join(_pad(text, width) for text, width in pairs)


def _aligned(rows: Sequence[Sequence[Any]]) -> str:
    """Return ``rows`` as plain text in aligned columns; the last column is not padded."""
    widths = [max(_width(str(row[i])) for row in rows) + 2 for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False)) + str(row[-1])
        for row in rows
    )


def _score_summary(outcome: Any) -> None:
    widths = (14, 10, 8, 10, 10)
    click.echo(_cells(*zip(("党组织", "综合得分", "排名", "建议等次", "确定等次"), widths,
                           strict=True)))
    for row in outcome.rows:
        score = "—" if row["composite"] is None else f"{row['composite']:.2f}"
        tie = "并列待定" if row["tie"] else ""
        values = (row["org"], score, row["rank"] or "—", row["proposed"] or "—",
                  row["final"] or "—")
        click.echo(_cells(*zip(values, widths, strict=True)) + tie)
    click.secho(f"建议等次：{outcome.quota}", bold=True)
    click.secho(f"确定等次：{outcome.final}", bold=True)
    if outcome.flags:
        click.echo(f"测评票明细中有 {len({f.number for f in outcome.flags})} 张票有问题，"
                   "见“测评票明细”表“票面问题”列。")


def _check_summary(outcome: Any) -> None:
    verdicts = _verdicts(outcome)
    missing = len(outcome.matching.missing) if outcome.matching else 0
    counted = "、".join(f"{v} {n} 份" for v, n in verdicts.items())
    click.echo(f"检查了 {len(outcome.analyses)} 份报告：{counted}；"
               f"未收到 {missing} 个党组织的报告。")
    if outcome.feedback_dir:
        click.echo(f"审核意见和汇总表：{outcome.feedback_dir}")


def _progress_printer() -> Any:
    """Return a progress callback: a counter redrawn in place on a terminal, one line elsewhere."""
    live = sys.stdout.isatty()

    def show(done: int, total: int, what: str) -> None:
        if live:
            bar = "█" * (20 * done // max(total, 1))
            click.echo(f"\r  {what}：{bar:<20} {done}/{total}", nl=done >= total)
        elif done >= total:
            click.echo(f"  {what}：{done}/{total}")

    return show


def _utf8_console(streams: Sequence[Any] = (sys.stdout, sys.stderr)) -> None:
    # A Chinese Windows console may default to GBK: characters outside it must not crash.
    for stream in streams:
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in (
            "utf-8", "utf8"
        ):
            stream.reconfigure(errors="replace")
