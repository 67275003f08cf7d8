"""forms and run through the CLI, checked against the workbook."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers import AWKWARD_ORGS, book_with_orgs, report_lines, type_setting
from tongjia_xls.actions import score_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.sheets.schema import SCORES

GRADE_COLUMNS = ("好", "较好", "一般", "差")


def _scored(book_path: Path) -> None:
    book = Workbook.open(book_path)
    values = {org: {"routine": 95 - 3 * i, "field": 94 - 3 * i, "onsite": 96 - 4 * i}
              for i, org in enumerate(r["org"] for r in book.read(SCORES))}
    book.update(SCORES, values, include_staff=True)
    book.save()
    score_workbook(book_path)


def test_result_table_ticks_match_the_scores_sheet_row_by_row(book_path: Path) -> None:
    _scored(book_path)
    out = book_path.parent / "打印"
    result = CliRunner().invoke(main, ["forms", str(book_path), "--result", "--out", str(out)])
    assert result.exit_code == 0, result.output
    grades = {r["org"]: (r["final_grade"] or r["proposed_grade"]) for r in
              Workbook.open(book_path).read(SCORES)}
    table = docx.Document(str(next(out.glob("*结果表.docx")))).tables[0]
    ticked = {}
    for row in table.rows[2:]:
        cells = [c.text.strip() for c in row.cells]
        marks = [g for g, text in zip(GRADE_COLUMNS, cells[-4:], strict=True) if "√" in text]
        ticked[cells[0]] = marks
    secretaries = {r["org"]: r["secretary"] for r in Workbook.open(book_path).read(SCORES)}
    for org, grade in grades.items():
        assert ticked[secretaries[org]] == [grade], org


def test_forms_without_options_make_every_document(book_path: Path) -> None:
    _scored(book_path)
    result = CliRunner().invoke(main, ["forms", str(book_path), "--copies", "2"])
    assert result.exit_code == 0, result.output
    out = book_path.parent / "打印材料"
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert "2023年度述职评议表（空白票，2份）.docx" in names
    assert "2023年度述职评议结果表.xlsx" in names
    assert "青杠湾村-2023年度述职报告提纲.docx" in names
    assert "青杠湾村-2023年度综合评价意见.docx" in names


def test_run_does_every_step_and_stops_clearly_at_a_blocked_one(book_path: Path) -> None:
    folder = book_path.parent / "述职报告"
    folder.mkdir()
    document = docx.Document()
    for line in report_lines():
        document.add_paragraph(line)
    document.save(folder / "青杠湾村.docx")
    _scored(book_path)
    done = CliRunner().invoke(main, ["run", str(book_path)])
    assert done.exit_code == 0, done.output
    for step in ("检查述职报告", "计算得分与等次", "更新整改台账", "生成打印材料"):
        assert re.search(f"^(✓ |！){step}：", done.output, flags=re.MULTILINE), step
    type_setting(book_path, "现场述职权重", 0.3)
    stopped = CliRunner().invoke(main, ["run", str(book_path)])
    assert stopped.exit_code == 2
    assert re.search("^(✓ |！)检查述职报告：", stopped.output, flags=re.MULTILINE)
    assert "第2步“计算得分与等次”未能完成" in stopped.output and "0.9" in stopped.output
    assert "Traceback" not in stopped.output


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_awkward_org_names_each_get_their_own_documents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = book_with_orgs(tmp_path, AWKWARD_ORGS)
    monkeypatch.setattr("tongjia_xls.forms.pdf.find_soffice", lambda soffice="auto": None)
    result = CliRunner().invoke(main, ["forms", str(book), "--outline", "--opinions"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    out = tmp_path / "打印材料"
    for sub, what in (("附件1提纲", "述职报告提纲"), ("综合评价意见", "综合评价意见")):
        tail = f"-2023年度{what}"
        names = sorted(p.name for p in (out / sub).iterdir())
        first, second = f"名称D{tail}.docx", f"名称D{tail}（2）.docx"
        assert len(names) == 3 and {first, second} <= set(names)
        assert all(len(n.encode()) <= 240 for n in names)
        assert "名称?D" in _text(out / sub / second)
        said = f"的{what}文件名去掉不能用的字符（*、?）后相同，已分别保存为“{first}”和“{second}”"
        assert said in result.output
        assert f"的名称太长，{what}文件名已截短为“" in result.output


def test_a_full_disk_for_one_document_does_not_stop_the_batch(
        book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: the library's save fails half-way with ENOSPC for one organization only
    # (tests/test_outputs.py fills a real small disk).
    save = docx.document.Document.save

    def failing(self: docx.document.Document, path: str) -> None:
        if "松林坪村" in str(path):
            Path(path).write_bytes(b"PK\x03\x04 half")
            raise OSError(errno.ENOSPC, "No space left on device")
        save(self, path)

    monkeypatch.setattr(docx.document.Document, "save", failing)
    out = book_path.parent / "打印材料"
    result = CliRunner().invoke(main, ["forms", str(book_path), "--outline", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "磁盘空间不足，“松林坪村-2023年度述职报告提纲.docx”没有写入" in result.output
    names = sorted(p.name for p in (out / "附件1提纲").iterdir())
    assert len(names) == 4 and not any(n.startswith((".", "松林坪村")) for n in names)
