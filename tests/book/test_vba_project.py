"""The VBA project: compiled with ms-ovba, wrapped by XlsxWriter, read back by olevba."""

from __future__ import annotations

import importlib.metadata
import io
import os
import struct
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from tongjia_xls.book import vba_project
from tongjia_xls.book.vba_project import (
    INSTALL_HINT,
    VbaModule,
    check_project,
    compile_project,
    read_bas,
    read_macros,
    recovered_modules,
    xlwings_module,
)
from tongjia_xls.errors import UserError

SHEETS = ["Dashboard", "Settings"]
BUTTONS = VbaModule(
    "Buttons",
    'Option Explicit\n\nSub ShowScores()\n    RunPython "import tongjia_xls.xl as x; x.scores()"\n'
    "End Sub",
)
TOOLS = VbaModule("Tools", "Function Two() As Long\n    Two = 2\nEnd Function")


def _near_identical_subs(count: int = 30) -> bytes:
    """Return VBA text whose Subs differ by a number only: long repeats for the compressor."""
    subs = [
        f'Sub Button{i:02d}()\r\n    RunPython "import tongjia_xls.xl as x; x.run({i})"\r\n'
        "End Sub\r\n"
        for i in range(count)
    ]
    return "\r\n".join(subs).encode("ascii")


def _xlsm(path: Path, project: bytes, sheets: list[str]) -> Path:
    """Write a real .xlsm holding ``project``, one worksheet per code name."""
    with xlsxwriter.Workbook(str(path)) as workbook:
        workbook.set_vba_name("ThisWorkbook")
        for name in sheets:
            workbook.add_worksheet(name).set_vba_name(name)
        workbook.add_vba_project(io.BytesIO(project), is_stream=True)  # type: ignore[arg-type]
    return path


def _decompress(data: bytes) -> bytes:
    """Decompress with olevba's decompressor, which follows MS-OVBA 2.4.1."""
    return bytes(vba_project._import("oletools.olevba").decompress_stream(bytearray(data)))


def _streams(project: bytes) -> dict[str, bytes]:
    """Every stream of a built vbaProject.bin, by its path ("PROJECT", "VBA/dir"...)."""
    ole = vba_project._import("olefile").OleFileIO(project)
    try:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    finally:
        ole.close()


def _dir_records(project: bytes) -> list[tuple[int, bytes]]:
    """The records of the dir stream ([MS-OVBA] 2.3.4.2) in order, as (id, data)."""
    data = _decompress(_streams(project)["VBA/dir"])
    records, offset = [], 0
    while offset < len(data):
        record_id, size = struct.unpack_from("<HI", data, offset)
        if record_id == 0x0009:  # PROJECTVERSION: its Reserved field says 4, six bytes follow
            size = 6
        records.append((record_id, data[offset + 6 : offset + 6 + size]))
        offset += 6 + size
    return records


def _module_names(project: bytes) -> list[str]:
    """The MODULENAME of every module record of the dir stream, in its order."""
    return [data.decode("cp1252") for record, data in _dir_records(project) if record == 0x0019]


@pytest.fixture(scope="module")
def modules() -> list[VbaModule]:
    return [xlwings_module(), BUTTONS, TOOLS]


@pytest.fixture(scope="module")
def project(modules: list[VbaModule]) -> bytes:
    return compile_project(modules, SHEETS)


@pytest.fixture(scope="module")
def workbook(project: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _xlsm(tmp_path_factory.mktemp("xlsm") / "按钮.xlsm", project, SHEETS)


def test_every_module_comes_back_exactly(workbook: Path, modules: list[VbaModule]) -> None:
    found = recovered_modules(workbook)
    assert found == {
        "ThisWorkbook": "", "Dashboard": "", "Settings": "",
        **{module.name: module.code for module in modules},
    }
    assert check_project(workbook, modules) == []


def test_module_streams_hold_the_source_with_crlf(
    workbook: Path, modules: list[VbaModule]
) -> None:
    olefile = vba_project._import("olefile")
    with zipfile.ZipFile(workbook) as archive:
        ole = olefile.OleFileIO(archive.read("xl/vbaProject.bin"))
    try:
        for module in modules:
            text = _decompress(ole.openstream(f"VBA/{module.name}").read()).decode("ascii")
            expected = f'Attribute VB_Name = "{module.name}"\n{module.code}\n'
            assert text == expected.replace("\n", "\r\n")
    finally:
        ole.close()


def test_the_project_stream_has_version_and_workspace_as_excel_writes(
    project: bytes, modules: list[VbaModule]
) -> None:
    names = ["ThisWorkbook", *SHEETS, *(module.name for module in modules)]
    assert _module_names(project) == names
    text = _streams(project)["PROJECT"].decode("cp1252")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    # [MS-OVBA] 2.3.1.1: ProjectName ProjectHelpId [ProjectVersionCompat32] ProjectProtectionState
    at = lines.index('HelpContextID="0"')
    assert lines[at - 1] == 'Name="VBAProject"'
    assert lines[at + 1] == 'VersionCompatible32="393222000"'
    assert lines[at + 2].startswith('CMG="')
    # 2.3.1.18-20: after the host extenders, one closed editor window per module.
    assert lines[lines.index("[Host Extender Info]") :] == [
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "", "[Workspace]", *(f"{name}=0, 0, 0, 0, C" for name in names), "",
    ]


def test_projectwm_names_every_module_in_both_encodings_uncompressed(project: bytes) -> None:
    # [MS-OVBA] 2.3.3: NAMEMAP records in the order of PROJECTMODULES, each the name in
    # MBCS ending in 0x00 then in UTF-16 ending in 0x0000, and a 0x0000 terminator; the
    # stream is not compressed, so its bytes are exactly these.
    names = _module_names(project)
    assert len(names) == len(SHEETS) + 4
    expected = b"".join(
        name.encode("cp1252") + b"\x00" + name.encode("utf-16-le") + b"\x00\x00" for name in names
    )
    assert _streams(project)["PROJECTwm"] == expected + b"\x00\x00"


def test_the_only_reference_is_stdole(project: bytes) -> None:
    records = _dir_records(project)
    assert [data for record, data in records if record == 0x0016] == [b"stdole"]  # REFERENCENAME
    (registered,) = [data for record, data in records if record == 0x000D]
    size = struct.unpack_from("<I", registered)[0]
    assert registered[4 : 4 + size] == (
        b"*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        b"C:\\Windows\\System32\\stdole2.tlb#OLE Automation"
    )
    decompressed = _decompress(_streams(project)["VBA/dir"])
    assert b"2DF8D04C" not in decompressed and b"MSO.DLL" not in decompressed  # no Office library


def test_a_changed_or_missing_module_is_reported(workbook: Path) -> None:
    changed = VbaModule("Buttons", "Sub ShowScores()\nEnd Sub")
    assert check_project(workbook, [changed, VbaModule("Reports", ""), TOOLS]) == [
        "工作簿“按钮.xlsm”中宏模块“Buttons”的代码与源文件不一致。",
        "工作簿“按钮.xlsm”中找不到宏模块“Reports”。",
    ]


def test_xlwings_module_is_the_installed_one() -> None:
    module = xlwings_module()
    assert module.name == "xlwings"
    assert f"'Version: {importlib.metadata.version('xlwings')}\n" in module.code
    assert "Function RunPython(" in module.code


def test_read_bas_takes_the_name_and_canonical_code(tmp_path: Path) -> None:
    path = tmp_path / "buttons.bas"
    path.write_bytes(b'Attribute VB_Name = "Buttons"\r\nSub A()  \r\nEnd Sub\r\n\r\n')
    assert read_bas(path) == VbaModule("Buttons", "Sub A()\nEnd Sub")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('Attribute VB_Name = "A"\nSub A()\n    MsgBox "好"\nEnd Sub\n'.encode(),
         "宏文件“x.bas”第3行含有非 ASCII 字符（中文应写在 Python 一侧），请改为英文。"),
        ('\ufeffAttribute VB_Name = "A"\n'.encode(), "宏文件“x.bas”第1行含有非 ASCII 字符"),
        (b"Sub A()\nEnd Sub\n", "宏文件“x.bas”第1行应为 Attribute VB_Name"),
        (b"", "宏文件“x.bas”第1行应为 Attribute VB_Name"),
        (b'Attribute VB_Name = "1st"\n', "模块名“1st”不合规"),
        (b'Attribute VB_Name = "Sheet One"\n', "模块名“Sheet One”不合规"),
    ],
)
def test_read_bas_refuses(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.bas"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_bas(path)


def test_read_macros_reads_every_bas_by_module_name(tmp_path: Path) -> None:
    (tmp_path / "a.bas").write_text('Attribute VB_Name = "Zeta"\nSub Z()\nEnd Sub\n')
    (tmp_path / "b.bas").write_text('Attribute VB_Name = "Alpha"\n')
    (tmp_path / "notes.txt").write_text("not a module")
    assert read_macros(tmp_path) == [VbaModule("Alpha", ""), VbaModule("Zeta", "Sub Z()\nEnd Sub")]


def test_the_upstream_compressor_corrupts_what_ours_keeps() -> None:
    # Why the build compresses with tongjia_xls.book.ovba_compression: ms-ovba-compression
    # 1.0.1 gets the longest copy a token may make wrong, so long modules come back damaged.
    upstream = vba_project._import("ms_ovba_compression.ms_ovba").MsOvba
    text = _near_identical_subs()
    assert _decompress(upstream().compress(text)) != text
    with vba_project._our_compressor():
        assert _decompress(upstream().compress(text)) == text
    assert _decompress(upstream().compress(text)) != text  # restored after the block


def test_repetitive_modules_survive_compilation(tmp_path: Path) -> None:
    subs = VbaModule("Many", _near_identical_subs().decode("ascii").replace("\r\n", "\n").rstrip())
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(compile_project([subs], []))
    assert recovered_modules(path) == {"ThisWorkbook": "", "Many": subs.code}


def test_builds_are_reproducible_and_do_not_accumulate(tmp_path: Path) -> None:
    first = compile_project([BUTTONS, TOOLS], SHEETS)
    second = compile_project([BUTTONS, TOOLS], SHEETS)
    assert first == second
    workbook = _xlsm(tmp_path / "again.xlsm", second, SHEETS)
    found = recovered_modules(workbook)
    assert (found["Buttons"], found["Tools"]) == (BUTTONS.code, TOOLS.code)


def test_compiling_leaves_the_current_directory_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    compile_project([TOOLS], SHEETS)
    assert Path.cwd() == tmp_path
    assert list(tmp_path.iterdir()) == []


def test_a_failed_compile_restores_the_directory_and_the_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compressor = vba_project._import("ms_ovba_compression.ms_ovba").MsOvba
    crypto = vba_project._import("ms_ovba_crypto.ms_ovba_crypto")
    before = (compressor.__dict__["compress"], crypto.random)

    def disk_full(data: bytes) -> bytes:
        # ms-ovba holds an open module.bin here: its ResourceWarning must not escape
        assert Path.cwd() != tmp_path
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tongjia_xls.book.ovba_compression.compress", disk_full)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OSError, match="No space left"):
        compile_project([TOOLS], SHEETS)
    assert Path.cwd() == tmp_path
    assert os.listdir(tmp_path) == []
    assert (compressor.__dict__["compress"], crypto.random) == before


@pytest.mark.parametrize(
    ("modules", "documents", "message"),
    [
        ([VbaModule("dashboard", "")], SHEETS, "VBA 模块名“dashboard”重复"),
        ([TOOLS, TOOLS], [], "VBA 模块名“Tools”重复"),
        ([VbaModule("Tools", "' 说明")], [], "宏模块“Tools”含有非 ASCII 字符"),
        ([], ["工作表1"], "VBA 模块名“工作表1”不合规"),
    ],
)
def test_compile_refuses_bad_names_and_code(
    modules: list[VbaModule], documents: list[str], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        compile_project(modules, documents)


@pytest.mark.parametrize("missing", ["ms_ovba.vbaProject", "oletools.olevba"])
def test_a_missing_extra_gives_the_install_hint(
    missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(UserError) as raised:
        if missing.startswith("ms_ovba"):
            compile_project([TOOLS], [])
        else:
            recovered_modules(tmp_path / "any.xlsm")
    assert str(raised.value) == INSTALL_HINT
