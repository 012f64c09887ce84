"""Handout (gated, reached by link and the sheet's QR code): the patient's view of the plan (web/patient.py)."""

import streamlit as st

from psoas_explorer.web import handout_builder as builder
from psoas_explorer.web import links, nav, patient, startup
from psoas_explorer.web.lang import _

cnt = startup.content()
picks = builder.handout_picks(cnt)
doses = builder.handout_doses(cnt)
builder.seed_sheet_lang()
links.write_url({"h": picks, "d": doses, "hl": builder.sheet_lang_link()})
if not picks:
    st.title(_(patient.TITLE))
    st.info(_("No techniques chosen yet. Pick some on the Techniques page."), icon=":material/info:")
    st.page_link(nav.page("techniques"), label=_("Go to Techniques"), icon=":material/arrow_back:")
    st.stop()
patient.view(cnt, picks, doses)
