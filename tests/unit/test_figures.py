"""The diagram and length chart: what is drawn, what can be clicked, and how big the JSON gets."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from psoas_explorer.anatomy import body, drawing, labels
from psoas_explorer.anatomy import figures as F
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.content import vocab

ALL = frozenset(gm.LAYERS)
VIEWS_2D = ("front", "side")


@pytest.fixture(scope="module")
def geom() -> gm.Geometry:
    return gm.default_geometry()


def traces(fig: go.Figure, **meta) -> list:
    return [t for t in fig.data if all(t.meta.get(k) == v for k, v in meta.items())]


def marker_ids(fig: go.Figure) -> set[str]:
    """Landmark ids a click can return: customdata of traces that draw markers."""
    ids: set[str] = set()
    for t in fig.data:
        if t.customdata is not None and "markers" in (t.mode or ""):
            ids |= {c for c in t.customdata if c}
    return ids


def origin_ids(geom: gm.Geometry) -> list[str]:
    return [f.id for f in geom.model.psoas_major.fascicles]


@pytest.mark.parametrize("view", VIEWS_2D)
def test_every_origin_and_the_insertion_is_a_labelled_marker(geom: gm.Geometry, view: str) -> None:
    fig = F.anatomy_figure(geom, view=view)
    (labels,) = traces(fig, layer="labels", part="text")
    labelled = dict(zip(labels.meta["ids"].split(","), labels.text, strict=True))
    for ident in [*origin_ids(geom), "insertion_lesser_trochanter"]:
        (t,) = traces(fig, part="landmark", id=ident)
        assert t.type == "scatter" and t.mode == "markers"
        assert set(t.customdata) == {ident}
        assert labelled.get(ident), f"{ident} has no visible label in the {view} view"
        plain = next((f.plain for f in geom.model.psoas_major.fascicles if f.id == ident), None)
        assert _first_words(plain or geom.model.landmarks[0].plain) in t.hovertext.replace("<br>", " ")
    assert marker_ids(fig) >= set(origin_ids(geom))


def _first_words(text: str) -> str:
    return " ".join(text.split()[:4])


def test_front_view_shows_both_sides_patient_right_on_viewer_left(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom, view="front", angle=0)
    (fibres,) = traces(fig, layer="psoas_major", part="fascicles")
    xs = np.array([x for x in fibres.x if x is not None])
    assert (xs < 0).sum() == (xs > 0).sum() > 0  # two psoas, drawn as mirror images
    (ins,) = traces(fig, id="insertion_lesser_trochanter")
    right, left = kin.landmark_position(geom, ins.customdata[0], 0.0, "right"), ins.x
    assert right[2] > 0 and left[0] < 0 < left[1]  # patient's right (+z) plotted on the left
    notes = {a.text: a.x for a in fig.layout.annotations}
    assert notes["Patient's right"] == 0.0 and notes["Patient's left"] == 1.0


def test_side_view_front_is_to_the_right(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom, view="side", layers=frozenset({"psoas_major", "rectus_femoris"}), angle=90)
    (ins,) = traces(fig, id="insertion_lesser_trochanter")
    (rf,) = traces(fig, layer="rectus_femoris", part="path")
    assert max(x for x in rf.x if x is not None) > ins.x[0] + 100  # flexed thigh points forward (+x)
    notes = {a.text: a.x for a in fig.layout.annotations}
    assert notes["Front"] == 1.0 and notes["Back"] == 0.0


@pytest.mark.parametrize("view", F.VIEWS)
@pytest.mark.parametrize("layer", gm.LAYERS)
def test_each_layer_toggles_its_traces(geom: gm.Geometry, view: str, layer: str) -> None:
    off = F.anatomy_figure(geom, view=view, layers=ALL - {layer})
    on = F.anatomy_figure(geom, view=view, layers=ALL)
    assert not traces(off, layer=layer)
    mine = traces(on, layer=layer)
    assert mine
    assert sum(bool(t.showlegend) for t in mine) == 1  # one legend entry per layer
    assert next(t for t in mine if t.showlegend).name == vocab.LAYER_NAMES[layer]
    others = {t.meta["key"] for t in on.data} - {t.meta["key"] for t in mine}
    assert others == {t.meta["key"] for t in off.data}  # nothing else changed
    expected = {
        "psoas_major": {"fascicles", "tendon", "landmark"},
        "psoas_minor": {"structure", "landmark"},
        "iliacus": {"path", "landmark"},
        "rectus_femoris": {"path", "landmark"},
        "lumbar_plexus": {"structure"},
        "arteries": {"structure"},
        "kidneys_ureters": {"structure", "organ"},
    }[layer]
    assert expected <= {t.meta["part"] for t in mine}


def test_default_is_psoas_only_and_bones_and_body_always_drawn(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom)
    assert {t.meta["layer"] for t in fig.data} == {"body", "bones", "psoas_major", "labels"}
    empty = F.anatomy_figure(geom, layers=frozenset())
    assert {t.meta["layer"] for t in empty.data} == {"body", "bones", "labels"}


def test_approximate_structures_are_dashed_and_marked(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom, view="front", layers=ALL)
    for t in fig.data:
        if t.meta.get("approximate") and t.meta["part"] in ("structure", "organ", "landmark"):
            assert "≈" in t.hovertext, t.meta["key"]
            if t.meta["layer"] != "lumbar_plexus" and t.meta["part"] != "landmark":
                assert t.line.dash != "solid", t.meta["key"]
    model_based = traces(fig, id="iliacus_origin")[0]
    assert "≈" not in model_based.hovertext


@pytest.mark.parametrize("view", F.VIEWS)
@pytest.mark.parametrize("angle", [-20, 90])
def test_json_is_small_with_every_layer_on(geom: gm.Geometry, view: str, angle: int) -> None:
    fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=angle, selected="origin_l3_tp")
    size = len(fig.to_json().encode())
    assert size < 200_000, f"{view} at {angle} deg: {size / 1000:.0f} kB"


@pytest.mark.parametrize("view", F.VIEWS)
def test_figures_are_valid_plotly(geom: gm.Geometry, view: str) -> None:
    """The app builds without plotly's validation for speed; validate the same dicts here."""
    fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=30, selected="femoral_nerve")
    go.Figure(fig.to_dict())  # raises ValueError on any invalid property
    keys = [t.meta["key"] for t in fig.data]
    assert len(keys) == len(set(keys))
    json.loads(fig.to_json())


@pytest.mark.parametrize("view", VIEWS_2D)
def test_layout_is_clean_and_equal_aspect(geom: gm.Geometry, view: str) -> None:
    lay = F.anatomy_figure(geom, view=view).layout
    assert lay.xaxis.visible is False and lay.yaxis.visible is False
    assert lay.yaxis.scaleanchor == "x" and lay.yaxis.scaleratio == 1
    assert 500 <= lay.height <= 600 and not (lay.title and lay.title.text)
    assert lay.margin.l <= 10 and lay.margin.r <= 10


def test_3d_view_has_meshes_and_clickable_points(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom, view="3d", layers=ALL)
    assert {t.meta["key"] for t in traces(fig, layer="bones")} == {"bones:static", "bones:femur"}
    assert all(t.type == "mesh3d" for t in traces(fig, layer="bones"))
    assert marker_ids(fig) >= {*origin_ids(geom), "insertion_lesser_trochanter"}
    assert fig.layout.scene.aspectmode == "data" and fig.layout.scene.xaxis.visible is False


@pytest.mark.parametrize("view", F.VIEWS)
def test_selected_landmark_is_highlighted(geom: gm.Geometry, view: str) -> None:
    fig = F.anatomy_figure(geom, view=view, selected="origin_l3_tp")
    (sel,) = traces(fig, id="origin_l3_tp")
    (other,) = traces(fig, id="origin_l4_tp")
    assert sel.meta["selected"] and not other.meta["selected"]
    assert sel.marker.size > other.marker.size
    assert sel.marker.line.color == "black"
    if view != "3d":  # the label says it too, in bold
        (labels,) = traces(fig, layer="labels", part="text")
        words = dict(zip(labels.meta["ids"].split(","), labels.text, strict=True))
        assert words["origin_l3_tp"] == "<b>side wing of L3</b>" and words["origin_l4_tp"] == "side wing of L4"
    else:
        assert all(t for t in sel.text)
    F.anatomy_figure(geom, view=view, selected="no_such_landmark")  # a stale URL id is ignored


def test_only_the_femur_and_the_muscles_below_the_brim_move(geom: gm.Geometry) -> None:
    a = F.anatomy_figure(geom, view="front", layers=ALL, angle=0)
    b = F.anatomy_figure(geom, view="front", layers=ALL, angle=60)
    moved = {
        ta.meta["key"] for ta, tb in zip(a.data, b.data, strict=True) if ta.to_plotly_json() != tb.to_plotly_json()
    }
    assert {"bones:femur", "psoas_major:tendon", "iliacus:path", "rectus_femoris:path"} <= moved
    assert "psoas_major:landmark:insertion_lesser_trochanter" in moved
    fixed = {
        "bones:static",
        "psoas_major:fascicles",
        "psoas_major:landmark:origin_l3_tp",
        "arteries:structure:abdominal_aorta",
    }
    assert not fixed & moved  # fascicles run origin -> brim, both fixed to the trunk


def test_bad_arguments(geom: gm.Geometry) -> None:
    with pytest.raises(ValueError, match="view"):
        F.anatomy_figure(geom, view="top")
    with pytest.raises(ValueError, match="psoas"):
        F.anatomy_figure(geom, layers=frozenset({"psoas"}))
    clamped = F.anatomy_figure(geom, angle=150)
    assert (
        traces(clamped, id="insertion_lesser_trochanter")[0].x
        == traces(F.anatomy_figure(geom, angle=90), id="insertion_lesser_trochanter")[0].x
    )


def test_length_chart(geom: gm.Geometry) -> None:
    fig = F.length_chart(geom, 30)
    curve, now = fig.data
    assert curve.x[0] == -20 and curve.x[-1] == 90
    assert curve.y[20] == pytest.approx(kin.psoas_length_cm(0, geom), abs=0.01)  # x = 0 deg
    assert now.x == (30,) and now.y[0] == pytest.approx(kin.psoas_length_cm(30, geom), abs=0.01)
    assert now.text[0] == f"{kin.psoas_length_cm(30, geom):.1f} cm"  # short: the change is in the metric above
    assert "Hip flexion" in fig.layout.xaxis.title.text and "cm" in fig.layout.yaxis.title.text
    assert any("gait2392" in a.text for a in fig.layout.annotations)
    go.Figure(fig.to_dict())


@pytest.mark.parametrize("view", VIEWS_2D)
def test_line_vertices_do_not_steal_landmark_hovers(geom: gm.Geometry, view: str) -> None:
    """Plotly shows the first of equally close points; a line vertex on a marker would hide it."""
    fig = F.anatomy_figure(geom, view=view, layers=ALL)
    marks = [(t.meta["id"], x, y) for t in traces(fig, part="landmark") for x, y in zip(t.x, t.y, strict=True)]
    for t in fig.data:
        if t.hoverinfo == "skip" or t.meta["part"] in ("landmark", "belly", "organ"):
            continue
        for x, y in zip(t.x, t.y, strict=True):
            if x is None:
                continue
            for ident, mx, my in marks:
                same_muscle = t.meta.get("id") == "psoas_minor" and ident.startswith("psoas_minor")
                assert same_muscle or np.hypot(x - mx, y - my) >= 6.0, (t.meta["key"], ident)


def test_built_figure_serialises_like_a_plain_figure_and_hands_out_fresh_dicts(geom):
    import plotly.io as pio

    fig = F.anatomy_figure(geom, view="front", angle=30)
    plain = go.Figure.to_dict(fig)  # plotly's own, uncached conversion of the same figure
    assert pio.to_json(fig, validate=False) == pio.to_json(plain, validate=False)
    first = fig.to_dict()
    first["layout"] = {}  # a caller that edits its copy ...
    assert fig.to_dict()["layout"] == plain["layout"]  # ... does not change the next one


# --- where the psoas lies in the body, and the muscle drawn as a muscle ---------------------------------------------


def _pieces(t) -> list[np.ndarray]:
    """A trace's polylines (None breaks them) as arrays."""
    out: list[np.ndarray] = []
    cur: list[tuple[float, float]] = []
    for x, y in zip(t.x, t.y, strict=True):
        if x is None:
            out, cur = out + [np.array(cur)] if cur else out, []
        else:
            cur.append((x, y))
    return out + [np.array(cur)] if cur else out


def _inside(ring: np.ndarray, p: np.ndarray) -> bool:
    """Ray casting: is point p inside the closed ring?"""
    x, y = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    crosses = (y > p[1]) != (y2 > p[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = x + (p[1] - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (xs > p[0])) % 2)


def _chord(ring: np.ndarray, p: np.ndarray, across: np.ndarray) -> float:
    """Width of the ring along the line through p in direction ``across`` (0 when p is outside)."""
    across = across / np.linalg.norm(across)
    hits = []
    a, b = ring, np.roll(ring, -1, axis=0)
    for s, e in zip(a, b, strict=True):
        m = np.array([across, s - e]).T
        if abs(np.linalg.det(m)) < 1e-12:
            continue
        t, u = np.linalg.solve(m, s - p)
        if 0 <= u <= 1:
            hits.append(t)
    below = [t for t in hits if t <= 0]
    above = [t for t in hits if t > 0]
    return float(min(above) - max(below)) if below and above else 0.0


@pytest.mark.parametrize("view", VIEWS_2D)
@pytest.mark.parametrize("angle", [-20, 0, 45, 90])
def test_body_outline_holds_the_psoas_with_the_navel_and_the_groin(geom: gm.Geometry, view: str, angle: int) -> None:
    fig = F.anatomy_figure(geom, view=view, angle=angle, layers=ALL)
    (outline,) = traces(fig, layer="body", part="outline")
    assert outline.fill == "toself" and "0.55" in outline.fillcolor  # light: the bones show through
    rings = _pieces(outline)
    inside = lambda p: any(_inside(r, np.asarray(p)) for r in rings)  # noqa: E731
    # Everything drawn of the muscle and the thigh bone lies inside the body, whatever the hip angle.
    for key in ("psoas_major:fascicles", "psoas_major:tendon"):
        (t,) = [t for t in fig.data if t.meta["key"] == key]
        assert all(inside(p) for piece in _pieces(t) for p in piece), (key, angle)
    (femur,) = traces(fig, layer="bones", part="femur")
    assert all(inside(p) for piece in _pieces(femur) for p in piece[::3]), angle
    (navel,) = traces(fig, layer="body", id="navel")
    (groin,) = traces(fig, layer="body", id="groin")
    assert "Navel" in navel.name and "Groin" in groin.name and "≈" in navel.hovertext
    assert len(groin.x) == (2 if view == "front" else 1)
    l3, l4 = (geom.vertebra_origin(v)[1] * 1000 for v in ("lumbar3", "lumbar4"))
    assert l4 - 5 <= navel.y[0] <= l3 + 5  # about the L3/L4 disc (the joint below L3 is L3's origin)
    pubic = 1000 * body._bony(geom).pubic_tubercle[1]
    assert pubic < groin.y[0] < 0  # between the pubic tubercle and the ASIS (y = 0)
    if view == "side":
        # The psoas lies deep: behind the belly (the navel on the skin in front), in front of the spine's back.
        (fibres,) = traces(fig, layer="psoas_major", part="fascicles")
        front = max(x for x in fibres.x if x is not None)
        spine_back = 1000 * body._bony(geom).spine_back
        assert navel.x[0] > front + 50 and inside((navel.x[0] - 3, navel.y[0]))
        assert inside((spine_back - 5, navel.y[0])) and not inside((navel.x[0] + 8, navel.y[0]))
    else:
        assert navel.x == (0.0,) and groin.x[0] == -groin.x[1]
        assert len(traces(fig, layer="body", part="fold")[0].x) > 4  # the creases are drawn


def test_thigh_outline_follows_the_hip_angle(geom: gm.Geometry) -> None:
    def reach(angle: int) -> float:
        (o,) = traces(F.anatomy_figure(geom, view="side", angle=angle), layer="body", part="outline")
        return max(x for x in o.x if x is not None)

    assert reach(90) > reach(0) + 100  # the sitting thigh sticks out in front


@pytest.mark.parametrize("view", VIEWS_2D)
@pytest.mark.parametrize("angle", [-20, 0, 45, 90])
def test_psoas_is_a_belly_that_narrows_into_its_tendon(geom: gm.Geometry, view: str, angle: int) -> None:
    fig = F.anatomy_figure(geom, view=view, angle=angle)
    pp = kin.psoas_path(geom, float(angle), "right")
    proj = lambda p: drawing._mm(ras.project(np.asarray(p), view))  # noqa: E731
    (belly,) = traces(fig, layer="psoas_major", part="belly", side="right")
    ring = _pieces(belly)[0]
    assert belly.fill == "toself"
    origins = proj(np.array([f[0] for f in pp.fascicles.values()]))
    brim, tendon = proj(pp.tendon[0]), proj(pp.tendon)
    mid = (origins.mean(0) + brim) / 2
    along = brim - origins.mean(0)
    mid_width = _chord(ring, mid, np.array([-along[1], along[0]]))
    last = tendon[-1] - tendon[-2]
    near = tendon[-2] + 0.85 * last  # on the tendon, close to the lesser trochanter
    near_width = _chord(ring, near, np.array([-last[1], last[0]]))
    assert 0 < near_width < mid_width / 2, (mid_width, near_width)
    assert _inside(ring, tendon[-2] + 0.5 * last)


# --- labels: plain words, big enough, never overlapping --------------------------------------------------------------


def _label_boxes(fig: go.Figure, px_per_mm: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each label's box in data coordinates (mm), estimated from its text, font size and the drawing's scale."""
    (t,) = traces(fig, layer="labels", part="text")
    ids = t.meta["ids"].split(",")
    boxes = []
    for ident, text, x, y, pos in zip(ids, t.text, t.x, t.y, t.textposition, strict=True):
        w, h = labels.label_box_mm(text, t.textfont.size, px_per_mm)
        x0, x1 = (x - w, x) if pos == "middle left" else (x, x + w)
        boxes.append((ident, (x0, y - h / 2, x1, y + h / 2)))
    return boxes


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_label_size_estimate_is_not_smaller_than_chromium_draws_it() -> None:
    # Widths measured with getBBox() in Chromium (Arial metrics), 16 px: the estimate must not undercut them.
    for text, measured in (("side wing of L3", 115.7), ("front of the hip bone", 142.4), ("psoas minor ends", 126.3)):
        assert labels.label_box_mm(f"<b>{text}</b>", 16, 1.0)[0] >= measured
        assert labels.label_box_mm(text, 16, 1.0)[1] >= 17  # one line is 17 px tall
    assert labels.label_box_mm("lesser trochanter<br>(inner thigh-bone knob)", 16, 1.0)[1] >= 37.8


def _plot_scale(fig: go.Figure, width: int, height: int) -> float:
    """px per mm of a drawing in a chart of this size: equal axes, so the tighter of the two directions."""
    lay = fig.layout
    legend = 70 if width < 700 else 45  # rows of the legend under the drawing, with its note
    plot_w, plot_h = width - lay.margin.l - lay.margin.r, height - lay.margin.t - lay.margin.b - legend
    return min(plot_w / np.diff(lay.xaxis.range)[0], plot_h / np.diff(lay.yaxis.range)[0])


@pytest.mark.parametrize("view", VIEWS_2D)
@pytest.mark.parametrize("large", [False, True], ids=["normal", "consult"])
def test_no_two_labels_overlap_at_any_angle(geom: gm.Geometry, view: str, large: bool) -> None:
    """Every angle in 5 degree steps, every layer on, at the smallest drawing each mode is laid out for."""
    smallest = labels.DESIGN_PX_PER_MM_LARGE if large else labels.DESIGN_PX_PER_MM
    # What the app shows is no smaller: the default chart on a laptop, or in consult mode 70 % of a 1080 px screen.
    fig = F.anatomy_figure(geom, view=view, large=large)
    assert _plot_scale(fig, 1920 if large else 1366, 756 if large else fig.layout.height) >= smallest * 0.98
    for angle in range(int(kin.MIN_ANGLE), int(kin.MAX_ANGLE) + 1, 5):
        fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=angle, large=large, selected="origin_l3_tp")
        (t,) = traces(fig, layer="labels", part="text")
        assert t.textfont.size >= (16 if large else 12)
        boxes = _label_boxes(fig, smallest)
        (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
        for ident, (a, b, c, d) in boxes:
            assert x0 <= a and c <= x1 and y0 <= b and d <= y1, f"{ident} leaves the drawing at {angle} deg"
        for i, (ia, box_a) in enumerate(boxes):
            for ib, box_b in boxes[i + 1 :]:
                assert not _overlap(box_a, box_b), f"{view} at {angle} deg: '{ia}' overlaps '{ib}'"


@pytest.mark.parametrize("view", VIEWS_2D)
def test_labels_of_every_layer_combination_are_those_of_all_layers(geom: gm.Geometry, view: str) -> None:
    """Labels are placed once for every layer, so no combination can bring two of them together."""
    import itertools

    every = traces(F.anatomy_figure(geom, view=view, layers=ALL, angle=45), layer="labels", part="text")[0]
    where = dict(zip(every.meta["ids"].split(","), zip(every.x, every.y, strict=True), strict=True))
    for n in range(len(gm.LAYERS) + 1):
        for combo in itertools.combinations(gm.LAYERS, n):
            fig = F.anatomy_figure(geom, view=view, layers=frozenset(combo), angle=45)
            (t,) = traces(fig, layer="labels", part="text")
            ids = t.meta["ids"].split(",")
            assert all(where[i] == xy for i, xy in zip(ids, zip(t.x, t.y, strict=True), strict=True)), combo
            assert {"navel", "groin", "thigh_bone"} <= set(ids)


@pytest.mark.parametrize("view", VIEWS_2D)
def test_labels_are_plain_words_with_the_terms_in_the_hover(geom: gm.Geometry, view: str) -> None:
    fig = F.anatomy_figure(geom, view=view, layers=ALL)
    (t,) = traces(fig, layer="labels", part="text")
    words = dict(zip(t.meta["ids"].split(","), t.text, strict=True))
    assert words["origin_l3_tp"] == "side wing of L3" and words["origin_l3_l4_disc"] == "L3–L4 disc"
    assert words["origin_l1_body"] == "side of L1" and words["thigh_bone"] == "thigh bone"
    assert words["insertion_lesser_trochanter"].startswith("lesser trochanter<br>(inner thigh-bone knob")
    assert words["navel"] == "navel" and words["groin"] == "groin"
    assert not any(w in " ".join(words.values()) for w in ("TP", "AIIS", "fossa", "femur"))
    (l3,) = traces(fig, id="origin_l3_tp")  # the anatomical term stays in the point's hover
    assert "transverse process" in l3.hovertext
    assert "labels" not in {t.meta["layer"] for t in fig.data if t.showlegend}


@pytest.mark.parametrize("view", F.VIEWS)
@pytest.mark.parametrize("layers", [ALL, frozenset()], ids=["layers", "none"])
def test_notes_and_legend_sit_in_the_margins_covering_nothing(geom: gm.Geometry, view: str, layers) -> None:
    for large in (False, True):
        lay = F.anatomy_figure(geom, view=view, layers=layers, large=large).layout
        for note in lay.annotations:
            assert note.xref == note.yref == "paper"
            above = note.y >= 1 and note.yanchor == "bottom"
            below = note.y <= 0 and note.yanchor == "top"
            assert above or below, note.text  # in the top or bottom margin, never over the drawing
        assert lay.legend.y <= 0 and lay.legend.yanchor == "top" and lay.legend.orientation == "h"
        notes = " ".join([lay.legend.title.text or "", *(a.text for a in lay.annotations)])
        assert "approximate" in notes and ("outline" in notes) == (view != "3d")
        assert (lay.height >= 756) == large  # consult: 70 % of a 1080 px screen


@pytest.mark.parametrize("view", VIEWS_2D)
def test_outline_and_muscle_shape_have_the_same_points_at_every_angle(geom: gm.Geometry, view: str) -> None:
    """So the page can animate between precomputed angles point by point."""
    sizes = set()
    for angle in range(-20, 91, 10):
        fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=angle)
        keys = ("body:outline", "psoas_major:belly:right", "labels:text", "labels:leaders")
        sizes.add(tuple(len(t.x) for t in fig.data if t.meta["key"] in keys))
    assert len(sizes) == 1, sizes
