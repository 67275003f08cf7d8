"""What keeps a local server local: the token, the Host, the origin, the allowed folders.

A server on 127.0.0.1 is still reachable by every web page the user opens: a page can
send requests to ``http://127.0.0.1:port`` (cross-site requests), or make its own host
name resolve to 127.0.0.1 (DNS rebinding) and read the answers. So every request must
carry the per-run token (in the URL once, in a cookie after that); the Host header must
be the loopback address and this port (a rebinding page's Host is its own name); and a
request that changes anything must come from the panel's own page (its ``Origin``, or,
when a browser sends none, the custom header only a same-origin script can add).
Files are read, listed and opened only inside the allowed roots.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["COOKIE", "HEADER", "Guard", "Refusal", "new_token"]

#: The cookie that carries the token after the first visit.
COOKIE = "tongjia_panel"
#: The header the page's own script adds to every request that changes something.
HEADER = "x-tongjia-token"
#: Loopback names a browser may put in the Host header.
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def new_token() -> str:
    """Return a fresh random token for one run of the panel (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused: the HTTP status and a Chinese sentence for the page."""

    status: int
    message: str


@dataclass
class Guard:
    """The rules of one running panel: its token, its port and the folders it may touch."""

    token: str
    port: int
    roots: list[Path] = field(default_factory=list)

    def check(self, method: str, headers: Mapping[str, str], cookies: Mapping[str, str],
              query: Mapping[str, str]) -> Refusal | None:
        """Return why the request must be refused, or ``None`` when it may go on.

        ``headers`` are keyed in lower case. The token may come in the query only on a
        page visit (``GET``); the page then keeps it as a cookie.
        """
        if headers.get("host", "") not in self.hosts():
            return Refusal(421, "地址不对：请用控制面板启动时给出的地址打开。")
        offered = [cookies.get(COOKIE, ""), headers.get(HEADER, "")]
        if method in _SAFE_METHODS:
            offered.append(query.get("token", ""))
        if not any(self._is_token(value) for value in offered):
            return Refusal(403, "缺少访问口令：请用控制面板启动时给出的完整地址打开"
                                "（或重新启动控制面板）。")
        if method not in _SAFE_METHODS and not self._same_origin(headers):
            return Refusal(403, "这个请求不是从控制面板页面发出的，已拒绝。")
        return None

    def hosts(self) -> set[str]:
        """Return the Host header values that name this server."""
        return {f"{name}:{self.port}" for name in _LOOPBACK}

    def allowed(self, path: Path | str) -> Path | None:
        """Return ``path`` resolved, or ``None`` when it lies outside every root.

        Links are followed before the test, so a link inside a root that points outside
        it is outside.
        """
        try:
            real = Path(os.path.realpath(Path(path).expanduser()))
        except (OSError, ValueError):
            return None
        return real if any(_within(real, root) for root in self.roots) else None

    def add_root(self, folder: Path) -> None:
        """Allow ``folder`` and what it holds, e.g. the folder of a workbook chosen."""
        real = Path(os.path.realpath(folder))
        if not any(_within(real, root) for root in self.roots):
            self.roots.append(real)

    def _is_token(self, value: str) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.token.encode())

    def _same_origin(self, headers: Mapping[str, str]) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            return origin in {f"http://{host}" for host in self.hosts()}
        # No Origin (some browsers omit it on same-origin requests): a custom header cannot
        # be sent cross-origin without a preflight this server never grants.
        return self._is_token(headers.get(HEADER, ""))


def default_roots(extra: Iterable[Path]) -> list[Path]:
    """Return the user's home and the given folders, resolved, without duplicates."""
    guard = Guard("", 0)
    for folder in (Path.home(), *extra):
        guard.add_root(folder)
    return guard.roots


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
