"""Real-browser fixtures: Debian's chromium via Playwright, one streamlit server for the session, a fresh context
per call with screenshots on failure. Helpers are in tests/browser/support.py; the browser mark is added by
tests/conftest.py (a `pytestmark` here would mark nothing)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server, watch_stream

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run the README's test command, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module", autouse=True)
def patient_expect(request: pytest.FixtureRequest) -> Iterator[None]:
    """Playwright's `expect` waits as long as the module's TIMEOUT (a real server under CI load), then back to 5 s."""
    from playwright.sync_api import expect

    timeout = getattr(request.module, "TIMEOUT", None)
    if timeout is None:
        yield
        return
    expect.set_options(timeout=timeout)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """One server for every browser test (each new_page() is a new visitor, so tests do not share a session).
    It knows its own public address, as a deployment sets PSOAS_PUBLIC_URL, so the handout's QR code points
    back at it. Tests that need a server of their own start one with streamlit_server() and say why."""
    port = free_port()
    with streamlit_server(env={"PSOAS_PUBLIC_URL": f"http://127.0.0.1:{port}"}, port=port) as url:
        yield url


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """A fresh browser context per call (a new Streamlit session); screenshots on failure."""
    contexts: list[Any] = []

    def make(**kwargs: Any) -> Page:
        ctx = browser.new_context(viewport=kwargs.pop("viewport", {"width": 1280, "height": 900}), **kwargs)
        contexts.append(ctx)
        page: Any = ctx.new_page()  # carries the test's own attributes: errors, runs, stream
        page.errors = []
        page.runs = 0  # script runs finished, counted from the websocket (see rerun_expected)
        page.on("websocket", lambda ws: watch_stream(page, ws))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, ctx in enumerate(contexts):
            for j, pg in enumerate(ctx.pages):
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}.png"), full_page=True)
    for ctx in contexts:
        ctx.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
