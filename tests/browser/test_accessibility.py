"""Accessibility in a real browser: axe-core on every page and state, the diagram's name and text alternative
as the browser exposes them to assistive technology, and evidence badges that say their grade in words."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from psoas_explorer import settings
from psoas_explorer.anatomy import description as anatomy_view
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import load
from psoas_explorer.content import model as c
from psoas_explorer.links import pages as site
from tests.browser.support import (
    GATE,
    no_failure_shown,
    open_page,
    rerun_expected,
    unexpected,
    wait_for_app,
    watch_console,
    watch_csp,
)

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
AXE = Axe()
# Serious and critical are the bar; moderate (heading order, landmarks) is held too, since none is left.
FAILING = frozenset({"moderate", "serious", "critical"})
# (rule id, CSS target) pairs axe may report without failing: only for Streamlit's own markup that the app
# cannot change, each with its reason. None is needed with Streamlit 1.67 and this app.
ALLOWED: frozenset[tuple[str, str]] = frozenset()
PICKS = "h=half_kneeling_hip_flexor_stretch&h=desk_movement_breaks"
ALL_LAYERS = "&".join(f"layers={layer}" for layer in gm.LAYERS)
TEXT_ALTERNATIVE = "Text description and table of attachments"
EVIDENCE = re.compile(r"Evidence ([A-Z]): (.+)")


@pytest.fixture(scope="module")
def cnt() -> c.Content:
    return load.load_content(settings.data_dir())


def violations(page, state: str) -> list[str]:
    """axe-core's moderate, serious and critical findings on the page as it is now, one line per element."""
    found = []
    for rule in AXE.run(page).response["violations"]:
        if rule["impact"] not in FAILING:
            continue
        for node in rule["nodes"]:
            target = " ".join(map(str, node["target"]))
            if (rule["id"], target) not in ALLOWED:
                found.append(f"{state}: {rule['id']} ({rule['impact']}) at {target}: {node['html'][:160]}")
    return found


def ax_tree(page) -> list[tuple[str, str, dict]]:
    """Chromium's own accessibility tree, (role, name, properties) per exposed node: what a screen reader gets.

    Playwright's role locators skip some of it: the dataframe's table is canvas fallback content, which
    Chromium exposes but Playwright counts as hidden, and a <summary> has no ARIA role of its own.
    """
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return [
        (
            n.get("role", {}).get("value", ""),
            n.get("name", {}).get("value", ""),
            {p["name"]: p["value"].get("value") for p in n.get("properties", [])},
        )
        for n in nodes
        if not n.get("ignored")
    ]


def expand(page, title: str) -> None:
    """Open an expander with the keyboard, as a keyboard or screen-reader user would."""
    summary = page.get_by_test_id("stMain").get_by_test_id("stExpander").filter(has_text=title).locator("summary")
    summary.first.focus()
    with rerun_expected(page):  # a lazy expander reruns the page: wait for it before the next key press
        page.keyboard.press("Enter")
    expect(summary.first.locator("xpath=..")).to_have_attribute("open", "")


@pytest.mark.parametrize("spec", site.PAGES, ids=lambda p: p.url_path or "home")
def test_every_page_loads_without_errors_and_passes_axe_in_each_state(app_url, new_page, spec):
    """Every page (gated ones acknowledged) draws its heading with no error anywhere, and in each state a visitor
    meets passes axe-core's moderate, serious and critical rules and breaks no Content-Security-Policy rule
    (test_csp.py tours the states this tour does not reach). (The one tour of every page on a desktop screen;
    test_user_journeys has the phone's.)"""
    page = new_page()
    errors = watch_console(page)
    csp = watch_csp(page)
    main = page.get_by_test_id("stMain")
    found: list[str] = []

    def check(state: str) -> None:
        """axe-core on the page as it is now, and the CSP violations its document has reported so far."""
        found.extend(violations(page, state))
        page.collect(state)

    query = PICKS if spec.gated else ""
    if spec.gated:  # the warning screen first, as every visitor sees it
        page.goto(f"{app_url}/{spec.url_path}?{query}")
        wait_for_app(page)
        expect(main.get_by_role("heading", name=GATE)).to_be_visible()
        check("safety gate")
    open_page(page, app_url, spec, query)
    expect(main.get_by_role("heading", name=GATE)).to_have_count(0)
    expect(main.get_by_role("heading", level=1)).to_have_text(spec.heading)
    expect(main.locator("[data-testid='stPlotlyChart']:not(:has(.js-plotly-plot))")).to_have_count(0)
    if spec.url_path == "anatomy":  # our diagram component drew, and said nothing went wrong
        expect(main.locator(".psoas-diagram[data-drawn='1'] .js-plotly-plot")).to_have_count(1)
    expect(main.locator(".psoas-root[data-error]")).to_have_count(0)
    no_failure_shown(page)
    check("as opened")

    if spec.url_path == "anatomy":
        expand(page, TEXT_ALTERNATIVE)
        check("text alternative open")
        open_page(page, app_url, spec, ALL_LAYERS)
        layers = main.get_by_role("toolbar", name="Layers")
        expect(layers.get_by_role("button", pressed=True)).to_have_count(len(gm.LAYERS))
        expect(layers.get_by_role("button", pressed=False)).to_have_count(0)
        check("all layers")
        open_page(page, app_url, spec, "lm=insertion_lesser_trochanter")  # details under their own heading
        expect(main.get_by_role("heading", name="Psoas insertion (lesser trochanter)")).to_be_visible()
        check("landmark details")
    elif spec.url_path == "techniques":
        expand(page, "Safety check (optional)")
        expand(page, "How to do it, and precautions")
        check("safety check and a technique open")
        main.get_by_role("tab", name="Your handout").click()
        handout = main.get_by_role("tabpanel", name="Your handout")
        expect(handout.get_by_role("button", name="Download PDF")).to_be_visible()
        check("handout tab")
        main.get_by_role("tab", name="Five kinds").click()
        expect(main.get_by_role("tabpanel", name="Five kinds")).to_be_visible()
        check("kinds tab")
    elif spec.url_path == "handout":  # the patient's view: a day ticked, then the follow-along over it
        main.get_by_role("radio", name="3", exact=True).check()
        main.get_by_role("button", name="Done today").click()
        expect(main.get_by_role("status")).to_contain_text("kept in this browser")
        check("log ticked")
        main.get_by_role("button", name="Start", exact=True).click()
        page.get_by_role("dialog").get_by_role("button", name="Start the hold").click()
        check("follow-along")
    elif spec.url_path == "myths-faq":
        open_page(page, app_url, spec, "q=sitting")  # a search, its answers open
        expect(main.get_by_text(re.compile(r"\d+ myths? and \d+ questions? match"))).to_be_visible()
        check("search results")
    elif spec.url_path == "search":
        open_page(page, app_url, spec, "q=stress")  # results grouped by kind, matched words in bold
        expect(main.get_by_role("heading", name=re.compile(r"^Myths \(\d+\)$"))).to_be_visible()
        check("search results")
        open_page(page, app_url, spec, "q=zzqxv")  # nothing found: searches to try
        expect(main.get_by_text("Nothing matches")).to_be_visible()
        check("no match")
    elif spec.url_path == "evidence":
        refs = main.get_by_role("tab", name=re.compile(r"^References \(\d+\)$"))
        with rerun_expected(page):
            refs.click()
        expect(main.get_by_role("heading", name="Every reference, and what it found")).to_be_visible()
        check("references tab")
    assert not found, "axe-core, moderate or worse:\n" + "\n".join(found)
    assert not csp, "Content-Security-Policy violations:\n" + "\n".join(csp)
    assert not unexpected(errors, app_url), unexpected(errors, app_url)


def test_diagram_has_a_name_and_a_text_alternative_in_the_accessibility_tree(app_url, same_visitor, cnt):
    """The Plotly diagram is a named figure; its description and attachment table are reachable by keyboard."""
    page = same_visitor()
    open_page(page, app_url, site.page_by_url("anatomy"))
    main = page.get_by_test_id("stMain")
    diagram = main.get_by_role("figure", name=re.compile(r"^Front view of the lower spine, pelvis and both thigh"))
    expect(diagram).to_have_count(1)
    expect(diagram).to_have_accessible_name(re.compile(r"model psoas length 26\.1 cm.*lesser trochanter"))
    expect(diagram.locator(".js-plotly-plot")).to_have_count(1)  # the name is on the chart's own container
    expect(main.get_by_role("figure", name=re.compile(r"^Chart of psoas length"))).to_have_count(1)
    expect(main.locator("[data-testid='stPlotlyChart']:not([role='figure'][aria-label])")).to_have_count(0)

    tree = ax_tree(page)
    disclosure = [props for role, name, props in tree if role == "DisclosureTriangle" and name == TEXT_ALTERNATIVE]
    assert disclosure and disclosure[0].get("expanded") is False, disclosure
    assert not [n for r, n, _ in tree if r == "columnheader" and n == "Attachment"]  # closed: table not exposed

    expand(page, TEXT_ALTERNATIVE)
    table = main.get_by_test_id("stExpander").filter(has_text=TEXT_ALTERNATIVE).locator("table[role='grid']")
    rows = len(anatomy_view.attachments_frame(gm.load_geometry(), cnt, ("psoas_major",)))  # the layers drawn
    expect(table).to_have_attribute("aria-rowcount", str(rows + 1))  # header + one row per attachment
    tree = ax_tree(page)
    roles = {(role, name) for role, name, _ in tree}
    assert ("DisclosureTriangle", TEXT_ALTERNATIVE) in roles
    assert any(role == "StaticText" and name.startswith("Front view of the lower spine") for role, name in roles)
    assert {("grid", ""), ("columnheader", "Muscle"), ("columnheader", "Attachment")} <= roles, sorted(roles)
    assert {("gridcell", "Psoas major"), ("gridcell", "Origin, L1")} <= roles
    assert any(r == "row" and "Psoas insertion (lesser trochanter)" in n for r, n in roles), "insertion row missing"


@pytest.mark.parametrize("url_path", ["", "anatomy", "techniques", "myths-faq"], ids=lambda p: p or "home")
def test_evidence_badges_name_their_grade_in_words(app_url, same_visitor, cnt, url_path):
    """Each evidence badge says "Evidence <letter>: <meaning>", never colour alone; every other badge is a word chip."""
    labels = {b.id: b.label for b in cnt.evidence.badges}
    chips = {ch.label for ch in cnt.evidence.chips}
    page = same_visitor()
    open_page(page, app_url, site.page_by_url(url_path))
    badges = page.get_by_test_id("stMain").locator(".stMarkdownBadge")  # st.markdown's :color-badge[...] spans
    expect(badges.first).to_be_attached()
    texts = badges.all_text_contents()
    graded = [m for t in texts if (m := EVIDENCE.fullmatch(t.strip()))]
    assert graded, texts
    wrong = [m.group(0) for m in graded if labels.get(m.group(1)) != m.group(2)]
    assert not wrong, f"badge words differ from data/evidence.yaml: {wrong}"
    others = [t for t in texts if not EVIDENCE.fullmatch(t.strip())]
    assert set(others) <= chips, f"badges that are neither an evidence grade nor a qualifier: {set(others) - chips}"
    # Each group of badges (one paragraph) leads with its grade: a qualifier chip never stands alone.
    leading = page.get_by_test_id("stMain").locator("p > .stMarkdownBadge:first-of-type").all_text_contents()
    assert len(leading) == len(graded), leading
    assert all(EVIDENCE.fullmatch(t.strip()) for t in leading), leading
