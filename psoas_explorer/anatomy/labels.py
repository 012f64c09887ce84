"""The diagram's labels: plain words beside their structures, moved apart so none overlaps another or the muscle,
with a thin leader line to the point when moved (the 2D views; the 3D view uses hover text)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from psoas_explorer.anatomy import body
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.drawing import INK, Meta, Trace, _col, _joined, _mm, _trace, _view_box, _xy
from psoas_explorer.anatomy.model import FloatArray, Side
from psoas_explorer.content import vocab

LABEL_PX, LABEL_PX_LARGE = 12, 16  # label font size (px): normal, and consult mode (patients read it from a chair)
# Labels are laid out for the smallest drawing each mode is for (px per mm of the model): 0.8 is the default height
# on a laptop (about 450 px of drawing for the 565 mm tall view) and a 390 px phone (about 350 px for ~390 mm wide);
# 1.1 is consult mode's drawing at 70 % of a 1080 px screen (issue 15). On any bigger drawing a label covers fewer
# millimetres, so labels that do not overlap there do not overlap on it.
DESIGN_PX_PER_MM, DESIGN_PX_PER_MM_LARGE = 0.8, 1.1
# Average glyph width and line height (em), a little generous: measured in Chromium on these labels with Arial's
# metrics (wider than Source Sans Pro), 0.42-0.49 em per character regular and bold, lines 1.06-1.18 em apart.
_EM, _EM_BOLD, _LINE_EM = 0.5, 0.53, 1.25
_GAP_MM = 2.0  # between a label and its leader's end, and between labels
LEADER = {"color": "#8a8a8a", "width": 1}  # the thin grey line from a moved label to its point


def label_box_mm(text: str, font_px: float, px_per_mm: float) -> tuple[float, float]:
    """(width, height) in mm that a label takes at this font size and scale: an estimate from its characters."""
    bold = "<b>" in text
    lines = text.replace("<b>", "").replace("</b>", "").split("<br>")
    width = max(len(line) for line in lines) * font_px * (_EM_BOLD if bold else _EM)
    return width / px_per_mm, len(lines) * font_px * _LINE_EM / px_per_mm


@dataclass(frozen=True)
class _Label:
    """A label placed for one drawn point: its text sits beside (x, y), on ``side``, with a leader to ``at``."""

    ident: str
    layer: str
    text: str
    at: tuple[float, float]  # the point it names (mm)
    x: float  # the text's near edge (mm)
    y: float  # the text's middle (mm)
    side: int  # -1: the text runs left of x; +1: right of x


def _label_points(geom: gm.Geometry, view: str, angle: float) -> list[tuple[str, str, str, FloatArray, int]]:
    """(id, layer, words, point in pelvis frame, preferred side) for every label the view can show.

    One label per landmark. The front view labels the bodies and discs on the patient's right (viewer's
    left) and the side wings on the patient's left, so the eleven origins split over two columns; the
    side view puts the spine's labels in one column in the room in front of the spine, inside the belly.
    Order = priority when labels compete for room: the psoas first, top to bottom.
    """
    front = view == "front"
    out: list[tuple[str, str, str, FloatArray, int]] = []
    for f in geom.model.psoas_major.fascicles:
        tp = f.part == "transverse_process"
        side: Side = "left" if (tp and front) else "right"
        pos = kin.landmark_position(geom, f.id, angle, side)
        out.append(
            (f.id, "psoas_major", vocab.diagram_label(f.id, f.part, f.level), pos, -1 if front and not tp else 1)
        )
    ends = {  # landmark id: (side of the body drawn on in the front view, label side in front, in side view)
        "insertion_lesser_trochanter": ("right", -1, 1),
        "origin_t12_textbook": ("left", 1, 1),  # front view: over the side wings, where the column has room
        "psoas_minor_origin": ("left", 1, 1),
        "psoas_minor_insertion": ("left", 1, 1),
        "iliacus_origin": ("left", 1, -1),
        "rectus_femoris_origin": ("left", 1, 1),
    }
    for lm in geom.model.landmarks:
        body_side, in_front, in_side = ends.get(lm.id, ("right", -1, 1))
        pos = kin.landmark_position(geom, lm.id, angle, body_side if front else "right")  # type: ignore[arg-type]
        out.append((lm.id, lm.layer, vocab.diagram_label(lm.id), pos, in_front if front else in_side))
    out.append(("navel", "body", vocab.diagram_label("navel"), body.navel(geom), -1 if front else 1))
    out.append(("groin", "body", vocab.diagram_label("groin"), body.groin(geom, "right"), -1 if front else 1))
    shaft = kin.to_pelvis(geom, np.array([0.018, -0.17, 0.026]), "femur", angle, "left" if front else "right")
    out.append(("thigh_bone", "bones", vocab.diagram_label("thigh_bone"), shaft, 1 if front else -1))
    return out


@functools.lru_cache(maxsize=1024)
def _placed_labels(geom: gm.Geometry, view: str, angle: float, large: bool) -> tuple[_Label, ...]:
    """Every label of the view, placed greedily so none overlaps another (whatever layers are on).

    Each label starts beside its point; if its box would overlap a label already placed, it moves up or down
    in small steps (or a little further out, or to the other side) until it is free, staying inside the
    drawing, and a leader line joins it to its point. Placed once for all layers so switching a layer never
    moves the other labels.
    """
    font = LABEL_PX_LARGE if large else LABEL_PX
    scale = DESIGN_PX_PER_MM_LARGE if large else DESIGN_PX_PER_MM
    (x0, x1), (y0, y1) = _view_box(geom, view)
    placed: list[tuple[_Label, tuple[float, float, float, float]]] = []
    step = 2.0
    for ident, layer, words, pos, side in _label_points(geom, view, angle):
        px, py = (float(v) for v in _mm(ras.project(pos, view)))
        clear = _clear_of_muscle(view, px, py, side)
        w, h = label_box_mm(f"<b>{words}</b>", font, scale)  # bold: a selected label is wider
        best: tuple[_Label, tuple[float, float, float, float]] | None = None
        beside = px + side * (_GAP_MM + 4.0)
        # Where the text may start: beside the point (or past the muscle), a little further out (a label on its
        # own, so it can stay level with its point), or on the other side.
        starts = [(side, clear)] + ([(side, clear + side * e) for e in (25.0, 50.0)] if clear == beside else [])
        starts.append((-side, px - side * (_GAP_MM + 4.0)))
        for k in range(0, 300):
            dy = step * ((k + 1) // 2) * (1 if k % 2 else -1)  # 0, +2, -2, +4, -4, ...
            for s, lx in starts:
                box = (min(lx, lx + s * w), py + dy - h / 2, max(lx, lx + s * w), py + dy + h / 2)
                if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
                    continue
                if all(_apart(box, other) for _, other in placed):
                    best = (_Label(ident, layer, words, (px, py), lx, py + dy, s), box)
                    break
            if best:
                break
        if best is None:  # no room anywhere: keep it beside its point (the overlap test would say so)
            lx = clear
            best = (_Label(ident, layer, words, (px, py), lx, py, side), (lx, py - h / 2, lx + side * w, py + h / 2))
        placed.append(best)
    return tuple(label for label, _ in placed)


def _clear_of_muscle(view: str, px: float, py: float, side: int) -> float:
    """Where a label's text starts: beside its point, but beyond the psoas belly for points on the spine,
    so the words do not lie over the muscle they name (mm; the side wings sit ~30 mm out in the front view)."""
    on_spine = abs(px) < 45.0 if view == "front" else px < -40.0
    if py > 60.0 and on_spine:  # beside the lumbar spine: the origins, T12, psoas minor's start
        if view == "front":
            return side * max(abs(px) + 6.0, 40.0)
        return max(px + 6.0, -50.0)  # side view: into the room between spine and belly wall
    return px + side * (_GAP_MM + 4.0)


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    g = _GAP_MM
    return a[2] + g <= b[0] or b[2] + g <= a[0] or a[3] + g <= b[1] or b[3] + g <= a[1]


def _label_traces_2d(
    geom: gm.Geometry, view: str, angle: float, layers: frozenset[str], selected: str | None, large: bool
) -> list[Trace]:
    """The labels of what is drawn as one text trace, over thin leader lines to their points."""
    shown = [lb for lb in _placed_labels(geom, view, angle, large) if lb.layer in layers | {"body", "bones"}]
    # One leader per label, even a label right beside its point (a short stub under it): the same number of
    # points at every angle, so the page can animate between precomputed angles.
    leaders = [np.array([lb.at, (lb.x - lb.side * 1.0, lb.y)]) for lb in shown]
    lx, ly = _xy(_joined(leaders)) if leaders else ([], [])
    text = [f"<b>{lb.text}</b>" if lb.ident == selected else lb.text for lb in shown]
    font = LABEL_PX_LARGE if large else LABEL_PX
    quiet: Trace = {"hoverinfo": "skip", "showlegend": False}
    leader_meta: Meta = {"layer": "labels", "part": "leaders"}
    return [
        _trace("scatter", "labels:leaders", leader_meta, x=lx, y=ly, mode="lines", line=LEADER, **quiet),
        _trace(
            "scatter",
            "labels:text",
            # design_px_per_mm: the scale the labels were placed for; a smaller drawing shrinks their type in
            # proportion (diagram.js), so the layout stays the one placed here and no two labels meet.
            {
                "layer": "labels",
                "part": "text",
                "ids": ",".join(lb.ident for lb in shown),
                "design_px_per_mm": DESIGN_PX_PER_MM_LARGE if large else DESIGN_PX_PER_MM,
            },
            x=_col(np.array([lb.x for lb in shown])),
            y=_col(np.array([lb.y for lb in shown])),
            mode="text",
            text=text,
            textposition=["middle left" if lb.side < 0 else "middle right" for lb in shown],
            textfont={"size": font, "color": INK, "shadow": "auto"},  # a halo: readable over bones and lines
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
        ),
    ]
