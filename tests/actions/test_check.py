"""check_reports and analyze on real .docx files made in the test, checked through the library."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from helpers import AWKWARD_ORGS, SECRETARIES, book_with_orgs, report_lines, type_setting
from tongjia_xls.actions import check_reports
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.dashboard import STAGE_REPORTS
from tongjia_xls.sheets.schema import REPORTS


def _docx(path: Path, lines: list[str], mtime: float | None = None) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def workspace(book_path: Path) -> Path:
    folder = book_path.parent / "述职报告"
    _docx(folder / "青杠湾村述职报告.docx", report_lines())
    _docx(folder / "张玉华-2023述职.docx", report_lines(practices=700, problems=250, plans=150))
    _docx(folder / "金竹岭村（初稿）.docx", report_lines(skip=("safety",)), mtime=1_000_000)
    _docx(folder / "金竹岭村（定稿）.docx", report_lines(), mtime=2_000_000)
    (folder / "白鹭溪村述职报告.docx").write_bytes(b"PK\x03\x04 broken")
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4 scanned")
    _docx(folder / "随便写写.docx", ["没有名字的文件。"])
    wb = openpyxl.load_workbook(book_path)
    ws = wb[REPORTS.title]
    ws["C2"], ws["D2"] = date(2024, 1, 9), "未审核"  # 青杠湾村: late and not reviewed
    for row in range(3, 7):
        ws.cell(row=row, column=4).value = "已审核"
    wb.save(book_path)
    return book_path


def test_check_fills_the_reports_sheet_and_writes_feedback(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(workspace)])
    assert result.exit_code == 0, result.output
    rows = Workbook.open(workspace).read(REPORTS).by_key()
    good, short, broken, chosen, missing = (
        rows[k] for k in ("青杠湾村", "松林坪村", "白鹭溪村", "金竹岭村", "南华路社区"))
    assert good["verdict"] == "合格" and good["topic_safety"] == "✓"
    assert 1500 <= good["words"] <= 2000 and good["problems_listed"] == 3
    assert "晚于截止日期 2024-01-05" in good["explanation"]
    assert "包片领导审核情况为“未审核”" in good["explanation"]
    assert short["verdict"] == "需修改" and "少于 1500 字的下限" in short["explanation"]
    assert broken["verdict"] == "无法读取"
    assert chosen["verdict"] == "合格"  # the newer (定稿) file, not the 初稿 without a topic
    assert "另有“金竹岭村（初稿）.docx”，检查的是较新的" in chosen["explanation"]
    assert missing["verdict"] == "未收到"
    assert "随便写写.docx" in result.output and "扫描件.pdf" in result.output
    feedback = workspace.parent / "审核意见"
    assert (feedback / "松林坪村-2023年度述职报告审核意见.docx").is_file()
    assert (feedback / "2023年度述职报告检查汇总表.docx").is_file()
    assert not (feedback / "南华路社区-2023年度述职报告审核意见.docx").exists()


def test_check_fills_blank_report_files_and_the_dashboard_counts_what_it_read(
    workspace: Path,
) -> None:
    wb = openpyxl.load_workbook(workspace)
    wb[REPORTS.title]["B3"] = "我们自己登记的.docx"  # 松林坪村: staff's entry stays theirs
    wb.save(workspace)
    outcome = check_reports(workspace)
    rows = Workbook.open(workspace).read(REPORTS).by_key()
    assert rows["青杠湾村"]["file"] == "青杠湾村述职报告.docx"
    assert rows["金竹岭村"]["file"] == "金竹岭村（定稿）.docx"
    assert rows["松林坪村"]["file"] == "我们自己登记的.docx"
    assert rows["南华路社区"]["file"] is None
    line = next(x for x in outcome.lines if x.stage == STAGE_REPORTS)
    read = sum(r["verdict"] not in (None, "未收到") for r in rows.values())
    assert f"已收 {read}/5 份" in line.status and read == 4  # no 提交日期 was typed for 3


def test_checking_twice_changes_nothing_in_the_workbook(workspace: Path) -> None:
    check_reports(workspace)
    before = workspace.read_bytes()
    assert not check_reports(workspace).saved
    assert workspace.read_bytes() == before


def test_a_missing_reports_folder_is_a_clear_message(book_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(book_path)])
    assert result.exit_code == 2
    assert "找不到述职报告文件夹" in result.output and "Traceback" not in result.output


def test_analyze_json_has_the_promised_keys_and_exit_code(tmp_path: Path) -> None:
    good = _docx(tmp_path / "好.docx", report_lines())
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["analyze", "--json", str(good), str(bad)])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert [d["file"] for d in data] == [str(good), str(bad)]
    keys = {"file", "error", "words", "parts", "data_points", "topics", "problems_listed",
            "plans_listed", "findings"}
    assert keys <= set(data[0]) and keys <= set(data[1])
    assert data[0]["error"] is None and data[0]["findings"] == []
    assert set(data[0]["parts"]) == {"practices", "problems", "plans"}
    assert data[0]["topics"] == {"拼经济搞建设": True, "防风险保安全": True}
    assert data[1]["error"] and data[1]["words"] is None


def test_analyze_uses_the_workbooks_settings(book_path: Path, tmp_path: Path) -> None:
    type_setting(book_path, "字数下限", 1900)
    good = _docx(tmp_path / "好.docx", report_lines())
    args = ["analyze", "--json", "--workbook", str(book_path), str(good)]
    result = CliRunner().invoke(main, args)
    assert json.loads(result.output)[0]["findings"][0]["rule"] == "words"


# -- the 审核意见 of awkward names, and a document that cannot be written -------------------

def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_awkward_org_names_each_get_their_own_feedback_and_are_told(tmp_path: Path) -> None:
    book = book_with_orgs(tmp_path, AWKWARD_ORGS)
    for secretary in SECRETARIES[: len(AWKWARD_ORGS)]:
        _docx(tmp_path / "述职报告" / f"{secretary}述职报告.docx", report_lines())
    result = CliRunner().invoke(main, ["check", str(book)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    folder, tail = tmp_path / "审核意见", "-2023年度述职报告审核意见"
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == len(AWKWARD_ORGS) + 1  # and the 汇总表
    first, second = folder / f"名称D{tail}.docx", folder / f"名称D{tail}（2）.docx"
    assert "名称*D" in _text(first) and "名称?D" in _text(second)
    [long] = [name for name in written if name.startswith("童家镇")]
    assert len(long.encode()) <= 240 and long.endswith(f"村{tail}.docx")
    assert AWKWARD_ORGS[2] in _text(folder / long)
    assert (f"“名称*D”和“名称?D”的审核意见文件名去掉不能用的字符（*、?）后相同，"
            f"已分别保存为“{first.name}”和“{second.name}”") in result.output
    assert f"的名称太长，审核意见文件名已截短为“{long}”" in result.output
    verdicts = Workbook.open(book, for_write=False).read(REPORTS).by_key()
    assert all(verdicts[org]["verdict"] not in (None, "未收到") for org in AWKWARD_ORGS)


def test_a_feedback_that_cannot_be_written_does_not_stop_the_others(workspace: Path) -> None:
    folder = workspace.parent / "审核意见"
    blocked = folder / "松林坪村-2023年度述职报告审核意见.docx"
    blocked.mkdir(parents=True)  # a folder where the document should go: a real OSError
    result = CliRunner().invoke(main, ["check", str(workspace)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"已有名为“{blocked.name}”的文件夹，无法写入同名文件" in result.output
    assert (folder / "青杠湾村-2023年度述职报告审核意见.docx").is_file()
    assert (folder / "2023年度述职报告检查汇总表.docx").is_file()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    rows = Workbook.open(workspace, for_write=False).read(REPORTS).by_key()
    assert rows["松林坪村"]["verdict"] == "需修改"  # the workbook was saved all the same


def test_the_explanation_says_which_file_was_checked_and_why(book_path: Path) -> None:
    folder = book_path.parent / "述职报告"
    _docx(folder / "金竹岭村（登记稿）.docx", report_lines(), mtime=1_700_000_000)
    _docx(folder / "金竹岭村（修改稿）.docx", report_lines(skip=("safety",)),
          mtime=1_700_000_000 + 5 * 86400)
    wb = openpyxl.load_workbook(book_path)
    ws = wb[REPORTS.title]
    row = next(r for r in range(2, 7) if ws.cell(row=r, column=1).value == "金竹岭村")
    headers = [c.value for c in ws[1]]
    ws.cell(row=row, column=headers.index("报告文件") + 1).value = "金竹岭村（登记稿）.docx"
    ws.cell(row=row, column=headers.index("提交日期") + 1).value = date(2023, 11, 14)
    wb.save(book_path)
    check_reports(book_path)
    explained = Workbook.open(book_path, for_write=False).read(REPORTS).by_key()["金竹岭村"]
    # The 修改稿 came after the registration: it is the one checked, and that is said.
    assert "检查的是较新的这份" in explained["explanation"]
    assert explained["topic_safety"] == "✗"  # really the 修改稿's figures
    wb = openpyxl.load_workbook(book_path)
    wb[REPORTS.title].cell(row=row, column=headers.index("提交日期") + 1).value = date(2023, 11, 30)
    wb.save(book_path)
    check_reports(book_path)
    explained = Workbook.open(book_path, for_write=False).read(REPORTS).by_key()["金竹岭村"]
    assert "检查的是“报告文件”中登记的“金竹岭村（登记稿）.docx”" in explained["explanation"]
    assert explained["topic_safety"] == "✓"


# -- analyze on several files, and what a report that became unreadable leaves -------------

CORPUS = Path(__file__).parents[1] / "reports" / "corpus" / "docx"


def test_analyze_compares_the_given_files_with_each_other(tmp_path: Path) -> None:
    import shutil

    first = shutil.copy(CORPUS / "a01-xinghua.docx", tmp_path / "杏花村述职报告.docx")
    copy = shutil.copy(CORPUS / "a01-xinghua.docx", tmp_path / "另一个村述职报告.docx")
    other = shutil.copy(CORPUS / "b01-qingshui.docx", tmp_path / "清水村述职报告.docx")
    result = CliRunner().invoke(main, ["analyze", "--json", str(first), str(copy), str(other)])
    data = {Path(d["file"]).name: d for d in json.loads(result.output)}
    rules = {name: {f["rule"] for f in d["findings"]} for name, d in data.items()}
    assert "similarity" in rules["杏花村述职报告.docx"]
    assert "similarity" in rules["另一个村述职报告.docx"]
    assert "similarity" not in rules["清水村述职报告.docx"]
    # Grouped per pair of reports: one finding, however many passages the two share.
    copied = [f for f in data["杏花村述职报告.docx"]["findings"] if f["rule"] == "similarity"]
    assert len(copied) == 1 and "另一个村述职报告.docx" in copied[0]["message"]


def test_analyze_says_which_part_it_did_not_find(tmp_path: Path) -> None:
    lines = [line for line in report_lines()
             if not line.startswith(("三、", "一是壮大", "二是建强", "三是压实"))]
    result = CliRunner().invoke(main, ["analyze", str(_docx(tmp_path / "缺第三部分.docx", lines))])
    assert "工作打算 未找到" in result.output
    assert "None" not in result.output


def test_a_report_that_became_unreadable_loses_its_old_figures(workspace: Path) -> None:
    check_reports(workspace)
    before = Workbook.open(workspace, for_write=False).read(REPORTS).by_key()["青杠湾村"]
    assert before["words"] and before["practices_share"] and before["problems_listed"]
    (workspace.parent / "述职报告" / "青杠湾村述职报告.docx").write_bytes(b"PK\x03\x04 cut")
    check_reports(workspace)
    after = Workbook.open(workspace, for_write=False).read(REPORTS).by_key()["青杠湾村"]
    assert after["verdict"] == "无法读取"
    assert after["words"] is None and after["practices_share"] is None
    assert after["problems_listed"] is None
