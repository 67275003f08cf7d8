"""The panel's web application: one page, and the small JSON API the page uses.

=====================  ======================================================================
``GET  /``             the page (``?token=…`` once: the token becomes a cookie)
``GET  /api/state``    ``?workbook=PATH``: the workbook (is it open in Excel/WPS?), its
                       控制台 lines, the recent workbooks, the commands, the running jobs
``GET  /api/browse``   ``?folder=PATH``: sub-folders and workbooks, inside the allowed roots
``POST /api/run/NAME`` ``{"workbook": PATH, "options": {…}}``: start a command, answer its job
``GET  /api/jobs/ID``  the job: state, progress, then its result or its error
``POST /api/open``     ``{"path": PATH, "folder": false}``: open a file (or its folder)
``POST /api/stop``     stop the panel (after a running action has finished)
=====================  ======================================================================

Every request passes :class:`~tongjia_xls.panel.guard.Guard` first. Errors a user can fix
come back as ``{"error": "…"}`` with status 400 (409 when the workbook is open elsewhere or
busy); the texts are the CLI's.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tongjia_xls.errors import UserError
from tongjia_xls.panel import places
from tongjia_xls.panel.commands import COMMANDS, Command
from tongjia_xls.panel.guard import COOKIE, Guard
from tongjia_xls.panel.jobs import Busy, Job, Jobs
from tongjia_xls.panel.results import outcome_json

__all__ = ["Panel", "create_app"]

STATIC = Path(__file__).parent / "static"
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass
class Panel:
    """One running panel: its guard, its jobs, the workbook it was started on."""

    guard: Guard
    workbook: Path | None = None
    jobs: Jobs = field(default_factory=Jobs)
    last_request: float = field(default_factory=time.monotonic)
    stop: Callable[[], None] | None = None


def create_app(panel: Panel) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """Return the ASGI application of ``panel``: the routes behind the guard."""
    routes = [
        Route("/", _page(panel)),
        Route("/api/state", _state(panel)),
        Route("/api/browse", _browse(panel)),
        Route("/api/run/{name}", _run(panel), methods=["POST"]),
        Route("/api/jobs/{job}", _job(panel)),
        Route("/api/open", _open(panel), methods=["POST"]),
        Route("/api/stop", _stop(panel), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return _Guarded(Starlette(routes=routes), panel)


class _Guarded:
    """ASGI middleware: refuse what the guard refuses, before any route sees it."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]],
                 panel: Panel) -> None:
        self.app, self.panel = app, panel

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no token
            cookie = SimpleCookie()
        cookies = {key: morsel.value for key, morsel in cookie.items()}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        refusal = self.panel.guard.check(scope["method"], headers, cookies, query)
        if refusal is not None:
            response: Response = JSONResponse({"error": refusal.message}, refusal.status)
            await response(scope, receive, send)
            return
        self.panel.last_request = time.monotonic()
        await self.app(scope, receive, send)


# -- routes -------------------------------------------------------------------------------

Endpoint = Callable[[Request], Awaitable[Response]]


def _page(panel: Panel) -> Endpoint:
    async def page(request: Request) -> Response:
        if "token" in request.query_params:  # first visit: keep the token, clean the URL
            response: Response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, panel.guard.token, httponly=True, samesite="strict")
            return response
        html = (STATIC / "index.html").read_text("utf-8")
        return HTMLResponse(html.replace("{{token}}", panel.guard.token),
                            headers={"Cache-Control": "no-store"})
    return page


def _state(panel: Panel) -> Endpoint:
    async def state(request: Request) -> Response:
        asked = request.query_params.get("workbook") or (
            str(panel.workbook) if panel.workbook else "")
        return JSONResponse({
            "workbook": _workbook_state(panel, asked) if asked else None,
            "recent": [str(p) for p in places.recent() if panel.guard.allowed(p)],
            "commands": [{"name": c.name, "title": c.title, "cli": c.cli,
                          "creates": c.creates, "needs_workbook": c.needs_workbook}
                         for c in COMMANDS.values()],
            "running": [job.as_json() for job in panel.jobs.running()],
            "roots": [str(root) for root in panel.guard.roots],
        })
    return state


def _browse(panel: Panel) -> Endpoint:
    async def browse(request: Request) -> Response:
        asked = request.query_params.get("folder") or str(
            panel.workbook.parent if panel.workbook else panel.guard.roots[0])
        folder = panel.guard.allowed(asked)
        if folder is None:
            return _refused(asked)
        if not folder.is_dir():
            return _error(f"“{asked}”不是文件夹。")
        try:
            entries = places.folder_listing(folder)
        except UserError as error:
            return _error(str(error))
        parent = panel.guard.allowed(folder.parent) if folder.parent != folder else None
        return JSONResponse({"folder": str(folder), "entries": entries,
                             "parent": str(parent) if parent else None,
                             "roots": [str(root) for root in panel.guard.roots]})
    return browse


def _run(panel: Panel) -> Endpoint:
    async def run(request: Request) -> Response:
        command = COMMANDS.get(request.path_params["name"])
        if command is None:
            return _error("没有这个操作。", 404)
        resolved = _targets(panel, command, await _json(request))
        if isinstance(resolved, Response):
            return resolved
        source, made, options = resolved

        def work(job: Job) -> dict[str, Any]:
            outcome = command.run(source, options, job.progress)
            if (made or source).is_file():
                places.remember(made or source)
            return {**outcome_json(outcome), "made": str(made) if made else None}

        try:
            job = panel.jobs.start(command.name, command.title, source, work)
        except Busy as busy:
            return _error(str(busy), 409)
        return JSONResponse(job.as_json(), 202)
    return run


def _targets(panel: Panel, command: Command, body: dict[str, Any]
             ) -> Response | tuple[Path, Path | None, dict[str, Any]]:
    """Return the path the command runs on, the workbook it makes, and its options; or the
    answer refusing it (no workbook, outside the roots, open in Excel/WPS)."""
    options = body.get("options") or {}
    if not isinstance(options, dict):
        return _error("选项格式不对。")
    made = None
    if command.creates:
        wanted = str(options.get(command.creates) or "").strip()
        if not wanted:
            return _error("请填写新工作簿的保存位置。")
        folder = panel.guard.allowed(Path(wanted).parent)
        if folder is None:
            return _refused(wanted)
        made = folder / Path(wanted).name
        options = {**options, command.creates: str(made)}
        if not command.needs_workbook:
            return made, made, options
    asked = str(body.get("workbook") or "").strip()
    if not asked:
        return _error("请先选择工作簿。")
    workbook = panel.guard.allowed(asked)
    if workbook is None:
        return _refused(asked)
    # Making next year's workbook only reads this one: Excel may keep it open.
    problem = _not_runnable(workbook, locked_ok=made is not None)
    return problem or (workbook, made, options)


def _job(panel: Panel) -> Endpoint:
    async def job(request: Request) -> Response:
        found = panel.jobs.get(request.path_params["job"])
        if found is None:
            return _error("没有这个操作记录（控制面板可能已重新启动）。", 404)
        return JSONResponse(found.as_json())
    return job


def _open(panel: Panel) -> Endpoint:
    async def open_path(request: Request) -> Response:
        body = await _json(request)
        asked = str(body.get("path") or "")
        path = panel.guard.allowed(asked) if asked else None
        if path is None:
            return _refused(asked)
        try:
            places.open_in_system(path.parent if body.get("folder") else path)
        except UserError as error:
            return _error(str(error))
        return JSONResponse({"opened": str(path.parent if body.get("folder") else path)})
    return open_path


def _stop(panel: Panel) -> Endpoint:
    async def stop(request: Request) -> Response:
        running = panel.jobs.running()
        if panel.stop is not None:
            panel.stop()
        note = f"（正在等“{running[0].title}”完成）" if running else ""
        return JSONResponse({"stopping": True,
                             "message": f"控制面板已关闭{note}，可以关闭这个网页了。"})
    return stop


# -- helpers ------------------------------------------------------------------------------


def _workbook_state(panel: Panel, asked: str) -> dict[str, Any]:
    """Return what the page shows of the workbook at ``asked``: can it run, and 控制台."""
    from tongjia_xls.book.save import lock_files

    path = panel.guard.allowed(asked)
    if path is None:
        return {"path": asked, "error": _outside(asked)}
    state: dict[str, Any] = {"path": str(path), "name": path.name, "folder": str(path.parent),
                             "exists": path.is_file(), "locked": False, "lines": []}
    if not path.is_file():
        state["error"] = f"找不到工作簿“{path}”。请重新选择，或点“新建工作簿”。"
        return state
    if lock_files(path):
        state["locked"] = True
        state["message"] = _locked_message(path)
    try:
        state["lines"] = _dashboard_lines(path)
    except UserError as error:
        state["error"] = str(error)
    return state


def _dashboard_lines(path: Path) -> list[dict[str, str]]:
    from tongjia_xls.book.gateway import Workbook
    from tongjia_xls.sheets.schema import DASHBOARD

    with Workbook.open(path, for_write=False) as book:
        table = book.read(DASHBOARD)
        if not table.usable:
            return []
        return [{"stage": str(r.get("stage") or ""), "status": str(r.get("status") or ""),
                 "next_step": str(r.get("next_step") or "")} for r in table if r.get("stage")]


def _not_runnable(path: Path, *, locked_ok: bool = False) -> Response | None:
    """Return the answer refusing to run on ``path``, or ``None`` when it can run."""
    from tongjia_xls.book.save import lock_files

    if not path.is_file():
        return _error(f"找不到工作簿“{path}”。请重新选择。")
    if not locked_ok and lock_files(path):
        return JSONResponse({"error": _locked_message(path), "locked": True}, 409)
    return None


def _locked_message(path: Path) -> str:
    return (f"工作簿“{path.name}”正在 Excel 或 WPS 中打开，现在写入会和您的修改冲突。"
            "请在 Excel/WPS 中保存并关闭它，然后点“我已保存并关闭，继续”。")


def _outside(asked: str) -> str:
    return (f"“{asked}”不在控制面板可以访问的文件夹里（您的个人文件夹和工作簿所在的文件夹）。"
            "请把文件放到这些文件夹中再选择。")


def _refused(asked: str) -> Response:
    return JSONResponse({"error": _outside(asked)}, 403)


def _error(message: str, status: int = 400) -> Response:
    return JSONResponse({"error": message}, status)


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
