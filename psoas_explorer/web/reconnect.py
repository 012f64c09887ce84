"""After a lost connection comes back, the page runs again by itself, from its link.

Streamlit's frontend reconnects on its own; behind deploy/nginx.conf a replica's death sends the new websocket
to the other replica, a new session that has run nothing. The frontend reruns only on the visitor's next action,
so until then the screen is the dead replica's (a "Download PDF" pointing at its file). The script
(web/assets/reconnect.js, served as a file by web/bidi.py) watches Streamlit's connection state on the page and
asks for one run when it is CONNECTED again after a drop; the rerun request carries the page and its query
string, so the live replica rebuilds the view from the link. It never asks on the first connection or on an
ordinary rerun. Mounted on every page by web/frame.py.
"""

from __future__ import annotations

from psoas_explorer.web import bidi
from psoas_explorer.web.keys import RECONNECT_KEY

# Custom components v2 (in the page, no iframe); the script is the file web/assets/reconnect.js (web/bidi.py).
NAME = "psoas_explorer.reconnect"
_SCRIPT = "reconnect.js"
_watcher = bidi.component(NAME, _SCRIPT)


def watch() -> None:
    """Mount the watcher (nothing to see): its trigger only asks for the run that redraws the page."""
    bidi.declare(NAME)
    _watcher(key=RECONNECT_KEY, height=0, on_reconnected_change=lambda: None)
