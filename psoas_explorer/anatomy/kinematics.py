"""Posing the model at a hip angle: the femur's rotation, the psoas path and its length, landmarks and bones.

Everything is in the pelvis frame (metres, see ``model``); the left side is the mirrored right
(z -> -z). The functions are pure and cheap; the ones a page calls per rerun are memoised on
``(geometry object, angle)`` because ``Geometry`` hashes by identity.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from psoas_explorer.anatomy.model import SIDES, FloatArray, Geometry, IndexArray, Side, default_geometry, readonly

MIN_ANGLE, MAX_ANGLE = -20.0, 90.0  # the range the gait2392 path is trustworthy over (anatomy.md §3.1)
MIRROR: FloatArray = np.array([1.0, 1.0, -1.0])


def rot_z(theta_deg: float) -> FloatArray:
    """Rotation about +z; positive hip flexion swings the femur forward (x) and up (y)."""
    t = math.radians(theta_deg)
    c, s = math.cos(t), math.sin(t)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def femur_transform(geom: Geometry, theta_deg: float, side: Side = "right") -> tuple[FloatArray, FloatArray]:
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


def to_pelvis(geom: Geometry, points: FloatArray, frame: str, theta_deg: float, side: Side) -> FloatArray:
    """Right-side points in ``frame`` -> pelvis-frame points on ``side`` at hip flexion ``theta_deg``."""
    p = np.asarray(points, dtype=np.float64)
    if frame == "femur":
        r, t = femur_transform(geom, theta_deg, "right")
        p = p @ r.T + t
    return p * MIRROR if side == "left" else p


def muscle_path(geom: Geometry, path_id: str, theta_deg: float, side: Side = "right") -> FloatArray:
    """A model path's active points at this angle, in the pelvis frame, shape (n, 3)."""
    pts = [
        to_pelvis(geom, np.array(p.at), p.frame, theta_deg, side)
        for p in geom.path(path_id).points
        if p.active(theta_deg)
    ]
    return np.array(pts)


def path_length(points: FloatArray) -> float:
    """Sum of straight segments: what OpenSim reports for a path with no wrapping surfaces."""
    return float(np.linalg.norm(np.diff(np.asarray(points), axis=0), axis=1).sum())


def psoas_length_cm(theta_deg: float, geom: Geometry | None = None) -> float:
    """Psoas musculotendon length (cm) of the gait2392 single-line path at this hip flexion.

    Reproduces anatomy.md §3.1 (26.09 cm at 0 deg, 19.59 cm at 90 deg): the path has no wrap
    surfaces, only the conditional P3, so straight segments are exact.
    """
    geom = geom or default_geometry()
    return path_length(muscle_path(geom, geom.model.psoas_major.length_path, theta_deg)) * 100


@dataclass(frozen=True, eq=False)
class PsoasPath:
    """One side's psoas at one angle: the model line, the fascicles and the shared distal tendon."""

    side: str
    line: FloatArray  # gait2392 P1..P5 (P3 only while active); used for the length
    fascicles: dict[str, FloatArray]  # fascicle id -> origin, join point, ..., insertion
    tendon: FloatArray  # join point (P2) .. insertion, shared by all fascicles


def fascicle_origin(geom: Geometry, fascicle_id: str, side: Side = "right") -> FloatArray:
    """Christophy site = vertebra body origin + local offset (no rotations in that model version)."""
    f = next(f for f in geom.model.psoas_major.fascicles if f.id == fascicle_id)
    p = geom.vertebra_origin(f.vertebra) + np.array(f.local, dtype=np.float64)  # a float64 sum either way
    return p * MIRROR if side == "left" else p


@functools.lru_cache(maxsize=512)
def psoas_path(geom: Geometry, theta_deg: float, side: Side = "right") -> PsoasPath:
    """Psoas geometry at ``theta_deg``: 11 fascicles running into the gait2392 path at P2."""
    pm = geom.model.psoas_major
    path = geom.path(pm.length_path)
    active = [p for p in path.points if p.active(theta_deg)]
    line = np.array([to_pelvis(geom, np.array(p.at), p.frame, theta_deg, side) for p in active])
    join = next(i for i, p in enumerate(active) if p.id == pm.fascicles_join_at)
    tendon = readonly(line[join:].copy())
    fascicles = {f.id: readonly(np.vstack([fascicle_origin(geom, f.id, side), tendon])) for f in pm.fascicles}
    return PsoasPath(side=side, line=readonly(line), fascicles=fascicles, tendon=tendon)


def landmark_position(geom: Geometry, landmark_id: str, theta_deg: float, side: Side = "right") -> FloatArray:
    """Where a fascicle origin or a named landmark sits at this angle (pelvis frame)."""
    if any(f.id == landmark_id for f in geom.model.psoas_major.fascicles):
        return fascicle_origin(geom, landmark_id, side)
    lm = next(x for x in geom.model.landmarks if x.id == landmark_id)
    if lm.path_point:
        path_id, point_id = lm.path_point.split("/")
        pp = geom.path(path_id).point(point_id)
        return to_pelvis(geom, np.array(pp.at), pp.frame, theta_deg, side)
    return to_pelvis(geom, np.array(lm.at), lm.frame, theta_deg, side)


def structure_points(geom: Geometry, structure_id: str) -> list[tuple[str, FloatArray]]:
    """(side, points) for a hand-placed path; ``both`` gives the right one and its mirror."""
    s = next(x for x in geom.model.structures if x.id == structure_id)
    pts = np.array(s.points)
    if s.side == "both":
        return [("right", pts), ("left", pts * MIRROR)]
    return [(s.side, pts)]


@dataclass(frozen=True, eq=False)
class Mesh:
    """One bone posed in the pelvis frame (metres). Arrays are read-only because they are cached."""

    id: str
    side: str  # "right", "left" or "midline"
    vertices: FloatArray
    faces: IndexArray
    approximate: bool = False


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
            out.append(Mesh(f"{base}_{side[0]}" if paired else base, side, readonly(v), readonly(f), m.approximate))
    return tuple(out)


def clip_polyline_to_femur(
    geom: Geometry, points: FloatArray, theta_deg: float, side: Side, y_cut: float
) -> tuple[FloatArray, bool]:
    """Cut a pelvis-frame polyline where it passes the femur's cut level; True if it was cut."""
    r, t = femur_transform(geom, theta_deg, side)
    yf = ((np.asarray(points) - t) @ r)[:, 1]  # femur-frame y of each point
    for k in range(1, len(points)):
        if yf[k] < y_cut <= yf[k - 1]:
            s = (yf[k - 1] - y_cut) / (yf[k - 1] - yf[k])
            end = points[k - 1] + s * (points[k] - points[k - 1])
            return np.vstack([points[:k], end]), True
    return np.asarray(points), False
