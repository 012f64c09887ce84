"""The visitor's language for this session, and ``_`` to translate interface strings into it.

One translator per language lives in ``psoas_explorer.i18n``; this module only picks which one a session uses.
The language is link state like any other (``lang``, declared in linkformat.py and validated by its parser; an
odd value is dropped with the router's notice): an opened link's ``lang`` leads, else the session keeps the
language it has (a page chosen in the menu opens without the link's parameters), else a first visit follows the
browser's language (``st.context.locale``: ``es-*`` is Spanish), else English. The address then carries it
(``lang=es``; English, the default, is left out), so a copied link opens the same language.

``current()`` is called for every string a page shows, so the router settles the language once per run
(``settle``) and remembers it on the run's context: a lookup there is an attribute read, not a session-state
access.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from psoas_explorer import linkformat
from psoas_explorer.i18n import DEFAULT, Lang, lang_of, tr

LANG_KEY = "_lang"  # this session's language (not a widget: it outlives a page that draws no switch)
_WRITTEN = "_lang_written"  # the ``lang`` value the app last put in the address (None: none, English)
_ON_CTX = "_psoas_lang"  # the run's settled language, kept on its ScriptRunContext


def browser() -> Lang | None:
    """The language the browser asks for, if we offer it (``st.context.locale``, e.g. ``es-ES``)."""
    return lang_of(st.context.locale)


def settle() -> Lang:
    """Decide this run's language, before anything is drawn (the router calls it first).

    A link's ``lang`` leads when it differs from what the app last wrote into the address (a link opened, or
    the browser's back and forward); otherwise the session's own language stays (the switch sets it); a
    session without one takes the link's, else the browser's, else English.
    """
    ss = st.session_state
    linked = linkformat.link_lang(st.query_params.get_all(linkformat.LANG.name))
    if linked is not None and linked != ss.get(_WRITTEN):
        ss[LANG_KEY] = linked
    elif lang_of(ss.get(LANG_KEY)) is None:
        ss[LANG_KEY] = linked or browser() or DEFAULT
    lang: Lang = ss[LANG_KEY]
    _remember(lang)
    return lang


def keep_in_address() -> None:
    """Write the session's language into the address (after the router's link check has dropped an odd one),
    so the address and every link made from it carry it: ``lang=es``, or nothing for English."""
    want = link_query().get(linkformat.LANG.name)
    st.session_state[_WRITTEN] = want
    if st.query_params.get_all(linkformat.LANG.name) != ([want] if want else []):
        if want:
            st.query_params[linkformat.LANG.name] = want
        else:
            del st.query_params[linkformat.LANG.name]


def choose(lang: Lang) -> None:
    """The visitor chose ``lang`` (the switch's callback, before the run that shows it)."""
    st.session_state[LANG_KEY] = lang


def current() -> Lang:
    """The language this run shows (settled once per run by the router; a run the router has not settled, a
    fragment's, reads the session's)."""
    ctx = get_script_run_ctx()
    lang: Lang | None = getattr(ctx, _ON_CTX, None)
    if lang is None:
        lang = lang_of(st.session_state.get(LANG_KEY)) or DEFAULT
        _remember(lang)
    return lang


def _remember(lang: Lang) -> None:
    ctx = get_script_run_ctx()
    if ctx is not None:
        setattr(ctx, _ON_CTX, lang)


def link_query() -> dict[str, str]:
    """The ``lang`` part of a link the app makes to one of its pages (nothing for English)."""
    return linkformat.lang_query(current())


def with_lang(query: Mapping[str, str | list[str]]) -> dict[str, str | list[str]]:
    """A page link's query parameters with this session's language added, so every link keeps it."""
    return {**query, **link_query()}


def _(message: str) -> str:
    """``message`` in the session's language (English where the catalog has no translation yet)."""
    return tr(current(), message)
