"""A sketch of the body around the bones: trunk and thighs as one outline, with the navel and the groin.

Why: a patient reading the diagram needs to see that the psoas lies deep inside, behind the belly and
in front of the spine; bones alone do not say where the skin is. The outline is a *sketch* of a lean
adult, placed from this model's own bones (pelvis frame, metres; x anterior, y superior, z right):

* Trunk: elliptical cross-sections stacked up the body. The back sits 2-4 cm behind the tips of the
  lumbar spines and 4-5 cm behind the sacrum (buttocks); the belly wall about 3-4 cm in front of the
  ASIS plane at the navel, so the belly is about 20 cm deep there (typical of a lean adult; no open
  model gives skin surfaces, hence ``approximate``). The width is 3-4 cm outside the iliac crests and
  the greater trochanters.
* Thighs: cross-sections in the femur frame, so they follow the hip angle exactly as the thigh bone
  does, and stop where the drawn femur stops (``FEMUR_SHOWN_TO``).
* Navel: on the belly wall at the level of the L3/L4 disc (Gray's Anatomy 1918, surface anatomy of the
  abdomen: "the umbilicus is at the level of the fibrocartilage between the third and fourth lumbar
  vertebrae"). Groin: the inguinal fold, on the skin over the middle of the line from the ASIS to the
  pubic tubercle (Gray's 1918: the inguinal ligament runs between those two points).

The outline of each view is the silhouette of these sections, lofted into a mesh and rasterised like
the bones (``raster.outline``), so trunk and thighs merge at any hip angle without a polygon library.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.model import FloatArray, Geometry, IndexArray, Side
from psoas_explorer.i18n import N_

FEMUR_SHOWN_TO = -0.22  # femur-frame y (m) where the drawing (and so the thigh outline) stops
PIXEL = 0.003  # 3 mm rasterisation (then smoothed): an outline of a whole body needs no finer detail
_RING = 24  # points per cross-section
OUTLINE_POINTS = 180  # every outline ring has this many points, at every hip angle (smooth animation)

# Soft tissue beyond the bones (m): a lean adult, rounded to the centimetre on purpose (a sketch).
BACK_OVER_SPINE = 0.025  # skin behind the tips of the lumbar spinous processes
BELLY_AT_NAVEL = 0.04  # belly wall in front of the ASIS plane (x = 0) at the navel
SIDE_OVER_BONE = 0.035  # flank and hip beyond the iliac crest and the greater trochanter
TOP = 0.32  # where the trunk is cut (m): above the drawing, so the cut never shows


@dataclass(frozen=True)
class SurfaceMark:
    """A landmark on the skin: a place a patient can find on their own body."""

    id: str
    name: str
    plain: str
    technical: str


NAVEL = SurfaceMark(  # the words are translated where shown (figures.py)
    "navel",
    N_("Navel (belly button)"),
    N_("The belly button. The psoas lies deep behind it, on either side of the spine, about a hand's depth in."),
    N_("Umbilicus: at about the level of the L3/L4 disc (Gray's Anatomy 1918, surface anatomy). Outline sketched."),
)
GROIN = SurfaceMark(
    "groin",
    N_("Groin (inguinal fold)"),
    N_("The crease between belly and thigh. The psoas passes under it on its way to the thigh bone."),
    N_(
        "Inguinal fold over the inguinal ligament, from the ASIS to the pubic tubercle; iliopsoas passes beneath it "
        "(Gray's Anatomy 1918). Outline sketched."
    ),
)


@dataclass(frozen=True)
class _Bony:
    """The bone landmarks the sketch is placed from (pelvis frame, right side, metres)."""

    spine_back: float  # x of the tips of the lumbar spinous processes
    sacrum_back: float
    crest_z: float  # half-width of the pelvis at the iliac crests
    trochanter_z: float  # half-width at the greater trochanters, hip straight
    asis: FloatArray
    pubic_tubercle: FloatArray
    ischium_y: float  # lowest point of the pelvis
    navel_y: float  # the L3/L4 disc


@functools.lru_cache(maxsize=4)
def _bony(geom: Geometry) -> _Bony:
    lumbar = np.vstack([geom.mesh_arrays(v.id)[0] for v in geom.model.vertebrae])
    pelvis, _ = geom.mesh_arrays("pelvis_r")
    femur, _ = geom.mesh_arrays("femur_r")
    low_front = pelvis[(pelvis[:, 2] > 0.015) & (pelvis[:, 1] < -0.03)]
    l3 = next(v for v in geom.model.vertebrae if v.level == "L3")  # origin = the joint below L3
    return _Bony(
        spine_back=float(lumbar[:, 0].min()),
        sacrum_back=float(geom.mesh_arrays("sacrum")[0][:, 0].min()),
        crest_z=float(pelvis[:, 2].max()),
        trochanter_z=float(femur[:, 2].max() + geom.hip_centre[2]),
        asis=pelvis[int(np.argmax(pelvis[:, 0]))].copy(),
        pubic_tubercle=low_front[int(np.argmax(low_front[:, 0]))].copy(),
        ischium_y=float(pelvis[:, 1].min()),
        navel_y=float(l3.origin[1]),
    )


def _trunk_sections(b: _Bony) -> list[tuple[float, float, float, float]]:
    """(y, front x, back x, half-width) from the top of the drawing down to the gluteal fold."""
    back = b.spine_back - BACK_OVER_SPINE
    seat = b.sacrum_back - 0.045  # the buttocks
    waist = b.crest_z - 0.005
    hips = b.trochanter_z + SIDE_OVER_BONE
    fold = b.ischium_y - 0.035  # the gluteal fold, just below the sitting bones
    return [
        (TOP, 0.025, back, waist),
        (b.navel_y + 0.06, 0.035, back, waist),
        (b.navel_y, BELLY_AT_NAVEL, back + 0.005, waist + 0.01),
        (0.05, 0.03, back - 0.01, b.crest_z + SIDE_OVER_BONE - 0.01),
        (b.asis[1], b.asis[0] + 0.025, (back + seat) / 2, b.crest_z + SIDE_OVER_BONE),
        (-0.05, 0.015, seat, hips),
        (b.ischium_y + 0.02, 0.0, seat + 0.01, hips - 0.01),
        (fold, -0.03, seat + 0.045, hips - 0.035),
    ]


# Thigh sections in the femur frame (origin = centre of the femoral head): (y, centre x, centre z, a, b),
# semi-axes a (front-back) and b (side to side). About 16 cm deep and 15 cm wide at mid-thigh, centred a
# little behind and inside the shaft (the hamstrings and adductors).
_THIGH = (
    (0.03, -0.02, 0.0, 0.085, 0.08),
    (-0.08, -0.015, 0.005, 0.085, 0.08),
    (FEMUR_SHOWN_TO - 0.005, 0.005, 0.025, 0.075, 0.07),  # just past the bone's cut end
)


def _ring(cx: float, y: float, cz: float, a: float, b: float) -> FloatArray:
    t = np.linspace(0, 2 * np.pi, _RING, endpoint=False)
    return np.stack([cx + a * np.cos(t), np.full_like(t, y), cz + b * np.sin(t)], axis=1)


def _loft(rings: list[FloatArray]) -> tuple[FloatArray, IndexArray]:
    """Tube through the rings, closed at both ends (fans round each end's centre)."""
    n = _RING
    verts = [*rings, np.array([rings[0].mean(0)]), np.array([rings[-1].mean(0)])]
    faces: list[tuple[int, int, int]] = []
    for k in range(len(rings) - 1):
        for i in range(n):
            j = (i + 1) % n
            a, b, c, d = k * n + i, k * n + j, (k + 1) * n + i, (k + 1) * n + j
            faces += [(a, b, c), (b, d, c)]
    top, bottom, last = len(rings) * n, len(rings) * n + 1, (len(rings) - 1) * n
    faces += [(top, (i + 1) % n, i) for i in range(n)]
    faces += [(bottom, last + i, last + (i + 1) % n) for i in range(n)]
    return np.vstack(verts), np.array(faces, dtype=np.int32)


@functools.lru_cache(maxsize=4)
def _trunk_mesh(geom: Geometry) -> tuple[FloatArray, IndexArray]:
    rings = [_ring((f + bk) / 2, y, 0.0, (f - bk) / 2, w) for y, f, bk, w in _trunk_sections(_bony(geom))]
    return _loft(rings)


@functools.lru_cache(maxsize=4)
def _thigh_mesh(geom: Geometry) -> tuple[FloatArray, IndexArray]:
    """Right thigh in the femur frame."""
    return _loft([_ring(cx, y, cz, a, b) for y, cx, cz, a, b in _THIGH])


def _sides(view: str) -> tuple[Side, ...]:
    return ("right",) if view == "side" else ("right", "left")


@functools.lru_cache(maxsize=256)
def outline(geom: Geometry, view: str, angle: float) -> tuple[FloatArray, ...]:
    """Closed outer rings (m, 2D view coordinates) of the body at this hip angle."""
    tv, tf = _trunk_mesh(geom)
    hv, hf = _thigh_mesh(geom)
    verts, faces = [tv], [tf]
    offset = len(tv)
    for side in _sides(view):
        posed = kin.to_pelvis(geom, hv, "femur", angle, side)
        verts.append(posed)
        faces.append((hf[:, [0, 2, 1]] if side == "left" else hf) + offset)
        offset += len(hv)
    rings = ras.outline(ras.project(np.vstack(verts), view), np.vstack(faces), pixel=PIXEL, tol=0.5)
    return tuple(_closed(ras.resample_ring(smooth(r), OUTLINE_POINTS)) for r in rings if _area(r) > 0)


def smooth(ring: FloatArray, rounds: int = 2) -> FloatArray:
    """Chaikin corner cutting on a closed ring: takes the pixel steps out of a rasterised outline."""
    for _ in range(rounds):
        nxt = np.roll(ring, -1, axis=0)
        ring = np.stack([0.75 * ring + 0.25 * nxt, 0.25 * ring + 0.75 * nxt], axis=1).reshape(-1, ring.shape[1])
    return ring


def _closed(ring: FloatArray) -> FloatArray:
    return np.vstack([ring, ring[:1]])


def _area(ring: FloatArray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def navel(geom: Geometry) -> FloatArray:
    """The navel on the front of the belly wall (pelvis frame)."""
    b = _bony(geom)
    return np.array([BELLY_AT_NAVEL - 0.003, b.navel_y, 0.0])  # on the drawn skin line


def groin(geom: Geometry, side: Side = "right") -> FloatArray:
    """The middle of the inguinal fold, on the skin in front of the ASIS-pubic tubercle line (pelvis frame)."""
    b = _bony(geom)
    mid: FloatArray = (b.asis + b.pubic_tubercle) / 2 + np.array([0.025, -0.005, 0.0])
    return mid * kin.MIRROR if side == "left" else mid


def groin_fold(geom: Geometry, side: Side = "right") -> FloatArray:
    """The crease itself (front view): ASIS towards the pubic tubercle, on the skin, as a short curve."""
    b = _bony(geom)
    t = np.linspace(0.1, 0.9, 5)[:, None]
    line: FloatArray = (
        b.asis * (1 - t)
        + b.pubic_tubercle * t
        + np.array([0.025, -0.01, 0.0])
        - np.hstack([np.zeros_like(t), 0.012 * np.sin(np.pi * t), np.zeros_like(t)])
    )
    return line * kin.MIRROR if side == "left" else line
