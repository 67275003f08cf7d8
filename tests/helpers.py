"""Helpers shared by the tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

import ast
import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ORG_NAMES = ("青杠湾村", "松林坪村", "白鹭溪村", "金竹岭村", "南华路社区")
SECRETARIES = ("李德明", "张玉华", "王建国", "赵春梅", "谢文斌")


def write_roster_csv(
    path: Path, encoding: str = "utf-8-sig", names: tuple[str, ...] = ORG_NAMES
) -> Path:
    """Write a roster CSV of ``names`` with their secretaries and types."""
    lines = ["党组织名称,书记姓名,类型"]
    for name, secretary in zip(names, SECRETARIES, strict=False):
        lines.append(f"{name},{secretary},{'社区' if name.endswith('社区') else '村'}")
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


#: Organization names that make awkward file names: two that clean to one, one too long.
AWKWARD_ORGS = ("名称*D", "名称?D", "童家镇" + "超长名称党组织" * 28 + "村")


def book_with_orgs(folder: Path, names: tuple[str, ...]) -> Path:
    """Return a new master workbook ``总表.xlsx`` in ``folder`` whose roster holds ``names``."""
    from tongjia_xls.actions import init_workbook

    out = folder / "总表.xlsx"
    init_workbook(out, roster=write_roster_csv(folder / "名单.csv", names=names))
    return out


# -- reports built in the test ------------------------------------------------------------

_PAD = "全体党员积极参与各项活动，群众满意度不断提升。"


def _padded(text: str, target: int) -> str:
    from tongjia_xls.reports.count import word_count

    while word_count(text) + word_count(_PAD) <= target:
        text += _PAD
    return text


def report_lines(
    *,
    practices: int = 1200,
    problems: int = 390,
    plans: int = 215,
    title: str = "2023年度抓基层党建工作述职报告",
    skip: tuple[str, ...] = (),
    extra: dict[str, str] | None = None,
) -> list[str]:
    """Return the paragraphs of a report that passes every rule, sized in Word's 字数.

    ``skip`` leaves out named pieces (``"safety"``, ``"causes"``, ``"problems"`` …);
    ``extra`` adds a sentence at the end of a part (``{"practices": "……"}``).
    """
    extra = extra or {}
    aspects = [
        "（一）加强政治建设方面。我带头开展党课12次，组织主题教育集中学习20次。",
        "（二）服务保障中心大局方面。围绕拼经济搞建设，发展村集体经济收入27.8万元；"
        + ("" if "safety" in skip else "围绕防风险保安全，排查隐患35处。"),
        "（三）推进基层党建工作重点任务落实方面。发展入党积极分子3名，培训党员96人次。",
        "（四）落实责任方面。本人履行第一责任人职责，上年度查摆的3个问题已全部整改。",
    ]
    budget = practices // 4
    part_one = [_padded(a, budget) for a in aspects]
    problems_items = [] if "problems" in skip else [
        "一是理论学习不够深入，我满足于读文件。",
        "二是联系群众不够紧密，本人走访不多。",
        "三是发展集体经济办法不多，我思路不宽。",
    ]
    causes = [] if "causes" in skip else ["以上问题究其原因，主要在于我宗旨意识有所淡化。"]
    part_two = [*problems_items, *causes]
    if part_two:
        part_two[-1] = _padded(part_two[-1], problems - sum(len(p) for p in part_two[:-1]))
    plans_items = ["一是壮大集体经济。", "二是建强党员队伍。", "三是压实党建责任。"]
    plans_items[-1] = _padded(plans_items[-1], plans - sum(len(p) for p in plans_items[:-1]))
    lines = [title, "根据会议安排，现就2023年度抓基层党建工作情况述职如下："]
    lines += ["一、主要做法和成效", *part_one, *[extra[k] for k in ("practices",) if k in extra]]
    lines += ["二、存在问题及原因分析", *part_two, *[extra[k] for k in ("problems",) if k in extra]]
    lines += ["三、下步工作打算", *plans_items]
    return lines


def report_text(lines: list[str], *, bold: tuple[int, ...] = ()):  # -> ReportText
    """Return ``lines`` as a ReportText, the lines at ``bold`` indexes set in bold."""
    from pathlib import Path

    from tongjia_xls.reports.model import Para, ReportText

    return ReportText(Path("测试报告.docx"),
                      tuple(Para(t, bold=i in bold) for i, t in enumerate(lines)))


def type_setting(workbook: Path, label: str, value: object) -> None:
    """Type ``value`` into the 值 cell of the 设置 row ``label``, as staff would in Excel."""
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    ws = wb["设置"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)
    ws.cell(row=row, column=2).value = value
    wb.save(workbook)


def type_scores(workbook: Path) -> None:
    """Type 平时考核, 实地调研 and 现场述职 of the five organizations, as staff do in Excel."""
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    sheet = wb["评分"]
    for row in range(2, 2 + len(ORG_NAMES)):
        for col, score in ((3, 80 + row), (4, 88), (5, 91)):
            sheet.cell(row=row, column=col).value = score
    wb.save(workbook)


# -- the control panel as a process ------------------------------------------------------

PANEL_URL = re.compile(r"^http://127\.0\.0\.1:(\d+)/\?token=([\w-]{32})$")


class PanelProcess:
    """A panel process, its port and token, and requests to it as a browser sends them."""

    def __init__(self, process: subprocess.Popen[str], port: int, token: str) -> None:
        self.process, self.port, self.token = process, port, token

    def request(self, method: str, path: str, *, host: str | None = None,
                headers: dict[str, str] | None = None, body: Any = None
                ) -> tuple[int, dict[str, Any]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        data = json.dumps(body) if body is not None else None
        if data is not None:
            sent["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, {"text": raw.decode("utf-8", "replace")}

    def own(self) -> dict[str, str]:
        """Return the headers of the panel's own page: token and origin."""
        return {"X-Tongjia-Token": self.token, "Origin": f"http://127.0.0.1:{self.port}"}

    def stopped(self, timeout: float = 15) -> str:
        """Wait for the process to end; return what it printed."""
        out, _ = self.process.communicate(timeout=timeout)
        return out


def start_panel(*args: str, home: Path, env: dict[str, str] | None = None) -> PanelProcess:
    """Start ``tongjia-xls panel ARGS --no-browser`` with ``home`` as the user's home."""
    env = {**os.environ, "HOME": str(home), "TONGJIA_XLS_CONFIG_DIR": str(home / "config"),
           "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "tongjia_xls", "panel", *args,
                                "--no-browser"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    found = PANEL_URL.match(first)
    if not found:
        process.kill()
        rest, _ = process.communicate()
        raise AssertionError(f"the first line is not the URL: {first!r}\n{rest}")
    return PanelProcess(process, int(found.group(1)), found.group(2))


def private_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """Return (line, name) of each ``x._name`` and ``getattr(x, "_name")`` not on self/cls."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name, owner = node.attr, node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str)):
            name, owner = node.args[1].value, node.args[0]
        else:
            continue
        if not name.startswith("_") or name.startswith("__"):
            continue
        if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
            continue
        found.append((node.lineno, name))
    return found


def load_xlsm(path: Path) -> Any:
    """Return ``openpyxl.load_workbook(path, keep_vba=True)`` with its VBA parts made read-only.

    openpyxl keeps them in a zip opened for appending on a BytesIO. Collected with the
    workbook's reference cycles, the BytesIO may be closed first; the zip's ``__del__`` then
    fails writing its directory ("Exception ignored in ZipFile.__del__"), which ``-W error``
    makes a failure of whichever test happens to be running.
    """
    import io
    import zipfile

    import openpyxl

    workbook = openpyxl.load_workbook(path, keep_vba=True)
    archive = workbook.vba_archive
    if archive is not None:
        buffer = archive.fp
        archive.close()  # its directory is written while the BytesIO is alive
        workbook.vba_archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return workbook
