"""The poses the browser blends while the hip control is dragged (anatomy/animation.py)."""

from __future__ import annotations

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
    out, piece = [], []
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


def test_nothing_that_stays_put_is_sent_and_3d_has_no_poses(geom: gm.Geometry) -> None:
    poses = animation.poses(geom, "front", LAYERS)
    assert not [k for k in poses["traces"] if k.startswith(("bones:static", "bones:holes", "psoas_major:fascicles"))]
    assert animation.poses(geom, "3d", LAYERS)["traces"] == {}
