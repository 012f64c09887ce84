"""The language as link state (issue 25), driven like a visitor: ``lang=es`` opens the pages in Spanish and every
link keeps it; a first visit follows the browser; the sidebar's switch changes the address and the screen, and
switching back leaves the rest of the screen as it was; an odd value is dropped with a notice."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from psoas_explorer.content import load
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.i18n import tr
from psoas_explorer.web import frame
from psoas_explorer.web.keys import LANG_SWITCH_KEY
from psoas_explorer.web.language import STATUS
from tests.support import APP, handout_tab, open_expander, open_page, qr_links, texts

TECHNIQUES = "app_pages/techniques.py"
SEARCH = "app_pages/search.py"
STRETCH, BALL = "half_kneeling_hip_flexor_stretch", "glute_ball_self_massage"


def link_of(at: AppTest) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def switch(at: AppTest) -> Any:
    return at.sidebar.radio(key=LANG_SWITCH_KEY)


def page_links(at: AppTest) -> list[dict[str, list[str]]]:
    return [parse_qs(el.proto.query_string) for el in at.get("page_link")]


def status_shown(at: AppTest) -> bool:
    return any(c.value == tr("es", STATUS) for c in at.main.caption)


def test_a_spanish_link_shows_the_spanish_pages_and_every_link_keeps_the_language() -> None:
    at = open_page(query={"lang": "es"})
    assert not at.exception
    assert link_of(at)["lang"] == ["es"]
    assert switch(at).value == "es" and switch(at).label == "Idioma"
    assert status_shown(at), "the honest status of the translation"
    es = load.load_content(lang="es")
    assert es.overview.tagline in texts(at)  # the Spanish content (or the English marked as not yet translated)
    links = page_links(at)  # home's "Explore": a link to every page
    assert len(links) >= 5 and all(q.get("lang") == ["es"] for q in links), links
    at = open_expander(at, frame.SHARE_KEY)
    (code,) = [el.value for el in at.main.get("code") if isinstance(el, Element)]
    assert "lang=es" in code


def test_an_english_page_says_nothing_about_translation_and_its_links_carry_no_lang() -> None:
    at = open_page()
    assert switch(at).value == "en" and "lang" not in link_of(at)
    assert not status_shown(at)
    assert all("lang" not in q for q in page_links(at))


def test_a_first_visit_follows_the_browser_language_and_writes_it_into_the_address() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context = {"locale": "es-MX"}
    at.run()
    assert link_of(at) == {"lang": ["es"]} and switch(at).value == "es" and status_shown(at)
    at = AppTest.from_file(APP, default_timeout=30)
    at.context = {"locale": "de-DE"}  # a language we do not offer: English
    at.run()
    assert switch(at).value == "en" and "lang" not in link_of(at)


def test_a_link_beats_the_browser_and_an_odd_value_is_dropped_with_a_notice() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context = {"locale": "es-ES"}
    at.query_params["lang"] = "en"  # not a value: English is the default, left out of links
    at.run()
    assert any("«lang»" in i.value for i in at.info), [i.value for i in at.info]  # the page's language: Spanish
    assert link_of(at) == {"lang": ["es"]}  # dropped, then the browser's
    at = open_page(query={"lang": "<b>fr</b>"})
    (notice,) = [i.value for i in at.info]
    assert "<b>" not in notice and "'lang'" in notice
    assert "lang" not in link_of(at) and switch(at).value == "en"


def techniques_screen(at: AppTest, in_order: bool = True) -> dict[str, Any]:
    """What the techniques page shows apart from its words. Cards with the same evidence sort by their name in the
    reader's language, so across languages the same cards may come in another order (``in_order=False``)."""
    assert not at.exception, [e.message for e in at.exception]
    cards = [b.key for b in at.main.button if (b.key or "").startswith("pick_")]
    return {
        "goals": at.multiselect(key="t_goal").value,
        "cards": cards if in_order else sorted(cards),
        "handout": at.session_state["t_handout"],
        "consult": at.session_state["consult"],
    }


@pytest.mark.parametrize("start", [{}, {"lang": "es"}])
def test_switching_the_language_and_back_leaves_the_rest_of_the_screen_as_it_was(start: dict[str, str]) -> None:
    query: dict[str, str | list[str]] = {"goal": ["mobility", "posture"], "h": [STRETCH, BALL], "consult": "1", **start}
    at = open_page(TECHNIQUES, ack=True, query=query)
    before, address = techniques_screen(at), link_of(at)
    same = techniques_screen(at, in_order=False)
    other = "en" if start else "es"
    switch(at).set_value(other).run()
    assert switch(at).value == other and status_shown(at) == (other == "es")
    changed = link_of(at)
    assert changed.get("lang") == (["es"] if other == "es" else None)
    assert {k: v for k, v in changed.items() if k != "lang"} == {k: v for k, v in address.items() if k != "lang"}
    assert techniques_screen(at, in_order=False) == same  # the same view, in the other language
    # the changed address, opened by another visitor, shows the same screen in that language
    reopen: dict[str, str | list[str]] = {k: v if len(v) > 1 else v[0] for k, v in changed.items()}
    again = open_page(TECHNIQUES, ack=True, query=reopen)
    assert switch(again).value == other and techniques_screen(again) == techniques_screen(at)
    switch(at).set_value("es" if start else "en").run()  # and back
    assert link_of(at) == address and techniques_screen(at) == before
    assert status_shown(at) == bool(start)


def test_a_page_chosen_in_the_menu_keeps_the_language_and_writes_it_back() -> None:
    at = open_page(query={"lang": "es"})
    at.query_params.clear()  # the menu opens a page without the link's parameters
    at.switch_page(SEARCH).run()
    assert switch(at).value == "es" and link_of(at).get("lang") == ["es"]


def test_search_results_keep_the_language() -> None:
    at = open_page(SEARCH, query={"q": "psoas", "lang": "es"})
    links = page_links(at)
    assert links and all(q.get("lang") == ["es"] for q in links), links


def test_the_handout_qr_code_opens_the_plan_in_the_screen_language(saved: dict[str, Any]) -> None:
    at = handout_tab(open_page(TECHNIQUES, ack=True, query={"h": [STRETCH, BALL], "lang": "es"}))
    assert [q.get("lang") for q in page_links(at) if "h" in q] == [["es"]]  # the patient's view
    (qr,) = qr_links(saved["pdf"])
    assert parse_qs(qr.split("?", 1)[1]) == {"h": [STRETCH, BALL], "lang": ["es"]}
    assert sheet_plan.plan_url([STRETCH], "https://x.org", lang="es") == f"https://x.org/handout?h={STRETCH}&lang=es"
    assert sheet_plan.plan_url([STRETCH], "https://x.org") == f"https://x.org/handout?h={STRETCH}"
