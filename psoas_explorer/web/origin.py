"""This visitor's root address (links/origin.py) from Streamlit's request context, and the handout builder's
word on it when a phone could not open it."""

from __future__ import annotations

import os

import streamlit as st

from psoas_explorer.handout.sheet import PUBLIC_URL_ENV
from psoas_explorer.links import origin


def site_origin() -> origin.Origin:
    """The root of every absolute link for this session: ``PSOAS_PUBLIC_URL``, else what the browser reached.

    ``st.context.headers`` are those of the session's websocket request (the ``Host`` and what a proxy adds);
    ``st.context.url`` is the browser's own address, used when there are no headers.
    """
    return origin.resolve(
        st.context.headers,
        setting=os.environ.get(PUBLIC_URL_ENV, ""),
        browser_url=st.context.url,
        base_path=str(st.get_option("server.baseUrlPath") or ""),
    )


def address_notice(site: origin.Origin) -> None:
    """Where the sheet's QR code points, and plainly when a phone cannot open it or a header was refused."""
    if warning := site.warning():
        st.warning(warning, icon=":material/phonelink_off:")
