"""Time to first complete render in a fresh browser context (Debian's chromium through Playwright).

"Complete" means, all at once: Streamlit reports the websocket connected and the script not running,
the page's first heading is in the DOM, and every Plotly figure of the page has drawn its SVG. The
moment is taken inside the page (`performance.now()`, whose zero is the start of the navigation) by a
MutationObserver installed before any of the page's own scripts run, so Playwright's polling adds nothing.
A new context per sample means a new Streamlit session and an empty HTTP cache, like a first visit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

_OBSERVER = """
(() => {
  const want = %s;
  window.__bench = {done: null};
  const check = () => {
    if (window.__bench.done !== null) return;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
        || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return;
    if (want.heading) {
      const hs = document.querySelectorAll('h1, h2, h3, h4, h5, h6');
      if (![...hs].some(h => (h.textContent || '').includes(want.heading))) return;
    } else if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) {
      return;
    }
    if (want.plots > 0) {
      const drawn = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg'));
      if (drawn.length < want.plots) return;
    }
    window.__bench.done = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-test-script-state', 'data-test-connection-state'],
  });
})();
"""


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_render_ms(browser: Any, url: str, *, heading: str | None, plots: int = 0, timeout_s: float = 30) -> float:
    """Milliseconds from navigation start to the first complete render of `url` in a new context."""
    return first_visit(browser, url, heading=heading, plots=plots, timeout_s=timeout_s)[0]


def open_until_done(page: Any, url: str, probe: str, timeout_s: float) -> float:
    """Navigate and wait until the init script's `<probe>.done` is set; returns it. Page errors raise."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_function(f"{probe} && {probe}.done !== null", timeout=timeout_s * 1000)
    if errors:
        raise RuntimeError("page errors: " + "; ".join(errors[:3]))
    return float(page.evaluate(f"{probe}.done"))


def first_visit(
    browser: Any,
    url: str,
    *,
    heading: str | None,
    plots: int = 0,
    timeout_s: float = 30,
    network: dict[str, float] | None = None,
) -> tuple[float, int]:
    """(ms to the first complete render, bytes of HTTP responses on the wire) for `url` in a new context.

    `network` is Chromium's own throttling (`Network.emulateNetworkConditions`: latency in ms, download and
    upload throughput in bytes/s); it applies to the HTTP responses, which is where compression counts.
    """
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        raise ValueError(f"loopback addresses only, got {url}")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # as in diagram.py
    try:
        ctx.add_init_script(_OBSERVER % json.dumps({"heading": heading, "plots": plots}))
        page = ctx.new_page()
        if network:
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
        done = open_until_done(page, url, "window.__bench", timeout_s)
        wire = page.evaluate(
            "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
            ".reduce((n, r) => n + (r.transferSize || 0), 0)"
        )
        return done, int(wire)
    finally:
        ctx.close()
