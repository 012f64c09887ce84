"""Deployment in a real browser: two replicas behind nginx with cookie stickiness, and serving under a path.

nginx runs deploy/nginx.conf as a foreground child with every path in a temporary prefix, so it needs no root
and touches neither /etc nor /var. Its access log records the route cookie and the replica ($upstream_addr) of
every request, which is how the tests see that a visitor's page, assets and websocket all stayed on one replica.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from tests.browser.support import GATE, NGINX, nginx_proxy, poll, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

ROUTE = "psoas_route"
MATCH = re.compile(r"(\d+) of (\d+) techniques match")
LOG_LINE = re.compile(r'^\S+ "(?P<request>[^"]*)" (?P<status>\d+) upstream=(?P<upstream>.*?) route=(?P<route>\S*) ')
TIMEOUT = 20_000

needs_nginx = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed: `bash scripts/setup.sh --dev` installs it"
)


@pytest.fixture(scope="module")
def cluster():
    """Two app processes (replica a and b) behind nginx: (nginx URL, access log, {route: backend port})."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed: `bash scripts/setup.sh --dev` installs it")
    with streamlit_server() as a, streamlit_server() as b, nginx_proxy(a, b) as (url, log):
        yield url, log, {"a": urlsplit(a).port, "b": urlsplit(b).port}


def open_gated(page, url: str) -> None:
    page.goto(f"{url}/techniques?goal=mobility")
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=GATE)).to_be_visible(timeout=TIMEOUT)
    expect(main.get_by_role("heading", name="Techniques", exact=True)).to_have_count(0)


def acknowledge(page) -> tuple[int, int]:
    """Click "I understand"; return the page's (shown, total) from its "N of M techniques match" line."""
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="I understand").click()
    expect(main.get_by_role("heading", name="Techniques", exact=True)).to_be_visible(timeout=TIMEOUT)
    wait_for_app(page)
    line = main.get_by_text(MATCH).first
    expect(line).to_be_visible(timeout=TIMEOUT)
    assert "goal=mobility" in page.url, page.url
    found = MATCH.search(line.inner_text())
    assert found, line.inner_text()
    shown, total = map(int, found.groups())
    return shown, total


def route_of(page, url: str) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies(url)}
    return cookies.get(ROUTE, "")


def pinned(new_page, url: str, route: str):
    """A new visitor whose route cookie already names a replica."""
    page = new_page()
    page.context.add_cookies([{"name": ROUTE, "value": route, "url": url}])
    return page


def assert_sticky(log: Path, start: int, ports: dict[str, int], expect_routes: set[str]) -> None:
    """Every request since ``start`` went to its route's replica, and each expected route opened a websocket."""

    def entries() -> list[re.Match[str]]:
        return [m for ln in log.read_text()[start:].splitlines() if (m := LOG_LINE.match(ln))]

    def streams() -> set[str]:
        return {e["route"] for e in entries() if "/_stcore/stream" in e["request"] and e["status"] == "101"}

    poll(lambda: streams() >= expect_routes, 10)  # a websocket is logged when it closes, just after its context
    assert streams() >= expect_routes, f"websockets seen for routes {streams()}, expected {expect_routes}"
    served: dict[str, int] = {}
    for e in entries():
        if e["upstream"] == "-":
            continue
        first = e["upstream"].split(",")[0].strip()
        assert e["route"] in ports, e.string
        assert first == f"127.0.0.1:{ports[e['route']]}", f"route {e['route']} went to {first}: {e.string}"
        served[e["route"]] = served.get(e["route"], 0) + 1
    assert set(served) >= expect_routes, served


@needs_nginx
def test_health_passes_through_nginx_and_new_visitors_get_a_route(cluster):
    url, _, _ = cluster
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
        assert r.read() == b"ok"
        routes = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith(f"{ROUTE}=")]
    assert len(routes) == 1, routes
    assert re.match(rf"{ROUTE}=(a|b); Path=/; HttpOnly", routes[0])
    for cookie, new in ((f"{ROUTE}=b", False), (f"{ROUTE}=zzz", True)):  # kept, or replaced when tampered with
        req = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=5) as r:
            routes = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith(f"{ROUTE}=")]
        assert bool(routes) is new, (cookie, routes)


@needs_nginx
def test_gate_through_nginx_holds_per_visitor_on_either_replica(cluster, new_page):
    url, log, ports = cluster
    start = len(log.read_text())

    first = new_page()  # nginx picks this visitor's replica
    open_gated(first, url)
    route = route_of(first, url)
    assert route in ports, f"no route cookie set: {first.context.cookies(url)}"
    first_counts = acknowledge(first)
    assert route_of(first, url) == route

    other_route = "b" if route == "a" else "a"
    second = pinned(new_page, url, other_route)  # another visitor, on the other replica: still locked
    open_gated(second, url)
    expect(second.get_by_test_id("stMain").get_by_role("button", name="I understand")).to_be_visible()
    assert acknowledge(second) == first_counts
    assert route_of(second, url) == other_route

    first.close()  # the visitor leaves (its context goes back to the pool: conftest.WarmContexts)
    second.close()  # the visitor leaves (its context goes back to the pool: conftest.WarmContexts)
    assert_sticky(log, start, ports, {"a", "b"})


@needs_nginx
def test_filter_link_gives_the_same_result_on_both_replicas(cluster, new_page):
    url, log, ports = cluster
    start = len(log.read_text())
    counts = {}
    for route in ("a", "b"):
        page = pinned(new_page, url, route)
        open_gated(page, url)
        counts[route] = acknowledge(page)
        assert route_of(page, url) == route
        page.close()  # the visitor leaves (its context goes back to the pool: conftest.WarmContexts)
    shown, total = counts["a"]
    assert counts["a"] == counts["b"]
    assert 0 < shown <= total
    assert_sticky(log, start, ports, {"a", "b"})


@needs_nginx
def test_nginx_compresses_the_javascript_a_first_visit_downloads(cluster, new_page):
    """Streamlit sends its scripts uncompressed; through nginx a first visit to the diagram gets them gzipped."""
    url, _log, _ports = cluster
    page = new_page(cold_cache=True)  # a first visit: every script downloaded
    page.goto(f"{url}/anatomy")
    wait_for_app(page)
    expect(page.locator(DRAWN)).to_have_count(1, timeout=TIMEOUT)  # its script came through nginx too
    scripts = page.evaluate(
        """performance.getEntriesByType('resource')
             .filter(r => r.initiatorType === 'script' || r.name.endsWith('.js'))
             .map(r => [r.name, r.encodedBodySize, r.decodedBodySize])"""
    )
    plotly = [s for s in scripts if "/app/static/plotly/plotly-scatter-" in s[0]]
    assert plotly, "the diagram's Plotly bundle was not loaded"
    sent = sum(enc for _, enc, _ in scripts)
    unpacked = sum(dec for _, _, dec in scripts)
    assert unpacked > 3_000_000, unpacked  # Streamlit's own ~2.5 MB and Plotly's 1.1 MB
    assert sent < 0.4 * unpacked, f"{sent} bytes sent for {unpacked} bytes of JavaScript"
    assert plotly[0][1] < 0.4 * plotly[0][2], plotly


def test_base_url_path_prefixes_health_pages_and_links(new_page):
    with streamlit_server("--server.baseUrlPath=psoas") as url:  # its own: the base path is a server flag
        assert urlsplit(url).path == "/psoas"
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            assert r.read() == b"ok"

        page = new_page()
        page.goto(f"{url}/techniques")
        wait_for_app(page)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name=GATE)).to_be_visible(timeout=TIMEOUT)
        expect(main.get_by_role("button", name="I understand")).to_be_visible()

        page.goto(f"{url}/")
        wait_for_app(page)
        expect(main.get_by_role("heading", name=site.PAGES[0].heading)).to_be_visible(timeout=TIMEOUT)
        links = page.get_by_test_id("stPageLink-NavLink")
        expect(links.first).to_be_visible()
        hrefs = links.evaluate_all("els => els.map(e => e.href)")
        assert len(hrefs) >= len([p for p in site.PAGES[1:] if not p.hidden]), hrefs
        origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        all_links = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        ours = [h for h in all_links if h.startswith(origin)]
        assert ours, all_links
        assert all(urlsplit(h).path.startswith("/psoas/") for h in ours), ours

        page.goto(f"{url}/anatomy")  # the diagram finds its script under the prefix (/psoas/app/static/...)
        wait_for_app(page)
        expect(page.locator(DRAWN)).to_have_count(1, timeout=TIMEOUT)
        page.goto(f"{url}/")
        wait_for_app(page)

        main.get_by_role("link", name="Evidence").first.click()
        expect(main.get_by_role("heading", name="Evidence and references")).to_be_visible(timeout=TIMEOUT)
        assert urlsplit(page.url).path == "/psoas/evidence", page.url

        # an unknown address under the base path, one segment or several: our not-found page, no Streamlit dialog
        for address, shown in (("nonexistent", "/psoas/nonexistent"), ("foo/bar", "/psoas/foo-bar")):
            page.goto(f"{url}/{address}")
            wait_for_app(page)
            expect(main.get_by_role("heading", name=site.NOT_FOUND.heading)).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_role("dialog")).to_have_count(0)
            assert urlsplit(page.url).path == shown, page.url
        main.get_by_role("link", name="Anatomy").click()
        expect(main.get_by_role("heading", name="Where the psoas runs")).to_be_visible(timeout=TIMEOUT)
        assert urlsplit(page.url).path == "/psoas/anatomy", page.url
