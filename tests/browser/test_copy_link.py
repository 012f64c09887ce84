"""The "Copy link" control in a real browser: it offers the address of the view on show (the page's path under
the real origin, the link parameters the page wrote), which reopens the same view for a new visitor; in consult
mode it offers the patient's version, without the consult switch, and sits in the consult bar."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from tests.browser.support import open_page, rerun_expected, settled_box

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
