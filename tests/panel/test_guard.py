"""The guard of the local server, rule by rule: token, Host, origin, roots."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongjia_xls.panel.guard import COOKIE, HEADER, Guard

TOKEN = "t" * 32
GUARD = Guard(TOKEN, 8123)
HOST = {"host": "127.0.0.1:8123"}
ORIGIN = {"origin": "http://127.0.0.1:8123"}


@pytest.mark.parametrize(
    ("method", "headers", "cookies", "query", "status"),
    [
        # A page visit with the token in the URL, then with the cookie.
        ("GET", HOST, {}, {"token": TOKEN}, None),
        ("GET", HOST, {COOKIE: TOKEN}, {}, None),
        ("GET", {"host": "localhost:8123"}, {COOKIE: TOKEN}, {}, None),
        ("GET", {"host": "[::1]:8123"}, {COOKIE: TOKEN}, {}, None),
        # No token, a wrong one, one a character short.
        ("GET", HOST, {}, {}, 403),
        ("GET", HOST, {COOKIE: "x" * 32}, {}, 403),
        ("GET", HOST, {}, {"token": TOKEN[:-1]}, 403),
        # DNS rebinding: the token is right, the Host is the attacker's name or another port.
        ("GET", {"host": "evil.example:8123"}, {COOKIE: TOKEN}, {}, 421),
        ("GET", {"host": "127.0.0.1:8124"}, {COOKIE: TOKEN}, {}, 421),
        ("GET", {"host": "127.0.0.1"}, {COOKIE: TOKEN}, {}, 421),
        ("GET", {}, {COOKIE: TOKEN}, {}, 421),
        # Writes: the panel's own origin, or (no Origin) its header.
        ("POST", {**HOST, **ORIGIN}, {COOKIE: TOKEN}, {}, None),
        ("POST", {**HOST, HEADER: TOKEN}, {COOKIE: TOKEN}, {}, None),
        ("POST", {**HOST, "origin": "http://evil.example"}, {COOKIE: TOKEN}, {}, 403),
        ("POST", {**HOST, "origin": "null"}, {COOKIE: TOKEN}, {}, 403),
        ("POST", {**HOST, "origin": "http://127.0.0.1:8124"}, {COOKIE: TOKEN}, {}, 403),
        # A cross-site form post carries the cookie (were SameSite ignored) but no header.
        ("POST", HOST, {COOKIE: TOKEN}, {}, 403),
        # The token in the URL is for page visits only.
        ("POST", {**HOST, **ORIGIN}, {}, {"token": TOKEN}, 403),
    ],
)
def test_requests_are_let_through_or_refused(method: str, headers: dict[str, str],
                                             cookies: dict[str, str], query: dict[str, str],
                                             status: int | None) -> None:
    refusal = GUARD.check(method, headers, cookies, query)
    assert (refusal.status if refusal else None) == status
    if refusal:
        assert any("\u4e00" <= char <= "\u9fff" for char in refusal.message)


def test_paths_are_allowed_only_inside_the_roots(tmp_path: Path) -> None:
    inside, outside = tmp_path / "工作", tmp_path / "别处"
    inside.mkdir()
    outside.mkdir()
    (inside / "总表.xlsx").write_bytes(b"")
    (inside / "链接").symlink_to(outside)
    guard = Guard(TOKEN, 8123, [])
    guard.add_root(inside)
    assert guard.allowed(inside / "总表.xlsx") == (inside / "总表.xlsx").resolve()
    assert guard.allowed(inside) == inside.resolve()
    assert guard.allowed(outside) is None
    assert guard.allowed(inside / ".." / "别处") is None
    assert guard.allowed(inside / "链接") is None  # a link leading out is out
    assert guard.allowed("/etc/passwd") is None
    assert guard.allowed(str(tmp_path / "工作别处")) is None  # a prefix is not a parent
