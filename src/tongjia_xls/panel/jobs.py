"""Actions run in the background while the page polls: one at a time per workbook.

A button press starts a :class:`Job` in its own thread and answers at once; the page asks
for the job's progress and, when it is done, its result. A second action on a workbook
whose action is still running is refused with a message (the file backend's own lock
would refuse it too, but later and with less to say). Threads are not daemons: when the
panel is stopped, a running action still finishes and saves, so nothing is lost.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tongjia_xls.errors import UserError

__all__ = ["Busy", "Job", "Jobs"]

_log = logging.getLogger("tongjia_xls.panel")

RUNNING, DONE, FAILED = "running", "done", "failed"
#: What the page shows when an action fails with a bug rather than a user's mistake.
BUG_MESSAGE = ("运行时程序出错，这不是您的操作问题。详细信息已显示在控制面板的命令窗口中，"
               "请告知维护人员。工作簿没有被改坏：出错的操作不会保存一半。")


class Busy(Exception):
    """An action is already running on this workbook; ``str()`` says which, in Chinese."""


@dataclass
class Job:
    """One run of an action: its progress while it runs, then its result or its error."""

    id: str
    command: str
    title: str
    workbook: str | None
    state: str = RUNNING
    done: int = 0
    total: int = 0
    step: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def progress(self, done: int, total: int, step: str) -> None:
        """Record how far the action is: ``done`` of ``total`` items of ``step``."""
        self.done, self.total, self.step = done, total, step

    def as_json(self) -> dict[str, Any]:
        """Return the job as the API gives it to the page."""
        return {"id": self.id, "command": self.command, "title": self.title,
                "workbook": self.workbook, "state": self.state, "done": self.done,
                "total": self.total, "step": self.step, "result": self.result,
                "error": self.error,
                "seconds": round((self.finished or time.time()) - self.started, 1)}


class Jobs:
    """The jobs of one panel, and which workbooks are busy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._busy: dict[str, Job] = {}
        self._threads: list[threading.Thread] = []

    def start(self, command: str, title: str, workbook: Path | None,
              work: Callable[[Job], dict[str, Any]]) -> Job:
        """Start ``work`` for ``workbook`` in a thread and return its job at once.

        Raises :class:`Busy` when an action is still running on the same workbook.
        """
        key = str(workbook) if workbook else f"new:{command}"
        with self._lock:
            running = self._busy.get(key)
            if running is not None:
                raise Busy(f"“{running.title}”还在运行（{running.step or '准备中'}），"
                           "请等它完成后再点。")
            job = Job(secrets.token_hex(8), command, title, str(workbook) if workbook else None)
            self._jobs[job.id] = job
            self._busy[key] = job
        thread = threading.Thread(target=self._run, args=(job, key, work),
                                  name=f"panel-{command}")
        # Only the threads still running need joining at the end: a panel left open all
        # winter should not keep one per button press.
        self._threads = [*(t for t in self._threads if t.is_alive()), thread]
        thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        """Return the job with ``job_id``, or ``None`` when there is none."""
        return self._jobs.get(job_id)

    def running(self) -> list[Job]:
        """Return the jobs still running."""
        with self._lock:
            return list(self._busy.values())

    def wait(self, timeout: float | None = None) -> None:
        """Wait for every job's thread to end (or ``timeout`` seconds for each)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, job: Job, key: str, work: Callable[[Job], dict[str, Any]]) -> None:
        try:
            job.result = work(job)
            job.state = DONE
        except UserError as error:
            job.error, job.state = str(error), FAILED
        except Exception:  # a bug: the traceback goes to the console, not to the page
            _log.exception("panel action %s failed", job.command)
            job.error, job.state = BUG_MESSAGE, FAILED
        finally:
            job.finished = time.time()
            with self._lock:
                self._busy.pop(key, None)
