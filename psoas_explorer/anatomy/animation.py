"""Poses of the diagram that the browser blends while the hip control is dragged (no server round trip).

The diagram is drawn every ``STEP`` degrees (which keeps the data near 40 kB); only the traces whose
coordinates change with the angle (the femur outline, the muscle paths over it, markers on the femur) are
kept, as per-pose x/y columns.
Between two poses the browser interpolates point by point, so every pose of a trace is resampled to
the same number of points where that can be done honestly: a closed outline is resampled along its
length and turned to start where the previous pose's starts (no swirl), an open line is resampled along
its length. A trace with per-point styling (marker sizes, click ids) is sent as drawn and snaps instead.

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
_PER_POINT = ("customdata", "text", "hovertext")  # per-point arrays that would break if points were resampled


def pose_angles() -> list[int]:
    return list(range(int(kin.MIN_ANGLE), int(kin.MAX_ANGLE) + 1, STEP))


def _pieces(xs: list[float | None], ys: list[float | None]) -> list[FloatArray]:
    """Split a trace's columns at None gaps into (n, 2) arrays."""
    out: list[FloatArray] = []
    cur: list[tuple[float, float]] = []
    for x, y in zip(xs, ys, strict=True):
        if x is None or y is None:
            if cur:
                out.append(np.array(cur))
            cur = []
        else:
            cur.append((float(x), float(y)))
    if cur:
        out.append(np.array(cur))
    return out


def _resample(piece: FloatArray, n: int) -> FloatArray:
    """``n`` points evenly spaced along the polyline (ends kept)."""
    if len(piece) == 1:
        return np.repeat(piece, n, axis=0)
    seg = np.hypot(*np.diff(piece, axis=0).T)
    at = np.concatenate([[0.0], np.cumsum(seg)])
    if at[-1] == 0:
        return np.repeat(piece[:1], n, axis=0)
    t = np.linspace(0.0, at[-1], n)
    return np.stack([np.interp(t, at, piece[:, 0]), np.interp(t, at, piece[:, 1])], axis=1)


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


def _columns(pieces: list[FloatArray]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for i, p in enumerate(pieces):
        if i:
            xs.append(None)
            ys.append(None)
        r = np.round(p, 1)
        xs += r[:, 0].tolist()
        ys += r[:, 1].tolist()
    return xs, ys


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
                piece = _resample(piece, n)
            out[i].append(piece)
    return out


def _trace_poses(traces: list[dict[str, Any]]) -> dict[str, list[list[float | None]]]:
    """x and y columns for each pose of one trace; resampled to common lengths where that is safe."""
    per_point = any(isinstance(traces[0].get(k), list) for k in _PER_POINT) or isinstance(
        traces[0].get("marker", {}).get("size"), list
    )
    if not per_point:
        poses = _same_length_poses([_pieces(t["x"], t["y"]) for t in traces])
        if poses is not None:
            cols = [_columns(p) for p in poses]
            return {"x": [c[0] for c in cols], "y": [c[1] for c in cols]}
    return {"x": [list(t["x"]) for t in traces], "y": [list(t["y"]) for t in traces]}


def poses(geom: gm.Geometry, view: str, layers: frozenset[str], *, large: bool = False) -> dict[str, Any]:
    """{"angles": [...], "traces": {meta key: {"x": [per pose], "y": [per pose]}}} for a 2D view.

    The 3D view has none (its femur is a mesh; it is redrawn when the control is let go), nor has a trace
    that is not a plain scatter of x/y lists.
    """
    angles = pose_angles()
    if view == "3d":
        return {"angles": angles, "traces": {}}
    figs = [
        figures.anatomy_figure(geom, view=view, layers=layers, angle=a, large=large).to_dict()["data"] for a in angles
    ]
    moving: dict[str, Any] = {}
    for i, first in enumerate(figs[0]):
        same = [f[i] for f in figs if i < len(f) and f[i]["meta"]["key"] == first["meta"]["key"]]
        if first.get("type") != "scatter" or len(same) != len(figs):
            continue
        if all(t.get("x") == first.get("x") and t.get("y") == first.get("y") for t in same):
            continue
        if not all(isinstance(t.get("x"), list) and isinstance(t.get("y"), list) for t in same):
            continue
        moving[first["meta"]["key"]] = _trace_poses(same)
    return {"angles": angles, "traces": moving}
