"""Drawing shapes: silhouettes of projected meshes and cutting the femur short."""

from __future__ import annotations

import numpy as np
import pytest

from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras


def test_outline_of_a_square_with_a_hole() -> None:
    outer = np.array([[0, 0], [0.05, 0], [0.05, 0.05], [0, 0.05]])
    inner = np.array([[0.02, 0.02], [0.03, 0.02], [0.03, 0.03], [0.02, 0.03]])
    pts = np.vstack([outer, inner])
    # a frame made of 8 triangles around the inner square
    faces = np.array([[0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]])
    rings = ras.outline(pts, faces, pixel=0.001)
    areas = sorted(
        0.5 * float(np.dot(r[:, 0], np.roll(r[:, 1], -1)) - np.dot(r[:, 1], np.roll(r[:, 0], -1))) for r in rings
    )
    assert len(rings) == 2
    assert areas[0] == pytest.approx(-0.0001, rel=0.25)  # the hole runs clockwise
    assert areas[1] == pytest.approx(0.0025, rel=0.1)


def test_clip_mesh_keeps_the_upper_part(geom: gm.Geometry) -> None:
    verts, faces = geom.mesh_arrays("femur_r")
    cut_v, cut_f = ras.clip_mesh_y(verts, faces, -0.2)
    assert cut_v[:, 1].min() == pytest.approx(-0.2)
    assert cut_v[:, 1].max() == pytest.approx(verts[:, 1].max())
    assert 0 < len(cut_f) < len(faces) and cut_f.max() < len(cut_v)
