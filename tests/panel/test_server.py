"""The panel as staff start it: a real process on a real port, refusing what it must."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

URL = re.compile(r"^http://127\.0\.0\.1:(\d+)/\?token=([\w-]{32})$")


class Running:
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


def start(*args: str, home: Path) -> Running:
    env = {**os.environ, "HOME": str(home), "TONGJIA_XLS_CONFIG_DIR": str(home / "config"),
           "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "tongjia_xls", "panel", *args,
                                "--no-browser"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    found = URL.match(first)
    if not found:
        process.kill()
        rest, _ = process.communicate()
        raise AssertionError(f"the first line is not the URL: {first!r}\n{rest}")
    return Running(process, int(found.group(1)), found.group(2))


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
