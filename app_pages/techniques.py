"""Techniques (gated): find a technique by goal and audience, screen for safety, build a handout."""

import streamlit as st

from psoas_explorer import filters, site, ui
from psoas_explorer import technique_ui as tu
from psoas_explorer.text import md_escape

cnt = ui.content()
st.title(site.page_by_url("techniques").heading)
st.markdown(
    "Filter by what you want help with and who you are. Every technique shows how strong its evidence is; "
    "**X** means research does not support it. Open a technique for its steps and when to stop."
)
spec = filters.technique_params(cnt)
tu.seed_from_url(ui.url_values())

find, plan, kinds = st.tabs(["Find a technique", "Your handout", "The five kinds of technique"])
with find:
    screen = tu.safety_screen(cnt)
    chosen = tu.filter_widgets(cnt)
    matched = tu.matching(cnt, chosen)
    shown, blocked = filters.split_by_screen(matched, screen)
    tu.summary_line(cnt, chosen, len(shown), len(cnt.techniques.techniques))
    if not matched:
        st.info("No technique matches all these filters.", icon=":material/search_off:")
        kit = {e.id: e.name for e in cnt.techniques.equipment}
        for tip in filters.relax_suggestions(tu.catalog(cnt), chosen, kit):
            st.markdown(f"- {md_escape(tip)}")
    for tid in shown:
        tu.technique_card(cnt, cnt.technique(tid))
    tu.blocked_list(cnt, blocked, screen)
with plan:
    picks = tu.handout_panel(cnt)
with kinds:
    for t in cnt.technique_types:
        with st.container(border=True, key=f"type_{t.id}"):
            st.subheader(t.name)
            st.markdown(t.summary)
            st.markdown(f"**Who does it:** {t.who}  \n**Cost and time:** {t.cost_time}  \n**Take care:** {t.caution}")
            ui.evidence(t, cnt)

ui.write_url(filters.values_from_filters(chosen, picks), spec)
