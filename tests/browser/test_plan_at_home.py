"""Issue 22, the plan at home, in a real browser: the sheet's QR code opens the plan from another device (the
address the visitor reached: a server on another port, two replicas under a base path behind the shipped
nginx), and the safety warning, acknowledged once, holds for the browser session (reload, new tab, another
replica), is asked in a new browser, and is asked again once withdrawn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.content import dose
from psoas_explorer.web import ack
from tests.browser.support import (
    GATE,
    NGINX,
    acknowledge,
    arrive,
    nginx_proxy,
    poll,
    rerun_expected,
    streamlit_server,
    wait_for_app,
    watch_stream,
)
from tests.support import qr_links

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
PHONE = {"width": 390, "height": 844}
A, B = "half_kneeling_hip_flexor_stretch", "bed_edge_hip_flexor_stretch"
PLAN = f"h={B}&h={A}&d={A}.h45"


@pytest.fixture(scope="module")
def plain() -> Iterator[str]:
    """One server on a free port (never the default 8501), without PSOAS_PUBLIC_URL."""
    with streamlit_server() as url:
        assert urlsplit(url).port != 8501
        yield url


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, Path, dict[str, int]]]:
    """Two replicas under the base path /psoas behind deploy/nginx.conf: (nginx URL with the path, access log,
    {route: replica port})."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed: `bash scripts/setup.sh --dev` installs it")
    path = "--server.baseUrlPath=psoas"
    with streamlit_server(path) as a, streamlit_server(path) as b, nginx_proxy(a, b) as (url, log):
        yield url, log, {"a": _port(a), "b": _port(b)}


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url  # streamlit_server always names its free port
    return port


def builder_pdf(page, site: str) -> tuple[bytes, str]:
    """The plan built from a link at 1366×768: the handout tab's PDF and what the builder says about its address."""
    arrive(page, f"{site}/techniques?{PLAN}")
    acknowledge(page)
    main = page.get_by_test_id("stMain")
    main.get_by_role("tab", name="Your handout").click()
    panel = main.get_by_role("tabpanel", name="Your handout")
    expect(panel.get_by_role("button", name="Download PDF")).to_be_visible()
    notice = panel.get_by_test_id("stAlertContentWarning")
    said = notice.inner_text() if notice.count() else ""
    with page.expect_download() as download:
        panel.get_by_role("button", name="Download PDF").click()
    return download.value.path().read_bytes(), said


def expect_plan_on_a_phone(new_page, link: str, cnt) -> None:
    """The decoded address, opened in a fresh phone-sized browser, shows the plan: its order and changed dose."""
    phone = new_page(viewport=PHONE)
    arrive(phone, link)
    acknowledge(phone)
    sheet = phone.get_by_test_id("stMain")
    expect(sheet.get_by_role("heading", name="Your psoas plan", exact=True)).to_be_visible()
    picks = sheet.get_by_role("heading", level=2).all_inner_texts()
    assert picks[:2] == [f"1. {cnt.technique(B).name}", f"2. {cnt.technique(A).name}"], picks
    expect(sheet.get_by_text(dose.line(cnt.technique(A), {"hold": 45}))).to_be_visible()


def test_a_server_on_another_port_prints_its_own_address_and_says_a_phone_cannot_open_localhost(plain, new_page, cnt):
    port = urlsplit(plain).port
    reached = f"http://localhost:{port}"  # the visitor's own name for the server, not the one it was started with
    pdf, said = builder_pdf(new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True), reached)
    (link,) = qr_links(pdf)
    assert link == f"{reached}/handout?{PLAN}", link
    assert f"point to {reached}" in said and "phone" in said and "PSOAS_PUBLIC_URL" in said, said
    expect_plan_on_a_phone(new_page, link, cnt)


def test_behind_nginx_under_a_base_path_the_qr_code_and_copy_link_carry_the_proxy_address(cluster, new_page, cnt):
    url, _log, _ports = cluster
    assert url.endswith("/psoas")
    page = new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    pdf, _said = builder_pdf(page, url)
    (link,) = qr_links(pdf)
    assert link == f"{url}/handout?{PLAN}", link
    page.get_by_test_id("stMain").get_by_role("button", name="Copy link").click()
    code = page.get_by_test_id("stPopoverBody").locator("code")
    expect(code).to_have_text(re.compile("^" + re.escape(f"{url}/techniques?")))
    expect_plan_on_a_phone(new_page, link, cnt)


def gate_shown(page) -> bool:
    """After a finished run: is the warning asking (True), or is the page itself on show (False)?"""
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    return main.get_by_role("heading", name=GATE).count() == 1


def new_tab(page):
    """Another tab of the same browser (same context, so the same cookies), watched like the fixture's pages."""
    tab = page.context.new_page()
    tab.runs = 0
    tab.on("websocket", lambda ws: watch_stream(tab, ws))
    return tab


def test_the_warning_holds_for_the_browser_session_across_reload_tab_and_replica_until_withdrawn(cluster, new_page):
    url, log, ports = cluster
    techniques = f"{url}/techniques?goal=mobility"
    page = new_page()
    arrive(page, techniques)
    acknowledge(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Ask me again").wait_for()
    page.wait_for_function(f"() => document.cookie.includes('{ack.COOKIE}=')")
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)  # the writer ran cleanly
    (kept,) = [c for c in page.context.cookies(url) if c["name"] == ack.COOKIE]
    # a session cookie of the app's path, holding a fixed value and the warning's version only
    assert kept["expires"] == -1 and kept["sameSite"] == "Strict" and kept["path"] == "/psoas", kept
    assert re.fullmatch(r"1\.[0-9a-f]{12}", kept["value"]), kept

    arrive(page, None)  # reload
    assert not gate_shown(page)
    tab = new_tab(page)
    arrive(tab, techniques)
    assert not gate_shown(tab)

    route = next(c["value"] for c in page.context.cookies(url) if c["name"] == "psoas_route")
    other = "b" if route == "a" else "a"
    page.context.add_cookies([{"name": "psoas_route", "value": other, "url": url}])  # nginx now sends it elsewhere
    start = log.stat().st_size
    arrive(page, None)
    assert not gate_shown(page)
    tab.close()
    page.reload()  # a websocket is logged when it closes: this one was on the other replica
    wait_for_app(page, TIMEOUT)
    moved = f'/_stcore/stream HTTP/1.1" 101 upstream=127.0.0.1:{ports[other]}'
    assert poll(lambda: moved in log.read_text()[start:], 10), log.read_text()[start:]

    stranger = new_page()  # a new browser is asked first
    arrive(stranger, techniques)
    assert gate_shown(stranger)

    with rerun_expected(page):  # the undo: withdraw, and every tab of the browser is asked again
        page.get_by_test_id("stSidebar").get_by_role("button", name="Ask me again").click()
    assert gate_shown(page)
    page.wait_for_function(f"() => !document.cookie.includes('{ack.COOKIE}=')")
    arrive(page, None)
    assert gate_shown(page)
    tab = new_tab(page)
    arrive(tab, techniques)
    assert gate_shown(tab)
