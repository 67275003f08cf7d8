"""PDF copies of the forms, made by LibreOffice where it is installed.

The office prints from Word or WPS; a PDF is for sending the forms on or printing on a
machine without them. LibreOffice runs headless with a private throw-away profile and an
ASCII copy of the file (see :mod:`tongjia_xls.word.convert`). ``soffice`` exits 0 even
when it converted nothing, so success is judged by the PDF alone.

The documents name Windows faces (仿宋_GB2312, 宋体, 黑体, 方正小标宋简体). Where fontconfig
picks fonts (Linux, BSD), LibreOffice is given :data:`FONTS_CONF`, which maps them to the
Simplified Chinese cuts of the installed CJK fonts (Noto Serif/Sans CJK SC first): without
it the PDF would show Chinese in a Japanese cut or a Latin face's fallback.
"""

from __future__ import annotations

import os
from pathlib import Path

from tongjia_xls.errors import UserError
from tongjia_xls.outputs import OutputError, atomic_write, ensure_folder
from tongjia_xls.word.convert import (
    TIMEOUT,
    ConversionError,
    LaunchError,
    convert,
    convert_many,
    find_soffice,
)

__all__ = ["FONTS_CONF", "SUFFIXES", "PdfUnavailable", "font_environment", "to_pdf",
           "to_pdfs"]

#: The formats turned into PDF.
SUFFIXES = (".docx", ".xlsx")
#: The fontconfig file shipped with the package; it includes the system's own first.
FONTS_CONF = Path(__file__).with_name("fonts.conf")
#: The system's configuration, which :data:`FONTS_CONF` includes.
_SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
_MANUAL = "也可以用 Word、Excel 或 WPS 打开该文件，点“文件→另存为”，保存类型选 PDF。"


class PdfUnavailable(UserError):
    """No PDF could be made (LibreOffice missing or failing); the message says what to do."""


def to_pdf(path: Path, outdir: Path | None = None, *, soffice: str | None = "auto",
           timeout: float = TIMEOUT) -> Path:
    """Convert the .docx or .xlsx at ``path`` to PDF; return the PDF's path.

    The PDF has ``path``'s name with ``.pdf`` and goes into ``outdir`` (default: next to
    ``path``), replacing an older one in one step. ``soffice`` is as in
    :func:`tongjia_xls.word.convert.find_soffice` (``None``: never convert). Raise
    :class:`PdfUnavailable` when LibreOffice is missing or could not convert the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot convert {path.name}: only {', '.join(SUFFIXES)}")
    program = _program(soffice)
    try:
        data = convert(path, program, "pdf", timeout=timeout, env=font_environment())
    except ConversionError as error:
        raise PdfUnavailable(
            f"LibreOffice 未能把“{path.name}”转换为 PDF（{error}）。{_MANUAL}"
        ) from None
    target = ensure_folder(Path(outdir) if outdir is not None else path.parent)
    result = target / f"{path.stem}.pdf"
    with atomic_write(result) as temporary:
        temporary.write_bytes(data)
    return result


def to_pdfs(paths: list[Path], *, soffice: str | None = "auto",
            timeout: float = TIMEOUT) -> list[Path | UserError]:
    """Convert every .docx or .xlsx of ``paths`` to a PDF beside it, in one LibreOffice run.

    Each entry of the result is the PDF's path or, for that file alone, the error that says
    why there is none: :class:`PdfUnavailable` (not converted) or an ``OutputError`` (the
    PDF could not be written). Raise :class:`PdfUnavailable` when
    LibreOffice is missing or cannot start: then no file has a PDF, for one reason.
    """
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise ValueError(f"cannot convert {path.name}: only {', '.join(SUFFIXES)}")
    program = _program(soffice)
    try:
        converted = convert_many(paths, program, "pdf", timeout=timeout,
                                 env=font_environment())
    except LaunchError as error:
        raise PdfUnavailable(f"无法启动 LibreOffice，没有生成 PDF（{error}）。{_MANUAL}") from None
    made: list[Path | UserError] = []
    for path, data in zip(paths, converted, strict=True):
        if isinstance(data, ConversionError):
            made.append(PdfUnavailable(
                f"LibreOffice 未能把“{path.name}”转换为 PDF（{data}）。{_MANUAL}"))
            continue
        result = path.with_suffix(".pdf")
        try:
            with atomic_write(result) as temporary:
                temporary.write_bytes(data)
        except OutputError as error:  # this PDF only: the next may still be written
            made.append(error)
            continue
        made.append(result)
    return made


def _program(soffice: str | None) -> str:
    """Return the LibreOffice program, or raise :class:`PdfUnavailable` saying how to get it."""
    program = find_soffice(soffice)
    if program is None:
        raise PdfUnavailable(
            "未找到 LibreOffice，无法生成 PDF（Word 和 Excel 文件已生成）。"
            "如需 PDF，请安装 LibreOffice（https://zh-cn.libreoffice.org/）后重新运行；" + _MANUAL
        )
    return program


def font_environment() -> dict[str, str]:
    """Return the environment that gives LibreOffice the Chinese faces (empty where unused).

    Only where fontconfig reads ``/etc/fonts`` (Linux) and the user has not chosen a file of
    their own; Windows and macOS builds of LibreOffice use the system's fonts directly.
    """
    if os.name != "posix" or "FONTCONFIG_FILE" in os.environ:
        return {}
    if not (FONTS_CONF.is_file() and _SYSTEM_CONF.is_file()):
        return {}
    return {"FONTCONFIG_FILE": str(FONTS_CONF)}
