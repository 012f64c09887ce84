"""Serving a page: navigation, the fixed order of link check, frame, gate and page, and the page footer."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from psoas_explorer.content import model as c
from psoas_explorer.content import review
from psoas_explorer.i18n import Lang, tr
from psoas_explorer.links import pages as site
from psoas_explorer.web import frame, gate, lang, language, links, memo, nav, search, startup
from psoas_explorer.web.lang import _

_log = logging.getLogger("psoas_explorer")


def run_page(page: Any) -> None:
    """Run the page; anything unexpected becomes a calm message for the visitor, the traceback goes to the log."""
    try:
        page.run()
    except Exception:  # st.stop/st.rerun are BaseExceptions and pass through untouched
        _log.exception("Unexpected error on page %r", page.url_path)
        st.error(
            _("Sorry, something went wrong on this page. It has been logged. Try again, or go back to the home page."),
            icon=":material/error:",
        )
        st.page_link(
            site.PAGES[0].file, label=_("Back to the home page"), icon=":material/home:", query_params=lang.link_query()
        )


def review_footer(url_path: str, cnt: c.Content) -> None:
    """'Last reviewed … · Next review due …' and who reviewed, under every page, linked to the review log."""
    if url_path not in site.URL_PATHS:
        return  # the not-found page shows no content to review
    st.divider()
    st.markdown(_review_caption(cnt, memo.folder(), lang.current(), site.page_by_url(url_path).reviewed))  # contrast


@memo.per_folder()
def _review_caption(cnt: c.Content, folder: str, language: Lang, files: tuple[str, ...] | None) -> str:
    """The same text for every visitor of a language (review dates of the content's files): shared per folder,
    language and page files."""
    return tr(
        language,
        "{review_line}. {reviewer} Every item's check is listed in the review log on the Evidence page.",
    ).format(review_line=review.review_line(cnt, files, language), reviewer=tr(language, review.REVIEWER))


_PAGES_KEY = nav.PAGES_KEY
_PAGES_LANG = "nav_pages_lang"  # the language the session's st.Page objects were built in (their titles)


def navigation() -> Any:
    """Register every page of the site.PAGES registry with st.navigation and return the current one.

    The st.Page objects are built once per session (resolving six paths cost ~1 ms on every rerun). They
    are not shared between sessions: st.navigation marks the chosen page as callable on the object itself.
    """
    pages = st.session_state.get(_PAGES_KEY)
    if pages is None or st.session_state.get(_PAGES_LANG) != lang.current():  # a language switched: new titles
        st.session_state[_PAGES_LANG] = lang.current()
        pages = st.session_state[_PAGES_KEY] = [
            st.Page(
                p.file,
                title=site.title(p, lang.current()),
                icon=p.icon,
                default=not p.url_path,
                visibility="hidden" if p.hidden else "visible",
                **({"url_path": p.url_path} if p.url_path else {}),
            )
            for p in site.PAGES
        ]
    return st.navigation([*pages, *_not_found_page()], position="sidebar")


_UNKNOWN_KEY = "_unknown_url_path"  # the unknown address this session was last sent, served by the not-found page


def _not_found_page() -> list[Any]:
    """Our not-found page, registered (hidden) at the unknown address the visitor asked for.

    st.navigation shows Streamlit's own "page not found" dialog (it talks about a pages/ directory) whenever the
    page name the browser asked for matches no page. So the name asked for is read first, from this run's
    pages manager (the address's path below the base path, set before the script runs); when it is no page of
    ours, a hidden page at exactly that path is added, and st.navigation resolves to it. The address stays as
    typed. It is kept for the session: a rerun on that page (the sidebar's search box) asks for it by hash.
    The name is never shown nor logged (it is the visitor's typing); nested paths are turned into one segment
    by web/headers.py before the app loads.
    """
    ctx = get_script_run_ctx()
    asked = ctx.pages_manager.intended_page_name if ctx else None
    if asked and not (ctx and ctx.pages_manager.intended_page_script_hash):
        wanted = asked.strip().strip("/")
        if wanted not in site.URL_PATHS and "/" not in wanted:
            st.session_state[_UNKNOWN_KEY] = wanted
    name = st.session_state.get(_UNKNOWN_KEY)
    if not name:
        return []
    spec = site.NOT_FOUND
    return [
        st.Page(spec.file, title=site.title(spec, lang.current()), icon=spec.icon, visibility="hidden", url_path=name)
    ]


def serve() -> None:
    """Serve the current page. The order matters, so it is written down once, here:

    the language first (page titles, the content and every string depend on it), then the link is checked (a
    link's ``consult=1`` switches the mode the frame then draws; an odd ``lang`` is dropped with a notice, and
    the address then carries the session's language), the frame comes before the gate (the warning sits in the
    page's frame), and the gate stops a gated page until the visitor has acknowledged the warning in this
    session.
    """
    lang.settle()
    page = navigation()
    cnt = startup.content()
    startup.freeze_startup_heap()
    links.read_url(page.url_path, cnt)
    lang.keep_in_address()
    search.sidebar_box()  # first in the sidebar, under the page menu
    share = frame.frame(cnt)
    language.status_note()  # on a translated page, who translated it and how far it is checked
    gate.gate(page.url_path, cnt)
    run_page(page)
    frame.share_link(share)  # now that the page has written its view into the link
    review_footer(page.url_path, cnt)
