"""The gate in a real browser, including the first visit to a freshly started server."""

from playwright.sync_api import expect

from tests.browser.support import streamlit_server, wait_for_app

TIMEOUT = 20_000  # Playwright's expect() waits this long for a state (conftest.patient_expect); 5 s failed at load ~30


def test_first_visitor_of_fresh_server_opening_techniques_url_sees_only_the_warning(new_page):
    with streamlit_server() as url:  # fresh process: no session has run the entrypoint yet
        page = new_page(cold_cache=True)  # and a brand-new browser: a cold start on both sides
        page.goto(f"{url}/techniques?goal=mobility")
        wait_for_app(page)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="Before you continue: safety first")).to_be_visible()
        expect(main.get_by_role("button", name="I understand")).to_be_visible()
        expect(main.get_by_text("Five kinds")).to_have_count(0)
        expect(main.get_by_role("heading", name="Techniques", exact=True)).to_have_count(0)

        page.get_by_role("button", name="I understand").click()
        wait_for_app(page)
        expect(main.get_by_role("heading", name="Techniques", exact=True)).to_be_visible()
        assert "goal=mobility" in page.url
        # Keyboard focus moves to the page's heading, so the next Tab reaches its own controls (issue 12).
        page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
        assert page.evaluate("() => document.activeElement.textContent").startswith("Techniques")
        expect(main.locator(".st-key-t_goal input")).to_be_visible()  # the filters are drawn before we Tab
        page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('.st-key-t_goal')"):
                break
        else:
            raise AssertionError("the Goal filter was not reached within 12 Tabs of the heading")

        other = new_page()  # another visitor is still locked out
        other.goto(f"{url}/techniques")
        wait_for_app(other)
        expect(other.get_by_test_id("stMain").get_by_role("button", name="I understand")).to_be_visible()
