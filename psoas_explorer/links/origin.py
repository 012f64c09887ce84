"""The app's own root address, as the visitor reached it: the base of every absolute link (the handout's QR code
and printed link, "Copy link").

A patient's phone must open the address on the sheet, so it cannot be the server's idea of itself (it listens
on 127.0.0.1 behind a proxy). It is, in order: the ``PSOAS_PUBLIC_URL`` setting; else the request: the scheme
and host a proxy forwards (``X-Forwarded-Proto``, ``X-Forwarded-Host``) or the ``Host`` the browser sent, then
the path a proxy strips (``X-Forwarded-Prefix``) and Streamlit's own base path (``server.baseUrlPath``); else
the browser's own address; else ``http://localhost:8501``. Headers are the visitor's input: only a
syntactically valid host[:port] and plain path segments are used, so markup, a second address, a user name or
a path never reach a printed QR code; a value refused is named in a notice (without repeating it).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from psoas_explorer import settings
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr

DEFAULT_BASE = settings.PUBLIC_URL.default  # the last resort: no setting, no request, no browser address
SCHEMES = ("http", "https")
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?")
_PORT = re.compile(r"[0-9]{1,5}")
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
MAX_HOST = 253

LOOPBACK_HELP = N_(
    'Open the app by this computer\'s network address (the "Network URL" that `streamlit run` prints, '
    "for example `http://192.168.1.20:8501`), or set `PSOAS_PUBLIC_URL` to the address patients reach it by."
)
# Why a setting or header was refused (named, never repeated: it is the visitor's input), said in the page's language.
BAD_SETTING = N_("PSOAS_PUBLIC_URL is not an http(s) address with a valid host name, so it is not used.")
BAD_PREFIX = N_("The proxy's X-Forwarded-Prefix header is not a plain path, so it is not used.")
BAD_HOST = N_("The {header} header this page was reached with is not a valid host name.")


@dataclass(frozen=True)
class Origin:
    """The root address (no trailing slash) and, when a setting or header was refused, why."""

    url: str
    source: str  # "setting", "request", "browser" or "default"
    refused: tuple[tuple[str, str], ...] = ()  # (message, the header it names) for each setting or header refused

    def notice(self, lang: Lang = DEFAULT) -> str:
        """Why a setting or header was refused and what the links use instead, in ``lang`` (empty: none was)."""
        if not self.refused:
            return ""
        said = [tr(lang, message).format(header=header) for message, header in self.refused]
        return " ".join([*said, tr(lang, "Links use `{url}` instead.").format(url=self.url)])

    @property
    def loopback(self) -> bool:
        """Does the address only open on the computer that runs the app (localhost, 127.x, ::1)?"""
        return is_loopback(self.url)

    def warning(self, lang: Lang = DEFAULT) -> str:
        """What the handout builder says about this address, in ``lang``: empty when a phone can open it, or when
        no request was seen at all (the default without a notice: AppTest, a bare run), so there is nothing to
        judge."""
        parts = [self.notice(lang)] if self.refused else []
        if self.loopback and (self.source != "default" or self.refused):
            parts.append(
                tr(
                    lang,
                    "The QR code and link on the sheet point to `{url}`, an address that only opens on this "
                    "computer: a phone that scans the code cannot open it.",
                ).format(url=self.url)
            )
            parts.append(tr(lang, LOOPBACK_HELP))
        return " ".join(parts)


def valid_host(value: str) -> str | None:
    """``value`` as a lower-case host[:port] when it is one (a DNS name, an IPv4 or a bracketed IPv6 address and
    a port from 1 to 65535), else None: no user, path, query, spaces or markup."""
    value = value.strip()
    if not value or len(value) > MAX_HOST + 6:
        return None
    if value.startswith("["):
        end = value.find("]")
        host, rest = value[: end + 1], value[end + 1 :]
        if "%" in host:  # a zone id ("%eth0"): ipaddress takes any text there, and it names no host for a phone
            return None
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
    else:
        host, _, port = value.partition(":")
        rest = f":{port}" if ":" in value else ""
        if len(host) > MAX_HOST or not _HOSTNAME.fullmatch(host):
            return None
    if rest:
        port = rest[1:]
        if not rest.startswith(":") or not _PORT.fullmatch(port) or not 0 < int(port) < 65536:
            return None
    return (host + rest).lower()


def clean_path(value: str) -> str | None:
    """A base path as ``/a/b`` ("" for none) when it is plain segments (letters, digits, ``._~-``), else None."""
    segments = [s for s in value.strip().split("/") if s]
    if not all(_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments):
        return None
    return "".join(f"/{s}" for s in segments)


def parse_base(url: str) -> str | None:
    """An absolute http(s) root address, normalised (``https://example.org/psoas``), or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = valid_host(parts.netloc) if "@" not in parts.netloc else None
    path = clean_path(parts.path)
    if parts.scheme.lower() not in SCHEMES or host is None or path is None or parts.query or parts.fragment:
        return None
    return f"{parts.scheme.lower()}://{host}{path}"


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _first(headers: Mapping[str, str], name: str) -> str | None:
    """A header's first (client-side) value when a proxy chain lists several, or None when absent or empty."""
    value = headers.get(name.lower())
    return (value.split(",")[0].strip() or None) if value else None


def resolve(
    headers: Mapping[str, str],
    *,
    setting: str = "",
    browser_url: str | None = None,
    base_path: str = "",
) -> Origin:
    """The root address for this visitor (see the module's docstring for the order and the checks).

    ``headers`` are the request's (any case); ``browser_url`` is the address the browser reports (Streamlit's
    ``st.context.url``); ``base_path`` is ``server.baseUrlPath``.
    """
    refused: list[tuple[str, str]] = []
    if setting.strip():
        if base := parse_base(setting):
            return Origin(base, "setting")
        refused.append((BAD_SETTING, ""))
    headers = {k.lower(): v for k, v in headers.items()}
    path = clean_path(base_path) or ""
    prefix = _first(headers, "X-Forwarded-Prefix")
    if prefix is not None:
        if (clean := clean_path(prefix)) is None:
            refused.append((BAD_PREFIX, ""))
        elif path != clean and not path.startswith(clean + "/"):  # a proxy that keeps the prefix may name it too
            path = clean + path
    host = None
    for name in ("X-Forwarded-Host", "Host"):
        if (sent := _first(headers, name)) is not None and host is None:
            host = valid_host(sent)
            if host is None:
                refused.append((BAD_HOST, name))
    browser = parse_base(browser_url) if browser_url else None
    scheme = (_first(headers, "X-Forwarded-Proto") or "").lower()
    if scheme not in SCHEMES:
        scheme = urlsplit(browser).scheme if browser else "http"
    if host is not None:
        url, source = f"{scheme}://{host}{path}", "request"
    elif browser is not None:
        url, source = f"{scheme}://{urlsplit(browser).netloc}{path}", "browser"
    else:
        url, source = DEFAULT_BASE, "default"
    return Origin(url, source, tuple(refused))
