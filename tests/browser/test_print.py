"""The print-friendly handout as a printer gets it (Chromium's print to PDF): no instruction sentence, no
consult bar, no empty last page, and every pick, stop sign and warning sign on paper."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from psoas_explorer.content import load
from psoas_explorer.links import pages as site
from tests.browser.support import open_page

pytestmark = pytest.mark.browser

TIMEOUT = 20_000  # Playwright's expect() waits this long for a state (conftest.patient_expect); 5 s failed at load ~30

PICKS = ("desk_movement_breaks", "half_kneeling_hip_flexor_stretch")


def squeeze(text: str) -> str:
    """Printed text compared without spaces or ligatures: the PDF breaks lines and joins 'ff' as it likes."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_printed_handout_has_the_plan_and_nothing_else_plain_and_in_consult_mode(app_url, new_page):
    """The handout printed by the browser, as opened and in consult mode (one visitor, a page load each)."""
    cnt = load.load_content()
    page = new_page()
    for consult in (False, True):
        query = "&".join(f"h={p}" for p in PICKS) + ("&consult=1" if consult else "")
        open_page(page, app_url, site.page_by_url("handout"), query)
        page.get_by_test_id("stMain").get_by_text(cnt.technique(PICKS[1]).name).first.wait_for()
        reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
        pages = [p.extract_text().strip() for p in reader.pages]
        assert all(pages), f"an empty page was printed: {[len(p) for p in pages]}"
        text = squeeze(" ".join(pages))
        for tid in PICKS:
            assert squeeze(cnt.technique(tid).name) in text
        for sign in (*cnt.safety.stop_signs, *(f.label for f in cnt.safety.red_flags)):
            assert squeeze(sign) in text, sign
        assert squeeze("Print this page with your browser") not in text  # the sheet does not print its own instruction
        assert squeeze("Leave consult mode") not in text and squeeze("Words explained") not in text
        assert squeeze("Consult mode") not in text  # the sidebar stays off paper
        assert squeeze("US Letter") not in text  # nor the choice of paper for the PDF
