"""The loss guard: a save that would lose anything of the staff's is refused and named.

A real workbook with staff features (a corpus file saved by Excel) is changed the way a
faulty writer would change it; the guard must name the loss in staff's words. Claimed
changes pass. Then the whole chain: a writer bug injected into the file backend makes the
save fail with the Chinese message, the file and the backup folder untouched.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tongjia_xls.book import file_backend
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.book.loss_guard import Claims, describe, find_losses
from tongjia_xls.book.save import BACKUP_DIR
from tongjia_xls.errors import SaveRefused
from tongjia_xls.sheets.schema import DASHBOARD, SCORES

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "xlsx-real"
#: Excel 2016: conditional formats (x14 data bars), validation lists, a picture, a table.
RICH = CORPUS / "poi__ConditionalFormattingSamples.xlsx"
#: Excel 2010: a text box, a comment, a form control, VBA.
SHAPES = CORPUS / "EPPlus__VBADecompressBug.xlsm"
needs_corpus = pytest.mark.skipif(not RICH.exists(), reason="../shared/corpora is missing")


def _rezip(raw: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info, data)
    return out.getvalue()


def _in(part: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: data.replace(old, new, 1) if name == part else data


def _drop(part: str) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: None if name == part else data


def _strip(part: str, pattern: bytes) -> Callable[[str, bytes], bytes | None]:
    """Remove the first match of ``pattern`` from ``part`` (``*``: the first sheet with one)."""
    def change(name: str, data: bytes) -> bytes:
        if part == "*" and not done and name.startswith("xl/worksheets/sheet") and re.search(
            pattern, data, flags=re.S
        ):
            done.append(name)
        elif name != part:
            return data
        return re.sub(pattern, b"", data, count=1, flags=re.S)

    done: list[str] = []
    return change


X14 = CORPUS / "openpyxl__conditional-formatting.xlsx"  # data bars and icon sets (x14)
NAMES = CORPUS / "ClosedXML__InvalidPrintTitles.xlsx"  # print titles as a defined name


@needs_corpus
@pytest.mark.parametrize(("source", "change", "named"), [
    # The sheet's own extension list, the last child: x14 data bars and icon sets.
    (X14, _strip("*", rb"<extLst>(?:(?!<extLst>).)*</extLst>(?=</worksheet>)"),
     "扩展功能（数据条、图标集"),
    (NAMES, _strip("xl/workbook.xml", rb"<definedNames>.*?</definedNames>"), "名称（含打印标题"),
])
def test_x14_formats_and_print_titles_are_watched(source: Path, change: Callable,
                                                   named: str) -> None:
    old = source.read_bytes()
    assert named in describe(find_losses(old, _rezip(old, change), Claims()))


@needs_corpus
@pytest.mark.parametrize(("change", "named"), [
    (_drop("xl/media/image1.png"), "图片（xl/media/image1.png）"),
    (_drop("xl/drawings/drawing1.xml"), "图片、图形或图表"),
    (_strip("*", rb"<conditionalFormatting.*?</conditionalFormatting>"), "条件格式"),
    (_strip("*", rb"<dataValidations.*?</dataValidations>"), "下拉列表"),
    (_strip("*", rb"<mergeCells.*?</mergeCells>"), "合并单元格"),
    (_strip("*", rb"<pageSetup[^>]*/>"), "页面设置"),
    (_in("xl/worksheets/sheet1.xml", b"<v>253</v>", b"<v>254</v>"), "A1 单元格"),
    (_in("xl/sharedStrings.xml", b"<t>", b"<t>X"), "单元格中的文字"),
    (_in("xl/styles.xml", b"<font>", b"<font><b/>"), "单元格格式"),
])
def test_a_loss_is_named_in_staff_words(change: Callable, named: str) -> None:
    old = RICH.read_bytes()
    new = _rezip(old, change)
    assert new != old
    losses = find_losses(old, new, Claims())
    assert named in describe(losses), describe(losses)


@needs_corpus
def test_comment_formatting_and_text_boxes_are_watched(tmp_path: Path) -> None:
    old = SHAPES.read_bytes()
    names = zipfile.ZipFile(io.BytesIO(old)).namelist()
    vml = next(n for n in names if n.endswith(".vml"))
    comments = next(n for n in names if n.startswith("xl/comments"))
    for part, label in ((vml, "批注框或按钮"), (comments, "批注")):
        new = _rezip(old, lambda name, data, part=part: data + b" " if name == part else data)
        assert label in describe(find_losses(old, new, Claims()))


@needs_corpus
def test_claimed_changes_pass_and_only_those() -> None:
    old = RICH.read_bytes()
    new = _rezip(old, _in("xl/worksheets/sheet1.xml", b"<v>253</v>", b"<v>254</v>"))
    assert find_losses(old, new, Claims(cells={"xl/worksheets/sheet1.xml": {(1, 1)}})) == []
    assert find_losses(old, new, Claims(cells={"xl/worksheets/sheet1.xml": {(1, 2)}})) != []


def test_a_writer_bug_is_refused_before_the_file_is_touched(
    book_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = file_backend.sheet_write.patch_cells

    def faulty(data: bytes, edits, **options):
        # A writer that also "tidies" the sheet: it drops the dropdown lists.
        return re.sub(rb"<dataValidations.*?</dataValidations>", b"",
                      original(data, edits, **options), flags=re.S)

    monkeypatch.setattr(file_backend.sheet_write, "patch_cells", faulty)
    before = book_path.read_bytes()
    with Workbook.open(book_path) as book:
        book.update_rows(SCORES, {2: {"composite": 99}})
        with pytest.raises(SaveRefused, match=r"评分.*下拉列表.*工作簿保持原样"):
            book.save()
    # Nothing of this run is kept but the reason, on 控制台, saved on its own.
    note = Workbook.open(book_path, for_write=False).read(DASHBOARD).by_key()["保存被拒绝"]
    assert "下拉列表" in note["status"] and "技术支持" in note["next_step"]
    with Workbook.open(book_path, for_write=False) as after:
        assert after.read(SCORES).records[0]["composite"] != 99
    assert len(list((book_path.parent / BACKUP_DIR).iterdir())) == 1
    assert (book_path.parent / BACKUP_DIR).iterdir().__next__().read_bytes() == before
