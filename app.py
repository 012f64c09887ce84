"""Psoas Explorer: page config, then the page served in its fixed order (web/router.py's serve)."""

import streamlit as st

from psoas_explorer.web import router, startup

st.set_page_config(page_title="Psoas Explorer", page_icon=startup.favicon(), layout="wide")
router.serve()
