"""Search: one box over everything, results grouped by kind, each a link to where it is shown."""

import streamlit as st

from psoas_explorer.links import pages as site
from psoas_explorer.web import links, nav, startup
from psoas_explorer.web import search as find

cnt = startup.content()
st.title(nav.heading(site.page_by_url("search")))
query = find.box()
links.write_url({"q": query})
find.results(cnt, query)
