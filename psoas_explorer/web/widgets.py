"""Small widget helpers used by several pages."""

from __future__ import annotations

from typing import Any

import streamlit as st


def lazy_expander(label: str, key: str, **kwargs: Any) -> Any | None:
    """An expander whose body runs only while it is open; returns the container, or None when closed.

    Closed content costs nothing on a rerun. Widgets inside need `persist_state="page"` so their
    values outlive the expander being closed.
    """
    box = st.expander(label, key=key, on_change="rerun", **kwargs)
    return box if box.open else None
