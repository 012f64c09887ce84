"""Security headers on every HTTP response of the app, set by the app itself (serve.py) so they hold however it is
hosted: straight on a port, behind deploy/nginx.conf, or behind a Kubernetes ingress. docs/security.md explains
each directive and what would break without it.

The Content-Security-Policy allows no inline script except the one in Streamlit's index.html and the app's own
(web/page_scripts.py), by their hashes. The first changes with every Streamlit release, so all are computed at
start from the installed package and our constants, never written down. No 'unsafe-eval' and no blob: scripts:
Streamlit, the vendored plotly.js bundles and the diagram's script (a file, web/diagram.py) run without them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_INLINE_SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.S | re.I)
_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")  # a hostname[:port], nothing else

# What the app never uses: denied to every frame. Clipboard writes stay allowed for our own page ("Copy link").
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "autoplay",
                "camera",
                "display-capture",
                "encrypted-media",
                "geolocation",
                "gyroscope",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "publickey-credentials-get",
                "screen-wake-lock",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
        "clipboard-write=(self)",
        "fullscreen=(self)",
    ]
)


def index_html() -> Path:
    """Streamlit's page shell, as the installed package serves it."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "index.html"


def allowed_script_hashes() -> list[str]:
    """The hashes of every inline script a page of this app runs: Streamlit's shell and ours."""
    from psoas_explorer.web.page_scripts import APP_SCRIPTS

    shell = inline_script_hashes(index_html().read_text(encoding="utf-8"))
    return shell + [h for script in APP_SCRIPTS for h in inline_script_hashes(script)]


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline <script> (one without src) in ``html``."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        if re.search(r"\ssrc\s*=", match.group(0)[: match.group(0).index(">")], re.I):
            continue
        digest = hashlib.sha256(match.group(1).encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes


def content_security_policy(script_hashes: list[str], host: str = "") -> str:
    """The policy; ``host`` (the request's Host header, when well formed) spells the websocket out for Safari
    versions that do not count ws:/wss: to the same host as 'self'."""
    connect = ["'self'"]
    if host and _HOST.fullmatch(host):
        connect += [f"ws://{host}", f"wss://{host}"]
    directives = {
        "default-src": ["'self'"],
        # Inline scripts only by hash (index.html's window.prerenderReady = false; page_scripts.py).
        # 'wasm-unsafe-eval': Streamlit's protobuf code compiles a WebAssembly module on every page; it allows
        # WebAssembly only, no JavaScript eval (without it chromium reports a violation on every page).
        "script-src": ["'self'", *script_hashes, "'wasm-unsafe-eval'"],
        # Streamlit's styling (emotion) and Plotly add <style> elements and style attributes at run time.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],  # a font Streamlit inlines in its stylesheet
        "connect-src": connect,
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(csp: str) -> list[tuple[bytes, bytes]]:
    """Every header the app adds to a response, as ASGI (name, value) byte pairs."""
    headers = {
        "content-security-policy": csp,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",  # a plan's address carries the visitor's choices: never sent on
        "permissions-policy": PERMISSIONS_POLICY,
        "x-frame-options": "DENY",  # frame-ancestors for browsers that predate CSP level 2
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
    }
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


class SecurityHeaders:
    """ASGI middleware: adds security_headers() to every HTTP response, replacing any of the same name (a
    Streamlit default must not weaken the policy). Websocket traffic passes untouched."""

    def __init__(self, app: ASGIApp, script_hashes: list[str] | None = None) -> None:
        self.app = app
        self.script_hashes = allowed_script_hashes() if script_hashes is None else script_hashes
        self._names = {name for name, _ in security_headers("")}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        added = security_headers(content_security_policy(self.script_hashes, host))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self._names]
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, send_with_headers)
