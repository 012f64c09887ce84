"""Issue 23, consult mode on a wall screen and a laptop (1920x1080, 1366x768): each shown layer is named on the
drawing beside it, never over another label; the drawing takes the room it has (at least 70 % of the screen's
height, and beside it the width it would leave empty); and no text on the first screen is under 16 px.

One page load per screen size, in consult mode; the side view is one click more. Outside consult mode the figures
are those of before (tests/unit/test_layer_labels.py), and its labels are checked by test_anatomy_labels.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import vocab
from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from tests.browser.support import NEXT_FRAMES, open_page, rerun_expected, settled_box
from tests.browser.test_anatomy_labels import overlaps

pytestmark = pytest.mark.browser

ANATOMY = site.page_by_url("anatomy")
TIMEOUT = 20_000
LAYERS = ("psoas_major", "iliacus", "lumbar_plexus", "kidneys_ureters")
# Every text node a person can see on the first screen (in the viewport, not hidden, not transparent), the
# Plotly SVG text included, whose type is smaller than the limit.
SMALL_TEXT = """limit => {
  const out = [], W = innerWidth, H = innerHeight;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement, text = n.textContent.trim();
    if (!text || !el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName)) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.top >= H || r.right <= 0 || r.left >= W) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < limit - 0.05) out.push(`${text.slice(0, 40)} (${size} px, <${el.tagName.toLowerCase()}>)`);
  }
  return out;
}"""
# Every drawn label's box, as test_anatomy_labels.LABEL_BOXES measures it: the landmarks' and the layers' names.
ALL_LABEL_BOXES = """root => [...root.querySelectorAll('.scatterlayer > g.trace')]
  .filter(g => ['labels:text', 'labels:names:text'].includes(g.__data__[0].trace.meta.key))
  .flatMap(g => [...g.querySelectorAll('.textpoint text')])
  .map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
            size: parseFloat(getComputedStyle(t).fontSize)};
  })"""
# What the drawing covers across its figure: the union of every drawn trace (the body, bones, layers, labels).
SPAN = """root => {
  const fig = root.querySelector('.pd-figure').getBoundingClientRect();
  const drawn = root.querySelector('.scatterlayer').getBoundingClientRect();
  return {figure: fig.width, height: fig.height, drawn: drawn.width};
}"""


def _check_drawing(page, root, width: int, height: int, view: str) -> None:
    page.evaluate(NEXT_FRAMES)
    boxes = root.evaluate(ALL_LABEL_BOXES)
    # a name on two lines is one SVG text whose lines run together: compare without spaces
    texts = {b["text"].replace(" ", "") for b in boxes}
    named = {layer for layer in gm.LAYERS if vocab.LAYER_NAMES[layer].replace(" ", "") in texts}
    assert named == set(LAYERS), (view, sorted(texts))  # each shown layer, no other
    assert overlaps(boxes) == [], f"{view} {width}x{height}"
    assert {round(b["size"]) for b in boxes} == {16}, (view, width, height)  # consult mode's type, never shrunk
    span = root.evaluate(SPAN)
    assert span["height"] >= 0.7 * height, span  # at least 70 % of the screen's height
    assert span["drawn"] >= 0.7 * span["figure"], span  # the names use the width beside the drawing


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)], ids=["wall-1080", "laptop-768"])
def test_consult_names_the_layers_on_a_drawing_that_fills_the_screen_in_16px_type(app_url, new_page, width, height):
    page = new_page(viewport={"width": width, "height": height})
    query = "consult=1&" + "&".join(f"layers={layer}" for layer in LAYERS)
    open_page(page, app_url, ANATOMY, query)
    main = page.get_by_test_id("stMain")
    root = main.locator(DRAWN)
    expect(root).to_have_count(1, timeout=TIMEOUT)
    expect(main.locator('.psoas-chart[data-drawn="1"]')).to_have_count(1, timeout=TIMEOUT)
    settled_box(root)
    _check_drawing(page, root, width, height, "front")
    small = page.evaluate(SMALL_TEXT, 16)
    assert small == [], f"text under 16 px on the first screen at {width}x{height}: {small}"

    group = main.get_by_role("radiogroup", name="View")
    with rerun_expected(page):
        group.get_by_role("radio", name="Side", exact=True).click()
    expect(root.locator(".annotation-text", has_text="Seen from the patient's right side")).to_have_count(
        1, timeout=TIMEOUT
    )
    settled_box(root)
    _check_drawing(page, root, width, height, "side")
    assert page.evaluate(SMALL_TEXT, 16) == []
