"""No request leaves the app's own origin (issue 12): a visitor's browser talks to this server and nothing else.

Health information is sensitive: merely loading a page about psoas release must not tell a font service, a CDN
or an analytics host that this visitor was here. Every page is loaded in chromium in the states that pull in
more code (the 3D view, the techniques after the gate, the handout with picks), and every request the browser
makes (documents, scripts, styles, fonts, icons, images, websockets, fetches) is recorded.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from tests.browser.support import open_page, rerun_expected

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
QUERIES = {
    "anatomy": "layers=psoas_major&layers=iliacus&layers=arteries",  # no lm: its dialog makes the page inert
    "techniques": "goal=mobility&h=half_kneeling_hip_flexor_stretch",
    "handout": "h=half_kneeling_hip_flexor_stretch&h=desk_movement_breaks",
    "myths-faq": "q=pain",
}
LOCAL = ("data:", "blob:", "about:")


def origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


def record(page) -> list[str]:
    """Every URL the page asks for from now on: requests, websockets, and service-worker or beacon fetches."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    return seen


def test_every_page_loads_only_from_the_apps_own_origin(app_url, new_page):
    page = new_page(cold_cache=True)  # every request a first visit makes: nothing from a cache
    seen = record(page)
    main = page.get_by_test_id("stMain")
    for spec in site.PAGES:
        open_page(page, app_url, spec, QUERIES.get(spec.url_path, ""))
        if spec.url_path == "anatomy":  # the 3D view loads WebGL code of its own
            group = main.get_by_role("radiogroup", name="View")
            with rerun_expected(page):
                group.get_by_role("radio", name="3D", exact=True).click()
            expect(main.locator(".js-plotly-plot .gl-container, .js-plotly-plot canvas").first).to_be_attached(
                timeout=TIMEOUT
            )
        if spec.url_path == "evidence":  # the references tab is built when opened
            with rerun_expected(page):
                main.get_by_role("tab", name=re.compile(r"^References")).click()
        page.wait_for_load_state("networkidle")
    own = origin(app_url)
    assert any(origin(u) == own for u in seen), seen[:5]  # the recording works
    elsewhere = sorted({u for u in seen if not u.startswith(LOCAL) and origin(u) != own})
    assert not elsewhere, f"{len(elsewhere)} request(s) left {own}:\n" + "\n".join(elsewhere)
