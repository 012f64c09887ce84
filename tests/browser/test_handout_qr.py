"""The handout's QR code, end to end in a real browser: build a plan of two techniques, type a name and a
note, download the PDF, decode its QR code from the page as pdftoppm renders it, open the decoded link in a
fresh browser context and find the same picks in the same order, and the name in no URL on the way."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from psoas_explorer.links import pages as site
from tests.browser.support import free_port, open_page, rerun_expected, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
NAME = "Zoë Quillfeather"
NOTE = "Start *gently*, twice a day."


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """A server that knows its own public address, as a deployment sets PSOAS_PUBLIC_URL."""
    port = free_port()
    with streamlit_server(env={"PSOAS_PUBLIC_URL": f"http://127.0.0.1:{port}"}, port=port) as url:
        yield url


def decode_qr(pdf: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sheet.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "300", "-png", str(src), str(Path(tmp) / "page")], check=True)
        return [r.text for p in sorted(Path(tmp).glob("page*.png")) for r in zxingcpp.read_barcodes(Image.open(p))]


def test_the_sheets_qr_code_reopens_the_plan_in_order_and_the_name_is_in_no_url(app_url, new_page):
    expect.set_options(timeout=TIMEOUT)
    page = new_page(accept_downloads=True)
    seen_urls: list[str] = []
    page.on("request", lambda r: seen_urls.append(r.url))
    open_page(page, app_url, site.page_by_url("techniques"))
    main = page.get_by_test_id("stMain")
    panel = main.get_by_role("tabpanel", name="Find a technique")
    second, first = panel.get_by_role("heading", level=3).all_inner_texts()[:2]  # picked out of page order
    cards = main.locator("[class*='st-key-tech_']")
    for name in (first, second):
        card = cards.filter(has=page.get_by_role("heading", name=name, exact=True))
        with rerun_expected(page):
            card.get_by_role("button", name="Add to handout").click()
        expect(card.get_by_role("button", name="Remove from handout")).to_be_visible()
        seen_urls.append(page.url)

    main.get_by_role("tab", name="Your handout").click()
    plan = main.get_by_role("tabpanel", name="Your handout")
    expect(plan.get_by_role("heading", name="Your handout (2)")).to_be_visible()
    with rerun_expected(page):
        plan.get_by_label("Patient's name (optional)").fill(NAME)
        plan.get_by_label("Patient's name (optional)").press("Enter")
    with rerun_expected(page):
        plan.get_by_label("Note for the patient (optional)").fill(NOTE)
        plan.get_by_label("Note for the patient (optional)").press("Control+Enter")
    seen_urls.append(page.url)
    with page.expect_download() as download:
        plan.get_by_role("button", name="Download PDF").click()
    assert "Quill" not in download.value.suggested_filename
    data = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert f"For {NAME}" in text and NOTE in text and "not stored or put in any link" in text

    (link,) = decode_qr(data)
    assert link.startswith(f"{app_url}/handout?")
    other = new_page()  # the patient's phone: a fresh context, no session
    other.on("request", lambda r: seen_urls.append(r.url))
    other.goto(link)
    wait_for_app(other, TIMEOUT)
    with rerun_expected(other):
        other.get_by_test_id("stMain").get_by_role("button", name="I understand").click()
    sheet = other.get_by_test_id("stMain")
    expect(sheet.get_by_role("heading", name="Your psoas plan", exact=True)).to_be_visible()
    picks = sheet.get_by_role("heading", level=2).all_inner_texts()
    assert picks[:2] == [f"1. {first}", f"2. {second}"], picks
    expect(sheet.get_by_text("Quill")).to_have_count(0)  # a new session: the name stayed with the clinician
    seen_urls += [page.url, other.url]
    for url in seen_urls:
        assert "Quill" not in url and "Zo%C3%AB" not in url and "gently" not in url, url
