"""The "Copy link" control in a real browser: it offers the address of the view on show (the page's path under
the real origin, the link parameters the page wrote), which reopens the same view for a new visitor; in consult
mode it offers the patient's version, without the consult switch, and sits in the consult bar."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from tests.browser.support import open_page, rerun_expected, settled_box, wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT = 20_000


def copied(page) -> str:
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="Copy link").click()
    code = page.get_by_test_id("stPopoverBody").locator("code")
    expect(code).to_be_visible(timeout=TIMEOUT)
    text = code.inner_text().strip()
    page.keyboard.press("Escape")
    return text


def test_copied_link_is_the_current_view_and_reopens_it(app_url, new_page):
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"), "goal=mobility&sort=name")
    link = copied(page)
    got = urlsplit(link)
    assert f"{got.scheme}://{got.netloc}" == app_url and got.path == "/techniques", link
    assert parse_qs(got.query) == parse_qs(urlsplit(page.url).query) == {"goal": ["mobility"], "sort": ["name"]}
    other = new_page()
    open_page(other, app_url, site.page_by_url("techniques"), got.query)
    expect(other.get_by_test_id("stMain").get_by_text("Mobility").first).to_be_visible(timeout=TIMEOUT)
    assert parse_qs(urlsplit(other.url).query) == {"goal": ["mobility"], "sort": ["name"]}


def test_in_consult_mode_the_copied_link_leaves_consult_out(app_url, new_page):
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"), "goal=mobility&consult=1")
    bar = page.locator(".st-key-consult_bar")
    expect(bar.get_by_role("button", name="Copy link")).to_be_visible(timeout=TIMEOUT)
    expect(bar.get_by_role("button", name="Leave consult mode")).to_be_visible(timeout=TIMEOUT)
    # one row: the controls of the bar share a top edge
    tops = {
        round(b["y"])
        for b in (bar.get_by_role("button", name=n).bounding_box() for n in ("Copy link", "Leave consult mode"))
    }
    assert len(tops) == 1, tops
    link = copied(page)
    assert parse_qs(urlsplit(link).query) == {"goal": ["mobility"]}, link
    assert "consult=1" in page.url


def test_copied_link_follows_a_hip_angle_moved_in_the_diagram(app_url, new_page):
    # The hip control reruns only the diagram's fragment; the copied link must still be the view on show.
    page = new_page()
    open_page(page, app_url, site.page_by_url("anatomy"))
    slider = page.get_by_test_id("stMain").get_by_role("slider", name="Hip flexion", exact=True)
    with rerun_expected(page):
        slider.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"angle=1\b"), timeout=TIMEOUT)
    assert parse_qs(urlsplit(copied(page)).query) == {"angle": ["1"]}


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 820}])
def test_copy_link_sits_in_the_top_bar_not_in_a_row_above_the_heading(app_url, new_page, viewport):
    """It used to take a row of its own above each page's heading, pushing the heading and the diagram down."""
    page = new_page(viewport=viewport)
    spec = site.page_by_url("anatomy")
    open_page(page, app_url, spec)
    button = page.get_by_test_id("stMain").get_by_role("button", name="Copy link")
    heading = page.get_by_role("heading", name=spec.heading, exact=True)
    menu = page.get_by_test_id("stMainMenu")
    # The page CSS that puts the control in the bar comes in an st.html element, drawn by a lazily loaded
    # chunk: measure once it applies and the layout has stopped moving (found at y = 96 on a busy machine).
    expect(page.locator(".stMain .st-key-share_link")).to_have_css("position", "fixed")
    b, h, m = settled_box(button), settled_box(heading), settled_box(menu)
    assert b["y"] + b["height"] <= 60, b  # within Streamlit's top bar (3.75 rem)
    assert b["x"] + b["width"] <= m["x"], (b, m)  # beside the menu, not over it
    assert h["y"] < 140, h  # the heading starts right under the bar
    page.mouse.move(viewport["width"] / 2, viewport["height"] / 2)  # over the page, not its fixed top bar
    page.mouse.wheel(0, 900)
    expect(heading).not_to_be_in_viewport()  # the page has scrolled...
    expect(button).to_be_in_viewport()  # it stays in reach while the page scrolls
    assert parse_qs(urlsplit(copied(page)).query) == {}


# Streamlit's own controls in its top bar and sidebar that are on screen, each with what is drawn at its centre:
# a control something else covers answers with that other element (e.g. our "Copy link" over the sidebar's close
# button on a phone). Streamlit's sidebar close button shows only while the sidebar is hovered on a wide screen.
CONTROLS_JS = """() => {
  const seen = s => [...document.querySelectorAll(s)].filter(e => e.checkVisibility({visibilityProperty: true}));
  const picks = ['[data-testid="stSidebarCollapseButton"] button', '[data-testid="stExpandSidebarButton"]',
                 '[data-testid="stMainMenu"] button', '[data-testid="stStatusWidget"] button',
                 '[data-testid="stSidebarNav"] a', '[data-testid="stHeader"] button'];
  return [...new Set(picks.flatMap(seen))].flatMap(e => {
    const r = e.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
    if (r.width === 0 || y < 0 || y > innerHeight || x < 0 || x > innerWidth) return [];
    const top = document.elementFromPoint(x, y);
    return [{name: e.getAttribute('aria-label') || e.innerText.trim() || e.getAttribute('data-testid'),
             box: [r.x, r.y, r.width, r.height], reachable: !!top && (e === top || e.contains(top))}];
  });
}"""
SHARE_JS = """() => {
  const e = document.querySelector('.stMain .st-key-share_link button');
  if (!e || !e.checkVisibility({visibilityProperty: true})) return null;
  const r = e.getBoundingClientRect();
  return [r.x, r.y, r.width, r.height];
}"""
DEVICES = {
    "390x844": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
}


def overlap(a: list[float], b: list[float]) -> float:
    """The area two boxes (x, y, width, height) share."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def assert_nothing_covered(page, state: str) -> list[str]:
    """No Streamlit control on screen is covered by anything, nor shares any pixel with "Copy link"."""
    controls, share = page.evaluate(CONTROLS_JS), page.evaluate(SHARE_JS)
    assert controls, state
    covered = [c["name"] for c in controls if not c["reachable"]]
    assert not covered, (state, covered)
    if share:
        shared = {c["name"]: overlap(share, c["box"]) for c in controls if overlap(share, c["box"])}
        assert not shared, (state, share, shared)
    return [c["name"] for c in controls]


class RunHolder:
    """Holds the server's messages from the moment a run starts, so that Streamlit shows its running indicator
    and Stop button (it waits 500 ms into a run) for as long as the test needs it; then lets them through."""

    def __init__(self, page) -> None:
        self.state = "pass"
        self.held: list[str | bytes] = []
        self.route: Any = None
        page.route_web_socket(re.compile(r"/_stcore/stream$"), self.connect)

    def connect(self, ws) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.route = ws
        server = ws.connect_to_server()

        def from_server(message) -> None:
            if self.state == "hold":
                self.held.append(message)
                return
            ws.send(message)
            if self.state == "arm" and isinstance(message, bytes):
                msg = ForwardMsg()
                msg.ParseFromString(message)
                if msg.WhichOneof("type") == "session_status_changed" and msg.session_status_changed.script_is_running:
                    self.state = "hold"

        server.on_message(from_server)

    def release(self) -> None:
        self.state = "pass"
        for message in self.held:
            self.route.send(message)
        self.held.clear()


@pytest.mark.parametrize("device", DEVICES.values(), ids=DEVICES)
def test_a_page_chosen_on_a_phone_closes_the_sidebar_and_copy_link_covers_no_streamlit_control(
    app_url, new_page, device
):
    """Issue 23: on a phone the sidebar stayed open over the chosen page, and "Copy link" sat on its close
    button. Streamlit's controls are checked on the first screen, while a run shows its Stop button (where the
    top bar has the least room), with the sidebar open and closed; a wide screen keeps its sidebar open."""
    page = new_page(**device)
    holder = RunHolder(page)
    open_page(page, app_url, site.page_by_url("myths-faq"))
    sidebar = page.get_by_test_id("stSidebar")
    phone = device["viewport"]["width"] < 768
    expect(sidebar).to_have_attribute("data-collapsed", "true" if phone else "false")
    assert_nothing_covered(page, "first screen")

    holder.state = "arm"  # a run that is still going: Streamlit shows "Stop" in its top bar
    page.get_by_test_id("stMain").get_by_role("button", name="Copy link").click()
    expect(page.get_by_test_id("stStatusWidget").get_by_role("button", name="Stop")).to_be_visible()
    assert "Stop" in assert_nothing_covered(page, "while a run goes on")
    holder.release()
    wait_for_app(page)  # the page is "running" until the held messages arrive (the socket saw them already)
    page.keyboard.press("Escape")  # the link's popover, opened by that run

    expand = page.get_by_test_id("stExpandSidebarButton")
    close = page.get_by_test_id("stSidebarCollapseButton").get_by_role("button")
    if phone:
        expand.click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        settled_box(sidebar)
        assert "Collapse sidebar" in assert_nothing_covered(page, "sidebar open over the page")
    else:  # closed and opened again (Streamlit shows its close button while the pointer is over the sidebar)
        sidebar.hover()
        assert "Collapse sidebar" in assert_nothing_covered(page, "sidebar open")
        close.click()
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        settled_box(expand)
        assert_nothing_covered(page, "sidebar closed")
        expand.click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")

    # choose a page in the sidebar: on a phone it closes over the new page; a wide screen keeps it beside it
    evidence = site.page_by_url("evidence")
    with rerun_expected(page):
        sidebar.get_by_test_id("stSidebarNav").get_by_role("link", name=evidence.title).click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=evidence.heading, exact=True)).to_be_visible()
    expect(sidebar).to_have_attribute("data-collapsed", "true" if phone else "false")
    settled_box(expand if phone else sidebar)
    assert_nothing_covered(page, "after choosing a page")
    if phone:  # open it again (the undo), and close it with its own button
        expand.click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        current = sidebar.get_by_role("link", name=evidence.title)
        expect(current).to_have_attribute("aria-current", "page")
        expect(current).to_be_in_viewport()
        close.click()
        expect(sidebar).to_have_attribute("data-collapsed", "true")

    fresh = new_page(**device)  # the address in a fresh context: the same page, the sidebar as it is here
    open_page(fresh, app_url, evidence, urlsplit(page.url).query)
    expect(fresh.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true" if phone else "false")
