"""The command line: one command per action, each a thin call into :mod:`tongjia_xls.actions`.

Heavy libraries (openpyxl, python-docx) are imported inside the commands, so that
``tongjia-xls --help`` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from tongjia_xls import __version__
from tongjia_xls.cli_output import (
    aligned,
    drafted_sentence,
    made,
    pad,
    print_analysis,
    progress_printer,
    report_outcome,
    steps_report,
    utf8_console,
)
from tongjia_xls.cli_words import ChineseGroup, Date
from tongjia_xls.cli_words import display_width as _width
from tongjia_xls.errors import Severity, UserError
from tongjia_xls.sheets.schema import (
    DASHBOARD,
    ORGS,
    REMARKS_HEADER,
    SCORES,
    SETTINGS,
)

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
    utf8_console()


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="年度，默认 2023。")
@click.option("--town", help="乡镇名称，例如 石桥镇；默认取名单的“乡镇”列，再默认 童家镇。")
@click.option("--county", help="县名，例如 乐至县，用于党委名称“中共乐至县石桥镇委员会”。")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path),
              help=f"党组织名单（.csv、.xlsx 或 .xls），表头为“{ORGS.title}”表的列名，"
                   "可只有其中几列。")
@click.option("--force", is_flag=True, help="新工作簿已存在时重建（原文件先备份到“备份”文件夹）。")
@click.option("--interpreter",
              help="仅 .xlsm：按钮使用的 Python 完整路径；默认留空，即使用 PATH 里的 python。")
def init(out: Path, year: int | None, town: str | None, county: str | None,
         roster: Path | None, force: bool, interpreter: str | None) -> None:
    """新建总工作簿：.xlsx 为普通工作簿，.xlsm 为“控制台”上带操作按钮的工作簿。

    \b
    例：tongjia-xls init 童家镇2023年度述职评议考核.xlsx --year 2023 --roster 组织名单.csv
    例：tongjia-xls init 童家镇2023年度述职评议考核.xlsm --roster 组织名单.csv
    例：tongjia-xls init 石桥镇2024年度述职评议考核.xlsx --town 石桥镇 --county 乐至县
    """
    from tongjia_xls.actions import init_workbook

    outcome = init_workbook(out, year=year, town=town, county=county, roster=roster,
                            force=force, interpreter=interpreter)
    click.echo(f"已新建工作簿：{out}")
    if out.suffix.lower() == ".xlsm":
        click.echo(f"打开时请点“启用内容”（启用宏），再点“{DASHBOARD.title}”上的按钮；"
                   "按钮需要 Excel（WPS 请用命令行）。")
    report_outcome(outcome)


@main.command()
@_workbook
@click.option("--interpreter",
              help="按钮使用的 Python 完整路径；不填时沿用“xlwings.conf”表里的设置"
                   "（新建的表留空，即使用 PATH 里的 python）。")
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
    report_outcome(outcome)


@main.command(name="rename-org")
@_workbook
@click.argument("old")
@click.argument("new")
def rename_org(workbook: Path, old: str, new: str) -> None:
    """把党组织 OLD 改名为 NEW：“组织”和各表的名称、整改台账、测评票明细的表头一起改。

    \b
    例：tongjia-xls rename-org 童家镇2023年度述职评议考核.xlsx 东风村 东丰村
    """
    from tongjia_xls.actions import rename_org as rename

    outcome = rename(workbook, old, new)
    click.echo(outcome.summary)
    report_outcome(outcome)


@main.command()
@_workbook
def validate(workbook: Path) -> None:
    """检查总工作簿中填写的内容，把问题写入各表“校验提示”列和“控制台”。

    \b
    例：tongjia-xls validate 童家镇2023年度述职评议考核.xlsx
    """
    from tongjia_xls.actions import validate_workbook

    outcome = validate_workbook(workbook)
    report_outcome(outcome)
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
    result = make_demo(folder, macro=xlsm, progress=progress_printer())
    steps_report(result.steps, limit=8)
    click.secho("\n演示完成，输出位置：", bold=True)
    click.echo(f"  总工作簿：  {result.workbook.resolve()}")
    click.echo(f"  述职报告：  {result.reports[0].parent.resolve()}（{len(result.reports)} 份）")
    click.echo(f"  审核意见：  {(result.folder / '审核意见').resolve()}")
    click.echo(f"  整改台账：  {(result.folder / '整改台账').resolve()}")
    forms = (result.folder / "打印材料").resolve()
    click.echo(f"  打印材料：  {forms}（附件2、附件1提纲、评价意见）")
    click.echo(f"  组织名单：  {result.roster.resolve()}")
    click.echo(f"用 Excel 或 WPS 打开总工作簿，先看“{DASHBOARD.title}”。"
               f"“{SCORES.title}”表里故意填错了一处（九十），"
               f"可以看到“{REMARKS_HEADER}”列是怎样提示的。")
    if xlsm:
        click.echo("这是带按钮的 .xlsm：用 Excel 打开后点“启用内容”，"
                   f"再点“{DASHBOARD.title}”第3行的按钮。"
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
                            progress=progress_printer())
    report_outcome(outcome)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（每个文件一个对象）。")
@click.option("--workbook", type=click.Path(dir_okay=False, path_type=Path),
              help=f"按该总工作簿“{SETTINGS.title}”表中的阈值检查（默认按通知的要求）。")
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
            print_analysis(result)
    if any(r.error for r in results):
        sys.exit(2)


@main.command()
@_workbook
def score(workbook: Path) -> None:
    """汇总测评票，计算综合得分、排名和建议等次，核对比例要求，起草评价意见，更新“统计”表。

    \b
    例：tongjia-xls score 童家镇2023年度述职评议考核.xlsx
    不会改动“确定等次”；修改过的评价意见也不会被覆盖。
    """
    from tongjia_xls.actions import score_workbook

    outcome = score_workbook(workbook, progress=progress_printer())
    report_outcome(outcome)


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
                               progress=progress_printer())
    if draft:
        click.echo(drafted_sentence(outcome.drafted))
    if import_dir is not None:
        click.echo(f"导入整改事项 {outcome.imported} 项。")
    click.secho(outcome.summary, bold=True)
    for path in outcome.outputs:
        click.echo(f"已导出：{path}")
    report_outcome(outcome)


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
    report_outcome(outcome)


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
                         outline=outline, opinions=opinions, progress=progress_printer())
    report_outcome(outcome)


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

    outcome = run_all(workbook, reports=reports, out=out, progress=progress_printer())
    steps_report(outcome.steps, lines=outcome.lines)
    saved = [step for _, step in outcome.steps if step.saved]
    if saved:
        backup = next((step.backup for step in saved if step.backup), None)
        kept = f"（运行前的版本已备份到 {backup}）" if backup else ""
        click.echo(f"已保存 {outcome.workbook}{kept}")
    if outcome.outputs:
        click.echo(made(outcome.outputs))
    if outcome.stopped:
        click.secho(f"已停止：{outcome.stopped}", fg="red", err=True)
        sys.exit(2)


def _positive(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value <= 0:
        raise click.BadParameter("请填写大于 0 的分钟数，例如 30。")
    return value


@main.command()
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器，只显示地址（第一行）。")
@click.option("--port", type=int, default=0, help="端口，默认自动选一个空闲端口。")
@click.option("--idle", "idle_minutes", type=float, default=120.0, callback=_positive,
              help="多少分钟无人使用后自动关闭，默认 120。")
@click.option("--shortcut", is_flag=True,
              help="在桌面放一个快捷方式，以后双击它即可打开这个总工作簿的控制面板。")
def panel(workbook: Path | None, no_browser: bool, port: int, idle_minutes: float,
          shortcut: bool) -> None:
    """打开控制面板：在浏览器里点按钮完成各项操作（Excel、WPS 都适用）。

    \b
    例：tongjia-xls panel 童家镇2023年度述职评议考核.xlsx
        tongjia-xls panel 童家镇2023年度述职评议考核.xlsx --shortcut
    控制面板只在本机运行，地址中带有本次的访问口令；用完在网页上点“关闭控制面板”。
    """
    if shortcut:
        from tongjia_xls.panel.shortcut import write_shortcut

        if workbook is None:
            raise UserError("做桌面快捷方式需要给出总工作簿，"
                            "例如：tongjia-xls panel 总表.xlsx --shortcut")
        made = write_shortcut(workbook)
        click.echo(f"已在桌面放好快捷方式：{made}\n以后双击它，就会打开“{workbook.name}”的控制面板。")
        return
    from tongjia_xls.panel.server import serve

    if workbook is not None and not workbook.is_file():
        raise UserError(f"找不到总工作簿“{workbook}”。请检查路径，或不带工作簿启动后在网页上选择。")
    serve(workbook, port=port, open_browser=not no_browser, idle_minutes=idle_minutes,
          echo=click.echo)


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
    click.echo(aligned([("检查项", "出处", "编号", "检查什么"), *rows]))
    click.echo("\n要停用某项检查，把检查项的名称（例如 字数）"
               f"填入“{SETTINGS.title}”表的“停用的检查项”，几项之间用顿号分隔。")


@main.command()
@_markdown
def sheets(markdown: bool) -> None:
    """列出总工作簿的各个工作表，以及每一列由谁填写。

    \b
    例：tongjia-xls sheets
        tongjia-xls sheets --markdown
    """
    from tongjia_xls.sheets.schema import BALLOT_DETAILS, sheet_docs, sheet_table_markdown

    if markdown:
        click.echo(sheet_table_markdown())
        return
    docs = sheet_docs()
    width = max(_width(doc.title) for doc in docs) + 2
    for doc in docs:
        staff = "、".join(doc.staff) or "—"
        if doc.title == BALLOT_DETAILS.title:
            staff += "、各党组织一列"
        click.echo(pad(doc.title, width) + doc.purpose)
        click.echo(" " * width + "由您填写：" + staff)
        click.echo(" " * width + "由工具填写：" + ("、".join(doc.tool) or "（整表由工具生成）"))
