"""The search widgets: the sidebar box on every page, the search page's box and its results, suggestions.

The engine (psoas_explorer/search/) is built once per content object. A query is never memoized across
visitors or logged (a visitor's words stay in their own session and link); the session keeps its own last
search (results and their Markdown), so a rerun with the same words, such as any click on the results page, does
not search again (issue 23: a rerun of the search page within 1.25x of Streamlit drawing the same elements).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.content import search as words
from psoas_explorer.content.text import md_escape
from psoas_explorer.i18n import N_, trn
from psoas_explorer.linkformat import MAX_TEXT
from psoas_explorer.links import build
from psoas_explorer.links import pages as site
from psoas_explorer.search import catalog
from psoas_explorer.search.engine import Found, Hit
from psoas_explorer.web import lang, links, nav
from psoas_explorer.web.keys import URL_PATH_KEY
from psoas_explorer.web.lang import _

QUERY_KEY = "s_query"  # the search page's box (the sidebar's is form("side"): "side_q", home's "home_q")
OFFER_ICON = ":material/manage_search:"  # a search to try (a result has its page's icon)
PLACEHOLDER = N_("e.g. sitting, stress, where does it attach?")


def sidebar_box() -> None:
    """A search box in the sidebar of every page but the search page (which has its own, in the page)."""
    if st.session_state.get(URL_PATH_KEY) != "search":
        with st.sidebar:
            form("side")


def form(where: str) -> None:
    """A box that opens the search page with what was typed (Enter or the button), then empties itself: the
    words live in the search page's link, not in a box that would follow the visitor around."""
    with st.form(f"{where}_search", clear_on_submit=True, border=False):
        text = st.text_input(_("Search everything"), key=f"{where}_q", placeholder=_(PLACEHOLDER), max_chars=MAX_TEXT)
        go = st.form_submit_button(_("Search"), icon=":material/search:", key=f"{where}_go")
    if go:
        link = build.search(text.strip())
        st.switch_page(link.page, query_params=lang.with_lang(link.query))


def box() -> str:
    """The search page's box, seeded from the link (an opened link leads, then the box does)."""
    links.seed(QUERY_KEY, links.url_values().get("q") or "")
    return st.text_input(_("Search everything"), key=QUERY_KEY, placeholder=_(PLACEHOLDER), max_chars=MAX_TEXT)


def results(cnt: c.Content, query: str) -> None:
    """Hits grouped by kind (the group with the best hit first), each a link to where it is shown and one line
    with the words that matched in bold; nothing found: suggestions."""
    if not query.strip():
        st.markdown(_("Search myths, questions, techniques, words explained, anatomy, facts and sources."))
        suggestions(catalog.search_for(cnt, lang=lang.current()).index.lang.data.suggestions)
        return
    found, lines = _last_search(cnt, query)
    if not found.hits:
        nothing(query, found)
        return
    summary(found, query)
    for kind, hits in found.groups():
        st.header(catalog.heading(kind, len(hits), lang.current()))  # h2 under the page's h1 (axe: heading order)
        for hit in hits[:8]:
            show(hit, query, lines)
        if len(hits) > 8:
            more = len(hits) - 8
            st.caption(
                trn(
                    lang.current(),
                    "and {count} more result: add a word to narrow the search.",
                    "and {count} more results: add a word to narrow the search.",
                    more,
                ).format(count=more)
            )


def summary(found: Found, query: str) -> None:
    """How many things were found, and how the words were read (a typo, or only some of the words)."""
    n = len(found.hits)
    results = trn(lang.current(), "{count} result for “{query}”.", "{count} results for “{query}”.", n)
    notes = [results.format(count=n, query=md_escape(words.plain(query)))]
    if found.corrected:
        read = ", ".join(
            _("“{typed}” as “{word}”").format(typed=md_escape(typed), word=md_escape(word))
            for typed, word in found.corrected[:3]
        )
        notes.append(_("Read {corrections}.").format(corrections=read))
    if found.widened:
        notes.append(_("Nothing has all your words; these have some of them."))
    st.markdown(" ".join(notes))


_LAST = "_s_last"  # this session's last search: (content, language, query, what it found, each hit's line)


def _last_search(cnt: c.Content, query: str) -> tuple[Found, dict[tuple[str, str], str]]:
    """What ``query`` finds, and a store for its hits' Markdown lines: this session's last search again when the
    words (and the content and language) are the same, else a new search that replaces it."""
    here, last = lang.current(), st.session_state.get(_LAST)
    if last is None or last[0] is not cnt or last[1:3] != (here, query):
        found = catalog.search_for(cnt, lang=here).find(query)
        last = st.session_state[_LAST] = (cnt, here, query, found, {})
    return last[3], last[4]


def show(hit: Hit, query: str, lines: dict[tuple[str, str], str]) -> None:
    """One result: its title as a link to where it is shown, and the matched line (kept in ``lines``)."""
    link = hit.doc.link if isinstance(hit.doc.link, build.Link) else build.question_search(query)
    with st.container(border=True, key=f"hit_{hit.doc.kind}_{hit.doc.id}"):
        if link.url_path == "search":  # a word explained: search for it, here
            search_here(st, hit.doc.title, str(link.query["q"]), f"go_{hit.doc.kind}_{hit.doc.id}", icon(link))
        else:
            st.page_link(
                nav.page(link.url_path),
                label=md_escape(hit.doc.title),
                query_params=lang.with_lang(link.query),
                icon=icon(link),
            )
        key = (hit.doc.kind, hit.doc.id)
        if key not in lines:
            lines[key] = snippet(hit)
        st.markdown(lines[key])


def search_here(where: Any, label: str, text: str, key: str, icon: str) -> None:
    """A link-like button that searches ``text`` on this page. Not a page link: one to the page it is on reruns
    with the new words but leaves the old address in the browser, so a copied link would be wrong."""
    where.button(md_escape(label), key=key, on_click=_search_for, args=(text,), type="tertiary", icon=icon)


def _search_for(text: str) -> None:
    st.session_state[QUERY_KEY] = text


def icon(link: build.Link) -> str:
    return site.page_by_url(link.url_path).icon


def snippet(hit: Hit) -> str:
    """The matched line as Markdown: every piece escaped, the matched words in bold."""
    return "".join(f"**{md_escape(t)}**" if match else _spaced(t) for t, match in hit.snippet)


def _spaced(text: str) -> str:
    """``text`` escaped, keeping a space it starts or ends with (md_escape trims; the pieces join words)."""
    core = md_escape(text)
    return (" " if text[:1].isspace() else "") + core + (" " if core and text[-1:].isspace() else "")


def nothing(query: str, found: Found) -> None:
    st.info(_("Nothing matches “{query}”.").format(query=words.plain(query)), icon=":material/search_off:")
    suggestions(found.suggestions)


def elsewhere(cnt: c.Content, query: str, kinds: tuple[str, ...]) -> None:
    """For a page's own search that found nothing: the same words over everything, and words to try there."""
    link = build.search(query)
    st.page_link(
        nav.page(link.url_path),
        label=_("Search everything for these words"),
        query_params=lang.with_lang(link.query),
        icon=OFFER_ICON,
    )
    suggestions(catalog.search_for(cnt, lang=lang.current()).find(query, kinds).suggestions, here=False)


def suggestions(offers: tuple[str, ...], here: bool = True) -> None:
    """Searches to try: on the search page a button each (it searches here), elsewhere a link to the search page."""
    st.markdown(_("Try:"))
    cols = st.columns(min(len(offers), 4) or 1)
    for i, offer in enumerate(offers):
        where = cols[i % len(cols)]
        if here:
            search_here(where, offer, offer, f"try_{i}", OFFER_ICON)
        else:
            link = build.search(offer)
            where.page_link(
                nav.page(link.url_path),
                label=md_escape(offer),
                query_params=lang.with_lang(link.query),
                icon=OFFER_ICON,
            )
