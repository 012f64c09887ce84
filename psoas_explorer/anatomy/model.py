"""The geometry data: the schema of ``data/geometry`` (model.yaml, bones.json), its loader and the layer ids.

Everything lives in the OpenSim gait2392 pelvis frame (metres; x anterior, y superior, z right;
origin midway between the ASISs). Right-side numbers come from the files; the left side is their
mirror image (z -> -z), which is how the published models are built too (see ``kinematics``).

* ``model.yaml``: the published path points, joint centre, fascicle sites and the hand-placed,
  ``approximate`` sketches of nerves, vessels and organs. Small, so it goes through the same YAML
  loader and error messages as the content files.
* ``bones.json``: MyoSim meshes, written by ``tools/build_geometry.py``. It is ~80 kB of integers,
  so it is parsed with ``json`` (pure-Python YAML takes half a second) but validated and reported
  the same way.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, TypeVar, get_args

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from psoas_explorer.content.model import ContentError, Slug, Text, read_validated, validate
from psoas_explorer.i18n import DEFAULT, Lang
from psoas_explorer.settings import DEFAULT_DATA_DIR

GEOMETRY_DIR = DEFAULT_DATA_DIR / "geometry"

# The diagram's layers; the ids are the structure ids of data/anatomy.yaml and the values of the ``layers=`` link.
Layer = Literal[
    "psoas_major", "psoas_minor", "iliacus", "rectus_femoris", "lumbar_plexus", "arteries", "kidneys_ureters"
]
LAYERS: tuple[str, ...] = get_args(Layer)
Side = Literal["right", "left"]
SIDES: tuple[Side, ...] = get_args(Side)
Float = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Vec3 = Annotated[tuple[Float, Float, Float], Strict(False)]  # YAML/JSON lists become tuples
Sources = Annotated[tuple[Slug, ...], Strict(False), Field(min_length=1)]
# Array types of the whole anatomy package: float64 so numpy's stubs type the arithmetic precisely.
FloatArray = npt.NDArray[np.float64]  # points (n, 3) or (n, 2), vectors and matrices
IndexArray = npt.NDArray[np.integer[Any]]  # triangle faces, (n, 3) vertex indices (int32 or int64)
_Array = TypeVar("_Array", bound=npt.NDArray[Any])
VertebraId = Literal["lumbar1", "lumbar2", "lumbar3", "lumbar4", "lumbar5"]


class _Model(BaseModel):
    """Strict and frozen: geometry is cached and shared between sessions, and a typo must not coerce."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


# --- model.yaml ----------------------------------------------------------------------


class Source(_Model):
    id: Slug
    citation: Text
    licence: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None


class FrameInfo(_Model):
    name: Text
    units: Literal["m"]
    axes: Text
    left_side: Text
    source: Sources


class HipJoint(_Model):
    centre: Vec3
    flexion_axis: Vec3
    note: Text
    source: Sources


class Vertebra(_Model):
    id: VertebraId
    level: Literal["L1", "L2", "L3", "L4", "L5"]
    origin: Vec3
    source: Sources


class PathPoint(_Model):
    id: Annotated[str, StringConstraints(pattern=r"^P\d$")]
    frame: Literal["pelvis", "femur"]
    at: Vec3
    active_flexion_deg: Annotated[tuple[Float, Float], Strict(False)] | None = None
    note: Text | None = None

    def active(self, theta: float) -> bool:
        """gait2392 conditional path points only count inside their hip-flexion range."""
        if self.active_flexion_deg is None:
            return True
        lo, hi = self.active_flexion_deg
        return lo <= theta <= hi


class MusclePath(_Model):
    id: Slug
    layer: Layer
    name: Text
    source: Sources
    plain: Text
    technical: Text
    note: Text | None = None
    points: Annotated[tuple[PathPoint, ...], Strict(False), Field(min_length=2)]

    def point(self, point_id: str) -> PathPoint:
        return next(p for p in self.points if p.id == point_id)


class _Described(_Model):
    """Anything the diagram can hover or select: an id and two wordings (patient and clinician)."""

    id: Slug
    plain: Text
    technical: Text


class Fascicle(_Described):
    site: Text
    vertebra: VertebraId
    level: Annotated[str, StringConstraints(pattern=r"^L[1-5](/L[1-5])?$")]
    part: Literal["body", "disc", "transverse_process"]
    local: Vec3
    label: Text


class PsoasMajor(_Model):
    length_path: Slug
    fascicles_join_at: Annotated[str, StringConstraints(pattern=r"^P\d$")]
    fascicles: Annotated[tuple[Fascicle, ...], Strict(False), Field(min_length=1)]


class Landmark(_Described):
    layer: Layer
    name: Text
    label: Text
    frame: Literal["pelvis", "femur"]
    at: Vec3 | None = None
    path_point: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+/P\d$")] | None = None
    approximate: bool = False
    source: Sources

    @model_validator(mode="after")
    def _one_position(self) -> Landmark:
        if (self.at is None) == (self.path_point is None):
            raise ValueError("give exactly one of 'at' or 'path_point'")
        return self


class ModelStructure(_Described):
    """A hand-placed path (nerve, vessel, ureter, small muscle); not content's ``Structure``, which holds the words."""

    layer: Layer
    kind: Literal["muscle", "nerve", "artery", "ureter"]
    name: Text
    side: Literal["both", "right", "left", "midline"]
    approximate: bool
    marker_at: Int = Field(ge=0)
    points: Annotated[tuple[Vec3, ...], Strict(False), Field(min_length=2)]
    source: Sources

    @model_validator(mode="after")
    def _marker_inside(self) -> ModelStructure:
        if self.marker_at >= len(self.points):
            raise ValueError(f"marker_at {self.marker_at} is past the last point")
        return self


class Organ(_Described):
    layer: Layer
    name: Text
    side: Literal["right", "left"]
    approximate: bool
    centre: Vec3
    semi_axes: Vec3
    rotation_deg: Vec3
    source: Sources


class Disagreement(_Model):
    id: Slug
    text: Text
    source: Sources


class GeometryModel(_Model):
    frame: FrameInfo
    sources: Annotated[tuple[Source, ...], Strict(False)]
    hip_joint: HipJoint
    vertebrae: Annotated[tuple[Vertebra, ...], Strict(False)]
    muscle_paths: Annotated[tuple[MusclePath, ...], Strict(False)]
    psoas_major: PsoasMajor
    landmarks: Annotated[tuple[Landmark, ...], Strict(False)]
    structures: Annotated[tuple[ModelStructure, ...], Strict(False)]
    organs: Annotated[tuple[Organ, ...], Strict(False)]
    disagreements: Annotated[tuple[Disagreement, ...], Strict(False)]


# --- bones.json ----------------------------------------------------------------------


class BoneMesh(_Model):
    id: Slug
    frame: Literal["pelvis", "femur"]
    approximate: bool
    vertices: Annotated[tuple[Annotated[tuple[Int, Int, Int], Strict(False)], ...], Strict(False)]
    faces: Annotated[tuple[Annotated[tuple[Int, Int, Int], Strict(False)], ...], Strict(False)]

    @model_validator(mode="after")
    def _faces_in_range(self) -> BoneMesh:
        n = len(self.vertices)
        if any(i < 0 or i >= n for f in self.faces for i in f):
            raise ValueError(f"a face refers to a vertex outside 0..{n - 1}")
        return self


class BonesFile(_Model):
    format: Literal["psoas-explorer bones v1"]
    units: Text
    unit_m: Float = Field(gt=0)
    frame: Text
    source: Text
    pelvis_fit: dict[str, object]
    meshes: Annotated[tuple[BoneMesh, ...], Strict(False), Field(min_length=1)]


@dataclass(frozen=True, eq=False)
class Geometry:
    """Validated model + meshes. Hashes by identity, so memoised functions can take it as a key.

    ``lang``: the language of the model's words (names, plain and technical texts); a geometry in another language
    (anatomy/words.py) shares the meshes and numbers, and the figures drawn from it speak that language throughout.
    """

    model: GeometryModel
    bones: BonesFile
    _arrays: dict[str, tuple[FloatArray, IndexArray]] = field(repr=False)
    lang: Lang = DEFAULT

    @property
    def hip_centre(self) -> FloatArray:
        return np.array(self.model.hip_joint.centre)

    def path(self, path_id: str) -> MusclePath:
        return next(p for p in self.model.muscle_paths if p.id == path_id)

    def vertebra_origin(self, vertebra: str) -> FloatArray:
        return np.array(next(v.origin for v in self.model.vertebrae if v.id == vertebra))

    def mesh_arrays(self, mesh_id: str) -> tuple[FloatArray, IndexArray]:
        """(vertices in metres in the mesh's own frame, faces); right side for paired bones."""
        return self._arrays[mesh_id]


def readonly(a: _Array) -> _Array:
    """Cached arrays are shared by every session, so a write must fail instead of leaking between them."""
    a.flags.writeable = False
    return a


class _Cites(Protocol):
    """An entry with an id and the sources it cites (several schema classes, checked alike)."""

    @property
    def id(self) -> str: ...

    @property
    def source(self) -> tuple[str, ...]: ...


def _check_links(model: GeometryModel, name: str) -> None:
    """Cross-references pydantic cannot see: ids unique, sources and path points exist."""
    seen: set[str] = set()
    described = [*model.psoas_major.fascicles, *model.landmarks, *model.structures, *model.organs]
    for item in described:
        if item.id in seen:
            raise ContentError(f"{name}, entry '{item.id}', field 'id': the id is used twice.")
        seen.add(item.id)
    sources = {s.id for s in model.sources}
    citing: list[_Cites] = [*model.vertebrae, *model.muscle_paths, *model.landmarks]
    citing += [*model.structures, *model.organs, *model.disagreements]
    cited = [("frame", model.frame.source), ("hip_joint", model.hip_joint.source)]
    cited += [(x.id, x.source) for x in citing]
    for entry, refs in cited:
        for ref in refs:
            if ref not in sources:
                raise ContentError(f"{name}, entry '{entry}', field 'source': unknown source '{ref}'.")
    paths = {p.id: {q.id for q in p.points} for p in model.muscle_paths}
    pm = model.psoas_major
    if pm.length_path not in paths or pm.fascicles_join_at not in paths[pm.length_path]:
        raise ContentError(f"{name}, entry 'psoas_major', field 'length_path': unknown path or join point.")
    vertebrae = {v.id for v in model.vertebrae}
    for f in pm.fascicles:
        if f.vertebra not in vertebrae:
            raise ContentError(f"{name}, entry '{f.id}', field 'vertebra': '{f.vertebra}' is not in 'vertebrae'.")
    for lm in model.landmarks:
        if lm.path_point:
            path_id, point_id = lm.path_point.split("/")
            if point_id not in paths.get(path_id, set()):
                raise ContentError(f"{name}, entry '{lm.id}', field 'path_point': unknown point '{lm.path_point}'.")


def parse_model(raw: Any, name: str = "model.yaml") -> GeometryModel:
    """Validate already-parsed model.yaml data (schema, then cross-references)."""
    model: GeometryModel = validate(name, raw, GeometryModel)
    _check_links(model, name)
    return model


def load_geometry(data_dir: Path = GEOMETRY_DIR) -> Geometry:
    """Read and validate model.yaml and bones.json; raise ContentError naming file, entry and field."""
    data_dir = Path(data_dir)
    model = parse_model(read_validated(data_dir / "model.yaml", Any))  # content loader: YAML and file errors
    bones_path = data_dir / "bones.json"
    if not bones_path.is_file():
        raise ContentError(f"bones.json: file is missing (expected at {bones_path}).")
    try:
        raw = json.loads(bones_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ContentError(f"bones.json: not valid JSON ({exc}).") from None
    bones = validate("bones.json", raw, BonesFile)
    arrays: dict[str, tuple[FloatArray, IndexArray]] = {}
    for m in bones.meshes:
        verts = np.asarray(m.vertices, dtype=np.float64) * bones.unit_m
        arrays[m.id] = (readonly(verts), readonly(np.asarray(m.faces, dtype=np.int32)))
    for needed in ("pelvis_r", "sacrum", "femur_r", *vertebrae_ids(model)):
        if needed not in arrays:
            raise ContentError(f"bones.json, entry '{needed}', field 'id': mesh is missing.")
    return Geometry(model=model, bones=bones, _arrays=arrays)


def vertebrae_ids(model: GeometryModel) -> tuple[str, ...]:
    return tuple(v.id for v in model.vertebrae)


@functools.cache
def default_geometry() -> Geometry:
    """The app's geometry, loaded once per process (the data files never change while it runs)."""
    return load_geometry()
