"""The panel as staff start it: a real process on a real port, refusing what it must."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import PanelProcess as Running
from helpers import start_panel as start


@pytest.fixture
def panel(book_path: Path, tmp_path: Path) -> Iterator[Running]:
    home = tmp_path / "home"
    home.mkdir()
    running = start(str(book_path), home=home)
    yield running
    if running.process.poll() is None:
        running.process.kill()
    running.process.communicate()  # reaps it and closes its output


def test_the_page_needs_the_token_then_keeps_it_in_a_cookie(panel: Running) -> None:
    assert panel.request("GET", "/")[0] == 403
    status, _ = panel.request("GET", f"/?token={panel.token}")
    assert status == 303
    status, page = panel.request("GET", "/", headers={"Cookie": f"tongjia_panel={panel.token}"})
    assert status == 200 and "控制面板" in page["text"]


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "192.168.1.5:{port}",
                                  "localhost.evil.example:{port}"])
def test_a_foreign_host_is_refused_even_with_the_token(panel: Running, host: str) -> None:
    status, body = panel.request("GET", "/api/state", host=host.format(port=panel.port),
                                 headers=panel.own())
    assert status == 421 and "地址不对" in body["error"]


def test_a_request_from_another_origin_changes_nothing(panel: Running, book_path: Path) -> None:
    before = book_path.read_bytes()
    for origin in ("http://evil.example", "null", f"http://localhost:{panel.port + 1}"):
        status, body = panel.request("POST", "/api/run/score", body={"workbook": str(book_path)},
                                     headers={"Cookie": f"tongjia_panel={panel.token}",
                                              "Origin": origin})
        assert status == 403, body
    # A form post from another site sends no custom header, and no Origin in old browsers.
    status, _ = panel.request("POST", "/api/run/score", body={"workbook": str(book_path)},
                              headers={"Cookie": f"tongjia_panel={panel.token}"})
    assert status == 403
    assert book_path.read_bytes() == before


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/api/browse?folder=/etc", None),
    ("GET", "/api/state?workbook=/etc/passwd", None),
    ("POST", "/api/open", {"path": "/etc/passwd"}),
    ("POST", "/api/run/validate", {"workbook": "/etc/passwd"}),
])
def test_paths_outside_the_home_and_the_workbooks_folder_are_refused(
        panel: Running, method: str, path: str, body: Any) -> None:
    status, answer = panel.request(method, path, headers=panel.own(), body=body)
    text = json.dumps(answer, ensure_ascii=False)
    assert (status == 403) or ("不在控制面板可以访问的文件夹里" in text), answer
    assert "root:" not in text


def _listening(port: int) -> list[str]:
    """Return the local addresses listening on ``port``, as the Linux kernel lists them."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if int(hex_port, 16) == port and state == "0A":  # 0A: LISTEN
                found.append(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_it_listens_on_the_loopback_address_only(panel: Running) -> None:
    # 0100007F is 127.0.0.1 in the kernel's byte order; 00000000 would be every address.
    assert _listening(panel.port) == ["0100007F"]


def test_the_stop_button_ends_the_process(panel: Running) -> None:
    status, body = panel.request("POST", "/api/stop", headers=panel.own(), body={})
    assert status == 200 and "控制面板已关闭" in body["message"]
    out = panel.stopped()
    assert panel.process.returncode == 0 and "控制面板已关闭。" in out
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", panel.port), timeout=2):
        pass


def test_ctrl_c_ends_the_process_cleanly(panel: Running) -> None:
    assert panel.request("GET", "/api/state", headers=panel.own())[0] == 200
    panel.process.send_signal(signal.SIGINT)
    out = panel.stopped()
    assert "控制面板已关闭。" in out and "Traceback" not in out


def test_it_stops_by_itself_when_nobody_uses_it(book_path: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    running = start(str(book_path), "--idle", "0.05", home=tmp_path)
    out = running.stopped(timeout=30)
    assert running.process.returncode == 0 and "控制面板已关闭。" in out
    assert time.monotonic() - started >= 2.5  # 3 s of idleness, not at once


def test_a_missing_workbook_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "tongjia_xls", "panel",
                             str(tmp_path / "没有.xlsx"), "--no-browser"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "找不到总工作簿" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
