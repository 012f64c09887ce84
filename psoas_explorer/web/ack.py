"""The safety warning's acknowledgement, held for the browser session: not asked again on a reload, in a new
tab or on another replica, asked again in a new browser, and withdrawn from the sidebar.

Session state alone lives in one process and one tab, so the browser keeps it too, as a session cookie (no
expiry: it ends when the browser does) that the browser writes itself, ``SameSite=Strict`` and with the path
of the app (its base path, also behind a proxy). The server reads it from the websocket request
(``st.context.cookies``), so any replica accepts it. Its value is a fixed ``1.`` and the warning's version (a
hash of the warning's text): nothing about the person, and a changed warning is asked again.

Within one session this session's choice wins over the cookie: after "Ask me again" the cookie the websocket
brought still says yes until the next connection, so ``ACK_KEY`` is then False, not absent.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from psoas_explorer.web import bidi
from psoas_explorer.web.keys import ACK_KEY
from psoas_explorer.web.lang import _

COOKIE = "psoas_ack"
_PENDING = "_ack_cookie"  # the cookie value to write on the next run ("" to delete it), then popped
WITHDRAW_KEY = "ack_withdraw"

# Custom components v2 (in the page, no iframe); the script is the file web/assets/ack_cookie.js (web/bidi.py).
NAME = "psoas_explorer.ack_cookie"
_SCRIPT = "ack_cookie.js"
_writer = bidi.component(NAME, _SCRIPT)


def token(warning: str) -> str:
    """The cookie's value for this warning: a fixed "1." and the first 12 hex digits of its text's SHA-256."""
    return "1." + hashlib.sha256(warning.encode()).hexdigest()[:12]


def browser_cookie() -> str | None:
    """The acknowledgement cookie the browser sent when this session connected (None without one)."""
    return st.context.cookies.get(COOKIE)


def acknowledged(warning: str) -> bool:
    """Has this browser session acknowledged this warning (in this session, or in another tab or replica)?"""
    state = st.session_state.get(ACK_KEY)
    if state is None and browser_cookie() == token(warning):
        state = st.session_state[ACK_KEY] = True
    return bool(state)


def remember(warning: str) -> None:
    """ "I understand": this session is through, and the browser keeps it for its other tabs and reloads."""
    st.session_state[ACK_KEY] = True
    st.session_state[_PENDING] = token(warning)


def withdraw() -> None:
    """ "Ask me again": the gate asks this session again, and the browser forgets the acknowledgement."""
    st.session_state[ACK_KEY] = False
    st.session_state[_PENDING] = ""


def sidebar_control(warning: str) -> None:
    """In the sidebar: write a pending cookie change, and while acknowledged, say so with a way to withdraw it."""
    pending = st.session_state.pop(_PENDING, None)
    if pending is not None:
        bidi.declare(NAME)
        _writer(key="ack_cookie", data={"name": COOKIE, "value": pending}, height=0)
    if acknowledged(warning):
        st.markdown(_("You have read the safety warning: it is not shown again until this browser is closed."))
        st.button(
            _("Ask me again"),
            key=WITHDRAW_KEY,
            on_click=withdraw,
            icon=":material/undo:",
            help=_(
                "The safety warning is shown again before the next page of techniques, in every tab of this browser."
            ),
        )
