"""Who the handout is for (name, clinician, note) and the "Copy link" control, driven like a visitor.

The name and note go on the PDF sheet (also when it is downloaded from the patient's view), never into the
address, a page link, the copied link or the file name; the copied link is the current view (in consult mode,
the patient's version).
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.web import frame
from tests.support import handout_tab, let_go_at, open_expander, open_page, texts

TECHNIQUES = "app_pages/techniques.py"
HANDOUT = "app_pages/handout.py"
NAME = "Zoë Quillfeather"
CLINIC = "Harbour Physio"
NOTE = "Start *gently* <b>twice</b> a day\n# then [more](http://x.example) _if_ it feels fine"


def two_ids(cnt) -> list[str]:
    return [t.id for t in cnt.techniques.techniques[:2]]


def urls_on_page(at) -> list[str]:
    """Every address the page offers: the query string, page links, and the copied link's code blocks."""
    out = [str(dict(at.query_params))]
    for root in (at.main, at.sidebar):
        out += [el.proto.query_string for el in root.get("page_link")]
        out += [el.value for el in root.get("code")]
    return out


def fill_in(at, prefix: str):
    at.text_input(key=f"{prefix}_who_patient").input(NAME).run()
    at.text_input(key=f"{prefix}_who_clinician").input(CLINIC).run()
    return at.text_area(key=f"{prefix}_who_note").input(NOTE).run()


def filled_in_handout_tab(cnt):
    """The Techniques page's handout tab with two picks, a name, a clinic and a note typed in."""
    ids = two_ids(cnt)
    return ids, fill_in(handout_tab(open_page(TECHNIQUES, ack=True, query={"h": ids})), "t")


def test_name_and_note_are_on_the_sheet_and_in_no_url(cnt, saved):
    ids, at = filled_in_handout_tab(cnt)
    assert not at.exception
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved["pdf"])).pages).split())
    assert f"For {NAME}" in text and f"prepared with {CLINIC}" in text
    for line in NOTE.split("\n"):
        assert " ".join(line.split()) in text  # printed literally: no markup interpreted
    assert sheet_plan.PRIVACY_NOTE in text
    assert at.query_params["h"] == ids
    for url in urls_on_page(at):
        for private in (NAME, "Quillfeather", CLINIC, "Harbour", "gently", "twice"):
            assert private not in url
    assert "Quill" not in str(saved["filename"]) and "Harbour" not in str(saved["filename"])


def test_the_patients_view_asks_for_no_name_but_its_pdf_carries_what_the_builder_was_given(cnt, saved):
    ids, at = filled_in_handout_tab(cnt)
    at.switch_page(HANDOUT)
    at.query_params["h"] = ids
    at.run()
    assert not at.exception
    assert not at.main.text_input and not at.main.text_area and not at.main.radio  # the clinician's fields stay
    assert "Quill" not in texts(at) and "Harbour" not in texts(at)  # and the view shows no name
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved["pdf"])).pages).split())
    assert f"For {NAME}" in text and f"prepared with {CLINIC}" in text  # this session's sheet, as typed
    for url in urls_on_page(at):
        assert "Quill" not in url and "gently" not in url


def test_inputs_are_bounded_with_a_visible_limit(cnt):
    at = open_page(TECHNIQUES, ack=True, query={"h": two_ids(cnt)})
    at = handout_tab(at)
    assert at.text_input(key="t_who_patient").proto.max_chars == sheet_plan.MAX_PERSON == 80
    assert at.text_input(key="t_who_clinician").proto.max_chars == sheet_plan.MAX_PERSON
    assert at.text_area(key="t_who_note").proto.max_chars == sheet_plan.MAX_NOTE == 500


@pytest.mark.parametrize("file", [None, TECHNIQUES, HANDOUT, "app_pages/anatomy.py"])
def test_every_page_offers_its_own_address_to_copy(cnt, file):
    query = {"h": two_ids(cnt)} if file in (TECHNIQUES, HANDOUT) else {}
    at = open_page(file, ack=True, query=query)
    assert not at.exception
    assert not at.main.get("code")  # built only when opened
    at = open_expander(at, frame.SHARE_KEY)
    (code,) = [el.value for el in at.main.get("code")]
    assert [p.proto.popover.label for p in at.main.get("popover")] == ["Copy link"]
    got = urlsplit(code)
    assert got.path.strip("/") == at.session_state["_url_path"]
    assert parse_qs(got.query) == {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def test_in_consult_mode_the_copied_link_is_the_patients_version(cnt):
    ids = two_ids(cnt)
    at = open_expander(open_page(TECHNIQUES, ack=True, query={"h": ids, "consult": "1"}), frame.SHARE_KEY)
    assert not at.exception
    assert at.query_params["consult"] == "1"
    (code,) = [el.value for el in at.main.get("code")]
    assert parse_qs(urlsplit(code).query) == {"h": ids}


def test_the_copied_link_follows_the_hip_angle_moved_in_the_diagrams_fragment():
    at = open_page("app_pages/anatomy.py")
    let_go_at(at, 45)
    at = open_expander(at, frame.SHARE_KEY)
    (code,) = [el.value for el in at.main.get("code")]
    assert parse_qs(urlsplit(code).query) == {"angle": ["45"]}
