"""Links the app builds to its own pages (links/build.py) name real pages and parameters those pages accept."""

from __future__ import annotations

from psoas_explorer import linkformat as params
from psoas_explorer.links import build, pages


def test_every_built_link_opens_a_registered_page_with_parameters_it_accepts(cnt):
    picks = [t.id for t in cnt.techniques.techniques[:2]]
    for link in (
        build.handout(picks),
        build.handout(picks, consult=True),
        build.technique_search("ball"),
        build.question_search("Is sitting bad for the psoas? " * 5),
    ):
        assert pages.page_by_url(link.url_path).file == link.page
        query = {k: v if isinstance(v, list) else [v] for k, v in link.query.items()}
        _values, notices = params.parse(query, pages.page_params(link.url_path, cnt))
        assert not notices, (link, notices)


def test_a_link_as_an_absolute_address_keeps_the_picks_in_order():
    link = build.handout(["b_second", "a_first"], consult=True)
    assert link.url("https://example.org/psoas/") == "https://example.org/psoas/handout?h=b_second&h=a_first&consult=1"
    assert build.Link("").url("http://localhost:8501") == "http://localhost:8501/"
