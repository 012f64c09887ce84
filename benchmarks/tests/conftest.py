"""Tests of the benchmark tools themselves (what they count, never how fast), kept beside the benchmarks and run
by the test command (pyproject's testpaths). The probes drive the tests' own chromium fixture."""

from __future__ import annotations

from tests.browser.conftest import browser

__all__ = ["browser"]
