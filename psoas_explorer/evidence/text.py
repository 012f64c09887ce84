"""Evidence as words and tables: badge legend, claims table, references with their identifiers.

Pure functions of the content (no Streamlit): the handout and the evidence page both use them.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

import pandas as pd

from psoas_explorer.content import model as c
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr


def doi_url(doi: str) -> str:
    # DOIs may hold parentheses, which would end a Markdown link early.
    return "https://doi.org/" + quote(doi, safe="/:.-_;")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def legend_markdown(cnt: c.Content, lang: Lang = DEFAULT) -> str:
    """The badge legend as a list: every word reads in full, on a phone too (a grid or a table cut it off). The
    badges' words (GRADE's certainty among them) are content: ``cnt`` holds them in its language."""
    roughly = tr(lang, "*Roughly:*")
    return "\n".join(f"- **{b.id}: {b.label}.** {b.detail} {roughly} {b.mapping}" for b in cnt.evidence.badges)


# The claims table's columns: the frame keeps these English names as its ids (the page's column settings use
# them); a visitor reads each as ``column_labels(lang)`` says.
COLUMNS = (N_("Badge"), N_("Claim"), N_("Section"), N_("Qualifiers"), N_("References"))


def column_labels(lang: Lang = DEFAULT) -> dict[str, str]:
    """Each claims-table column's heading in ``lang``, by its id."""
    return {col: tr(lang, col) for col in COLUMNS}


def claims_frame(cnt: c.Content, badges: Collection[str] | None = None, lang: Lang = DEFAULT) -> pd.DataFrame:
    """One row per claim shown anywhere in the app, optionally only some badges.

    The badge comes first: it is what a reader scans for, and on a phone the grid shows only its first columns.
    """
    chips = {ch.id: ch.label for ch in cnt.evidence.chips}
    rows = [
        {
            "Badge": ev.badge,
            "Claim": statement,
            "Section": c.section_label(section, lang),
            "Qualifiers": ", ".join(chips[ch] for ch in ev.chips),
            "References": "; ".join(cnt.reference(r).short for r in ev.refs),
        }
        for section, statement, ev in cnt.claims()
        if not badges or ev.badge in badges
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def reference_markdown(ref: c.Reference, lang: Lang = DEFAULT) -> str:
    """Full citation, identifiers as links, and what the study found."""
    ids = []
    if ref.doi:
        ids.append(f"DOI [{ref.doi}]({doi_url(ref.doi)})")
    if ref.pmid:
        ids.append(f"PubMed [{ref.pmid}]({pubmed_url(ref.pmid)})")
    if ref.pmcid:
        ids.append(f"PMC [{ref.pmcid}](https://pmc.ncbi.nlm.nih.gov/articles/{ref.pmcid}/)")
    if ref.url:
        page = tr(lang, "Source page")
        ids.append(f"[{page}]({ref.url})")
    lines = [ref.citation]
    if ids:
        lines.append(" · ".join(ids))
    if ref.cited_by_source:
        lines.append(tr(lang, "*Cited by the guide this app grew from.*"))
    if ref.note:
        lines.append(tr(lang, "Note: {note}").format(note=ref.note))
    text = "\n\n".join(lines)
    if f := ref.findings:
        text += "\n\n" + "\n".join(
            [
                tr(lang, "- **Design:** {design}").format(design=f.design),
                tr(lang, "- **Who took part:** {participants}").format(participants=f.participants),
                tr(lang, "- **What it found:** {found}").format(found=" ".join(f.texts().values())),
                tr(lang, "- **Limits:** {limits}").format(limits=f.limits),
                tr(lang, "- **What it supports:** {supports}").format(supports=f.supports),
            ]
        )
    return text
