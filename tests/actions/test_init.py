"""init: the town's own name everywhere, rosters as towns hand them in (.xls, extra columns)."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import type_setting
from tongjia_xls.actions import init_workbook, validate_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.cli import main
from tongjia_xls.errors import Severity, UserError
from tongjia_xls.sheets.schema import ORGS


def _settings(path: Path):
    with Workbook.open(path, for_write=False) as book:
        return book.settings()[0]


def _roster(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize(
    ("options", "committee"),
    [
        (["--town", "石桥镇", "--county", "乐至县"], "中共乐至县石桥镇委员会"),
        (["--town", "石桥镇"], "中共石桥镇委员会"),
        (["--county", "安岳县"], "中共安岳县童家镇委员会"),
        ([], "中共乐至县童家镇委员会"),
    ],
)
def test_init_names_the_committee_after_the_town(tmp_path: Path, options: list[str],
                                                 committee: str) -> None:
    out = tmp_path / "考核.xlsx"
    result = CliRunner().invoke(main, ["init", str(out), *options])
    assert result.exit_code == 0, result.output
    settings = _settings(out)
    assert settings.committee == committee
    assert settings.town == (options[1] if options[:1] == ["--town"] else "童家镇")


def test_a_town_without_county_says_how_to_add_it(tmp_path: Path) -> None:
    outcome = init_workbook(tmp_path / "考核.xlsx", town="石桥镇")
    notes = [d.message for d in outcome.diagnostics if d.severity is Severity.INFO]
    assert any("中共石桥镇委员会" in n and "--county" in n for n in notes)


def test_the_roster_s_town_column_names_the_town_and_extra_columns_are_named(
    tmp_path: Path,
) -> None:
    roster = _roster(tmp_path / "名单.csv", [
        ["序号", "党组织名称", "书记姓名", "乡镇", "县", "联系电话"],
        ["1", "东风村党委", "张三", "石桥镇", "乐至县", "13800000000"],
        ["2", "团结社区党委", "李四", "石桥镇", "乐至县", "13900000000"],
    ])
    outcome = init_workbook(tmp_path / "考核.xlsx", roster=roster)
    settings = _settings(tmp_path / "考核.xlsx")
    assert (settings.town, settings.committee) == ("石桥镇", "中共乐至县石桥镇委员会")
    dropped = [d for d in outcome.diagnostics if "联系电话" in d.message]
    assert len(dropped) == 1 and dropped[0].file == "名单.csv"
    assert dropped[0].severity is Severity.WARNING
    assert not any("乡镇" in d.message and "没有导入" in d.message for d in outcome.diagnostics)
    with Workbook.open(tmp_path / "考核.xlsx", for_write=False) as book:
        assert [r["org"] for r in book.read(ORGS)] == ["东风村党委", "团结社区党委"]


def test_a_roster_naming_two_towns_names_none(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名单.csv", [
        ["党组织名称", "乡镇"], ["东风村党委", "石桥镇"], ["团结社区党委", "宝林镇"],
    ])
    init_workbook(tmp_path / "考核.xlsx", roster=roster)
    assert _settings(tmp_path / "考核.xlsx").town == "童家镇"


def test_the_town_option_wins_over_the_roster(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名单.csv", [["党组织名称", "乡镇"], ["东风村党委", "石桥镇"]])
    init_workbook(tmp_path / "考核.xlsx", roster=roster, town="宝林镇")
    assert _settings(tmp_path / "考核.xlsx").committee == "中共宝林镇委员会"


def test_validate_warns_when_the_committee_is_another_town_s(tmp_path: Path) -> None:
    out = tmp_path / "考核.xlsx"
    init_workbook(out)
    assert not any("党委名称" in d.message for d in validate_workbook(out).diagnostics)
    type_setting(out, "乡镇", "石桥镇")
    found = [d for d in validate_workbook(out).diagnostics if "党委名称" in d.message]
    assert len(found) == 1
    assert found[0].severity is Severity.WARNING and found[0].sheet == "设置"
    assert "中共乐至县童家镇委员会" in found[0].message and "石桥镇" in found[0].message
    type_setting(out, "党委名称", "中共乐至县石桥镇委员会")
    assert not any("党委名称" in d.message for d in validate_workbook(out).diagnostics)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_xls_roster_is_converted_through_libreoffice(tmp_path: Path) -> None:
    from tongjia_xls.word.convert import convert

    sheet = openpyxl.Workbook()
    for row in (["党组织名称", "书记姓名", "联系电话"], ["东风村党委", "张三", "138"]):
        sheet.active.append(row)
    sheet.save(tmp_path / "名单.xlsx")
    xls = tmp_path / "名单.xls"
    xls.write_bytes(convert(tmp_path / "名单.xlsx", "soffice", "xls"))
    assert not zipfile.is_zipfile(xls)  # a real BIFF file, not an .xlsx renamed
    outcome = init_workbook(tmp_path / "考核.xlsx", roster=xls)
    with Workbook.open(tmp_path / "考核.xlsx", for_write=False) as book:
        assert [(r["org"], r["secretary"]) for r in book.read(ORGS)] == [("东风村党委", "张三")]
    assert any("联系电话" in d.message and d.file == "名单.xls" for d in outcome.diagnostics)


def test_a_xls_roster_without_libreoffice_says_what_to_do(tmp_path: Path) -> None:
    xls = tmp_path / "名单.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    with pytest.raises(UserError, match=r"另存为 \.xlsx"):
        init_workbook(tmp_path / "考核.xlsx", roster=xls, soffice=None)
