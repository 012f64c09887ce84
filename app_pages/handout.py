"""Handout (gated, reached by link): the print-friendly version of the patient handout."""

from datetime import date

import streamlit as st

from psoas_explorer.handout import markdown as sheet_md
from psoas_explorer.web import handout_builder as builder
from psoas_explorer.web import links, nav, startup

cnt = startup.content()
picks = builder.handout_picks(cnt)
doses = builder.handout_doses(cnt)
links.write_url({"h": picks, "d": doses})
st.html(builder.PRINT_CSS)
st.title("Your psoas plan")
if not picks:
    st.info("No techniques chosen yet. Pick some on the Techniques page.", icon=":material/info:")
    st.page_link(nav.page("techniques"), label="Go to Techniques", icon=":material/arrow_back:")
    st.stop()
who = builder.who_inputs("h")
paper = builder.paper_input("h")
builder.download_button(cnt, picks, key="h_pdf", who=who, paper=paper, doses=doses)
with st.container(key="print_hint"):  # frame.BASE_CSS hides it in print: a sheet does not print its own instruction
    st.markdown("Print this page with your browser (Ctrl+P or ⌘P); menus and buttons are left out of the print.")
st.markdown(
    sheet_md.handout_markdown(
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
