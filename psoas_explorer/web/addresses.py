"""Addresses several segments deep that are no page: sent on to one segment, where the not-found page answers.

Streamlit answers any unknown address with its index.html, whose scripts are relative (``./static/js/…``):
opened at ``/foo/bar`` the browser asks for ``/foo/static/js/…``, gets HTML back and shows a blank page. Our
pages are one segment deep, so such an address is never ours: it is redirected (302, a relative Location that
survives a proxy's prefix) to ``/foo-bar``, one segment, which web/router.py serves with the not-found page.
"""

from __future__ import annotations

from typing import Any

from streamlit import config

from psoas_explorer.web.headers import ASGIApp, Message, Receive, Scope, Send

# Streamlit's own routes, never pages: their answers pass untouched, HTML or not (a component's index.html).
_ROUTES = frozenset({"_stcore", "static", "media", "component", "app", "auth", "oauth2callback"})


def one_segment(path: str, base: str) -> str | None:
    """The relative address to send a nested non-page path to (``"../foo-bar"``), or None to leave it."""
    prefix = "/" + base.strip("/") if base.strip("/") else ""
    if not path.startswith(prefix + "/"):
        return None
    parts = path[len(prefix) + 1 :].split("/")
    if len(parts) < 2 or parts[0] in _ROUTES or not all(parts):
        return None
    return "../" * (len(parts) - 1) + "-".join(parts)


class NestedAddresses:
    """ASGI middleware: a nested address Streamlit answered with its index.html becomes a redirect (see above)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = None
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            target = one_segment(scope.get("path", ""), str(config.get_option("server.baseUrlPath") or ""))
        if target is None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        location = (target + ("?" + query.decode("latin-1") if query else "")).encode("latin-1")
        redirected = False

        async def send_or_redirect(message: Message) -> None:
            nonlocal redirected
            if message["type"] == "http.response.start":
                headers: dict[bytes, Any] = dict(message.get("headers", []))
                if message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                    redirected = True
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 302,
                            "headers": [
                                (b"location", location),
                                (b"cache-control", b"no-cache"),
                                (b"content-length", b"0"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": b""})
                    return
            if not redirected:
                await send(message)

        await self.app(scope, receive, send_or_redirect)
