"""Handout (gated, reached by link): the print-friendly version of the patient handout."""

from datetime import date

import streamlit as st

from psoas_explorer import handout, ui
from psoas_explorer import technique_ui as tu

cnt = ui.content()
picks = list(ui.url_values().get("h") or st.session_state.get(tu.HANDOUT_KEY, []))
st.html(tu.PRINT_CSS)
st.title("Your psoas plan")
if not picks:
    st.info("No techniques chosen yet. Pick some on the Techniques page.", icon=":material/info:")
    st.page_link("app_pages/techniques.py", label="Go to Techniques", icon=":material/arrow_back:")
    st.stop()
tu.download_button(cnt, picks, key="h_pdf")
st.markdown("Print this page with your browser (Ctrl+P or ⌘P); menus and buttons are left out of the print.")
st.markdown(handout.handout_markdown(cnt, picks, date.today(), title=False))
