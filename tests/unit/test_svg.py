"""The diagram's server-drawn first paint (anatomy/svg.py): valid SVG of every visible trace, the figure's own
view box, escaped text, and small enough to travel in the component's first message."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from psoas_explorer.anatomy import figures as F
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import svg

NS = "{http://www.w3.org/2000/svg}"
ALL = frozenset(gm.LAYERS)


@pytest.fixture(scope="module")
def geom() -> gm.Geometry:
    return gm.default_geometry()


def figure(geom: gm.Geometry, view: str = "front", layers: frozenset[str] = frozenset({"psoas_major"}), **kw) -> dict:
    fig = F.anatomy_figure(geom, view=view, layers=layers, angle=kw.pop("angle", 0), selected=None, **kw)
    return json.loads(fig.to_json(validate=False))


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


@pytest.mark.parametrize("view", ["front", "side"])
@pytest.mark.parametrize("layers", [frozenset(), frozenset({"psoas_major"}), ALL])
@pytest.mark.parametrize("large", [False, True])
def test_every_visible_trace_is_drawn_in_well_formed_svg(geom, view, layers, large):
    fig = figure(geom, view, layers, large=large, angle=30)
    root = ET.fromstring(svg.figure_svg(fig))
    keys = {g.get("data-key") for g in root.iter(f"{NS}g") if g.get("data-key")}
    labels = texts(root)
    uses = [u for u in root.iter(f"{NS}use")]
    for t in fig["data"]:
        mode, key = t.get("mode", ""), t["meta"]["key"]
        if t.get("visible", True) is not True:  # consult mode's compact labels, which a phone draws instead
            assert key not in keys, key
            continue
        if "lines" in mode or t.get("fill"):
            assert key in keys, key
        if "markers" in mode:  # one marker per point, each a use of a shape defined once
            assert len(uses) >= sum(x is not None for x in t["x"])
        if "text" in mode:
            for text in t["text"]:
                plain = text.replace("<b>", "").replace("</b>", "").replace("<br>", "")
                assert plain in labels, plain
    ids = {p.get("id") for p in root.iter(f"{NS}path") if p.get("id")}
    assert {u.get("href").lstrip("#") for u in uses} <= ids
    for note in fig["layout"].get("annotations", []):
        assert note["text"] in labels


def test_the_view_box_is_the_figures_ranges_and_the_script_gets_margins_and_ranges(geom):
    fig = figure(geom)
    root = ET.fromstring(svg.figure_svg(fig))
    (x0, x1), (y0, y1) = fig["layout"]["xaxis"]["range"], fig["layout"]["yaxis"]["range"]
    geo = next(s for s in root.iter(f"{NS}svg") if s.get("class") == "pd-geo")
    vx, vy, vw, vh = (float(v) for v in geo.get("viewBox").split())
    assert (vx, vy, vw, vh) == pytest.approx((x0, -y1, x1 - x0, y1 - y0), abs=0.05)  # y points down in SVG
    assert geo.get("preserveAspectRatio") == "xMidYMid meet"  # equal aspect, as Plotly's scaleanchor
    assert [float(v) for v in root.get("data-range").split(",")] == pytest.approx([x0, x1, y0, y1])
    left, right, top, bottom = (float(v) for v in root.get("data-margin").split(","))
    m = fig["layout"]["margin"]
    assert (left, right, top) == (m["l"], m["r"], m["t"])
    assert bottom > m["b"], "the legend under the drawing takes room, as Plotly's automargin gives it"


def test_colours_and_line_widths_are_the_figures(geom):
    fig = figure(geom)
    root = ET.fromstring(svg.figure_svg(fig))
    tendon = next(t for t in fig["data"] if t["meta"]["key"] == "psoas_major:tendon")
    group = next(g for g in root.iter(f"{NS}g") if g.get("data-key") == "psoas_major:tendon")
    path = next(iter(group))
    assert path.get("stroke") == tendon["line"]["color"]
    assert float(path.get("stroke-width")) == tendon["line"]["width"]
    assert path.get("vector-effect") == "non-scaling-stroke"  # px, however big the drawing
    belly = next(g for g in root.iter(f"{NS}g") if g.get("data-key") == "psoas_major:belly:right")
    trace = next(t for t in fig["data"] if t["meta"]["key"] == "psoas_major:belly:right")
    assert next(iter(belly)).get("fill") == trace["fillcolor"]


def test_text_is_escaped_and_the_svg_is_hidden_from_screen_readers_or_named():
    fig = {
        "data": [
            {"type": "scatter", "mode": "text", "x": [0], "y": [0], "text": ['<script>alert("x")</script> & <b>b</b>']},
            {"type": "scatter", "mode": "lines", "x": [0, 1], "y": [0, 1], "line": {"color": '"><script>'}},
        ],
        "layout": {"xaxis": {"range": [-1, 1]}, "yaxis": {"range": [-1, 1]}, "height": 300, "showlegend": False},
    }
    out = svg.figure_svg(fig)
    root = ET.fromstring(out)
    assert "<script" not in out
    assert not list(root.iter(f"{NS}script"))
    assert 'alert("x") & b' in texts(root)
    assert root.get("aria-hidden") == "true"  # the figure around it carries the text alternative
    named = ET.fromstring(svg.figure_svg(fig, label='Front view <of> "the" psoas'))
    assert named.get("role") == "img" and named.get("aria-label") == 'Front view <of> "the" psoas'


def test_the_first_paint_is_a_fraction_of_the_figure_json(geom):
    for view in ("front", "side"):
        fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=0, selected=None).to_json(validate=False)
        out = svg.figure_svg_from_json(fig)
        assert len(out) < 0.7 * len(fig), (view, len(out), len(fig))
        assert svg.figure_svg_from_json(fig) is out  # cached per figure


def test_the_picture_is_complete_without_a_script_and_at_least_as_wide_as_high(geom):
    """The first paint as an image (a Markdown image runs no script): every pin at its pixel, as diagram.js's
    place() would put it at that size; wide enough for the column, the drawing centred as Plotly centres it."""
    fig = figure(geom)
    picture = svg.picture(svg.figure_svg(fig))
    root = ET.fromstring(picture)
    width, height = float(root.get("width")), float(root.get("height"))
    assert width >= height == fig["layout"]["height"]
    left, right, top, bottom = (float(v) for v in root.get("data-margin").split(","))
    x0, x1, y0, y1 = (float(v) for v in root.get("data-range").split(","))
    pins = [e for e in root.iter() if e.get("class") == "pd-pin"]
    assert pins and all(p.get("transform", "").startswith("translate(") for p in pins)
    pw, ph = width - left - right, height - top - bottom
    k = min(pw / abs(x1 - x0), ph / abs(y1 - y0))
    for pin in pins:
        if pin.get("data-data"):
            x, y = (float(v) for v in pin.get("data-data").split(","))
            px, py = (float(v) for v in pin.get("transform")[len("translate(") : -1].split(","))
            assert px == pytest.approx(left + pw / 2 + (x - (x0 + x1) / 2) * k, abs=0.06)
            assert py == pytest.approx(top + ph / 2 - (y - (y0 + y1) / 2) * k, abs=0.06)
    assert svg.markdown_image(picture).startswith("![](data:image/svg+xml;base64,")
    assert svg.markdown_image("") == ""
