"""The search page and the search boxes: a link with ?q= opens the results, clearing the box undoes the search,
the link follows the box, the sidebar's box (and home's) opens the search page, and each result links deep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from psoas_explorer import settings as app_settings
from psoas_explorer.content import model as c
from psoas_explorer.search import catalog
from psoas_explorer.web import memo
from psoas_explorer.web.keys import ACK_KEY
from psoas_explorer.web.search import OFFER_ICON
from tests.support import APP, edit_yaml, open_page

SEARCH = "app_pages/search.py"


def headings(at: AppTest) -> list[str]:
    return [h.value for h in at.main.header]


def results(at: AppTest) -> list[tuple[str, str, dict[str, list[str]]]]:
    """Each result on screen: (target page, label, link parameters)."""
    out = []
    for el in at.main.get("page_link"):
        p = el.proto
        if p.icon == OFFER_ICON:  # a search to try, not a result
            continue
        out.append((p.page, p.label, p.query_string))
    return out


def screen(at: AppTest) -> dict[str, Any]:
    assert not at.exception, [e.message for e in at.exception]
    return {
        "box": at.text_input(key="s_query").value,
        "groups": headings(at),
        "results": results(at),
        "snippets": [m.value for m in at.main.markdown if "**" in m.value],
        "info": [i.value for i in at.main.info],
    }


def link_of(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def test_a_link_with_q_opens_the_results_grouped_by_kind_with_snippets_and_deep_links() -> None:
    at = open_page(SEARCH, query={"q": "stress"})
    shown = screen(at)
    assert shown["box"] == "stress"
    assert any(g.startswith("Myths (") for g in shown["groups"]) and any(
        g.startswith("Techniques (") for g in shown["groups"]
    )
    myth = [r for r in shown["results"] if r[1].startswith("The psoas stores emotions")]
    assert myth and myth[0][0] == "myths-faq" and "q=stress" in myth[0][2]
    assert any("**stress**" in s or "**emotions**" in s for s in shown["snippets"])
    assert link_of(at) == {"q": "stress"}


def test_a_landmark_result_opens_that_landmark_on_the_anatomy_page() -> None:
    at = open_page(SEARCH, query={"q": "where does it attach?"})
    page, label, query = screen(at)["results"][0]
    assert page == "anatomy" and "lm=insertion_lesser_trochanter" in query, (label, query)
    anatomy = open_page("app_pages/anatomy.py", query={"lm": "insertion_lesser_trochanter"})
    assert anatomy.selectbox(key="a_landmark").value == "insertion_lesser_trochanter"


def test_clearing_the_search_undoes_it_and_the_link_follows() -> None:
    at = open_page(SEARCH, query={"q": "sitting"})
    with_results = screen(at)
    assert with_results["results"]
    at.text_input(key="s_query").input("").run()
    cleared = screen(at)
    assert cleared["results"] == [] and cleared["groups"] == [] and "q" not in link_of(at)
    at.text_input(key="s_query").input("sitting").run()
    assert screen(at) == with_results and link_of(at) == {"q": "sitting"}
    # the address, opened in a new session, shows the same screen
    assert screen(open_page(SEARCH, query=link_of(at))) == with_results


def test_no_match_says_so_plainly_and_offers_searches_that_find_something(cnt: c.Content) -> None:
    at = open_page(SEARCH, query={"q": "<b>zzqxv</b>"})
    (info,) = screen(at)["info"]
    assert "zzqxv" in info and "<b>" not in info
    offers = [b.label for b in at.main.button if (b.key or "").startswith("try_")]
    assert offers and all(catalog.search_for(cnt).find(o).hits for o in offers)
    # an offer searches it here, and the link follows; clearing the box undoes it
    at.button(key="try_0").click().run()
    assert screen(at)["box"] == offers[0] and screen(at)["results"] and link_of(at) == {"q": offers[0]}
    at.text_input(key="s_query").input("").run()
    assert "q" not in link_of(at) and screen(at)["results"] == []


def test_a_word_explained_searches_for_itself_here_and_the_link_follows() -> None:
    at = open_page(SEARCH, query={"q": "hip flexor"})
    at.button(key="go_word_Iliopsoas").click().run()
    assert screen(at)["box"] == "Iliopsoas" and link_of(at) == {"q": "Iliopsoas"}
    assert screen(open_page(SEARCH, query=link_of(at))) == screen(at)


def test_the_sidebar_box_on_any_page_opens_the_search_page() -> None:
    at = open_page("app_pages/evidence.py")
    at.sidebar.text_input(key="side_q").input("lumbago")
    at.sidebar.button(key="side_go").click().run()
    assert at.title[0].value == "Search everything"
    assert link_of(at) == {"q": "lumbago"} and screen(at)["box"] == "lumbago" and screen(at)["results"]
    assert not at.sidebar.get("text_input") or all(t.key != "side_q" for t in at.sidebar.text_input)


def test_the_home_page_has_a_search_box_too() -> None:
    at = open_page()
    at.text_input(key="home_q").input("psoas minor")
    at.button(key="home_go").click().run()
    assert link_of(at) == {"q": "psoas minor"} and screen(at)["results"]


def test_the_myths_page_search_is_the_same_engine(cnt: c.Content) -> None:
    at = open_page("app_pages/myths_faq.py", query={"q": "stress"})
    beliefs = [m.value for m in at.main.markdown if m.value.startswith("**Common belief:**")]
    assert any("stores emotions" in b for b in beliefs)  # found by its synonyms (emotions), not by "stress"
    nothing = open_page("app_pages/myths_faq.py", query={"q": "zzqxv"})
    assert any(el.proto.page == "search" for el in nothing.main.get("page_link"))


def test_a_typed_search_stays_out_of_the_shared_memos() -> None:
    word = "zqxvisitorword"
    at = open_page(SEARCH, query={"q": word})
    assert not at.exception and at.text_input(key="s_query").value == word
    assert not [k for k in memo.all_keys() if word in repr(k)]


@settings(max_examples=8, deadline=None)
@given(
    steps=st.lists(
        st.sampled_from(["", "sitting", "stress", "hip flexor", "strech", "zzz", "Sığlan"]), min_size=1, max_size=3
    )
)
def test_after_any_searches_the_link_reopens_the_same_screen(steps: list[str]) -> None:
    at = open_page(SEARCH)
    for text in steps:
        at.text_input(key="s_query").input(text).run()
    mine = screen(at)
    assert screen(open_page(SEARCH, query=link_of(at))) == mine, (steps, link_of(at))


def in_spanish(file: str, query: dict[str, str], ack: bool = False) -> AppTest:
    """A new session from a browser set to Spanish (``st.context.locale``) opening ``file`` with ``query``: how
    a first visit without ``lang`` in the link picks its language (the link's ``lang`` wins once it is a link
    setting; the search reads whichever web/lang.current() gives)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.context = {"locale": "es-ES"}
    if ack:
        at.session_state[ACK_KEY] = True
    at.run()
    at.query_params.clear()
    at.switch_page(file)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_the_search_and_the_myths_page_read_the_sessions_language() -> None:
    """In Spanish the words are read as Spanish over the Spanish text (data/es): "estrés" finds the myth about
    emotions, "sentado" puts the sitting myth first; the groups are headed in Spanish; an English session's, at the
    same time, in English."""
    shown = screen(in_spanish(SEARCH, {"q": "estrés"}))
    assert any(g.startswith("Mitos (") for g in shown["groups"]), shown["groups"]
    assert not any(g.startswith(("Myths", "Questions", "Techniques")) for g in shown["groups"]), shown["groups"]
    myth_links = [label for page, label, _q in shown["results"] if "myths" in page]
    assert myth_links and myth_links[0].startswith("El psoas almacena emociones"), myth_links
    myths = in_spanish("app_pages/myths_faq.py", {"q": "sentado"})
    beliefs = [m.value for m in myths.main.markdown if "Creencia" in m.value]
    assert beliefs and "Estar sentado todo el día" in beliefs[0], beliefs
    english = screen(open_page(SEARCH, query={"q": "psoas"}))  # another visitor at the same time, in English
    assert english["groups"] and not any(g.startswith("Mitos") for g in english["groups"])


def test_the_techniques_word_filter_reads_the_sessions_language(data_copy: Path, monkeypatch: Any) -> None:
    """A technique whose text is in Spanish (a data copy, until the overlays are merged) is found by a Spanish
    browser's "escritorio" through the Spanish synonyms (sentado, silla); an English session is not shown it."""
    first: dict[str, Any] = {}

    def translate(doc: Any) -> None:
        first.update(doc["techniques"][0])
        doc["techniques"][0]["summary"] = "Para quien pasa el día sentado en una silla."

    edit_yaml(data_copy, "techniques.yaml", translate)
    monkeypatch.setenv(app_settings.DATA_DIR.name, str(data_copy))
    spanish = in_spanish("app_pages/techniques.py", {"q": "escritorio"}, ack=True)
    assert not spanish.exception and f"pick_{first['id']}" in [b.key for b in spanish.main.button]
    english = open_page("app_pages/techniques.py", ack=True, query={"q": "escritorio"})
    assert not english.exception and f"pick_{first['id']}" not in [b.key for b in english.main.button]
