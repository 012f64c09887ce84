"""Psoas Explorer: page config, navigation, the safety gate, then the page."""

from pathlib import Path

import streamlit as st

from psoas_explorer.web import ui

st.set_page_config(
    page_title="Psoas Explorer", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide"
)
page = ui.navigation()
content = ui.content()
ui.freeze_startup_heap()
ui.read_url(page.url_path, content)
ui.frame(content)
ui.gate(page.url_path, content)
ui.run_page(page)
ui.review_footer(page.url_path, content)
