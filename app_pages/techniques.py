"""Techniques (gated): the five technique types; the filterable catalog follows."""

import streamlit as st

from psoas_explorer import site, ui

cnt = ui.content()
st.title(site.page_by_url("techniques").heading)

st.header("The five kinds of technique")
for t in cnt.technique_types:
    with st.container(border=True, key=f"type_{t.id}"):
        st.subheader(t.name)
        st.markdown(t.summary)
        st.markdown(f"**Who does it:** {t.who}  \n**Cost and time:** {t.cost_time}  \n**Take care:** {t.caution}")
        ui.evidence(t, cnt)
