"""Old Word and WPS formats (.doc, .wps, .rtf, .odt …) turned into .docx by LibreOffice.

Only LibreOffice reads these formats faithfully, so the tool runs it headless (once per
report; once per batch of forms, :func:`convert_many`), with a private throw-away profile:
a profile shared with a LibreOffice the user has open would make ``soffice`` hand the job
to that instance, or wait on its lock. The file is
copied under a plain ASCII name first, so names with spaces, Chinese characters or a leading
``-`` reach LibreOffice intact. ``soffice`` exits 0 even when it could not convert, so
success is judged by the output file alone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["ConversionError", "LaunchError", "convert_many", "convert_to_docx", "find_soffice"]

#: Seconds one conversion may take before LibreOffice is stopped.
TIMEOUT = 120.0
#: Largest converted .docx read back: a report is a few hundred KB, pictures included.
MAX_OUTPUT = 200 * 1024 * 1024


class ConversionError(Exception):
    """LibreOffice could not convert the file; ``str(error)`` says why, in Chinese."""


class LaunchError(ConversionError):
    """LibreOffice itself could not be started: the file is not to blame."""


def find_soffice(soffice: str | None = "auto") -> str | None:
    """Return the LibreOffice program to run, or ``None`` when there is none.

    ``"auto"`` looks for ``soffice`` then ``libreoffice`` on ``PATH``; ``None`` means never
    convert; any other string is the program itself.
    """
    if soffice is None:
        return None
    if soffice == "auto":
        found = shutil.which("soffice") or shutil.which("libreoffice")
        if found is None and os.name == "nt":
            # The Windows installer does not put LibreOffice on PATH.
            for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
                candidate = Path(base or "C:/") / "LibreOffice" / "program" / "soffice.exe"
                if base and candidate.is_file():
                    return str(candidate)
        return found
    return soffice


def convert_to_docx(
    path: Path, soffice: str, *, suffix: str | None = None, timeout: float = TIMEOUT
) -> bytes:
    """Return the bytes of ``path`` converted to .docx by LibreOffice.

    ``suffix`` is the file's real format (e.g. ``".doc"`` for a .doc renamed .docx); it
    defaults to the file's own suffix.
    """
    return convert(path, soffice, "docx", suffix=suffix, timeout=timeout)


def convert(
    path: Path, soffice: str, target: str, *, suffix: str | None = None,
    timeout: float = TIMEOUT, env: Mapping[str, str] | None = None,
) -> bytes:
    """Return the bytes of ``path`` converted by LibreOffice to format ``target`` ("pdf").

    The file is converted from an ASCII-named copy with a throw-away profile; since
    ``soffice`` exits 0 even when it converted nothing, success is judged by the output.
    Raise :class:`ConversionError` when there is none. ``env`` is added to the environment
    LibreOffice runs in (e.g. ``FONTCONFIG_FILE``).
    """
    suffix = (suffix or path.suffix).lower()
    with tempfile.TemporaryDirectory(prefix="tongjia-soffice-") as work:
        folder = Path(work)
        source = folder / "in" / f"input{suffix}"
        source.parent.mkdir()
        shutil.copyfile(path, source)
        out = folder / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        _run(command, folder, timeout, env or {})
        result = out / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionError(f"LibreOffice 未能生成 .{target} 文件")
        if result.stat().st_size > MAX_OUTPUT:
            raise ConversionError("转换结果过大")
        return result.read_bytes()


def convert_many(
    paths: Sequence[Path], soffice: str, target: str, *, timeout: float = TIMEOUT,
    env: Mapping[str, str] | None = None,
) -> list[bytes | ConversionError]:
    """Return each file of ``paths`` converted to ``target``, in one run of LibreOffice.

    Starting LibreOffice costs more than converting a form, so a batch pays it once. Each
    result is the bytes, or the :class:`ConversionError` of that file alone (LibreOffice
    skips a file it cannot read and goes on); ``timeout`` is per file. Raise
    :class:`LaunchError` when LibreOffice cannot be started at all.
    """
    if not paths:
        return []
    with tempfile.TemporaryDirectory(prefix="tongjia-soffice-") as work:
        folder = Path(work)
        sources = []
        (folder / "in").mkdir()
        for number, path in enumerate(paths):
            source = folder / "in" / f"input{number}{path.suffix.lower()}"
            shutil.copyfile(path, source)
            sources.append(source)
        out = folder / "out"
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--headless", "--norestore", "--convert-to", target, "--outdir", str(out),
                   *map(str, sources)]
        try:
            _run(command, folder, timeout * len(paths), env or {})
        except LaunchError:
            raise
        except ConversionError as error:  # timed out: keep what was converted before
            stopped: ConversionError | None = error
        else:
            stopped = None
        return [_output(out / f"{source.stem}.{target}", target, stopped)
                for source in sources]


def _output(result: Path, target: str, stopped: ConversionError | None
            ) -> bytes | ConversionError:
    """Return the bytes LibreOffice wrote at ``result``, or why there are none."""
    if not result.is_file() or result.stat().st_size == 0:
        return stopped or ConversionError(f"LibreOffice 未能生成 .{target} 文件")
    if result.stat().st_size > MAX_OUTPUT:
        return ConversionError("转换结果过大")
    return result.read_bytes()


def _run(command: list[str], home: Path, timeout: float, extra: Mapping[str, str]) -> None:
    # HOME is pointed at the scratch folder too: some LibreOffice builds write caches there.
    env = {**os.environ, **extra, "HOME": str(home)}
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # soffice forks soffice.bin: stop the whole group (POSIX)
        )
    except OSError as error:
        raise LaunchError(f"无法启动 LibreOffice（{command[0]}）：{error.strerror}") from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConversionError(f"LibreOffice 转换超过 {timeout:.0f} 秒仍未完成") from None
    except BaseException:
        _kill_group(process)
        raise


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    else:
        process.kill()
    process.wait()
