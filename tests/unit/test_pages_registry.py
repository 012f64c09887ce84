"""The page registry (links/pages.py): the one list of pages that the router, the gate and the tests read."""

from __future__ import annotations

import pytest

from psoas_explorer.anatomy import description
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import model as c
from psoas_explorer.linkformat import SHEET_LANG, badge_param, tab_param
from psoas_explorer.links import pages as site
from psoas_explorer.techniques import filters
from tests.support import ROOT


def test_every_page_file_exists_and_each_is_listed_once() -> None:
    files = [p.file for p in (*site.PAGES, site.NOT_FOUND)]
    assert len(set(files)) == len(files)
    for f in files:
        assert (ROOT / f).is_file(), f
    assert set(files) == {f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py")}


def test_url_paths_and_headings_are_unique_and_home_is_first() -> None:
    paths = [p.url_path for p in site.PAGES]
    headings = [p.heading for p in site.PAGES]
    assert len(set(paths)) == len(paths)
    assert len(set(headings)) == len(headings)
    assert paths[0] == "" and all(paths[1:])
    assert all(path == path.lower() and " " not in path for path in paths)


def test_the_pages_that_teach_technique_are_gated() -> None:
    assert {"techniques", "handout"} <= site.GATED_URL_PATHS
    assert {p.url_path for p in site.PAGES if p.gated} == site.GATED_URL_PATHS
    assert "" not in site.GATED_URL_PATHS  # the home page carries the short warning, not the gate


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.url_path or "home")
def test_page_by_url_finds_each_page(page: site.PageSpec) -> None:
    assert site.page_by_url(page.url_path) is page


def test_page_by_url_refuses_an_unknown_path() -> None:
    with pytest.raises(StopIteration):
        site.page_by_url("no-such-page")


def test_page_params_are_the_pages_own_then_the_global_ones(cnt: c.Content, geom: gm.Geometry) -> None:
    own = {
        "": (tab_param([g.id for g in cnt.overview.benefits[1:]]),),
        "anatomy": description.anatomy_params(geom),
        "techniques": (*filters.technique_params(cnt), tab_param(site.TECHNIQUE_TABS), SHEET_LANG),
        "myths-faq": site.SEARCH_PARAMS,
        "evidence": (tab_param(site.EVIDENCE_TABS), badge_param([b.id for b in cnt.evidence.badges])),
        "search": site.FIND_PARAMS,
        "handout": (*(p for p in filters.technique_params(cnt) if p.name in ("h", "d")), SHEET_LANG),
    }
    assert set(own) == {p.url_path for p in site.PAGES}
    for path, params in own.items():
        got = site.page_params(path, cnt)
        assert got == (*params, *site.GLOBAL_PARAMS), path
    assert [p.name for p in site.GLOBAL_PARAMS] == ["consult", "lang"]
    assert site.page_params("no-such-page", cnt) == site.GLOBAL_PARAMS  # the not-found page


def test_no_page_declares_a_name_twice_or_shadows_a_global_one(cnt: c.Content) -> None:
    for page in site.PAGES:
        names = [p.name for p in site.page_params(page.url_path, cnt)]
        assert len(set(names)) == len(names), page.url_path
