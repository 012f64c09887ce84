"""Evidence as words and tables (evidence/text.py): links, references, the claims table and the badge legend."""

from __future__ import annotations

import re

import pytest

from psoas_explorer.content import model as c
from psoas_explorer.evidence import text as ev

MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^()\s]+)\)")  # a link target may not hold bare parentheses


def test_doi_url_escapes_parentheses_so_a_markdown_link_does_not_end_early() -> None:
    url = ev.doi_url("10.1016/S2665-9913(23)00098-X")
    assert url == "https://doi.org/10.1016/S2665-9913%2823%2900098-X"
    assert MARKDOWN_LINK.fullmatch(f"[doi]({url})")
    assert ev.doi_url("10.1016/j.jbmt.2022.09.029") == "https://doi.org/10.1016/j.jbmt.2022.09.029"


def test_pubmed_url() -> None:
    assert ev.pubmed_url("36775506") == "https://pubmed.ncbi.nlm.nih.gov/36775506/"


def test_reference_markdown_links_its_own_identifiers_and_shows_its_findings(cnt: c.Content) -> None:
    ref = next(r for r in cnt.references if r.doi and r.pmid and r.findings)
    assert ref.doi and ref.pmid and ref.findings
    text = ev.reference_markdown(ref)
    assert text.startswith(ref.citation)
    assert f"DOI [{ref.doi}]({ev.doi_url(ref.doi)})" in text
    assert f"PubMed [{ref.pmid}]({ev.pubmed_url(ref.pmid)})" in text
    for label, value in [("Design", ref.findings.design), ("What it found", ref.findings.result)]:
        assert f"- **{label}:** {value}" in text
    assert ("*Cited by the guide this app grew from.*" in text) == ref.cited_by_source


@pytest.mark.parametrize("field", ["doi", "pmid", "findings"])
def test_reference_markdown_leaves_out_what_a_reference_lacks(cnt: c.Content, field: str) -> None:
    ref = next(r for r in cnt.references if r.doi and r.pmid and r.findings)
    text = ev.reference_markdown(ref.model_copy(update={field: None}))
    marker = {"doi": "DOI [", "pmid": "PubMed [", "findings": "- **Design:**"}[field]
    assert marker not in text and text.startswith(ref.citation)


def test_every_reference_with_a_doi_renders_a_whole_markdown_link(cnt: c.Content) -> None:
    with_doi = [r for r in cnt.references if r.doi]
    assert any("(" in (r.doi or "") for r in with_doi), "the parenthesis case is in the real content"
    for r in with_doi:
        assert r.doi
        links = dict(MARKDOWN_LINK.findall(ev.reference_markdown(r)))
        assert links[r.doi] == ev.doi_url(r.doi), r.id


def test_claims_frame_lists_every_claim_and_filters_by_badge(cnt: c.Content) -> None:
    everything = ev.claims_frame(cnt)
    assert list(everything.columns) == ["Badge", "Claim", "Section", "Qualifiers", "References"]
    assert len(everything) == len(list(cnt.claims()))
    assert ev.claims_frame(cnt, ()).equals(everything) and ev.claims_frame(cnt, None).equals(everything)
    for badges in (["X"], ["A", "B"], ["F"]):
        some = ev.claims_frame(cnt, badges)
        assert 0 < len(some) < len(everything), badges
        assert set(some["Badge"]) <= set(badges)
        assert len(some) == sum(everything["Badge"].isin(badges))
    first = next(iter(cnt.claims()))
    row = everything.iloc[0]
    assert (row["Section"], row["Claim"], row["Badge"]) == (first[0], first[1], first[2].badge)
    assert row["References"] == "; ".join(cnt.reference(r).short for r in first[2].refs)


def test_legend_markdown_lists_every_badge_in_order_with_its_words(cnt: c.Content) -> None:
    lines = ev.legend_markdown(cnt).splitlines()
    assert len(lines) == len(cnt.evidence.badges)
    for line, badge in zip(lines, cnt.evidence.badges, strict=True):
        assert line == f"- **{badge.id}: {badge.label}.** {badge.detail} *Roughly:* {badge.mapping}"
    assert [b.id for b in cnt.evidence.badges] == ["A", "B", "C", "D", "X", "F"]
