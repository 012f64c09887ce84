"""Anatomy: where the psoas runs, what it does and what lies next to it."""

import streamlit as st

from psoas_explorer import site, ui

cnt = ui.content()
st.title(site.page_by_url("anatomy").heading)
for fact in cnt.anatomy.facts:
    st.markdown(f"**{fact.title}.** {fact.text}")
    ui.evidence(fact, cnt)
