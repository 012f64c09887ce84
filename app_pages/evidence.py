"""Evidence & references: the badge legend, every claim with its badge, every reference in full."""

import streamlit as st

from psoas_explorer.content import review
from psoas_explorer.evidence import text as evidence_text
from psoas_explorer.i18n import DEFAULT, trn
from psoas_explorer.links import pages as site
from psoas_explorer.web import evidence as evidence_view
from psoas_explorer.web import lang, links, nav, startup
from psoas_explorer.web.lang import _

cnt = startup.content()
st.title(nav.heading(site.page_by_url("evidence")))
st.markdown(
    _(
        "Every statement in this app carries an evidence badge and the references behind it. "
        "Here is what the badges mean, every claim we make, and what each study actually found."
    )
)

# Only the tab on show is built: the 44 references are ~40 kB of text that took a third of the first render.
tabs = {
    None: _("Claims and badges"),
    "references": _("References ({count})").format(count=len(cnt.references)),
    "log": _("Review log"),
}
link = links.url_values()
links.seed_tab("ev_tab", tabs, link.get("tab"))
links.seed("ev_badges", list(link.get("badge") or ()))
claims_tab, refs_tab, log_tab = st.tabs(list(tabs.values()), key="ev_tab", on_change="rerun")
if claims_tab.open:
    with claims_tab:
        st.header(_("What the badges mean"))
        st.markdown(evidence_text.legend_markdown(cnt, lang.current()))
        st.header(_("Every claim, its badge and its sources"))
        badge = st.segmented_control(
            _("Show claims with badge"),
            [b.id for b in cnt.evidence.badges],
            selection_mode="multi",
            key="ev_badges",
            persist_state="page",  # kept, and in the link, while another tab is open
        )
        claims = evidence_view.claims_table(cnt, badge or ())
        heads = evidence_text.column_labels(lang.current())
        shown = trn(
            lang.current(),
            "{count} claim shown. Their sources are in full under **References**.",
            "{count} claims shown. Their sources are in full under **References**.",
            claims.num_rows,
        )
        st.markdown(shown.format(count=claims.num_rows))
        st.dataframe(
            claims,
            key="ev_claims",
            width="stretch",
            column_config={  # the columns' ids stay English; their headings are in the page's language
                **{col: st.column_config.TextColumn(label) for col, label in heads.items()},
                "Claim": st.column_config.TextColumn(heads["Claim"], width="large"),
                "Badge": st.column_config.TextColumn(heads["Badge"], width=60),
            },
            alt=_("Every claim in the app with its evidence badge, qualifiers and references."),
        )
if refs_tab.open:
    with refs_tab:
        st.markdown(evidence_view.references_markdown(cnt))
if log_tab.open:
    with log_tab:
        st.header(_("When each item was checked, and against what"))
        st.markdown(
            _(
                "{reviewer} Each item is re-checked against the abstract or text of the references it cites "
                "at least every {years} years, and whenever a new study changes the picture."
            ).format(reviewer=_(review.REVIEWER), years=review.CYCLE_YEARS)
        )
        if lang.current() != DEFAULT:  # the records' notes are not translated (docs/translation.md)
            st.caption(_("What each review found is a record: it is shown as it was written, in English."))
        st.dataframe(
            evidence_view.review_log(cnt),
            key="ev_log",
            width="stretch",
            hide_index=True,
            column_config={
                col: st.column_config.TextColumn(label, width="large" if col == "What was checked" else None)
                for col, label in review.log_labels(lang.current()).items()
            },
            alt=_(
                "The review log: for every item, when it was checked, which sources were read and what was verified."
            ),
        )

links.write_url({"tab": links.open_tab("ev_tab", tabs), "badge": tuple(st.session_state.get("ev_badges") or ())})
