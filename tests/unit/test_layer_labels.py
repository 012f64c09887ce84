"""Issue 23: in consult mode each shown layer is named on the drawing itself, a name beside it with a leader that
ends on that layer, never over another label; for every 2D view and every combination of layers."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np
import plotly.graph_objects as go
import pytest

from psoas_explorer.anatomy import description, drawing, labels
from psoas_explorer.anatomy import figures as F
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import vocab
from tests.unit.test_figures import ALL, VIEWS_2D, _overlap, traces

COMBOS = [frozenset(c) for n in range(len(gm.LAYERS) + 1) for c in itertools.combinations(gm.LAYERS, n)]


@pytest.fixture(scope="module")
def geom() -> gm.Geometry:
    return gm.default_geometry()


def _pairs(fig: go.Figure) -> list[tuple[go.Scatter, go.Scatter]]:
    """(text, leaders) traces of the labels: the landmarks', and in consult mode the layers' names (not the hidden
    compact pair a phone draws instead: test_a_phone_draws_the_consult_figure_narrow)."""
    return [
        (text, lines)
        for text_part, lines_part in (("text", "leaders"), ("names", "names_leaders"))
        for text in traces(fig, layer="labels", part=text_part)
        for lines in traces(fig, layer="labels", part=lines_part)
    ]


def _words(fig: go.Figure) -> dict[str, str]:
    return {i: w for text, _ in _pairs(fig) for i, w in zip(text.meta["ids"].split(","), text.text, strict=True)}


def _leaders(fig: go.Figure) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """Each label's leader as (the end on its structure, the end at its text), by label id."""
    out = {}
    for text, lines in _pairs(fig):
        ids = text.meta["ids"].split(",")
        x, y = list(lines.x), list(lines.y)
        assert len(x) == 3 * len(ids) - 1  # two points a leader, a gap between leaders
        out.update({ident: ((x[3 * i], y[3 * i]), (x[3 * i + 1], y[3 * i + 1])) for i, ident in enumerate(ids)})
    return out


def _boxes(fig: go.Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every label's box (mm) at consult mode's design scale, names included (as _label_boxes, for both traces)."""
    out = []
    for text, _ in _pairs(fig):
        rows = zip(text.meta["ids"].split(","), text.text, text.x, text.y, text.textposition, strict=True)
        for ident, words, x, y, pos in rows:
            w, h = labels.label_box_mm(words, text.textfont.size, labels.DESIGN_PX_PER_MM_LARGE)
            x0, x1 = (x - w, x) if pos == "middle left" else (x, x + w)
            out.append((ident, (x0, y - h / 2, x1, y + h / 2)))
    return out


def _through(line: tuple[tuple[float, float], tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    """Whether a leader passes through a label's box: any of 400 points along it strictly inside."""
    (ax, ay), (bx, by) = line
    t = np.linspace(0.0, 1.0, 400)
    x, y = ax + t * (bx - ax), ay + t * (by - ay)
    return bool(np.any((box[0] < x) & (x < box[2]) & (box[1] < y) & (y < box[3])))


def _distance_to_layer(fig: go.Figure, layer: str, point: tuple[float, float]) -> float:
    """How far (mm) a point lies from what is drawn of a layer: its lines, outlines and markers."""
    p = np.array(point)
    best = np.inf
    for t in traces(fig, layer=layer):
        xy = np.array([(np.nan if a is None else a, np.nan if b is None else b) for a, b in zip(t.x, t.y, strict=True)])
        for a, b in zip(xy[:-1], xy[1:], strict=True):
            if np.isnan(a).any() or np.isnan(b).any():
                continue
            d = b - a
            s = np.clip(np.dot(p - a, d) / max(float(np.dot(d, d)), 1e-12), 0.0, 1.0)
            best = min(best, float(np.linalg.norm(a + s * d - p)))
        points = xy[~np.isnan(xy).any(axis=1)]
        if len(points):
            best = min(best, float(np.linalg.norm(points - p, axis=1).min()))
    return best


@pytest.mark.parametrize("view", VIEWS_2D)
def test_every_combination_of_layers_names_each_shown_layer_with_a_leader_onto_it(geom: gm.Geometry, view: str) -> None:
    for layers in COMBOS:
        fig = F.anatomy_figure(geom, view=view, layers=layers, angle=45, large=True)
        words = _words(fig)
        named = {i.removeprefix(labels.LAYER_PREFIX) for i in words if i.startswith(labels.LAYER_PREFIX)}
        assert named == set(layers), (view, sorted(layers))  # every shown layer, and no hidden one
        leaders = _leaders(fig)
        for layer in layers:
            ident = labels.LAYER_PREFIX + layer
            name = words[ident].replace("<b>", "").replace("</b>", "").replace("<br>", " ")
            assert name == vocab.LAYER_NAMES[layer]  # the legend's words: "≈" where hand-placed
            end, _ = leaders[ident]
            assert _distance_to_layer(fig, layer, end) < 0.5, (view, layer, sorted(layers))
        boxes = _boxes(fig)
        for (ia, a), (ib, b) in itertools.combinations(boxes, 2):
            assert not _overlap(a, b), f"{view} {sorted(layers)}: '{ia}' overlaps '{ib}'"


def _clear(fig: go.Figure, where: str) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """Every label and name inside the figure, none over another, no leader through another label (issue 23);
    returns the leaders."""
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    boxes = _boxes(fig)
    for ident, (left, bottom, right, top) in boxes:
        assert x0 <= left and right <= x1 and y0 <= bottom and top <= y1, f"{ident} leaves the drawing: {where}"
    for (ia, a), (ib, b) in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), f"{where}: '{ia}' overlaps '{ib}'"
    leaders = _leaders(fig)
    crossed = [(i, j) for i, line in leaders.items() for j, box in boxes if i != j and _through(line, box)]
    assert crossed == [], f"{where}: leaders through other labels {crossed}"
    return leaders


@pytest.mark.parametrize("view", VIEWS_2D)
def test_layer_names_stay_clear_and_on_their_layer_at_every_angle(geom: gm.Geometry, view: str) -> None:
    """All layers on, every 5 degrees: names inside the figure, clear of every label, leaders on their layer, and
    no leader (a landmark's or a layer's) through another label's words."""
    for angle in range(int(kin.MIN_ANGLE), int(kin.MAX_ANGLE) + 1, 5):
        fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=angle, large=True, selected="origin_l3_tp")
        leaders = _clear(fig, f"{view} at {angle} deg")
        for ident, (end, start) in leaders.items():
            if ident.startswith(labels.LAYER_PREFIX):
                layer = ident.removeprefix(labels.LAYER_PREFIX)
                assert _distance_to_layer(fig, layer, end) < 0.5, (view, angle, layer)
                assert start != end  # a line the eye can follow from the name to the layer


@pytest.mark.parametrize("view", VIEWS_2D)
def test_spanish_names_stay_clear_and_on_their_layer_at_every_angle(view: str) -> None:
    """The same in Spanish, whose labels and layer names run longer ("apófisis transversa", "arterias")."""
    spanish = description.shipped_geometry("es")
    assert spanish.lang == "es"
    test_layer_names_stay_clear_and_on_their_layer_at_every_angle(spanish, view)


@pytest.mark.parametrize("view", VIEWS_2D)
def test_names_sit_in_the_room_beside_the_drawing_and_widen_it(geom: gm.Geometry, view: str) -> None:
    """Consult mode's screens are wide and its drawing limited by height: the names go in margins beside the
    drawing, which widen the figure (the drawing used ~500 of 1,210 px at 1920x1080)."""
    normal = F.anatomy_figure(geom, view=view, layers=ALL)
    consult = F.anatomy_figure(geom, view=view, layers=ALL, large=True)
    (n0, n1), (c0, c1) = normal.layout.xaxis.range, consult.layout.xaxis.range
    assert c1 - c0 >= 1.8 * (n1 - n0)
    assert consult.layout.yaxis.range == normal.layout.yaxis.range
    (names,) = traces(consult, layer="labels", part="names")
    for ident, (left, _, right, _) in _boxes(consult):
        if not ident.startswith(labels.LAYER_PREFIX):
            assert c0 <= left and right <= c1, ident
    for ident, x, pos in zip(names.meta["ids"].split(","), names.x, names.textposition, strict=True):
        assert ident.startswith(labels.LAYER_PREFIX)
        outside = x <= n0 if pos == "middle left" else x >= n1
        assert outside, (view, ident, x)


@pytest.mark.parametrize("view", F.VIEWS)
def test_outside_consult_mode_the_legend_names_the_layers_and_the_drawing_is_as_before(
    geom: gm.Geometry, view: str
) -> None:
    fig = F.anatomy_figure(geom, view=view, layers=ALL)
    assert not traces(fig, layer="labels", part="names")
    for t in traces(fig, layer="labels", part="text"):
        assert not any(i.startswith(labels.LAYER_PREFIX) for i in t.meta["ids"].split(","))
    if view != "3d":
        assert tuple(fig.layout.xaxis.range) == drawing._view_box(geom, view)[0]
    assert {t.name for t in fig.data if t.showlegend} == {vocab.LAYER_NAMES[layer] for layer in gm.LAYERS}


def test_in_3d_consult_mode_names_each_shown_layer_at_a_point_of_it_that_the_hip_does_not_move(
    geom: gm.Geometry,
) -> None:
    """Issue 23: the 3D view names its layers on the drawing too (scene annotations, flat on the screen however the
    model is turned), each with a leader onto a point of that layer, the same at every hip angle; outside consult
    mode the legend does."""
    shown = frozenset({"psoas_major", "iliacus", "lumbar_plexus", "kidneys_ureters"})
    assert not F.anatomy_figure(geom, view="3d", layers=shown, angle=45).layout.scene.annotations
    first = None
    for angle in (kin.MIN_ANGLE, 0, 45, kin.MAX_ANGLE):
        fig = F.anatomy_figure(geom, view="3d", layers=shown, angle=angle, large=True)
        notes = fig.layout.scene.annotations
        named = {a.name.removeprefix(labels.LAYER_PREFIX): a for a in notes}
        assert set(named) == shown, sorted(named)
        for layer, note in named.items():
            assert note.text.replace("<b>", "").replace("</b>", "") == vocab.LAYER_NAMES[layer]
            assert note.showarrow and note.font.size == labels.LABEL_PX_LARGE and note.ax != 0
            drawn = [t for t in traces(fig, layer=layer)]
            points = np.vstack([np.column_stack([t.x, t.y, t.z]).astype(float) for t in drawn])
            points = points[~np.isnan(points).any(axis=1)]
            assert np.linalg.norm(points - (note.x, note.y, note.z), axis=1).min() < 25, (layer, angle)
        where = sorted((a.name, a.x, a.y, a.z, a.ax, a.ay) for a in notes)
        assert first is None or where == first, angle  # a still point: the name need not move with the hip
        first = where


@pytest.mark.parametrize("view", VIEWS_2D)
def test_a_phone_draws_the_consult_figure_narrow_as_outside_consult_mode(geom: gm.Geometry, view: str) -> None:
    """Issue 23 on a phone: the width limits the drawing, and the names' margins with the 16 px labels placed for
    them shrank it to ~60 %. The consult figure carries, hidden, the labels placed for a phone; ``narrow`` (and
    diagram.js ``narrowed``, checked in the browser) shows them over the drawing's own x range, the names and 16 px
    labels hidden: the labels, leaders and range of the figure outside consult mode."""
    shown = frozenset({"psoas_major", "iliacus", "lumbar_plexus", "kidneys_ureters"})
    for angle in (kin.MIN_ANGLE, 0, 45, kin.MAX_ANGLE):
        normal = F.anatomy_figure(geom, view=view, layers=shown, angle=angle, selected="origin_l3_tp").to_dict()
        consult = F.anatomy_figure(geom, view=view, layers=shown, angle=angle, selected="origin_l3_tp", large=True)
        wide = consult.to_dict()
        hidden = {t["meta"]["part"] for t in wide["data"] if t.get("visible") is False}
        assert hidden == {"compact", "compact_leaders"}  # the wide figure draws without them
        phone = labels.narrow(wide)
        assert phone["layout"]["xaxis"]["range"] == normal["layout"]["xaxis"]["range"]
        on = [t for t in phone["data"] if t.get("visible", True)]
        drawn = {t["meta"]["key"]: t for t in on if t["meta"]["layer"] == "labels"}
        assert set(drawn) == {"labels:compact:leaders", "labels:compact:text"}, sorted(drawn)
        plain = {t["meta"]["part"]: t for t in normal["data"] if t["meta"]["layer"] == "labels"}
        for part, key in (("text", "labels:compact:text"), ("leaders", "labels:compact:leaders")):
            for prop in ("x", "y", "text", "textposition", "textfont"):
                assert drawn[key].get(prop) == plain[part].get(prop), (view, angle, part, prop)
        assert labels.narrow(normal) is normal  # outside consult mode: nothing to narrow


LONGER = 0.3  # Spanish labels run ~20-30 % longer than the English ones (the diagram is being translated)


@pytest.fixture
def longer_words(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every label and layer name 30 % longer (each line), placed afresh; the placements are forgotten after."""
    plain = vocab.diagram_label

    def longer(text: str) -> str:
        return "<br>".join(line + "e" * math.ceil(LONGER * len(line)) for line in text.split("<br>"))

    monkeypatch.setattr(vocab, "diagram_label", lambda *a, **k: longer(plain(*a, **k)))
    for layer, name in list(vocab.LAYER_NAMES.items()):
        monkeypatch.setitem(vocab.LAYER_NAMES, layer, longer(name))
    labels._placed_labels.cache_clear()
    yield
    labels._placed_labels.cache_clear()


@pytest.mark.parametrize("view", VIEWS_2D)
def test_consult_placement_holds_for_labels_30_percent_longer(geom: gm.Geometry, view: str, longer_words: None) -> None:
    """All layers on, up to 70 degrees of hip flexion: every label and name inside the figure, none over another,
    no leader through another label, with words as long as a translation's. (At 80-90 degrees, with all seven
    layers on, longer words do not all find room yet.)"""
    for angle in (kin.MIN_ANGLE, 0, 30, 60, 70):
        fig = F.anatomy_figure(geom, view=view, layers=ALL, angle=angle, large=True)
        assert any("e" * 4 in w for w in _words(fig).values())  # the longer words are the ones placed
        _clear(fig, f"{view} at {angle} deg")
