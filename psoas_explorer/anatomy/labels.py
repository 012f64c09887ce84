"""The diagram's labels: plain words beside their structures, and each layer's name beside a point of that layer,
moved apart so none overlaps another or the muscle, with a thin leader line to the point (the 2D views; the 3D view
uses hover text and its legend)."""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass

import numpy as np

from psoas_explorer.anatomy import body
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.drawing import (
    INK,
    Meta,
    Trace,
    _col,
    _joined,
    _layer_parts,
    _mm,
    _sides,
    _trace,
    _view_box,
    _xy,
)
from psoas_explorer.anatomy.model import FloatArray, Side
from psoas_explorer.content import vocab

LABEL_PX, LABEL_PX_LARGE = 12, 16  # label font size (px): normal, and consult mode (patients read it from a chair)
# Labels are laid out for the smallest drawing each mode is for (px per mm of the model): 0.8 is the default height
# on a laptop (about 450 px of drawing for the 565 mm tall view) and a 390 px phone (about 350 px for ~390 mm wide);
# 0.8 is also consult mode's drawing on a 1366x768 laptop (about 0.84), so its labels keep their 16 px there too
# (issue 23; a 1080 px screen draws at ~1.3). On any bigger drawing a label covers fewer millimetres, so labels
# that do not overlap there do not overlap on it.
DESIGN_PX_PER_MM, DESIGN_PX_PER_MM_LARGE = 0.8, 0.8
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


_Box = tuple[float, float, float, float]  # (x0, y0, x1, y1) in mm
_Placed = list[tuple[_Label, _Box]]


def _find_spot(
    ident: str,
    layer: str,
    words: str,
    at: tuple[float, float],
    starts: list[tuple[int, float]],
    size: tuple[float, float],
    bounds: tuple[tuple[float, float], tuple[float, float]],
    placed: _Placed,
) -> tuple[_Label, _Box] | None:
    """The first free spot for a label of ``size`` (w, h mm) naming the point ``at``: level with it at each of
    ``starts`` (side, where the text starts) in turn, then a step up, a step down, and so on, inside ``bounds``
    and clear of every label already ``placed``. None when there is no room anywhere."""
    (x0, x1), (y0, y1) = bounds
    w, h = size
    py = at[1]
    for k in range(0, 300):
        dy = _STEP_MM * ((k + 1) // 2) * (1 if k % 2 else -1)  # 0, +2, -2, +4, -4, ...
        for s, lx in starts:
            box = (min(lx, lx + s * w), py + dy - h / 2, max(lx, lx + s * w), py + dy + h / 2)
            if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
                continue
            if all(_apart(box, other) for _, other in placed):
                return _Label(ident, layer, words, at, lx, py + dy, s), box
    return None


_STEP_MM = 2.0  # how far a label moves up or down at each try


def label_bounds(geom: gm.Geometry, view: str, large: bool) -> tuple[tuple[float, float], tuple[float, float]]:
    """The figure's axis ranges (mm): the drawing's view box, in consult mode with a margin on each side for the
    layers' names. Consult mode is for a big screen whose drawing is limited by its height, so the margins widen
    the drawing into width that would otherwise stay empty (issue 23); elsewhere (a phone) width is what limits."""
    (x0, x1), y = _view_box(geom, view)
    g = GUTTER_MM_LARGE if large else 0.0
    return (x0 - g, x1 + g), y


GUTTER_MM_LARGE = 175.0  # the widest name, "Aorta and iliac", is ~160 mm at 16 px and 0.8 px per mm


@functools.lru_cache(maxsize=1024)
def _placed_labels(geom: gm.Geometry, view: str, angle: float, large: bool) -> tuple[_Label, ...]:
    """Every label of the view, placed greedily so none overlaps another (whatever layers are on).

    Each landmark's label starts beside its point; if its box would overlap a label already placed, it moves up
    or down in small steps (or a little further out, or to the other side) until it is free, staying inside the
    drawing, and a leader line joins it to its point. Then, in consult mode, each layer's name beside a point of
    that layer (``_layer_labels``). Placed once for all layers so switching a layer never moves the other labels.
    """
    font = LABEL_PX_LARGE if large else LABEL_PX
    scale = DESIGN_PX_PER_MM_LARGE if large else DESIGN_PX_PER_MM
    bounds = label_bounds(geom, view, large)
    placed: _Placed = []
    for ident, layer, words, pos, side in _label_points(geom, view, angle):
        px, py = (float(v) for v in _mm(ras.project(pos, view)))
        clear = _clear_of_muscle(view, px, py, side)
        w, h = label_box_mm(f"<b>{words}</b>", font, scale)  # bold: a selected label is wider
        beside = px + side * (_GAP_MM + 4.0)
        # Where the text may start: beside the point (or past the muscle), a little further out (a label on its
        # own, so it can stay level with its point), or on the other side.
        starts = [(side, clear)] + ([(side, clear + side * e) for e in (25.0, 50.0)] if clear == beside else [])
        starts.append((-side, px - side * (_GAP_MM + 4.0)))
        best = _find_spot(ident, layer, words, (px, py), starts, (w, h), bounds, placed)
        if best is None:  # no room anywhere: keep it beside its point (the overlap test would say so)
            best = (
                _Label(ident, layer, words, (px, py), clear, py, side),
                (clear, py - h / 2, clear + side * w, py + h / 2),
            )
        placed.append(best)
    if (
        large
    ):  # consult mode names each layer on the drawing, in the room beside it (issue 23); the legend does elsewhere
        placed += _layer_labels(geom, view, angle, large, placed)
    return tuple(label for label, _ in placed)


LAYER_PREFIX = "layer:"  # a layer name's id among the labels: "layer:<layer id>"


def layer_words(layer: str) -> str:
    """A layer's name as its label: the legend's words (with "≈" when hand-placed), on two lines when long."""
    return "<br>".join(textwrap.wrap(vocab.LAYER_NAMES[layer], 16))


# Where each layer is named: which side of the body (front view) and how far along its longest drawn line the
# leader ends, tried in turn; spread so the names do not compete for the same rows.
_LAYER_SPOTS: dict[str, tuple[Side, tuple[float, ...]]] = {
    "psoas_major": ("right", (0.2, 0.35, 0.1, 0.5)),
    "psoas_minor": ("left", (0.3, 0.5, 0.15, 0.7)),
    "iliacus": ("right", (0.25, 0.4, 0.1, 0.6)),
    "rectus_femoris": ("left", (0.5, 0.7, 0.3, 0.85)),
    "lumbar_plexus": ("left", (0.35, 0.5, 0.2, 0.7)),
    "arteries": ("right", (0.5, 0.3, 0.7, 0.15)),
    "kidneys_ureters": ("right", (0.2, 0.35, 0.5, 0.1)),
}


@functools.lru_cache(maxsize=64)
def _still_lines(geom: gm.Geometry, view: str, layer: str) -> tuple[FloatArray, ...]:
    """The drawn lines of a layer (mm, in the view) where they do not move with the hip, longest first: a nerve,
    a vessel, an organ's outline, the psoas above its brim, a thigh muscle's part on the pelvis. A name's leader
    ends on one of them, so it stays on its layer at every angle and the name need not move while the hip does."""

    def lines_at(angle: float) -> list[FloatArray]:
        out: list[FloatArray] = []
        for part in _layer_parts(geom, layer, angle, _sides(view), None):
            if part.organ is not None:
                out.append(_mm(ras.ellipse_outline(part.organ, view)))
            out += [_mm(ras.project(p, view)) for p in part.lines]
        return out

    poses = [lines_at(a) for a in (kin.MIN_ANGLE, 0.0, 45.0, kin.MAX_ANGLE)]
    kept: list[FloatArray] = []
    for i, line in enumerate(poses[1]):
        runs = []
        for flip in (False, True):  # the still end may be either end of the line
            others = [(p[i][::-1] if flip else p[i]) for p in poses]
            run = line[::-1] if flip else line
            n = 0
            while n < len(run) and all(n < len(o) and np.allclose(o[n], run[n], atol=0.05) for o in others):
                n += 1
            runs.append(run[:n])
        best = max(runs, key=len)
        if len(best):  # a thigh muscle may keep only its origin on the pelvis: a point
            kept.append(best)
    return tuple(sorted(kept, key=lambda a: -float(np.linalg.norm(np.diff(a, axis=0), axis=1).sum())))


def _along(line: FloatArray, t: float) -> tuple[float, float]:
    """The point a fraction ``t`` of the way along a polyline (mm)."""
    if len(line) == 1:
        return float(line[0, 0]), float(line[0, 1])
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    at = np.concatenate([[0.0], np.cumsum(seg)]) / max(float(seg.sum()), 1e-9)
    return float(np.interp(t, at, line[:, 0])), float(np.interp(t, at, line[:, 1]))


def _free(box: _Box, bounds: tuple[tuple[float, float], tuple[float, float]], placed: _Placed) -> bool:
    (x0, x1), (y0, y1) = bounds
    inside = x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1
    return inside and all(_apart(box, other) for _, other in placed)


def _layer_labels(geom: gm.Geometry, view: str, angle: float, large: bool, placed: _Placed) -> _Placed:
    """Each layer's name beside a point of one of its still lines (``_still_lines``), with a leader to it, clear of
    every label.

    Where it stood standing (0 degrees) when that spot is still free, so names stay put while the hip moves;
    else placed by the same search as the landmarks' labels (``_find_spot``), starting out beyond the drawing
    (the consult margins), then beside the point; a point further along the line is tried when there is no room
    near the first.
    """
    font = LABEL_PX_LARGE if large else LABEL_PX
    scale = DESIGN_PX_PER_MM_LARGE if large else DESIGN_PX_PER_MM
    bounds = label_bounds(geom, view, large)
    (bx0, bx1), _ = _view_box(geom, view)
    standing = {lb.ident: lb for lb in _placed_labels(geom, view, 0.0, large)} if angle != 0.0 else {}
    out: _Placed = []
    for layer in gm.LAYERS:
        ident, words = LAYER_PREFIX + layer, layer_words(layer)
        w, h = label_box_mm(f"<b>{words}</b>", font, scale)
        if (ref := standing.get(ident)) is not None:
            box = (min(ref.x, ref.x + ref.side * w), ref.y - h / 2, max(ref.x, ref.x + ref.side * w), ref.y + h / 2)
            if _free(box, bounds, placed + out):
                out.append((ref, box))
                continue
        body_side, fractions = _LAYER_SPOTS[layer]
        lines = list(_still_lines(geom, view, layer))
        if view == "front":  # the lines on the chosen side of the body (x < 0 is the patient's right)
            lines = [ln for ln in lines if (float(np.mean(ln[:, 0])) < 0) == (body_side == "right")] or lines
        best = None
        for t in fractions:
            for line in lines[:2]:
                px, py = _along(line, t)
                side = (-1 if px < 0 else 1) if view == "front" else (-1 if body_side == "right" else 1)
                # In the margins beyond the drawing's own box (consult mode): at the figure's edge, else nearer.
                edge = bx0 - _GAP_MM if side < 0 else bx1 + _GAP_MM
                flush = bounds[0][0] + w + 0.5 if side < 0 else bounds[0][1] - w - 0.5
                margin = [(side, flush), (side, edge)] if side * (flush - edge) > 0 else []
                near = [(side, px + side * (_GAP_MM + 4.0 + e)) for e in (0.0, 25.0, 50.0)]
                near.append((-side, px - side * (_GAP_MM + 4.0)))
                for starts in (margin, near):  # the margin first, however far up or down; then on the drawing
                    best = _find_spot(ident, layer, words, (px, py), starts, (w, h), bounds, placed + out)
                    if best:
                        break
                if best:
                    break
            if best:
                break
        if best is None:  # no room anywhere: beside its point (the overlap test would say so)
            px, py = _along(lines[0], fractions[0])
            best = (_Label(ident, layer, words, (px, py), px, py, 1), (px, py - h / 2, px + w, py + h / 2))
        out.append(best)
    return out


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
    """The labels of what is drawn as one text trace, over thin leader lines to their points; in consult mode the
    layers' names as a second pair (``names``), which the page hides where the width limits the drawing."""
    shown = [lb for lb in _placed_labels(geom, view, angle, large) if lb.layer in layers | {"body", "bones"}]
    points = [lb for lb in shown if not lb.ident.startswith(LAYER_PREFIX)]
    names = [lb for lb in shown if lb.ident.startswith(LAYER_PREFIX)]
    traces = _text_traces("labels", points, selected, large, {})
    if names:
        # inner_x0, inner_x1: the x range of the drawing and its other labels, without the margins the names stand
        # in (diagram.js narrows to it, without the names, where the margins would make the drawing smaller: a phone).
        (x0, x1), _ = _view_box(geom, view)
        for lb in points:
            w = label_box_mm(f"<b>{lb.text}</b>", LABEL_PX_LARGE, DESIGN_PX_PER_MM_LARGE)[0]
            x0, x1 = min(x0, lb.x - w if lb.side < 0 else lb.x), max(x1, lb.x + w if lb.side > 0 else lb.x)
        traces += _text_traces("labels:names", names, None, large, {"inner_x0": x0, "inner_x1": x1}, bold=True)
    return traces


def _text_traces(
    key: str, shown: list[_Label], selected: str | None, large: bool, extra: Meta, bold: bool = False
) -> list[Trace]:
    """Labels as one text trace over their leaders (``key:leaders``, ``key:text``); ``bold`` for layer names."""
    # One leader per label, even a label right beside its point (a short stub under it): the same number of
    # points at every angle, so the page can animate between precomputed angles.
    leaders = [np.array([lb.at, (lb.x - lb.side * 1.0, lb.y)]) for lb in shown]
    lx, ly = _xy(_joined(leaders)) if leaders else ([], [])
    text = [f"<b>{lb.text}</b>" if bold or lb.ident == selected else lb.text for lb in shown]
    font = LABEL_PX_LARGE if large else LABEL_PX
    quiet: Trace = {"hoverinfo": "skip", "showlegend": False}
    part = key.removeprefix("labels").lstrip(":")
    leader_meta: Meta = {"layer": "labels", "part": f"{part}_leaders" if part else "leaders"}
    return [
        _trace("scatter", f"{key}:leaders", leader_meta, x=lx, y=ly, mode="lines", line=LEADER, **quiet),
        _trace(
            "scatter",
            f"{key}:text",
            # design_px_per_mm: the scale the labels were placed for; a smaller drawing shrinks their type in
            # proportion (diagram.js), so the layout stays the one placed here and no two labels meet.
            {
                "layer": "labels",
                "part": part or "text",
                "ids": ",".join(lb.ident for lb in shown),
                "design_px_per_mm": DESIGN_PX_PER_MM_LARGE if large else DESIGN_PX_PER_MM,
                **extra,
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
