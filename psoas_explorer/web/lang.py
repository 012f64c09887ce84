"""The visitor's language for this session, and ``_`` to translate interface strings into it.

One translator per language lives in ``psoas_explorer.i18n``; this module only picks which one a session uses:
the link's ``lang`` if it names a language we offer, else the browser's (``st.context.locale``), else English.
"""

from __future__ import annotations

import streamlit as st

from psoas_explorer.i18n import DEFAULT, Lang, lang_of, tr


def current() -> Lang:
    """The language this session shows: the link's ``lang``, else the browser's, else English."""
    return lang_of(st.query_params.get("lang")) or lang_of(st.context.locale) or DEFAULT


def _(message: str) -> str:
    """``message`` in the session's language (English where the catalog has no translation yet)."""
    return tr(current(), message)
