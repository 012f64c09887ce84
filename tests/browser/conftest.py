"""Real-browser fixtures: Debian's chromium via Playwright, one streamlit server for the session, a fresh context
per call with screenshots on failure. Helpers are in tests/browser/support.py; the browser mark is added by
tests/conftest.py (a `pytestmark` here would mark nothing)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.support import ARTIFACTS, chromium, free_port, streamlit_server, watch_stream

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


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


DESKTOP: Any = {"width": 1280, "height": 900}  # the viewport a test gets unless it asks for another


def watched(ctx: Any) -> Page:
    """A new tab in ``ctx`` that carries the test's own attributes: errors, runs (script runs finished, counted
    from the websocket: see rerun_expected) and stream."""
    page: Any = ctx.new_page()
    page.errors = []
    page.runs = 0
    page.on("websocket", lambda ws: watch_stream(page, ws))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def screenshots(request: pytest.FixtureRequest, pages: list[Any]) -> None:
    """Each page as it was when the test failed, in tests/artifacts/."""
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, pg in enumerate(pages):
            if not pg.is_closed():
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True)


# What a visitor's site data is, for the app: everything a page can store or read back, by origin. Not the HTTP
# cache: a kept context's Streamlit scripts stay cached and compiled (that is what it is kept for), and a page
# cannot tell a cached script from a downloaded one (tests about what a first visit downloads or paints take
# new_page(cold_cache=True)).
SITE_DATA = (
    "cookies,local_storage,indexeddb,websql,file_systems,service_workers,cache_storage,shared_storage,storage_buckets"
)


def origin(url: str) -> str | None:
    """``scheme://host:port`` of a web address; None for about:blank, data: and the like (nothing stored)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


class WarmContexts:
    """Browser contexts kept for the worker's session, per set of options (viewport, touch, locale...), each lent
    to one visitor at a time and, before it is lent again, emptied of everything the app could tell a returning
    visitor by: cookies, localStorage, IndexedDB, service workers, Cache Storage and the rest of every origin its
    tabs have been on (SITE_DATA, through the DevTools protocol), and permissions (back to the options' own). A
    visitor gets a new tab, so sessionStorage and history start empty, and its first page is a new Streamlit
    session. For the app that is a new visitor; only the HTTP cache is warm. Each context keeps one more tab open
    on the app server's health address (a line of text, no session, nothing stored), so the visitor's tab starts
    in a browser that has Streamlit's scripts cached and compiled. Measured on the techniques page (CPU of the
    whole process tree, cgroup): a brand-new context 3.1-3.3 s, a kept context without that tab 2.8-3.3 s, with it
    1.9-2.1 s (a first use costs as a new context does). tests/browser/test_fresh_visitor.py checks the emptying."""

    KEEP = 6  # idle contexts kept per set of options; more (the failover test's 21 at once) are closed

    def __init__(self, browser: Browser, app_url: str) -> None:
        self.browser = browser
        self.keeper_url = f"{app_url}/_stcore/health"
        self.pool: dict[str, list[Any]] = {}
        self.keepers: set[Any] = set()
        self.visited: dict[Any, set[str]] = {}  # context -> the origins its tabs have been on

    def visitors(self, ctx: Any) -> list[Any]:
        """The context's tabs other than its keeper."""
        return [pg for pg in ctx.pages if pg not in self.keepers]

    def lend(self, options: dict[str, Any]) -> Page:
        key = repr(sorted(options.items()))
        contexts = self.pool.setdefault(key, [])
        idle = next((ctx for ctx in contexts if not self.visitors(ctx)), None)  # its visitor has gone
        if idle is None:
            idle = self.browser.new_context(**options)
            contexts.append(idle)
            self.visited[idle] = set()
            idle.on("close", lambda ctx: contexts.remove(ctx) if ctx in contexts else None)
            idle.on("page", lambda tab: self.watch_origins(idle, tab))  # tabs a visitor's page opens too
            keeper = idle.new_page()
            keeper.goto(self.keeper_url)
            self.keepers.add(keeper)
        else:
            self.forget(idle, options)
        page = watched(idle)
        return page

    def watch_origins(self, ctx: Any, tab: Any) -> None:
        """Note every origin a tab's frames (iframes too) go to: the site data to empty when the visitor leaves."""
        tab.on("framenavigated", lambda frame: self.visited[ctx].add(origin(frame.url) or ""))

    def forget(self, ctx: Any, options: dict[str, Any]) -> None:
        """Empty everything a visitor left in ``ctx`` that a page can read: the site data of every origin visited
        (with the keeper's tab as the DevTools target: the calls act on the context's own storage) and the
        permissions granted since (the options' own granted again)."""
        cdp = ctx.new_cdp_session(next(iter(ctx.pages)))
        for seen in sorted(self.visited[ctx] - {""}):
            cdp.send("Storage.clearDataForOrigin", {"origin": seen, "storageTypes": SITE_DATA})
        cdp.detach()
        self.visited[ctx].clear()
        ctx.clear_cookies()
        ctx.clear_permissions()
        if options.get("permissions"):
            ctx.grant_permissions(options["permissions"])

    def trim(self) -> None:
        for contexts in self.pool.values():
            for ctx in [c for c in contexts if not self.visitors(c)][self.KEEP :]:
                self.visited.pop(ctx, None)
                ctx.close()


@pytest.fixture(scope="session")
def warm_contexts(browser: Browser, app_url: str) -> Iterator[WarmContexts]:
    contexts = WarmContexts(browser, app_url)
    yield contexts
    for ctx in [c for cs in contexts.pool.values() for c in cs]:
        ctx.close()


@pytest.fixture
def new_page(
    browser: Browser, warm_contexts: WarmContexts, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """A new visitor per call: no cookie, a new Streamlit session, nothing stored; screenshots on failure. Each
    call is its own browser context (visitors of one test never share cookies), lent from the warm ones
    (WarmContexts); ``cold_cache=True`` gives a brand-new context with empty caches, for tests about what a first
    visit downloads or how it paints."""
    pages: list[Any] = []
    cold: list[Any] = []

    def make(cold_cache: bool = False, **kwargs: Any) -> Page:
        options = {"viewport": kwargs.pop("viewport", DESKTOP), **kwargs}
        if cold_cache:
            ctx = browser.new_context(**options)
            cold.append(ctx)
            page = watched(ctx)
        else:
            page = warm_contexts.lend(options)
        pages.append(page)
        return page

    yield make
    lent = list(dict.fromkeys(pg.context for pg in pages if not pg.is_closed()))
    screenshots(
        request, [tab for ctx in lent for tab in warm_contexts.visitors(ctx)] + [t for c in cold for t in c.pages]
    )
    for ctx in lent:  # the visitor leaves: its context goes back to the pool (with any tab it opened itself)
        for tab in warm_contexts.visitors(ctx):
            tab.close()
    for ctx in cold:
        ctx.close()
    warm_contexts.trim()


@pytest.fixture(scope="module")
def _module_tab(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(viewport=DESKTOP)
    yield watched(ctx)
    ctx.close()


@pytest.fixture
def same_visitor(_module_tab: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """The module's one browser tab, for tests that look at pages but are not about a NEW visitor: each
    open_page() there is a new Streamlit session, but the browser has compiled Streamlit's scripts already
    (a fresh context costs about 3 s of CPU per first page, the same tab about 0.8 s). Its cookies stay: once a
    gate is acknowledged it stays so, so tests about the gate or a first visit, and the "reopened in a fresh
    context" checks, take new_page()."""

    def use(viewport: dict[str, int] | None = None) -> Page:
        _module_tab.errors.clear()
        _module_tab.set_viewport_size(viewport or DESKTOP)
        return _module_tab

    yield use
    screenshots(request, [_module_tab])


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
