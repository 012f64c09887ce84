"""The security headers (psoas_explorer/web/headers.py) on what the server sends, directly and through nginx, and
zero Content-Security-Policy violations in a real browser (issue 24) in the states that pull in more code. Every
page as opened, the gate before and after "I understand", the 2D diagram with its text alternative, all layers and
a landmark, the techniques' tabs, the patient's view's log and follow-along, and the search results are checked
by test_accessibility.py's tour of every page, which watches for violations at each of its states; this tour
adds the rest: the 3D diagram, consult mode, the handout with a PDF download and a hold stopped, and addresses
that do not exist.

The server is the one scripts/run.sh starts (serve.py, with psoas_explorer/web/headers.py's policy). Violations
are caught twice (support.watch_csp): chromium's console message ("... violates the following Content Security
Policy directive") and a `securitypolicyviolation` listener installed before any page script runs. The last step
injects an inline script on purpose and expects it to be caught, so a collector that sees nothing, or a policy
that is not in force, fails the test instead of passing it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from tests.browser.support import NGINX, nginx_proxy, open_page, wait_for_app, watch_csp

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
PICKS = "h=half_kneeling_hip_flexor_stretch&h=desk_movement_breaks"


FIXED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
PLOTLY = "app/static/plotly/plotly-scatter-4.1.1.min.js"


def index_script_hash() -> str:
    """The hash of the inline script of the installed Streamlit's index.html, computed here on its own."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a GET, errors included (a 404 carries headers too)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def assert_secure(url: str, headers: dict[str, str]) -> None:
    for name, value in FIXED.items():
        assert headers.get(name) == value, (url, name, headers.get(name))
    policy = dict(d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";"))
    script = policy["script-src"].split()
    assert script[0] == "'self'" and index_script_hash() in script, (url, script)
    assert not {"'unsafe-eval'", "'unsafe-inline'", "blob:", "data:", "*"} & set(script), (url, script)
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'", url
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'", url
    assert "'self'" in policy["connect-src"].split(), url
    permissions = headers["permissions-policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions, (url, feature)


def test_every_kind_of_response_carries_the_security_headers(app_url):
    status, headers, body = fetch(f"{app_url}/")
    assert status == 200 and b'<div id="root">' in body
    assert_secure("/", headers)
    for path in (PLOTLY, "_stcore/health", "anatomy?view=3d", "no-such-page", "_stcore/no-such-thing"):
        status, headers, _ = fetch(f"{app_url}/{path}")
        assert status in (200, 404), (path, status)
        assert_secure(path, headers)


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed: `bash scripts/setup.sh --dev`")
def test_deploy_nginx_passes_the_headers_on_unchanged(app_url):
    with nginx_proxy(app_url, app_url) as (proxy, _log):
        for path in ("", PLOTLY):
            direct, through = fetch(f"{app_url}/{path}")[1], fetch(f"{proxy}/{path}")[1]
            assert_secure(path, through)
            for name in (*FIXED, "permissions-policy", "cross-origin-resource-policy"):
                assert through[name] == direct[name], name
            host = f"{proxy.split('//')[1]}"  # the websocket spelled out for the address the browser used
            assert f"ws://{host}" in through["content-security-policy"]


def test_no_page_breaks_the_content_security_policy(app_url, new_page):
    page = new_page(accept_downloads=True)
    seen = watch_csp(page)
    main = page.get_by_test_id("stMain")
    diagram = main.locator(DRAWN)

    open_page(page, app_url, site.page_by_url("anatomy"), "view=3d")
    expect(main.locator(".js-plotly-plot .gl-container canvas").first).to_be_attached()
    expect(diagram).to_be_attached()
    page.collect("anatomy 3D")
    open_page(page, app_url, site.page_by_url("anatomy"), "consult=1")
    expect(main.get_by_role("button", name="Leave consult mode")).to_be_visible()
    expect(diagram).to_be_attached()
    page.collect("consult mode")

    open_page(page, app_url, site.page_by_url("handout"), PICKS)
    with page.expect_download() as download:
        main.get_by_role("button", name="Download PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.collect("handout and PDF")
    main.get_by_role("button", name="Start", exact=True).click()  # the follow-along and the log (patient.js)
    page.get_by_role("dialog").get_by_role("button", name="Start the hold").click()
    page.get_by_role("dialog").get_by_role("button", name="Stop").click()
    main.get_by_role("radio", name="4", exact=True).check()
    main.get_by_role("button", name="Done today").click()
    expect(main.get_by_role("status")).to_contain_text("kept in this browser")
    page.collect("follow-along and log")

    for address in ("no-such-page", "no/such/page"):
        page.goto(f"{app_url}/{address}")
        wait_for_app(page)
        expect(main.get_by_role("heading", name=site.NOT_FOUND.heading, exact=True)).to_be_visible()
        page.collect(f"unknown address {address}")

    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)

    # The canary: an injected inline script must be blocked and caught (the policy is on, the collector works).
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.head.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    page.collect("canary")
    assert page.evaluate("window.__ran") is None
    assert any(re.search(r"canary: script-src(-elem)? blocked inline", v) for v in seen), seen
