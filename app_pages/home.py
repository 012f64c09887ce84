"""Home: what the app is, for whom, the warning in short, and the way to every page."""

import streamlit as st

from psoas_explorer.links import pages as site
from psoas_explorer.web import claims, gate, links, nav, startup, widgets
from psoas_explorer.web import search as find
from psoas_explorer.web.lang import _

cnt = startup.content()
ov = cnt.overview

st.title(nav.heading(site.page_by_url("")))
st.markdown(f"**{ov.tagline}**\n\n{ov.intro}")
find.form("home")

st.warning(cnt.safety.short, icon=":material/warning:")
if box := widgets.lazy_expander(_("Read the full safety warning"), key="home_warning"):
    box.markdown(gate.warning_markdown(cnt))

left, right = st.columns(2, gap="large")
with left:
    st.header(_("Who it is for"))
    st.markdown("\n".join(f"- {a}" for a in ov.audiences))
with right:
    st.header(_("Explore"))
    nav.links(first=1)  # every page but this one

for stat in ov.statistics:
    with st.container(border=True):
        claims.claim(f"### {stat.value}\n\n{stat.text}", stat, cnt)

st.header(_("Common problems people link to the psoas"))
for fact in ov.problems:
    with st.container(border=True):
        claims.claim(f"**{fact.title}**\n\n{fact.text}", fact, cnt)

st.header(_("What massage is claimed to do, and what research shows"))
labels = {(g.id if i else None): g.audience for i, g in enumerate(ov.benefits)}
links.seed_tab("home_benefits", labels, links.url_values().get("tab"))
tabs = st.tabs(list(labels.values()), key="home_benefits", on_change="rerun")
for tab, group in zip(tabs, ov.benefits, strict=True):
    if tab.open:  # only the tab on show is built and sent
        with tab:
            claims.claims([(f"**{f.title}**\n\n{f.text}", f) for f in group.items], cnt)

links.write_url({"tab": links.open_tab("home_benefits", labels)})
