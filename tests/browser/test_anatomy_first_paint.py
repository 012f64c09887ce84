"""Issue 15, "drawn at once", and issue 20, "visible with the heading": a first visit shows the server-drawn
picture of the diagram as a Markdown image, which needs neither the component's script nor the Plotly bundle
(here they never arrive: blocked); once the component has mounted the picture lies in the drawing's box, at
the size Plotly will draw; once Plotly has drawn, its drawing replaces the picture there (one drawing on
screen, not two, and nothing moves). Timing is the benchmark's, not asserted here."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN, FIRST_PAINT, PAINTED
from tests.browser.support import open_page, settled_box

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
ANATOMY = site.page_by_url("anatomy")
SIZES = [(1280, 820), (390, 844)]
ORDER_JS = """(() => {  // the order in which the diagram's root said painted and drawn
  window.__order = [];
  new MutationObserver(() => {
    const root = document.querySelector('.psoas-diagram');
    if (!root) return;
    for (const k of ['painted', 'drawn'])
      if (root.getAttribute('data-' + k) === '1' && !window.__order.includes(k)) window.__order.push(k);
  }).observe(document, {subtree: true, childList: true, attributes: true});
})()"""
PLOTLY = "**/static/plotly/**"
COMPONENT = "**/static/js/BidiComponent.*"  # Streamlit's lazily loaded chunk for custom components


def box(locator) -> list[float]:
    b = locator.bounding_box()
    return [b["x"], b["y"], b["width"], b["height"]]


def picture_svg(image) -> str:
    src = image.get_attribute("src")
    head = "data:image/svg+xml;base64,"
    assert src.startswith(head), src[:40]
    return base64.b64decode(src[len(head) :]).decode()


def test_the_picture_shows_with_the_heading_without_the_component_or_plotly(app_url, new_page):
    """Markdown is in Streamlit's first bundle: the picture needs neither the component's chunk nor Plotly."""
    page = new_page(cold_cache=True, viewport={"width": 1280, "height": 820})
    for blocked in (PLOTLY, COMPONENT):
        page.route(blocked, lambda route: route.abort())
    open_page(page, app_url, ANATOMY)
    main = page.get_by_test_id("stMain")
    image = main.locator(FIRST_PAINT)
    expect(image).to_be_visible()
    expect(main.locator(".psoas-diagram")).to_have_count(0)  # the component never mounted
    assert image.get_attribute("alt") == "", "decorative here: the component carries the description"
    assert image.evaluate("i => i.complete && i.naturalWidth > 0"), "the browser drew it (the CSP allows data:)"
    whole = box(image)
    assert whole[2] >= 0.5 * main.bounding_box()["width"] and whole[3] >= 300, whole
    text = picture_svg(image)
    for label in ("side wing of L3", "thigh bone", "Psoas major", "right"):
        assert label in text, label


def first_paint(new_page, app_url, size) -> list[float]:
    """Open the anatomy page with the Plotly bundle blocked: the component has mounted and lays the picture
    over its drawing's box; returns that box."""
    page = new_page(cold_cache=True, viewport={"width": size[0], "height": size[1]})
    page.route(PLOTLY, lambda route: route.abort())
    open_page(page, app_url, ANATOMY)
    main = page.get_by_test_id("stMain")
    root = main.locator(PAINTED)
    expect(root).to_have_count(1)
    expect(root).to_have_attribute("data-drawn", "0")  # Plotly never came
    image = main.locator(FIRST_PAINT)
    expect(image).to_be_visible()
    expect(root.get_by_role("figure", name="Front view of the lower spine", exact=False)).to_be_visible()
    expect(main.get_by_role("img")).to_have_count(0)  # the picture is decorative: one description, the figure's
    assert root.locator(".js-plotly-plot").count() == 0
    settled = settled_box(image)
    whole = [settled["x"], settled["y"], settled["width"], settled["height"]]
    figure = settled_box(root.locator(".pd-figure"))
    assert [round(v) for v in whole] == [round(figure[k]) for k in ("x", "y", "width", "height")], (whole, figure)
    assert whole[3] >= 0.6 * size[1] and whole[2] >= 0.8 * root.bounding_box()["width"], (whole, size)
    return whole


@pytest.mark.parametrize("size", SIZES)
def test_plotly_takes_over_the_picture_in_its_place_and_size(app_url, new_page, size):
    before = first_paint(new_page, app_url, size)
    page = new_page(cold_cache=True, viewport={"width": size[0], "height": size[1]})
    page.add_init_script(ORDER_JS)
    open_page(page, app_url, ANATOMY)
    main = page.get_by_test_id("stMain")
    root = main.locator(DRAWN)
    expect(root).to_have_count(1)
    expect(root).to_have_attribute("data-painted", "1")
    assert page.evaluate("window.__order") == ["painted", "drawn"], "the picture was up before Plotly drew"
    expect(main.locator(FIRST_PAINT)).to_be_hidden()  # replaced, not stacked
    expect(root.locator(".js-plotly-plot")).to_have_count(1)
    graph = root.locator(".js-plotly-plot .main-svg").first
    expect(graph).to_be_visible()
    b = settled_box(graph)  # the resize observers have refitted the drawing
    after = [b["x"], b["y"], b["width"], b["height"]]
    assert all(abs(a - c) <= 3 for a, c in zip(after, before, strict=True)), (before, after)
    assert not [e for e in page.errors if "static/plotly" not in e and "404" not in e], page.errors
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stMain").get_by_text("Sorry, something went wrong")).to_have_count(0)
