"""Evidence as words and tables: badge legend, claims table, references with their identifiers.

Pure functions of the content (no Streamlit): the handout and the evidence page both use them.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

import pandas as pd

from psoas_explorer.content import model as c


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
                f"- **What it found:** {' '.join(f.texts().values())}",
                f"- **Limits:** {f.limits}",
                f"- **What it supports:** {f.supports}",
            ]
        )
    return text
