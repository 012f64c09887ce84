"""Issue 15, the diagram's delivery and life in a real browser: the JavaScript it costs, the drawing moving
while the hip control is dragged (no server run per frame), the readout following the control, the address
taking the angle on release, and the size on a wall screen in consult mode."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from tests.browser.support import NEXT_FRAMES, hip_track, open_page, rerun_expected, settled_box

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
CONSULT = {"viewport": {"width": 1920, "height": 1080}}
ANATOMY = site.page_by_url("anatomy")
HOME = site.PAGES[0]
JS_BYTES = """() => performance.getEntriesByType('resource')
  .filter(r => r.initiatorType === 'script' || /\\.js(\\?|$)/.test(r.name))
  .map(r => [r.name, r.decodedBodySize])"""
TENDON_JS = """root => {
  const g = [...root.querySelectorAll('.scatterlayer > g.trace')]
    .find(g => g.__data__[0].trace.meta.key === 'psoas_major:tendon');
  return g.querySelector('path.js-line').getAttribute('d');
}"""


def scripts(page) -> list[tuple[str, int]]:
    return [(name, size) for name, size in page.evaluate(JS_BYTES)]


def counting(page):
    """A page whose resource timings all stay (the browser keeps only 250 by default; Streamlit loads ~200 chunks)."""
    page.add_init_script("performance.setResourceTimingBufferSize(5000)")
    return page


def test_the_diagram_costs_at_most_1_5_mb_more_javascript_than_home(app_url, new_page):
    """Streamlit's own chart loaded the full plotly.js (4.7 MB); our scatter-only core is 1.1 MB, 3D's only for 3D."""
    home = counting(new_page(cold_cache=True))  # what a first visit downloads
    open_page(home, app_url, HOME)
    home.wait_for_load_state("networkidle")
    page = counting(new_page(cold_cache=True))
    open_page(page, app_url, ANATOMY)
    expect(page.locator(DRAWN)).to_have_count(1)
    expect(page.locator(".psoas-chart[data-drawn='1']")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    anatomy = scripts(page)
    extra = sum(size for _, size in anatomy) - sum(size for _, size in scripts(home))
    names = [name for name, _ in anatomy]
    assert not [n for n in names if "/PlotlyChart." in n], names
    assert [n for n in names if "/app/static/plotly/plotly-scatter-" in n], names
    assert not [n for n in names if "plotly-gl3d" in n], "the 3D bundle is loaded only when 3D is chosen"
    assert 0 < extra <= 1_500_000, f"anatomy loads {extra:,} bytes more JavaScript than home"

    with rerun_expected(page):
        page.get_by_test_id("stMain").get_by_role("radio", name="3D", exact=True).click()
    expect(page.locator(".psoas-diagram .js-plotly-plot canvas").first).to_be_attached()  # WebGL: the 3D scene
    assert [n for n, _ in scripts(page) if "/app/static/plotly/plotly-gl3d-" in n]


def test_dragging_the_hip_control_animates_the_drawing_without_a_server_run(app_url, new_page, same_visitor):
    page = same_visitor(**LAPTOP)
    open_page(page, app_url, ANATOMY)
    main = page.get_by_test_id("stMain")
    root = main.locator(DRAWN)
    expect(root).to_have_count(1)
    slider = main.get_by_role("slider", name="Hip flexion", exact=True)
    readout = root.locator(".pd-readout")
    expect(readout).to_contain_text("26.1 cm")
    x_at, y = hip_track(slider)
    page.evaluate("window.__psoasFrames = 0")
    runs = page.runs
    page.mouse.move(x_at(0), y)
    page.mouse.down()
    seen = [(root.evaluate(TENDON_JS), readout.inner_text())]
    for angle in (12, 24, 36, 48, 60):
        page.mouse.move(x_at(angle), y, steps=3)
        page.evaluate(NEXT_FRAMES)
        seen.append((root.evaluate(TENDON_JS), readout.inner_text()))
    frames = page.evaluate("window.__psoasFrames")
    assert page.runs == runs, "no server run while the control is held"
    assert len({tendon for tendon, _ in seen}) == len(seen), "the tendon moved at every step of the drag"
    assert len({text for _, text in seen}) == len(seen), [text for _, text in seen]
    assert frames >= len(seen) - 1, frames
    held = int(slider.input_value())
    assert 50 <= held <= 70, held

    with rerun_expected(page):
        page.mouse.up()  # let go: the angle goes to the app, the link and the text alternative
    expect(page).to_have_url(re.compile(rf"angle={held}\b"))
    figure = main.get_by_role("figure", name=re.compile(r"^Front view of the lower spine"))
    expect(figure).to_have_accessible_name(re.compile(rf"Hip bent {held}°"))
    expect(root).to_have_attribute("data-angle", str(held))

    again = new_page(**LAPTOP)  # the address reopens the same screen for someone else
    open_page(again, app_url, ANATOMY, query=urlsplit(page.url).query)
    other = again.get_by_test_id("stMain")
    expect(other.locator(DRAWN)).to_have_count(1)
    expect(other.get_by_role("slider", name="Hip flexion", exact=True)).to_have_value(str(held))
    expect(other.locator(".pd-readout")).to_have_text(readout.text_content())
    assert again.locator(DRAWN).evaluate(TENDON_JS) == root.evaluate(TENDON_JS)


def test_a_key_press_moves_the_readout_and_the_address(app_url, same_visitor):
    page = same_visitor(**LAPTOP)
    open_page(page, app_url, ANATOMY, query="angle=80")
    main = page.get_by_test_id("stMain")
    expect(main.locator(DRAWN)).to_have_count(1)
    slider = main.get_by_role("slider", name="Hip flexion", exact=True)
    readout = main.locator(".psoas-diagram .pd-readout")
    expect(readout).to_contain_text("20.2 cm")
    before = main.locator(DRAWN).evaluate(TENDON_JS)
    with rerun_expected(page):
        slider.press("ArrowLeft")
    expect(slider).to_have_attribute("aria-valuetext", "79 degrees")
    expect(readout).to_contain_text("79 degrees")
    expect(readout).not_to_contain_text("20.2 cm")
    assert parse_qs(urlsplit(page.url).query).get("angle") == ["79"], page.url
    assert main.locator(DRAWN).evaluate(TENDON_JS) != before
    with rerun_expected(page):
        slider.press("ArrowRight")  # and back
    expect(readout).to_contain_text("20.2 cm")
    assert parse_qs(urlsplit(page.url).query).get("angle") == ["80"], page.url


def test_in_consult_mode_on_a_wall_screen_the_drawing_fills_most_of_the_height(app_url, same_visitor):
    page = same_visitor(**CONSULT)
    open_page(page, app_url, ANATOMY, query="consult=1")
    figure = page.get_by_test_id("stMain").locator(DRAWN).get_by_role("figure")
    expect(figure.locator(".main-svg").first).to_be_attached()
    box = figure.bounding_box()
    assert box["height"] >= 0.7 * 1080, box
    slider = page.get_by_role("slider", name="Hip flexion", exact=True).bounding_box()
    assert slider["y"] + slider["height"] <= box["y"], "the control sits above the drawing, covering nothing"


@pytest.mark.parametrize("size", [(1366, 768), (1280, 820), (390, 844)])
def test_the_drawing_fills_the_screen_under_its_control_and_keeps_that_size_after_a_resize(app_url, same_visitor, size):
    """The drawing takes the screen's height less its control (or its own proportions, if smaller), and a resize
    that comes back leaves it as it was. A layout Plotly wrote back into the figure once shrank it to 260 px."""
    width, height = size
    page = same_visitor(viewport={"width": width, "height": height})
    open_page(page, app_url, ANATOMY)
    svg = page.get_by_test_id("stMain").locator(DRAWN).get_by_role("figure").locator(".main-svg").first
    expect(svg).to_be_attached()
    first = settled_box(svg)  # the resize observer has refitted it
    assert first["height"] >= 0.6 * height, first
    page.set_viewport_size({"width": width + 200, "height": height + 100})
    bigger = settled_box(svg)
    assert bigger["height"] > first["height"], (first, bigger)  # it did follow the screen
    page.set_viewport_size({"width": width, "height": height})
    again = settled_box(svg)
    assert abs(again["height"] - first["height"]) <= 2 and abs(again["width"] - first["width"]) <= 2, (first, again)


RANGES_JS = """root => {
  const f = root.querySelector('.js-plotly-plot')._fullLayout;
  return [f.xaxis.range[1] - f.xaxis.range[0], f.yaxis.range[1] - f.yaxis.range[0]];
}"""


def test_zoom_move_and_reset_undo_each_other_and_stay_out_of_the_address(app_url, new_page, same_visitor):
    page = same_visitor(**LAPTOP)
    open_page(page, app_url, ANATOMY, query="view=side")
    root = page.get_by_test_id("stMain").locator(DRAWN)
    expect(root).to_have_count(1)
    whole = root.evaluate(RANGES_JS)
    address = page.url
    tools = root.get_by_role("group", name="Zoom the drawing")
    tools.get_by_role("button", name="Zoom in").click()
    page.evaluate(NEXT_FRAMES)
    zoomed = root.evaluate(RANGES_JS)
    assert zoomed[0] < 0.9 * whole[0] and zoomed[1] < 0.9 * whole[1], (zoomed, whole)
    tools.get_by_role("button", name="Zoom out").click()
    page.evaluate(NEXT_FRAMES)
    assert root.evaluate(RANGES_JS) == pytest.approx(whole, rel=0.01)  # out undoes in
    move = tools.get_by_role("button", name="Move the drawing by dragging")
    move.click()
    expect(move).to_have_attribute("aria-pressed", "true")
    move.click()
    expect(move).to_have_attribute("aria-pressed", "false")  # a second press turns dragging off again
    tools.get_by_role("button", name="Zoom in").click()
    tools.get_by_role("button", name="Zoom in").click()
    tools.get_by_role("button", name="Show the whole drawing").click()
    page.evaluate(NEXT_FRAMES)
    assert root.evaluate(RANGES_JS) == pytest.approx(whole, rel=0.01)  # Reset shows the whole drawing
    assert page.url == address, "zooming is a view of the moment, not part of the link"
    again = new_page(**LAPTOP)
    open_page(again, app_url, ANATOMY, query=urlsplit(page.url).query)
    other = again.get_by_test_id("stMain").locator(DRAWN)
    expect(other).to_have_count(1)
    assert other.evaluate(RANGES_JS) == pytest.approx(whole, rel=0.01)
