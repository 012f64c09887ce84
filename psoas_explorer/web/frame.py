"""What every page shares around its content: the sidebar switch and warning, consult mode, page CSS."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.links import build
from psoas_explorer.web import ack, lang, language, nav, reconnect, sidebar
from psoas_explorer.web.gate import acknowledged_warning, warning_markdown
from psoas_explorer.web.keys import CONSULT_KEY, CONSULT_SHOWN_KEY, DOSE_KEY, HANDOUT_KEY, URL_PATH_KEY
from psoas_explorer.web.lang import _
from psoas_explorer.web.origin import site_origin
from psoas_explorer.web.widgets import lazy_expander

# On every page: evidence badges wrap instead of ending in "…" (Streamlit cuts them to one line), so a phone
# shows the whole grade, e.g. "Evidence B: May be true: low certainty". The hint after the layer pills is text a
# visitor reads, so it is written once per language (raw HTML is built from constants only: test_hardening.py).
_BASE_CSS_HEAD = """<style>
.stMain .stMarkdownBadge { white-space: normal !important; }
/* Keyboard focus is seen on everything focusable, the sidebar's page links included: a 3 px outline in a blue
   with over 7:1 contrast on the white and the grey backgrounds (WCAG 2.4.7, 1.4.11: at least 2 px, 3:1). */
:focus-visible { outline: 3px solid #1a4d99 !important; outline-offset: 2px !important; }
/* The layer pills are one group: Tab reaches it once and the arrow keys move between them. Say so while the
   keyboard is in it. */
.st-key-a_layers:focus-within::after {
"""
_LAYERS_HINT_EN = """  content: "Arrow keys move between the layers; Space or Enter turns one on or off.";
"""
_LAYERS_HINT_ES = """  content: "Las flechas pasan de una capa a otra; Espacio o Intro activa o desactiva la capa.";
"""
_BASE_CSS_TAIL = """  display: block; margin-top: 0.25rem; font-size: 1rem; color: #1a4d99;
}
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .st-key-consult_bar,
  .st-key-share_link, [data-testid="stToast"], [data-testid="stBottom"] {
    display: none !important;
  }
  /* The scroll container and its bottom padding would print as an empty last page. */
  [data-testid="stAppViewContainer"], [data-testid="stMain"] { height: auto !important; overflow: visible !important; }
  [data-testid="stMainBlockContainer"] { padding-bottom: 0 !important; min-height: 0 !important; }
}
</style>"""
BASE_CSS = _BASE_CSS_HEAD + _LAYERS_HINT_EN + _BASE_CSS_TAIL
BASE_CSS_ES = _BASE_CSS_HEAD + _LAYERS_HINT_ES + _BASE_CSS_TAIL


CONSULT_CSS = """<style>
.stMain { font-size: 1.25rem; }
.stMain h1 { font-size: 2.6rem; }
.stMain h2 { font-size: 2rem; }
.stMain h3 { font-size: 1.6rem; }
.stMain [data-testid="stMarkdownContainer"] p, .stMain li { font-size: 1.25rem; line-height: 1.6; }
.stMain [data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
.stMain [data-testid="stNumberInputField"] { font-size: 1.15rem; }
.stMain [data-testid="stMetricValue"], .stMain [data-testid="stMetricValue"] p { font-size: 2.8rem; line-height: 1.2; }
.stMain [data-testid="stMetricDelta"] p { font-size: 1rem; }
.stMain .psoas-diagram .pd-delta, .stMain .psoas-diagram .pd-hint { font-size: 1rem; }
</style>"""


# Outside consult mode, "Copy link" sits in Streamlit's top bar instead of a row of its own above the heading:
# on a phone and a laptop that row pushed the heading and the diagram down by ~80 px. Fixed there, it stays in
# reach while the page scrolls. (Consult mode has it in its own bar.) It covers none of Streamlit's controls:
# it stands left of the place where the running indicator and its Stop button appear (up to 9 rem from the
# right edge), below the sidebar (z-index 999991), and it is hidden while the sidebar lies over the page on a
# narrow screen (Streamlit's md breakpoint), where it would sit on the sidebar's close button.
TOP_BAR_CSS = """<style>
.stMain .st-key-share_link {
  position: fixed; top: 0.55rem; right: 9.5rem; width: auto !important; z-index: 999990;
}
@media (max-width: 767.98px) {
  body:has([data-testid="stSidebar"][data-collapsed="false"]) .stMain .st-key-share_link { visibility: hidden; }
}
</style>"""

SHARE_KEY = "share_pop"


def frame(cnt: c.Content) -> Any:
    """What every page shares: the full warning and the consult switch in the sidebar; consult styling.

    Returns the spot of the "Copy link" control, which the router fills once the page has written its link
    (so the address offered is the view the page ended on; a page that stops early offers none).
    """
    with st.sidebar:
        language.switch()
        st.toggle(
            _("Consult mode"),
            key=CONSULT_KEY,
            help=_("A patient-facing view: large type, plain words, the sidebar tucked away."),
        )
        if box := lazy_expander(_("Safety warning"), key="side_warning", icon=":material/warning:"):
            box.markdown(warning_markdown(cnt))
        ack.sidebar_control(acknowledged_warning())  # "Ask me again" once acknowledged
        st.markdown(cnt.safety.disclaimer)
        reconnect.watch()  # a page whose server went away runs again from its link once reconnected
        language.html_lang()  # draws nothing
        sidebar.close_on_choice()  # last: it draws nothing
    on = st.session_state[CONSULT_SHOWN_KEY] = consult()
    if on != ("consult" in st.query_params):  # keep the switch in shared links
        if on:
            st.query_params[CONSULT_KEY] = "1"
        else:
            del st.query_params[CONSULT_KEY]
    st.set_page_config(initial_sidebar_state="collapsed" if on else "auto")
    st.html((BASE_CSS_ES if lang.current() == "es" else BASE_CSS) + (CONSULT_CSS if on else TOP_BAR_CSS))  # one
    if on:
        bar = st.container(key="consult_bar")  # one block, so print hides the whole bar
        # Top-aligned: an opened "Words explained" grows downward and leaves the buttons where they were.
        words, handout, share, leave = bar.columns([4, 2, 2, 3], vertical_alignment="top")
        with words, st.expander(_("Words explained"), icon=":material/menu_book:"):
            st.markdown("\n".join(f"- **{g.term}**: {g.plain}" for g in cnt.glossary))
        picks = st.session_state.get(HANDOUT_KEY, [])
        link = build.handout(picks, consult=True, doses=st.session_state.get(DOSE_KEY, {}))
        handout.page_link(
            nav.page(link.url_path),
            label=_("Handout ({count})").format(count=len(picks)),
            icon=":material/print:",
            query_params=lang.with_lang(link.query),
        )
        leave.button(_("Leave consult mode"), key="consult_exit", on_click=_leave_consult, icon=":material/close:")
        spot = share.container(key="share_link").empty()
    else:
        spot = st.container(key="share_link").empty()
    return spot


def view_url(*, patient_version: bool = False) -> str:
    """The address of the current view: the page's URL in the browser and this run's query parameters.

    ``patient_version`` leaves out the consult switch. Only link parameters are used, and these never hold a
    name, a note or a safety answer. The page path is put on the root the visitor reached (web/origin.py).
    """
    base = f"{site_origin().url}/{st.session_state.get(URL_PATH_KEY, '')}".rstrip("/")
    pairs = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    if patient_version:
        pairs = [(k, v) for k, v in pairs if k != CONSULT_KEY]
    return base + (f"?{urlencode(pairs)}" if pairs else "")


def share_link(spot: Any) -> None:
    """A "Copy link" control: the current address in a code block with Streamlit's own copy button (no CDN).

    Its body is built only when it is opened, and opening it reruns the whole page: so the address is the
    view on show even after the anatomy diagram's fragment moved the hip (a fragment rerun cannot refill it).
    """
    with spot.container():
        pop = st.popover(_("Copy link"), icon=":material/link:", key=SHARE_KEY, on_change="rerun")
    if not pop.open:
        return
    with pop:
        if consult():
            st.markdown(_("The patient's version of this view (without consult mode):"))
            st.code(view_url(patient_version=True), language=None, wrap_lines=True)
        else:
            st.markdown(_("The address of this view: copy it with the button beside it."))
            st.code(view_url(), language=None, wrap_lines=True)


def _leave_consult() -> None:
    st.session_state[CONSULT_KEY] = False


def consult() -> bool:
    return bool(st.session_state.get(CONSULT_KEY, False))
