"""Streamlit building blocks shared by the router and the pages.

Everything here draws; the decisions it draws from (content, filters,
geometry, parameters) live in the pure modules beside it.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.content import review, vocab
from psoas_explorer.links import pages as site
from psoas_explorer.links import params
from psoas_explorer.techniques import filters

_log = logging.getLogger("psoas_explorer")
HANDOUT_KEY = "t_handout"  # technique ids picked for the handout (session only, mirrored in the link as h)
ACK_KEY = "safety_ack"  # session-only: one visitor's acknowledgement never unlocks another's


@st.cache_resource(show_spinner=False)
def _load_content(folder: str) -> c.Content:
    # cache_resource, not cache_data: the model is frozen, so sharing one object is safe and costs no copy.
    return c.load_content(Path(folder))


def content() -> c.Content:
    """The validated content, or a readable stop screen naming the broken file, entry and field."""
    try:
        return _load_content(str(c.data_dir()))
    except c.ContentError as exc:
        st.error(
            f"Psoas Explorer cannot show this page because a content file is broken.\n\n{exc}",
            icon=":material/warning:",
        )
        st.stop()


_frozen = False


def freeze_startup_heap() -> None:
    """Once per process, move everything alive after the imports and the content load into the
    permanent GC generation, so Python's full collections skip it (see benchmarks/RESULTS.md).

    Set PSOAS_GC_FREEZE=0 to switch it off (the benchmark does, to compare settings).
    """
    global _frozen
    if _frozen or os.environ.get("PSOAS_GC_FREEZE") == "0":
        return
    _frozen = True
    for module in (
        "plotly.graph_objects",
        "pandas",
        "fpdf",
        "psoas_explorer.anatomy.figures",
        "psoas_explorer.techniques.filters",
    ):
        importlib.import_module(module)  # the pages' libraries, imported now so they are frozen too
    gc.collect()
    gc.freeze()


def run_page(page: Any) -> None:
    """Run the page; anything unexpected becomes a calm message for the visitor, the traceback goes to the log."""
    try:
        page.run()
    except Exception:  # st.stop/st.rerun are BaseExceptions and pass through untouched
        _log.exception("Unexpected error on page %r", page.url_path)
        st.error(
            "Sorry, something went wrong on this page. It has been logged. Try again, or go back to the home page.",
            icon=":material/error:",
        )
        st.page_link(site.PAGES[0].file, label="Back to the home page", icon=":material/home:")


def review_footer(url_path: str, cnt: c.Content) -> None:
    """'Last reviewed … · Next review due …' and who reviewed, under every page, linked to the review log."""
    st.divider()
    st.markdown(_review_caption(cnt, str(c.data_dir()), site.page_by_url(url_path).reviewed))  # full contrast


@st.cache_resource(show_spinner=False)
def _review_caption(_cnt: c.Content, folder: str, files: tuple[str, ...] | None) -> str:
    return (
        f"{review.review_line(_cnt, files)}. {review.REVIEWER} "
        "Every item's check is listed in the review log on the Evidence page."
    )


_PAGES_KEY = "nav_pages"


def navigation() -> Any:
    """Register every page of the site.PAGES registry with st.navigation and return the current one.

    The st.Page objects are built once per session (resolving six paths cost ~1 ms on every rerun). They
    are not shared between sessions: st.navigation marks the chosen page as callable on the object itself.
    """
    pages = st.session_state.get(_PAGES_KEY)
    if pages is None:
        pages = st.session_state[_PAGES_KEY] = [
            st.Page(
                p.file,
                title=p.title,
                icon=p.icon,
                default=not p.url_path,
                visibility="hidden" if p.hidden else "visible",
                **({"url_path": p.url_path} if p.url_path else {}),
            )
            for p in site.PAGES
        ]
    return st.navigation(pages, position="sidebar")


def warning_markdown(cnt: c.Content) -> str:
    """The whole warning: the short version, every point, the stop signs and the red flags."""
    s = cnt.safety
    lines = [s.short, "", *[f"- {p}" for p in s.points], "", "**Stop at once if:**", *[f"- {p}" for p in s.stop_signs]]
    lines += ["", f"**{filters.RED_FLAGS_HEADING}**", *[f"- {f.label}" for f in s.red_flags]]
    return "\n".join(lines)


_TO_TOP_KEY = "gate_to_top"
# Constant script, run once right after "I understand": the browser keeps the scroll position of the long
# warning (the page's own URL is reopened, so Streamlit does not scroll), which would open the page halfway
# down its technique cards instead of at its heading and filters.
# It also moves keyboard focus to the page's heading (once it is drawn), so the next Tab reaches the page's
# own controls instead of starting again from the top of the document (15 Tabs to the first filter).
SCROLL_TO_TOP_JS = """<script>
(() => {
  const main = document.querySelector('[data-testid="stMain"]');
  main?.scrollTo(0, 0);
  let tries = 0;
  const focusHeading = () => {
    const h1 = main?.querySelector('h1');
    if (h1 && !/safety first/i.test(h1.textContent)) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({preventScroll: true});
    } else if (tries++ < 40) {
      setTimeout(focusHeading, 50);
    }
  };
  focusHeading();
})();
</script>"""


def gate(url_path: str, cnt: c.Content) -> None:
    """Show the safety warning instead of a gated page until this session acknowledges it."""
    if url_path not in site.GATED_URL_PATHS:
        return
    if st.session_state.get(ACK_KEY):
        if st.session_state.pop(_TO_TOP_KEY, False):
            st.html(SCROLL_TO_TOP_JS, unsafe_allow_javascript=True)
        return
    st.title("Before you continue: safety first")
    st.warning(warning_markdown(cnt), icon=":material/warning:")
    if st.button("I understand: show me the techniques", key="gate_ack", type="primary"):
        st.session_state[ACK_KEY] = st.session_state[_TO_TOP_KEY] = True
        # Reopen the page with the same URL and query string, at its heading.
        st.switch_page(site.page_by_url(url_path).file, query_params=_query_lists())
    st.stop()


def _query_lists() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


# On every page: evidence badges wrap instead of ending in "…" (Streamlit cuts them to one line), so a phone
# shows the whole grade, e.g. "Evidence B: May be true: low certainty".
BASE_CSS = """<style>
.stMain .stMarkdownBadge { white-space: normal !important; }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .st-key-consult_bar,
  .st-key-print_hint, [data-testid="stToast"], [data-testid="stBottom"] { display: none !important; }
  /* The scroll container and its bottom padding would print as an empty last page. */
  [data-testid="stAppViewContainer"], [data-testid="stMain"] { height: auto !important; overflow: visible !important; }
  [data-testid="stMainBlockContainer"] { padding-bottom: 0 !important; min-height: 0 !important; }
}
</style>"""

CONSULT_CSS = """<style>
.stMain { font-size: 1.25rem; }
.stMain h1 { font-size: 2.6rem; }
.stMain h2 { font-size: 2rem; }
.stMain h3 { font-size: 1.6rem; }
.stMain [data-testid="stMarkdownContainer"] p, .stMain li { font-size: 1.25rem; line-height: 1.6; }
.stMain [data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
.stMain [data-testid="stMetricValue"], .stMain [data-testid="stMetricValue"] p { font-size: 2.8rem; line-height: 1.2; }
.stMain [data-testid="stMetricDelta"] p { font-size: 1rem; }
</style>"""


def frame(cnt: c.Content) -> None:
    """What every page shares: the full warning and the consult switch in the sidebar; consult styling."""
    with st.sidebar:
        st.toggle(
            "Consult mode",
            key=CONSULT_KEY,
            help="A patient-facing view: large type, plain words, the sidebar tucked away.",
        )
        if box := lazy_expander("Safety warning", key="side_warning", icon=":material/warning:"):
            box.markdown(warning_markdown(cnt))
        st.markdown(cnt.safety.disclaimer)
    st.session_state[_CONSULT_SHOWN] = consult()
    if consult() != ("consult" in st.query_params):  # keep the switch in shared links
        if consult():
            st.query_params[CONSULT_KEY] = "1"
        else:
            del st.query_params[CONSULT_KEY]
    st.set_page_config(initial_sidebar_state="collapsed" if consult() else "auto")
    st.html(BASE_CSS + (CONSULT_CSS if consult() else ""))  # one element either way
    if consult():
        bar = st.container(key="consult_bar")  # one block, so print hides the whole bar
        # Top-aligned: an opened "Words explained" grows downward and leaves the buttons where they were.
        words, handout, leave = bar.columns([5, 2, 3], vertical_alignment="top")
        with words, st.expander("Words explained", icon=":material/menu_book:"):
            st.markdown("\n".join(f"- **{g.term}**: {g.plain}" for g in cnt.glossary))
        picks = st.session_state.get(HANDOUT_KEY, [])
        handout.page_link(
            "app_pages/handout.py",
            label=f"Handout ({len(picks)})",
            icon=":material/print:",
            query_params={"h": picks, CONSULT_KEY: "1"},
        )
        leave.button("Leave consult mode", key="consult_exit", on_click=_leave_consult, icon=":material/close:")


def _leave_consult() -> None:
    st.session_state[CONSULT_KEY] = False


# --- evidence display -----------------------------------------------------------------


def badge_chip(badge: str, cnt: c.Content) -> str:
    """One evidence badge: its letter and plain label in its colour (never colour alone)."""
    info = next(b for b in cnt.evidence.badges if b.id == badge)
    return f":{vocab.BADGE_COLOURS[badge]}-badge[Evidence {badge}: {info.label}]"


def badge_markdown(ev: c.Evidence, cnt: c.Content) -> str:
    """Badge letter and plain label, then qualifier chips."""
    chips = {ch.id: ch.label for ch in cnt.evidence.chips}
    return " ".join([badge_chip(ev.badge, cnt), *(f":gray-badge[{chips[ch]}]" for ch in ev.chips)])


def sources_markdown(ev: c.Evidence, cnt: c.Content) -> str:
    names = [cnt.reference(r).short for r in ev.refs]
    return "Sources: " + "; ".join(names)


def claim_markdown(text: str, ev: c.Evidence, cnt: c.Content) -> str:
    """A claim closed by its badge line and its sources line."""
    return f"{text}\n\n{badge_markdown(ev, cnt)}  \n{sources_markdown(ev, cnt)}"


def claim(text: str, ev: c.Evidence, cnt: c.Content) -> None:
    """A claim and its evidence as one Markdown element: every element is a message on every rerun."""
    st.markdown(claim_markdown(text, ev, cnt))


def claims(items: Sequence[tuple[str, c.Evidence]], cnt: c.Content) -> None:
    """Several claims in one Markdown element, separated by rules."""
    st.markdown("\n\n---\n\n".join(claim_markdown(text, ev, cnt) for text, ev in items))


def lazy_expander(label: str, key: str, **kwargs: Any) -> Any | None:
    """An expander whose body runs only while it is open; returns the container, or None when closed.

    Closed content costs nothing on a rerun. Widgets inside need `persist_state="page"` so their
    values outlive the expander being closed.
    """
    box = st.expander(label, key=key, on_change="rerun", **kwargs)
    return box if box.open else None


# --- query parameters and consult mode ---------------------------------------------------

URL_KEY = "_url_values"  # this run's validated query parameters (not a widget key)
CONSULT_KEY = "consult"
_CONSULT_SHOWN = "_consult_shown"
_WRITTEN = "_url_written"  # page url_path -> the page's own parameters as this session last wrote them
_LINK_OPENED = "_link_opened"
_PATH = "_url_path"
_SPEC = "_url_spec"  # this page's parameters, as read_url validated them


@st.cache_resource(show_spinner=False)
def _page_params(url_path: str, folder: str, _cnt: c.Content) -> tuple[params.Param, ...]:
    return site.page_params(url_path, _cnt)


def page_params(url_path: str, cnt: c.Content) -> tuple[params.Param, ...]:
    """The page's link parameters (its own, then the global ones), built once per page and content folder."""
    return _page_params(url_path, str(c.data_dir()), cnt)


def read_url(url_path: str, cnt: c.Content) -> None:
    """Validate the page's query parameters once per run: notices for what was dropped, a cleaned URL."""
    spec = page_params(url_path, cnt)
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    values, notices = params.parse(raw, spec)
    for note in notices:
        st.info(note, icon=":material/link_off:")
    if notices:
        st.query_params.from_dict(params.encode(values, spec))
    st.session_state[URL_KEY] = values
    # A link was opened (first visit, a pasted or shared link, back/forward) when this run's address differs
    # from the one the app itself last wrote for this page: then the link leads and seeds the widgets;
    # otherwise the widgets lead and the address follows them.
    own = {k: v for k, v in params.encode(values, spec).items() if k != CONSULT_KEY}
    st.session_state[_LINK_OPENED] = st.session_state.get(_WRITTEN, {}).get(url_path) != own
    st.session_state[_PATH] = url_path
    st.session_state[_SPEC] = spec
    # A link that says consult=1/0 switches the mode when it differs from what this session last showed;
    # a URL without it (after page navigation) keeps the session's choice.
    if CONSULT_KEY in raw and st.session_state.get(_CONSULT_SHOWN) != values[CONSULT_KEY]:
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


def url_values() -> dict[str, Any]:
    """The validated query parameters of this run (read_url has run in app.py)."""
    return st.session_state.get(URL_KEY, {})


def write_url(values: dict[str, Any]) -> None:
    """Keep the address bar in step with the view so a copied link reopens it (this page's parameters)."""
    spec = st.session_state[_SPEC]
    wanted = params.encode({**values, CONSULT_KEY: consult()}, spec)
    written = st.session_state.setdefault(_WRITTEN, {})
    written[st.session_state.get(_PATH, "")] = {k: v for k, v in wanted.items() if k != CONSULT_KEY}
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if {k: st.query_params.get_all(k) for k in st.query_params} != as_lists:
        st.query_params.from_dict(wanted)


def consult() -> bool:
    return bool(st.session_state.get(CONSULT_KEY, False))
