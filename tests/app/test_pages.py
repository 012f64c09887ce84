"""Every page renders its heading and key content with no exception."""

import pytest

from psoas_explorer.evidence.text import doi_url, pubmed_url
from psoas_explorer.links import pages as site
from tests.support import open_expander, open_page


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.url_path or "home")
def test_page_renders_heading_without_exception(page):
    at = open_page(page.file, ack=True)
    assert not at.exception
    assert [t.value for t in at.main.title] == [page.heading]


def test_home_links_every_other_page_and_shows_short_warning():
    at = open_page()
    links = {el.proto.page for el in at.main.get("page_link")}
    assert links == {p.url_path for p in site.PAGES[1:] if not p.hidden}
    assert any("medical professional" in w.value or "doctor" in w.value for w in at.main.warning)


def test_full_warning_readable_from_every_page():
    for page in site.PAGES:
        at = open_expander(open_page(page.file), "side_warning")
        sidebar_text = "\n".join(m.value for m in at.sidebar.markdown)
        assert "Stop at once if" in sidebar_text, page.url_path


def test_evidence_page_lists_every_reference_with_links(cnt):
    at = open_page("app_pages/evidence.py")
    assert not any("### " in m.value for m in at.main.markdown)  # built only when its tab is open
    at.session_state["ev_tab"] = next(t.label for t in at.main.tabs if t.label.startswith("References"))
    at.run()
    headings = {line.removeprefix("### ") for m in at.main.markdown for line in m.value.splitlines()}
    assert {r.short for r in cnt.references} <= headings
    # Each reference's own section (up to the next heading) carries its own identifiers as links.
    sections = {part.split("\n", 1)[0]: part for m in at.main.markdown for part in m.value.split("\n### ")[1:]}
    for r in cnt.references:
        section = sections[r.short]
        if r.doi:
            assert f"DOI [{r.doi}]({doi_url(r.doi)})" in section, r.id
        if r.pmid:
            assert f"PubMed [{r.pmid}]({pubmed_url(r.pmid)})" in section, r.id
    assert any(r.doi for r in cnt.references) and any(r.pmid for r in cnt.references)


def test_evidence_claims_table_filters_by_badge(cnt):
    at = open_page("app_pages/evidence.py")
    table = at.main.dataframe[0].value
    assert list(table.columns[:2]) == ["Badge", "Claim"]  # what a phone's narrow grid shows without scrolling
    assert set(table["Badge"]) >= {"B", "F", "X"}
    (badge_filter,) = at.main.get("button_group")
    assert badge_filter.options == [b.id for b in cnt.evidence.badges]
    badge_filter.set_value(["X"]).run()
    filtered = at.main.dataframe[0].value
    assert len(filtered) < len(table) and set(filtered["Badge"]) == {"X"}


def test_unexpected_error_shows_a_calm_message_and_logs_the_traceback(monkeypatch, caplog):
    from psoas_explorer.search import catalog as search

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(search, "myths_and_faqs", broken)
    with caplog.at_level("ERROR", logger="psoas_explorer"):
        at = open_page("app_pages/myths_faq.py")
    assert not at.exception
    assert "something went wrong" in at.main.error[0].value
    assert "boom" not in at.main.error[0].value
    assert "RuntimeError: boom" in caplog.text


def test_evidence_legend_explains_every_badge_in_words(cnt):
    at = open_page("app_pages/evidence.py")
    (legend,) = [m.value for m in at.main.markdown if m.value.startswith("- **A: ")]
    assert [line.split(":")[0] for line in legend.splitlines()] == [f"- **{b.id}" for b in cnt.evidence.badges]
    for b in cnt.evidence.badges:
        assert f"**{b.id}: {b.label}.**" in legend and b.mapping in legend
