"""Poses of the diagram that the browser blends while the hip control is dragged (no server round trip).

The diagram is drawn every ``STEP`` degrees (which keeps the data near 40 kB); only the traces whose
coordinates change with the angle (the femur outline, the muscle paths over it, markers on the femur) are
kept, as per-pose x/y columns (x/y/z in 3D).
Between two poses the browser interpolates point by point, so every pose of a trace is resampled to
the same number of points where that can be done honestly: a closed outline is resampled along its
length and turned to start where the previous pose's starts (no swirl), an open line gets points added
in the middle of its longest segments (its corners kept, so each pose is drawn exactly as at its angle).
A trace with per-point styling (marker sizes, click ids) is sent as drawn and snaps when its point count
changes.
The 3D femurs are one mesh of thousands of vertices: instead of a mesh per pose, ``femur_pivot`` tells the
browser how to turn the drawn mesh rigidly to any angle (hip flexion is a turn about the hip centre).

Found by comparing the figures themselves (trace ``meta.key``), so it follows whatever figures.py draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from psoas_explorer.anatomy import figures
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy.model import FloatArray

STEP = 10  # a 10-degree blend is within 1 mm of the true femur pose (sagitta of a 220 mm bone turning 5 degrees)
FEMUR_KEY = "bones:femur"  # the 3D femurs: one mesh3d trace, turned rigidly by the browser
_PER_POINT = ("customdata", "text", "hovertext")  # per-point arrays that would break if points were resampled


def pose_angles() -> list[int]:
    return list(range(int(kin.MIN_ANGLE), int(kin.MAX_ANGLE) + 1, STEP))


def _pieces(cols: list[list[float | None]]) -> list[FloatArray]:
    """Split a trace's columns (x, y[, z]) at None gaps into (n, dims) arrays."""
    out: list[FloatArray] = []
    cur: list[tuple[float, ...]] = []
    for point in zip(*cols, strict=True):
        if any(v is None for v in point):
            if cur:
                out.append(np.array(cur))
            cur = []
        else:
            cur.append(tuple(float(v) for v in point if v is not None))
    if cur:
        out.append(np.array(cur))
    return out


def _resample(piece: FloatArray, n: int) -> FloatArray:
    """``n`` points evenly spaced along the polyline (ends kept), in any number of coordinates."""
    if len(piece) == 1:
        return np.repeat(piece, n, axis=0)
    seg = np.linalg.norm(np.diff(piece, axis=0), axis=1)
    at = np.concatenate([[0.0], np.cumsum(seg)])
    if at[-1] == 0:
        return np.repeat(piece[:1], n, axis=0)
    t = np.linspace(0.0, at[-1], n)
    return np.stack([np.interp(t, at, piece[:, d]) for d in range(piece.shape[1])], axis=1)


def _densify(piece: FloatArray, n: int) -> FloatArray:
    """The same polyline with ``n`` points: its corners kept, the longest segments split in the middle."""
    pts = [np.asarray(p, dtype=np.float64) for p in piece]
    while len(pts) < n:
        if len(pts) == 1:
            pts.append(pts[0].copy())
            continue
        k = int(np.argmax([np.linalg.norm(b - a) for a, b in zip(pts, pts[1:], strict=False)]))
        pts.insert(k + 1, (pts[k] + pts[k + 1]) / 2)
    return np.array(pts)


def _closed(piece: FloatArray) -> bool:
    return len(piece) > 3 and bool(np.allclose(piece[0], piece[-1]))


def _align(ring: FloatArray, previous: FloatArray | None) -> FloatArray:
    """Turn a closed ring (last point = first) to start nearest where ``previous`` starts its points."""
    body = ring[:-1]
    if previous is not None:
        prev = previous[:-1]
        shifts = [float(np.sum((np.roll(body, -s, axis=0) - prev) ** 2)) for s in range(len(body))]
        body = np.roll(body, -int(np.argmin(shifts)), axis=0)
    return np.vstack([body, body[:1]])


def _columns(pieces: list[FloatArray], dims: int) -> list[list[float | None]]:
    """The pieces back as ``dims`` columns with None gaps, in whole mm.

    Whole mm (within 0.5 mm, under a pixel even in consult mode on a wall screen) rather than 0.1 mm: the poses
    are most of the diagram's message, and this keeps every view and layer set within its 200 kB budget. Only
    the drag's in-between frames use them; a released control draws the server's exact figure.
    """
    cols: list[list[float | None]] = [[] for _ in range(dims)]
    for i, p in enumerate(pieces):
        r = np.rint(p).astype(np.int64)
        for d, col in enumerate(cols):
            if i:
                col.append(None)
            col += r[:, d].tolist()
    return cols


def _same_length_poses(poses: list[list[FloatArray]]) -> list[list[FloatArray]] | None:
    """Every pose's pieces resampled to common point counts, or None when the piece count changes."""
    if len({len(p) for p in poses}) != 1:
        return None
    out: list[list[FloatArray]] = [[] for _ in poses]
    for j in range(len(poses[0])):
        n = max(len(p[j]) for p in poses)
        closed = all(_closed(p[j]) for p in poses)
        previous: FloatArray | None = None
        for i, pose in enumerate(poses):
            piece = pose[j]
            if closed:
                body = _resample(piece, n)  # along the closed outline, ends meeting
                piece = _align(np.vstack([body[:-1], body[:1]]), previous)
                previous = piece
            elif len(piece) != n:
                piece = _densify(piece, n)  # drawn exactly as at its own angle, corners and all
            out[i].append(piece)
    return out


def _trace_poses(traces: list[dict[str, Any]], axes: tuple[str, ...]) -> dict[str, list[list[float | None]]]:
    """Each axis's column for each pose of one trace; resampled to common lengths where that is safe."""
    per_point = any(isinstance(traces[0].get(k), list) for k in _PER_POINT) or isinstance(
        traces[0].get("marker", {}).get("size"), list
    )
    if not per_point:
        poses = _same_length_poses([_pieces([t[a] for a in axes]) for t in traces])
        if poses is not None:
            cols = [_columns(p, len(axes)) for p in poses]
            return {a: [c[d] for c in cols] for d, a in enumerate(axes)}
    return {a: [list(t[a]) for t in traces] for a in axes}


def femur_pivot(geom: gm.Geometry) -> dict[str, Any]:
    """How the browser turns the drawn 3D femur mesh to another angle, rigidly (no per-pose meshes are sent).

    Hip flexion is a rotation about the pelvis +z axis through the hip centre (kinematics.femur_transform);
    the left femur is the mirror in z, which commutes with that rotation, so both turn the same way. In the
    plot's axes (drawing._to3d: X = z, Y = x, Z = y, mm) that is a turn in the (Y, Z) plane about the hip
    centre's (x, y): for d = angle - drawn angle, with (c, s) = (cos d, sin d),
    Y' = cy + c (Y - cy) - s (Z - cz) and Z' = cz + s (Y - cy) + c (Z - cz); X does not change.
    """
    cy, cz = (round(float(v) * 1000.0, 4) for v in geom.hip_centre[:2])
    return {"key": FEMUR_KEY, "axes": ["y", "z"], "centre": [cy, cz], "sign": 1}


def poses(geom: gm.Geometry, view: str, layers: frozenset[str], *, large: bool = False) -> dict[str, Any]:
    """{"angles": [...], "traces": {meta key: {"x": [per pose], "y": [per pose]}}} for a 2D view.

    In 3D the moving lines and markers (scatter3d) get "z" columns too, and the femur mesh is not sent per
    pose: ``"femur"`` (femur_pivot) says how to turn the drawn one. A trace that is not a plain scatter of
    coordinate lists is left out.
    """
    angles = pose_angles()
    is3d = view == "3d"
    kind, axes = ("scatter3d", ("x", "y", "z")) if is3d else ("scatter", ("x", "y"))
    figs = [
        figures.anatomy_figure(geom, view=view, layers=layers, angle=a, large=large).to_dict()["data"] for a in angles
    ]
    moving: dict[str, Any] = {}
    for i, first in enumerate(figs[0]):
        same = [f[i] for f in figs if i < len(f) and f[i]["meta"]["key"] == first["meta"]["key"]]
        if first.get("type") != kind or len(same) != len(figs):
            continue
        if not all(all(isinstance(t.get(a), list) for a in axes) for t in same):
            continue
        if all(all(t.get(a) == first.get(a) for a in axes) for t in same):
            continue
        moving[first["meta"]["key"]] = _trace_poses(same, axes)
    out: dict[str, Any] = {"angles": angles, "traces": moving}
    if is3d:
        out["femur"] = femur_pivot(geom)
    return out
