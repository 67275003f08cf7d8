"""The panel's JSON API in process (Starlette's test client), on real workbooks."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tongjia_xls.book.gateway import Workbook
from tongjia_xls.panel.app import Panel, create_app
from tongjia_xls.panel.guard import COOKIE, HEADER, Guard
from tongjia_xls.panel.jobs import Busy, Jobs
from tongjia_xls.sheets.schema import SCORES

PORT = 8123
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "k" * 32


@pytest.fixture
def panel(book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Panel:
    monkeypatch.setenv("TONGJIA_XLS_CONFIG_DIR", str(tmp_path / "config"))
    guard = Guard(TOKEN, PORT)
    guard.add_root(book_path.parent)
    return Panel(guard, book_path)


@pytest.fixture
def client(panel: Panel) -> Iterator[TestClient]:
    with TestClient(create_app(panel), base_url=BASE) as client:
        client.cookies.set(COOKIE, TOKEN)
        client.headers.update({HEADER: TOKEN, "origin": BASE})
        yield client


def _finish(client: TestClient, job: dict[str, Any]) -> dict[str, Any]:
    for _ in range(600):
        if job["state"] != "running":
            return job
        time.sleep(0.05)
        job = client.get(f"/api/jobs/{job['id']}").json()
    raise AssertionError("the job did not finish in 30 s")


def test_the_first_visit_turns_the_token_into_a_cookie(panel: Panel) -> None:
    with TestClient(create_app(panel), base_url=BASE, follow_redirects=False) as fresh:
        assert fresh.get("/").status_code == 403
        first = fresh.get(f"/?token={TOKEN}")
        assert first.status_code == 303 and first.headers["location"] == "/"
        assert "HttpOnly" in first.headers["set-cookie"]
        assert "SameSite=strict" in first.headers["set-cookie"]
        page = fresh.get("/")
        assert page.status_code == 200 and "控制面板" in page.text
        assert TOKEN in page.text  # for the page's own script, behind the token already
        assert fresh.get("/static/panel.js").status_code == 200


def test_the_state_shows_the_workbook_and_its_dashboard(client: TestClient,
                                                        book_path: Path) -> None:
    state = client.get("/api/state").json()
    book = state["workbook"]
    assert book["path"] == str(book_path.resolve()) and book["exists"]
    assert not book["locked"]
    assert [line["stage"] for line in book["lines"]][:2] == ["工作簿校验", "1. 述职报告"]
    names = [c["name"] for c in state["commands"]]
    assert names == ["validate", "check_reports", "score", "rectify", "forms", "run_all",
                     "init", "rollover"]


def test_a_workbook_open_in_excel_or_wps_is_said_so_and_not_written(
        client: TestClient, book_path: Path) -> None:
    lock = book_path.with_name("~$" + book_path.name)
    lock.write_bytes(b"\x00" * 162)
    before = book_path.read_bytes()
    assert client.get("/api/state").json()["workbook"]["locked"]
    refused = client.post("/api/run/score", json={"workbook": str(book_path)})
    assert refused.status_code == 409 and refused.json()["locked"]
    assert "我已保存并关闭，继续" in refused.json()["error"]
    assert book_path.read_bytes() == before
    lock.unlink()  # staff closed it: the same request now runs
    job = _finish(client, client.post("/api/run/score", json={"workbook": str(book_path)})
                  .json())
    assert job["state"] == "done", job


def test_an_action_runs_in_the_background_and_reports_like_the_cli(
        client: TestClient, book_path: Path) -> None:
    started = client.post("/api/run/score", json={"workbook": str(book_path)})
    assert started.status_code == 202
    job = _finish(client, started.json())
    assert job["state"] == "done" and job["error"] is None
    result = job["result"]
    assert result["saved"] and Path(result["workbook"]) == book_path.resolve()
    assert result["summary"][0].startswith("建议等次：")
    assert {row["org"] for row in result["grades"]["rows"]} == {
        r["org"] for r in Workbook.open(book_path, for_write=False).read(SCORES)}
    assert all(d["text"].startswith("【") for d in result["diagnostics"])
    assert client.get("/api/state").json()["recent"] == [str(book_path.resolve())]


def test_a_user_mistake_comes_back_as_its_message(client: TestClient, tmp_path: Path) -> None:
    broken = tmp_path / "坏的.xlsx"
    broken.write_bytes(b"not a workbook")
    job = _finish(client, client.post("/api/run/validate", json={"workbook": str(broken)})
                  .json())
    assert job["state"] == "failed"
    assert "坏的.xlsx" in job["error"] and "Traceback" not in job["error"]


def test_a_second_action_on_a_busy_workbook_is_refused(client: TestClient, panel: Panel,
                                                       book_path: Path) -> None:
    release = threading.Event()
    panel.jobs.start("score", "计算得分与等次", book_path.resolve(),
                     lambda job: (release.wait(10), {})[1])
    try:
        refused = client.post("/api/run/validate", json={"workbook": str(book_path)})
        assert refused.status_code == 409
        assert "“计算得分与等次”还在运行" in refused.json()["error"]
    finally:
        release.set()
        panel.jobs.wait()


def test_jobs_on_different_workbooks_run_side_by_side() -> None:
    jobs, release = Jobs(), threading.Event()
    jobs.start("score", "计算得分与等次", Path("/a.xlsx"), lambda job: (release.wait(10), {})[1])
    other = jobs.start("score", "计算得分与等次", Path("/b.xlsx"), lambda job: {"ok": True})
    with pytest.raises(Busy):
        jobs.start("validate", "检查工作簿", Path("/a.xlsx"), lambda job: {})
    release.set()
    jobs.wait()
    assert other.result == {"ok": True} and not jobs.running()


@pytest.mark.parametrize("asked", ["/etc", "/", "/proc/self"])
def test_browsing_outside_the_roots_is_refused(client: TestClient, asked: str) -> None:
    response = client.get("/api/browse", params={"folder": asked})
    assert response.status_code == 403
    assert "不在控制面板可以访问的文件夹里" in response.json()["error"]


def test_browsing_lists_folders_and_workbooks_only(client: TestClient, book_path: Path) -> None:
    folder = book_path.parent
    (folder / "述职报告").mkdir()
    (folder / "说明.txt").write_text("x", "utf-8")
    (folder / f"~${book_path.name}").write_bytes(b"")
    listing = client.get("/api/browse", params={"folder": str(folder)}).json()
    assert [(e["name"], e["kind"]) for e in listing["entries"]] == [
        ("述职报告", "folder"), (book_path.name, "workbook")]


@pytest.mark.parametrize(("path", "body"), [
    ("/api/run/score", {"workbook": "/etc/passwd"}),
    ("/api/run/init", {"options": {"path": "/etc/新工作簿.xlsx"}}),
    ("/api/run/rollover", {"workbook": "BOOK",
                           "options": {"year": 2024, "out": "/tmp/../etc/x.xlsx"}}),
    ("/api/open", {"path": "/etc/passwd"}),
])
def test_paths_outside_the_roots_are_refused(client: TestClient, book_path: Path, path: str,
                                             body: dict[str, Any]) -> None:
    if body.get("workbook") == "BOOK":
        body = {**body, "workbook": str(book_path)}
    response = client.post(path, json=body)
    assert response.status_code == 403, response.text
    assert "不在控制面板可以访问的文件夹里" in response.json()["error"]


def test_a_document_is_opened_with_the_systems_program(
        client: TestClient, book_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened = tmp_path / "opened.txt"
    opener = tmp_path / "opener.py"
    opener.write_text(f"import sys\nopen({str(opened)!r}, 'w', encoding='utf-8')"
                      ".write(sys.argv[1])\n", "utf-8")
    launcher = tmp_path / "opener"
    launcher.write_text(f"#!/bin/sh\nexec {sys.executable} {opener} \"$1\"\n", "utf-8")
    launcher.chmod(0o755)
    monkeypatch.setenv("TONGJIA_XLS_OPEN_WITH", str(launcher))
    answer = client.post("/api/open", json={"path": str(book_path), "folder": True})
    assert answer.status_code == 200
    for _ in range(100):
        if opened.exists() and opened.read_text("utf-8"):
            break
        time.sleep(0.05)
    assert opened.read_text("utf-8") == str(book_path.resolve().parent)


def test_new_and_next_years_workbooks_are_made_beside_the_first(
        client: TestClient, book_path: Path) -> None:
    new = book_path.with_name("新建的.xlsx")
    job = _finish(client, client.post("/api/run/init", json={"options": {
        "path": str(new), "year": "2024", "town": "石桥镇"}}).json())
    assert job["state"] == "done", job
    assert new.is_file() and job["result"]["made"] == str(new.resolve())
    bad = _finish(client, client.post("/api/run/rollover", json={
        "workbook": str(book_path), "options": {"year": "明年", "out": str(new)}}).json())
    assert bad["state"] == "failed" and "不是一个年份" in bad["error"]


def test_a_macro_workbook_is_run_and_keeps_its_macros(client: TestClient,
                                                      tmp_path: Path) -> None:
    from tongjia_xls.actions import init_workbook
    from tongjia_xls.book.buttons import button_macros

    book = tmp_path / "按钮版.xlsm"
    init_workbook(book)
    before = button_macros(book)
    job = _finish(client, client.post("/api/run/score", json={"workbook": str(book)}).json())
    assert job["state"] == "done", job
    assert button_macros(book) == before and before
