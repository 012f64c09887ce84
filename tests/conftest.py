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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/browser/ so that `-m "not browser"` deselects it (a conftest `pytestmark`
    does not); tryfirst so the mark is there before pytest's own -m selection runs."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
