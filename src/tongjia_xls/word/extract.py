"""Read a 述职报告 file into a :class:`~tongjia_xls.reports.model.ReportText`.

:func:`extract` is the only way the checker reads a report. It decides what the file really
is from its first bytes as well as its name, then

* reads .docx/.docm (and .dotx/.dotm) itself, by walking the XML
  (:mod:`tongjia_xls.word.ooxml`);
* has LibreOffice convert .doc, .wps, .rtf, .odt (and .dot, .wpt, .ott) to .docx first
  (:mod:`tongjia_xls.word.convert`), when it is installed;
* refuses everything else with an :class:`ExtractError` whose message, in plain Chinese,
  names the file and says what to do: PDF, pictures and scans, password-protected files,
  empty, damaged or hostile files, unknown formats. A batch catches it and goes on.

What counts as the report's text follows Word's 审阅 → 字数统计 with "包括文本框、脚注和尾注"
ticked (Word's default): the main text with its tables, text boxes, footnotes and endnotes.
**Headers and footers are left out**: Word's 字数 does not count them, and in a 述职报告 they
hold page numbers and the like, not the report. **Automatic numbering** (a list's "1." or a
heading's "一、" produced by numbering.xml) is not text either, for Word's 字数 ignores it;
numbers typed by hand are kept. A **manual line break** (Shift+Enter) stays inside its
paragraph as ``"\\n"``, so one paragraph of the file stays one :class:`Para`.
"""

from __future__ import annotations

from pathlib import Path

from tongjia_xls.errors import UserError
from tongjia_xls.reports.analysis import Analysis, analyze
from tongjia_xls.reports.model import ReportText
from tongjia_xls.reports.rules import Context
from tongjia_xls.word.convert import (
    ConversionError,
    LaunchError,
    convert_to_docx,
    find_soffice,
)
from tongjia_xls.word.ooxml import (
    CORRUPT,
    ENCRYPTED,
    HOSTILE,
    NOT_WORD,
    ODF,
    DocumentText,
    PackageError,
    read_document,
)

__all__ = ["CONVERTED_SUFFIXES", "DIRECT_SUFFIXES", "ExtractError", "analyze_file", "extract"]

#: Read directly.
DIRECT_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
#: Converted by LibreOffice first: old Word, WPS, RTF and OpenDocument text.
CONVERTED_SUFFIXES = (".doc", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".ott")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic")

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
# An encrypted .docx is an OLE file holding these streams; names are stored in UTF-16LE.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_OLE_SCAN = 64 * 1024 * 1024

_RESAVE = "在 Word/WPS 中另存为 .docx"
_ASK_AGAIN = "请让报送人重新导出"


class ExtractError(UserError):
    """A report file that cannot be read; ``str(error)`` says which and what to do."""


def extract(path: Path | str, *, soffice: str | None = "auto") -> ReportText:
    """Return the text of the report at ``path``.

    ``soffice`` is the LibreOffice program used for old formats: ``"auto"`` finds it on
    ``PATH``, ``None`` never converts. Raises :class:`ExtractError` for any file that
    cannot be read as a report.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    head = _head(path)
    _refuse_unreadable(name, suffix, head)
    if head.startswith(_ZIP_MAGIC) and suffix not in (".odt", ".ott"):
        # A .doc that is really a .docx (renamed, or saved so by WPS) is read directly too.
        try:
            return _report(path, read_document(path), None)
        except PackageError as error:
            if error.kind != ODF:
                raise _package_error(name, error) from None
            return _convert(path, soffice, ".odt")
    if head.startswith(_OLE_MAGIC):
        return _from_ole(path, soffice, suffix)
    if suffix in DIRECT_SUFFIXES:
        raise ExtractError(
            f"“{name}”已损坏或不是真正的 Word 文件，无法打开。{_ASK_AGAIN}或重新发送 .docx 文件。"
        )
    return _convert(path, soffice, suffix)  # .rtf, .odt, and .doc saved as HTML or RTF


def _refuse_unreadable(name: str, suffix: str, head: bytes) -> None:
    """Raise :class:`ExtractError` for an empty file, a PDF, an image or an unknown format."""
    if not head:
        raise ExtractError(
            f"“{name}”是空文件（0 字节），没有任何内容。请让报送人重新发送述职报告。"
        )
    if head.startswith(b"%PDF") or suffix == ".pdf":
        raise ExtractError(
            f"“{name}”是 PDF 文件，本工具无法按 Word 的规则统计字数。"
            "请让报送人提交述职报告的 Word 文件（.docx）。"
        )
    if suffix in IMAGE_SUFFIXES or head.startswith(_IMAGE_MAGIC) or _is_modern_image(head):
        raise ExtractError(
            f"“{name}”是图片或扫描件，无法读取其中的文字。"
            "请让报送人提交述职报告的 Word 文件（.docx）。"
        )
    if suffix not in DIRECT_SUFFIXES + CONVERTED_SUFFIXES:
        shown = suffix or "无扩展名"
        raise ExtractError(
            f"“{name}”的格式（{shown}）本工具无法读取。述职报告请提交 Word 文件（.docx），"
            f"或{_RESAVE} 后再检查。"
        )


def _from_ole(path: Path, soffice: str | None, suffix: str) -> ReportText:
    """Return the text of an OLE file (an old .doc, or one renamed .docx) by converting it."""
    contents = _ole_names(path)
    if _ENCRYPTED_STREAM in contents:
        raise _encrypted(path.name)
    if suffix in DIRECT_SUFFIXES:
        if _WORD_STREAM not in contents:
            raise _encrypted(path.name)
        return _convert(path, soffice, ".doc")  # an old .doc renamed .docx
    return _convert(path, soffice, suffix)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(16)
    except FileNotFoundError:
        raise ExtractError(
            f"找不到文件“{path}”。请检查路径，或确认文件没有被移动、改名。"
        ) from None
    except IsADirectoryError:
        raise ExtractError(f"“{path}”是文件夹，不是述职报告文件。") from None
    except OSError as error:
        raise ExtractError(
            f"无法读取“{path.name}”（{error.strerror or error}）。"
            "请确认有权限读取该文件，且它没有被其他程序独占。"
        ) from None


def _is_modern_image(head: bytes) -> bool:
    # WebP (RIFF....WEBP) and HEIC/HEIF photos from phones (....ftypheic).
    webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    heic = head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc")
    return webp or heic


def _ole_names(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_OLE_SCAN)


def _encrypted(name: str) -> ExtractError:
    return ExtractError(
        f"“{name}”设置了打开密码（或已加密），本工具无法读取。请在 Word/WPS 中打开它，"
        "清空密码后保存（Word：文件→信息→保护文档→用密码进行加密；WPS：文件→文档加密→"
        "密码加密），再重新检查。"
    )


def _package_error(name: str, error: PackageError) -> ExtractError:
    if error.kind == HOSTILE:
        return ExtractError(
            f"“{name}”文件结构异常，可能已损坏或被篡改，{_ASK_AGAIN}（{error.detail}）。"
        )
    if error.kind == ENCRYPTED:
        return _encrypted(name)
    if error.kind == NOT_WORD:
        return ExtractError(
            f"“{name}”不是 Word 文档（其中没有正文部分 word/document.xml）。"
            f"请确认文件是否交错，或{_RESAVE} 后再检查。"
        )
    assert error.kind == CORRUPT, error.kind
    return ExtractError(
        f"“{name}”已损坏，无法打开。{_ASK_AGAIN}或重新发送 .docx 文件，"
        f"也可尝试{_RESAVE}。"
    )


def _convert(path: Path, soffice: str | None, real_suffix: str) -> ReportText:
    name = path.name
    program = find_soffice(soffice)
    if program is None:
        raise ExtractError(
            f"“{name}”是旧版 Word/WPS 格式（{real_suffix}），需要 LibreOffice 才能读取，"
            f"而本机没有可用的 LibreOffice。请安装 LibreOffice 后重试，或{_RESAVE} 后再检查。"
        )
    try:
        data = convert_to_docx(path, program, suffix=real_suffix)
        document = read_document(data)
    except LaunchError as error:
        raise ExtractError(
            f"{error}。“{name}”是旧版 Word/WPS 格式（{real_suffix}），需要 LibreOffice 才能读取："
            f"请检查 LibreOffice 的安装，或{_RESAVE} 后再检查。"
        ) from None
    except ConversionError as error:
        raise ExtractError(
            f"“{name}”无法转换为 .docx（{error}），文件可能已损坏或设置了打开密码。"
            f"请{_RESAVE} 后再检查。"
        ) from None
    except PackageError as error:
        raise _package_error(name, error) from None
    return _report(path, document, real_suffix)


def _report(path: Path, document: DocumentText, converted_from: str | None) -> ReportText:
    paragraphs = document.paragraphs
    if not any(p.text.strip() for p in paragraphs):
        raise ExtractError(
            f"“{path.name}”中没有任何文字。请确认交来的是述职报告本身，"
            "而不是空白文件或插入的图片、扫描件。"
        )
    return ReportText(path, paragraphs, converted_from, document.subdocs_in_stats,
                      document.note_marks)


def analyze_file(path: Path | str, context: Context | None = None, *,
                 soffice: str | None = "auto") -> Analysis:
    """Read and analyse the file at ``path``; a file that cannot be read gives ``error``."""
    try:
        report = extract(Path(path), soffice=soffice)
    except ExtractError as error:
        return Analysis(str(path), error=str(error))
    analysis = analyze(report, context)
    analysis.file = str(path)
    return analysis
