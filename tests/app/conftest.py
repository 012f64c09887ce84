"""Fixtures of the AppTest page tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import capture_downloads


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The PDF bytes and file name the download button hands to Streamlit's media store."""
    return capture_downloads(monkeypatch)
