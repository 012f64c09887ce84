"""Consult mode: one switch (or ?consult=1) for a patient-facing view, and back again unchanged."""

import pytest

from psoas_explorer.links import pages as site
from psoas_explorer.web import keys
from tests.support import open_page


@pytest.mark.parametrize("page", [p for p in site.PAGES if not p.hidden], ids=lambda p: p.url_path or "home")
def test_link_opens_consult_view_with_glossary_and_handout(page, cnt):
    at = open_page(page.file, ack=True, query={"consult": "1"})
    assert not at.exception
    assert at.toggle(key=keys.CONSULT_KEY).value is True
    assert at.main.title[0].value == page.heading
    glossary = next(e for e in at.main.expander if e.label == "Words explained")
    assert cnt.glossary[0].term in glossary.markdown[0].value
    links = [el.proto for el in at.main.get("page_link")]
    assert any(p.page == "handout" and "consult=1" in p.query_string for p in links)
    assert at.button(key="consult_exit").label == "Leave consult mode"


def test_turning_consult_off_restores_the_view_and_the_link():
    at = open_page("app_pages/techniques.py", ack=True, query={"goal": "stress", "consult": "1"})
    before = [b.key for b in at.main.button if (b.key or "").startswith("pick_")]
    at.button(key="consult_exit").click().run()
    assert at.toggle(key=keys.CONSULT_KEY).value is False
    assert not [e for e in at.main.expander if e.label == "Words explained"]
    assert "consult" not in at.query_params
    assert at.query_params["goal"] == "stress"
    assert at.multiselect(key="t_goal").value == ["stress"]
    assert [b.key for b in at.main.button if (b.key or "").startswith("pick_")] == before


def test_sidebar_switch_turns_consult_on_and_writes_the_link():
    at = open_page("app_pages/evidence.py")
    assert at.toggle(key=keys.CONSULT_KEY).value is False
    at.toggle(key=keys.CONSULT_KEY).set_value(True).run()
    assert at.query_params["consult"] == "1"
    assert [e for e in at.main.expander if e.label == "Words explained"]


def test_landmark_details_speak_plain_words_in_consult_mode_and_full_terms_outside():
    # Issue 12: consult mode promised plain words but details said "ventral rami", "ipsilateral", model codes.
    query = {"lm": "origin_l3_tp"}
    outside = open_page("app_pages/anatomy.py", query=query)
    details = lambda at: "\n".join(m.value for m in at.main.markdown if "## " in m.value)  # noqa: E731
    assert "In anatomical terms" in details(outside)
    inside = open_page("app_pages/anatomy.py", query={**query, "consult": "1"})
    assert inside.selectbox(key="a_landmark").value == "origin_l3_tp"
    text = details(inside)
    assert text and "In anatomical terms" not in text
    for jargon in ("ventral rami", "ipsilateral", "moment arm", "Ps_L"):
        assert jargon not in text, jargon


def test_consult_bar_counts_the_picks_of_an_opened_handout_link():
    # The bar was drawn before the page took the link's picks, so it said "Handout (0)" on /handout?h=…
    picks = ["desk_movement_breaks", "half_kneeling_hip_flexor_stretch"]
    at = open_page("app_pages/handout.py", ack=True, query={"h": picks, "consult": "1"})
    labels = [el.proto.label for el in at.main.get("page_link")]
    assert "Handout (2)" in labels, labels
