"""The control panel's own cost: start to first page, and each action through it vs the CLI.

Run: ``python benchmarks/bench_panel.py`` (in the project's venv). Prints a Markdown table
for ``docs/benchmarks.md``. Medians of several runs, each on a fresh copy of the demo
workbook; not a pass/fail test.

"Through the panel" is the wall time from the button's request to the job's result, polled
every 20 ms as a page would (the page polls every 400 ms; that is the page's choice, not the
server's cost). "CLI" is the same command as a process, Python's start-up included: the
panel's process is already running when a button is pressed, which is the point of it.
"""

from __future__ import annotations

import http.client
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLI = [sys.executable, "-m", "tongjia_xls"]
#: (panel command, CLI arguments) of the actions measured.
ACTIONS = (("validate", ["validate"]), ("check_reports", ["check"]), ("score", ["score"]),
           ("rectify", ["rectify", "--draft"]))
RUNS = 5


class Panel:
    """A panel process on ``book`` and requests to it."""

    def __init__(self, book: Path) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen([*CLI, "panel", str(book), "--no-browser"],
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        url = self.process.stdout.readline().strip()
        self.port = int(url.split(":")[2].split("/")[0])
        self.token = url.rsplit("=", 1)[1]

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Tongjia-Token": self.token,
                   "Origin": f"http://127.0.0.1:{self.port}", "Content-Type": "application/json"}
        connection.request(method, path, json.dumps(body) if body is not None else None,
                           headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, json.loads(data) if data.startswith(b"{") else data

    def first_page(self) -> float:
        """Return seconds from starting the process to the page answered."""
        status, _ = self.call("GET", "/")
        assert status == 200, status
        return time.perf_counter() - self.started

    def run(self, command: str, book: Path) -> float:
        start = time.perf_counter()
        status, job = self.call("POST", f"/api/run/{command}", {"workbook": str(book)})
        assert status == 202, job
        while job["state"] == "running":
            time.sleep(0.02)
            job = self.call("GET", f"/api/jobs/{job['id']}")[1]
        assert job["state"] == "done", job
        return time.perf_counter() - start

    def stop(self) -> None:
        self.call("POST", "/api/stop", {})
        self.process.communicate(timeout=60)


def _fresh(demo: Path, work: Path, name: str) -> Path:
    """Return a copy of the demo folder (workbook and reports) for one run."""
    target = work / name
    shutil.copytree(demo, target)
    return next(target.glob("*.xlsx"))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="tongjia-bench-panel-"))
    try:
        subprocess.run([*CLI, "demo", str(work / "demo")], check=True, capture_output=True)
        demo = work / "demo"
        starts = []
        for n in range(RUNS):
            panel = Panel(_fresh(demo, work, f"start{n}"))
            starts.append(panel.first_page())
            panel.stop()
        rows = [("panel start to first page", statistics.median(starts), None)]
        for command, args in ACTIONS:
            through_cli, through_panel = [], []
            for n in range(RUNS):
                book = _fresh(demo, work, f"{command}-cli{n}")
                start = time.perf_counter()
                done = subprocess.run([*CLI, *args, str(book)], capture_output=True)
                through_cli.append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    raise SystemExit(done.stderr.decode())
                book = _fresh(demo, work, f"{command}-panel{n}")
                panel = Panel(book)
                panel.first_page()
                through_panel.append(panel.run(command, book))
                panel.stop()
            rows.append((f"`{' '.join(args)}`", statistics.median(through_cli),
                         statistics.median(through_panel)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}; "
          f"median wall-clock seconds of {RUNS} runs\n")
    print("| what | CLI process | through the panel |")
    print("|---|---|---|")
    for what, cli, panel in rows:
        if panel is None:
            print(f"| {what} | {cli:.3f} | |")
        else:
            print(f"| {what} | {cli:.3f} | {panel:.3f} |")


if __name__ == "__main__":
    main()
