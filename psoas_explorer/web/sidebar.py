"""On a phone, choosing a page in the sidebar closes the sidebar (web/assets/sidebar_close.js says why and how).

A custom component (v2, in the page, no iframe) whose script is served as a file (web/bidi.py): the
Content-Security-Policy allows no inline or blob: scripts. It draws nothing; mounted at the end of the sidebar
on every page, so its script is loaded wherever a visitor starts.
"""

from __future__ import annotations

from psoas_explorer.web import bidi

NAME = "psoas_explorer.sidebar_close"
_SCRIPT = "sidebar_close.js"
_component = bidi.component(NAME, _SCRIPT)


def close_on_choice() -> None:
    """Mount the script (once per page run; it installs its listener once per browser window)."""
    bidi.declare(NAME)
    _component(key="sidebar_close", height=0)
