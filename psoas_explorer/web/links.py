"""Keeping the address bar and the widgets in step: validated link values in, the current view out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from psoas_explorer import linkformat as params
from psoas_explorer.content import model as c
from psoas_explorer.links import pages as site
from psoas_explorer.web import lang, memo
from psoas_explorer.web.frame import consult
from psoas_explorer.web.keys import CONSULT_KEY, CONSULT_SHOWN_KEY, DOSE_KEY, HANDOUT_KEY, URL_KEY, URL_PATH_KEY

_WRITTEN = "_url_written"  # page url_path -> the page's own parameters as this session last wrote them


_LINK_OPENED = "_link_opened"


_PATH = URL_PATH_KEY


_SPEC = "_url_spec"  # this page's parameters, as read_url validated them

# Every page's parameters that are session-wide switches rather than the page's view: an address that differs
# from the last written one only in these is no newly opened link (consult is read below, lang in web/lang.py).
_SESSION_WIDE = (CONSULT_KEY, params.LANG.name)


@memo.per_folder()
def _page_params(cnt: c.Content, folder: str, url_path: str) -> tuple[params.Param, ...]:
    """A page's parameter specs: frozen, the same for every visitor, keyed by page path and content folder."""
    return site.page_params(url_path, cnt)


def page_params(url_path: str, cnt: c.Content) -> tuple[params.Param, ...]:
    """The page's link parameters (its own, then the global ones), built once per page and content folder."""
    return _page_params(cnt, memo.folder(), url_path)


def read_url(url_path: str, cnt: c.Content) -> None:
    """Validate the page's query parameters once per run: notices for what was dropped, a cleaned URL."""
    spec = page_params(url_path, cnt)
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    values, notices = params.parse(raw, spec, lang.current())
    for note in notices:
        st.info(note, icon=":material/link_off:")
    if notices:
        st.query_params.from_dict(params.encode(values, spec))
    st.session_state[URL_KEY] = values
    # A link was opened (first visit, a pasted or shared link, back/forward) when this run's address differs
    # from the one the app itself last wrote for this page: then the link leads and seeds the widgets;
    # otherwise the widgets lead and the address follows them.
    own = {k: v for k, v in params.encode(values, spec).items() if k not in _SESSION_WIDE}
    st.session_state[_LINK_OPENED] = st.session_state.get(_WRITTEN, {}).get(url_path) != own
    st.session_state[_PATH] = url_path
    st.session_state[_SPEC] = spec
    # The handout picks are session state every page shows (the consult bar counts them), so an opened link's
    # picks are taken here, before the frame draws; a link without any (the menu) keeps this session's.
    # Their doses come with them: a link's picks without ``d`` have the default doses.
    if values.get("h") and st.session_state[_LINK_OPENED]:
        st.session_state[HANDOUT_KEY] = list(values["h"])
        st.session_state[DOSE_KEY] = {t: dict(d) for t, d in (values.get("d") or {}).items()}
    st.session_state.setdefault(HANDOUT_KEY, [])
    st.session_state.setdefault(DOSE_KEY, {})
    # A link that says consult=1/0 switches the mode when it differs from what this session last showed;
    # a URL without it (after page navigation) keeps the session's choice.
    if CONSULT_KEY in raw and st.session_state.get(CONSULT_SHOWN_KEY) != values[CONSULT_KEY]:
        st.session_state[CONSULT_KEY] = values[CONSULT_KEY]


def link_opened() -> bool:
    """True when this run's address is a link the visitor opened, not the one the app last wrote itself."""
    return bool(st.session_state.get(_LINK_OPENED, True))


def seed(key: str, value: Any) -> None:
    """Give a widget its value from the link: always when a link was just opened, else only if it has none.

    Seeding only missing keys was the bug behind an undoable handout: the link's picks came back on every
    rerun. Overriding only for a newly opened link lets a pasted link win and the widgets lead otherwise.
    """
    if link_opened():
        st.session_state[key] = value
    else:
        st.session_state.setdefault(key, value)


def seed_all(keys: Iterable[str], values: Callable[[], Mapping[str, Any]]) -> None:
    """`seed` for several widgets at once; `values()` (key -> value) is built only when it is needed: a link was
    just opened, or one of the widgets has no value yet. On other reruns every seed would change nothing."""
    if not link_opened() and all(k in st.session_state for k in keys):
        return
    for key, value in values().items():
        seed(key, value)


def url_values() -> dict[str, Any]:
    """The validated query parameters of this run (read_url has run in app.py)."""
    return st.session_state.get(URL_KEY, {})


def write_url(values: dict[str, Any]) -> None:
    """Keep the address bar in step with the view so a copied link reopens it (this page's parameters)."""
    spec = st.session_state[_SPEC]
    # A parameter with no values is no parameter: kept as [], it never equalled the address bar's (none), so an
    # empty handout rewrote the same address on every rerun (a query-string message each time, issue 20).
    session = {CONSULT_KEY: consult(), **lang.link_query()}
    wanted = {k: v for k, v in params.encode({**values, **session}, spec).items() if v != []}
    written = st.session_state.setdefault(_WRITTEN, {})
    written[st.session_state.get(_PATH, "")] = {k: v for k, v in wanted.items() if k not in _SESSION_WIDE}
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if {k: st.query_params.get_all(k) for k in st.query_params} != as_lists:
        st.query_params.from_dict(wanted)


def seed_tab(key: str, labels: Mapping[str | None, str], tab: str | None) -> None:
    """Open the tab an opened link names (``labels``: tab id -> its words, the first tab's id None)."""
    seed(key, labels.get(tab, next(iter(labels.values()))))


def open_tab(key: str, labels: Mapping[str | None, str]) -> str | None:
    """The id of the tab on show, for the link (None: the first tab, left out of links)."""
    shown = st.session_state.get(key)
    return next((tab for tab, label in labels.items() if label == shown), None)
