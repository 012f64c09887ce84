"""Geometry: the model numbers, the bones they sit on, and readable errors for bad data files."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from psoas_explorer.anatomy import geometry as g
from psoas_explorer.content.model import ContentError

GEOMETRY = Path(__file__).resolve().parents[1] / "data" / "geometry"
ANGLES = range(-20, 91)  # every whole degree the app offers
MIRROR = np.array([1.0, 1.0, -1.0])


@pytest.fixture(scope="module")
def geom() -> g.Geometry:
    return g.load_geometry(GEOMETRY)


def distance_to_mesh(p: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> float:
    return g.point_triangle_distance(p, vertices[faces])


def mesh(geom: g.Geometry, mesh_id: str, angle: float = 0.0) -> g.Mesh:
    return next(m for m in g.bone_meshes(geom, angle) if m.id == mesh_id)


# --- lengths (anatomy.md §3.1, computed there with OpenSim 4.6) ---------------------------------


@pytest.mark.parametrize(
    ("angle", "expected_cm"), [(-20, 27.35), (0, 26.09), (30, 23.94), (45, 22.81), (60, 21.68), (90, 19.59)]
)
def test_psoas_length_matches_opensim(geom: g.Geometry, angle: float, expected_cm: float) -> None:
    assert g.psoas_length_cm(angle, geom) == pytest.approx(expected_cm, abs=0.2)  # within 2 mm


def test_default_geometry_gives_the_same_length(geom: g.Geometry) -> None:
    assert g.psoas_length_cm(0) == pytest.approx(g.psoas_length_cm(0, geom))


def test_p3_only_counts_up_to_45_degrees(geom: g.Geometry) -> None:
    assert len(g.psoas_path(geom, 45.0, "right").line) == 5
    assert len(g.psoas_path(geom, 45.5, "right").line) == 4
    # dropping P3 is what makes the path shorter than "just rotating" would at deep flexion
    assert g.psoas_length_cm(90, geom) < g.psoas_length_cm(45, geom) < g.psoas_length_cm(0, geom)


def test_length_table(geom: g.Geometry) -> None:
    table = g.length_table(geom)
    assert table["hip_flexion_deg"].iloc[0] == -20 and table["hip_flexion_deg"].iloc[-1] == 90
    assert table["psoas_length_cm"].is_monotonic_decreasing
    standing = table.loc[table["hip_flexion_deg"] == 0].iloc[0]
    assert standing["change_cm"] == 0
    sitting = table.loc[table["hip_flexion_deg"] == 90].iloc[0]
    assert sitting["change_cm"] == pytest.approx(-6.50, abs=0.2)
    assert sitting["change_pct"] == pytest.approx(-24.9, abs=1.0)


def test_flexion_swings_the_femur_forward(geom: g.Geometry) -> None:
    knee = np.array([0.0, -0.4, 0.0])
    flexed = g.to_pelvis(geom, knee, "femur", 90.0, "right")
    assert flexed[0] == pytest.approx(geom.hip_centre[0] + 0.4)  # knee now in front of the hip
    assert flexed[1] == pytest.approx(geom.hip_centre[1])
    extended = g.to_pelvis(geom, knee, "femur", -20.0, "right")
    assert extended[0] < geom.hip_centre[0]  # extension takes the knee backwards


# --- attachments stay on their bones --------------------------------------------------------------


def test_insertion_stays_on_the_femur_at_every_angle(geom: g.Geometry) -> None:
    for angle in ANGLES:
        for side in g.SIDES:
            femur = mesh(geom, f"femur_{side[0]}", angle)
            p = g.landmark_position(geom, "insertion_lesser_trochanter", angle, side)
            nearest_vertex = np.linalg.norm(femur.vertices - p, axis=1).min()
            assert nearest_vertex < 0.005, (angle, side, nearest_vertex)
            assert np.allclose(g.psoas_path(geom, angle, side).line[-1], p)  # the path ends there too


@pytest.mark.parametrize("angle", [-20.0, 0.0, 45.0, 90.0])
def test_each_origin_stays_on_its_vertebra(geom: g.Geometry, angle: float) -> None:
    for f in geom.model.psoas_major.fascicles:
        for side in g.SIDES:
            vertebra = mesh(geom, f.vertebra, angle)
            p = g.psoas_path(geom, angle, side).fascicles[f.id][0]
            d = distance_to_mesh(p, vertebra.vertices, vertebra.faces)
            assert d < 0.007, (f.id, side, round(d * 1000, 1))  # Christophy sites: 0.1-6.6 mm off the mesh


def test_fascicles_join_the_model_path_at_the_brim(geom: g.Geometry) -> None:
    pp = g.psoas_path(geom, 30.0, "right")
    assert len(pp.fascicles) == 11
    for points in pp.fascicles.values():
        assert np.allclose(points[1:], pp.tendon)
    assert np.allclose(pp.tendon[0], geom.path("psoas_gait2392").point("P2").at)


def test_bones_are_assembled(geom: g.Geometry) -> None:
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


def test_hand_placed_attachments_touch_bone(geom: g.Geometry) -> None:
    for lm_id, bone in [
        ("psoas_minor_origin", "t12"),
        ("psoas_minor_insertion", "pelvis_r"),
        ("origin_t12_textbook", "t12"),
    ]:
        m = mesh(geom, bone)
        assert distance_to_mesh(g.landmark_position(geom, lm_id, 0.0), m.vertices, m.faces) < 0.01


# --- left is the mirror of right -----------------------------------------------------------------


@pytest.mark.parametrize("angle", [-20.0, 10.0, 45.0, 60.0, 90.0])
def test_left_is_the_mirror_image(geom: g.Geometry, angle: float) -> None:
    right, left = g.psoas_path(geom, angle, "right"), g.psoas_path(geom, angle, "left")
    assert np.allclose(left.line, right.line * MIRROR)
    for fid in right.fascicles:
        assert np.allclose(left.fascicles[fid], right.fascicles[fid] * MIRROR)
    assert right.line[:, 2].min() > 0 and left.line[:, 2].max() < 0
    for base in ("pelvis", "femur"):
        r, lft = mesh(geom, f"{base}_r", angle), mesh(geom, f"{base}_l", angle)
        assert np.allclose(lft.vertices, r.vertices * MIRROR)
        assert np.array_equal(lft.faces, r.faces[:, [0, 2, 1]])  # winding flipped with the mirror
    for lm, sides in g.landmark_positions(geom, angle).items():
        assert np.allclose(sides["left"], sides["right"] * MIRROR), lm
    for path_id in ("iliacus", "rectus_femoris"):
        assert np.allclose(
            g.muscle_path(geom, path_id, angle, "left"), g.muscle_path(geom, path_id, angle, "right") * MIRROR
        )


# --- silhouettes ----------------------------------------------------------------------------------


def test_outline_of_a_square_with_a_hole() -> None:
    outer = np.array([[0, 0], [0.05, 0], [0.05, 0.05], [0, 0.05]])
    inner = np.array([[0.02, 0.02], [0.03, 0.02], [0.03, 0.03], [0.02, 0.03]])
    pts = np.vstack([outer, inner])
    # a frame made of 8 triangles around the inner square
    faces = np.array([[0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]])
    rings = g.outline(pts, faces, pixel=0.001)
    areas = sorted(
        0.5 * float(np.dot(r[:, 0], np.roll(r[:, 1], -1)) - np.dot(r[:, 1], np.roll(r[:, 0], -1))) for r in rings
    )
    assert len(rings) == 2
    assert areas[0] == pytest.approx(-0.0001, rel=0.25)  # the hole runs clockwise
    assert areas[1] == pytest.approx(0.0025, rel=0.1)


def test_clip_mesh_keeps_the_upper_part(geom: g.Geometry) -> None:
    verts, faces = geom.mesh_arrays("femur_r")
    cut_v, cut_f = g.clip_mesh_y(verts, faces, -0.2)
    assert cut_v[:, 1].min() == pytest.approx(-0.2)
    assert cut_v[:, 1].max() == pytest.approx(verts[:, 1].max())
    assert 0 < len(cut_f) < len(faces) and cut_f.max() < len(cut_v)


# --- malformed files give readable errors ---------------------------------------------------------


@pytest.fixture(scope="module")
def raw_model() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((GEOMETRY / "model.yaml").read_text(encoding="utf-8"), Loader=loader)


def _fascicle(raw: dict, fid: str) -> dict:
    return next(f for f in raw["psoas_major"]["fascicles"] if f["id"] == fid)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda r: _fascicle(r, "origin_l3_tp").update(part="bone"), ("'origin_l3_tp'", "'part'")),
        (
            lambda r: _fascicle(r, "origin_l2_tp").update(local=[0.0, "0.01", 0.02]),
            ("'origin_l2_tp'", "'local.1'"),
        ),
        (lambda r: _fascicle(r, "origin_l5_body").pop("plain"), ("'origin_l5_body'", "'plain'")),
        (lambda r: r["hip_joint"].update(centre=[0.0, 0.0]), ("(top level)", "'hip_joint.centre.2'")),
        (lambda r: r["landmarks"][0].update(colour="red"), ("'insertion_lesser_trochanter'", "'colour'")),
        (lambda r: r["structures"][0].update(source=["nobody2020"]), ("'psoas_minor'", "'source'")),
        (
            lambda r: r["landmarks"][0].update(path_point="psoas_gait2392/P9"),
            ("'insertion_lesser_trochanter'", "'path_point'"),
        ),
        (lambda r: r["landmarks"][1].update(id="origin_l1_body"), ("'origin_l1_body'", "'id'")),
    ],
)
def test_malformed_model_names_entry_and_field(raw_model: dict, edit, expected: tuple[str, str]) -> None:
    raw = copy.deepcopy(raw_model)
    edit(raw)
    with pytest.raises(ContentError) as err:
        g.parse_model(raw)
    message = str(err.value)
    assert message.startswith("model.yaml, entry ")
    for part in expected:
        assert part in message, message


def test_malformed_model_yaml_file(tmp_path: Path, raw_model: dict) -> None:
    raw = copy.deepcopy(raw_model)
    _fascicle(raw, "origin_l3_tp")["vertebra"] = "lumbar9"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (tmp_path / "model.yaml").write_text(yaml.dump(raw, Dumper=dumper, sort_keys=False), encoding="utf-8")
    shutil.copy(GEOMETRY / "bones.json", tmp_path / "bones.json")
    with pytest.raises(ContentError, match=r"^model\.yaml, entry 'origin_l3_tp', field 'vertebra'"):
        g.load_geometry(tmp_path)
    (tmp_path / "model.yaml").write_text("frame: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^model\.yaml: not valid YAML"):
        g.load_geometry(tmp_path)


def test_malformed_bones_json_names_file_entry_and_field(tmp_path: Path) -> None:
    shutil.copy(GEOMETRY / "model.yaml", tmp_path / "model.yaml")
    raw = json.loads((GEOMETRY / "bones.json").read_text(encoding="utf-8"))
    femur = next(m for m in raw["meshes"] if m["id"] == "femur_r")
    femur["faces"][0] = [0, 1, 10**6]
    (tmp_path / "bones.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ContentError, match=r"^bones\.json, entry 'femur_r'.*outside"):
        g.load_geometry(tmp_path)
    (tmp_path / "bones.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^bones\.json: not valid JSON"):
        g.load_geometry(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"model\.yaml: file is missing"):
        g.load_geometry(tmp_path)


def test_build_script_reads_binary_stl_and_compacts() -> None:
    """tools/build_geometry.py: STL parsing and vertex merging (the wheel itself is not in the repo)."""
    import importlib.util
    import struct

    spec = importlib.util.spec_from_file_location("build_geometry", GEOMETRY.parents[1] / "tools" / "build_geometry.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    quad = [((0, 0, 0), (0.01, 0, 0), (0.01, 0.01, 0)), ((0, 0, 0), (0.01, 0.01, 0), (0, 0.01, 0.00001))]
    data = b"\0" * 80 + struct.pack("<I", len(quad))
    for tri in quad:
        data += struct.pack("<3f", 0, 0, 1) + b"".join(struct.pack("<3f", *v) for v in tri) + b"\0\0"
    tris = build.read_stl(data, "quad")
    assert tris.shape == (2, 3, 3) and tris[0, 1, 0] == pytest.approx(0.01)
    verts, faces = build.compact(tris)
    assert len(verts) == 4 and len(faces) == 2  # shared corners merged; 0.01 mm rounds away
    assert [0, 100, 0] in verts and [100, 100, 0] in verts  # integers in 0.1 mm units
    with pytest.raises(ValueError, match="not a binary STL"):
        build.read_stl(data[:-10], "broken")
