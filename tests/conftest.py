"""Shared fixtures: a fresh AppTest per test, with Streamlit's process-wide caches cleared."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from psoas_explorer.web import ui

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _cold_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(file: str | None = None, *, ack: bool = False, query: dict | None = None) -> AppTest:
    """A new session (like a new browser tab) that opens ``file`` the way a link would."""
    at = AppTest.from_file(APP, default_timeout=30)
    if ack:
        at.session_state[ui.ACK_KEY] = True
    if file:  # AppTest always starts on the default page; then follow the "link"
        at.run()
        at.query_params.clear()
        at.switch_page(file)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def open_expander(at: AppTest, key: str) -> AppTest:
    """Open a lazy expander (its body runs only while open), as a click on its label does."""
    at.session_state[key] = True
    return at.run()


def texts(at: AppTest) -> str:
    """All visible text of the main area, joined, for 'is this shown?' checks."""
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "warning", "info", "error")
        for e in getattr(at.main, kind)
    ]
    parts += [e.label for e in at.main.expander]
    return "\n".join(str(p) for p in parts)
