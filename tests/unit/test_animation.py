"""The poses the browser blends while the hip control is dragged (anatomy/animation.py)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from psoas_explorer.anatomy import animation, figures
from psoas_explorer.anatomy import model as gm

LAYERS = frozenset({"psoas_major", "iliacus", "rectus_femoris"})


def _columns(tr: dict, i: int) -> tuple[list[float | None], list[float | None]]:
    """The halfway blend of poses i and i + 1 of a trace, as columns (gaps kept)."""

    def mid(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else (a + b) / 2

    return (
        [mid(a, b) for a, b in zip(tr["x"][i], tr["x"][i + 1], strict=True)],
        [mid(a, b) for a, b in zip(tr["y"][i], tr["y"][i + 1], strict=True)],
    )


def _points(xs: list[float | None], ys: list[float | None]) -> np.ndarray:
    return np.array([(x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None])


def _dense(xs: list[float | None], ys: list[float | None], per: int = 12) -> np.ndarray:
    """The drawn lines (pieces split at gaps) with ``per`` points along every segment: the line, not its corners."""
    out: list[np.ndarray | tuple[float, float]] = []
    piece: list[tuple[float, float]] = []
    for x, y in [*zip(xs, ys, strict=True), (None, None)]:
        if x is None or y is None:
            for p, q in zip(piece, piece[1:], strict=False):
                out += [np.array(p) + (np.array(q) - np.array(p)) * t for t in np.linspace(0, 1, per)]
            out += piece[:1] if len(piece) == 1 else []
            piece = []
        else:
            piece.append((x, y))
    return np.array(out)


@pytest.mark.parametrize("view", ["front", "side"])
def test_a_blend_halfway_between_two_poses_lies_on_the_drawing_of_that_angle(geom: gm.Geometry, view: str) -> None:
    """What the browser shows at 65 degrees (half of 60 and 70) is within a few millimetres of the true 65."""
    poses = animation.poses(geom, view, LAYERS)
    i = poses["angles"].index(60)
    assert poses["angles"][i + 1] == 70
    drawn = {
        t["meta"]["key"]: t for t in figures.anatomy_figure(geom, view=view, layers=LAYERS, angle=65).to_dict()["data"]
    }
    assert {"bones:femur", "psoas_major:tendon"} <= set(poses["traces"])
    for key, tr in poses["traces"].items():
        a, b = _points(tr["x"][i], tr["y"][i]), _points(tr["x"][i + 1], tr["y"][i + 1])
        assert a.shape == b.shape, key  # blended point by point
        blend = (a + b) / 2
        true = _dense(drawn[key]["x"], drawn[key]["y"])
        # every blended point on the true drawing, and the true drawing's corners on the blend (no swirl, no gap)
        d = np.linalg.norm(blend[:, None, :] - true[None, :, :], axis=2)
        # within 8 mm everywhere (a silhouette's corner moves as the bone turns), under 2.5 mm on average. The body
        # outline is a sketch rasterised from trunk and thigh together: its points slide along the groin corner
        # between poses, so mid-blend that corner may sit up to 25 mm off for a frame (it snaps true on release).
        worst = 25.0 if key == "body:outline" else 8.0
        assert d.min(axis=1).max() < worst and d.min(axis=1).mean() < 2.5, (key, d.min(axis=1).max())
        corners = _points(drawn[key]["x"], drawn[key]["y"])
        back = np.linalg.norm(corners[:, None, :] - _dense(*_columns(tr, i), per=12)[None, :, :], axis=2)
        assert back.min(axis=1).max() < worst and back.min(axis=1).mean() < 2.5, (key, back.min(axis=1).max())


def test_nothing_that_stays_put_is_sent(geom: gm.Geometry) -> None:
    poses = animation.poses(geom, "front", LAYERS)
    assert not [k for k in poses["traces"] if k.startswith(("bones:static", "bones:holes", "psoas_major:fascicles"))]
    still = animation.poses(geom, "3d", LAYERS)["traces"]
    assert not [k for k in still if k.startswith(("bones:", "psoas_major:fascicles"))], "meshes are never sent per pose"


def _figure_3d(geom: gm.Geometry, angle: float) -> dict[str, dict]:
    fig = figures.anatomy_figure(geom, view="3d", layers=LAYERS, angle=angle)
    return {t["meta"]["key"]: t for t in fig.to_dict()["data"]}


def _array(column: object) -> np.ndarray:
    """A figure column as the browser gets it: a list, or a base64 typed array ({"dtype", "bdata"})."""
    if isinstance(column, dict):
        return np.frombuffer(base64.b64decode(column["bdata"]), dtype=np.dtype(column["dtype"])).astype(float)
    return np.asarray(column, dtype=float)


def _turned(femur: dict, pivot: dict, drawn: float, angle: float) -> np.ndarray:
    """What diagram.js does to the drawn femur mesh while the control moves (its formula, in Python)."""
    a, b = pivot["axes"]
    cy, cz = pivot["centre"]
    d = np.radians(pivot["sign"] * (angle - drawn))
    c, s = np.cos(d), np.sin(d)
    y, z = _array(femur[a]) - cy, _array(femur[b]) - cz
    return np.stack([_array(femur["x"]), cy + c * y - s * z, cz + s * y + c * z], axis=1)


@pytest.mark.parametrize(("drawn", "angle"), [(0, 45), (30, 90), (90, -20), (-20, 7), (62, 61)])
def test_the_browser_turns_the_drawn_3d_femur_onto_the_server_figure_of_another_angle(
    geom: gm.Geometry, drawn: int, angle: int
) -> None:
    pivot = animation.poses(geom, "3d", LAYERS)["femur"]
    assert pivot["key"] == "bones:femur"
    turned = _turned(_figure_3d(geom, drawn)["bones:femur"], pivot, drawn, angle)
    true = _figure_3d(geom, angle)["bones:femur"]
    want = np.stack([_array(true[a]) for a in ("x", "y", "z")], axis=1)
    assert turned.shape == want.shape
    assert np.abs(turned - want).max() < 0.1  # mm, both femurs


def _sides(points: np.ndarray) -> list[np.ndarray]:
    """A 3D column set's pieces, split at its gaps (nan)."""
    pieces = np.split(points, np.flatnonzero(np.isnan(points).any(axis=1)))
    return [q for q in (p[~np.isnan(p).any(axis=1)] for p in pieces) if len(q)]


def _to_line(points: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Each point's distance (mm) to the polyline ``line``."""
    if len(line) == 1:
        return np.linalg.norm(points - line[0], axis=1)
    a, b = line[:-1][None], line[1:][None]
    ab = b - a
    t = np.clip(np.sum((points[:, None] - a) * ab, axis=2) / np.maximum(np.sum(ab * ab, axis=2), 1e-12), 0, 1)
    return np.linalg.norm(points[:, None] - (a + t[..., None] * ab), axis=2).min(axis=1)


def test_the_3d_poses_draw_the_psoas_line_and_markers_of_each_angle(geom: gm.Geometry) -> None:
    poses = animation.poses(geom, "3d", LAYERS)
    assert {"psoas_major:tendon", "psoas_major:landmark:insertion_lesser_trochanter"} <= set(poses["traces"])
    for i, angle in enumerate(poses["angles"]):
        drawn = _figure_3d(geom, angle)
        for key in ("psoas_major:tendon", "psoas_major:landmark:insertion_lesser_trochanter"):
            tr = poses["traces"][key]
            got = _sides(np.array([tr[a][i] for a in ("x", "y", "z")], dtype=float).T)
            want = _sides(np.array([drawn[key][a] for a in ("x", "y", "z")], dtype=float).T)
            assert len(got) == len(want), (key, angle)  # the same pieces (one per side)
            for g, w in zip(got, want, strict=True):
                # the same line: every corner drawn is a point of the pose, every point of the pose is on the line
                # poses travel in whole mm: half a millimetre per axis, 0.87 mm in 3D
                assert np.linalg.norm(w[:, None] - g[None], axis=2).min(axis=1).max() <= 0.87, (key, angle)
                assert _to_line(g, w).max() <= 0.87, (key, angle)
