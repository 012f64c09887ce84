"""Myths and questions: each myth against the evidence, each question answered, one search over both."""

import streamlit as st

from psoas_explorer.content import search
from psoas_explorer.i18n import trn
from psoas_explorer.links import pages as site
from psoas_explorer.search import catalog
from psoas_explorer.web import claims, lang, links, nav, startup
from psoas_explorer.web import search as find
from psoas_explorer.web.lang import _

cnt = startup.content()
st.title(nav.heading(site.page_by_url("myths-faq")))
values = links.url_values()
if "mf_query" not in st.session_state:
    st.session_state["mf_query"] = values["q"] or ""
query = st.text_input(
    _("Search myths and questions"),
    key="mf_query",
    placeholder=_("e.g. pain, sitting, breathing"),
    max_chars=80,
    live=True,
)
links.write_url({"q": query})
myths, faqs = catalog.myths_and_faqs(cnt, query, lang.current())

if query and not (myths or faqs):
    st.info(
        _("Nothing matches “{query}”. Try a shorter or different word.").format(query=search.plain(query)),
        icon=":material/search_off:",
    )
    find.elsewhere(cnt, query, catalog.ASKED)
elif query:
    here = lang.current()
    found_myths = trn(here, "{count} myth", "{count} myths", len(myths)).format(count=len(myths))
    found_faqs = trn(here, "{count} question", "{count} questions", len(faqs)).format(count=len(faqs))
    st.markdown(_("{myths} and {questions} match.").format(myths=found_myths, questions=found_faqs))

if myths:
    st.header(_("Myths"))
    for m in myths:
        with st.container(border=True):
            says = _("**Common belief:** {belief}\n\n**What the evidence says:** {evidence}")
            claims.claim(says.format(belief=m.belief, evidence=m.evidence_says), m, cnt)
if faqs:
    st.header(_("Frequently asked questions"))
    for q in faqs:
        with st.expander(q.question, expanded=bool(query)):
            claims.claim(q.answer, q, cnt)
