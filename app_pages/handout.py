"""Handout (gated, reached by link): the print-friendly version of the patient handout."""

from datetime import date

import streamlit as st

from psoas_explorer.handout import sheet as handout
from psoas_explorer.web import links, startup
from psoas_explorer.web import techniques as tu

cnt = startup.content()
picks = tu.handout_picks(cnt)
doses = tu.handout_doses(cnt)
links.write_url({"h": picks, "d": doses})
st.html(tu.PRINT_CSS)
st.title("Your psoas plan")
if not picks:
    st.info("No techniques chosen yet. Pick some on the Techniques page.", icon=":material/info:")
    st.page_link("app_pages/techniques.py", label="Go to Techniques", icon=":material/arrow_back:")
    st.stop()
who = tu.who_inputs("h")
paper = tu.paper_input("h")
tu.download_button(cnt, picks, key="h_pdf", who=who, paper=paper, doses=doses)
with st.container(key="print_hint"):  # frame.BASE_CSS hides it in print: a sheet does not print its own instruction
    st.markdown("Print this page with your browser (Ctrl+P or ⌘P); menus and buttons are left out of the print.")
st.markdown(
    handout.handout_markdown(
        cnt,
        picks,
        date.today(),
        title=False,
        patient=who.patient,
        clinician=who.clinician,
        note=who.note,
        doses=doses,
    )
)
