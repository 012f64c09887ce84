"""Fixtures and hooks for every test: cold caches on request, the content loaded once, and the browser mark.

Helpers live in tests/support.py; this file holds only what pytest finds by name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

from psoas_explorer import settings
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import load
from psoas_explorer.content import model as c
from psoas_explorer.web import memo
from tests.support import DATA

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
APP_TESTS = Path(__file__).resolve().parent / "app"


@pytest.fixture
def cold_caches() -> None:
    """The process-wide caches emptied (Streamlit's and the app's memos), as a freshly started server has them:
    for the tests about a cold start or about what the memos hold. Other tests share the warm memos, as the
    sessions of one server do (a cold AppTest open costs 0.5-0.8 s against 0.18 s warm)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()


@pytest.fixture(scope="session")
def cnt() -> c.Content:
    """The shipped content, read once: a broken file fails the tests that need it, not the collection."""
    try:
        return load.load_content()
    except c.ContentError as err:
        problem = str(err)
    pytest.fail(f"The content files in {settings.data_dir()} are broken:\n{problem}", pytrace=False)


@pytest.fixture(scope="session")
def geom() -> gm.Geometry:
    """The shipped anatomy model, read once (a broken file fails the tests that need it)."""
    try:
        return gm.load_geometry()
    except c.ContentError as err:
        problem = str(err)
    pytest.fail(f"The geometry files in {gm.GEOMETRY_DIR} are broken:\n{problem}", pytrace=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ to break on purpose (the real files stay untouched)."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


def pytest_configure(config: pytest.Config) -> None:
    """With `--dist loadscope`, hand the workers whole modules in the order collection leaves them (below:
    the costliest first), not xdist's default of the modules with the most tests first, which left the few-test,
    many-page-load browser modules for the end, so one worker finished minutes after the other."""
    if getattr(config.option, "loadscopereorder", None):
        config.option.loadscopereorder = False


def module_cost(path: Path) -> tuple[int, int]:
    """A module's expected run time, for ordering: browser modules first (each test loads pages in a real
    browser), then the AppTest pages, then the rest; within a layer the longer file first (more steps)."""
    layer = 0 if BROWSER_TESTS in path.parents else 1 if APP_TESTS in path.parents else 2
    return layer, -path.stat().st_size


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/browser/ so that `-m "not browser"` deselects it (a conftest `pytestmark`
    does not); tryfirst so the mark is there before pytest's own -m selection runs."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
    # Longest modules first (stable: a module's own tests keep their order), so the two xdist workers, each
    # taking the next whole module when it runs out, end together: the short unit modules fill in at the end.
    items.sort(key=lambda item: module_cost(item.path))
