"""Anatomy geometry: load the cited coordinates and bone meshes, and pose them at a hip angle.

Everything lives in the OpenSim gait2392 pelvis frame (metres; x anterior, y superior, z right;
origin midway between the ASISs). Right-side numbers come from the files; the left side is their
mirror image (z -> -z), which is how the published models are built too.

Two data files (see ``data/geometry``):

* ``model.yaml``: the published path points, joint centre, fascicle sites and the hand-placed,
  ``approximate`` sketches of nerves, vessels and organs. Small, so it goes through the same YAML
  loader and error messages as the content files.
* ``bones.json``: MyoSim meshes, written by ``tools/build_geometry.py``. It is ~80 kB of integers,
  so it is parsed with ``json`` (pure-Python YAML takes half a second) but validated and reported
  the same way.

The functions here are pure and cheap; the ones a page calls per rerun are memoised on
``(geometry object, angle)`` because ``Geometry`` hashes by identity.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from psoas_explorer.content.model import DATA_DIR, ContentError, read_validated, validate

GEOMETRY_DIR = DATA_DIR / "geometry"

LAYERS: tuple[str, ...] = (
    "psoas_major",
    "psoas_minor",
    "iliacus",
    "rectus_femoris",
    "lumbar_plexus",
    "arteries",
    "kidneys_ureters",
)
SIDES: tuple[str, ...] = ("right", "left")
MIN_ANGLE, MAX_ANGLE = -20.0, 90.0  # the range the gait2392 path is trustworthy over (anatomy.md §3.1)

Layer = Literal[
    "psoas_major", "psoas_minor", "iliacus", "rectus_femoris", "lumbar_plexus", "arteries", "kidneys_ureters"
]
Side = Literal["right", "left"]
Float = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Vec3 = Annotated[tuple[Float, Float, Float], Strict(False)]  # YAML/JSON lists become tuples
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Sources = Annotated[tuple[Slug, ...], Strict(False), Field(min_length=1)]
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


class Structure(_Described):
    layer: Layer
    kind: Literal["muscle", "nerve", "artery", "ureter"]
    name: Text
    side: Literal["both", "right", "left", "midline"]
    approximate: bool
    marker_at: Int = Field(ge=0)
    points: Annotated[tuple[Vec3, ...], Strict(False), Field(min_length=2)]
    source: Sources

    @model_validator(mode="after")
    def _marker_inside(self) -> Structure:
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
    structures: Annotated[tuple[Structure, ...], Strict(False)]
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


# --- the loaded geometry -------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Mesh:
    """One bone posed in the pelvis frame (metres). Arrays are read-only because they are cached."""

    id: str
    side: str  # "right", "left" or "midline"
    vertices: np.ndarray
    faces: np.ndarray
    approximate: bool = False


@dataclass(frozen=True, eq=False)
class Geometry:
    """Validated model + meshes. Hashes by identity, so memoised functions can take it as a key."""

    model: GeometryModel
    bones: BonesFile
    _arrays: dict[str, tuple[np.ndarray, np.ndarray]] = field(repr=False)

    @property
    def hip_centre(self) -> np.ndarray:
        return np.array(self.model.hip_joint.centre)

    def path(self, path_id: str) -> MusclePath:
        return next(p for p in self.model.muscle_paths if p.id == path_id)

    def vertebra_origin(self, vertebra: str) -> np.ndarray:
        return np.array(next(v.origin for v in self.model.vertebrae if v.id == vertebra))

    def mesh_arrays(self, mesh_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(vertices in metres in the mesh's own frame, faces); right side for paired bones."""
        return self._arrays[mesh_id]


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _check_links(model: GeometryModel, name: str) -> None:
    """Cross-references pydantic cannot see: ids unique, sources and path points exist."""
    seen: set[str] = set()
    described = [*model.psoas_major.fascicles, *model.landmarks, *model.structures, *model.organs]
    for item in described:
        if item.id in seen:
            raise ContentError(f"{name}, entry '{item.id}', field 'id': the id is used twice.")
        seen.add(item.id)
    sources = {s.id for s in model.sources}
    cited = [("frame", model.frame.source), ("hip_joint", model.hip_joint.source)]
    cited += [(x.id, x.source) for x in (*model.vertebrae, *model.muscle_paths, *model.landmarks)]
    cited += [(x.id, x.source) for x in (*model.structures, *model.organs, *model.disagreements)]
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
    model = validate(name, raw, GeometryModel)
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
    arrays = {}
    for m in bones.meshes:
        verts = np.asarray(m.vertices, dtype=float) * bones.unit_m
        arrays[m.id] = (_readonly(verts), _readonly(np.asarray(m.faces, dtype=np.int32)))
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


# --- poses ----------------------------------------------------------------------------

MIRROR = np.array([1.0, 1.0, -1.0])


def rot_z(theta_deg: float) -> np.ndarray:
    """Rotation about +z; positive hip flexion swings the femur forward (x) and up (y)."""
    t = math.radians(theta_deg)
    c, s = math.cos(t), math.sin(t)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def femur_transform(geom: Geometry, theta_deg: float, side: Side = "right") -> tuple[np.ndarray, np.ndarray]:
    """(R, t) with p_pelvis = R @ p_femur + t, for a right-frame femur point on ``side``.

    gait2392's hip is a CustomJoint whose flexion axis is +z with no offset, so flexion is a plain
    rotation about +z through the hip centre. Mirroring z commutes with that rotation, so the left
    femur is the mirrored right one at the same angle.
    """
    r = rot_z(theta_deg)
    t = geom.hip_centre
    if side == "left":
        m = np.diag(MIRROR)
        return m @ r @ m, t * MIRROR
    return r, t.copy()


def to_pelvis(geom: Geometry, points: np.ndarray, frame: str, theta_deg: float, side: Side) -> np.ndarray:
    """Right-side points in ``frame`` -> pelvis-frame points on ``side`` at hip flexion ``theta_deg``."""
    p = np.asarray(points, dtype=float)
    if frame == "femur":
        r, t = femur_transform(geom, theta_deg, "right")
        p = p @ r.T + t
    return p * MIRROR if side == "left" else p


def muscle_path(geom: Geometry, path_id: str, theta_deg: float, side: Side = "right") -> np.ndarray:
    """A model path's active points at this angle, in the pelvis frame, shape (n, 3)."""
    pts = [
        to_pelvis(geom, np.array(p.at), p.frame, theta_deg, side)
        for p in geom.path(path_id).points
        if p.active(theta_deg)
    ]
    return np.array(pts)


def path_length(points: np.ndarray) -> float:
    """Sum of straight segments: what OpenSim reports for a path with no wrapping surfaces."""
    return float(np.linalg.norm(np.diff(np.asarray(points), axis=0), axis=1).sum())


def psoas_length_cm(theta_deg: float, geom: Geometry | None = None) -> float:
    """Psoas musculotendon length (cm) of the gait2392 single-line path at this hip flexion.

    Reproduces anatomy.md §3.1 (26.09 cm at 0 deg, 19.59 cm at 90 deg): the path has no wrap
    surfaces, only the conditional P3, so straight segments are exact.
    """
    geom = geom or default_geometry()
    return path_length(muscle_path(geom, geom.model.psoas_major.length_path, theta_deg)) * 100


def length_table(geom: Geometry | None = None, angles: Iterable[float] = range(-20, 91, 5)) -> pd.DataFrame:
    """Psoas length against hip flexion, with the change from standing (0 deg), for charts and tables."""
    geom = geom or default_geometry()
    angles = [float(a) for a in angles]
    lengths = [psoas_length_cm(a, geom) for a in angles]
    standing = psoas_length_cm(0.0, geom)
    return pd.DataFrame(
        {
            "hip_flexion_deg": angles,
            "psoas_length_cm": np.round(lengths, 2),
            "change_cm": np.round(np.array(lengths) - standing, 2),
            "change_pct": np.round((np.array(lengths) / standing - 1) * 100, 1),
        }
    )


@dataclass(frozen=True, eq=False)
class PsoasPath:
    """One side's psoas at one angle: the model line, the fascicles and the shared distal tendon."""

    side: str
    line: np.ndarray  # gait2392 P1..P5 (P3 only while active); used for the length
    fascicles: dict[str, np.ndarray]  # fascicle id -> origin, join point, ..., insertion
    tendon: np.ndarray  # join point (P2) .. insertion, shared by all fascicles


def fascicle_origin(geom: Geometry, fascicle_id: str, side: Side = "right") -> np.ndarray:
    """Christophy site = vertebra body origin + local offset (no rotations in that model version)."""
    f = next(f for f in geom.model.psoas_major.fascicles if f.id == fascicle_id)
    p = geom.vertebra_origin(f.vertebra) + np.array(f.local)
    return p * MIRROR if side == "left" else p


@functools.lru_cache(maxsize=512)
def psoas_path(geom: Geometry, theta_deg: float, side: Side = "right") -> PsoasPath:
    """Psoas geometry at ``theta_deg``: 11 fascicles running into the gait2392 path at P2."""
    pm = geom.model.psoas_major
    path = geom.path(pm.length_path)
    active = [p for p in path.points if p.active(theta_deg)]
    line = np.array([to_pelvis(geom, np.array(p.at), p.frame, theta_deg, side) for p in active])
    join = next(i for i, p in enumerate(active) if p.id == pm.fascicles_join_at)
    tendon = _readonly(line[join:].copy())
    fascicles = {f.id: _readonly(np.vstack([fascicle_origin(geom, f.id, side), tendon])) for f in pm.fascicles}
    return PsoasPath(side=side, line=_readonly(line), fascicles=fascicles, tendon=tendon)


def landmark_position(geom: Geometry, landmark_id: str, theta_deg: float, side: Side = "right") -> np.ndarray:
    """Where a fascicle origin or a named landmark sits at this angle (pelvis frame)."""
    if any(f.id == landmark_id for f in geom.model.psoas_major.fascicles):
        return fascicle_origin(geom, landmark_id, side)
    lm = next(x for x in geom.model.landmarks if x.id == landmark_id)
    if lm.path_point:
        path_id, point_id = lm.path_point.split("/")
        pp = geom.path(path_id).point(point_id)
        return to_pelvis(geom, np.array(pp.at), pp.frame, theta_deg, side)
    return to_pelvis(geom, np.array(lm.at), lm.frame, theta_deg, side)


def landmark_positions(geom: Geometry, theta_deg: float) -> dict[str, dict[str, np.ndarray]]:
    """Every point landmark (fascicle origins first) on both sides at this angle."""
    ids = [f.id for f in geom.model.psoas_major.fascicles] + [lm.id for lm in geom.model.landmarks]
    return {i: {s: landmark_position(geom, i, theta_deg, s) for s in SIDES} for i in ids}


def structure_points(geom: Geometry, structure_id: str) -> list[tuple[str, np.ndarray]]:
    """(side, points) for a hand-placed path; ``both`` gives the right one and its mirror."""
    s = next(x for x in geom.model.structures if x.id == structure_id)
    pts = np.array(s.points)
    if s.side == "both":
        return [("right", pts), ("left", pts * MIRROR)]
    return [(s.side, pts)]


def organ_matrix(organ: Organ) -> np.ndarray:
    """3x3 matrix A with surface = centre + A @ unit_sphere (rotate x, then y, then z)."""
    rx, ry, rz = (math.radians(a) for a in organ.rotation_deg)
    cx, sx, cy, sy = math.cos(rx), math.sin(rx), math.cos(ry), math.sin(ry)
    rot_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    return rot_z(math.degrees(rz)) @ rot_y @ rot_x @ np.diag(organ.semi_axes)


@functools.lru_cache(maxsize=32)
def bone_meshes(geom: Geometry, theta_deg: float) -> tuple[Mesh, ...]:
    """All bones posed at this hip angle: midline bones as stored, paired bones mirrored for the left."""
    out = []
    for m in geom.bones.meshes:
        verts, faces = geom.mesh_arrays(m.id)
        paired = m.id.endswith("_r")
        base = m.id[:-2] if paired else m.id
        for side in SIDES if paired else ("midline",):
            v = to_pelvis(geom, verts, m.frame, theta_deg, "left" if side == "left" else "right")
            f = faces[:, [0, 2, 1]] if side == "left" else faces  # mirroring flips the winding
            out.append(Mesh(f"{base}_{side[0]}" if paired else base, side, _readonly(v), _readonly(f), m.approximate))
    return tuple(out)


# --- 2D outlines ------------------------------------------------------------------------

VIEW_AXES = {"front": ((2, -1.0), (1, 1.0)), "side": ((0, 1.0), (1, 1.0))}


def project(points: np.ndarray, view: str) -> np.ndarray:
    """3D pelvis-frame points -> 2D drawing coordinates.

    front: looking at the patient from in front, so the patient's right (+z) is on the viewer's
    left (horizontal = -z). side: seen from the patient's right, anterior (+x) to the right.
    """
    (hi, hs), (vi, vs) = VIEW_AXES[view]
    p = np.asarray(points, dtype=float)
    return np.stack([p[..., hi] * hs, p[..., vi] * vs], axis=-1)


def outline(points2d: np.ndarray, faces: np.ndarray, pixel: float = 0.001) -> list[np.ndarray]:
    """Silhouette of a projected triangle mesh as closed polygons (outer rings and holes).

    Rasterises the triangles at ``pixel`` resolution, traces the 0.5 level with marching squares and
    simplifies (Douglas-Peucker, half a pixel). This avoids a polygon-union dependency; a 1 mm
    pixel is far below what the diagram shows.
    """
    tri = np.asarray(points2d)[faces]
    lo = tri.reshape(-1, 2).min(0) - 2 * pixel
    hi = tri.reshape(-1, 2).max(0) + 2 * pixel
    w, h = (np.ceil((hi - lo) / pixel).astype(int)) + 1
    mask = _rasterise((tri - lo) / pixel - 0.5, h, w)  # pixel (r, c) centre at grid point (c, r)
    rings = _marching_squares(mask)
    return [_simplify(r, 0.5) * pixel + lo + 0.5 * pixel for r in rings if len(r) >= 4]


def _rasterise(g: np.ndarray, h: int, w: int) -> np.ndarray:
    """Fill triangles (grid coordinates) into an h x w mask, vectorised by scanline spans."""
    ys = g[:, :, 1]
    r0 = np.clip(np.ceil(ys.min(1) - 1e-9), 0, h - 1).astype(int)
    r1 = np.clip(np.floor(ys.max(1) + 1e-9), 0, h - 1).astype(int)
    counts = np.maximum(r1 - r0 + 1, 0)
    tri_of = np.repeat(np.arange(len(g)), counts)
    rows = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(r0, counts)
    t = g[tri_of]  # (k, 3, 2): one entry per (triangle, row)
    p, q = t, t[:, [1, 2, 0]]
    y = rows[:, None].astype(float)
    dy = q[:, :, 1] - p[:, :, 1]
    crosses = (np.minimum(p[:, :, 1], q[:, :, 1]) <= y + 1e-9) & (np.maximum(p[:, :, 1], q[:, :, 1]) >= y - 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(dy != 0, p[:, :, 0] + (y - p[:, :, 1]) * (q[:, :, 0] - p[:, :, 0]) / dy, np.nan)
    flat = crosses & (dy == 0)  # a horizontal edge lying on the row counts with both ends
    xs = np.concatenate(
        [
            np.where(crosses & ~flat, x, np.nan),
            np.where(flat, p[:, :, 0], np.nan),
            np.where(flat, q[:, :, 0], np.nan),
        ],
        axis=1,
    )
    ok = ~np.all(np.isnan(xs), axis=1)
    c0 = np.clip(np.ceil(np.nanmin(xs[ok], axis=1) - 1e-9), 0, w).astype(int)
    c1 = np.clip(np.floor(np.nanmax(xs[ok], axis=1) + 1e-9) + 1, 0, w).astype(int)
    rows, span = rows[ok], c1 > c0
    diff = np.zeros((h, w + 1), dtype=np.int32)
    np.add.at(diff, (rows[span], c0[span]), 1)
    np.add.at(diff, (rows[span], c1[span]), -1)
    mask = np.cumsum(diff[:, :w], axis=1) > 0
    centre = np.rint(g.mean(1)).astype(int)  # triangles thinner than a pixel stay visible
    mask[np.clip(centre[:, 1], 0, h - 1), np.clip(centre[:, 0], 0, w - 1)] = True
    return mask


# Marching squares, oriented so the filled side is on the left (outer rings counter-clockwise).
# Corners: a=(r,c) b=(r,c+1) c=(r+1,c+1) d=(r+1,c); edges B(ottom) R(ight) T(op) L(eft).
_SEGMENTS = {
    1: [("B", "L")],
    2: [("R", "B")],
    3: [("R", "L")],
    4: [("T", "R")],
    5: [("B", "L"), ("T", "R")],
    6: [("T", "B")],
    7: [("T", "L")],
    8: [("L", "T")],
    9: [("B", "T")],
    10: [("R", "B"), ("L", "T")],
    11: [("R", "T")],
    12: [("L", "R")],
    13: [("B", "R")],
    14: [("L", "B")],
}


def _edge_key(r: int, c: int, e: str) -> tuple[int, int, int]:
    """Global id of a cell edge: (kind 0 = horizontal / 1 = vertical, row, col)."""
    return {"B": (0, r, c), "T": (0, r + 1, c), "L": (1, r, c), "R": (1, r, c + 1)}[e]


def _edge_xy(key: tuple[int, int, int]) -> tuple[float, float]:
    kind, r, c = key
    return (c + 0.5, float(r)) if kind == 0 else (float(c), r + 0.5)


def _marching_squares(mask: np.ndarray) -> list[np.ndarray]:
    m = mask.astype(np.uint8)
    code = m[:-1, :-1] | (m[:-1, 1:] << 1) | (m[1:, 1:] << 2) | (m[1:, :-1] << 3)
    nxt: dict[tuple[int, int, int], tuple[int, int, int]] = {}
    for r, c in zip(*np.nonzero((code > 0) & (code < 15)), strict=True):
        for a, b in _SEGMENTS[int(code[r, c])]:
            nxt[_edge_key(int(r), int(c), a)] = _edge_key(int(r), int(c), b)
    rings = []
    while nxt:
        start, ring = next(iter(nxt)), []
        key = start
        while key in nxt:
            ring.append(_edge_xy(key))
            key = nxt.pop(key)
        rings.append(np.array(ring))
    return rings


def _simplify(ring: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker on a closed ring (split at the point farthest from the first)."""
    far = int(np.argmax(((ring - ring[0]) ** 2).sum(1)))
    a = _dp(ring[: far + 1], tol)
    b = _dp(np.vstack([ring[far:], ring[:1]]), tol)
    return np.vstack([a[:-1], b])


def _dp(pts: np.ndarray, tol: float) -> np.ndarray:
    keep = np.zeros(len(pts), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        seg = pts[j] - pts[i]
        rel = pts[i + 1 : j] - pts[i]
        n = math.hypot(*seg)
        d = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / n if n > 0 else np.hypot(rel[:, 0], rel[:, 1])
        k = int(np.argmax(d))
        if d[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return pts[keep]


def ellipse_outline(organ: Organ, view: str, n: int = 48) -> np.ndarray:
    """Outline of an ellipsoid organ in a 2D view: the image of a unit circle under the projected matrix."""
    a = organ_matrix(organ)
    (hi, hs), (vi, vs) = VIEW_AXES[view]
    p = np.array([a[hi] * hs, a[vi] * vs])  # 2x3 projected matrix
    u, s, _ = np.linalg.svd(p @ p.T)
    radii = np.sqrt(s)
    t = np.linspace(0, 2 * np.pi, n + 1)
    circle = np.stack([np.cos(t) * radii[0], np.sin(t) * radii[1]])
    return (u @ circle).T + project(np.array(organ.centre), view)


def ellipsoid_mesh(organ: Organ, n_lat: int = 10, n_lon: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """A light triangle mesh of an organ for the 3D view."""
    lat = np.linspace(-np.pi / 2, np.pi / 2, n_lat + 1)[1:-1]
    lon = np.linspace(0, 2 * np.pi, n_lon, endpoint=False)
    ring = np.array([[np.cos(la) * np.cos(lo), np.sin(la), np.cos(la) * np.sin(lo)] for la in lat for lo in lon])
    unit = np.vstack([[0, -1, 0], ring, [0, 1, 0]])
    verts = unit @ organ_matrix(organ).T + np.array(organ.centre)
    faces = []
    for i in range(n_lon):
        j = (i + 1) % n_lon
        faces.append((0, 1 + j, 1 + i))
        top = 1 + (n_lat - 2) * n_lon
        faces.append((len(unit) - 1, top + i, top + j))
        for k in range(n_lat - 2):
            a, b = 1 + k * n_lon, 1 + (k + 1) * n_lon
            faces += [(a + i, a + j, b + i), (a + j, b + j, b + i)]
    return verts, np.array(faces)


# --- cutting the femur short -------------------------------------------------------------


def clip_mesh_y(vertices: np.ndarray, faces: np.ndarray, y_cut: float) -> tuple[np.ndarray, np.ndarray]:
    """Keep the part of a mesh with y >= y_cut, splitting triangles that straddle the cut.

    Used on the femur (in its own frame) so the diagram can stop at mid-thigh with a clean end
    instead of the whole 43 cm bone, which would shrink the psoas to a third of the picture.
    """
    v = [tuple(p) for p in np.asarray(vertices, dtype=float)]
    out_faces: list[tuple[int, int, int]] = []
    cut_ids: dict[tuple[int, int], int] = {}

    def cut(i: int, j: int) -> int:
        key = (min(i, j), max(i, j))
        if key not in cut_ids:
            a, b = np.array(v[key[0]]), np.array(v[key[1]])
            t = (y_cut - a[1]) / (b[1] - a[1])
            v.append(tuple(a + t * (b - a)))
            cut_ids[key] = len(v) - 1
        return cut_ids[key]

    ys = np.asarray(vertices)[:, 1]
    for f in np.asarray(faces):
        above = [ys[i] >= y_cut for i in f]
        if all(above):
            out_faces.append(tuple(int(i) for i in f))
            continue
        if not any(above):
            continue
        poly: list[int] = []  # Sutherland-Hodgman against one plane keeps the winding
        for k in range(3):
            i, j = int(f[k]), int(f[(k + 1) % 3])
            if above[k]:
                poly.append(i)
            if above[k] != above[(k + 1) % 3]:
                poly.append(cut(i, j))
        out_faces += [(poly[0], poly[m], poly[m + 1]) for m in range(1, len(poly) - 1)]
    used = sorted({i for f in out_faces for i in f})
    remap = {old: new for new, old in enumerate(used)}
    verts = np.array([v[i] for i in used])
    return verts, np.array([[remap[i] for i in f] for f in out_faces], dtype=np.int32)


def clip_polyline_to_femur(
    geom: Geometry, points: np.ndarray, theta_deg: float, side: Side, y_cut: float
) -> tuple[np.ndarray, bool]:
    """Cut a pelvis-frame polyline where it passes the femur's cut level; True if it was cut."""
    r, t = femur_transform(geom, theta_deg, side)
    yf = ((np.asarray(points) - t) @ r)[:, 1]  # femur-frame y of each point
    for k in range(1, len(points)):
        if yf[k] < y_cut <= yf[k - 1]:
            s = (yf[k - 1] - y_cut) / (yf[k - 1] - yf[k])
            end = points[k - 1] + s * (points[k] - points[k - 1])
            return np.vstack([points[:k], end]), True
    return np.asarray(points), False


def point_triangle_distance(p: np.ndarray, tris: np.ndarray) -> float:
    """Smallest distance from p to a triangle soup (faces, edges, corners): do attachments sit on bone?"""
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    ab, ac, ap = b - a, c - a, p - a
    n = np.cross(ab, ac)
    nn = np.maximum((n * n).sum(1), 1e-30)
    wb = (np.cross(ap, ac) * n).sum(1) / nn
    wc = (np.cross(ab, ap) * n).sum(1) / nn
    inside = (wb >= 0) & (wc >= 0) & (wb + wc <= 1)
    plane = np.abs((ap * n).sum(1)) / np.sqrt(nn)

    def seg(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        d = v - u
        t = np.clip(((p - u) * d).sum(1) / np.maximum((d * d).sum(1), 1e-30), 0, 1)
        return np.linalg.norm(p - (u + t[:, None] * d), axis=1)

    edge = np.minimum(np.minimum(seg(a, b), seg(b, c)), seg(c, a))
    return float(np.where(inside, plane, edge).min())
