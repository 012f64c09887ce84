"""The diagram's labels: plain words beside their structures, and each layer's name beside a point of that layer,
moved apart so none overlaps another or the muscle, with a thin leader line to the point (the 2D views; the 3D view
uses hover text and its legend, and in consult mode names its layers with scene annotations)."""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass
from typing import Any

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
    _to3d,
    _trace,
    _view_box,
    _xy,
)
from psoas_explorer.anatomy.model import FloatArray, Side
from psoas_explorer.content import vocab
from psoas_explorer.i18n import DEFAULT, Lang, tr

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
            (
                f.id,
                "psoas_major",
                vocab.diagram_label(f.id, f.part, f.level, geom.lang),
                pos,
                -1 if front and not tp else 1,
            )
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
        out.append((lm.id, lm.layer, vocab.diagram_label(lm.id, lang=geom.lang), pos, in_front if front else in_side))
    out.append(("navel", "body", vocab.diagram_label("navel", lang=geom.lang), body.navel(geom), -1 if front else 1))
    out.append(
        ("groin", "body", vocab.diagram_label("groin", lang=geom.lang), body.groin(geom, "right"), -1 if front else 1)
    )
    shaft = _thigh_point(geom, view, angle, _SHAFT[0])
    out.append(("thigh_bone", "bones", vocab.diagram_label("thigh_bone", lang=geom.lang), shaft, 1 if front else -1))
    return out


_SHAFT = (-0.17, -0.24, -0.12, -0.3, -0.36)  # where along the thigh bone (m below the hip) its label may point: in turn


def _thigh_point(geom: gm.Geometry, view: str, angle: float, down: float) -> FloatArray:
    """A point on the thigh bone's shaft, ``down`` metres along it from the hip (pelvis frame)."""
    return kin.to_pelvis(geom, np.array([0.018, down, 0.026]), "femur", angle, "left" if view == "front" else "right")


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
    leaders: bool = False,
    tries: int = 300,
    avoid: list[_Box] | None = None,
) -> tuple[_Label, _Box] | None:
    """The first free spot for a label of ``size`` (w, h mm) naming the point ``at``: level with it at each of
    ``starts`` (side, where the text starts) in turn, then a step up, a step down, and so on (``tries`` steps),
    inside ``bounds``, clear of every label already ``placed`` and of the boxes to ``avoid``; with ``leaders``
    (consult mode) also where its leader crosses no other label and no other leader crosses it. None when there is
    no room anywhere."""
    (x0, x1), (y0, y1) = bounds
    w, h = size
    py = at[1]
    for k in range(0, tries):
        dy = _STEP_MM * ((k + 1) // 2) * (1 if k % 2 else -1)  # 0, +2, -2, +4, -4, ...
        for s, lx in starts:
            box = (min(lx, lx + s * w), py + dy - h / 2, max(lx, lx + s * w), py + dy + h / 2)
            if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
                continue
            label = _Label(ident, layer, words, at, lx, py + dy, s)
            if not all(_apart(box, other) for _, other in placed) or any(_overlap(box, a) for a in avoid or ()):
                continue
            if not leaders or _leader_clear(label, box, placed):
                return label, box
    return None


def leader_line(label: _Label) -> tuple[tuple[float, float], tuple[float, float]]:
    """A label's leader: from its point to just short of its text (drawn so by ``_text_traces``)."""
    return label.at, (label.x - label.side * 1.0, label.y)


def _leader_clear(label: _Label, box: _Box, placed: _Placed) -> bool:
    """Consult mode (issue 23): the label's leader runs through no other label, and no placed leader runs
    through it; a line that cuts across words makes both hard to read from a chair."""
    mine = leader_line(label)
    return not any(_crosses(mine, other) or _crosses(leader_line(lb), box) for lb, other in placed)


_LEADER_PAD_MM = 0.0  # a leader may run through the 2 mm gap between two labels (never through their words)


def crosses_box(line: tuple[tuple[float, float], tuple[float, float]], box: _Box, pad: float = 0.0) -> bool:
    """Whether the segment ``line`` passes through ``box`` grown by ``pad`` (clipped as Liang and Barsky do)."""
    (px, py), (qx, qy) = line
    dx, dy = qx - px, qy - py
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, px - box[0] + pad), (dx, box[2] + pad - px), (-dy, py - box[1] + pad), (dy, box[3] + pad - py)):
        if p == 0.0:
            if q < 0.0:
                return False
        elif p < 0.0:
            lo = max(lo, q / p)
        else:
            hi = min(hi, q / p)
    return lo < hi


def _crosses(line: tuple[tuple[float, float], tuple[float, float]], box: _Box) -> bool:
    return crosses_box(line, box, _LEADER_PAD_MM)


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
    points = _label_points(geom, view, angle)
    # consult mode: no label over another's point (its leader could not leave it without crossing that label)
    spots = [(float(x), float(y)) for x, y in (_mm(ras.project(p[3], view)) for p in points)] if large else []
    for ident, layer, words, pos, side in points:
        px, py = (float(v) for v in _mm(ras.project(pos, view)))
        others = [(x - 0.01, y - 0.01, x + 0.01, y + 0.01) for x, y in spots if (x, y) != (px, py)]
        clear = _clear_of_muscle(view, px, py, side)
        w, h = label_box_mm(f"<b>{words}</b>", font, scale)  # bold: a selected label is wider
        beside = px + side * (_GAP_MM + 4.0)
        # Where the text may start: beside the point (or past the muscle), a little further out (a label on its
        # own, so it can stay level with its point), or on the other side.
        starts = [(side, clear)] + ([(side, clear + side * e) for e in (25.0, 50.0)] if clear == beside else [])
        starts.append((-side, px - side * (_GAP_MM + 4.0)))
        best = _find_spot(ident, layer, words, (px, py), starts, (w, h), bounds, placed, leaders=large, avoid=others)
        for down in _SHAFT[1:] if large and ident == "thigh_bone" else ():  # hemmed in: further along the bone
            if best is None:
                qx, qy = (float(v) for v in _mm(ras.project(_thigh_point(geom, view, angle, down), view)))
                starts = [(side, qx + side * (_GAP_MM + 4.0)), (-side, qx - side * (_GAP_MM + 4.0))]
                best = _find_spot(ident, layer, words, (qx, qy), starts, (w, h), bounds, placed, leaders=True)
        if best is None:  # no room anywhere: keep it beside its point (the overlap test would say so)
            best = (
                _Label(ident, layer, words, (px, py), clear, py, side),
                (min(clear, clear + side * w), py - h / 2, max(clear, clear + side * w), py + h / 2),
            )
        placed.append(best)
    if (
        large
    ):  # consult mode names each layer on the drawing, in the room beside it (issue 23); the legend does elsewhere
        placed += _layer_labels(geom, view, angle, large, placed)
    return tuple(label for label, _ in placed)


LAYER_PREFIX = "layer:"  # a layer name's id among the labels: "layer:<layer id>"


def layer_words(layer: str, lang: Lang = DEFAULT) -> str:
    """A layer's name as its label: the legend's words (with "≈" when hand-placed), on two lines when long."""
    return "<br>".join(textwrap.wrap(tr(lang, vocab.LAYER_NAMES[layer]), 16))


# Where each layer is named: which side of the body (front view) and how far along its longest drawn line the
# leader ends, tried in turn; spread so the names do not compete for the same rows.
_LAYER_SPOTS: dict[str, tuple[Side, tuple[float, ...]]] = {
    "psoas_major": ("right", (0.2, 0.35, 0.1, 0.5)),
    "psoas_minor": ("left", (0.3, 0.5, 0.15, 0.7)),
    "iliacus": ("right", (0.25, 0.4, 0.1, 0.6)),
    "rectus_femoris": ("right", (0.5, 0.7, 0.3, 0.85)),  # the left one's origin is a landmark with its own label
    "lumbar_plexus": ("left", (0.35, 0.5, 0.2, 0.7)),
    "arteries": ("right", (0.5, 0.3, 0.7, 0.15)),
    "kidneys_ureters": ("right", (0.2, 0.35, 0.5, 0.1)),
}


def _drawn_lines(geom: gm.Geometry, view: str, layer: str, angle: float) -> list[FloatArray]:
    """The lines of a layer as drawn at this angle (mm, in the view): organs' outlines and every part's lines."""
    out: list[FloatArray] = []
    for part in _layer_parts(geom, layer, angle, _sides(view), None):
        if part.organ is not None:
            out.append(_mm(ras.ellipse_outline(part.organ, view)))
        out += [_mm(ras.project(p, view)) for p in part.lines]
    return out


@functools.lru_cache(maxsize=64)
def _still_lines(geom: gm.Geometry, view: str, layer: str) -> tuple[FloatArray, ...]:
    """The drawn lines of a layer (mm, in the view) where they do not move with the hip, longest first: a nerve,
    a vessel, an organ's outline, the psoas above its brim, a thigh muscle's part on the pelvis. A name's leader
    ends on one of them, so it stays on its layer at every angle and the name need not move while the hip does."""
    poses = [_drawn_lines(geom, view, layer, a) for a in (kin.MIN_ANGLE, 0.0, 45.0, kin.MAX_ANGLE)]
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


_EVERYWHERE = tuple(round(0.05 * k, 2) for k in range(1, 20))  # fractions along a line tried after a layer's own
_LEVEL_TRIES = 9  # the first pass keeps a name within 8 mm of level with its point: a leader nearly flat


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
    every label, its leader through none (``_place_name``).

    Placed in the legend's order; when a name finds no room, the names are placed again with that one first (a
    name placed earlier can take another spot; issue 23's side view at 60 degrees). Returned in the legend's
    order whatever the order of placing, so the traces keep their order at every angle.
    """
    standing = {lb.ident: lb for lb in _placed_labels(geom, view, 0.0, large)} if angle != 0.0 else {}
    order = list(gm.LAYERS)
    for _ in gm.LAYERS:
        out: _Placed = []
        stuck = None
        for layer in order:
            got = _place_name(geom, view, angle, large, layer, standing.get(LAYER_PREFIX + layer), placed + out)
            if got is None:
                stuck = stuck or layer
                got = _beside(geom, view, layer, large)
            out.append(got)
        if stuck is None:
            break
        order = [stuck] + [layer for layer in order if layer != stuck]
    return sorted(out, key=lambda p: gm.LAYERS.index(p[0].layer))


def _beside(geom: gm.Geometry, view: str, layer: str, large: bool) -> tuple[_Label, _Box]:
    """No room anywhere: a layer's name beside its point (the overlap tests would say so)."""
    ident, words = LAYER_PREFIX + layer, layer_words(layer, geom.lang)
    w, h = label_box_mm(f"<b>{words}</b>", LABEL_PX_LARGE if large else LABEL_PX, _design(large))
    px, py = _along(_still_lines(geom, view, layer)[0], _LAYER_SPOTS[layer][1][0])
    return _Label(ident, layer, words, (px, py), px, py, 1), (px, py - h / 2, px + w, py + h / 2)


def _design(large: bool) -> float:
    return DESIGN_PX_PER_MM_LARGE if large else DESIGN_PX_PER_MM


def _place_name(
    geom: gm.Geometry, view: str, angle: float, large: bool, layer: str, ref: _Label | None, placed: _Placed
) -> tuple[_Label, _Box] | None:
    """A layer's name: where it stood standing (``ref``, 0 degrees) when that spot is still free, so names stay
    put while the hip moves; else by the landmarks' search (``_find_spot``), out beyond the drawing (the consult
    margins) first, then beside the point; a point further along its lines when there is no room near the first,
    and a point of its lines as drawn now when none of its still lines has room. None: no room anywhere."""
    ident, words = LAYER_PREFIX + layer, layer_words(layer, geom.lang)
    w, h = label_box_mm(f"<b>{words}</b>", LABEL_PX_LARGE if large else LABEL_PX, _design(large))
    bounds = label_bounds(geom, view, large)
    (bx0, bx1), _ = _view_box(geom, view)
    if ref is not None:
        box = (min(ref.x, ref.x + ref.side * w), ref.y - h / 2, max(ref.x, ref.x + ref.side * w), ref.y + h / 2)
        if _free(box, bounds, placed) and _leader_clear(ref, box, placed):
            return ref, box
    body_side, fractions = _LAYER_SPOTS[layer]
    every = list(_still_lines(geom, view, layer))
    lines = every
    if view == "front":  # the lines on the chosen side of the body (x < 0 is the patient's right)
        lines = [ln for ln in every if (float(np.mean(ln[:, 0])) < 0) == (body_side == "right")] or every
    lines += [ln for ln in every if not any(ln is kept for kept in lines)]  # then the other side's
    # The chosen points first, then any point along the layer's longest lines: a leader from the margin must
    # find a way between the landmarks' labels (issue 23: it crosses none), and level with its name first.
    still = [(t, line) for t in fractions + _EVERYWHERE for line in lines[:3]]
    still += [(t, line) for t in fractions + _EVERYWHERE for line in lines[3:]]
    # hemmed in there (a thigh muscle whose still part is only its origin, at a hip bent up): as drawn now
    drawn = [(t, line) for t in _EVERYWHERE for line in _drawn_lines(geom, view, layer, angle)]
    # In the margins beyond the drawing's own box first (a leader nearly level, then any), then on the drawing.
    passes = ((True, _LEVEL_TRIES), (True, 300), (False, _LEVEL_TRIES), (False, 300))
    for spots, (in_margin, tries) in [(still, p) for p in passes] + [(drawn, p) for p in passes]:
        for t, line in spots:
            px, py = _along(line, t)
            if any(crosses_box(((px, py), (px, py)), box, _LEADER_PAD_MM) for _, box in placed):
                continue  # under another label's words: no leader could leave it cleanly
            side = (-1 if px < 0 else 1) if view == "front" else (-1 if body_side == "right" else 1)
            if in_margin:  # at the figure's edge, else nearer
                edge = bx0 - _GAP_MM if side < 0 else bx1 + _GAP_MM
                flush = bounds[0][0] + w + 0.5 if side < 0 else bounds[0][1] - w - 0.5
                starts = [(side, flush), (side, edge)] if side * (flush - edge) > 0 else []
            else:
                starts = [(side, px + side * (_GAP_MM + 4.0 + e)) for e in (0.0, 25.0, 50.0)]
                starts.append((-side, px - side * (_GAP_MM + 4.0)))
            best = _find_spot(ident, layer, words, (px, py), starts, (w, h), bounds, placed, leaders=True, tries=tries)
            if best:
                return best
    return None


def _clear_of_muscle(view: str, px: float, py: float, side: int) -> float:
    """Where a label's text starts: beside its point, but beyond the psoas belly for points on the spine,
    so the words do not lie over the muscle they name (mm; the side wings sit ~30 mm out in the front view)."""
    on_spine = abs(px) < 45.0 if view == "front" else px < -40.0
    if py > 60.0 and on_spine:  # beside the lumbar spine: the origins, T12, psoas minor's start
        if view == "front":
            return side * max(abs(px) + 6.0, 40.0)
        return max(px + 6.0, -50.0)  # side view: into the room between spine and belly wall
    return px + side * (_GAP_MM + 4.0)


def _overlap(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    g = _GAP_MM
    return a[2] + g <= b[0] or b[2] + g <= a[0] or a[3] + g <= b[1] or b[3] + g <= a[1]


def _label_traces_2d(
    geom: gm.Geometry, view: str, angle: float, layers: frozenset[str], selected: str | None, large: bool
) -> list[Trace]:
    """The labels of what is drawn as one text trace, over thin leader lines to their points; in consult mode the
    layers' names as a second pair (``names``), and a hidden third (``compact``) for a phone (``narrow``)."""
    shown = [lb for lb in _placed_labels(geom, view, angle, large) if lb.layer in layers | {"body", "bones"}]
    points = [lb for lb in shown if not lb.ident.startswith(LAYER_PREFIX)]
    names = [lb for lb in shown if lb.ident.startswith(LAYER_PREFIX)]
    traces = _text_traces("labels", points, selected, large, {})
    if names:
        traces += _text_traces("labels:names", names, None, large, {}, bold=True)
    if large:
        # A phone's drawing is limited by its width, where the names' margins and 16 px labels placed for them
        # would shrink it to ~60 % (issue 23): there the page draws the figure ``narrow``, with these labels as
        # outside consult mode (placed for a phone) over the drawing's own x range, and the legend names layers.
        (x0, x1), _ = _view_box(geom, view)
        small = [lb for lb in _placed_labels(geom, view, angle, False) if lb.layer in layers | {"body", "bones"}]
        for t in _text_traces("labels:compact", small, selected, False, {"narrow_x0": x0, "narrow_x1": x1}):
            traces.append({**t, "visible": False})
    return traces


NARROW_SHOWN, NARROW_HIDDEN = ("compact", "compact_leaders"), ("text", "leaders", "names", "names_leaders")


def narrow(figure: dict[str, Any]) -> dict[str, Any]:
    """A consult-mode 2D figure (as a dict) as a phone draws it: the compact labels shown, the 16 px labels and
    the layers' names hidden, the x range the drawing's own. The page's first paint for a phone; diagram.js
    ``narrowed`` does the same in the browser. A figure without compact labels is returned as it is."""
    data = figure.get("data") or []
    compact = next((t for t in data if (t.get("meta") or {}).get("part") == "compact"), None)
    if compact is None:
        return figure

    def part(t: dict[str, Any]) -> str:
        meta = t.get("meta") or {}
        return str(meta.get("part", "")) if meta.get("layer") == "labels" else ""

    shown = {**{p: True for p in NARROW_SHOWN}, **{p: False for p in NARROW_HIDDEN}}
    traces = [{**t, "visible": shown[part(t)]} if part(t) in shown else t for t in data]
    layout = dict(figure["layout"])
    layout["xaxis"] = {**layout["xaxis"], "range": [compact["meta"]["narrow_x0"], compact["meta"]["narrow_x1"]]}
    return {**figure, "data": traces, "layout": layout}


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


def layer_names_3d(geom: gm.Geometry, layers: frozenset[str]) -> list[Trace]:
    """Consult mode's 3D view names each shown layer on the drawing (issue 23): a scene annotation, a name in a
    white box with a leader to a still point of that layer (it does not move with the hip), on the side of the
    body the 2D views name it on. Plotly draws scene annotations flat on the screen at the point's projection,
    so they stay upright and readable however the model is turned; names on one side are spread downwards by
    their points' heights so they start apart."""
    out: list[Trace] = []
    for side in (-1, 1):  # the viewer's left (the patient's right), then the viewer's right
        mine = [ly for ly in gm.LAYERS if ly in layers and (_LAYER_SPOTS[ly][0] == "right") == (side < 0)]
        anchors = sorted(((_anchor_3d(geom, ly), ly) for ly in mine), key=lambda a: -a[0][2])  # top first
        for i, (point, layer) in enumerate(anchors):
            out.append(
                {
                    "x": point[0],
                    "y": point[1],
                    "z": point[2],
                    "text": f"<b>{tr(geom.lang, vocab.LAYER_NAMES[layer])}</b>",
                    "name": LAYER_PREFIX + layer,
                    "showarrow": True,
                    "arrowhead": 0,
                    "arrowwidth": LEADER["width"],
                    "arrowcolor": LEADER["color"],
                    "ax": side * 150,
                    "ay": i * 36,  # level with its point, each lower one further down: none leaves the top
                    "xanchor": "right" if side < 0 else "left",
                    "font": {"size": LABEL_PX_LARGE, "color": INK},
                    "bgcolor": "rgba(255,255,255,0.9)",
                    "bordercolor": LEADER["color"],
                    "borderpad": 2,
                    "captureevents": False,
                }
            )
    return out


@functools.lru_cache(maxsize=16)
def _anchor_3d(geom: gm.Geometry, layer: str) -> tuple[float, float, float]:
    """A point of ``layer`` (plot axes, mm) that the hip does not move: on its longest line a fraction along (as
    the 2D names' first choice) where that line is the same at every angle, or a kidney's centre."""
    side: Side = _LAYER_SPOTS[layer][0]
    poses = [_layer_parts(geom, layer, a, (side,), None) for a in (kin.MIN_ANGLE, 0.0, kin.MAX_ANGLE)]
    for i, part in enumerate(poses[1]):
        if part.organ is not None:
            x, y, z = _to3d(np.array([part.organ.centre]))
            return float(x[0]), float(y[0]), float(z[0])
        for j, line in enumerate(part.lines):
            others = [p[i].lines[j] for p in poses if len(p) > i and len(p[i].lines) > j]
            still = [k for k in range(len(line)) if all(len(o) > k and np.allclose(o[k], line[k]) for o in others)]
            if still:
                k = still[round(_LAYER_SPOTS[layer][1][0] * (len(still) - 1))]
                x, y, z = _to3d(np.array([line[k]]))
                return float(x[0]), float(y[0]), float(z[0])
    raise ValueError(f"no still point on {layer}")
