"""An address that is no page (issue 23): our own page says so in plain words and links to every page, for one
segment and several, and Streamlit's own "page not found" dialog (about a pages/ directory) never shows. The
same under a base path is checked in test_deploy.py's base-path test (a server of its own)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from tests.browser.support import no_failure_shown, wait_for_app
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
MENU = [p for p in site.PAGES if not p.hidden]


def assert_not_found(page, address: str) -> None:
    """Our heading and a link to every page on the screen, no dialog of Streamlit's."""
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=site.NOT_FOUND.heading, exact=True)).to_be_visible()
    expect(main.get_by_text("does not match any page")).to_be_visible()
    for p in MENU:
        expect(main.get_by_role("link", name=p.title, exact=True)).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("pages/ directory")).to_have_count(0)
    no_failure_shown(page)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_an_unknown_address_shows_our_page_and_every_link_works(app_url, new_page, viewport):
    page = new_page(viewport=viewport)
    page.goto(f"{app_url}/nonexistent")
    wait_for_app(page)
    assert_not_found(page, "nonexistent")
    assert page.url.endswith("/nonexistent")  # the address stays as typed
    assert not violations(page, "not found"), "axe-core, moderate or worse"
    main = page.get_by_test_id("stMain")
    for p in MENU:
        page.goto(f"{app_url}/nonexistent")
        wait_for_app(page)
        expect(main.get_by_role("heading", name=site.NOT_FOUND.heading, exact=True)).to_be_visible()
        main.get_by_role("link", name=p.title, exact=True).click()
        heading = "Before you continue: safety first" if p.gated else p.heading
        expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert page.url.rstrip("/") == f"{app_url}/{p.url_path}".rstrip("/"), page.url
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_nested_unknown_address_and_a_rerun_there_keep_our_page(app_url, new_page):
    page = new_page()
    page.goto(f"{app_url}/foo/bar?consult=1")
    wait_for_app(page)
    assert_not_found(page, "foo-bar")
    assert page.url.endswith("/foo-bar?consult=1"), page.url
    # a rerun on the page (leaving consult mode) stays on it, still without Streamlit's dialog
    page.get_by_role("button", name="Leave consult mode").click()
    expect(page.get_by_role("button", name="Leave consult mode")).to_have_count(0)
    wait_for_app(page)
    assert_not_found(page, "foo-bar")
