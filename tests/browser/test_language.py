"""The language in a real browser (issue 25): a first visit follows the browser's language and writes it into the
address; ``<html lang>`` matches the page's language (Streamlit writes "en" whatever it is); the sidebar's switch
changes both and keeps every other parameter, and back; the address, opened in a fresh context, shows the same
screen in the same language; nothing breaks the Content-Security-Policy. All in one visit and one reopening (page
loads are the suite's cost)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.i18n import tr
from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from psoas_explorer.web.language import STATUS
from tests.browser.support import arrive, no_failure_shown, rerun_expected

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
MYTHS = site.page_by_url("myths-faq")
ANATOMY = site.page_by_url("anatomy")


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def shows(page, lang: str) -> None:
    """The page is in ``lang``: <html lang>, the switch, and the status line of a translation (only in Spanish)."""
    expect(page.locator("html")).to_have_attribute("lang", lang, timeout=TIMEOUT)
    side = page.get_by_test_id("stSidebar")
    expect(side.get_by_role("radio", name="Español" if lang == "es" else "English")).to_be_checked(timeout=TIMEOUT)
    expect(page.get_by_test_id("stMain").get_by_text(tr("es", STATUS))).to_have_count(1 if lang == "es" else 0)
    no_failure_shown(page)


def choose(page, name: str) -> None:
    with rerun_expected(page, TIMEOUT):
        page.get_by_test_id("stSidebar").get_by_text(name, exact=True).click()


def test_the_language_follows_the_browser_then_the_switch_and_the_address_keeps_it(app_url, new_page):
    page = new_page(locale="es-ES")
    arrive(page, f"{app_url}/{MYTHS.url_path}?q=stress", 60_000)
    expect(page).to_have_url(f"{app_url}/{MYTHS.url_path}?q=stress&lang=es", timeout=TIMEOUT)
    shows(page, "es")

    choose(page, "English")
    shows(page, "en")
    assert query(page) == {"q": ["stress"]}  # everything else kept
    choose(page, "Español")  # and back
    shows(page, "es")
    assert query(page) == {"q": ["stress"], "lang": ["es"]}

    other = new_page()  # a new visitor whose browser asks for English: the link's language leads
    arrive(other, page.url, 60_000)
    shows(other, "es")
    assert query(other) == {"q": ["stress"], "lang": ["es"]}
    box = other.get_by_test_id("stMain").get_by_role("textbox").first
    expect(box).to_have_value("stress", timeout=TIMEOUT)
    # the <html lang> script is served as a file: the Content-Security-Policy has nothing to refuse
    assert not [e for pg in (page, other) for e in pg.errors if "Content Security Policy" in e]

    # The diagram as drawn by Plotly in the browser speaks Spanish too: its labels, the sides, the live readout
    # (a decimal comma), and no English label (the drawing and its memos are per language).
    arrive(other, f"{app_url}/{ANATOMY.url_path}?lang=es&layers=psoas_major&layers=iliacus", 60_000)
    drawing = other.get_by_test_id("stMain").locator(DRAWN)
    expect(drawing).to_have_count(1, timeout=60_000)
    for words in ("trocánter menor", "ala lateral de L3", "ombligo", "Derecha del paciente", "Ilíaco"):
        expect(drawing.locator("svg text", has_text=words).first).to_be_attached(timeout=TIMEOUT)
    for words in ("lesser trochanter", "side wing", "navel", "Patient's right", "Iliacus"):
        expect(drawing.locator("svg text", has_text=words)).to_have_count(0)
    expect(other.get_by_test_id("stMain").get_by_text("26,1 cm").first).to_be_visible(timeout=TIMEOUT)
    no_failure_shown(other)


def test_the_logs_dates_follow_the_page_not_the_browser(app_url, new_page):
    """A Spanish page in a browser set to American English: the log's day is written in Spanish (the length's decimal
    comma is checked with the Spanish drawing above)."""
    page = new_page(locale="en-US")
    arrive(page, f"{app_url}/handout?h=bed_edge_hip_flexor_stretch&lang=es", 60_000)
    main = page.get_by_test_id("stMain")
    with rerun_expected(page, TIMEOUT):
        main.get_by_role("button", name=tr("es", "I understand: show me my plan")).click()
    main.get_by_role("radio", name="3", exact=True).check()
    main.get_by_role("button", name=tr("es", "Done today")).click()
    fmt = "{weekday: 'short', day: 'numeric', month: 'short', year: 'numeric'}"
    spanish, american = (page.evaluate(f"new Date().toLocaleDateString('{lg}', {fmt})") for lg in ("es", "en-US"))
    assert spanish != american
    expect(main.locator(".psoas-p-table tbody tr").first).to_contain_text(spanish, timeout=TIMEOUT)
    no_failure_shown(page)
