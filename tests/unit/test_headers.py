"""The security-header policy as text (psoas_explorer/web/headers.py); tests/browser/test_csp.py checks it on a
running server and in chromium."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from psoas_explorer.web import headers
from psoas_explorer.web.page_scripts import APP_SCRIPTS


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to its end on a loop of its own thread: a worker that has run the browser tests keeps
    Playwright's loop running in this thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


SHELL = '<script>\n  window.a = 1\n</script><script type="module" src="./x.js"></script><SCRIPT>b()</SCRIPT>'


def test_only_inline_scripts_are_hashed_each_by_its_exact_text():
    import base64
    import hashlib

    def expected(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert headers.inline_script_hashes(SHELL) == [expected("\n  window.a = 1\n"), expected("b()")]


def test_the_policy_allows_streamlits_shell_script_and_ours_and_nothing_inline_else():
    allowed = headers.allowed_script_hashes()
    assert len(allowed) == 1 + len(APP_SCRIPTS), "index.html has exactly one inline script"
    script_src = headers.content_security_policy(allowed).split("script-src ")[1].split(";")[0].split()
    assert script_src == ["'self'", *allowed, "'wasm-unsafe-eval'"]  # WebAssembly only, never 'unsafe-eval'


def test_a_forged_host_header_never_reaches_the_policy():
    assert "ws://app.example:8080 wss://app.example:8080" in headers.content_security_policy([], "app.example:8080")
    for bad in ("evil.example; script-src *", "a b", "x'y", "host\r\nSet-Cookie: a=b"):
        policy = headers.content_security_policy([], bad)
        assert "ws:" not in policy and "*" not in policy, bad


def test_the_middleware_replaces_a_weaker_header_and_leaves_websockets_alone():
    sent: list[dict] = []
    scopes: list[str] = []

    async def app(scope, receive, send):
        scopes.append(scope["type"])
        if scope["type"] == "http":
            start = {"type": "http.response.start", "status": 200, "headers": [(b"referrer-policy", b"unsafe-url")]}
            await send(start)

    async def send(message):
        sent.append(message)

    middleware = headers.SecurityHeaders(app, script_hashes=["'sha256-x'"])
    http = {"type": "http", "headers": [(b"host", b"example.org")]}
    run(middleware(http, None, send))
    run(middleware({"type": "websocket", "headers": []}, None, send))
    (start,) = sent
    got = dict(start["headers"])
    assert [k for k, _ in start["headers"]].count(b"referrer-policy") == 1
    assert got[b"referrer-policy"] == b"no-referrer"
    assert b"'sha256-x'" in got[b"content-security-policy"]
    assert scopes == ["http", "websocket"]


def test_every_way_of_serving_runs_serve_py_which_streamlit_runs_as_the_app_with_headers():
    """run.sh (the README's command), the manual command in docs/deploy.md and the test servers start the same
    entry (the Dockerfile's is checked in test_deploy_files.py); `streamlit run serve.py` finds its st.App."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    from tests.support import ROOT

    assert "streamlit run serve.py" in (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert "streamlit run serve.py" in (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "streamlit run app.py" not in (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert '"run", "serve.py"' in (ROOT / "tests" / "browser" / "support.py").read_text(encoding="utf-8")
    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app", found
    source = (ROOT / "serve.py").read_text(encoding="utf-8")
    assert 'st.App("app.py", middleware=[Middleware(SecurityHeaders), Middleware(NestedAddresses)])' in source
