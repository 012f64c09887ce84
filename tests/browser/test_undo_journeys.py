"""Every action a visitor can take, and its undo, in a real browser (issue 12).

After each step the test asserts what the person sees, then reopens the address bar's link in a fresh browser
context (a new visitor: new session, gate acknowledged again) and asserts that visitor sees the same screen:
the same widget values, result count, cards, handout picks, layers, view and angle. The reopening is what the
old tests never did. The session's one Streamlit server; the fresh contexts load while the journey goes on
(``Journey.check`` starts them, ``Journey.finish`` compares), and a link already reopened with the same
expected screen (an undo back to the start) is not reopened twice, so the file stays near three minutes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from tests.browser.support import GATE, open_page, rerun_expected, run_finished, wait_for_app
from tests.support import shipped_content

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
MATCH = re.compile(r"(\d+) of (\d+) techniques match")
CLINICIAN_CHECK = "Clinician check before any deep work"
PICKS = ("half_kneeling_hip_flexor_stretch", "desk_movement_breaks")
LAYER_LABELS = {
    "psoas_major": "Psoas major",
    "psoas_minor": "Psoas minor",
    "iliacus": "Iliacus",
    "rectus_femoris": "Rectus femoris",
    "lumbar_plexus": "Lumbar plexus nerves",
    "arteries": "Aorta and iliac arteries",
    "kidneys_ureters": "Kidneys and ureters",
}

# What a person sees, read in one go: widget values, the count line, cards and their handout buttons, the
# active-filter badges, the open tab, the handout panel, consult mode, and the anatomy controls and diagram.
SCREEN_JS = r"""m => {
  const txt = e => e ? (e.innerText || '').replace(/\s+/g, ' ').trim() : null;
  const all = (sel, root) => [...(root || m).querySelectorAll(sel)];
  const label = w => txt(w.querySelector('[data-testid="stWidgetLabel"]'));
  const out = {widgets: {}};
  for (const w of all('[data-testid="stMultiSelect"]')) out.widgets[label(w)] = all('[data-baseweb="tag"]', w).map(txt);
  for (const w of all('[data-testid="stSelectbox"], [data-testid="stTextInput"]'))
    out.widgets[label(w)] = (i => i ? i.value || i.placeholder : null)(w.querySelector('input'));
  for (const w of all('[data-testid="stCheckbox"]')) if (w.querySelector('input:checked')) out.widgets[txt(w)] = true;
  for (const g of all('[role="radiogroup"], [role="toolbar"]'))
    out.widgets[g.getAttribute('aria-label')] = all('[aria-checked="true"], [aria-pressed="true"]', g).map(txt);
  for (const s of all('[role="slider"]')) out.widgets[s.getAttribute('aria-label') || 'slider'] =
    s.getAttribute('aria-valuenow') || s.value;
  const count = all('h1, h2, h3, p').find(e => /techniques match/.test(e.innerText || ''));
  out.count = txt(count);
  out.cards = all('[class*="st-key-tech_"]').map(c => [txt(c.querySelector('h3')),
    /Remove from handout/.test(c.innerText) ? 'in handout' : 'not in handout']);
  out.filters = all('.stMarkdownBadge').map(txt)
    .filter(t => /^(Goal|For|Where|Who does it|Intensity|Using only|Evidence|Search): /.test(t));
  out.tab = all('[role="tab"][aria-selected="true"]').map(txt);
  out.tabs = all('[role="tab"]').map(txt);
  const handout = all('h1, h2, h3').find(e => /^Your handout \(\d+\)/.test(txt(e)));
  out.handout = handout ? txt(handout) : null;
  out.consult = all('button').some(b => /Leave consult mode/.test(b.innerText));
  const metric = m.querySelector('[data-testid="stMetric"]');
  const length = m.querySelector('.psoas-diagram .pd-value');  // the diagram's live psoas length
  out.metric = metric ? txt(metric.querySelector('[data-testid="stMetricValue"]')) : length ? txt(length) : null;
  const gd = m.querySelector('[role="figure"][aria-label*="the lower spine"] .js-plotly-plot');
  if (gd && gd._fullData) {
    const always = ['bones', 'body', 'labels'];  // drawn whatever the layers
    const shown = gd._fullData.filter(t => t.meta && t.meta.layer && !always.includes(t.meta.layer)
                                       && t.visible !== false);
    out.drawn = [...new Set(shown.map(t => t.meta.layer))].sort();
    out.three_d = !!(gd._fullLayout && gd._fullLayout.scene && gd._fullData.some(t => /3d/.test(t.type)));
  }
  return out;
}"""


def screen(page) -> dict[str, Any]:
    """What the person sees now (see SCREEN_JS)."""
    return page.get_by_test_id("stMain").evaluate(SCREEN_JS)


# Resolves with the screen (SCREEN_JS) once it equals ``want``, or shows every key of ``part`` as given, or else
# is quiet (Streamlit's run over, no stale element left, every diagram and chart drawn by Plotly, which draws
# after the run has ended) and has stayed the same for ``frames`` painted frames; after ``ms``, with whatever it
# shows. Keys are compared in sorted order, as Python compares dicts.
SETTLED_JS = (
    """(m, {want, part, frames, ms}) => new Promise(done => {
  const screen = """
    + SCREEN_JS
    + """;
  const same = (a, b) => JSON.stringify(a, sorted) === JSON.stringify(b, sorted);
  const sorted = (k, v) => v && typeof v === "object" && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) : v;
  const app = document.querySelector('[data-testid="stApp"]');
  const quiet = () => app.getAttribute("data-test-script-state") === "notRunning"  // the run is over,
    && !m.querySelector('[data-testid="stElementContainer"][data-stale="true"]')  // its elements all drawn,
    && [...m.querySelectorAll(".psoas-diagram, .psoas-chart")].every(r => r.getAttribute("data-drawn") === "1");
  const end = performance.now() + ms;
  let last = null, still = 0;
  const tick = () => {
    const now = screen(m);
    if (want) still = same(now, want) ? frames : 0;
    else if (part) still = Object.keys(part).every(k => same(now[k], part[k])) ? frames : 0;
    else still = last !== null && quiet() && same(now, last) ? still + 1 : 0;
    last = now;
    if (still >= frames || performance.now() > end) done(now);
    else requestAnimationFrame(tick);
  };
  tick();
})"""
)


def settled(page, want: dict | None = None, part: dict | None = None, frames: int = 10) -> dict[str, Any]:
    """The screen once it equals ``want``, or shows ``part``, or else is quiet and stays so for ``frames`` frames;
    after TIMEOUT, whatever it shows (the caller's comparison then says what differs)."""
    arg = {"want": want, "part": part, "frames": frames, "ms": TIMEOUT}
    screen: dict[str, Any] = page.get_by_test_id("stMain").evaluate(SETTLED_JS, arg)
    return screen


def differences(want: dict, got: dict) -> dict:
    """What differs between two screens, key by key (widgets one by one), as (expected, seen)."""
    out = {}
    for k in sorted(set(want) | set(got)):
        a, b = want.get(k), got.get(k)
        if isinstance(a, dict) and isinstance(b, dict):
            out.update({f"{k}.{w}": (a.get(w), b.get(w)) for w in set(a) | set(b) if a.get(w) != b.get(w)})
        elif a != b:
            out[k] = (a, b)
    return out


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def acknowledge(page) -> None:
    main = page.get_by_test_id("stMain")
    with rerun_expected(page):
        main.get_by_role("button", name="I understand").click()
    expect(main.get_by_role("heading", name=GATE)).to_have_count(0)


def open_section(page, label: str) -> None:
    """Open a (lazy) expander of the main area by the start of its label."""
    box = page.get_by_test_id("stMain").get_by_test_id("stExpander").filter(has_text=label)
    with rerun_expected(page):
        box.locator("summary").click()
    expect(box.locator("details")).to_have_attribute("open", "")


def open_tab(page, name: str) -> None:
    """Open a tab, unless the link opened it already (the open tab is in the link: issue 23)."""
    tab = page.get_by_test_id("stMain").get_by_role("tab", name=name)
    if tab.get_attribute("aria-selected") != "true":
        with rerun_expected(page):
            tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


@dataclass
class Journey:
    """A visitor's journey; ``check`` reopens the current address as a new visitor and compares screens.

    prepare: what the new visitor does first to look at the same part of the page (open the same tab or
    expander: these are not part of a link).
    """

    page: Any
    new_page: Callable[..., Any]
    prepare: Callable[[Any], None] | None = None
    pending: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    reopened: set = field(default_factory=set)

    def check(self, step: str, want: dict | None = None) -> dict[str, Any]:
        """The screen after ``step`` (settled); a fresh context starts loading the current address."""
        mine = settled(self.page)
        want = want if want is not None else mine
        seen = (self.page.url, json.dumps(want, sort_keys=True), self.prepare)
        if seen in self.reopened:  # this very link and screen were already checked by a new visitor
            return mine
        self.reopened.add(seen)
        other = self.new_page()
        other.goto(self.page.url, wait_until="commit")
        self.pending.append((step, self.page.url, want, other, self.prepare))
        if len(self.pending) >= 5:
            self._compare(self.pending.pop(0))
        return mine

    def _compare(self, item) -> None:
        step, url, want, other, prepare = item
        try:
            wait_for_app(other)
            if other.runs == 0:
                other.stream.wait_for_event("framereceived", predicate=run_finished, timeout=TIMEOUT)
            if other.get_by_test_id("stMain").get_by_role("heading", name=GATE).count():
                acknowledge(other)
            if prepare:
                prepare(other)
            theirs = settled(other, want)
        except Exception as exc:  # noqa: BLE001 - reported with the step, like a difference
            self.failures.append(f"{step}: reopening {url} failed: {exc}")
            return
        if theirs != want:
            diff = differences(want, theirs)
            self.failures.append(f"{step}: {url} reopened by a new visitor shows something else: {diff}")
        other.close()  # the visitor leaves; its context goes back to the pool (conftest.WarmContexts)

    def finish(self) -> None:
        while self.pending:
            self._compare(self.pending.pop(0))
        assert not self.failures, "\n".join(self.failures)


# --- the handout ------------------------------------------------------------------------------


def card(page, name: str):
    main = page.get_by_test_id("stMain")
    return main.locator("[class*='st-key-tech_']").filter(has=page.get_by_role("heading", name=name, exact=True))


def press_on_card(page, name: str, button: str) -> None:
    with rerun_expected(page):
        card(page, name).get_by_role("button", name=button).click()


def test_handout_add_remove_and_clear_by_clicks(app_url, new_page):
    """Add two cards, remove one, clear the rest: buttons, the handout count and h= follow every step."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"))
    main = page.get_by_test_id("stMain")
    first, second = [s.strip() for s in main.locator("[class*='st-key-tech_'] h3").all_inner_texts()[:2]]
    ids = {t.name: t.id for t in shipped_content().techniques.techniques}
    j = Journey(page, new_page)
    start = j.check("nothing picked")
    assert all(state == "not in handout" for _name, state in start["cards"]), start["cards"]

    press_on_card(page, first, "Add to handout")
    expect(card(page, first).get_by_role("button", name="Remove from handout")).to_be_visible()
    assert query(page).get("h") == [ids[first]], page.url
    j.check(f"added {first}")

    press_on_card(page, second, "Add to handout")
    expect(card(page, second).get_by_role("button", name="Remove from handout")).to_be_visible()
    assert query(page).get("h") == [ids[first], ids[second]], page.url
    j.check(f"added {second}")

    press_on_card(page, first, "Remove from handout")  # the undo
    expect(card(page, first).get_by_role("button", name="Add to handout")).to_be_visible()
    expect(card(page, second).get_by_role("button", name="Remove from handout")).to_be_visible()
    expect(main.get_by_role("tab", name=re.compile("^Your handout"))).not_to_have_text(re.compile(r"\(2\)"))
    assert query(page).get("h") == [ids[second]], page.url
    j.check(f"removed {first}")

    j.prepare = lambda p: open_tab(p, "Your handout")
    open_tab(page, "Your handout")
    panel = main.get_by_role("tabpanel", name="Your handout")
    expect(panel.get_by_role("heading", name="Your handout (1)")).to_be_visible()
    expect(panel).to_contain_text(second)
    expect(panel).not_to_contain_text(first)
    j.check("handout tab with one pick")

    with rerun_expected(page):
        panel.get_by_role("button", name="Clear handout").click()
    expect(panel.get_by_role("heading", name="Your handout (0)")).to_be_visible()
    assert "h" not in query(page), page.url
    j.check("cleared")

    j.prepare = None
    open_tab(page, "Find a technique")
    after = j.check("back on the list after clearing")
    assert after["cards"] == start["cards"], (after["cards"], start["cards"])
    j.finish()


def test_handout_from_a_link_can_be_removed_and_cleared(app_url, new_page):
    """Picks that came from a link (h=...&h=...) leave the handout when removed or cleared, and stay gone."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"), "&".join(f"h={p}" for p in PICKS))
    main = page.get_by_test_id("stMain")
    names = [shipped_content().technique(p).name for p in PICKS]
    j = Journey(page, new_page, prepare=lambda p: open_tab(p, "Your handout"))
    open_tab(page, "Your handout")
    panel = main.get_by_role("tabpanel", name="Your handout")
    expect(panel.get_by_role("heading", name="Your handout (2)")).to_be_visible()
    for name in names:
        expect(panel).to_contain_text(name)
    assert query(page).get("h") == list(PICKS), page.url
    j.check("opened with two picks from the link")

    with rerun_expected(page):
        panel.get_by_role("button", name="Clear handout").click()
    expect(panel.get_by_role("heading", name="Your handout (0)")).to_be_visible()
    for name in names:
        expect(panel).not_to_contain_text(name)
    assert "h" not in query(page), page.url
    j.check("cleared the link's picks")

    # Still empty after the visitor goes back to the list and returns: the link does not put them back.
    open_tab(page, "Find a technique")
    expect(main.get_by_text(MATCH)).to_be_visible()
    assert "h" not in query(page), page.url
    open_tab(page, "Your handout")
    expect(panel.get_by_role("heading", name="Your handout (0)")).to_be_visible()
    j.check("still empty after switching tabs")
    j.finish()


def test_handout_pick_from_a_link_removed_on_its_card(app_url, new_page):
    """A pick from a link shows "Remove from handout" on its card; pressing it takes it out for good."""
    first = shipped_content().technique(PICKS[1])
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"), f"h={first.id}&q={first.name.replace(' ', '+')}")
    j = Journey(page, new_page)
    expect(card(page, first.name).get_by_role("button", name="Remove from handout")).to_be_visible()
    j.check("opened with one pick")
    press_on_card(page, first.name, "Remove from handout")
    expect(card(page, first.name).get_by_role("button", name="Add to handout")).to_be_visible()
    assert "h" not in query(page), page.url
    j.check("removed the link's pick")
    j.finish()


# --- technique filters ------------------------------------------------------------------------


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in a multiselect or a selectbox, as a visitor does: type to filter the list, click it."""
    main = page.get_by_test_id("stMain")
    box = main.get_by_role("combobox", name=label)
    # The list closes on any scroll (react-aria): scroll first and let two frames pass (see pick() in
    # test_user_journeys), then typing opens the list filtered to the option.
    box.scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    box.fill(option)
    expect(box).to_have_attribute("aria-expanded", "true")
    with rerun_expected(page):
        page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()
    if box.get_attribute("aria-expanded") == "true":  # a multiselect's list stays open for the next choice
        page.keyboard.press("Escape")  # (on a selectbox, Escape would undo the choice)


def unchoose(page, label: str) -> None:
    """Take the one chosen option out of a multiselect (Backspace in its box, as a keyboard user does)."""
    box = page.get_by_test_id("stMain").get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed()
    box.focus()
    with rerun_expected(page):
        box.press("Backspace")
    page.keyboard.press("Escape")


def type_search(page, text: str) -> None:
    box = page.get_by_test_id("stMain").get_by_role("textbox", name="Search names and steps")
    box.fill(text)
    with rerun_expected(page):
        box.press("Enter")
    expect(box).to_have_value(text)


# (label, option picked, option that undoes it or None for a multiselect, link parameter, link value)
FILTERS = [
    ("Goal", "Stress", None, "goal", "stress"),
    ("Who it is for", "Athletes", None, "audience", "athletes"),
    ("Where", "Work", None, "setting", "work"),
    ("Who does it", "By a therapist", None, "performer", "therapist"),
    ("Intensity", "Gentle", None, "intensity", "gentle"),
    ("Equipment I have", "No equipment", None, "equipment", "none"),
    ("Weakest evidence to show", "B or better", "Any evidence", "evidence", "B"),
    ("Sort by", "Name (A to Z)", "Strongest evidence first", "sort", "name"),
]


def test_each_technique_filter_on_and_off_and_reset(app_url, new_page):
    """Each filter changes the list and the link; taking it off brings back the same list and a bare link."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"))
    more = "More filters"
    open_section(page, more)
    j = Journey(page, new_page, prepare=lambda p: open_section(p, more))
    base = j.check("no filters")
    assert MATCH.fullmatch(base["count"]), base["count"]
    assert query(page) == {}, page.url
    unset = {k: v for k, v in base["widgets"].items() if isinstance(v, str) and k != "Search names and steps"}
    assert all(v.startswith("Any") or k == "Sort by" for k, v in unset.items()), unset  # not "Choose an option"

    for label, option, undo, param, value in FILTERS:
        choose(page, label, option)
        on = settled(page)
        assert on != base, f"{label}={option} changed nothing on screen"
        assert query(page) == {param: [value]}, (label, page.url)
        if param != "sort":
            assert on["count"] != base["count"] or on["cards"] != base["cards"], label
            assert any(option.split(" (")[0].split(" or")[0] in f for f in on["filters"]) or param == "evidence", on
        j.check(f"{label} = {option}")

        if undo is None:
            unchoose(page, label)
        else:
            choose(page, label, undo)
        off = j.check(f"{label} back to any", want=base)
        assert off == base, (label, differences(base, off))
        assert query(page) == {}, (label, page.url)

    type_search(page, "chair")
    searched = settled(page)
    assert searched["count"] != base["count"] and query(page) == {"q": ["chair"]}, (searched["count"], page.url)
    j.check("search chair")
    type_search(page, "")
    assert query(page) == {}, page.url
    j.check("search cleared", want=base)

    choose(page, "Goal", "Mobility")
    choose(page, "Intensity", "Gentle")
    assert query(page) == {"goal": ["mobility"], "intensity": ["gentle"]}, page.url
    j.check("two filters")
    with rerun_expected(page):
        page.get_by_test_id("stMain").get_by_role("button", name="Reset filters").click()
    expect(page.get_by_test_id("stMain").get_by_role("button", name="Reset filters")).to_have_count(0)
    assert query(page) == {}, page.url
    assert settled(page, base) == base
    j.check("reset filters", want=base)
    j.finish()


# --- the safety screen ------------------------------------------------------------------------


def tick(page, question: str) -> None:
    box = page.get_by_test_id("stMain").get_by_test_id("stCheckbox").filter(has_text=question)
    with rerun_expected(page):
        box.locator("label").click()


def near_count_line(page) -> str:
    """The count line and what follows it closely (the next 200 characters of the main area's text)."""
    text = page.get_by_test_id("stMain").inner_text()
    found = MATCH.search(text)
    assert found, text[:500]
    return text[found.start() : found.end() + 200]


def test_safety_screen_ticked_and_unticked(app_url, new_page):
    """Ticking "pregnant" hides techniques and says how many next to the count; a red flag hides all but the
    clinician check, with its reason said once; unticking brings everything back. Answers never reach a link."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"))
    main = page.get_by_test_id("stMain")
    total = int(MATCH.search(main.get_by_text(MATCH).inner_text()).group(1))
    section = "Safety check (optional)"
    j = Journey(page, new_page)
    base = j.check("no answers")
    open_section(page, section)
    pregnant = next(x.question for x in shipped_content().safety.contraindications if x.id == "pregnancy").strip()
    affected = [t for t in shipped_content().techniques.techniques if "pregnancy" in t.contraindications]
    assert affected

    tick(page, pregnant)
    line = main.get_by_text(MATCH)
    expect(line).not_to_have_text(re.compile(rf"^{total} of"))
    shown = int(MATCH.search(line.inner_text()).group(1))
    hidden = total - shown
    assert hidden == len(affected), (hidden, [t.name for t in affected])
    near = near_count_line(page)
    assert re.search(rf"\b{hidden}\b[^\n]{{0,60}}hidden|hidden[^\n]{{0,60}}\b{hidden}\b", near, re.I), near
    assert query(page) == {}, page.url  # answers stay on this page
    j.check("pregnant ticked: a new visitor with this link sees every technique", want=base)

    flag = shipped_content().safety.red_flags[0].label
    tick(page, flag)
    expect(main.get_by_text("See a clinician first")).to_be_visible()
    expect(line).to_have_text(re.compile(r"^[1-9]\d* of "))  # never "0 of 21": the clinician check stays
    expect(card(page, CLINICIAN_CHECK)).to_be_visible()
    text = main.inner_text()
    reasons = [re.sub(r"^.*?: ", "", ln) for ln in text.splitlines() if "ticked" in ln.lower()]
    repeated = {r: reasons.count(r) for r in reasons if reasons.count(r) > 2}
    assert not repeated, repeated  # a reason said once, not once per hidden technique
    assert query(page) == {}, page.url
    j.check("red flag ticked: a new visitor sees every technique", want=base)

    tick(page, flag)
    tick(page, pregnant)
    expect(line).to_have_text(re.compile(rf"^{total} of {total} techniques match"))
    expect(main.get_by_text("See a clinician first")).to_have_count(0)
    expect(main.get_by_text(re.compile("hidden by your safety answers", re.I))).to_have_count(0)
    with rerun_expected(page):  # close the safety check again, as it was at the start
        main.get_by_test_id("stExpander").filter(has_text=section).locator("summary").click()
    after = settled(page)
    assert after["count"] == base["count"] and after["cards"] == base["cards"], (after, base)
    j.check("both unticked", want=base)
    j.finish()


# --- anatomy: layers, views, consult mode -----------------------------------------------------


def layer_pill(page, layer: str):
    bar = page.get_by_test_id("stMain").get_by_role("toolbar", name="Layers")
    return bar.get_by_role("button", name=LAYER_LABELS[layer], exact=True)


def switch_layer(page, layer: str) -> None:
    with rerun_expected(page):
        layer_pill(page, layer).click()


def test_each_anatomy_layer_on_and_off(app_url, new_page):
    """Each layer switched on is drawn and in the link; switched off it goes from both."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("anatomy"))
    j = Journey(page, new_page)
    base = j.check("default layers")
    assert base["drawn"] == ["psoas_major"], base
    for layer in LAYER_LABELS:
        if layer == "psoas_major":
            continue
        switch_layer(page, layer)
        expect(layer_pill(page, layer)).to_have_attribute("aria-pressed", "true")
        on = settled(page, part={"drawn": sorted(["psoas_major", layer])})
        assert on["drawn"] == sorted(["psoas_major", layer]), (layer, on["drawn"])
        assert sorted(query(page).get("layers", [])) == sorted(["psoas_major", layer]), page.url
        j.check(f"{layer} on")
        switch_layer(page, layer)
        expect(layer_pill(page, layer)).to_have_attribute("aria-pressed", "false")
        assert settled(page, base) == base, layer
        assert "layers" not in query(page), page.url
        j.check(f"{layer} off", want=base)

    switch_layer(page, "psoas_major")  # every layer off is a view of its own (layers=none)
    off = settled(page, part={"drawn": []})
    assert off["drawn"] == [], off
    assert query(page).get("layers") == ["none"], page.url
    j.check("no layers")
    switch_layer(page, "psoas_major")
    assert settled(page, base) == base
    j.check("psoas back on", want=base)
    j.finish()


def choose_view(page, name: str) -> None:
    group = page.get_by_test_id("stMain").get_by_role("radiogroup", name="View")
    with rerun_expected(page):
        group.get_by_role("radio", name=name, exact=True).click()
    expect(group.get_by_role("radio", name=name, exact=True)).to_have_attribute("aria-checked", "true")


def test_each_anatomy_view_and_back(app_url, new_page):
    """Front, side and 3D each show their diagram and go in the link; front again gives the bare link."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("anatomy"), "angle=45&layers=psoas_major&layers=iliacus")
    # the view switch and the diagram come from lazily loaded chunks, after the run that sent them has ended
    expect(page.get_by_test_id("stMain").get_by_role("radiogroup", name="View")).to_be_visible()
    expect(page.get_by_test_id("stMain").locator(".psoas-diagram[data-drawn='1']")).to_have_count(1)
    j = Journey(page, new_page)
    base = j.check("front, 45 degrees, psoas and iliacus")
    assert base["widgets"]["View"] == ["Front"] and base["drawn"] == ["iliacus", "psoas_major"], base
    for name, value, three_d in (("Side", "side", False), ("3D", "3d", True), ("Front", None, False)):
        choose_view(page, name)
        now = settled(page, part={"three_d": three_d})  # WebGL draws late
        assert now["widgets"]["View"] == [name] and now.get("three_d") == three_d, now
        assert now["drawn"] == ["iliacus", "psoas_major"], now  # layers and angle survive a change of view
        assert query(page).get("view") == ([value] if value else None), page.url
        assert query(page).get("angle") == ["45"], page.url
        j.check(f"view {name}")
    j.finish()


def consult_switch(page):
    return page.get_by_test_id("stSidebar").get_by_role("switch", name="Consult mode")


def test_anatomy_consult_mode_keeps_the_links_layers(app_url, new_page):
    """A consult link with layers shows those layers; switching layers in consult mode updates the link; consult
    mode off and on again keeps everything."""
    page = new_page()
    link = "view=side&layers=psoas_major&layers=iliacus&angle=90&consult=1"
    open_page(page, app_url, site.page_by_url("anatomy"), link)
    main = page.get_by_test_id("stMain")
    j = Journey(page, new_page)
    expect(main.get_by_role("button", name="Leave consult mode")).to_be_visible()
    for layer in ("psoas_major", "iliacus"):
        expect(layer_pill(page, layer)).to_have_attribute("aria-pressed", "true")
    first = settled(page, None)
    assert first["drawn"] == ["iliacus", "psoas_major"], first
    assert first["widgets"]["View"] == ["Side"] and first["metric"] == "19.6 cm", first
    assert query(page) == parse_qs(link), page.url
    j.check("consult link opened")

    switch_layer(page, "iliacus")
    expect(layer_pill(page, "iliacus")).to_have_attribute("aria-pressed", "false")
    assert settled(page, part={"drawn": ["psoas_major"]})["drawn"] == ["psoas_major"]
    assert "layers" not in query(page) and query(page).get("consult") == ["1"], page.url
    j.check("iliacus off in consult mode")

    switch_layer(page, "arteries")
    expect(layer_pill(page, "arteries")).to_have_attribute("aria-pressed", "true")
    assert sorted(query(page).get("layers", [])) == ["arteries", "psoas_major"], page.url
    consult_layers = settled(page)
    assert consult_layers["drawn"] == ["arteries", "psoas_major"], consult_layers
    j.check("arteries on in consult mode")

    with rerun_expected(page):
        main.get_by_role("button", name="Leave consult mode").click()
    expect(main.get_by_role("button", name="Leave consult mode")).to_have_count(0)
    left = settled(page)
    assert left["drawn"] == consult_layers["drawn"] and left["widgets"]["View"] == ["Side"], left
    assert "consult" not in query(page) and sorted(query(page).get("layers", [])) == ["arteries", "psoas_major"]
    j.check("consult mode off")

    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true" or not consult_switch(page).is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
    with rerun_expected(page):
        consult_switch(page).locator("xpath=ancestor::label").click()  # the input itself is visually hidden
    expect(main.get_by_role("button", name="Leave consult mode")).to_be_visible()
    back = settled(page)
    assert back["drawn"] == consult_layers["drawn"], back
    assert query(page).get("consult") == ["1"], page.url
    j.check("consult mode on again")
    j.finish()


def test_techniques_consult_mode_on_and_off(app_url, new_page):
    """Consult mode on the techniques page keeps the filters and the handout; off again, the same list."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"), "goal=stress")
    main = page.get_by_test_id("stMain")
    j = Journey(page, new_page)
    base = j.check("stress filter")
    with rerun_expected(page):
        consult_switch(page).locator("xpath=ancestor::label").click()
    expect(main.get_by_role("button", name="Leave consult mode")).to_be_visible()
    on = settled(page)
    assert on["count"] == base["count"] and on["cards"] == base["cards"], (on, base)
    assert query(page) == {"goal": ["stress"], "consult": ["1"]}, page.url
    j.check("consult on")
    with rerun_expected(page):
        main.get_by_role("button", name="Leave consult mode").click()
    assert query(page) == {"goal": ["stress"]}, page.url
    j.check("consult off", want=base)
    j.finish()
