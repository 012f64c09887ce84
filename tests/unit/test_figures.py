"""The diagram and length chart: what is drawn, what can be clicked, and how big the JSON gets."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from psoas_explorer.anatomy import figures as F
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
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
    for ident in [*origin_ids(geom), "insertion_lesser_trochanter"]:
        (t,) = traces(fig, part="landmark", id=ident)
        assert t.type == "scatter" and t.mode == "markers+text"
        assert set(t.customdata) == {ident}
        assert any(t.text), f"{ident} has no visible label in the {view} view"
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


def test_default_is_psoas_only_and_bones_always_drawn(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom)
    assert {t.meta["layer"] for t in fig.data} == {"bones", "psoas_major"}
    empty = F.anatomy_figure(geom, layers=frozenset())
    assert {t.meta["layer"] for t in empty.data} == {"bones"}


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
    assert all(t for t in sel.text)  # labelled on every side shown
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


def test_clicked_landmark_reads_streamlit_selection_events(geom: gm.Geometry) -> None:
    fig = F.anatomy_figure(geom, view="front")
    curve = next(i for i, t in enumerate(fig.data) if t.meta.get("id") == "origin_l3_tp")
    point = {"curve_number": curve, "point_index": 0, "customdata": fig.data[curve].customdata[0]}
    assert F.clicked_landmark({"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}) == (
        "origin_l3_tp"
    )
    assert F.clicked_landmark({"selection": {"points": [{"customdata": ["kidney_left"]}]}}) == "kidney_left"
    assert F.clicked_landmark({"selection": {"points": [{"x": 1}]}}) is None
    assert F.clicked_landmark({"selection": {"points": []}}) is None
    assert F.clicked_landmark(None) is None


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
