"""Techniques (gated): find a technique by goal and audience, screen for safety, build a handout."""

import streamlit as st

from psoas_explorer.links import pages as site
from psoas_explorer.techniques import filters
from psoas_explorer.web import finder, links, nav, startup
from psoas_explorer.web import handout_builder as builder
from psoas_explorer.web.lang import _

cnt = startup.content()
st.title(nav.heading(site.page_by_url("techniques")))
st.markdown(
    _(
        "Filter by what you want help with and who you are. Every technique shows how strong its evidence is; "
        "**X** means research does not support it. Open a technique for its steps and when to stop."
    )
)
finder.seed_from_url(links.url_values())
builder.seed_sheet_lang()

# Only the tab on show is built (on_change="rerun"): hidden tabs would cost their messages on every rerun.
tabs = {None: _("Find a technique"), "handout": finder.handout_tab_label(cnt), "kinds": _("Five kinds")}
links.seed_tab("t_tab", tabs, links.url_values().get("tab"))
find, plan, kinds = st.tabs(list(tabs.values()), key="t_tab", on_change="rerun")
chosen = finder.chosen_filters()
if find.open:
    with find:
        screen = finder.safety_screen(cnt)
        finder.filter_widgets(cnt)
        matched = finder.matching(cnt, chosen)
        shown, blocked = filters.split_by_screen(matched, screen)
        finder.summary_line(cnt, chosen, len(shown), len(cnt.techniques.techniques), len(blocked))
        finder.hidden_panel(cnt, blocked, screen)
        if not matched:
            st.info(_("No technique matches all these filters."), icon=":material/search_off:")
            finder.relax_hints(cnt, chosen)
        finder.cards(cnt, shown, chosen)
if plan.open:
    with plan:
        builder.handout_panel(cnt)
if kinds.open:
    with kinds:
        finder.technique_kinds(cnt)

picks, doses = builder.handout_picks(cnt), builder.handout_doses(cnt)
links.write_url(
    {
        **filters.values_from_filters(chosen, picks, doses),
        "tab": links.open_tab("t_tab", tabs),
        "hl": builder.sheet_lang_link(),
    }
)
