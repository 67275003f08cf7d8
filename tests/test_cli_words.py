"""Everything the command line says is Chinese: help, usage errors, Ctrl-C; no warnings.

Through click's CliRunner, and through a real ``python -m tongjia_xls`` where what reaches
the console depends on the interpreter (default warning filters, SIGINT).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import tongjia_xls.actions
from tongjia_xls.cli import main
from tongjia_xls.cli_words import INTERRUPTED, display_width, fill, wrap_paragraphs

#: What click says in English when it is not told otherwise.
ENGLISH = ("Usage:", "Options:", "Commands:", "Error:", "Show this message", "[required]",
           "Aborted!", "Try '", "Missing argument", "No such option", "Invalid value",
           "Warning", "Traceback", "[OPTIONS]", "COMMAND [ARGS]")


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def _english(output: str) -> list[str]:
    return [word for word in ENGLISH if word in output]


def _python_m(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-m", "tongjia_xls", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize("command", [None, *sorted(main.commands)])
def test_every_help_page_is_chinese_and_has_an_example(command: str | None) -> None:
    code, output = _run(*([command] if command else []), "--help")
    assert code == 0, output
    assert _english(output) == []
    assert output.startswith("用法：tongjia-xls")
    assert "选项：" in output and "-h, --help" in output and "显示本帮助" in output
    assert "例：" in output or "先试一试" in output
    # No English placeholder (WORKBOOK, INTEGER, DIRECTORY, [%Y-%m-%d]) in usage or options.
    usage = output.splitlines()[0]
    assert not re.search(r"\b[A-Z]{3,}\b", usage), usage
    for line in output.split("选项：", 1)[1].splitlines():
        assert not re.match(r"\s+--[\w-]+ (\[|[A-Z]{3,})", line), line
    if command is None:
        assert "命令：" in output


def test_every_help_page_fits_its_width_counting_chinese_double() -> None:
    for command in sorted(main.commands):
        result = CliRunner().invoke(main, [command, "--help"], terminal_width=80)
        for line in result.output.splitlines():
            words = line.split()
            # An example line is kept as written; a wrapped line must fit.
            if words and not any(w.startswith(("例", "tongjia-xls")) for w in words[:2]):
                assert display_width(line) <= 80, (command, line)


def test_a_bad_today_says_in_chinese_which_option_and_what_to_write(book_path: Path) -> None:
    code, output = _run("rectify", book_path, "--today", "2024/3/32x")
    assert code == 2
    assert _english(output) == []
    assert output.startswith("错误：“--today”的值不对")
    assert "2024-03-01" in output
    assert "用法：tongjia-xls rectify [选项] 总工作簿" in output
    assert "tongjia-xls rectify -h" in output
    code, output = _run("rectify", book_path, "--today", "2024-02-30")
    assert code == 2 and "没有“2024-02-30”这一天" in output


def test_a_chinese_style_date_is_taken(book_path: Path) -> None:
    code, output = _run("rectify", book_path, "--today", "2024年3月1日")
    assert code == 0, output


@pytest.mark.parametrize(("args", "said"), [
    (("validate",), "缺少总工作簿"),
    (("rollover", "总表.xlsx"), "缺少选项“--year”：新年度，例如 2024。"),
    (("validate", "总表.xlsx", "--fast"), "没有“--fast”这个选项"),
    (("check", "总表.xlsx", "--report", "x"), "是不是要写“--reports”"),
    (("valdate", "总表.xlsx"), "没有“valdate”这个命令"),
    (("validate", "总表.xlsx", "多余"), "多写了内容（多余）"),
    (("forms", "总表.xlsx", "--copies", "三"), "“--copies”的值不对：“三”不是整数"),
    (("rollover", "总表.xlsx", "--out"), "选项“--out”后面要写上值"),
])
def test_usage_errors_are_chinese(args: tuple[str, ...], said: str) -> None:
    code, output = _run(*args)
    assert code == 2
    assert _english(output) == []
    assert output.startswith("错误：") and said in output, output


def test_no_arguments_shows_the_help() -> None:
    code, output = _run()
    assert code == 0 and output.startswith("用法：") and _english(output) == []


def test_version_is_chinese() -> None:
    code, output = _run("--version")
    assert code == 0 and output.startswith("tongjia-xls 版本 ")


def test_ctrl_c_during_a_command_is_explained_in_chinese(monkeypatch: pytest.MonkeyPatch,
                                                           book_path: Path) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(tongjia_xls.actions, "validate_workbook", interrupted)
    code, output = _run("validate", book_path)
    assert code == 130
    assert INTERRUPTED in output and "Ctrl+C" in output and "不会只写了一半" in output
    assert _english(output) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
def test_sigint_to_a_running_demo_stops_it_with_the_chinese_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "tongjia_xls", "demo", tmp_path / "演示"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", env=env)
    assert process.stdout is not None
    first = process.stdout.readline()  # the command has started: Python handles SIGINT
    assert first.startswith("正在生成演示材料")
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert INTERRUPTED in err
    assert _english(out + err) == []
    for book in (tmp_path / "演示").glob("*.xlsx"):  # whatever was saved is whole
        with zipfile.ZipFile(book) as package:
            assert package.testzip() is None


def test_library_warnings_do_not_reach_the_console(monkeypatch: pytest.MonkeyPatch,
                                                   book_path: Path) -> None:
    real = tongjia_xls.actions.validate_workbook

    def noisy(*args: object, **kwargs: object) -> object:
        warnings.warn("Data Validation extension is not supported and will be removed",
                      UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tongjia_xls.actions, "validate_workbook", noisy)
    # Pytest turns warnings into errors: without the command line's filter this would fail.
    code, output = _run("validate", book_path)
    assert code == 0, output
    assert "Warning" not in output and "未发现问题" in output


def test_a_real_process_shows_chinese_and_no_warnings(book_path: Path) -> None:
    script = (
        "import warnings, tongjia_xls.actions as a\n"
        "real = a.validate_workbook\n"
        "def noisy(*args, **kwargs):\n"
        "    warnings.warn('Workbook contains no default style', UserWarning)\n"
        "    return real(*args, **kwargs)\n"
        "a.validate_workbook = noisy\n"
        "from tongjia_xls.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONWARNINGS", None)
    result = subprocess.run([sys.executable, "-c", script, "validate", str(book_path)],
                            capture_output=True, text=True, encoding="utf-8", env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "未发现问题" in result.stdout
    assert _english(result.stdout + result.stderr) == [], result.stderr
    bad = _python_m("rectify", book_path, "--today", "abc")
    assert bad.returncode == 2
    assert _english(bad.stdout + bad.stderr) == []
    assert bad.stderr.startswith("错误：“--today”的值不对")
    helped = _python_m("run", "--help")
    assert helped.returncode == 0 and _english(helped.stdout + helped.stderr) == []
    assert helped.stdout.startswith("用法：tongjia-xls run [选项] 总工作簿")


def test_the_demo_says_each_thing_once(tmp_path: Path) -> None:
    code, output = _run("demo", tmp_path / "演示")
    assert code == 0, output
    assert _english(output) == []
    assert output.count("1. 述职报告：") == 1
    assert output.count("4. 整改落实：") == 1
    assert output.count("工作簿校验：") == 1
    assert output.count("“九十”不是数字") == 1
    problems = [line for line in output.splitlines() if line.startswith("【")]
    assert len(problems) == len(set(problems))
    steps = [line for line in output.splitlines() if line.startswith(("✓ ", "！"))]
    assert [re.split("[ ！：]+", s)[1] for s in steps] == [
        "新建工作簿", "填入示例数据", "从报告起草整改事项",
        "检查述职报告", "计算得分与等次", "更新整改台账", "生成打印材料"]
    # The step that read the 九十 is marked, and its error counted there only.
    assert steps[1].startswith("！填入示例数据：1 处错误")
    assert sum("处错误" in s for s in steps) == 1


def test_run_and_forms_give_counts_once(tmp_path: Path) -> None:
    from tongjia_xls.demo.workspace import make_demo

    workbook = make_demo(tmp_path / "演示").workbook
    code, output = _run("run", workbook)
    assert code == 0, output
    assert _english(output) == []
    lines = [line for line in output.splitlines() if line.startswith(("✓ ", "！"))]
    assert len(lines) == 4
    check = next(line for line in lines if "检查述职报告：" in line)
    assert re.search(r"检查了 21 份报告，合格 \d+ 份、需修改 \d+ 份", check)
    assert check.startswith("！")  # the demo has reports to return: never a tick
    score = next(line for line in lines if "计算得分与等次：" in line)
    grades = re.search(r"建议等次 好 (\d+) 个、较好 (\d+) 个、一般 (\d+) 个、差 (\d+) 个", score)
    assert grades and sum(map(int, grades.groups())) == 20  # 柏树垭村 has no composite
    assert "1 个党组织缺少综合得分" in score
    assert output.count("1. 述职报告：") == 1 and output.count("已保存 ") == 1
    assert output.count("已生成 ") == 1
    code, output = _run("forms", workbook)
    assert code == 0, output
    assert output.count("已生成 ") == 1


def test_a_clean_step_gets_a_tick_and_one_with_errors_does_not() -> None:
    from tongjia_xls.actions.workbook import Outcome
    from tongjia_xls.cli_output import step_line
    from tongjia_xls.errors import Diagnostic, Severity

    assert step_line("新建工作簿", Outcome(None), []) == "✓ 新建工作簿：未发现问题"
    found = [Diagnostic("x"), Diagnostic("y", severity=Severity.WARNING)]
    assert step_line("检查", Outcome(None, found), found) == "！检查：1 处错误、1 处提醒（见下）"


def test_rules_print_aligned_text_and_markdown_when_asked() -> None:
    from tongjia_xls.reports.rules import RULES, rules_markdown

    code, output = _run("rules")
    assert code == 0
    assert "|" not in output and "`" not in output
    rows = [line for line in output.splitlines() if line.split()[:1] in
            [[r.name] for r in RULES.values()]]
    assert len(rows) == len(RULES)
    # Every row's 编号 starts at the same column, Chinese characters counted double.
    starts = {display_width(row[: row.index(f" {rule.id} ") + 1])
              for row, rule in zip(rows, RULES.values(), strict=True)}
    assert len(starts) == 1
    code, output = _run("rules", "--markdown")
    assert code == 0 and output.strip() == rules_markdown()


def test_chinese_wrapping_counts_double_and_keeps_ascii_runs_whole() -> None:
    text = "按这一天计算剩余天数和是否逾期，格式 2024-03-01；默认今天。" * 3
    lines = fill(text, 30).splitlines()
    assert all(display_width(line) <= 30 for line in lines)
    assert max(display_width(line) for line in lines) > 26
    assert "2024-03-01" in text and all("2024-0" not in line or "2024-03-01" in line
                                        for line in lines)
    assert not any(line.startswith(("，", "。", "；")) for line in lines)
    kept = wrap_paragraphs("\b\n例：tongjia-xls a 很长很长很长很长很长很长很长很长很长", 20)
    assert kept == "例：tongjia-xls a 很长很长很长很长很长很长很长很长很长"
