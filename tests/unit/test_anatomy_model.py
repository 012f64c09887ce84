"""The geometry files: readable errors for bad model.yaml or bones.json, one layer vocabulary, the bones.json tool."""

from __future__ import annotations

import copy
import json
import shutil
import struct
from pathlib import Path

import pytest
import yaml

from psoas_explorer.anatomy import model as gm
from psoas_explorer.content.model import Content, ContentError
from tools import build_geometry as build

GEOMETRY = gm.GEOMETRY_DIR


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
        gm.parse_model(raw)
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
        gm.load_geometry(tmp_path)
    (tmp_path / "model.yaml").write_text("frame: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^model\.yaml: not valid YAML"):
        gm.load_geometry(tmp_path)


def test_malformed_bones_json_names_file_entry_and_field(tmp_path: Path) -> None:
    shutil.copy(GEOMETRY / "model.yaml", tmp_path / "model.yaml")
    raw = json.loads((GEOMETRY / "bones.json").read_text(encoding="utf-8"))
    femur = next(m for m in raw["meshes"] if m["id"] == "femur_r")
    femur["faces"][0] = [0, 1, 10**6]
    (tmp_path / "bones.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ContentError, match=r"^bones\.json, entry 'femur_r'.*outside"):
        gm.load_geometry(tmp_path)
    (tmp_path / "bones.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^bones\.json: not valid JSON"):
        gm.load_geometry(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"model\.yaml: file is missing"):
        gm.load_geometry(tmp_path)


def test_build_script_reads_binary_stl_and_compacts() -> None:
    """tools/build_geometry.py: STL parsing and vertex merging (the wheel itself is not in the repo)."""
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


def test_layers_are_the_structures_of_anatomy_yaml(cnt: Content) -> None:
    """One vocabulary: a layer id is a structure id of data/anatomy.yaml and a ``layers=`` link value."""
    assert tuple(s.id for s in cnt.anatomy.structures) == gm.LAYERS
