"""Issue 15, the 3D view alive: dragging the hip control turns the femurs and moves the psoas in the 3D scene
while the control is held (no server run per frame), and letting go draws the server's exact figure.

WebGL is software here (SwiftShader), so a frame may take a while: the test asserts that the drawing changes
during the drag, never how often."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

from psoas_explorer.anatomy import figures
from psoas_explorer.anatomy import model as gm
from psoas_explorer.links import pages as site
from psoas_explorer.web.diagram import DRAWN
from tests.browser.support import NEXT_FRAMES, hip_track, open_page, rerun_expected

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
ANATOMY = site.page_by_url("anatomy")
# What the scene draws (gd.data, as restyled or as sent by the server): the femur mesh's vertices and the psoas
# tendon's points, in plot axes (mm); base64 typed arrays ({dtype, bdata}, as plotly.py sends meshes) decoded.
SCENE_JS = """root => {
  const gd = root.querySelector('.js-plotly-plot');
  const col = c => {
    if (!c || !c.bdata) return Array.from(c, v => v === null ? null : Number(v));
    const bytes = Uint8Array.from(atob(c.bdata), ch => ch.charCodeAt(0));
    return Array.from(new ({f4: Float32Array, f8: Float64Array})[c.dtype](bytes.buffer));
  };
  const trace = key => gd.data.find(t => t.meta && t.meta.key === key);
  const xyz = t => ['x', 'y', 'z'].map(a => col(t[a]));
  return {femur: xyz(trace('bones:femur')), tendon: xyz(trace('psoas_major:tendon'))};
}"""
FRAMES = "() => window.__psoasFrames || 0"
# The camera as the visitor has turned and zoomed it.
EYE_JS = "root => root.querySelector('.js-plotly-plot')._fullLayout.scene._scene.getCamera().eye"


def distance(eye: dict[str, float]) -> float:
    return float(sum(v * v for v in eye.values()) ** 0.5)


def _femur(scene: dict) -> np.ndarray:
    return np.array(scene["femur"], dtype=float)


def _server(geom: gm.Geometry, angle: int) -> dict[str, np.ndarray]:
    """The server's 3D figure at this angle: femur vertices (float32, as sent) and the tendon's points."""
    data = {t["meta"]["key"]: t for t in figures.anatomy_figure(geom, view="3d", angle=angle).data}
    femur, tendon = data["bones:femur"], data["psoas_major:tendon"]
    return {
        "femur": np.array([np.asarray(femur[a], dtype=np.float32) for a in "xyz"], dtype=float),
        "tendon": np.array([[np.nan if v is None else v for v in tendon[a]] for a in "xyz"], dtype=float),
    }


def test_dragging_the_hip_control_turns_the_3d_femurs_and_moves_the_psoas_without_a_server_run(
    app_url, new_page, geom: gm.Geometry
):
    page = new_page(viewport={"width": 1366, "height": 900})
    open_page(page, app_url, ANATOMY, query="view=3d")
    main = page.get_by_test_id("stMain")
    root = main.locator(DRAWN)
    expect(root).to_have_count(1)
    expect(root.locator(".js-plotly-plot canvas").first).to_be_attached()
    # A mouse, on the scene as first drawn: the hint says drag and scroll, which is what turns and zooms the model
    # ("Move" is for touch); Reset turns it back to where it started (the undo of both). Before the hip is moved:
    # Plotly's 3D wheel zooms in proportion to the time since the camera was last set, and a redraw sets it, so one
    # wheel event just after the hip control's run zooms almost nothing (a person's wheel, later, zooms as usual).
    expect(root.locator(".pd-gesture")).to_have_text("Drag to turn, scroll to zoom.")
    expect(root.get_by_role("button", name=re.compile(r"^Move"))).to_be_hidden()
    start = root.evaluate(EYE_JS)
    box = root.locator(".js-plotly-plot").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + min(box["height"], 500) / 2
    page.mouse.move(x, y)
    for _ in range(30):  # Plotly zooms by the time since the camera was last set: a wheel at once may zoom ~nothing
        page.mouse.wheel(0, -400)
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if distance(root.evaluate(EYE_JS)) < distance(start) * 0.9:
            break
    assert distance(root.evaluate(EYE_JS)) < distance(start) * 0.9, "the wheel zoomed the model in"
    for _ in range(10):  # a drag turns by the time it takes too (Plotly's camera): drag again until it has turned
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 120, y, steps=8)
        page.mouse.up()
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if abs(root.evaluate(EYE_JS)["x"] - start["x"]) > 0.1:
            break
    assert abs(root.evaluate(EYE_JS)["x"] - start["x"]) > 0.1, "the drag turned the model"
    root.get_by_role("button", name=re.compile(r"^Reset")).click()
    page.wait_for_function(
        f"want => {{ const e = ({EYE_JS})(document.querySelector('{DRAWN}'));"
        " return ['x', 'y', 'z'].every(k => Math.abs(e[k] - want[k]) < 1e-6); }",
        arg=start,
    )
    slider = main.get_by_role("slider", name="Hip flexion", exact=True)
    readout = root.locator(".pd-readout")
    x_at, y = hip_track(slider)
    start = int(slider.input_value())
    page.evaluate("window.__psoasFrames = 0")
    runs = page.runs
    page.mouse.move(x_at(start), y)
    page.mouse.down()
    seen = [(root.evaluate(SCENE_JS), readout.inner_text())]
    for angle in (start + 20, start + 40, start + 60):
        frames = page.evaluate(FRAMES)
        page.mouse.move(x_at(angle), y, steps=3)
        # a 3D frame drawn since the move began (software WebGL takes its time; it may be done already)
        page.wait_for_function(f"window.__psoasFrames > {frames}", timeout=TIMEOUT)
        page.evaluate(NEXT_FRAMES)
        seen.append((root.evaluate(SCENE_JS), readout.inner_text()))
    assert page.runs == runs, "no server run while the control is held"
    femurs = [_femur(scene) for scene, _ in seen]
    for before, after in zip(femurs, femurs[1:], strict=False):
        assert before.shape == after.shape
        moved = np.linalg.norm(after - before, axis=0)
        assert moved.max() > 20, "the femur turned at every step of the drag"  # mm, at the knee end
        assert np.allclose(after[0], before[0], atol=0.01), "flexion does not move the femur sideways (plot x)"
    tendons = [scene["tendon"] for scene, _ in seen]
    assert len({str(t) for t in tendons}) == len(tendons), "the psoas line moved at every step of the drag"
    assert len({text for _, text in seen}) == len(seen), [text for _, text in seen]
    assert page.evaluate("window.__psoasFrames") >= len(seen) - 1
    held = int(slider.input_value())
    assert held >= start + 50, held
    expect(root).to_have_attribute("data-angle", str(held))

    with rerun_expected(page):
        page.mouse.up()  # let go: the angle goes to the app, and its exact figure replaces the blend
    expect(page).to_have_url(re.compile(rf"angle={held}\b"))
    expect(root).to_have_attribute("data-angle", str(held))
    want = _server(geom, held)
    scene = root.evaluate(SCENE_JS)
    assert np.abs(_femur(scene) - want["femur"]).max() < 0.01, "the femur is the server's at the angle let go"
    tendon = np.array(scene["tendon"], dtype=float)
    assert tendon.shape == want["tendon"].shape and np.nanmax(np.abs(tendon - want["tendon"])) < 0.01
    assert not [e for e in page.errors if "404" not in e], page.errors  # a script error, not a missing icon

    again = new_page(viewport={"width": 1366, "height": 900})  # the address reopens the same scene elsewhere
    open_page(again, app_url, ANATOMY, query=urlsplit(page.url).query)
    other = again.get_by_test_id("stMain").locator(DRAWN)
    expect(other).to_have_attribute("data-angle", str(held))
    assert np.abs(_femur(other.evaluate(SCENE_JS)) - want["femur"]).max() < 0.01
