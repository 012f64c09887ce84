"""Issue 22's trip, in a real browser: the clinician builds the plan at 1366×768 and downloads the PDF; its QR code,
decoded, opens in a new phone-sized browser (390×844), where the warning's button is on the first screen, then the
plan; Start follows it with the hold counted down by the browser's clock (controlled here: no real waiting), with
Pause and Stop as the undo; "Done today" ticks a day with a pain score that stays in that browser (erased as the
undo, and never sent to the server); a reload keeps the log and does not ask the warning again; the same address
in a new browser asks the warning first and has no log. "Change this plan" reopens the builder with the plan.
Four page loads in all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import GATE, acknowledge, arrive, rerun_expected
from tests.support import qr_links

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
A, B = "half_kneeling_hip_flexor_stretch", "bed_edge_hip_flexor_stretch"
LOG = "psoas_explorer.log.v1"  # the log's key in the browser's localStorage (web/assets/patient.js)
PLAN = f"h={B}&h={A}&d={A}.h45"  # B first; A held 45 s instead of its default 30
# Counts the follow-along's spoken announcements (the aria-live region's changes), from the moment it exists.
COUNT_ANNOUNCEMENTS = """() => {
  const live = document.querySelector('.psoas-p-follow [aria-live]');
  window.__said = [];
  new MutationObserver(() => window.__said.push(live.textContent))
    .observe(live, {childList: true, characterData: true, subtree: true});
}"""
# window.print() recorded instead of opening the print dialog: how often, and whether only the log was to print.
STUB_PRINT = "() => { window.__printed = []; window.print = () => window.__printed.push(document.body.className); }"


def reruns_sent(page) -> list[int]:
    """A growing list: one entry per message the page sends the server asking for a run (a widget's change)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent: list[int] = []

    def seen(payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            msg = BackMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                sent.append(1)

    page.stream.on("framesent", seen)
    return sent


def sheet_link(new_page, app_url: str) -> str:
    """The clinician's side at 1366×768: the plan in the builder (with the clinician's fields), its PDF's QR code."""
    desk = new_page(viewport=DESK, accept_downloads=True)
    arrive(desk, f"{app_url}/techniques?{PLAN}")
    acknowledge(desk)
    main = desk.get_by_test_id("stMain")
    main.get_by_role("tab", name="Your handout").click()
    panel = main.get_by_role("tabpanel", name="Your handout")
    expect(panel.get_by_label("Patient's name (optional)")).to_be_visible()  # the clinician's fields live here
    with desk.expect_download() as download:
        panel.get_by_role("button", name="Download PDF").click()
    (link,) = qr_links(download.value.path().read_bytes())
    assert link == f"{app_url}/handout?{PLAN}", link
    desk.close()  # the visitor leaves (its context goes back to the pool: conftest.WarmContexts)
    return link


def follow_along(phone, cnt) -> None:
    """Start; the first hold counted down by the controlled clock; Pause holds it; the repetition and side move
    on when it ends (announced once, not every second); Skip; Stop closes it (the undo of Start)."""
    main = phone.get_by_test_id("stMain")
    now = datetime.fromtimestamp(phone.evaluate("Date.now()") / 1000, tz=UTC)
    phone.clock.pause_at(now + timedelta(seconds=1))  # from here the test moves time, nothing else
    main.get_by_role("button", name="Start", exact=True).click()
    box = phone.get_by_role("dialog")
    expect(box.get_by_role("heading", name=cnt.technique(B).name)).to_be_focused()
    expect(box).to_contain_text("Technique 1 of 2")
    expect(box).to_contain_text(f"Step 1 of {len(cnt.technique(B).steps)}")
    expect(box).to_contain_text(cnt.technique(B).steps[0])
    expect(box.get_by_text("Repetition 1 of 2 · left side", exact=True)).to_be_visible()
    timer = box.get_by_role("timer")
    expect(timer).to_have_text("0:30")
    stop_if = box.get_by_text("Stop at once if:")
    expect(stop_if).to_be_in_viewport()
    box.get_by_role("button", name="Next step").click()
    expect(box).to_contain_text(cnt.technique(B).steps[1])
    phone.evaluate(COUNT_ANNOUNCEMENTS)

    box.get_by_role("button", name="Start the hold").click()
    phone.clock.run_for(10_000)
    expect(timer).to_have_text("0:20")
    assert phone.evaluate("window.__said") == [], "the countdown is not read out second by second"
    box.get_by_role("button", name="Pause").click()
    phone.clock.run_for(5_000)
    expect(timer).to_have_text("0:20")  # paused: the hold waits
    box.get_by_role("button", name="Resume").click()
    phone.clock.run_for(20_000)
    expect(box.get_by_text("Repetition 2 of 2 · left side", exact=True)).to_be_visible()
    expect(timer).to_have_text("0:30")
    said = phone.evaluate("window.__said")
    assert said[-1] == "Repetition 1 of 2 · left side done. Next: Repetition 2 of 2 · left side.", said
    assert len(said) <= 3, said  # paused, resumed, the next repetition: no per-second chatter
    expect(stop_if).to_be_in_viewport()  # still in sight

    box.get_by_role("button", name="Skip").click()  # to the next technique, with its own (changed) hold
    expect(box.get_by_role("heading", name=cnt.technique(A).name)).to_be_visible()
    expect(box).to_contain_text("Technique 2 of 2")
    expect(timer).to_have_text("0:45")
    box.get_by_role("button", name="Stop").click()
    expect(phone.get_by_role("dialog")).to_have_count(0)
    expect(main.get_by_role("button", name="Start", exact=True)).to_be_focused()
    phone.clock.resume()


def log_rows(main) -> list[str]:
    return main.locator(".psoas-p-table tbody tr").all_inner_texts()


def tick_today(main, pain: int) -> None:
    main.get_by_role("radio", name=str(pain), exact=True).check()
    main.get_by_role("button", name="Done today").click()
    expect(main.get_by_role("status")).to_have_text(f"Done today, pain {pain} out of 10: kept in this browser.")


def test_the_plan_at_home_from_the_qr_code_to_a_ticked_day(app_url, new_page, cnt):
    link = sheet_link(new_page, app_url)

    phone = new_page(viewport=PHONE)
    phone.clock.install()  # time flows as usual until the test pauses it
    arrive(phone, link)
    main = phone.get_by_test_id("stMain")
    expect(main.get_by_role("button", name="I understand")).to_be_in_viewport(ratio=1)  # on the first screen
    expect(main.get_by_test_id("stAlertContentWarning").get_by_text(cnt.safety.short)).to_be_in_viewport()
    expect(main.get_by_text("Read the whole safety warning")).to_be_visible()  # the rest, one tap away
    acknowledge(phone)
    expect(main.get_by_role("heading", name="Your psoas plan", exact=True)).to_be_visible()
    headings = main.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:2] == [f"1. {cnt.technique(B).name}", f"2. {cnt.technique(A).name}"], headings
    expect(main.get_by_label("Patient's name (optional)")).to_have_count(0)  # the clinician's fields are not here
    expect(main.get_by_text("Ctrl+P")).to_have_count(0)
    for action in ("Start", "Print", "Download PDF", "Change this plan"):
        expect(main.get_by_role("button", name=action, exact=True)).to_be_visible()
    phone.evaluate(STUB_PRINT)
    main.get_by_role("button", name="Print", exact=True).click()
    assert phone.evaluate("window.__printed") == [""]

    follow_along(phone, cnt)

    asked = reruns_sent(phone)
    expect(main.get_by_text("Your log is empty.")).to_be_attached()
    expect(main.get_by_role("button", name="Erase my log")).to_be_disabled()
    tick_today(main, 3)
    assert len(log_rows(main)) == 1 and log_rows(main)[0].endswith("3"), log_rows(main)
    main.get_by_role("button", name="Erase my log").click()  # the undo, confirmed first
    main.get_by_role("button", name="Keep it").click()
    assert len(log_rows(main)) == 1
    main.get_by_role("button", name="Erase my log").click()
    main.get_by_role("button", name="Yes, erase it").click()
    expect(main.get_by_text("Your log is empty.")).to_be_attached()
    assert phone.evaluate(f"localStorage.getItem('{LOG}')") is None  # gone from the browser, not just hidden
    tick_today(main, 2)
    main.get_by_role("button", name="Print my log").click()
    assert phone.evaluate("window.__printed")[-1] == "psoas-print-log"  # the log alone goes to paper
    assert asked == [], "the log never goes to the server"
    assert phone.url == link, phone.url  # nor into the address

    arrive(phone, None)  # reload: the log is there and the warning is not asked again
    expect(main.get_by_role("heading", name="Your psoas plan", exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name=GATE)).to_have_count(0)
    expect(main.locator(".psoas-p-table tbody tr")).to_have_count(1)
    assert log_rows(main)[0].endswith("2"), log_rows(main)

    stranger = new_page(viewport=PHONE)  # the same address in a new browser: asked first, no log
    arrive(stranger, phone.url)
    acknowledge(stranger)
    expect(stranger.get_by_test_id("stMain").get_by_text("Your log is empty.")).to_be_attached()
    stranger.close()  # the visitor leaves (its context goes back to the pool: conftest.WarmContexts)

    with rerun_expected(phone):  # the clinician's way back to the builder, with this plan
        main.get_by_role("button", name="Change this plan").click()
    expect(main.get_by_role("tabpanel", name="Your handout")).to_be_visible()
    expect(main.get_by_role("tab", name=re.compile("^Your handout"))).to_have_attribute("aria-selected", "true")
    assert phone.url.endswith(f"/techniques?{PLAN}&tab=handout"), phone.url  # the builder's tab, in the link too
