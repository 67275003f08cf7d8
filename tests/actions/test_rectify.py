"""The rectification ledger through the CLI, checked through the library."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from helpers import report_lines
from tongjia_xls.actions.rectify import rectify_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.sheets.schema import ORGS, RECTIFICATION

TODAY = date(2024, 3, 1)


def _ledger(path: Path) -> list[dict[str, object]]:
    return [r.values for r in Workbook.open(path).read(RECTIFICATION)]


def _add_items(path: Path, items: list[dict[str, object]]) -> None:
    book = Workbook.open(path)
    book.append(RECTIFICATION, items)
    book.save()


def _docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def test_overdue_marks_for_a_fixed_day(book_path: Path, tmp_path: Path) -> None:
    _add_items(book_path, [
        {"org": "青杠湾村", "problem": "昨天到期", "deadline": date(2024, 2, 29),
         "status": "整改中"},
        {"org": "青杠湾村", "problem": "今天到期", "deadline": date(2024, 3, 1),
         "status": "未开始"},
        {"org": "松林坪村", "problem": "下月到期", "deadline": date(2024, 4, 1),
         "status": "整改中"},
        {"org": "松林坪村", "problem": "按时完成", "deadline": date(2024, 2, 1), "status": "已完成",
         "done_on": date(2024, 1, 20)},
    ])
    out = tmp_path / "台账"
    result = CliRunner().invoke(main, ["rectify", str(book_path), "--today", "2024-03-01",
                                       "--export", str(out)])
    assert result.exit_code == 0, result.output
    marks = [(r["problem"], r["days_left"], r["overdue"], r["alert"]) for r in _ledger(book_path)]
    assert marks == [
        ("昨天到期", -1, "是", "已逾期"),
        ("今天到期", 0, "否", "即将到期"),
        ("下月到期", 31, "否", None),
        ("按时完成", None, "否", None),
    ]
    assert "逾期 1 项" in result.output
    rules = openpyxl.load_workbook(book_path)[RECTIFICATION.title].conditional_formatting
    assert len(list(rules)) >= 1  # rows are coloured by the 提醒 the tool writes
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".xlsx"]
    exported = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    assert exported.sheetnames == ["按党组织", "按状态"]
    assert exported["按状态"]["D4"].value == "昨天到期"  # overdue first


def test_drafting_from_reports_twice_adds_nothing(book_path: Path) -> None:
    _docx(book_path.parent / "述职报告" / "青杠湾村述职报告.docx", report_lines())
    drafted = rectify_workbook(book_path, draft=True, today=TODAY)
    first = _ledger(book_path)
    assert [r["problem"] for r in first] == [
        "理论学习不够深入，我满足于读文件", "联系群众不够紧密，本人走访不多",
        "发展集体经济办法不多，我思路不宽"]
    assert {r["owner"] for r in first} == {"李德明"}
    assert {r["source"] for r in first} == {"自身查摆"}
    # Only the plan that answers a problem is its measure; the others stay empty, said so.
    assert [bool(r["measure"]) for r in first] == [False, False, True]
    assert "壮大集体经济" in first[2]["measure"]
    said = [str(d) for d in drafted.diagnostics if "没有找到回答这个问题的措施" in d.message]
    assert said and "共 2 项" in said[0]
    again = rectify_workbook(book_path, draft=True, today=TODAY)
    assert again.drafted == 0
    assert len(_ledger(book_path)) == 3


def test_returned_plans_as_table_paragraphs_and_xlsx_are_imported(book_path: Path) -> None:
    folder = book_path.parent / "整改方案"
    _docx(folder / "青杠湾村整改方案.docx", ["青杠湾村党支部整改方案"], table=[
        ["序号", "存在问题", "整改措施", "责任人", "完成时限"],
        ["1", "党员教育管理不够严格", "每月开展一次主题党日", "李德明", "2024年6月30日"],
        ["2", "村务公开不及时", "每季度公开一次", "王五", "3月底"],
    ])
    _docx(folder / "松林坪村-整改.docx", [
        "一是软弱涣散整顿不彻底。整改措施：包片领导每月督导。责任人：张玉华。完成时限：2024年5月31日。",
        "二是后备力量不足。整改措施：回引返乡青年。责任人：张玉华。完成时限：2024-09-30。",
    ])
    wb = openpyxl.Workbook()
    wb.active.append(["问题", "措施", "责任人", "完成时限"])
    wb.active.append(["集体经济收入偏低", "发展特色产业", "王建国", date(2024, 12, 31)])
    wb.save(folder / "白鹭溪村整改清单.xlsx")
    (folder / "说明.docx").write_bytes(b"not a docx")
    result = CliRunner().invoke(main, ["rectify", str(book_path), "--import", str(folder)])
    assert result.exit_code == 0, result.output
    items = {(r["org"], r["problem"]): r for r in _ledger(book_path)}
    assert items[("青杠湾村", "党员教育管理不够严格")]["deadline"] == date(2024, 6, 30)
    assert items[("青杠湾村", "村务公开不及时")]["deadline"] is None
    assert "3月底" in result.output
    assert items[("松林坪村", "软弱涣散整顿不彻底")]["owner"] == "张玉华"
    assert items[("白鹭溪村", "集体经济收入偏低")]["deadline"] == date(2024, 12, 31)
    assert "说明.docx" in result.output
    again = CliRunner().invoke(main, ["rectify", str(book_path), "--import", str(folder)])
    assert "导入整改事项 0 项" in again.output


def test_rollover_carries_open_items_and_leaves_last_year_untouched(
    book_path: Path, tmp_path: Path
) -> None:
    _add_items(book_path, [
        {"org": "青杠湾村", "source": "会议点评", "problem": "未完成的", "status": "整改中"},
        {"org": "松林坪村", "source": "自身查摆", "problem": "已完成的", "status": "已完成"},
        {"org": "松林坪村", "source": "巡视巡察", "problem": "已核验的", "status": "已核验"},
    ])
    _docx(book_path.parent / "述职报告" / "青杠湾村述职报告.docx", report_lines())
    before = book_path.read_bytes()
    out = tmp_path / "2024" / "童家镇2024年度述职评议考核.xlsx"
    result = CliRunner().invoke(main, ["rollover", str(book_path), "--year", "2024",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert book_path.read_bytes() == before
    new = Workbook.open(out)
    settings, _ = new.settings()
    assert (settings.year, settings.deadline) == (2024, date(2025, 1, 5))
    assert [r["org"] for r in new.read(ORGS)] == [r["org"] for r in Workbook.open(
        book_path).read(ORGS)]
    carried = [(r["problem"], r["source"], r["status"]) for r in new.read(RECTIFICATION)]
    assert carried == [("未完成的", "上年度", "整改中")]
    assert (out.parent / "上年度述职报告" / "青杠湾村述职报告.docx").is_file()
    refused = CliRunner().invoke(main, ["rollover", str(book_path), "--year", "2024",
                                        "--out", str(out)])
    assert refused.exit_code == 2 and "已经存在" in refused.output


CORPUS = Path(__file__).parents[1] / "reports" / "corpus" / "docx"


def test_drafting_from_real_reports_gives_one_item_per_problem_and_its_plan(
        tmp_path: Path) -> None:
    import shutil

    from helpers import book_with_orgs

    book = book_with_orgs(tmp_path, ("石门村", "东门社区", "柏树垭村", "红旗村"))
    folder = tmp_path / "述职报告"
    folder.mkdir()
    # Named for its organization; causes "产生这些问题的原因，主要有以下几点：一是…二是…".
    shutil.copy(CORPUS / "a02-shimen.docx", folder / "石门村述职报告.docx")
    # Named for nothing: check matches it by its title (东门社区), and so must drafting.
    shutil.copy(CORPUS / "b02-dongmen.docx", folder / "述职报告(终稿)(1).docx")
    # 根源在于: three numbered causes inline after four problems.
    shutil.copy(CORPUS / "a04-baishuya.docx", folder / "柏树垭村.docx")
    (folder / "红旗村述职报告.docx").write_bytes(b"PK\x03\x04 not a document")
    (folder / "会议记录.docx").write_bytes((CORPUS / "a02-shimen.docx").read_bytes()[:0])
    result = CliRunner().invoke(main, ["rectify", str(book), "--draft"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    rows = _ledger(book)
    by_org: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_org.setdefault(str(row["org"]), []).append(row)
    # One item per problem, never per cause (3 + 4 + 4 problems; 3 + 3 + 3 causes).
    assert {org: len(items) for org, items in by_org.items()} == {
        "石门村": 3, "东门社区": 4, "柏树垭村": 4}
    assert not [r for r in rows if "原因" in str(r["problem"])]
    # Each measure is the plan a reader pairs with the problem, in whatever order.
    assert all(r["measure"] for r in rows)
    shimen = [str(r["measure"]) for r in by_org["石门村"]]
    assert shimen[0].startswith("推动党建与产业深度融合")  # answers 融合不够紧密
    assert shimen[1].startswith("加强流动党员管理")
    assert shimen[2].startswith("拓宽集体增收路子")  # answers 增收渠道单一
    dongmen = [str(r["measure"]) for r in by_org["东门社区"]]
    assert dongmen[0].startswith("拓展“两新”党建覆盖")
    # The files not drafted from are named, with the reason.
    assert "红旗村述职报告.docx" in result.output
    assert "会议记录.docx" in result.output
