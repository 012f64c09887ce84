"""Techniques (gated): find a technique by goal and audience, screen for safety, build a handout."""

import streamlit as st

from psoas_explorer.links import pages as site
from psoas_explorer.techniques import filters
from psoas_explorer.web import links, startup
from psoas_explorer.web import techniques as tu

cnt = startup.content()
st.title(site.page_by_url("techniques").heading)
st.markdown(
    "Filter by what you want help with and who you are. Every technique shows how strong its evidence is; "
    "**X** means research does not support it. Open a technique for its steps and when to stop."
)
tu.seed_from_url(links.url_values())

# Only the tab on show is built (on_change="rerun"): hidden tabs would cost their messages on every rerun.
find, plan, kinds = st.tabs(
    ["Find a technique", tu.handout_tab_label(cnt), "Five kinds"], key="t_tab", on_change="rerun"
)
chosen = tu.chosen_filters()
if find.open:
    with find:
        screen = tu.safety_screen(cnt)
        tu.filter_widgets(cnt)
        matched = tu.matching(cnt, chosen)
        shown, blocked = filters.split_by_screen(matched, screen)
        tu.summary_line(cnt, chosen, len(shown), len(cnt.techniques.techniques), len(blocked))
        tu.hidden_panel(cnt, blocked, screen)
        if not matched:
            st.info("No technique matches all these filters.", icon=":material/search_off:")
            tu.relax_hints(cnt, chosen)
        tu.cards(cnt, shown, chosen)
if plan.open:
    with plan:
        tu.handout_panel(cnt)
if kinds.open:
    with kinds:
        tu.technique_kinds(cnt)

links.write_url(filters.values_from_filters(chosen, tu.handout_picks(cnt), tu.handout_doses(cnt)))
