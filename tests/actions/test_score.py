"""score_workbook on a real workbook: ballots tallied, grades proposed, staff decisions kept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import ORG_NAMES, type_setting
from tongjia_xls.actions import score_workbook, validate_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.dashboard import STAGE_GRADES
from tongjia_xls.sheets.schema import BALLOT_DETAILS, BALLOTS, DASHBOARD, SCORES
from tongjia_xls.sheets.table import key_text

# Five organizations; 20 evaluators each mark all five.
MARKS = {
    "青杠湾村": ["好"] * 18 + ["较好"] * 2,
    "松林坪村": ["好"] * 15 + ["较好"] * 5,
    "白鹭溪村": ["好"] * 10 + ["较好"] * 8 + ["一般"] * 2,
    "金竹岭村": ["好"] * 16 + ["较好"] * 4,
    "南华路社区": ["好"] * 12 + ["较好"] * 6 + ["一般"] * 2,
}
ROUTINE = {"青杠湾村": 95, "松林坪村": 92, "白鹭溪村": 84, "金竹岭村": 93, "南华路社区": 88}
FIELD = {"青杠湾村": 94, "松林坪村": 90, "白鹭溪村": 86, "金竹岭村": 93, "南华路社区": 87}


def _fill(path: Path, *, blank_ballot: bool = False) -> None:
    wb = openpyxl.load_workbook(path)
    details = wb[BALLOT_DETAILS.title]
    headers = {details.cell(row=1, column=c).value: c for c in range(1, details.max_column + 1)}
    for index in range(20):
        row = index + 2
        details.cell(row=row, column=1).value = f"{index + 1:03d}"
        for org, marks in MARKS.items():
            details.cell(row=row, column=headers[org]).value = marks[index]
    if blank_ballot:
        details.cell(row=22, column=1).value = "021"
    scores = wb[SCORES.title]
    for row in range(2, 7):
        org = scores.cell(row=row, column=1).value
        scores.cell(row=row, column=3).value = ROUTINE[org]
        scores.cell(row=row, column=4).value = FIELD[org]
    wb.save(path)


def _type_into(path: Path, coordinate: str, value: object) -> None:
    # Through the file backend, as the tool writes: no extra openpyxl round trip.
    book = Workbook.open(path)
    row, col = int(coordinate[1:]), ord(coordinate[0]) - 64
    book.backend.write_cells(SCORES.title, {(row, col): value})
    book.save()


def _scores(path: Path) -> dict[str, dict[str, object]]:
    return {k: r.values for k, r in Workbook.open(path).read(SCORES).by_key().items()}


def test_score_tallies_ballots_and_proposes_grades_under_the_quota(book_path: Path) -> None:
    _fill(book_path, blank_ballot=True)
    result = CliRunner().invoke(main, ["score", str(book_path)])
    assert result.exit_code == 0, result.output
    book = Workbook.open(book_path)
    ballots = book.read(BALLOTS).by_key()
    assert (ballots["青杠湾村"]["good"], ballots["青杠湾村"]["valid_votes"]) == (18, 20)
    assert ballots["青杠湾村"]["ballot_score"] == pytest.approx(99.0)
    flags = [r["flags"] for r in book.read(BALLOT_DETAILS) if r["flags"]]
    assert any("021" in f or "空白" in f for f in flags)
    scores = _scores(book_path)
    top = scores["青杠湾村"]
    assert top["composite"] == pytest.approx(round(0.3 * 95 + 0.3 * 94 + 0.4 * 99, 2))
    assert top["rank"] == 1  # a number, so that sorting gives 1, 2, 10
    proposed = [s["proposed_grade"] for s in scores.values()]
    assert sum(g != "好" for g in proposed) >= 1  # ⌈5 × 15%⌉ = 1
    assert sum(g in ("一般", "差") for g in proposed) >= 1
    notes = "\n".join(str(s["grade_notes"] or "") for s in scores.values())
    assert "比例要求“一般”和“差”至少 1 个" in notes
    assert "5 × 15% = 0.75，向上取整为 1 个" in result.output
    assert all(s["opinion"] for s in scores.values())
    assert "建议等次" in result.output and "党组织" in result.output


def test_the_committees_final_grades_are_never_changed_and_are_checked(book_path: Path) -> None:
    _fill(book_path)
    wb = openpyxl.load_workbook(book_path)
    ws = wb[SCORES.title]
    final_col = [c.name for c in SCORES.columns].index("final_grade") + 1
    for row in range(2, 7):
        ws.cell(row=row, column=final_col).value = "好"  # all 好: breaks the quota
    wb.save(book_path)
    score_workbook(book_path)
    assert {s["final_grade"] for s in _scores(book_path).values()} == {"好"}
    lines = Workbook.open(book_path).read(DASHBOARD).by_key()
    status = lines[key_text(STAGE_GRADES)]["status"]
    assert "少于要求的 1 个" in status


def test_an_edited_opinion_is_staff_and_a_draft_follows_the_data(book_path: Path) -> None:
    _fill(book_path)
    score_workbook(book_path)
    wb = openpyxl.load_workbook(book_path)
    ws = wb[SCORES.title]
    opinion_col = [c.name for c in SCORES.columns].index("opinion") + 1
    ws.cell(row=2, column=opinion_col).value = "党委修改后的意见。"
    ws.cell(row=3, column=4).value = 70  # 松林坪村's 实地调研 drops: its draft must follow
    wb.save(book_path)
    before = _scores(book_path)["松林坪村"]["opinion"]
    score_workbook(book_path)
    scores = _scores(book_path)
    assert scores["青杠湾村"]["opinion"] == "党委修改后的意见。"
    assert scores["松林坪村"]["opinion"] != before


def test_weights_that_do_not_sum_to_one_compute_nothing_and_clear_last_runs(
    book_path: Path,
) -> None:
    _fill(book_path)
    score_workbook(book_path)
    assert _scores(book_path)["青杠湾村"]["composite"] is not None
    type_setting(book_path, "现场述职权重", 0.3)
    result = CliRunner().invoke(main, ["score", str(book_path)])
    assert result.exit_code == 2
    assert "0.9" in result.output and "Traceback" not in result.output
    # No figure of last run stays beside weights that no longer give it.
    for row in _scores(book_path).values():
        assert row["composite"] is None and row["rank"] is None
        assert row["proposed_grade"] is None and "未计算" in str(row["grade_notes"])


def test_a_missing_component_is_flagged_never_zero(book_path: Path) -> None:
    _fill(book_path)
    wb = openpyxl.load_workbook(book_path)
    wb[SCORES.title]["D3"] = None  # 松林坪村 without 实地调研
    wb.save(book_path)
    score_workbook(book_path)
    row = _scores(book_path)["松林坪村"]
    assert row["composite"] is None and row["proposed_grade"] is None
    assert "实地调研" in str(row["grade_notes"])


def test_statistics_charts_survive_later_writes_and_a_rerun_changes_nothing(
    book_path: Path,
) -> None:
    _fill(book_path)
    score_workbook(book_path)
    before = book_path.read_bytes()
    assert not score_workbook(book_path).saved
    assert book_path.read_bytes() == before
    _type_into(book_path, "C2", "九十")  # staff type a wrong score: validate must save
    assert validate_workbook(Workbook.open(book_path)).saved
    with zipfile.ZipFile(book_path) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_counts_typed_in_the_ballot_sheet_are_used_without_details(book_path: Path) -> None:
    wb = openpyxl.load_workbook(book_path)
    ws = wb[BALLOTS.title]
    for row in range(2, 7):
        for col, count in zip(range(3, 7), (10, 5, 3, 2), strict=True):
            ws.cell(row=row, column=col).value = count
    wb.save(book_path)
    score_workbook(book_path)
    ballots = Workbook.open(book_path).read(BALLOTS).by_key()
    assert ballots[ORG_NAMES[0]]["ballot_score"] == pytest.approx((1000 + 450 + 225 + 120) / 20)


@pytest.mark.parametrize("bad", ["二十", "=20+4", "-1", "15.5"])
def test_an_unreadable_vote_count_gives_no_score_and_no_grade(book_path: Path, bad: str) -> None:
    wb = openpyxl.load_workbook(book_path)
    ballots = wb[BALLOTS.title]
    for row in range(2, 7):
        for col, votes in zip((3, 4, 5, 6), (30, 4, 1, 0), strict=True):
            ballots.cell(row=row, column=col).value = votes
    ballots.cell(row=3, column=3).value = bad  # 松林坪村's 好
    scores = wb[SCORES.title]
    for row in range(2, 7):
        scores.cell(row=row, column=3).value = 90
        scores.cell(row=row, column=4).value = 90
    wb.save(book_path)
    outcome = score_workbook(book_path)
    rows = _scores(book_path)
    assert rows["松林坪村"]["composite"] is None and rows["松林坪村"]["proposed_grade"] is None
    assert "测评票" in str(rows["松林坪村"]["grade_notes"])
    assert all(rows[o]["composite"] is not None for o in rows if o != "松林坪村")
    said = [d.message for d in outcome.diagnostics if "比例基数" in d.message]
    assert said and "松林坪村" in said[0]


def test_a_score_typed_with_its_unit_is_used_and_noted(book_path: Path) -> None:
    _fill(book_path)
    wb = openpyxl.load_workbook(book_path)
    wb[SCORES.title]["C2"] = "93分"
    wb.save(book_path)
    outcome = score_workbook(book_path)
    assert _scores(book_path)["青杠湾村"]["composite"] is not None
    assert any("“93分”按 93 计算" in d.message for d in outcome.diagnostics)


def _rename_in_roster(path: Path, old: str, new: str | None) -> None:
    """Rename (or, with ``new`` None, delete) an organization in 组织 only, as staff do."""
    wb = openpyxl.load_workbook(path)
    orgs = wb["组织"]
    for row in orgs.iter_rows(min_row=2):
        for cell in row:
            if cell.value == old:
                if new is None:
                    orgs.delete_rows(cell.row)
                else:
                    cell.value = new
                wb.save(path)
                return
    raise AssertionError(old)


def test_a_renamed_or_deleted_org_leaves_no_stale_figures(book_path: Path) -> None:
    _fill(book_path)
    score_workbook(book_path)
    assert _scores(book_path)["白鹭溪村"]["composite"] is not None
    _rename_in_roster(book_path, "白鹭溪村", "白露溪村")
    _rename_in_roster(book_path, "南华路社区", None)
    outcome = score_workbook(book_path)
    scores = _scores(book_path)
    for orphan in ("白鹭溪村", "南华路社区"):
        assert scores[orphan]["composite"] is None and scores[orphan]["rank"] is None
    ranks = sorted(r["rank"] for r in scores.values() if r["rank"] is not None)
    assert ranks == sorted(set(ranks))  # no two rows left with the same stale rank
    messages = [d.message for d in outcome.diagnostics if d.sheet == SCORES.title]
    assert any("是否应为“白露溪村”" in m for m in messages)
    assert not any("南华路社区" in m and "是否应为" in m for m in messages)
    assert any("已清空本行" in m for m in messages)


def test_an_org_without_a_ballot_column_is_not_voted_for_not_a_faulty_ballot(
    book_path: Path,
) -> None:
    _fill(book_path)
    wb = openpyxl.load_workbook(book_path)
    details = wb[BALLOT_DETAILS.title]
    column = next(c for c in range(1, details.max_column + 1)
                  if details.cell(row=1, column=c).value == "南华路社区")
    details.delete_cols(column)
    wb.save(book_path)
    outcome = score_workbook(book_path)
    # Not one ballot is faulty for leaving out an organization it had no column for.
    assert not [f for f in outcome.flags if f.kind in ("partial", "blank")]
    assert not any("南华路社区" in f.message for f in outcome.flags)
    ballots = Workbook.open(book_path).read(BALLOTS).by_key()
    assert ballots["南华路社区"]["ballot_score"] is None
    assert ballots["青杠湾村"]["ballot_score"] == pytest.approx(99.0)
    assert any("按未对该党组织测评处理" in d.message for d in outcome.diagnostics)


def test_rename_org_renames_everywhere_and_scores_stay_whole(book_path: Path) -> None:
    from tongjia_xls.sheets.schema import RECTIFICATION

    _fill(book_path)
    wb = openpyxl.load_workbook(book_path)
    wb[RECTIFICATION.title].append(["白鹭溪村", "会议点评", "集体经济收入偏低"])
    wb.save(book_path)
    before = score_workbook(book_path)
    result = CliRunner().invoke(main, ["rename-org", str(book_path), "白鹭溪村", "白露溪村"])
    assert result.exit_code == 0, result.output
    assert "已把“白鹭溪村”改为“白露溪村”" in result.output
    book = Workbook.open(book_path, for_write=False)
    for sheet in (SCORES, BALLOTS):
        names = [r["org"] for r in book.read(sheet)]
        assert "白露溪村" in names and "白鹭溪村" not in names
    assert [r["org"] for r in book.read(RECTIFICATION)] == ["白露溪村"]
    assert "白露溪村" in book.read(BALLOT_DETAILS).layout.extra_headers.values()
    after = score_workbook(book_path)
    assert [f.message for f in after.flags] == [f.message for f in before.flags]
    assert _scores(book_path)["白露溪村"]["composite"] == pytest.approx(
        next(r for r in before.rows if r["org"] == "白鹭溪村")["composite"])
    twice = CliRunner().invoke(main, ["rename-org", str(book_path), "白鹭溪村", "白露溪村"])
    assert twice.exit_code != 0 and "“组织”表中没有“白鹭溪村”" in twice.output
