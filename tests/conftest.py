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
    """With `--dist loadgroup` (scripts/test.sh), hand the workers their work in the order collection leaves it
    (below: the costliest first), not xdist's default of the biggest groups first."""
    if getattr(config.option, "loadscopereorder", None):
        config.option.loadscopereorder = False


# Browser modules whose tests share a module-scoped cluster of servers: kept on one worker, so it starts once.
ONE_WORKER = frozenset({"test_deploy.py", "test_plan_at_home.py"})
# The longest single tests (a cluster and 21 visitors): started first, so the other worker's short tests fill in
# beside them instead of one worker running them alone at the end.
FIRST = frozenset({"test_failover.py"})


def module_cost(path: Path) -> tuple[int, int]:
    """A module's expected run time, for ordering: the longest single tests first, then the browser modules (each
    test loads pages in a real browser), then the AppTest pages, then the rest; within a layer the longer file
    first (more steps)."""
    if path.name in FIRST:
        return -1, 0
    layer = 0 if BROWSER_TESTS in path.parents else 1 if APP_TESTS in path.parents else 2
    return layer, -path.stat().st_size


def work_unit(item: pytest.Item) -> str | None:
    """What xdist hands a worker at once (`--dist loadgroup`): a browser test on its own (each worker has its own
    app server and browser, so a long module no longer runs on one worker while the other waits), except a
    module that builds its own cluster; any other module whole (its module-scoped fixtures built once)."""
    if BROWSER_TESTS in item.path.parents and item.path.name not in ONE_WORKER:
        return None
    return item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/browser/ so that `-m "not browser"` deselects it (a conftest `pytestmark`
    does not); tryfirst so the mark is there before pytest's own -m selection runs."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if (unit := work_unit(item)) is not None:
            item.add_marker(pytest.mark.xdist_group(unit))
    # Longest first (stable: a module's own tests keep their order), so the two xdist workers, each taking the
    # next work unit when it runs out, end together: the short unit modules fill in at the end.
    items.sort(key=lambda item: module_cost(item.path))
