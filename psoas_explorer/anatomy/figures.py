"""Plotly figures for the anatomy page: the psoas diagram (front, side, 3D) and the length chart.

Design choices, so the next person keeps them:

* Bones are quiet grey silhouettes (2D) or meshes (3D); the psoas is the one strong colour
  (Okabe-Ito vermillion). Other layers use other Okabe-Ito colours *and* a different line style
  or marker shape, so nothing depends on telling red from green.
* Anything hand-placed (``approximate: true`` in model.yaml) is dashed (nerves: "≈" in legend and
  hover) and its hover text starts with "≈".
* Every clickable landmark is a marker whose ``customdata`` is the landmark id from model.yaml,
  so the diagram component (web/diagram.py) sends that id back when a marker is tapped or clicked.
* Every trace has ``meta = {"key", "layer", "part", ...}``; ``key`` ("layer:part[:id]") is unique
  per figure and survives ``to_json()`` (plotly drops ``uid``). ``name`` is the human name.
* Coordinates are millimetres rounded to 0.1 mm so the JSON stays small. What does not depend on
  the hip angle is memoised on (geometry, view); traces are plain dicts and the figure is built
  without plotly's per-property validation (tests re-validate), which keeps a rerun in the tens
  of milliseconds.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
import plotly.graph_objects as go

from psoas_explorer.anatomy import body
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.model import FloatArray, IndexArray, Side
from psoas_explorer.content import vocab

# Plotly trace and layout dicts: nested plotly properties of many types, validated by plotly in the tests.
Trace = dict[str, Any]
Layout = dict[str, Any]
Meta = Mapping[str, str | bool | float | None]  # a trace's ``meta``: layer, part, id and flags, label scale
Column = list[float | None]  # one coordinate of a trace; None breaks the line
# (id, layer, name, label, plain, technical, approximate, marker symbol) of a clickable point landmark
_MarkerItem = tuple[str, str, str, str, str, str, bool, str]

VIEWS: tuple[str, ...] = ("front", "side", "3d")
DEFAULT_LAYERS = frozenset({"psoas_major"})
FEMUR_SHOWN_TO = body.FEMUR_SHOWN_TO  # femur-frame y (m) where the drawing stops: mid-thigh, below the insertion
HEIGHT = 560
HEIGHT_LARGE = 760  # consult mode: 70 % of a 1080 px screen (issue 15), the size its 16 px labels are laid out for

BONE_FILL, BONE_LINE = "#d9d9d9", "#9a9a9a"
T12_FILL = "#ececec"
FEMUR_FILL = "rgba(210,210,210,0.82)"  # see-through enough to show the hip socket behind the head
INK = "#333333"
SKIN_FILL, SKIN_LINE = "rgba(246,226,208,0.55)", "#c8a184"  # the body outline: light, under everything
COLOURS = {  # Okabe & Ito (2008) colour-blind-safe palette
    "psoas_major": "#D55E00",  # vermillion
    "psoas_minor": "#E69F00",  # orange
    "iliacus": "#0072B2",  # blue
    "rectus_femoris": "#009E73",  # bluish green
    "lumbar_plexus": "#F0E442",  # yellow, drawn over a dark casing so it reads on white and grey
    "arteries": "#CC79A7",  # reddish purple
    "kidneys_ureters": "#56B4E9",  # sky blue
}
NERVE_CASING = "#6b5d00"
BELLY_FILL = "rgba(213,94,0,0.30)"
ORGAN_FILL = "rgba(86,180,233,0.30)"
DASH = {"muscle": "dash", "nerve": "dot", "artery": "dash", "ureter": "dashdot"}
BELLY_MM = 7.0  # how far the psoas belly reaches beyond its outer fascicles
BELLY_POINTS = 90  # points of the muscle's outline
TENDON_MM = (12.0, 4.0)  # half-width of the drawn tendon at the brim and at the lesser trochanter
# Stacking order, bottom to top: what lies in front of the psoas is drawn over it.
DRAW_ORDER = (
    "kidneys_ureters",
    "iliacus",
    "rectus_femoris",
    "psoas_major",
    "psoas_minor",
    "arteries",
    "lumbar_plexus",
)
MARKER_SYMBOL = {"body": "circle", "disc": "circle", "transverse_process": "diamond"}
_KEEP_OPACITY = {"selected": {"marker": {"opacity": 1}}, "unselected": {"marker": {"opacity": 1}}}
# One hover text per trace: hoverinfo="text" shows a scalar hovertext (a "%{hovertext}" template would not).
_HOVER = "text"
_EMPTY_TEMPLATE: Layout = {"data": {}, "layout": {}}  # explicit styling; skips plotly's 7 kB default template


# --- small helpers ---------------------------------------------------------------------------


def _trace(kind: str, key: str, meta: Meta, **props: Any) -> Trace:
    """A trace as a plain dict; ``meta["key"]`` identifies it in tests and in the browser."""
    return {"type": kind, "meta": {"key": key, **meta}, **props}


def _mm(a: FloatArray) -> FloatArray:
    return np.round(np.asarray(a, dtype=np.float64) * 1000, 1)


def _wrap(text: str, width: int = 62) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def _hover(name: str, plain: str, technical: str, approximate: bool = False) -> str:
    """Patient wording first, then the anatomical terms, as one hover box (plotly does not wrap)."""
    mark = "≈ " if approximate else ""
    note = "<br><i>Approximate position (sketch)</i>" if approximate else ""
    return f"<b>{mark}{name}</b><br>{_wrap(plain)}<br><span style='color:#555'>{_wrap(technical)}</span>{note}"


def _joined(parts: Iterable[FloatArray], dim: int = 2) -> FloatArray:
    """Stack polylines with a NaN row between them (one trace, several pieces)."""
    out: list[FloatArray] = []
    for p in parts:
        if out:
            out.append(np.full((1, dim), np.nan))
        out.append(np.asarray(p, dtype=np.float64))
    return np.vstack(out) if out else np.zeros((0, dim))


def _col(values: FloatArray) -> Column:
    """Rounded floats with None for gaps: small JSON, and plotly breaks the line at None."""
    return [None if v != v else v for v in np.round(np.asarray(values, dtype=np.float64), 1).tolist()]


def _xy(points: FloatArray) -> tuple[Column, Column]:
    pts = np.asarray(points)
    return _col(pts[:, 0]), _col(pts[:, 1])


def _sides(view: str) -> tuple[Side, ...]:
    """The side view looks at the patient's right side; the left would sit exactly behind it."""
    return ("right",) if view == "side" else gm.SIDES


def _area(ring: FloatArray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _hull(points: FloatArray) -> FloatArray:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted(set(map(tuple, np.asarray(points, dtype=np.float64).tolist())))

    def half(seq: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for p in seq:
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(reversed(pts))
    return np.array(lower[:-1] + upper[:-1])


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


# --- angle-independent pieces (memoised) ---------------------------------------------------


@functools.lru_cache(maxsize=16)
def _static_bone_rings(geom: gm.Geometry, view: str) -> tuple[tuple[FloatArray, ...], ...]:
    """(bone outlines, holes, approximate-T12 outlines) in mm for a 2D view; femurs excluded."""
    fills: list[FloatArray] = []
    holes: list[FloatArray] = []
    ghost: list[FloatArray] = []
    for m in kin.bone_meshes(geom, 0.0):
        if m.id.startswith("femur") or (view == "side" and m.side == "left"):
            continue
        for ring in ras.outline(ras.project(m.vertices, view), m.faces):
            closed = _mm(np.vstack([ring, ring[:1]]))
            if _area(ring) < 0:  # clockwise = a hole, e.g. the obturator foramen
                if not m.approximate:
                    holes.append(closed)
            else:
                (ghost if m.approximate else fills).append(closed)
    return tuple(fills), tuple(holes), tuple(ghost)


@functools.lru_cache(maxsize=4)
def _femur_mesh(geom: gm.Geometry) -> tuple[FloatArray, IndexArray]:
    verts, faces = geom.mesh_arrays("femur_r")
    return ras.clip_mesh_y(verts, faces, FEMUR_SHOWN_TO)


@functools.lru_cache(maxsize=256)
def _femur_rings(geom: gm.Geometry, view: str, angle: float) -> tuple[FloatArray, ...]:
    """Right femur silhouette (mm) at this angle; the front-view shape changes with flexion."""
    verts, faces = _femur_mesh(geom)
    posed = kin.to_pelvis(geom, verts, "femur", angle, "right")
    rings = ras.outline(ras.project(posed, view), faces)
    return tuple(_mm(np.vstack([r, r[:1]])) for r in rings if _area(r) > 0)


@functools.lru_cache(maxsize=8)
def _view_box(geom: gm.Geometry, view: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Fixed axis ranges (mm) covering every pose from -20 to 90 deg, so the picture never jumps."""
    pts = list(_static_bone_rings(geom, view)[0])
    for a in (kin.MIN_ANGLE, 0.0, 45.0, kin.MAX_ANGLE):
        pts += list(_femur_rings(geom, view, a))
    pts += [_mm(ras.project(np.array(s.points), view)) for s in geom.model.structures]
    pts += [_mm(ras.ellipse_outline(o, view)) for o in geom.model.organs]
    top = float(np.nanmax(np.vstack(pts)[:, 1]))  # the body outline goes on above the bones: cut it there
    for a in (kin.MIN_ANGLE, 0.0, 30.0, 60.0, kin.MAX_ANGLE):
        pts += [_mm(r) for r in body.outline(geom, view, a)]
    allp = np.vstack(pts)
    (x0, y0), (x1, y1) = np.nanmin(allp, 0), np.nanmax(allp, 0)
    y1 = min(y1, top)
    if view == "front":  # symmetric about the midline
        x1 = max(abs(x0), abs(x1))
        x0 = -x1
    pad = 8.0
    return (float(x0 - pad), float(x1 + pad)), (float(y0 - pad), float(y1 + pad))


@functools.lru_cache(maxsize=512)
def _belly_ring(geom: gm.Geometry, view: str, side: Side, angle: float) -> tuple[Column, Column]:
    """The psoas drawn as a muscle: a belly that narrows into its tendon, ending on the lesser trochanter.

    The belly is the hull of the fascicles' origins and the brim point (the model gives lines, not the
    muscle's surface), grown by BELLY_MM; the tendon is a band along the model path from the brim to the
    insertion, narrowing from TENDON_MM[0] to TENDON_MM[1] half-width. Their union is one outline
    (rasterised like the bones), so it follows the hip angle below the brim and stays fixed above it.
    """
    if view == "front" and side == "left":  # the mirror image of the right one: half the work
        x, y = _belly_ring(geom, view, "right", angle)
        return [None if v is None else -v for v in x], y
    pp = kin.psoas_path(geom, angle, side)
    top = ras.project(np.vstack([f[:2] for f in pp.fascicles.values()]), view)
    t = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    disc = np.stack([np.cos(t), np.sin(t)], axis=1) * BELLY_MM / 1000
    hull = _hull((top[:, None, :] + disc[None]).reshape(-1, 2))
    pts: list[FloatArray] = [hull]
    faces = [(0, i, i + 1) for i in range(1, len(hull) - 1)]
    tendon = ras.project(pp.tendon, view)
    widths = np.interp(np.linspace(0, 1, len(tendon)), [0, 1], TENDON_MM) / 1000
    for k in range(len(tendon) - 1):
        a, b = tendon[k], tendon[k + 1]
        d = b - a
        n = np.array([-d[1], d[0]]) / max(float(np.hypot(*d)), 1e-9)
        base = sum(len(p) for p in pts)
        pts.append(np.array([a + n * widths[k], a - n * widths[k], b + n * widths[k + 1], b - n * widths[k + 1]]))
        faces += [(base, base + 1, base + 2), (base + 1, base + 3, base + 2)]
        base += 4
        cap = a + disc * widths[k] / (BELLY_MM / 1000)  # a round joint, so the band bends without a notch
        pts.append(cap)
        faces += [(base, base + i, base + i + 1) for i in range(1, len(cap) - 1)]
    rings = ras.outline(np.vstack(pts), np.array(faces), pixel=0.002, tol=0.4)  # 2 mm: fast, smooth enough
    ring = ras.resample_ring(max(rings, key=_area), BELLY_POINTS)  # the same points at every angle
    return _xy(_mm(np.vstack([ring, ring[:1]])))


# --- what each layer is made of (shared by the 2D and 3D figures) ----------------------------


@dataclass(frozen=True)
class _LayerPart:
    """One drawn part of a layer, decided once so 2D and 3D cannot drift apart.

    The ids, names, hover texts and lines are the same in both figures; only how a part is drawn
    (projection, widths, a 2D outline or a 3D mesh) differs, and that stays with each figure.
    ``part`` is "fascicles" or "tendon" (psoas major), "path" (a gait2392 muscle), "structure"
    (a hand-placed nerve, vessel, ureter or psoas minor) or "organ" (a kidney ellipsoid).
    """

    layer: str
    part: str
    name: str
    hover: str
    lines: tuple[FloatArray, ...] = ()  # pelvis-frame polylines (m); none for an organ
    ident: str | None = None  # model.yaml id of a selectable structure or organ; None for a muscle line
    approximate: bool = False
    selected: bool = False
    dash: str = "solid"
    marker_at: int = 0  # structures: the point on each line that carries the click marker
    organ: gm.Organ | None = None

    @property
    def key(self) -> str:
        return f"{self.layer}:{self.part}:{self.ident}" if self.ident else f"{self.layer}:{self.part}"

    @property
    def meta(self) -> Meta:
        if self.ident is None:
            return {"layer": self.layer, "part": self.part}
        return {
            "layer": self.layer,
            "part": self.part,
            "id": self.ident,
            "approximate": self.approximate,
            "selected": self.selected,
        }


def _layer_parts(
    geom: gm.Geometry, layer: str, angle: float, sides: tuple[Side, ...], selected: str | None
) -> list[_LayerPart]:
    """The parts of ``layer`` on the given body sides, in drawing order (bottom to top).

    A structure or organ that lies wholly on a side not in ``sides`` is left out (the side view
    shows only the right), and so are the lines of a two-sided structure on that side.
    """
    m = geom.model
    parts: list[_LayerPart] = []
    if layer == "psoas_major":
        path = geom.path(m.psoas_major.length_path)
        hover = _hover("Psoas major", path.plain, path.technical)
        paths = [kin.psoas_path(geom, angle, s) for s in sides]
        fibres = tuple(f[:2] for pp in paths for f in pp.fascicles.values())
        parts.append(_LayerPart(layer, "fascicles", "Psoas major", hover, fibres))
        parts.append(_LayerPart(layer, "tendon", "Psoas tendon", hover, tuple(pp.tendon for pp in paths)))
    elif layer in ("iliacus", "rectus_femoris"):
        path = next(p for p in m.muscle_paths if p.layer == layer)
        lines, _ = _model_muscle(geom, path.id, angle, sides)
        parts.append(_LayerPart(layer, "path", path.name, _hover(path.name, path.plain, path.technical), tuple(lines)))
    for st in m.structures:
        if st.layer != layer or (st.side in gm.SIDES and st.side not in sides):
            continue
        parts.append(
            _LayerPart(
                layer,
                "structure",
                st.name,
                _hover(st.name, st.plain, st.technical, st.approximate),
                tuple(p for side, p in kin.structure_points(geom, st.id) if side in sides or side == "midline"),
                ident=st.id,
                approximate=st.approximate,
                selected=st.id == selected,
                dash="solid" if layer == "lumbar_plexus" else DASH[st.kind],  # nerves: solid yellow, see COLOURS
                marker_at=st.marker_at,
            )
        )
    for organ in m.organs:
        if organ.layer != layer or organ.side not in sides:
            continue
        parts.append(
            _LayerPart(
                layer,
                "organ",
                organ.name,
                _hover(organ.name, organ.plain, organ.technical, organ.approximate),
                ident=organ.id,
                approximate=organ.approximate,
                selected=organ.id == selected,
                organ=organ,
            )
        )
    return parts


def _model_muscle(
    geom: gm.Geometry, path_id: str, angle: float, sides: Iterable[Side]
) -> tuple[list[FloatArray], bool]:
    """A gait2392 path per side, cut where it leaves the drawn part of the femur."""
    pieces: list[FloatArray] = []
    cut = False
    for s in sides:
        pts, was_cut = kin.clip_polyline_to_femur(
            geom, kin.muscle_path(geom, path_id, angle, s), angle, s, FEMUR_SHOWN_TO
        )
        pieces.append(pts)
        cut |= was_cut
    return pieces, cut


# --- 2D figure -----------------------------------------------------------------------------


def _body_traces_2d(geom: gm.Geometry, view: str, angle: float) -> list[Trace]:
    """The body outline, light and under the bones. Always drawn, whatever the layers: it is what shows a
    patient where inside them the psoas lies (see ``body``)."""
    meta: Meta = {"layer": "body", "part": "outline", "approximate": True}
    x, y = _xy(_joined([_mm(r) for r in body.outline(geom, view, angle)]))
    traces = [
        _trace(
            "scatter",
            "body:outline",
            meta,
            x=x,
            y=y,
            mode="lines",
            fill="toself",
            fillcolor=SKIN_FILL,
            line={"color": SKIN_LINE, "width": 1.5},
            hoverinfo="skip",
            showlegend=False,
            name="Body outline (sketch)",
        )
    ]
    return traces


def _surface_traces_2d(geom: gm.Geometry, view: str) -> list[Trace]:
    """The groin creases and the navel and groin as hover points: on the skin, so over the bones."""
    traces = []
    sides = _sides(view)
    if view == "front":
        fx, fy = _xy(_joined([_mm(ras.project(body.groin_fold(geom, s), view)) for s in sides]))
        fold: Meta = {"layer": "body", "part": "fold", "approximate": True}
        line = {"color": SKIN_LINE, "width": 1.5, "dash": "dot"}
        traces.append(
            _trace(
                "scatter", "body:fold", fold, x=fx, y=fy, mode="lines", line=line, hoverinfo="skip", showlegend=False
            )
        )
    for mark, pts in (
        (body.NAVEL, [body.navel(geom)]),
        (body.GROIN, [body.groin(geom, s) for s in sides]),
    ):
        p = _mm(ras.project(np.array(pts), view))
        traces.append(
            _trace(
                "scatter",
                f"body:landmark:{mark.id}",
                {"layer": "body", "part": "surface", "id": mark.id, "approximate": True},
                x=_col(p[:, 0]),
                y=_col(p[:, 1]),
                mode="markers",
                marker={"symbol": "circle-open", "size": 11, "color": SKIN_LINE, "line": {"width": 2.5}},
                name=mark.name,
                hovertext=_hover(mark.name, mark.plain, mark.technical, approximate=True),
                hoverinfo=_HOVER,
                showlegend=False,
            )
        )
    return traces


def _bone_traces_2d(geom: gm.Geometry, view: str, angle: float) -> list[Trace]:
    fills, holes, ghost = _static_bone_rings(geom, view)
    femurs = list(_femur_rings(geom, view, angle))
    if view == "front":
        femurs += [r * np.array([-1.0, 1.0]) for r in femurs]  # left femur = mirror of the right
    common = {"mode": "lines", "fill": "toself", "hoverinfo": "skip", "showlegend": False}
    traces = []
    parts = (
        ("t12", ghost, T12_FILL, "dot"),
        ("static", fills, BONE_FILL, "solid"),
        ("holes", holes, "white", "solid"),
        ("femur", femurs, FEMUR_FILL, "solid"),
    )
    for part, rings, fill, dash in parts:
        if rings:
            x, y = _xy(_joined(rings))
            meta: Meta = {"layer": "bones", "part": part, "approximate": part == "t12"}
            line = {"color": BONE_LINE, "width": 1, "dash": dash}
            name = "T12 (approximate)" if part == "t12" else f"Bone ({part})"
            traces.append(
                _trace("scatter", f"bones:{part}", meta, x=x, y=y, fillcolor=fill, line=line, name=name, **common)
            )
    return traces


def _marker_items(geom: gm.Geometry, layers: frozenset[str]) -> list[_MarkerItem]:
    """A ``_MarkerItem`` for every point landmark shown."""
    m = geom.model
    items: list[_MarkerItem] = []
    if "psoas_major" in layers:
        for f in m.psoas_major.fascicles:
            name = f"Psoas origin: {f.label.replace('TP', 'transverse process')}"
            words = vocab.diagram_label(f.id, f.part, f.level)
            items.append((f.id, "psoas_major", name, words, f.plain, f.technical, False, MARKER_SYMBOL[f.part]))
    for lm in m.landmarks:
        if lm.layer in layers:
            symbol = "circle-open" if lm.approximate else ("square" if lm.frame == "femur" else "circle")
            words = vocab.diagram_label(lm.id)
            items.append((lm.id, lm.layer, lm.name, words, lm.plain, lm.technical, lm.approximate, symbol))
    return items


def _marker_traces(
    geom: gm.Geometry, view: str, angle: float, layers: frozenset[str], selected: str | None
) -> list[Trace]:
    """One marker trace per landmark id (both sides), carrying the id in customdata."""
    traces = []
    sides = _sides(view)
    for ident, layer, name, label, plain, tech, approx, symbol in _marker_items(geom, layers):
        pts = np.array([kin.landmark_position(geom, ident, angle, s) for s in sides])
        is_sel = ident == selected
        colour = COLOURS[layer]
        hollow = symbol.endswith("open")
        size = 15 if is_sel else (8 if layer == "psoas_major" else 9)
        edge = "black" if is_sel else (colour if hollow else "white")
        marker = {
            "symbol": symbol,
            "size": size,
            "color": "white" if hollow else colour,
            "line": {"color": edge, "width": 3 if is_sel else 1.5},
        }
        meta: Meta = {"layer": layer, "part": "landmark", "id": ident, "approximate": approx, "selected": is_sel}
        common = {
            "name": name,
            "legendgroup": layer,
            "showlegend": False,
            "customdata": [ident] * len(sides),
            "hovertext": _hover(name, plain, tech, approx),
            "hoverinfo": _HOVER,
        }
        key = f"{layer}:landmark:{ident}"
        if view == "3d":
            x, y, z = _to3d(pts)
            marker3d = {
                "symbol": symbol if symbol in ("circle-open", "square", "diamond") else "circle",
                "size": size * 0.6,
                "color": marker["color"],
                "line": {"color": edge, "width": 2},
            }
            with_label: Trace = {
                "mode": "markers+text",
                "text": [f"<b>{label}</b>"] * len(sides),
                "textposition": "middle right",
            }
            extra = with_label if is_sel else {"mode": "markers"}
            traces.append(
                _trace(
                    "scatter3d",
                    key,
                    meta,
                    x=_col(x),
                    y=_col(y),
                    z=_col(z),
                    marker=marker3d,
                    **extra,
                    **common,
                )
            )
            continue
        p = _mm(ras.project(pts, view))
        traces.append(
            _trace(
                "scatter",
                key,
                meta,
                x=_col(p[:, 0]),
                y=_col(p[:, 1]),
                mode="markers",
                marker=marker,
                cliponaxis=False,
                **_KEEP_OPACITY,
                **common,
            )
        )
    return traces


# --- labels: plain words, never overlapping ----------------------------------------------------------------

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


def _line_2d(
    key: str,
    meta: Meta,
    pieces: Sequence[FloatArray],
    view: str,
    *,
    name: str,
    colour: str,
    width: float,
    dash: str = "solid",
    hover: str | None = None,
    ident: str | None = None,
    marker_rows: Iterable[int] = (),
    group: str = "",
) -> Trace:
    """A polyline (several pieces) in one trace; optional markers on given rows for clicking."""
    x, y = _xy(_joined([_mm(ras.project(p, view)) for p in pieces]))
    rows = set(marker_rows)
    props: Trace = {
        "x": x,
        "y": y,
        "name": name,
        "legendgroup": group,
        "showlegend": False,
        "mode": "lines",
        "line": {"color": colour, "width": width, "dash": dash},
    }
    if rows:
        sizes = [9 if i in rows else 0 for i in range(len(x))]
        props.update(
            mode="lines+markers",
            marker={"size": sizes, "color": colour, "line": {"color": "white", "width": 1}},
        )
        props.update(_KEEP_OPACITY)
    if ident:
        props["customdata"] = [ident if v is not None else None for v in x]
    if hover:
        props.update(hovertext=hover, hoverinfo=_HOVER)
    else:
        props["hoverinfo"] = "skip"
    return _trace("scatter", key, meta, **props)


class _LineCommon(TypedDict):
    """What a nerve's casing and its line share (``_line_2d`` arguments)."""

    pieces: Sequence[FloatArray]
    view: str
    name: str
    group: str


def _piece_rows(pieces: Sequence[FloatArray], index: int) -> list[int]:
    """Row numbers of point ``index`` of every piece once joined with gap rows."""
    rows, start = [], 0
    for p in pieces:
        rows.append(start + index)
        start += len(p) + 1
    return rows


# Muscle lines; structures are 3, or 6 when selected. The psoas tendon is thin: its width is in the muscle's shape.
_WIDTH_2D = {"fascicles": 1.3, "tendon": 2.5, "path": 4}


def _layer_traces_2d(geom: gm.Geometry, view: str, angle: float, layer: str, selected: str | None) -> list[Trace]:
    """One layer in 2D: the shared parts (see ``_layer_parts``), with the psoas belly fills under them."""
    parts = _layer_parts(geom, layer, angle, _sides(view), selected)
    traces = _belly_traces_2d(geom, view, angle, parts[0]) if layer == "psoas_major" else []
    for part in parts:
        traces += _part_traces_2d(part, view)
    return traces


def _belly_traces_2d(geom: gm.Geometry, view: str, angle: float, fibres: _LayerPart) -> list[Trace]:
    """The psoas muscle shape, one fill per side, under the fascicles; it carries the muscle's hover."""
    traces = []
    for side in _sides(view):
        x, y = _belly_ring(geom, view, side, angle)
        traces.append(
            _trace(
                "scatter",
                f"{fibres.layer}:belly:{side}",
                {"layer": fibres.layer, "part": "belly", "side": side},
                x=x,
                y=y,
                mode="lines",
                fill="toself",
                fillcolor=BELLY_FILL,
                line={"width": 1.2, "color": COLOURS[fibres.layer]},
                hoveron="fills",
                hoverinfo="text",
                text=fibres.hover,
                name=fibres.name,
                legendgroup=fibres.layer,
                showlegend=False,
            )
        )
    return traces


def _part_traces_2d(part: _LayerPart, view: str) -> list[Trace]:
    """A layer part as 2D traces: a projected polyline, or an organ's outline with a clickable centre."""
    if part.organ is not None:
        return [_organ_trace_2d(part, view)]
    layer = part.layer
    # Model muscle lines carry no hover of their own: their vertices coincide with the landmark
    # markers, and plotly would show the line's text instead of the landmark's. The psoas belly
    # (hover on fill) and the landmark markers say what the muscle is.
    muscle = part.ident is None
    width = _WIDTH_2D[part.part] if muscle else (6.0 if part.selected else 3.0)
    same: _LineCommon = {"pieces": part.lines, "view": view, "name": part.name, "group": layer}
    traces = []
    if layer == "lumbar_plexus":  # dark casing under the yellow so the line reads on white and grey
        casing: Meta = {"layer": layer, "part": "casing", "id": part.ident}
        traces.append(_line_2d(f"{layer}:casing:{part.ident}", casing, colour=NERVE_CASING, width=width + 1.6, **same))
    traces.append(
        _line_2d(
            part.key,
            part.meta,
            colour=COLOURS[layer],
            width=width,
            dash=part.dash,
            ident=part.ident,
            hover=None if muscle else part.hover,
            marker_rows=() if muscle else _piece_rows(part.lines, part.marker_at),
            **same,
        )
    )
    return traces


def _organ_trace_2d(part: _LayerPart, view: str) -> Trace:
    """An organ's filled outline, a gap, then its centre as the one clickable point."""
    assert part.organ is not None
    colour = COLOURS[part.layer]
    ring = _mm(ras.ellipse_outline(part.organ, view))
    centre = _mm(ras.project(np.array(part.organ.centre), view))
    x, y = _xy(np.vstack([ring, [[np.nan, np.nan]], centre[None, :]]))
    marker = {
        "size": [0] * (len(x) - 1) + [12 if part.selected else 9],
        "color": colour,
        "line": {"color": "black" if part.selected else "white", "width": 2 if part.selected else 1},
    }
    return _trace(
        "scatter",
        part.key,
        part.meta,
        x=x,
        y=y,
        mode="lines+markers",
        fill="toself",
        fillcolor=ORGAN_FILL,
        line={"color": colour, "width": 4 if part.selected else 2, "dash": "dash"},
        marker=marker,
        customdata=[part.ident] * len(x),
        name=part.name,
        legendgroup=part.layer,
        showlegend=False,
        hovertext=part.hover,
        hoverinfo=_HOVER,
        **_KEEP_OPACITY,
    )


APPROXIMATE_NOTE = "≈ / dashed = approximate position · the body outline is a sketch"
NOTE_3D = "Drag to turn · scroll to zoom · ≈ / dashed = approximate position"
_NOTE_FONT = {"size": 12, "color": "#777"}


def _footnote(text: str, large: bool) -> Trace:
    """A note under the drawing, in the bottom margin (used when there is no legend to carry it as its title)."""
    font = {**_NOTE_FONT, "size": 14 if large else 12}
    at = {"x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top", "xref": "paper", "yref": "paper"}
    return {**at, "showarrow": False, "text": text, "font": font}


def _annotations_2d(view: str, large: bool, legend: bool) -> list[Trace]:
    """Which side is which, in the top margin; the note on approximate shapes under the drawing (the legend's
    title when there is a legend). In the margins, so they never cover the drawing or its labels."""
    size = LABEL_PX_LARGE if large else 13
    style = {"xref": "paper", "yref": "paper", "showarrow": False, "font": {"size": size, "color": "#555"}}
    top = {**style, "y": 1.0, "yanchor": "bottom"}
    if view == "front":
        notes = [
            {"x": 0.0, "xanchor": "left", "text": "Patient's right", **top},
            {"x": 1.0, "xanchor": "right", "text": "Patient's left", **top},
        ]
    else:
        notes = [
            {"x": 0.0, "xanchor": "left", "text": "Back", **top},
            {"x": 1.0, "xanchor": "right", "text": "Front", **top},
            {"x": 0.5, "xanchor": "center", "text": "Seen from the patient's right side", **top},
        ]
    return notes if legend else [*notes, _footnote(APPROXIMATE_NOTE, large)]


# --- 3D figure -------------------------------------------------------------------------------


def _to3d(points_m: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Pelvis frame -> plot axes (X = z, Y = x, Z = y) in mm.

    With the camera in front (+Y) and up = +Z, the patient's right (+z) lands on the viewer's left,
    as in the 2D front view; the permutation is cyclic, so nothing is mirrored.
    """
    p = _mm(points_m)
    return p[:, 2], p[:, 0], p[:, 1]


@functools.lru_cache(maxsize=4)
def _static_mesh_3d(geom: gm.Geometry) -> Trace:
    """All bones except the femurs as one mesh trace (they never move)."""
    verts, faces, offset = [], [], 0
    for m in kin.bone_meshes(geom, 0.0):
        if not m.id.startswith("femur"):
            verts.append(m.vertices)
            faces.append(m.faces + offset)
            offset += len(m.vertices)
    return _mesh3d(
        "bones:static",
        {"layer": "bones", "part": "static"},
        np.vstack(verts),
        np.vstack(faces),
        name="Bones",
        color=BONE_FILL,
        hoverinfo="skip",
        showlegend=False,
    )


def _mesh3d(key: str, meta: Meta, verts: FloatArray, faces: IndexArray, **props: Any) -> Trace:
    """Float32/uint16 arrays: plotly sends them as compact base64 typed arrays."""
    x, y, z = _to3d(verts)
    f = np.asarray(faces).astype(np.uint16)
    light = {"ambient": 0.55, "diffuse": 0.7, "specular": 0.05, "roughness": 0.9}
    return _trace(
        "mesh3d",
        key,
        meta,
        x=x.astype(np.float32),
        y=y.astype(np.float32),
        z=z.astype(np.float32),
        i=f[:, 0],
        j=f[:, 1],
        k=f[:, 2],
        flatshading=False,
        lighting=light,
        lightposition={"x": 0, "y": 100000, "z": 50000},
        **props,
    )


def _line3d(key: str, meta: Meta, pieces: Sequence[FloatArray], **props: Any) -> Trace:
    x, y, z = _to3d(_joined(pieces, dim=3))
    return _trace("scatter3d", key, meta, x=_col(x), y=_col(y), z=_col(z), mode="lines", **props)


_WIDTH_3D = {"fascicles": 3, "tendon": 10, "path": 6}  # muscle lines; WebGL lines look thinner than SVG ones


def _traces_3d(geom: gm.Geometry, angle: float, layers: frozenset[str], selected: str | None) -> list[Trace]:
    fv, ff = _femur_mesh(geom)
    femurs = np.vstack([kin.to_pelvis(geom, fv, "femur", angle, s) for s in gm.SIDES])
    femur_faces = np.vstack([ff, ff[:, [0, 2, 1]] + len(fv)])  # mirrored copy: flip the winding
    traces = [
        _static_mesh_3d(geom),
        _mesh3d(
            "bones:femur",
            {"layer": "bones", "part": "femur"},
            femurs,
            femur_faces,
            name="Femurs",
            color=BONE_FILL,
            hoverinfo="skip",
            showlegend=False,
        ),
    ]
    for layer in DRAW_ORDER:
        if layer in layers:
            traces += [_part_trace_3d(part) for part in _layer_parts(geom, layer, angle, gm.SIDES, selected)]
    return traces + _marker_traces(geom, "3d", angle, layers, selected)


def _part_trace_3d(part: _LayerPart) -> Trace:
    """A layer part as one 3D trace: a line with hover everywhere, or an organ's see-through ellipsoid."""
    colour = COLOURS[part.layer]
    if part.organ is not None:
        v, f = ras.ellipsoid_mesh(part.organ)
        # The mesh is not highlighted when selected (the page shows the details), so meta says nothing of it.
        meta = {"layer": part.layer, "part": part.part, "id": part.ident, "approximate": part.approximate}
        return _mesh3d(
            part.key,
            meta,
            v,
            f,
            name=part.name,
            color=colour,
            opacity=0.45,
            legendgroup=part.layer,
            showlegend=False,
            hoverinfo="text",
            hovertext=part.hover,
        )
    common = {"legendgroup": part.layer, "showlegend": False, "hoverinfo": _HOVER}
    if part.ident is None:
        line = {"color": colour, "width": _WIDTH_3D[part.part]}
        return _line3d(part.key, part.meta, part.lines, name=part.name, line=line, hovertext=part.hover, **common)
    nerve = part.layer == "lumbar_plexus"  # yellow needs width (no casing in WebGL) to read on grey
    line = {
        "color": colour,
        "width": (10 if part.selected else 7) if nerve else (8 if part.selected else 4),
        "dash": part.dash,
    }
    n = sum(len(p) for p in part.lines) + len(part.lines) - 1
    return _line3d(
        part.key,
        part.meta,
        part.lines,
        name=part.name,
        line=line,
        customdata=[part.ident] * n,
        hovertext=part.hover,
        **common,
    )


# --- public API ------------------------------------------------------------------------------


def _legend_entries(traces: list[Trace], layers: frozenset[str]) -> None:
    """One legend entry per layer (its first line trace), named after the layer, in LAYERS order."""
    for layer in layers:
        first = next(
            (
                t
                for t in traces
                if t["meta"]["layer"] == layer
                and t["type"] != "mesh3d"
                and t["meta"]["part"] not in ("belly", "casing", "landmark")
            ),
            None,
        )
        if first is None:
            first = next(t for t in traces if t["meta"]["layer"] == layer)
        first.update(showlegend=True, name=vocab.LAYER_NAMES[layer], legendrank=100 + gm.LAYERS.index(layer))


class BuiltFigure(go.Figure):  # type: ignore[misc]  # plotly has no type information: Figure is Any
    """A figure that is finished when built: its dict form is computed once, then reused.

    st.plotly_chart calls ``to_dict()`` on every rerun, a deep copy plus a walk over every array that
    costs about 2 ms for the anatomy diagram. Our figures are cached and shared read-only, so one
    copy is enough; each caller gets a fresh top-level dict, and nothing ever edits one after it is built.
    """

    def to_dict(self) -> dict[str, Any]:
        built = self.__dict__.get("_built_dict")
        if built is None:
            built = super().to_dict()
            self.__dict__["_built_dict"] = built
        return dict(built)


def _figure(traces: list[Trace], layout: Layout) -> go.Figure:
    """Build without plotly's per-property validation (5x faster); tests validate these dicts."""
    try:
        return BuiltFigure(data=traces, layout=layout, _validate=False)
    except TypeError:  # a future plotly without the private switch: validate, just slower
        return BuiltFigure(data=traces, layout=layout)


def anatomy_figure(
    geom: gm.Geometry,
    *,
    view: str = "front",
    layers: frozenset[str] = DEFAULT_LAYERS,
    angle: float = 0.0,
    selected: str | None = None,
    large: bool = False,
) -> go.Figure:
    """The psoas diagram.

    view: "front" (anterior; the patient's right on the viewer's left), "side" (from the patient's
    right, front to the right) or "3d" (rotatable). layers: ids from ``geometry.LAYERS``. angle:
    hip flexion in degrees, clamped to -20..90 (the range the model path is good for).
    selected: a landmark/structure id to highlight; unknown ids are ignored (they may come from a URL).
    large: consult mode's bigger type (labels LABEL_PX_LARGE instead of LABEL_PX), read from across a room.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    layers = frozenset(layers)
    unknown = layers - set(gm.LAYERS)
    if unknown:
        raise ValueError(f"unknown layer id(s) {sorted(unknown)}; expected ids from {gm.LAYERS}")
    angle = round(min(max(float(angle), kin.MIN_ANGLE), kin.MAX_ANGLE), 1)
    layout: Layout = {
        "template": _EMPTY_TEMPLATE,
        "height": HEIGHT_LARGE if large else HEIGHT,
        "margin": {"l": 4, "r": 4, "t": 30 if large else 24, "b": 30},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": INK},
        "hoverlabel": {"bgcolor": "white", "font": {"size": 13, "color": INK}, "align": "left"},
        "legend": {  # under the drawing, so it covers nothing; its title is the note on approximate shapes
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "top",
            "title": {"text": NOTE_3D if view == "3d" else APPROXIMATE_NOTE, "side": "top", "font": _NOTE_FONT},
            "font": {"size": LABEL_PX_LARGE if large else 13},
            "itemclick": "toggle",
            "itemdoubleclick": "toggleothers",
        },
        "showlegend": True,
        "uirevision": f"anatomy-{view}",  # keeps the user's zoom/rotation when the angle or layers change
    }
    if view == "3d":
        traces = _traces_3d(geom, angle, layers, selected)
        axis = {
            "visible": False,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "title": {"text": ""},
        }
        camera = {
            "eye": {"x": 0.9, "y": 1.9, "z": 0.45},
            "up": {"x": 0, "y": 0, "z": 1},
            "center": {"x": 0, "y": 0, "z": -0.05},
        }
        layout["scene"] = {
            "xaxis": axis,
            "yaxis": axis,
            "zaxis": axis,
            "aspectmode": "data",
            "bgcolor": "white",
            "camera": camera,
        }
        layout["annotations"] = [] if layers else [_footnote(NOTE_3D, large)]
    else:
        traces = _body_traces_2d(geom, view, angle) + _bone_traces_2d(geom, view, angle)
        traces += _surface_traces_2d(geom, view)
        for layer in DRAW_ORDER:
            if layer in layers:
                traces += _layer_traces_2d(geom, view, angle, layer, selected)
        traces += _marker_traces(geom, view, angle, layers, selected)
        traces += _label_traces_2d(geom, view, angle, layers, selected, large)
        (x0, x1), (y0, y1) = _view_box(geom, view)
        axis = {"visible": False, "showgrid": False, "zeroline": False, "showticklabels": False}
        layout.update(
            xaxis={"range": [x0, x1], **axis},
            yaxis={"range": [y0, y1], "scaleanchor": "x", "scaleratio": 1, **axis},
            annotations=_annotations_2d(view, large, bool(layers)),
            dragmode="pan",
            clickmode="event+select",
        )
    _legend_entries(traces, layers)
    return _figure(traces, layout)


@functools.lru_cache(maxsize=4)
def _length_curve(geom: gm.Geometry) -> tuple[list[float], list[float]]:
    angles = np.arange(kin.MIN_ANGLE, kin.MAX_ANGLE + 0.5, 1.0)
    return angles.tolist(), np.round([kin.psoas_length_cm(a, geom) for a in angles], 2).tolist()


def length_chart(geom: gm.Geometry, angle: float) -> go.Figure:
    """Psoas length (cm) against hip flexion, -20..90 deg, with the current angle marked."""
    angle = min(max(float(angle), kin.MIN_ANGLE), kin.MAX_ANGLE)
    angles, lengths = _length_curve(geom)
    now = kin.psoas_length_cm(angle, geom)
    hover = "Hip flexion %{x:.0f}°: %{y:.1f} cm<extra></extra>"
    traces = [
        _trace(
            "scatter",
            "length:curve",
            {"layer": "length", "part": "curve"},
            x=angles,
            y=lengths,
            mode="lines",
            name="Psoas length",
            line={"color": COLOURS["psoas_major"], "width": 3},
            hovertemplate=hover,
        ),
        _trace(
            "scatter",
            "length:now",
            {"layer": "length", "part": "now"},
            x=[angle],
            y=[round(now, 2)],
            mode="markers+text",
            name="Now",
            hovertemplate=hover,
            marker={"size": 13, "color": COLOURS["psoas_major"], "line": {"color": "black", "width": 2}},
            # Short: the chart is a third of the page wide, and the change from standing is in the metric above.
            text=[f"{now:.1f} cm"],
            textposition="top right" if angle < 45 else "middle left",
        ),
    ]
    marks = [
        {
            "type": "line",
            "x0": x,
            "x1": x,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": "#999", "width": 1, "dash": "dot"},
        }
        for x in (0, 80)
    ]
    # Sitting in a chair: the pelvis tilts back, so the hip bends about 60-80 degrees, not a full right angle.
    marks.append(
        {
            "type": "rect",
            "x0": 60,
            "x1": 80,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "fillcolor": "rgba(120,120,120,0.08)",
            "line": {"width": 0},
            "layer": "below",
        }
    )
    style = {
        "yref": "paper",
        "y": 1.0,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11, "color": "#666"},
    }
    layout = {
        "template": _EMPTY_TEMPLATE,
        "height": 280,
        "margin": {"l": 48, "r": 12, "t": 24, "b": 92},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "font": {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": INK},
        "xaxis": {
            "title": {"text": "Hip flexion (degrees)"},
            "range": [-22, 92],
            "dtick": 30,
            "gridcolor": "#eee",
            "zeroline": False,
            "ticks": "outside",
        },
        "yaxis": {
            "title": {"text": "Psoas length (cm)"},
            "gridcolor": "#eee",
            "zeroline": False,
            "ticks": "outside",
        },
        "shapes": marks,
        "annotations": [
            {"x": 0, "xref": "x", "text": "standing", **style},
            {"x": 70, "xref": "x", "text": "sitting", **style},
            {
                # Under the axis title, outside the plot: the chart is narrow and the curve crosses its whole area.
                "x": 0.5,
                "y": 0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "top",
                "yshift": -62,
                "showarrow": False,
                "text": "Model estimate (OpenSim gait2392),<br>not measured in people",
                "font": {"size": 11, "color": "#666"},
            },
        ],
        "uirevision": "length",
    }
    return _figure(traces, layout)
