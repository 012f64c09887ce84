"""This visitor's root address (links/origin.py) from Streamlit's request context, and the handout builder's
word on it when a phone could not open it."""

from __future__ import annotations

import streamlit as st

from psoas_explorer import settings
from psoas_explorer.links import origin
from psoas_explorer.web import lang


def site_origin() -> origin.Origin:
    """The root of every absolute link for this session: ``PSOAS_PUBLIC_URL``, else what the browser reached.

    What Streamlit 1.67 gives, as seen in a real browser: ``st.context.headers`` are those of the session's
    websocket request: ``Host`` with its port, and behind deploy/nginx.conf also ``X-Forwarded-Proto`` and
    ``X-Forwarded-Host``; ``st.context.url`` is the browser's address without its query (base path and page
    included), used only when no header names a host. Both are fixed when the websocket connects.
    """
    return origin.resolve(
        st.context.headers,
        setting=settings.PUBLIC_URL.raw() or "",
        browser_url=st.context.url,
        base_path=str(st.get_option("server.baseUrlPath") or ""),
    )


def address_notice(site: origin.Origin) -> None:
    """Where the sheet's QR code points, and plainly when a phone cannot open it or a header was refused."""
    if warning := site.warning(lang.current()):
        st.warning(warning, icon=":material/phonelink_off:")
