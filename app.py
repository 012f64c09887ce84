"""Psoas Explorer: page config, navigation, the safety gate, then the page."""

import streamlit as st

from psoas_explorer import ui

st.set_page_config(page_title="Psoas Explorer", page_icon=":material/accessibility_new:", layout="wide")
page = ui.navigation()
content = ui.content()
ui.freeze_startup_heap()
ui.read_url(page.url_path, content)
ui.frame(content)
ui.gate(page.url_path, content)
ui.run_page(page)
