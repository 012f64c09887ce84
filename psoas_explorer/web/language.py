"""What every page shows of its language: the switch (English / Español) in the sidebar, ``<html lang>`` for
screen readers, spell checkers and the browser's translate offer, and on a translated page the honest status of
its translation. The session's language itself is decided in web/lang.py."""

from __future__ import annotations

import streamlit as st

from psoas_explorer.i18n import DEFAULT, LANGS, N_, NAMES, Lang
from psoas_explorer.web import bidi, lang
from psoas_explorer.web.keys import HTML_LANG_KEY, LANG_SWITCH_KEY
from psoas_explorer.web.lang import _

# Streamlit writes <html lang="en"> into its page whatever the language. A custom component (v2, in the page, no
# iframe) sets the document's lang; its script is served as a file (web/bidi.py: the Content-Security-Policy
# allows no inline or blob: scripts).
NAME = "psoas_explorer.html_lang"
_SCRIPT = "html_lang.js"
_component = bidi.component(NAME, _SCRIPT)


def switch() -> None:
    """English / Español, each written in its own language, on every page (the sidebar is every page's). A choice
    reruns the page in that language; the address follows (web/lang.py), every other parameter kept."""
    st.session_state[LANG_SWITCH_KEY] = lang.current()  # a link may have changed it since the last run
    st.radio(
        _("Language"),
        LANGS,
        format_func=NAMES.__getitem__,
        key=LANG_SWITCH_KEY,
        horizontal=True,
        on_change=_switched,
    )


def _switched() -> None:
    chosen: Lang = st.session_state[LANG_SWITCH_KEY]
    lang.choose(chosen)


def html_lang() -> None:
    """Set ``<html lang>`` to the page's language (draws nothing)."""
    bidi.declare(NAME)
    _component(key=HTML_LANG_KEY, data={"lang": lang.current()}, height=0)


STATUS = N_(
    "This Spanish text is a translation by the project team; its safety text and the anatomy drawing's words were "
    "translated back into English by a second reviewer to check them. No native-speaking clinician has reviewed it "
    "yet."
)


def status_note() -> None:
    """On a translated page, one line saying who translated it, how the safety text and the drawing's words were
    checked and that no native-speaking clinician has reviewed it yet (an honest label for health information)."""
    if lang.current() != DEFAULT:
        st.caption(_(STATUS))
