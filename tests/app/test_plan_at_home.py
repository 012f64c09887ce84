"""Issue 22 in AppTest: the address the handout and "Copy link" use (PSOAS_PUBLIC_URL, else what the browser
reached, seeded through AppTest.context) and the warning's acknowledgement kept by the browser (AppTest cannot
send cookies, so the cookie the browser would send is put in place of web/ack.py's reader)."""

from __future__ import annotations

import json

import pytest

from psoas_explorer.web import ack, frame
from tests.support import handout_tab, open_expander, open_page, texts
from tests.unit.test_handout import qr_links

TECHNIQUES = "app_pages/techniques.py"
STRETCH = "half_kneeling_hip_flexor_stretch"
PLAN = {"h": [STRETCH], "d": [f"{STRETCH}.h45"]}
GATE = "Before you continue: safety first"


def builder(url: str | None = None):
    at = open_page(TECHNIQUES, ack=True, query=PLAN)
    if url:
        at.context = {"url": url}  # what the browser reports on the next run
    return handout_tab(at)


def copied(at) -> str:
    at = open_expander(at, frame.SHARE_KEY)
    return at.get("popover")[0].code[0].value


def test_the_builder_says_plainly_when_a_phone_cannot_open_the_address():
    at = builder("http://localhost:8501/techniques")
    (said,) = [w.value for w in at.main.warning]
    assert "`http://localhost:8501`" in said and "phone" in said and "Network URL" in said
    assert "PSOAS_PUBLIC_URL" in said


def test_the_address_the_browser_reached_is_in_copy_link_and_the_sheet(saved):
    at = builder("http://192.168.1.20:8600/techniques")
    assert not at.main.warning  # a network address: nothing to fix
    assert copied(at).startswith("http://192.168.1.20:8600/techniques?h=")
    assert qr_links(saved["pdf"]) == [f"http://192.168.1.20:8600/handout?h={STRETCH}&d={STRETCH}.h45"]


def test_the_setting_overrides_what_the_browser_reached(monkeypatch, saved):
    monkeypatch.setenv("PSOAS_PUBLIC_URL", "https://example.org/psoas/")
    at = builder("http://localhost:8501/techniques")
    assert not at.main.warning
    assert copied(at).startswith("https://example.org/psoas/techniques?h=")
    assert qr_links(saved["pdf"]) == [f"https://example.org/psoas/handout?h={STRETCH}&d={STRETCH}.h45"]


def test_a_broken_setting_is_named_and_not_used(monkeypatch):
    monkeypatch.setenv("PSOAS_PUBLIC_URL", "example.org/<b>")
    at = builder("http://192.168.1.20:8501/techniques")
    (said,) = [w.value for w in at.main.warning]
    assert "PSOAS_PUBLIC_URL is not" in said and "<b>" not in said
    assert copied(at).startswith("http://192.168.1.20:8501/techniques?")


# --- the acknowledgement ------------------------------------------------------------------------------------------


def written(at) -> list[dict[str, str]]:
    """The cookie changes this run asks the browser to make (web/ack.py's component, in the sidebar)."""
    return [
        json.loads(e.proto.json)
        for e in at.sidebar
        if getattr(e, "type", "") == "bidi_component" and e.proto.component_name == ack.NAME
    ]


@pytest.fixture
def browser_sends(monkeypatch):
    """Set the acknowledgement cookie this "browser" sends when a session connects."""
    sent: dict[str, str | None] = {"value": None}
    monkeypatch.setattr(ack, "browser_cookie", lambda: sent["value"])
    return sent


def test_i_understand_asks_the_browser_to_keep_a_fixed_value_once(browser_sends):
    at = open_page(TECHNIQUES)
    assert at.main.title[0].value == GATE and not written(at)
    at.main.button[0].click().run()
    (cookie,) = written(at)
    assert cookie["name"] == ack.COOKIE and cookie["value"].startswith("1.") and len(cookie["value"]) == 14
    assert at.main.title[0].value == "Techniques"
    assert not written(at.run())  # written once, not on every run

    browser_sends["value"] = cookie["value"]  # a reload, a new tab, another replica: a new session, same cookie
    again = open_page(TECHNIQUES)
    assert again.main.title[0].value == "Techniques" and GATE not in texts(again)


def test_read_in_one_language_it_is_not_asked_again_in_the_other(browser_sends):
    """The same warning, translated: a new tab in Spanish after "I understand" in English shows the page, and the
    other way round (the cookie names the English text whatever the page's language)."""
    for first, then, heading in (({}, {"lang": "es"}, "Técnicas"), ({"lang": "es"}, {}, "Techniques")):
        browser_sends["value"] = None
        at = open_page(TECHNIQUES, query=first)
        at.main.button(key="gate_ack").click().run()
        browser_sends["value"] = written(at)[0]["value"]
        again = open_page(TECHNIQUES, query=then)  # a new tab of the same browser, in the other language
        assert again.main.title[0].value == heading, [t.value for t in again.main.title]


def test_a_changed_warning_is_asked_again(browser_sends):
    browser_sends["value"] = "1.000000000000"  # the version of an earlier warning
    at = open_page(TECHNIQUES)
    assert at.main.title[0].value == GATE


def test_ask_me_again_withdraws_it_in_this_session_and_the_browser(browser_sends):
    at = open_page(TECHNIQUES)
    at.main.button[0].click().run()
    browser_sends["value"] = written(at)[0]["value"]
    at = open_page(TECHNIQUES)  # opened with the cookie
    assert at.main.title[0].value == "Techniques"
    at.sidebar.button(key=ack.WITHDRAW_KEY).click().run()
    assert at.main.title[0].value == GATE  # although this session connected with the cookie
    assert written(at) == [{"name": ack.COOKIE, "value": ""}]  # the browser is told to forget it
    assert not [b for b in at.sidebar.button if b.key == ack.WITHDRAW_KEY]
    at.main.button[0].click().run()  # and acknowledged again
    assert at.main.title[0].value == "Techniques" and written(at)[0]["value"] == browser_sends["value"]
