"""Any address that is no page of ours: what happened in plain words, and the way to every page."""

import streamlit as st

from psoas_explorer.links import pages as site
from psoas_explorer.web import nav
from psoas_explorer.web.lang import _

st.title(nav.heading(site.NOT_FOUND))
st.markdown(
    _(
        "The address you opened does not match any page of Psoas Explorer. It may have been typed or copied with a "
        "mistake, or the page has moved. Nothing is wrong with your device. Choose where to go:"
    )
)
nav.links()
