"""What a visitor does, in a real browser: every page, the safety gate, the diagram, a shared filter link,
the PDF handout and a phone-sized screen. The session's one Streamlit server; every new_page() is a new visitor."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from psoas_explorer.links import pages as site
from tests.browser.support import (
    GATE,
    MARKERS_JS,
    NEXT_FRAMES,
    no_failure_shown,
    open_page,
    rerun_expected,
    wait_for_app,
)

pytestmark = pytest.mark.browser

TIMEOUT = 20_000  # expect()'s 5 s default is too tight on 2 busy cores; a pass is usually far quicker
MATCH = re.compile(r"(\d+) of (\d+) techniques match")
PICKS = ("half_kneeling_hip_flexor_stretch", "desk_movement_breaks")  # technique ids for handout links
QUERIES = {  # a link with a query string for each gated page
    "techniques": "goal=mobility&audience=desk_workers",
    "handout": "&".join(f"h={p}" for p in PICKS),
}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

TRACE_INDEX_JS = "(gd, key) => gd._fullData.findIndex(t => t.meta && t.meta.key === key)"


def pick(page, label: str, option: str) -> None:
    """Choose one option of a multiselect, the way a visitor does, and wait for the rerun it causes."""
    main = page.get_by_test_id("stMain")
    box = main.get_by_role("combobox", name=label)
    # The list closes on any scroll (react-aria), and a busy browser can deliver the scroll that brings the box
    # into view only after the list has opened: scroll first, and let two frames pass so that event is spent.
    box.scroll_into_view_if_needed()
    page.evaluate(NEXT_FRAMES)
    box.fill(option)  # typing opens the list, filtered to the option
    expect(box).to_have_attribute("aria-expanded", "true")
    with rerun_expected(page):
        page.get_by_role("option", name=option, exact=True).click()
        page.keyboard.press("Escape")
    chosen = main.get_by_test_id("stMultiSelect").filter(has=page.get_by_role("combobox", name=label))
    expect(chosen).to_contain_text(option)


def card_names(page):
    """The technique names listed under "Find a technique", in page order."""
    panel = page.get_by_test_id("stMain").get_by_role("tabpanel", name="Find a technique")
    return panel.get_by_role("heading", level=3)


def show_every_card(page) -> None:
    """Press "Show N more" under the list until every matching technique is on screen."""
    more = page.get_by_test_id("stMain").get_by_role("button", name=re.compile(r"^Show \d+ more"))
    for _ in range(30):
        if not more.count():
            return
        with rerun_expected(page):
            more.click()
    raise AssertionError("the list never ended")


def acknowledge(page) -> None:
    main = page.get_by_test_id("stMain")
    with rerun_expected(page):
        main.get_by_role("button", name="I understand").click()
    expect(main.get_by_role("heading", name=GATE)).to_have_count(0)


def test_gated_pages_show_only_the_warning_until_this_visitor_acknowledges_it(app_url, new_page):
    """A link straight to a gated page shows the warning and nothing else; "I understand" keeps the link."""
    for spec in (p for p in site.PAGES if p.gated):
        query = QUERIES[spec.url_path]
        url = f"{app_url}/{spec.url_path}?{query}"
        page = new_page()
        page.goto(url)
        wait_for_app(page)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name=GATE)).to_be_visible()
        if spec.url_path == "handout":  # the patient's view: the key points first, the whole warning one tap away
            expect(main.get_by_test_id("stAlert")).to_contain_text(re.compile("stop at once", re.I))
            expect(main.get_by_test_id("stExpander")).to_contain_text("Read the whole safety warning")
        else:
            expect(main.get_by_test_id("stAlert")).to_contain_text("Stop at once if")
        expect(main.get_by_role("button", name="I understand")).to_be_visible()
        for locked in (
            main.get_by_role("heading", name=spec.heading, exact=True),
            main.get_by_role("tab"),
            main.get_by_role("button", name="Download PDF"),
            main.get_by_role("button", name="Add to handout"),
            main.get_by_text(MATCH),
        ):
            expect(locked).to_have_count(0)

        acknowledge(page)  # the button sits below the long warning: the click scrolls down to it
        heading = main.get_by_role("heading", name=spec.heading, exact=True)
        expect(heading).to_be_visible()
        expect(heading).to_be_in_viewport()  # the page opens at its heading, not at the warning's scroll position
        assert parse_qs(urlsplit(page.url).query) == parse_qs(query), page.url
        if spec.url_path == "techniques":
            expect(main.get_by_text(MATCH)).to_be_visible()
            expect(main.get_by_text("For: Desk workers")).to_be_visible()  # the link's filter is applied
        else:
            expect(main.get_by_role("button", name="Download PDF")).to_be_visible()
        no_failure_shown(page)

        other = new_page()  # another visitor, same link: locked again
        other.goto(url)
        wait_for_app(other)
        expect(other.get_by_test_id("stMain").get_by_role("heading", name=GATE)).to_be_visible()
        expect(other.get_by_test_id("stMain").get_by_role("heading", name=spec.heading, exact=True)).to_have_count(0)


def test_anatomy_diagram_hover_labels_and_hip_flexion(app_url, new_page):
    """Hovering a marker names it; the Sitting preset and the slider's arrow keys redraw the psoas and its length."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("anatomy"))
    main = page.get_by_test_id("stMain")
    diagram = main.get_by_role("figure", name=re.compile(r"^Front view of the lower spine"))
    gd = diagram.locator(".js-plotly-plot")
    expect(gd).to_have_count(1)
    expect(gd.locator(".scatterlayer .trace").first).to_be_attached()
    gd.scroll_into_view_if_needed()

    hover = gd.locator(".hoverlayer")
    expect(hover).to_have_text("")  # nothing hovered, nothing shown
    markers = {m["id"]: m for m in gd.evaluate(MARKERS_JS)}
    for ident, label in (
        ("origin_l3_tp", "Psoas origin: L3 transverse process"),
        ("insertion_lesser_trochanter", "Psoas insertion (lesser trochanter)"),
    ):
        page.mouse.move(markers[ident]["x"], markers[ident]["y"])
        expect(hover).to_contain_text(label)
    expect(hover).not_to_contain_text("L3 transverse process")  # the label follows the pointer
    page.mouse.move(1, 1)

    length = main.locator(".psoas-diagram .pd-readout").filter(has_text="Psoas length")
    expect(length).to_contain_text("26.1 cm")
    trace = gd.locator(".scatterlayer > .trace").nth(gd.evaluate(TRACE_INDEX_JS, "psoas_major:tendon"))
    tendon = trace.locator("path.js-line").first  # the patient's right; a gap splits the trace in two paths
    standing = tendon.get_attribute("d")
    with rerun_expected(page):
        main.get_by_role("button", name="Sitting", exact=True).click()
    expect(length).to_contain_text("20.2 cm")  # sitting in a chair: about 80 degrees, not a right angle
    expect(length).not_to_contain_text("26.1 cm")
    expect(tendon).not_to_have_attribute("d", standing)
    expect(diagram).to_have_accessible_name(re.compile(r"Hip bent 80°: model psoas length 20\.2 cm"))
    assert parse_qs(urlsplit(page.url).query).get("angle") == ["80"], page.url
    sitting = tendon.get_attribute("d")

    slider = main.get_by_role("slider", name="Hip flexion", exact=True)
    with rerun_expected(page):
        slider.press("ArrowLeft")  # one degree down
    expect(slider).to_have_value("79")
    expect(length).not_to_contain_text("20.2 cm")
    expect(tendon).not_to_have_attribute("d", sitting)
    assert parse_qs(urlsplit(page.url).query).get("angle") == ["79"], page.url
    no_failure_shown(page)


def test_copied_filter_link_reopens_the_same_list_for_a_new_visitor_and_closed_filters_keep_filtering(
    app_url, new_page
):
    """Goal and audience set with the widgets; the address bar's link shows another visitor the same techniques.
    Then a filter set under "More filters" still applies, and says so, after the visitor closes that section (one
    page load for both)."""
    page = new_page()
    open_page(page, app_url, site.page_by_url("techniques"))
    main = page.get_by_test_id("stMain")
    everything = main.get_by_text(MATCH).inner_text()
    pick(page, "Goal", "Mobility")
    pick(page, "Who it is for", "Desk workers")
    line = main.get_by_text(MATCH)
    expect(line).not_to_have_text(everything)
    shown, total = map(int, MATCH.search(line.inner_text()).groups())
    assert 0 < shown < total, line.inner_text()
    show_every_card(page)
    names = card_names(page).all_inner_texts()
    assert len(names) == shown, names
    link = page.url
    assert parse_qs(urlsplit(link).query) == {"goal": ["mobility"], "audience": ["desk_workers"]}, link

    other = new_page()
    other.goto(link)
    wait_for_app(other)
    expect(other.get_by_test_id("stMain").get_by_role("heading", name=GATE)).to_be_visible()
    expect(card_names(other)).to_have_count(0)  # still behind the gate
    acknowledge(other)
    expect(other.get_by_test_id("stMain").get_by_text(MATCH)).to_have_text(line.inner_text())
    show_every_card(other)
    expect(card_names(other)).to_have_text(names)
    no_failure_shown(other)

    # A filter set under "More filters" still applies, and says so, after the visitor closes that section.
    link_line = line.inner_text()
    more = main.get_by_test_id("stExpander").filter(has_text="More filters")
    with rerun_expected(page):
        more.locator("summary").click()
    pick(page, "Intensity", "Gentle")
    expect(more.locator("details")).to_have_attribute("open", "")  # choosing does not close the section
    filtered = line.inner_text()
    assert filtered != link_line, filtered  # the third filter narrowed the list
    with rerun_expected(page):
        more.locator("summary").click()
    expect(main.get_by_role("combobox", name="Intensity")).to_have_count(0)
    expect(main.locator(".stMarkdownBadge", has_text="Gentle")).to_be_visible()  # listed as an active filter
    expect(line).to_have_text(filtered)
    assert parse_qs(urlsplit(page.url).query).get("intensity") == ["gentle"], page.url
    no_failure_shown(page)


def test_handout_pdf_holds_the_two_picked_techniques(app_url, new_page):
    """Add two techniques, then "Download PDF" on the handout tab gives a PDF naming both and no others."""
    page = new_page(accept_downloads=True)
    open_page(page, app_url, site.page_by_url("techniques"))
    main = page.get_by_test_id("stMain")
    first, second, third = card_names(page).all_inner_texts()[:3]
    cards = main.locator("[class*='st-key-tech_']")  # each card is st.container(key=f"tech_{id}")
    for name in (first, second):
        card = cards.filter(has=page.get_by_role("heading", name=name, exact=True))
        with rerun_expected(page):
            card.get_by_role("button", name="Add to handout").click()
        expect(card.get_by_role("button", name="Remove from handout")).to_be_visible()

    main.get_by_role("tab", name="Your handout").click()
    panel = main.get_by_role("tabpanel", name="Your handout")
    expect(panel.get_by_role("heading", name="Your handout (2)")).to_be_visible()
    with page.expect_download() as download:
        panel.get_by_role("button", name="Download PDF").click()
    assert re.fullmatch(r"psoas-handout-\d{4}-\d{2}-\d{2}\.pdf", download.value.suggested_filename)
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert first in text and second in text, text[:500]
    assert third not in text  # only what was picked
    no_failure_shown(page)


def test_phone_every_page_fits_the_width_and_the_safety_questions_are_shown_in_full(app_url, new_page):
    """At 390x844 each page fits the width (nothing scrolls sideways) and no evidence badge is cut short; then each
    question of the optional safety check is readable in full (one phone visitor for both)."""
    page = new_page(**PHONE)
    main = page.get_by_test_id("stMain")
    for spec in site.PAGES:
        open_page(page, app_url, spec, QUERIES.get(spec.url_path, ""))
        heading = main.get_by_role("heading", level=1)
        expect(heading).to_have_text(spec.heading)
        expect(heading).to_be_in_viewport()  # gated pages too: "I understand" opens them at the top
        box = heading.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, (spec.url_path, box)
        widths = page.evaluate(
            """() => {
              const m = document.querySelector('[data-testid="stMain"]'), d = document.documentElement;
              const charts = [...m.querySelectorAll('[data-testid="stPlotlyChart"]')];
              const cut = [...m.querySelectorAll('.stMarkdownBadge')].filter(b => b.scrollWidth > b.clientWidth + 1);
              return {main: [m.scrollWidth, m.clientWidth], doc: [d.scrollWidth, d.clientWidth],
                      chartRight: Math.max(0, ...charts.map(c => c.getBoundingClientRect().right)),
                      cutBadges: cut.map(b => b.textContent)};
            }"""
        )
        assert not widths["cutBadges"], (spec.url_path, widths["cutBadges"])  # every badge's words in full
        assert widths["main"][0] <= widths["main"][1] + 1, (spec.url_path, widths)
        assert widths["doc"][0] <= widths["doc"][1] + 1, (spec.url_path, widths)
        assert widths["chartRight"] <= 390 + 1, (spec.url_path, widths)
        no_failure_shown(page)

    # Each question of the optional safety check is readable in full on a phone, not cut off with "…".
    open_page(page, app_url, site.page_by_url("techniques"))
    check = main.get_by_test_id("stExpander").filter(has_text="Safety check (optional)")
    with rerun_expected(page):
        check.locator("summary").click()
    boxes = check.get_by_test_id("stCheckbox")
    expect(boxes.first).to_be_visible()
    cut = boxes.evaluate_all(
        """els => els.map(e => e.querySelector('[data-testid="stMarkdownContainer"]'))
                     .filter(c => c && c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"""
    )
    assert not cut, cut
    # Ticking an answer hides techniques at once and leaves the checklist open for the next answer.
    answer = boxes.filter(has_text="I take blood thinners")
    with rerun_expected(page):
        answer.locator("label").click()  # the visible box and text; the input itself is visually hidden
    # The count heading says how many are hidden, and the reason sits right under it.
    expect(
        main.get_by_role("heading", name=re.compile(r"techniques? match(es)? · \d+ hidden by your safety answers"))
    ).to_be_visible()
    expect(main.locator(".st-key-t_hidden").get_by_text("You ticked: I take blood thinners")).to_be_visible()
    expect(check.locator("details")).to_have_attribute("open", "")
    expect(answer.get_by_role("checkbox")).to_be_checked()


def test_references_tab_lists_every_reference_with_its_links(app_url, new_page):
    """The references load when their tab is opened: each under its own heading, DOIs as working links."""
    from psoas_explorer.content import load

    refs = load.load_content().references
    page = new_page()
    open_page(page, app_url, site.page_by_url("evidence"))
    main = page.get_by_test_id("stMain")
    with rerun_expected(page):
        main.get_by_role("tab", name=f"References ({len(refs)})").click()
    panel = main.get_by_role("tabpanel", name=f"References ({len(refs)})")
    expect(panel.get_by_role("heading", level=3)).to_have_count(len(refs))
    with_doi = next(r for r in refs if r.doi)
    expect(panel.get_by_role("link", name=with_doi.doi, exact=True).first).to_have_attribute(
        "href", re.compile(r"^https://doi\.org/")
    )
    no_failure_shown(page)
