"""Myths and questions: each myth against the evidence, each question answered, one search over both."""

import streamlit as st

from psoas_explorer.content import search, text
from psoas_explorer.links import pages as site
from psoas_explorer.search import catalog
from psoas_explorer.web import claims, links, startup
from psoas_explorer.web import search as find
from psoas_explorer.web.lang import current

cnt = startup.content()
st.title(site.page_by_url("myths-faq").heading)
values = links.url_values()
if "mf_query" not in st.session_state:
    st.session_state["mf_query"] = values["q"] or ""
query = st.text_input(
    "Search myths and questions", key="mf_query", placeholder="e.g. pain, sitting, breathing", max_chars=80, live=True
)
links.write_url({"q": query})
myths, faqs = catalog.myths_and_faqs(cnt, query, current())

if query and not (myths or faqs):
    st.info(f"Nothing matches “{search.plain(query)}”. Try a shorter or different word.", icon=":material/search_off:")
    find.elsewhere(cnt, query, catalog.ASKED)
elif query:
    st.markdown(f"{text.count(len(myths), 'myth')} and {text.count(len(faqs), 'question')} match.")

if myths:
    st.header("Myths")
    for m in myths:
        with st.container(border=True):
            claims.claim(f"**Common belief:** {m.belief}\n\n**What the evidence says:** {m.evidence_says}", m, cnt)
if faqs:
    st.header("Frequently asked questions")
    for q in faqs:
        with st.expander(q.question, expanded=bool(query)):
            claims.claim(q.answer, q, cnt)
