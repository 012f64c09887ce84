"""Real-browser helpers: a streamlit server (and nginx) on free loopback ports, waiting on Streamlit's own
run state, and opening a page as a new visitor. Fixtures that use them are in conftest.py."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.support import ROOT, render_nginx

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, WebSocket

    from psoas_explorer.links.pages import PageSpec

CHROMIUM = "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ARTIFACTS = ROOT / "tests" / "artifacts"
# How long a state may take before a test fails: a bound on a wait for a state, never a wait itself, so it costs
# nothing when the state comes. Generous: CI runs the suite on 2 cores with a third process kept busy.
STATE_TIMEOUT = 60_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_CHROMIUM: dict[str, Any] = {"users": 0}


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium through Playwright, launched once per process however many fixtures ask for it: the
    sync API allows one Playwright per thread, and the browser tests and the benchmark probes (benchmarks/tests)
    each have a `browser` fixture; with xdist one worker can run both."""
    import pytest
    from playwright.sync_api import sync_playwright

    if not _CHROMIUM["users"]:
        if not Path(CHROMIUM).exists():
            pytest.fail("Debian's chromium is missing: run the README's test command, which installs it.")
        _CHROMIUM["playwright"] = sync_playwright().start()
        _CHROMIUM["browser"] = _CHROMIUM["playwright"].chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    _CHROMIUM["users"] += 1
    try:
        yield _CHROMIUM["browser"]
    finally:
        _CHROMIUM["users"] -= 1
        if not _CHROMIUM["users"]:
            _CHROMIUM.pop("browser").close()
            _CHROMIUM.pop("playwright").stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(check: Callable[[], bool], seconds: float, interval: float = 0.1) -> bool:
    """Ask ``check`` about a state outside the browser (a server's health, a log file) until it says yes or
    ``seconds`` have passed; returns its last answer. The pause is between looks, not the thing waited for."""
    deadline = time.monotonic() + seconds
    while not (ok := check()) and time.monotonic() < deadline:
        time.sleep(interval)
    return ok


def healthy(url: str) -> bool:
    """Does ``url``/_stcore/health answer ok right now?"""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            return bool(r.read() == b"ok")
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen[Any], seconds: float, log: Callable[[], str]) -> None:
    """Wait until ``url``/_stcore/health answers ok; fail with the process's log if it dies or times out."""
    if not poll(lambda: healthy(url) or proc.poll() is not None, seconds) or proc.poll() is not None:
        raise RuntimeError(f"{url} did not become healthy:\n{log()}")


def stop(proc: subprocess.Popen) -> None:
    """Ask a child server to stop; kill it if it has not within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


# Every running streamlit_server's process by its URL: a test may end one abruptly (tests/browser/failover.py).
SERVERS: dict[str, subprocess.Popen[Any]] = {}


@contextmanager
def streamlit_server(*extra: str, env: dict[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    """Start `streamlit run serve.py` (the app with its headers, as scripts/run.sh) on ``port`` (a free one by
    default), wait for /_stcore/health, yield its URL."""
    port = port or free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115 - a file, not a pipe: no deadlock
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    base_path = next((a.split("=", 1)[1] for a in extra if a.startswith("--server.baseUrlPath=")), "")
    url = f"http://127.0.0.1:{port}" + (f"/{base_path.strip('/')}" if base_path else "")
    try:
        wait_healthy(url, proc, 60, lambda: (log.seek(0), log.read())[1])
        SERVERS[url] = proc
        yield url
    finally:
        SERVERS.pop(url, None)
        stop(proc)
        log.close()
        os.unlink(log.name)


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url
    return port


@contextmanager
def nginx_proxy(backend_1: str, backend_2: str) -> Iterator[tuple[str, Path]]:
    """deploy/nginx.conf in front of two backends, on a free loopback port; yields its URL and access log
    (backends under a base path: the URL carries it, as theirs do)."""
    prefix = Path(tempfile.mkdtemp(prefix="psoas-nginx-"))
    prefix.chmod(0o755)  # when run as root, nginx's workers run as nobody and must reach their temp folders
    (prefix / "logs").mkdir()
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx(port, port_of(backend_1), port_of(backend_2)))
    error_log = prefix / "error.log"
    globals_ = f"daemon off; pid {prefix}/nginx.pid; error_log {error_log};"
    cmd = [NGINX, "-p", str(prefix), "-e", str(error_log), "-c", str(conf), "-g", globals_]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}" + urlsplit(backend_1).path.rstrip("/")
    try:
        wait_healthy(url, proc, 15, lambda: error_log.read_text() if error_log.exists() else "")
        yield url, prefix / "logs" / "access.log"
    finally:
        stop(proc)
        shutil.rmtree(prefix, ignore_errors=True)


def wait_for_app(page: Page, timeout: int = STATE_TIMEOUT) -> None:
    """Wait for Streamlit's own script-state attribute, never a fixed sleep."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )


def run_finished(payload: str | bytes) -> bool:
    """Is this websocket frame the server saying a script run is over (not one cut short by st.rerun)?"""
    from google.protobuf.message import DecodeError
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:
        return False
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN


def watch_stream(page: Any, ws: WebSocket) -> None:
    """Keep the page's Streamlit websocket as ``page.stream`` and count its finished runs in ``page.runs``."""
    if ws.url.endswith("/_stcore/stream"):
        page.stream = ws

        def count(payload: str | bytes) -> None:
            if run_finished(payload):
                page.runs += 1

        ws.on("framereceived", count)


@contextmanager
def rerun_expected(page: Any, timeout: int = STATE_TIMEOUT) -> Iterator[None]:
    """Wrap an action that reruns the app; return once the server has finished that run and the page shows it.

    The websocket says exactly when a run ends. The script-state attribute alone cannot: straight after a
    click it still says "notRunning" because the rerun has not started, and a quick run can go to "running"
    and back within one React render, so the attribute never changes.
    """
    with page.stream.expect_event("framereceived", predicate=run_finished, timeout=timeout):
        yield
    wait_for_app(page, timeout)


GATE = "Before you continue: safety first"  # the safety warning's heading


def arrive(page: Any, url: str | None, timeout: int = STATE_TIMEOUT) -> None:
    """Go to ``url`` (reload when None) and wait until the server has finished the page's first run."""
    before = page.runs
    page.goto(url) if url else page.reload()
    wait_for_app(page, timeout)
    if page.runs == before:  # frames already received were counted while wait_for_app ran
        page.stream.wait_for_event("framereceived", predicate=run_finished, timeout=timeout)


def acknowledge(page: Any) -> None:
    """Press the gate's "I understand" and wait until the warning has gone (the same run shows the page)."""
    from playwright.sync_api import expect

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=GATE)).to_be_visible()
    with rerun_expected(page):
        main.get_by_role("button", name="I understand").click()
    expect(main.get_by_role("heading", name=GATE)).to_have_count(0)


def watch_console(page: Any) -> list[tuple[str, str]]:
    """Every console error and uncaught page error from now on, as (text, URL it is about)."""
    seen: list[tuple[str, str]] = []
    page.on("console", lambda m: seen.append((m.text, m.location.get("url", ""))) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append((str(e), "")))
    return seen


# Content-Security-Policy violations, caught twice: a `securitypolicyviolation` listener installed before any page
# script runs, and chromium's console message ("... violates the following Content Security Policy directive").
CSP_LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""


def watch_csp(page: Any) -> list[str]:
    """Every CSP violation the page reports from now on, across navigations. The listener's findings live in
    the document, so ``page.collect(step)`` gathers them into the list before each navigation (and at the end)."""
    seen: list[str] = []
    page.add_init_script(CSP_LISTEN)

    def console(m: Any) -> None:
        if "Content Security Policy" in m.text:
            seen.append(f"console: {m.text}")

    page.on("console", console)

    def collect(step: str) -> None:
        seen.extend(f"{step}: {v}" for v in page.evaluate("window.__csp || []"))
        page.evaluate("window.__csp = []")

    page.collect = collect
    return seen


def unexpected(errors: list[tuple[str, str]], app_url: str) -> list[tuple[str, str]]:
    """Errors that point at the app, leaving out two kinds of noise that do not:

    * requests to other hosts: the page icon (``:material/...:``) makes Streamlit's frontend fetch its SVG
      from fonts.gstatic.com, which this closed network refuses (``net::ERR_NAME_NOT_RESOLVED``);
    * 404s for ``<app>/<page>/_stcore/health`` and ``.../_stcore/host-config``: opened at a page's URL,
      Streamlit's frontend first tries the page path as the server's base path, then the real one, which
      answers (streamlit/streamlit#7074, open).
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(app_url))

    def harmless(text: str, url: str) -> bool:
        if url and not url.startswith(origin):
            return True
        probe = re.fullmatch(r"/[\w-]+/_stcore/(health|host-config)", urlsplit(url).path)
        return bool(probe) and "404" in text

    return [(text, url) for text, url in errors if not harmless(text, url)]


def no_failure_shown(page: Any) -> None:
    """Neither Streamlit's exception box nor the app's own 'something went wrong' message."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stMain").get_by_text("Sorry, something went wrong")).to_have_count(0)


def open_page(page: Any, base_url: str, spec: PageSpec, query: str = "", timeout: int = STATE_TIMEOUT) -> None:
    """Open a page of site.PAGES, acknowledge the gate if it asks, wait for its heading. The gate asks a new
    browser (a fresh context); once acknowledged, the browser's session cookie keeps it (web/ack.py)."""
    from playwright.sync_api import expect

    before = page.runs
    page.goto(f"{base_url}/{spec.url_path}" + (f"?{query}" if query else ""))
    wait_for_app(page, timeout)
    if page.runs == before:  # frames already received were counted while wait_for_app ran
        page.stream.wait_for_event("framereceived", predicate=run_finished, timeout=timeout)
    main = page.get_by_test_id("stMain")
    heading = main.get_by_role("heading", level=1).first
    if spec.gated and heading.inner_text(timeout=timeout).startswith("Before you continue"):
        with rerun_expected(page, timeout):
            main.get_by_role("button", name="I understand").click(timeout=timeout)
    expect(main.get_by_role("heading", name=spec.heading, exact=True)).to_be_visible(timeout=timeout)


# The anatomy diagram (psoas_explorer/web/diagram.py): screen positions of its landmark markers, from the
# plot's own data and axes; and a wait for two animation frames (what the browser paints next).
MARKERS_JS = """gd => {
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  return gd._fullData.filter(t => t.meta && t.meta.part === "landmark").flatMap(t => t.x.map((x, i) => ({
    id: t.meta.id, x: box.left + xa._offset + xa.l2p(x), y: box.top + ya._offset + ya.l2p(t.y[i])})));
}"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Resolves with an element's box once it has stayed the same for ``frames`` animation frames in a row (layout,
# page CSS, resize observers and Plotly's redraws are done); rejects if it is still moving after ``limit`` frames.
SETTLED_BOX_JS = """(el, [frames, limit]) => new Promise((done, fail) => {
  let last = "", same = 0, seen = 0;
  const tick = () => {
    const r = el.getBoundingClientRect(), now = [r.x, r.y, r.width, r.height].join();
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= frames) done({x: r.x, y: r.y, width: r.width, height: r.height});
    else if (++seen > limit) fail(new Error("the box was still moving after " + limit + " frames: " + now));
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def settled_box(locator: Any, frames: int = 5, limit: int = 1200) -> dict[str, float]:
    """The element's box (as ``bounding_box``) once it has stopped moving: the same for ``frames`` painted
    frames in a row. A state the page reaches, not a time: a busy machine only paints its frames later."""
    box: dict[str, float] = locator.evaluate(SETTLED_BOX_JS, [frames, limit])
    return box


def hip_track(slider: Any) -> tuple[Callable[[float], float], float]:
    """Where to hold the mouse on the hip control for an angle: (x for an angle, y), from the range input's box."""
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))

    def x_at(angle: float) -> float:
        return box["x"] + 8 + (box["width"] - 16) * (angle - lo) / (hi - lo)

    return x_at, box["y"] + box["height"] / 2
