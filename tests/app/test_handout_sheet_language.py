"""The sheet's language, chosen apart from the page's (issue 25): an English-speaking clinician picks Español in
the builder and downloads a Spanish sheet whose QR code opens the plan in Spanish; the choice is in the page's
link (``hl``), a fresh session opened on that link keeps it, and choosing English again takes it all back."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.support import handout_tab, open_page, qr_links

TECHNIQUES = "app_pages/techniques.py"
HANDOUT = "app_pages/handout.py"
KEY = "t_sheet_lang"


def sheet_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def qp(at, name: str) -> list[str]:
    v = at.query_params.get(name, [])
    return [v] if isinstance(v, str) else list(v)


def test_sheet_language_select_gives_a_spanish_sheet_kept_in_the_link_and_goes_back(cnt, saved):
    ids = [t.id for t in cnt.techniques.techniques[:2]]
    at = handout_tab(open_page(TECHNIQUES, ack=True, query={"h": ids}))
    assert not at.exception
    select = at.selectbox(key=KEY)
    assert select.value == "en" and select.label == "Sheet language"
    assert list(select.options) == ["English", "Español"]  # each language in its own words
    assert "Safety first" in sheet_text(saved["pdf"]) and "lang=" not in qr_links(saved["pdf"])[0]

    at = select.set_value("es").run()
    assert not at.exception
    text = sheet_text(saved["pdf"])
    assert "Primero, la seguridad" in text and "Safety first" not in text
    assert qr_links(saved["pdf"])[0].endswith("lang=es")  # the QR code opens the plan in Spanish
    assert qp(at, "hl") == ["es"] and qp(at, "h") == ids
    assert at.title[0].value == "Techniques"  # the page itself stays in English

    # The page's own link, opened in a fresh session: the builder still says Español, the sheet is Spanish.
    again = handout_tab(open_page(TECHNIQUES, ack=True, query={k: qp(at, k) for k in at.query_params}))
    assert not again.exception
    assert again.selectbox(key=KEY).value == "es"
    assert "Primero, la seguridad" in sheet_text(saved["pdf"])
    assert qp(again, "hl") == ["es"]

    # The patient's view downloads the same Spanish sheet (its link keeps hl too).
    at.switch_page(HANDOUT)
    at.query_params["h"] = ids
    at.query_params["hl"] = "es"
    at.run()
    assert not at.exception
    assert "Primero, la seguridad" in sheet_text(saved["pdf"])
    assert qp(at, "hl") == ["es"]

    # Undo: English again, on the builder of the first session.
    at.switch_page(TECHNIQUES)
    at.query_params["h"] = ids
    at.query_params["tab"] = "handout"
    at.query_params["hl"] = "es"
    at = at.run()
    at = at.selectbox(key=KEY).set_value("en").run()
    assert not at.exception
    assert "Safety first" in sheet_text(saved["pdf"]) and "lang=" not in qr_links(saved["pdf"])[0]
    assert qp(at, "hl") == [] and qp(at, "h") == ids
