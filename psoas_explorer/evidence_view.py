"""Tables and text for the evidence page, built from content.

The builders are pure; `claims_table` and `references_markdown` keep one built copy per process, because
the content never changes while the app runs and the page is otherwise rebuilt on every rerun.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import streamlit as st

from psoas_explorer import content as c
from psoas_explorer import review


def doi_url(doi: str) -> str:
    # DOIs may hold parentheses, which would end a Markdown link early.
    return "https://doi.org/" + quote(doi, safe="/:.-_;")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def legend_markdown(cnt: c.Content) -> str:
    """The badge legend as a list: every word reads in full, on a phone too (a grid or a table cut it off)."""
    return "\n".join(f"- **{b.id}: {b.label}.** {b.detail} *Roughly:* {b.mapping}" for b in cnt.evidence.badges)


def claims_frame(cnt: c.Content, badges: Collection[str] | None = None) -> pd.DataFrame:
    """One row per claim shown anywhere in the app, optionally only some badges.

    The badge comes first: it is what a reader scans for, and on a phone the grid shows only its first columns.
    """
    chips = {ch.id: ch.label for ch in cnt.evidence.chips}
    rows = [
        {
            "Badge": ev.badge,
            "Claim": statement,
            "Section": section,
            "Qualifiers": ", ".join(chips[ch] for ch in ev.chips),
            "References": "; ".join(cnt.reference(r).short for r in ev.refs),
        }
        for section, statement, ev in cnt.claims()
        if not badges or ev.badge in badges
    ]
    return pd.DataFrame(rows, columns=["Badge", "Claim", "Section", "Qualifiers", "References"])


def reference_markdown(ref: c.Reference) -> str:
    """Full citation, identifiers as links, and what the study found."""
    ids = []
    if ref.doi:
        ids.append(f"DOI [{ref.doi}]({doi_url(ref.doi)})")
    if ref.pmid:
        ids.append(f"PubMed [{ref.pmid}]({pubmed_url(ref.pmid)})")
    if ref.pmcid:
        ids.append(f"PMC [{ref.pmcid}](https://pmc.ncbi.nlm.nih.gov/articles/{ref.pmcid}/)")
    if ref.url:
        ids.append(f"[Source page]({ref.url})")
    lines = [ref.citation]
    if ids:
        lines.append(" · ".join(ids))
    if ref.cited_by_source:
        lines.append("*Cited by the guide this app grew from.*")
    if ref.note:
        lines.append(f"Note: {ref.note}")
    text = "\n\n".join(lines)
    if f := ref.findings:
        text += "\n\n" + "\n".join(
            [
                f"- **Design:** {f.design}",
                f"- **Who took part:** {f.participants}",
                f"- **What it found:** {f.result}",
                f"- **Limits:** {f.limits}",
                f"- **What it supports:** {f.supports}",
            ]
        )
    return text


@st.cache_resource(show_spinner=False)
def _references_markdown(_cnt: c.Content, folder: str) -> str:
    refs = (f"### {ref.short}\n\n{reference_markdown(ref)}" for ref in _cnt.references)
    return "\n\n".join(["## Every reference, and what it found", *refs])


def references_markdown(cnt: c.Content) -> str:
    """Every reference under its own heading, as one Markdown element (one message per rerun, not 88)."""
    return _references_markdown(cnt, str(c.data_dir()))


@st.cache_resource(show_spinner=False, max_entries=128)
def _claims_table(_cnt: c.Content, folder: str, badges: tuple[str, ...]) -> pa.Table:
    return pa.Table.from_pandas(claims_frame(_cnt, badges or None), preserve_index=False)


def claims_table(cnt: c.Content, badges: Collection[str] = ()) -> pa.Table:
    """The claims (optionally only some badges) as a shared, read-only Arrow table."""
    return _claims_table(cnt, str(c.data_dir()), tuple(sorted(badges)))


@st.cache_resource(show_spinner=False)
def _review_log(_cnt: c.Content, folder: str) -> pa.Table:
    return pa.Table.from_pylist(review.log_rows(_cnt))


def review_log(cnt: c.Content) -> pa.Table:
    """The review log as a shared, read-only Arrow table (built once per content folder)."""
    return _review_log(cnt, str(c.data_dir()))
