"""What the anatomy figures share (figures.py: 2D; figure3d.py: 3D; labels.py): the style, the plain-dict trace
helpers, the pieces that do not depend on the hip angle (memoised), what each layer is made of, and the clickable
landmark markers. Its underscored names are internal to these anatomy figure modules.

Design choices: see figures.py.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from psoas_explorer.anatomy import body
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.model import FloatArray, IndexArray, Side
from psoas_explorer.content import vocab
from psoas_explorer.i18n import DEFAULT, Lang, tr

# Plotly trace and layout dicts: nested plotly properties of many types, validated by plotly in the tests.
Trace = dict[str, Any]
Layout = dict[str, Any]
Meta = Mapping[str, str | bool | float | None]  # a trace's ``meta``: layer, part, id and flags, label scale
Column = list[float | None]  # one coordinate of a trace; None breaks the line
# (id, layer, name, label, plain, technical, approximate, marker symbol) of a clickable point landmark
_MarkerItem = tuple[str, str, str, str, str, str, bool, str]


FEMUR_SHOWN_TO = body.FEMUR_SHOWN_TO  # femur-frame y (m) where the drawing stops: mid-thigh, below the insertion


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


def _trace(kind: str, key: str, meta: Meta, **props: Any) -> Trace:
    """A trace as a plain dict; ``meta["key"]`` identifies it in tests and in the browser."""
    return {"type": kind, "meta": {"key": key, **meta}, **props}


def _mm(a: FloatArray) -> FloatArray:
    return np.round(np.asarray(a, dtype=np.float64) * 1000, 1)


def _wrap(text: str, width: int = 62) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def _hover(name: str, plain: str, technical: str, approximate: bool = False, lang: Lang = DEFAULT) -> str:
    """Patient wording first, then the anatomical terms, as one hover box (plotly does not wrap)."""
    mark = "≈ " if approximate else ""
    note = "<br><i>" + tr(lang, "Approximate position (sketch)") + "</i>" if approximate else ""
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
    m, lang = geom.model, geom.lang  # the words in the geometry's language (anatomy/words.py)
    parts: list[_LayerPart] = []
    if layer == "psoas_major":
        path = geom.path(m.psoas_major.length_path)
        name = tr(lang, "Psoas major")
        hover = _hover(name, path.plain, path.technical)
        paths = [kin.psoas_path(geom, angle, s) for s in sides]
        fibres = tuple(f[:2] for pp in paths for f in pp.fascicles.values())
        parts.append(_LayerPart(layer, "fascicles", name, hover, fibres))
        parts.append(_LayerPart(layer, "tendon", tr(lang, "Psoas tendon"), hover, tuple(pp.tendon for pp in paths)))
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
                _hover(st.name, st.plain, st.technical, st.approximate, lang),
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
                _hover(organ.name, organ.plain, organ.technical, organ.approximate, lang),
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


def _marker_items(geom: gm.Geometry, layers: frozenset[str]) -> list[_MarkerItem]:
    """A ``_MarkerItem`` for every point landmark shown."""
    m, lang = geom.model, geom.lang
    items: list[_MarkerItem] = []
    if "psoas_major" in layers:
        origin = tr(lang, "Psoas origin: {label}")
        for f in m.psoas_major.fascicles:
            name = origin.format(label=f.label.replace("TP", "transverse process"))
            words = vocab.diagram_label(f.id, f.part, f.level, lang)
            items.append((f.id, "psoas_major", name, words, f.plain, f.technical, False, MARKER_SYMBOL[f.part]))
    for lm in m.landmarks:
        if lm.layer in layers:
            symbol = "circle-open" if lm.approximate else ("square" if lm.frame == "femur" else "circle")
            words = vocab.diagram_label(lm.id, lang=lang)
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
            "hovertext": _hover(name, plain, tech, approx, geom.lang),
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


def _to3d(points_m: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Pelvis frame -> plot axes (X = z, Y = x, Z = y) in mm.

    With the camera in front (+Y) and up = +Z, the patient's right (+z) lands on the viewer's left,
    as in the 2D front view; the permutation is cyclic, so nothing is mirrored.
    """
    p = _mm(points_m)
    return p[:, 2], p[:, 0], p[:, 1]
