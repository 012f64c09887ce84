"""The safety warning that gates every page teaching technique, once per browser session (web/ack.py)."""

from __future__ import annotations

import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.links import pages as site
from psoas_explorer.techniques import filters
from psoas_explorer.web import ack


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
    if ack.acknowledged(text := warning_markdown(cnt)):  # in this session, or another tab of the browser
        if st.session_state.pop(_TO_TOP_KEY, False):
            st.html(SCROLL_TO_TOP_JS, unsafe_allow_javascript=True)
        return
    st.title("Before you continue: safety first")
    st.warning(text, icon=":material/warning:")
    if st.button("I understand: show me the techniques", key="gate_ack", type="primary"):
        ack.remember(text)
        st.session_state[_TO_TOP_KEY] = True
        # Reopen the page with the same URL and query string, at its heading.
        st.switch_page(site.page_by_url(url_path).file, query_params=_query_lists())
    st.stop()


def _query_lists() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}
