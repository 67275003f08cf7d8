"""Starting and stopping the panel: a loopback socket, uvicorn, the browser, the idle timer.

The socket is bound here, before the server starts, so the port (a free one unless asked)
is known for the URL and the guard; uvicorn then serves on that very socket. The panel stops
on Ctrl-C, on the page's 关闭控制面板 button, or after ``idle_minutes`` without a request
while no action runs; a running action always finishes and saves first.
"""

from __future__ import annotations

import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from tongjia_xls.errors import UserError
from tongjia_xls.panel.app import Panel, create_app
from tongjia_xls.panel.guard import Guard, default_roots, new_token

__all__ = ["DEFAULT_IDLE_MINUTES", "bind", "serve"]

#: Minutes without a request after which the panel stops by itself.
DEFAULT_IDLE_MINUTES = 120
#: How often the idle timer looks, in seconds.
_TICK = 1.0


def bind(port: int = 0) -> socket.socket:
    """Return a listening socket on 127.0.0.1 (``port`` 0: a free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise UserError(f"端口 {port} 已被占用。请换一个端口，或不指定端口"
                        "（控制面板会自己找一个空闲的）。") from None
    sock.listen(64)
    return sock


def serve(workbook: Path | None = None, *, port: int = 0, open_browser: bool = True,
          idle_minutes: float = DEFAULT_IDLE_MINUTES,
          echo: Callable[[str], None] = print) -> None:
    """Run the panel until it is stopped; ``echo`` gets the URL first, then what happens."""
    import uvicorn

    sock = bind(port)
    port = sock.getsockname()[1]
    folder = [workbook.resolve().parent] if workbook else []
    panel = Panel(Guard(new_token(), port, default_roots(folder)),
                  workbook.resolve() if workbook else None)
    url = f"http://127.0.0.1:{port}/?token={panel.guard.token}"
    server = uvicorn.Server(uvicorn.Config(create_app(panel), log_level="warning",
                                           access_log=False, lifespan="off"))

    def stop() -> None:
        server.should_exit = True

    panel.stop = stop
    echo(url)
    echo("控制面板已启动。浏览器没有自动打开时，请把上面的地址复制到浏览器中打开。"
         "用完后在网页上点“关闭控制面板”，或在这里按 Ctrl+C。")
    watchdog = threading.Thread(target=_watch_idle, args=(panel, idle_minutes * 60, stop),
                                daemon=True, name="panel-idle")
    watchdog.start()
    if open_browser:
        threading.Timer(0.3, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        if panel.jobs.running():
            echo("正在等待当前操作完成并保存……")
        panel.jobs.wait()
        sock.close()
        echo("控制面板已关闭。")


def _watch_idle(panel: Panel, seconds: float, stop: Callable[[], None]) -> None:
    """Stop the panel once nobody has asked anything for ``seconds`` and nothing runs."""
    while True:
        time.sleep(_TICK)
        if time.monotonic() - panel.last_request >= seconds and not panel.jobs.running():
            stop()
            return
