"""The handout's QR code, end to end in a real browser (issue 14's "Done when"): build a plan of two
techniques, change a dose and reset it, type one out of range, reorder and move back, type a name and a note,
download the PDF, decode its QR code from the page as pdftoppm renders it, open the decoded link in a fresh
browser context and find the same picks, order and doses, and the name in no URL on the way. After the dose
change and the reorder, the address bar's link is opened in a fresh context too and shows the same plan."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from psoas_explorer.content import dose
from psoas_explorer.links import pages as site
from tests.browser.support import open_page, rerun_expected, wait_for_app
from tests.support import qr_links

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
NAME = "Zoë Quillfeather"
NOTE = "Start *gently*, twice a day."


A, B = "half_kneeling_hip_flexor_stretch", "bed_edge_hip_flexor_stretch"  # both among the first cards shown


def expect_plan(page, want: list[tuple[str, str]]) -> None:
    """The builder shows these picks in this order, each with its number and name, then its dose in words
    (Playwright's expect retries until the page shows them)."""
    plan = page.get_by_test_id("stMain").get_by_role("tabpanel", name="Your handout")
    boxes = plan.locator("[class*='st-key-plan_']")
    expect(boxes).to_have_count(len(want))
    for i, (heading, words) in enumerate(want):
        expect(boxes.nth(i).get_by_role("heading", level=3)).to_have_text(heading)
        expect(boxes.nth(i)).to_contain_text(words)


def builder_lines(cnt, order: list[str], doses: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    return [
        (f"{i}. {cnt.technique(t).name}", dose.line(cnt.technique(t), doses.get(t))) for i, t in enumerate(order, 1)
    ]


def reopen_elsewhere(new_page, url: str, want: list[tuple[str, str]]) -> None:
    """The address bar's link, opened by someone else, shows the same plan in the builder."""
    other = new_page()
    other.goto(url)
    wait_for_app(other, TIMEOUT)
    with rerun_expected(other):
        other.get_by_test_id("stMain").get_by_role("button", name="I understand").click()
    other.get_by_test_id("stMain").get_by_role("tab", name="Your handout").click()
    expect_plan(other, want)
    other.close()  # the visitor leaves (its context goes back to the pool: conftest.WarmContexts)


def test_the_sheets_qr_code_reopens_the_plan_with_its_order_and_doses_and_the_name_is_in_no_url(app_url, new_page, cnt):
    expect.set_options(timeout=TIMEOUT)
    page = new_page(accept_downloads=True)
    seen_urls: list[str] = []
    page.on("request", lambda r: seen_urls.append(r.url))
    open_page(page, app_url, site.page_by_url("techniques"))
    main = page.get_by_test_id("stMain")
    cards = main.locator("[class*='st-key-tech_']")
    for tid in (A, B):  # picked out of page order (the bed-edge stretch comes first in the list)
        card = cards.filter(has=page.get_by_role("heading", name=cnt.technique(tid).name, exact=True))
        with rerun_expected(page):
            card.get_by_role("button", name="Add to handout").click()
        expect(card.get_by_role("button", name="Remove from handout")).to_be_visible()
        seen_urls.append(page.url)

    main.get_by_role("tab", name="Your handout").click()
    plan = main.get_by_role("tabpanel", name="Your handout")
    expect(plan.get_by_role("heading", name="Your handout (2)")).to_be_visible()
    a_name, b_name = cnt.technique(A).name, cnt.technique(B).name
    order, doses = [A, B], {}
    expect_plan(page, builder_lines(cnt, order, doses))
    a_box = plan.locator("[class*='st-key-plan_']").filter(has=page.get_by_role("heading", name=a_name))
    hold = a_box.get_by_role("spinbutton", name="Hold (seconds)")

    # the buttons show only their action; their accessible name says which technique
    up = plan.get_by_role("button", name=f"Move up {b_name}", exact=True)
    expect(up).to_be_visible()
    assert up.locator("p > span").bounding_box()["width"] <= 1, "the technique's name is for screen readers only"

    # change a dose, and undo it with Reset dose
    with rerun_expected(page):
        hold.fill("45")
        hold.press("Enter")
    doses = {A: {"hold": 45}}
    expect_plan(page, builder_lines(cnt, order, doses))
    expect(page).to_have_url(re.compile(re.escape(f"d={A}.h45")))
    reopen_elsewhere(new_page, page.url, builder_lines(cnt, order, doses))
    with rerun_expected(page):
        plan.get_by_role("button", name=f"Reset dose {a_name}", exact=True).click()
    doses = {}
    expect_plan(page, builder_lines(cnt, order, doses))
    expect(page).not_to_have_url(re.compile(r"[?&]d="))
    expect(hold).to_have_value("30")
    with rerun_expected(page):
        hold.fill("45")
        hold.press("Enter")
    doses = {A: {"hold": 45}}

    # a number out of range is not kept, and the visitor is told
    with rerun_expected(page):
        hold.fill("999")
        hold.press("Enter")
    expect(a_box.get_by_text("Not kept: Hold (seconds) must be from 5 to 60; 999 is out of range.")).to_be_visible()
    expect(hold).to_have_value("45")
    expect_plan(page, builder_lines(cnt, order, doses))

    # reorder, move back (the undo), and reorder again
    with rerun_expected(page):
        plan.get_by_role("button", name=f"Move up {b_name}", exact=True).click()
    order = [B, A]
    expect_plan(page, builder_lines(cnt, order, doses))
    reopen_elsewhere(new_page, page.url, builder_lines(cnt, order, doses))
    with rerun_expected(page):
        plan.get_by_role("button", name=f"Move up {a_name}", exact=True).click()
    expect_plan(page, builder_lines(cnt, [A, B], doses))
    with rerun_expected(page):
        plan.get_by_role("button", name=f"Move down {a_name}", exact=True).click()
    expect_plan(page, builder_lines(cnt, order, doses))
    seen_urls.append(page.url)

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
    assert text.index(f"1. {b_name}") < text.index(f"2. {a_name}")
    assert dose.line(cnt.technique(A), doses[A]) in text

    (link,) = qr_links(data)
    assert link == f"{app_url}/handout?h={B}&h={A}&d={A}.h45", link
    other = new_page()  # the patient's phone: a fresh context, no session
    other.on("request", lambda r: seen_urls.append(r.url))
    other.goto(link)
    wait_for_app(other, TIMEOUT)
    with rerun_expected(other):
        other.get_by_test_id("stMain").get_by_role("button", name="I understand").click()
    sheet = other.get_by_test_id("stMain")
    expect(sheet.get_by_role("heading", name="Your psoas plan", exact=True)).to_be_visible()
    picks = sheet.get_by_role("heading", level=2).all_inner_texts()
    assert picks[:2] == [f"1. {b_name}", f"2. {a_name}"], picks
    expect(sheet.get_by_text(dose.line(cnt.technique(A), doses[A]))).to_be_visible()
    expect(sheet.get_by_text(dose.line(cnt.technique(B)))).to_be_visible()
    expect(sheet.get_by_text("Quill")).to_have_count(0)  # a new session: the name stayed with the clinician
    seen_urls += [page.url, other.url]
    for url in seen_urls:
        assert "Quill" not in url and "Zo%C3%AB" not in url and "gently" not in url, url
