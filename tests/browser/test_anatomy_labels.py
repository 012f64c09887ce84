"""Issue 15, "no two labels overlap in any view at any angle", on the screens a consult really uses.

Labels are placed on the server for a design scale (labels.DESIGN_PX_PER_MM_LARGE, 0.8 px per mm in consult mode
since issue 23, 1.1 before); a laptop in consult mode draws the model smaller than 1.1 (1366x768: ~0.84 px/mm,
1280x720: ~0.68), and at 16 px type the words ran into each other ("navel" over "side wing of L4"). The browser
measures each drawn label here, as a person sees it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from tests.browser.support import NEXT_FRAMES, open_page

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
ANATOMY = site.page_by_url("anatomy")
LABEL_BOXES = """root => {
  const g = [...root.querySelectorAll('.scatterlayer > g.trace')]
    .find(g => g.__data__[0].trace.meta.key === 'labels:text');
  return [...g.querySelectorAll('.textpoint text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
            size: parseFloat(getComputedStyle(t).fontSize)};
  });
}"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]:
                out.append((a["text"], b["text"]))
    return out


@pytest.mark.parametrize(
    ("width", "height", "consult"),
    [(1280, 720, True), (1366, 768, True), (1366, 768, False), (1920, 1080, True)],
    ids=["laptop-720-consult", "laptop-768-consult", "laptop-768", "wall-1080-consult"],
)
def test_no_two_labels_overlap_on_a_laptop_or_a_wall_screen(app_url, same_visitor, width, height, consult):
    page = same_visitor(viewport={"width": width, "height": height})
    for view, angle in (("side", 45), ("front", 90)):  # the most crowded side view, the front with the hip up
        query = f"view={view}&angle={angle}" + ("&consult=1" if consult else "")
        open_page(page, app_url, ANATOMY, query)
        root = page.locator(DRAWN)
        expect(root).to_have_attribute("data-angle", str(angle))
        page.evaluate(NEXT_FRAMES)
        boxes = root.evaluate(LABEL_BOXES)
        assert len(boxes) >= 10, boxes  # the origins, the insertion, navel, groin and thigh bone at least
        assert overlaps(boxes) == [], f"{view} at {angle}°, {width}x{height}"
        sizes = {round(b["size"]) for b in boxes}
        assert min(sizes) >= 9, sizes  # shrunk to fit, never unreadably small
        if consult and width >= 1366:
            assert sizes == {16}, sizes  # a laptop and a wall screen keep consult mode's full 16 px (issue 23)
