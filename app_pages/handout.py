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
today = date.today()
st.download_button(
    "Download PDF",
    data=tu.handout_pdf(cnt, tuple(picks), today),
    file_name=f"psoas-handout-{today.isoformat()}.pdf",
    mime="application/pdf",
    key="h_pdf",
    icon=":material/download:",
)
st.markdown("Print this page with your browser (Ctrl+P or ⌘P); menus and buttons are left out of the print.")
body = handout.handout_markdown(cnt, picks, today)
st.markdown(body.partition("\n")[2] if body.startswith("# ") else body)
