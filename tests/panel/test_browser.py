"""A year's steps clicked through the panel in a real browser (headless Chromium).

The panel is started as staff start it (a process, the URL with its token), on the demo
workspace; Chromium, driven by Playwright, clicks what staff click. The test asserts on
what the page shows and, afterwards, on the workbook read through the library.

Screenshots of each screen go to ``TONGJIA_PANEL_SHOTS`` when set (``docs/panel/`` is
made that way: ``TONGJIA_PANEL_SHOTS=docs/panel pytest tests/panel/test_browser.py``), else
into the test's own folder.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import PanelProcess, start_panel
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.sheets.schema import RECTIFICATION, REPORTS, SCORES

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)
# Skipped where Chromium is missing, except on CI (.ci/run installs it): there it fails.
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Chromium is not installed (CI installs it: .ci/run)")
#: Long enough for 生成打印材料 with its PDFs on a slow machine.
ACTION_MS = 240_000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace, with the reports checked but nothing else done since."""
    from tongjia_xls.demo.workspace import make_demo

    folder = tmp_path_factory.mktemp("panel") / "演示"
    return make_demo(folder).workbook


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def running(demo: Path, tmp_path: Path) -> Iterator[tuple[PanelProcess, Path]]:
    opened = tmp_path / "opened.txt"
    opener = tmp_path / "opener"
    opener.write_text(f"#!/bin/sh\necho \"$1\" >> {opened}\n", "utf-8")
    opener.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    panel = start_panel(str(demo), home=home, env={"TONGJIA_XLS_OPEN_WITH": str(opener)})
    yield panel, opened
    if panel.process.poll() is None:
        panel.process.kill()
    panel.process.communicate()


def _shots() -> Path | None:
    folder = os.environ.get("TONGJIA_PANEL_SHOTS")
    return Path(folder) if folder else None


def _click_and_wait(page: Any, caption: str, shot: Path) -> str:
    """Click the button ``caption`` and wait for its result; return the result's text."""
    page.get_by_role("button", name=caption, exact=True).click()
    page.wait_for_selector("#result:not(.hidden) #result-title", timeout=ACTION_MS)
    page.wait_for_function("!document.querySelector('#progress') || "
                           "document.querySelector('#progress').classList.contains('hidden')",
                           timeout=ACTION_MS)
    page.screenshot(path=str(shot), full_page=True)
    return str(page.inner_text("#result"))


def test_a_year_through_the_panel(browser: Any, running: tuple[PanelProcess, Path],
                                  demo: Path, tmp_path: Path) -> None:
    panel, opened = running
    shots = _shots() or tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"http://127.0.0.1:{panel.port}/?token={panel.token}")
    page.wait_for_selector("#lines tbody tr")
    assert page.url == f"http://127.0.0.1:{panel.port}/"  # the token left the address bar
    assert demo.name in page.inner_text("#book-path")
    assert "1. 述职报告" in page.inner_text("#lines")
    page.screenshot(path=str(shots / "1-start.png"), full_page=True)

    # 检查述职报告: each report's verdict and findings on the page.
    text = _click_and_wait(page, "检查述职报告", shots / "2-check.png")
    assert "“检查述职报告”已完成" in text and "各党组织的述职报告" in text
    assert "需修改" in text and "合格" in text

    # Excel or WPS has the workbook open: the page says so and waits for staff.
    lock = demo.with_name("~$" + demo.name)
    lock.write_bytes(b"\x00" * 162)
    page.get_by_role("button", name="计算得分与等次", exact=True).click()
    page.wait_for_selector("#locked:not(.hidden)")
    assert "正在 Excel 或 WPS 中打开" in page.inner_text("#locked")
    page.screenshot(path=str(shots / "3-locked.png"), full_page=True)
    lock.unlink()
    page.get_by_role("button", name="我已保存并关闭，继续").click()
    page.wait_for_selector("#result:not(.hidden) .bar, #result:not(.hidden) #result-title",
                           timeout=ACTION_MS)
    page.wait_for_function("document.querySelector('#progress').classList.contains('hidden')"
                           " && !document.querySelector('#result').classList.contains('hidden')",
                           timeout=ACTION_MS)
    page.screenshot(path=str(shots / "4-score.png"), full_page=True)
    text = str(page.inner_text("#result"))
    assert "“计算得分与等次”已完成" in text and "得分与等次" in text and "建议等次：" in text

    text = _click_and_wait(page, "更新整改台账", shots / "5-rectify.png")
    assert "整改事项" in text and "逾期的整改事项" in text

    text = _click_and_wait(page, "生成打印材料", shots / "6-forms.png")
    assert "生成的文件" in text
    page.locator("#result-files button[data-open]").first.click()
    for _ in range(100):
        if opened.exists() and opened.read_text("utf-8").strip():
            break
        time.sleep(0.05)
    first = Path(opened.read_text("utf-8").split("\n")[0])
    assert first.is_file() and first.suffix in (".docx", ".xlsx", ".pdf")

    # The folder browser lists the workbook; choosing it keeps the same workbook.
    page.get_by_role("button", name="选择工作簿…").click()
    page.wait_for_selector("#browser:not(.hidden) [data-kind='workbook']")
    page.screenshot(path=str(shots / "7-browse.png"), full_page=True)
    page.locator("#browse-list [data-kind='workbook']", has_text=demo.name).click()
    assert demo.name in page.inner_text("#book-path")

    page.get_by_role("button", name="关闭控制面板").click()
    page.wait_for_selector("#closed:not(.hidden)")
    out = panel.stopped()
    assert panel.process.returncode == 0 and "控制面板已关闭。" in out

    # The workbook afterwards, through the library: every step left its results.
    with Workbook.open(demo, for_write=False) as book:
        verdicts = {r.get("verdict") for r in book.read(REPORTS)}
        scores = [r for r in book.read(SCORES) if r.get("composite") is not None]
        ledger = [r for r in book.read(RECTIFICATION) if r.get("org")]
    assert {"合格", "需修改"} <= verdicts
    assert len(scores) >= 20 and all(r.get("proposed_grade") for r in scores)
    assert any(r.get("overdue") == "是" and r.get("days_left", 0) < 0 for r in ledger)
