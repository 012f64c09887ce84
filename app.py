"""Psoas Explorer: page config, then the page served in its fixed order (web/router.py's serve)."""

from pathlib import Path

import streamlit as st

from psoas_explorer.web import router

st.set_page_config(
    page_title="Psoas Explorer", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide"
)
router.serve()
