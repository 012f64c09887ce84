"""The app's root address from a request (links/origin.py): headers in, the base of the QR code and "Copy link"
out; hostile headers never reach it."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from psoas_explorer.links import build
from psoas_explorer.links.origin import DEFAULT_BASE, Origin, is_loopback, parse_base, resolve, valid_host


@pytest.mark.parametrize(
    ("headers", "base_path", "want"),
    [
        ({"Host": "127.0.0.1:8600"}, "", "http://127.0.0.1:8600"),  # a server on another port
        ({"Host": "192.168.1.20:8501"}, "", "http://192.168.1.20:8501"),  # the computer's network address
        ({"Host": "127.0.0.1:8080", "X-Forwarded-Proto": "http"}, "psoas", "http://127.0.0.1:8080/psoas"),  # nginx
        ({"Host": "example.org", "X-Forwarded-Proto": "https"}, "/psoas/", "https://example.org/psoas"),
        (
            {"host": "app:8501", "x-forwarded-host": "Example.ORG", "x-forwarded-proto": "HTTPS"},
            "",
            "https://example.org",
        ),
        (
            {"Host": "app:8501", "X-Forwarded-Host": "a.example, b.internal", "X-Forwarded-Proto": "https, http"},
            "",
            "https://a.example",
        ),  # a chain of proxies: the first (client-side) value
        ({"Host": "[::1]:8501"}, "", "http://[::1]:8501"),
        ({"Host": "example.org", "X-Forwarded-Prefix": "/clinic"}, "", "http://example.org/clinic"),  # prefix stripped
        ({"Host": "example.org", "X-Forwarded-Prefix": "/psoas"}, "psoas", "http://example.org/psoas"),  # kept
        ({"Host": "example.org", "X-Forwarded-Prefix": "/ps"}, "psoas", "http://example.org/ps/psoas"),
    ],
)
def test_the_root_is_the_address_the_visitor_reached(headers, base_path, want):
    got = resolve(headers, base_path=base_path)
    assert got == Origin(want, "request"), got


def test_the_setting_overrides_the_request_and_a_broken_setting_is_named():
    headers = {"Host": "192.168.1.20:8501"}
    assert resolve(headers, setting=" https://example.org/psoas/ ").url == "https://example.org/psoas"
    broken = resolve(headers, setting="example.org")  # no scheme
    assert broken.url == "http://192.168.1.20:8501"
    assert "PSOAS_PUBLIC_URL is not" in broken.notice() and "Links use `http://192.168.1.20:8501`" in broken.notice()


def test_without_a_request_the_browser_address_then_the_default():
    assert resolve({}, browser_url="https://example.org/psoas/techniques", base_path="psoas").url == (
        "https://example.org/psoas"
    )
    unseen = resolve({})  # AppTest: no headers, no browser address
    assert unseen == Origin(DEFAULT_BASE, "default") and not unseen.warning()  # nothing seen, nothing to judge
    assert "phone" in resolve({"Host": "<b>"}).warning()  # the default after a refused header is named


HOSTILE = [
    "evil.example/phish",
    "user@evil.example",
    "evil.example:99999",
    "evil.example:0",
    "evil.example:80:81",
    "<script>alert(1)</script>",
    "evil example",
    "evil.example\r\nSet-Cookie: x=1",
    "-evil.example",
    "evil..example",
    "[not-ipv6]:8501",
    "[::1]x",
    "[fe80::1%<script>]",  # an IPv6 zone id: Python's ipaddress takes any text after the %
    "[::1%eth0]:8501",
    "a" * 64 + ".example",
    "ex%61mple.org",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_host_is_refused_with_a_notice_and_never_repeated(value):
    for headers in ({"Host": value}, {"Host": "127.0.0.1:8501", "X-Forwarded-Host": value}):
        got = resolve(headers, base_path="psoas")
        assert value not in got.url and value not in got.notice()
        assert got.url in (f"{DEFAULT_BASE}", "http://127.0.0.1:8501/psoas"), got
        assert "not a valid host name" in got.notice() and f"Links use `{got.url}` instead." in got.notice()


@pytest.mark.parametrize("prefix", ["/a/../b", "/<b>", "/a b", "//evil.example/x?y", "/%2e%2e"])
def test_a_hostile_prefix_is_refused(prefix):
    got = resolve({"Host": "example.org", "X-Forwarded-Prefix": prefix})
    assert got.url == "http://example.org" and "X-Forwarded-Prefix" in got.notice()


def test_an_unknown_scheme_is_ignored():
    assert resolve({"Host": "example.org", "X-Forwarded-Proto": "javascript"}).url == "http://example.org"
    assert resolve({"Host": "example.org", "X-Forwarded-Proto": "ftp"}, browser_url="https://example.org/").url == (
        "https://example.org"
    )


@settings(deadline=None)  # a busy shared machine can stall one example; the property is what counts
@given(st.text(max_size=300))
@example("[::%#]")  # a zone id with a URL delimiter once made a root that is not an address (found by this test)
@example("[::1%?]:80")
def test_any_host_header_gives_a_plain_http_root(value):
    got = resolve({"Host": value})
    assert parse_base(got.url) == got.url  # an http(s) address with a valid host and plain path
    assert re.fullmatch(r"http://[a-z0-9.:\[\]-]+", got.url), got.url  # nothing else from the header: no markup
    first = value.split(",")[0].strip()  # a proxy chain's client-side value; an empty one counts as none sent
    if first and valid_host(first) is None:
        assert got.url == DEFAULT_BASE and got.notice()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:8501", True),
        ("http://127.0.0.1:8501/psoas", True),
        ("http://127.4.5.6", True),
        ("http://[::1]:8501", True),
        ("http://app.localhost", True),
        ("http://192.168.1.20:8501", False),
        ("https://example.org/psoas", False),
        ("http://localhost.example.org", False),
    ],
)
def test_loopback_addresses_are_named_with_the_fix(url, loopback):
    assert is_loopback(url) is loopback
    warning = Origin(url, "request").warning()
    assert bool(warning) is loopback
    if loopback:
        assert url in warning and "phone" in warning and "PSOAS_PUBLIC_URL" in warning


def test_the_plan_link_is_built_on_the_root():
    link = build.handout(["a", "b"], doses={"b": {"hold": 45}}).url(resolve({"Host": "192.168.1.20:8501"}).url)
    assert link == "http://192.168.1.20:8501/handout?h=a&h=b&d=b.h45"


def test_the_address_warning_speaks_the_page_language():
    """Issue 25: the handout builder's warning about where the QR code points is in Spanish on a Spanish page,
    naming the refused header and the address the links use."""
    from tests.app.test_spanish_trace import english_words

    got = resolve({"Host": "<b>", "X-Forwarded-Prefix": "a b"})
    warning = got.warning("es")
    assert "no es un nombre de servidor válido" in warning and "X-Forwarded-Prefix" in warning
    assert f"Los enlaces usan `{got.url}` en su lugar." in warning and "teléfono" in warning
    assert english_words(warning) == [], warning
    assert got.warning() != warning and "not a valid host name" in got.warning()
