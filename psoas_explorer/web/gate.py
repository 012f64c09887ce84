"""The safety warning that gates every page teaching technique, once per browser session (web/ack.py)."""

from __future__ import annotations

import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.i18n import DEFAULT, Lang, tr
from psoas_explorer.links import pages as site
from psoas_explorer.techniques import filters
from psoas_explorer.web import ack, lang, page_scripts, startup
from psoas_explorer.web.lang import _


def warning_markdown(cnt: c.Content, in_lang: Lang | None = None) -> str:
    """The whole warning: the short version, every point, the stop signs and the red flags (``cnt``'s text, its
    headings in ``in_lang``, by default the session's language)."""
    here = in_lang or lang.current()
    s = cnt.safety
    lines = [
        s.short,
        "",
        *[f"- {p}" for p in s.points],
        "",
        "**" + tr(here, "Stop at once if:") + "**",
        *[f"- {p}" for p in s.stop_signs],
    ]
    lines += ["", f"**{tr(here, filters.RED_FLAGS_HEADING)}**", *[f"- {f.label}" for f in s.red_flags]]
    return "\n".join(lines)


def acknowledged_warning() -> str:
    """The warning an acknowledgement names (its cookie holds a hash of it): the English, whatever the page's
    language, so a visitor who read it in one language is not asked again in another tab in the other (it is the
    same warning, translated; web/ack.py)."""
    return warning_markdown(startup.content_in(DEFAULT), DEFAULT)


SHORT_GATE_PATHS = frozenset({"handout"})  # the patient's view: a plan link and the sheet's QR code open it
_TO_TOP_KEY = "gate_to_top"  # set by "I understand": the next run scrolls up (page_scripts.SCROLL_TO_TOP_JS)


def gate(url_path: str, cnt: c.Content) -> None:
    """Show the safety warning instead of a gated page until this session acknowledges it."""
    if url_path not in site.GATED_URL_PATHS:
        return
    text = warning_markdown(cnt)
    if ack.acknowledged(acknowledged_warning()):  # in this session, or another tab of the browser
        if st.session_state.pop(_TO_TOP_KEY, False):
            st.html(page_scripts.SCROLL_TO_TOP_JS, unsafe_allow_javascript=True)
        return
    st.title(_("Before you continue: safety first"))
    short = url_path in SHORT_GATE_PATHS
    # On the patient's view (a phone, from the QR code) the key points and the button come first; the whole
    # warning, word for word, is one tap away. Elsewhere the whole warning is read before the button.
    st.warning(cnt.safety.short if short else text, icon=":material/warning:")
    label = _("I understand: show me my plan") if short else _("I understand: show me the techniques")
    if st.button(label, key="gate_ack", type="primary"):
        ack.remember(acknowledged_warning())
        st.session_state[_TO_TOP_KEY] = True
        # Reopen the page with the same URL and query string, at its heading.
        st.switch_page(site.page_by_url(url_path).file, query_params=_query_lists())
    if short:
        with st.expander(_("Read the whole safety warning"), icon=":material/warning:"):
            st.markdown(text)
    st.stop()


def _query_lists() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}
