"""Tests of the benchmark tools themselves (what they count, never how fast), kept beside the benchmarks and run
by the test command (pyproject's testpaths). The probes drive the tests' chromium (one per process)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b
