"""This session's st.Page objects, for page links: st.page_link given a page FILE resolves that path on the disk
on every call (realpath: a stat per folder, and a getcwd), which the search page's two dozen result links paid on
every rerun; given the st.Page it only reads the page's address. The link drawn is the same."""

from __future__ import annotations

from typing import Any

import streamlit as st

from psoas_explorer.links import pages as site
from psoas_explorer.web import lang

PAGES_KEY = "nav_pages"  # this session's st.Page objects, in site.PAGES order (web/router.py's navigation)


def page(url_path: str) -> Any:
    """The st.Page of the registry page at ``url_path`` (its file before navigation has built the pages)."""
    spec = site.page_by_url(url_path)
    pages = st.session_state.get(PAGES_KEY)
    return spec.file if pages is None else pages[site.PAGES.index(spec)]


def links(first: int = 0) -> None:
    """A page link to every shown page of the registry from ``first`` on (home's "Explore", the not-found page)."""
    for spec in (p for p in site.PAGES[first:] if not p.hidden):
        st.page_link(
            page(spec.url_path), label=site.title(spec, lang.current()), icon=spec.icon, query_params=lang.link_query()
        )


def heading(spec: site.PageSpec) -> str:
    """A page's H1 in the session's language (the registry holds the English; the catalog the rest)."""
    return site.heading(spec, lang.current())
