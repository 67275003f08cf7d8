"""The VBA project of the button workbook: compile .bas sources, check what was built.

``compile_project`` turns standard modules into the bytes of an Excel ``vbaProject.bin``
with ms-ovba; ``check_project`` reads a built .xlsm back with oletools' olevba and says,
in Chinese, which module did not come back exactly. Both libraries are optional (the
``xlsm`` extra) and imported only when used.

What building with ms-ovba 0.0.1 takes, as found by experiment (no Excel ran the result):
the project needs a fixed valid project id (the default ``'{}'`` is invalid) and a document
module for ThisWorkbook and for every sheet code name the workbook declares; ms-ovba writes
helper files into the current directory, so it runs in a fresh temporary one, and never
through its command-line entry (which writes into its install folder); the sources stay
ASCII, since ms-ovba declares codepage 1252 and encodes with the locale's encoding. The
built project is checked with olevba, because ms-ovba's own decompressor fails on its output.

No Excel runs where the project is built, so it follows what Excel writes, down to the parts
[MS-OVBA] leaves optional: ``VersionCompatible32`` and a ``[Workspace]`` line per module in the
PROJECT stream (2.3.1), the PROJECTwm stream (2.3.3), and the stdole reference, the only one.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import random
import re
import tempfile
import traceback
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from tongjia_xls.book import ovba_compression
from tongjia_xls.errors import UserError

INSTALL_HINT = (
    "生成按钮版工作簿（.xlsm）需要附加组件。请在本工具的文件夹中运行：pip install \".[xlsm]\""
    "（或 pip install \"tongjia-xls[xlsm]\"），然后重新运行。"
)
#: Fixed, so that the same sources always give the same bytes.
PROJECT_ID = "{9E394C0B-697E-4AEE-9FA6-446F51FB30DC}"
#: Seed of the obfuscation bytes of the PROJECT stream (CMG, DPB, GC).
CRYPTO_SEED = 20240101
WORKBOOK_GUID = uuid.UUID("00020819-0000-0000-C000-000000000046")
WORKSHEET_GUID = uuid.UUID("00020820-0000-0000-C000-000000000046")
#: The one reference of the project: OLE Automation, as Excel writes it ([MS-OVBA] 2.1.1.8).
STDOLE_GUID = "00020430-0000-0000-C000-000000000046"
STDOLE_PATH = "C:\\Windows\\System32\\stdole2.tlb"
#: The only value [MS-OVBA] 2.3.1.14 allows for VersionCompatible32.
VERSION_COMPATIBLE_32 = "393222000"
#: Each module's [Workspace] line ([MS-OVBA] 2.3.1.20): editor window closed, no position.
CLOSED_WINDOW = (0, 0, 0, 0, "C")

_VB_NAME = re.compile(r'Attribute\s+VB_Name\s*=\s*"([^"]*)"\s*', re.IGNORECASE)
_ATTRIBUTE = re.compile(r"Attribute\s", re.IGNORECASE)
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
#: What ms-ovba's blank_files/*.cls hold; DocModule.normalize_file keeps line 5 onward.
_DOCUMENT_SOURCE = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "{name}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = True
"""


@dataclass(frozen=True)
class VbaModule:
    """One standard module: its name (VB_Name) and its source code."""

    name: str
    code: str  # without the 'Attribute VB_Name' line, lines joined with "\n"


def _canonical(lines: Sequence[str]) -> str:
    """Join lines with "\\n", without trailing whitespace or trailing blank lines."""
    return "\n".join(line.rstrip() for line in lines).rstrip()


def read_bas(path: Path) -> VbaModule:
    """Read one exported standard module (.bas); its code comes back in canonical form."""
    raw = path.read_bytes().splitlines()  # bytes: splits at CR and LF only
    for number, line in enumerate(raw, start=1):
        if not line.isascii():
            raise UserError(
                f"宏文件“{path.name}”第{number}行含有非 ASCII 字符（中文应写在 Python 一侧），"
                "请改为英文。"
            )
    lines = [line.decode("ascii") for line in raw]
    found = _VB_NAME.fullmatch(lines[0]) if lines else None
    if found is None:
        raise UserError(
            f"宏文件“{path.name}”第1行应为 Attribute VB_Name = \"模块名\"，"
            "请在 VBA 编辑器中用“导出文件”重新导出。"
        )
    name = found.group(1)
    if not _IDENTIFIER.fullmatch(name):
        raise UserError(
            f"宏文件“{path.name}”的模块名“{name}”不合规：须以英文字母开头，"
            "只含字母、数字和下划线，不超过31个字符。"
        )
    return VbaModule(name, _canonical(lines[1:]))


def read_macros(folder: Path) -> list[VbaModule]:
    """Read every *.bas file of a folder, sorted by module name."""
    return sorted((read_bas(path) for path in folder.glob("*.bas")), key=lambda m: m.name)


def xlwings_module() -> VbaModule:
    """Read the VBA module ``xlwings`` (RunPython) shipped with the installed xlwings."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("生成按钮版工作簿（.xlsm）需要 xlwings，请运行：pip install xlwings")
    return read_bas(Path(next(iter(spec.submodule_search_locations))) / "xlwings.bas")


def ensure_available() -> None:
    """Raise :class:`UserError` with the install hint unless the ``xlsm`` extra is installed.

    Called before a long job that will build an .xlsm, so that it stops before starting.
    """
    for name in ("ms_ovba.vbaProject", "oletools.olevba", "xlsxwriter"):
        _import(name)


def _import(name: str) -> ModuleType:
    """Import an optional dependency, or explain how to install it."""
    try:
        with warnings.catch_warnings():
            # oletools 0.60.2 still calls pyparsing's camelCase API, deprecated in pyparsing 3.
            warnings.filterwarnings(
                "ignore", message=r".*deprecated", category=Warning, module=r"oletools\."
            )
            return importlib.import_module(name)
    except ImportError as error:
        raise UserError(INSTALL_HINT) from error


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    """Make ``path`` the current directory for the block, then restore the old one."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _our_compressor() -> Iterator[None]:
    """Make ms-ovba compress with :mod:`tongjia_xls.book.ovba_compression` for the block.

    ms-ovba-compression 1.0.1 gets the longest copy a token may make wrong, silently
    corrupting long modules, and takes seconds on xlwings' module; ours makes the same
    choices as the specification, correctly, in a few milliseconds.
    """
    compressor = _import("ms_ovba_compression.ms_ovba").MsOvba
    original = compressor.__dict__["compress"]

    def compress(self: Any, data: bytes) -> bytes:
        return ovba_compression.compress(data)

    compressor.compress = compress
    try:
        yield
    finally:
        compressor.compress = original


@contextmanager
def _seeded_crypto() -> Iterator[None]:
    """Make ms-ovba's obfuscation of the PROJECT stream draw from a fixed seed for the block."""
    # Any: the module's attributes are ms-ovba's own, and replaced here for the block.
    crypto: Any = _import("ms_ovba_crypto.ms_ovba_crypto")
    original = crypto.random
    crypto.random = random.Random(CRYPTO_SEED)
    try:
        yield
    finally:
        crypto.random = original


def _check_names(modules: Sequence[VbaModule], names: Sequence[str]) -> None:
    """Refuse invalid, non-ASCII or clashing module names and non-ASCII code."""
    seen: set[str] = set()
    for name in names:
        if not _IDENTIFIER.fullmatch(name):
            raise UserError(f"VBA 模块名“{name}”不合规：须以英文字母开头，只含字母、数字和下划线。")
        if name.lower() in seen:
            raise UserError(f"VBA 模块名“{name}”重复（模块与工作表代码名不能同名），请改名。")
        seen.add(name.lower())
    for module in modules:
        if not module.code.isascii():
            raise UserError(
                f"宏模块“{module.name}”含有非 ASCII 字符（中文应写在 Python 一侧），请改为英文。"
            )


def compile_project(
    modules: Sequence[VbaModule], documents: Sequence[str], *, workbook_name: str = "ThisWorkbook"
) -> bytes:
    """Compile standard modules and the sheets' document modules into a vbaProject.bin."""
    _check_names(modules, [workbook_name, *documents, *(m.name for m in modules)])
    vba_project = _import("ms_ovba.vbaProject")
    doc_module = _import("ms_ovba.Models.Entities.doc_module")
    std_module = _import("ms_ovba.Models.Entities.std_module")
    ole_file = _import("ms_ovba.Views.project_ole_file")
    reference = _import("ms_ovba.Models.Entities.reference")
    registered = _import("ms_ovba.Models.Entities.reference_registered")
    libid = _import("ms_ovba.Models.Fields.libid_reference")

    project = vba_project.VbaProject()
    project.project_id = PROJECT_ID
    # Optional parts that Excel writes: ProjectVersionCompat32 ([MS-OVBA] 2.3.1.14),
    # which ms-ovba prints after HelpContextID as 2.3.1.1 orders it, and the PROJECTwm
    # stream (2.3.3), uncompressed, naming every module in MBCS and in UTF-16.
    project.add_attribute("VersionCompatible32", VERSION_COMPATIBLE_32)
    project.include_projectwm()
    with tempfile.TemporaryDirectory(prefix="vba-") as folder:
        documents_and_guids = [(workbook_name, WORKBOOK_GUID)]
        documents_and_guids += [(name, WORKSHEET_GUID) for name in documents]
        for name, guid in documents_and_guids:
            source = Path(folder) / f"{name}.cls"
            source.write_text(_DOCUMENT_SOURCE.format(name=name), encoding="ascii")
            document = doc_module.DocModule(name)
            document.add_file(str(source))
            document.add_guid(guid)
            document.add_workspace(*CLOSED_WINDOW)
            project.add_module(document)
        for module in modules:
            source = Path(folder) / f"{module.name}.bas"
            text = f'Attribute VB_Name = "{module.name}"\n{module.code}\n'
            source.write_text(text, encoding="ascii")
            standard = std_module.StdModule(module.name)
            standard.add_file(str(source))
            standard.add_workspace(*CLOSED_WINDOW)
            project.add_module(standard)
        # Only stdole, which every project Excel writes references; the Office library
        # (MSO.DLL) is not used by our macros nor by xlwings' module, so it is left out.
        record = libid.LibidReference(uuid.UUID(STDOLE_GUID), "2.0", "0", STDOLE_PATH,
                                      "OLE Automation")
        project.add_reference(reference.Reference(registered.ReferenceRegistered(record), "stdole"))
        with warnings.catch_warnings():
            # ms-ovba and ms-cfb leave files for the garbage collector to close.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                with _working_directory(Path(folder)), _our_compressor(), _seeded_crypto():
                    for module in project.modules:
                        module.normalize_file()  # writes <source>.new, CRLF line endings
                    ole_file.ProjectOleFile.write_file(project)
                    return Path("vbaProject.bin").read_bytes()
            except BaseException as error:
                traceback.clear_frames(error.__traceback__)  # close their files here
                raise
            finally:
                gc.collect()


def _normalize(code: str) -> str:
    """Return code without Attribute lines, trailing whitespace or trailing blank lines."""
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _canonical([line for line in lines if not _ATTRIBUTE.match(line)])


def recovered_modules(path: Path) -> dict[str, str]:
    """Read the VBA modules of a workbook back with olevba: module name to normalized code."""
    olevba: Any = _import("oletools.olevba")
    parser = olevba.VBA_Parser(str(path), disable_pcode=True)
    try:
        found = {}
        for _, _, filename, code in parser.extract_macros():
            stem, dot, extension = filename.rpartition(".")
            if dot and extension.lower() in {"bas", "cls", "frm"}:
                found[stem] = _normalize(code)
        return found
    finally:
        parser.close()


def check_project(path: Path, modules: Sequence[VbaModule]) -> list[str]:
    """List, in Chinese, each module that does not come back exactly from a built workbook."""
    found = recovered_modules(path)
    problems = []
    for module in modules:
        if module.name not in found:
            problems.append(f"工作簿“{path.name}”中找不到宏模块“{module.name}”。")
        elif found[module.name] != _normalize(module.code):
            problems.append(f"工作簿“{path.name}”中宏模块“{module.name}”的代码与源文件不一致。")
    return problems
