"""A served app, checked as a visitor sees it (scripts/build_image.sh runs it against the built image):
the home page loads in chromium, Streamlit connects and finishes its run, the page's heading is shown, no
error box, and the security headers arrive. Usage: PYTHONPATH=. python scripts/check_served.py URL [PNG]."""

from __future__ import annotations

import sys

from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from tests.browser.support import chromium, no_failure_shown, wait_for_app


def main(url: str, shot: str | None) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        response = page.goto(f"{url}/")
        assert response is not None and response.ok, response
        headers = response.headers
        wait_for_app(page, 60_000)
        main_ = page.get_by_test_id("stMain")
        expect(main_.get_by_role("heading", name=site.PAGES[0].heading)).to_be_visible(timeout=60_000)
        no_failure_shown(page)
        for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
            assert name in headers, f"{name} missing: {headers}"
        if shot:
            page.screenshot(path=shot)
        print(f"page: {url}/ shows {site.PAGES[0].heading!r}, security headers present" + (f"; {shot}" if shot else ""))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
