"""Posing the model: psoas lengths against OpenSim, attachments that stay on their bones, left mirrors right."""

from __future__ import annotations

import numpy as np
import pytest

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from tools.build_geometry import point_triangle_distance

ANGLES = range(-20, 91)  # every whole degree the app offers
MIRROR = np.array([1.0, 1.0, -1.0])


def distance_to_mesh(p: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> float:
    return point_triangle_distance(p, vertices[faces])


def mesh(geom: gm.Geometry, mesh_id: str, angle: float = 0.0) -> kin.Mesh:
    return next(m for m in kin.bone_meshes(geom, angle) if m.id == mesh_id)


# --- lengths (anatomy.md §3.1, computed there with OpenSim 4.6) ---------------------------------


@pytest.mark.parametrize(
    ("angle", "expected_cm"), [(-20, 27.35), (0, 26.09), (30, 23.94), (45, 22.81), (60, 21.68), (90, 19.59)]
)
def test_psoas_length_matches_opensim(geom: gm.Geometry, angle: float, expected_cm: float) -> None:
    assert kin.psoas_length_cm(angle, geom) == pytest.approx(expected_cm, abs=0.2)  # within 2 mm


def test_default_geometry_gives_the_same_length(geom: gm.Geometry) -> None:
    assert kin.psoas_length_cm(0) == pytest.approx(kin.psoas_length_cm(0, geom))


def test_p3_only_counts_up_to_45_degrees(geom: gm.Geometry) -> None:
    assert len(kin.psoas_path(geom, 45.0, "right").line) == 5
    assert len(kin.psoas_path(geom, 45.5, "right").line) == 4
    # dropping P3 is what makes the path shorter than "just rotating" would at deep flexion
    assert kin.psoas_length_cm(90, geom) < kin.psoas_length_cm(45, geom) < kin.psoas_length_cm(0, geom)


def test_length_falls_steadily_with_flexion(geom: gm.Geometry) -> None:
    lengths = [kin.psoas_length_cm(a, geom) for a in range(-20, 91, 5)]
    assert all(a > b for a, b in zip(lengths, lengths[1:], strict=False))
    standing, sitting = kin.psoas_length_cm(0, geom), kin.psoas_length_cm(90, geom)
    assert sitting - standing == pytest.approx(-6.50, abs=0.2)
    assert (sitting / standing - 1) * 100 == pytest.approx(-24.9, abs=1.0)


def test_flexion_swings_the_femur_forward(geom: gm.Geometry) -> None:
    knee = np.array([0.0, -0.4, 0.0])
    flexed = kin.to_pelvis(geom, knee, "femur", 90.0, "right")
    assert flexed[0] == pytest.approx(geom.hip_centre[0] + 0.4)  # knee now in front of the hip
    assert flexed[1] == pytest.approx(geom.hip_centre[1])
    extended = kin.to_pelvis(geom, knee, "femur", -20.0, "right")
    assert extended[0] < geom.hip_centre[0]  # extension takes the knee backwards


# --- attachments stay on their bones --------------------------------------------------------------


def test_insertion_stays_on_the_femur_at_every_angle(geom: gm.Geometry) -> None:
    for angle in ANGLES:
        for side in gm.SIDES:
            femur = mesh(geom, f"femur_{side[0]}", angle)
            p = kin.landmark_position(geom, "insertion_lesser_trochanter", angle, side)
            nearest_vertex = np.linalg.norm(femur.vertices - p, axis=1).min()
            assert nearest_vertex < 0.005, (angle, side, nearest_vertex)
            assert np.allclose(kin.psoas_path(geom, angle, side).line[-1], p)  # the path ends there too


@pytest.mark.parametrize("angle", [-20.0, 0.0, 45.0, 90.0])
def test_each_origin_stays_on_its_vertebra(geom: gm.Geometry, angle: float) -> None:
    for f in geom.model.psoas_major.fascicles:
        for side in gm.SIDES:
            vertebra = mesh(geom, f.vertebra, angle)
            p = kin.psoas_path(geom, angle, side).fascicles[f.id][0]
            d = distance_to_mesh(p, vertebra.vertices, vertebra.faces)
            assert d < 0.007, (f.id, side, round(d * 1000, 1))  # Christophy sites: 0.1-6.6 mm off the mesh


def test_fascicles_join_the_model_path_at_the_brim(geom: gm.Geometry) -> None:
    pp = kin.psoas_path(geom, 30.0, "right")
    assert len(pp.fascicles) == 11
    for points in pp.fascicles.values():
        assert np.allclose(points[1:], pp.tendon)
    assert np.allclose(pp.tendon[0], geom.path("psoas_gait2392").point("P2").at)


def test_bones_are_assembled(geom: gm.Geometry) -> None:
    """Femoral head in the hip socket, vertebrae stacked on the sacrum (catches a wrong frame)."""
    pelvis = mesh(geom, "pelvis_r")
    socket = distance_to_mesh(geom.hip_centre, pelvis.vertices, pelvis.faces)
    assert 0.012 < socket < 0.026  # the acetabulum wraps a ~22 mm femoral head
    stack = ["sacrum", "lumbar5", "lumbar4", "lumbar3", "lumbar2", "lumbar1", "t12"]
    for lower, upper in zip(stack, stack[1:], strict=False):
        lo, up = mesh(geom, lower).vertices, mesh(geom, upper).vertices
        gap = np.linalg.norm(up[:, None, :] - lo[None, :, :], axis=2).min()  # closest corners
        assert gap < 0.006, (lower, upper, gap)
        assert up[:, 1].mean() > lo[:, 1].mean()
    femur = mesh(geom, "femur_r")
    assert femur.vertices[:, 1].min() < geom.hip_centre[1] - 0.38  # a whole femur, hanging down


def test_hand_placed_attachments_touch_bone(geom: gm.Geometry) -> None:
    for lm_id, bone in [
        ("psoas_minor_origin", "t12"),
        ("psoas_minor_insertion", "pelvis_r"),
        ("origin_t12_textbook", "t12"),
    ]:
        m = mesh(geom, bone)
        assert distance_to_mesh(kin.landmark_position(geom, lm_id, 0.0), m.vertices, m.faces) < 0.01


# --- left is the mirror of right -----------------------------------------------------------------


@pytest.mark.parametrize("angle", [-20.0, 10.0, 45.0, 60.0, 90.0])
def test_left_is_the_mirror_image(geom: gm.Geometry, angle: float) -> None:
    right, left = kin.psoas_path(geom, angle, "right"), kin.psoas_path(geom, angle, "left")
    assert np.allclose(left.line, right.line * MIRROR)
    for fid in right.fascicles:
        assert np.allclose(left.fascicles[fid], right.fascicles[fid] * MIRROR)
    assert right.line[:, 2].min() > 0 and left.line[:, 2].max() < 0
    for base in ("pelvis", "femur"):
        r, lft = mesh(geom, f"{base}_r", angle), mesh(geom, f"{base}_l", angle)
        assert np.allclose(lft.vertices, r.vertices * MIRROR)
        assert np.array_equal(lft.faces, r.faces[:, [0, 2, 1]])  # winding flipped with the mirror
    for lm in [f.id for f in geom.model.psoas_major.fascicles] + [x.id for x in geom.model.landmarks]:
        left_p, right_p = (kin.landmark_position(geom, lm, angle, side) for side in ("left", "right"))
        assert np.allclose(left_p, right_p * MIRROR), lm
    for path_id in ("iliacus", "rectus_femoris"):
        assert np.allclose(
            kin.muscle_path(geom, path_id, angle, "left"), kin.muscle_path(geom, path_id, angle, "right") * MIRROR
        )
