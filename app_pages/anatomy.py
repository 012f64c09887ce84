"""Anatomy: the psoas on real model geometry, with views, layers, a hip-flexion slider and details."""

import streamlit as st

from psoas_explorer.anatomy import description as av
from psoas_explorer.links import pages as site
from psoas_explorer.web import anatomy as au
from psoas_explorer.web import claims, lang, links, nav, startup
from psoas_explorer.web.lang import _

cnt = startup.content()
geom = au.geometry(lang.current())
st.title(nav.heading(site.page_by_url("anatomy")))
au.seed_from_url(links.url_values())
au.phone_layout()  # on a phone: view and layers in a bar above the diagram

au.explorer(cnt)  # a fragment: moving the slider or switching layers reruns only the diagram and its controls

left, right = st.columns([2, 3], gap="large")
with left:
    chosen = au.landmark_picker()
au.details_on_select(cnt, chosen)  # a new selection's details open in a dialog, in view without scrolling
with right:
    if chosen:
        au.landmark_details(cnt, chosen)
    else:
        st.markdown(
            _("Click a marker on the diagram, or choose a landmark, to see what attaches there and why it matters.")
        )

about = _(
    "**About the numbers.** Lengths are computed from a published computer model (OpenSim gait2392), not measured "
    "in people. That sitting *keeps* the psoas short over time is widely assumed but has not been shown."
)
sitting = next((f for f in cnt.anatomy.facts if f.id == "sitting_length"), None)
if sitting:
    claims.claim(about, sitting, cnt)
else:
    st.markdown(about)

st.header(_("The essentials"))
facts = [(f"**{f.title}.** {f.text}", f) for f in cnt.anatomy.facts]
half = (len(facts) + 1) // 2
for column, part in zip(st.columns(2, gap="large"), (facts[:half], facts[half:]), strict=True):
    with column:
        claims.claims(part, cnt)

st.header(_("Where sources disagree"))
claims.claims([(f"**{f.title}.** {f.text}", f) for f in cnt.anatomy.disagreements], cnt)

st.header(_("Where the drawing comes from"))
st.markdown(av.model_credits(geom))
