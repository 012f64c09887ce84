"""Technique pictures: a body position from the technique data, drawn from the anatomy model, as plain shapes.

``scene(pose)`` poses the same model the anatomy page uses (``kinematics.femur_transform`` for the thigh,
``psoas_path`` for the muscle, the MyoSim bones) in a side view, adds a person's outline around it, marks
where the hands, tool or stretch act, and prints the psoas length in that pose against standing. The scene
is a list of millimetre shapes (polygons, polylines, circles, text) that two renderers share: ``svg`` for
the technique card and ``sketch_pdf`` for the handout (fpdf2 vector drawing, no browser, no raster).

What is modelled and what is sketched: the pelvis, spine, femur, hip angle and psoas come from the model;
the outline of head, trunk, arms and lower legs is hand-placed from usual body proportions (Winter's
segment lengths, scaled to the model's 39.6 cm femur), good enough to show a position at a glance.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Literal

import numpy as np
from babel.numbers import format_percent

from psoas_explorer.anatomy import body
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.model import FloatArray, Geometry, default_geometry
from psoas_explorer.content.model import Pose
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr

if TYPE_CHECKING:
    from fpdf import FPDF

RGB = tuple[int, int, int]
Point = tuple[float, float]
Kind = Literal["polygon", "polyline", "text"]

# Knee centre in the femur frame: gait2392's knee offset (data/geometry/model.yaml, rectus femoris note).
KNEE_IN_FEMUR = np.array([-0.0045, -0.3958, 0.0])
# Hand-placed proportions (metres) after Winter's anthropometric table for a person with a 39.6 cm femur.
SHANK, FOOT, UPPER_ARM, FOREARM = 0.43, 0.20, 0.30, 0.38
SHOULDER = np.array([-0.06, 0.50])  # shoulder joint in the pelvis frame (x anterior, y superior)
HEAD_CENTRE, HEAD_R = np.array([-0.05, 0.68]), 0.105
# The trunk's side outline in the pelvis frame (ASIS at 0,0): front from the groin up, back from the neck down.
# Deliberately in the model's frame so the psoas sits where it does: in front of the spine, behind the belly.
TRUNK = np.array(
    [
        (0.030, -0.120), (0.030, -0.040), (0.048, 0.040), (0.066, 0.120), (0.072, 0.220), (0.085, 0.330),
        (0.075, 0.440), (0.035, 0.515), (-0.020, 0.555), (-0.030, 0.600), (-0.110, 0.600), (-0.120, 0.560),
        (-0.160, 0.500), (-0.175, 0.400), (-0.165, 0.280), (-0.150, 0.180), (-0.160, 0.060), (-0.190, -0.040),
        (-0.200, -0.120), (-0.175, -0.190), (-0.100, -0.205), (-0.020, -0.170),
    ]
)  # fmt: skip
NAVEL = np.array([0.066, 0.120])
THIGH_R = (0.085, 0.055)  # half-thickness of the thigh at the hip and at the knee
SHANK_R = (0.055, 0.035)
ARM_R = (0.042, 0.030)

SKIN: RGB = (246, 226, 208)
SKIN_FAR: RGB = (222, 203, 186)
OUTLINE: RGB = (92, 70, 58)
BONE: RGB = (214, 208, 196)
BONE_LINE: RGB = (130, 122, 110)
PSOAS: RGB = (190, 30, 45)
ACTION: RGB = (11, 92, 173)  # the app's primary blue: arrows and their words
HIGHLIGHT: RGB = (255, 200, 40)
PROP: RGB = (150, 170, 190)
PROP_LINE: RGB = (70, 90, 110)
FLOOR: RGB = (120, 120, 120)
TEXT: RGB = (27, 31, 36)

MAX_W, MAX_H = 60.0, 34.0  # the picture's box on paper (mm); the card shows it about 300 px wide
LABEL_MM = 2.6  # text height of the length line (about 7.4 pt in print)
PX_PER_MM = 5.0

BODY_WORDS = {
    "standing": N_("Standing"),
    "sitting": N_("Sitting"),
    "half_kneeling": N_("Half-kneeling"),
    "lying_back": N_("Lying on the back"),
    "lying_front": N_("Lying face down"),
}
ACT_WORDS = {
    "hands": N_("hands"),
    "tool": N_("tool"),
    "ball": N_("ball"),
    "roller": N_("roller"),
    "stretch": N_("stretch"),
    "breath": N_("breathe"),
    "movement": N_("move"),
}
PLACE_WORDS = {
    "belly": N_("on the belly"),
    "hip_front": N_("at the front of the hip"),
    "front_thigh": N_("on the front of the thigh"),
    "buttock": N_("on the buttock"),
    "lower_back": N_("on the lower back"),
    "lower_ribs": N_("under the lower ribs"),
    "knee": N_("at the knee"),
}


@dataclass(frozen=True)
class Shape:
    """One drawing primitive in millimetres, y downwards (as in SVG and fpdf2)."""

    kind: Kind
    points: tuple[Point, ...]  # a text's start is the left end of its baseline
    fill: RGB | None = None
    stroke: RGB | None = None
    width: float = 0.0  # stroke width, mm
    text: str = ""
    size: float = 0.0  # text height, mm
    opacity: float = 1.0  # fill opacity
    role: str = ""  # what it shows: body, far, bone, spine, psoas, action, prop, floor, label


@dataclass(frozen=True)
class Scene:
    """A picture: its shapes, its words, and the posed points the tests check the picture against."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    alt: str  # the text alternative: position, side, what acts where, length against standing
    caption: str  # the length line printed under the figure
    length_cm: float
    standing_cm: float
    points: dict[str, Point] = field(default_factory=dict)  # hip, knee, shoulder, spine, psoas ends (mm)
    anterior: Point = (1.0, 0.0)  # the pelvis's forward direction in the picture (unit vector, y down)
    superior: Point = (0.0, -1.0)  # the pelvis's head-ward direction in the picture (unit vector, y down)
    mm_per_m: float = 1.0  # the figure's scale: millimetres on paper per metre of body

    def role(self, role: str) -> list[Shape]:
        return [s for s in self.shapes if s.role == role]


def length_change(hip_deg: float, geom: Geometry | None = None) -> tuple[float, float, float]:
    """(length in this pose, length standing, per cent change) of the psoas from the model."""
    geom = geom or default_geometry()
    now, standing = kin.psoas_length_cm(hip_deg, geom), kin.psoas_length_cm(0.0, geom)
    return now, standing, (now / standing - 1) * 100


def length_words(change_pct: float, lang: Lang = DEFAULT) -> str:
    """'about 4% longer than standing', or 'about as long as standing' within half a per cent."""
    if abs(change_pct) < 0.5:
        return tr(lang, "about as long as standing")
    longer = N_("about {percent} longer than standing")
    shorter = N_("about {percent} shorter than standing")
    percent = format_percent(round(abs(change_pct)) / 100, locale=lang)  # "4%"; Spanish "4 %"
    return tr(lang, longer if change_pct > 0 else shorter).format(percent=percent)


# Which side a pose works on, as the hip and the leg are named ("left hip"): in Spanish both are feminine.
SIDE_WORDS = {"left": N_("left"), "right": N_("right")}


def describe(pose: Pose, change_pct: float, lang: Lang = DEFAULT) -> str:
    """The picture in words (the card's alt text and the tests' reference)."""
    side = tr(lang, SIDE_WORDS[pose.side])
    act = {
        "stretch": tr(lang, "the stretch is felt at the front of the {side} hip").format(side=side),
        "breath": tr(lang, "slow breaths into the belly"),
        "movement": tr(lang, "the {side} leg moves").format(side=side),
    }.get(pose.acts_by) or f"{tr(lang, ACT_WORDS[pose.acts_by])} {tr(lang, PLACE_WORDS[pose.acts_at])}"
    if pose.hip < -2:
        hip = tr(lang, "taken about {degrees}° behind the body").format(degrees=f"{-pose.hip:.0f}")
    else:
        hip = (
            tr(lang, "straight")
            if pose.hip < 10
            else tr(lang, "bent about {degrees}°").format(degrees=f"{pose.hip:.0f}")
        )
    return tr(lang, "{body}, {side} hip {hip}; {action}. Psoas {length} (model).").format(
        body=tr(lang, BODY_WORDS[pose.body]), side=side, hip=hip, action=act, length=length_words(change_pct, lang)
    )


def _two_lines(caption: str, lang: Lang) -> list[str]:
    """A caption too wide for a narrow figure, in two lines: before 'than' in English, else at the middle space."""
    if lang == DEFAULT:
        if " than " not in caption:
            return [caption]
        head, tail = caption.split(" than ", 1)
        return [head, f"than {tail}"]
    spaces = [i for i, ch in enumerate(caption) if ch == " "]
    if not spaces:
        return [caption]
    cut = min(spaces, key=lambda i: abs(i - len(caption) / 2))
    return [caption[:cut], caption[cut + 1 :]]


# --- geometry helpers (metres, y up) ------------------------------------------------------


def _rot(deg: float) -> FloatArray:
    t = math.radians(deg)
    return np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])


def _unit(v: FloatArray) -> FloatArray:
    return v / float(np.linalg.norm(v))


def _capsule(a: FloatArray, b: FloatArray, ra: float, rb: float, n: int = 5) -> FloatArray:
    """A limb: a tapered band from a to b with rounded ends (semicircles of n steps)."""
    d = _unit(b - a)
    normal = np.array([-d[1], d[0]])
    out = []
    for centre, r, start in ((b, rb, -90.0), (a, ra, 90.0)):
        for k in range(n + 1):
            ang = math.radians(start + 180.0 * k / n)
            out.append(centre + r * (math.cos(ang) * d + math.sin(ang) * normal))
    return np.array(out)


def _circle_poly(c: FloatArray, r: float, n: int = 16) -> FloatArray:
    ang = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.stack([c[0] + r * np.cos(ang), c[1] + r * np.sin(ang)], axis=1)


@functools.lru_cache(maxsize=8)
def _bone_rings(geom: Geometry, mesh_id: str) -> tuple[FloatArray, ...]:
    """Side-view outline of an unposed bone (pelvis frame for pelvis bones, femur frame for the femur), coarse."""
    verts, faces = geom.mesh_arrays(mesh_id)
    rings = ras.outline(ras.project(verts, "side"), faces, pixel=0.006)
    return (max(rings, key=len),) if rings else ()  # the outer ring; holes do not show at this size


@dataclass
class _Leg:
    hip: FloatArray
    knee: FloatArray
    ankle: FloatArray
    toe: FloatArray
    femur_r: FloatArray  # 2x2 rotation of the femur frame (side view)


def _leg(geom: Geometry, hip_deg: float, knee_deg: float, pointed: bool = False) -> _Leg:
    """Thigh from the model's femur transform; the lower leg and foot hand-placed from the knee angle."""
    r, t = kin.femur_transform(geom, hip_deg, "right")
    hip = t[:2].copy()
    knee = (r @ KNEE_IN_FEMUR + t)[:2]
    thigh = _unit(knee - hip)
    shank = _rot(-knee_deg) @ thigh  # knee flexion swings the lower leg backwards
    ankle = knee + SHANK * shank
    foot = shank if pointed else _rot(90.0) @ shank  # toes forward, or pointed (lying face down, legs long)
    return _Leg(hip, knee, ankle, ankle + FOOT * foot, r[:2, :2])


@dataclass
class _Build:
    """Shapes in metres in the pelvis frame until ``place`` turns the whole figure into the picture."""

    polys: list[tuple[FloatArray, Shape]] = field(default_factory=list)
    named: dict[str, FloatArray] = field(default_factory=dict)

    def add(self, pts: FloatArray | Sequence[FloatArray], proto: Shape) -> None:
        self.polys.append((np.asarray(pts, dtype=np.float64).reshape(-1, 2), proto))


def _figure(geom: Geometry, pose: Pose, b: _Build) -> tuple[_Leg, _Leg]:
    """The person (far limbs first, then trunk, head, near limbs), bones, spine and psoas, in the pelvis frame."""
    prone = pose.body == "lying_front"
    near = _leg(geom, pose.hip, pose.knee, prone and pose.knee < 45)
    far = _leg(geom, pose.other_hip, pose.other_knee, prone and pose.other_knee < 45)
    body = Shape("polygon", (), fill=SKIN, stroke=OUTLINE, width=0.22, role="body")
    far_body = Shape("polygon", (), fill=SKIN_FAR, stroke=OUTLINE, width=0.18, role="far")
    _limbs(b, far, far_body)
    b.add(_arm(pose), far_body)
    b.add(TRUNK, body)
    b.add(_circle_poly(HEAD_CENTRE, HEAD_R, 18), body)
    _limbs(b, near, body)
    bone = Shape("polygon", (), fill=BONE, stroke=BONE_LINE, width=0.12, role="bone")
    for ring in _bone_rings(geom, "pelvis_r"):
        b.add(ring, bone)
    for ring in _bone_rings(geom, "femur_r"):
        b.add(ring @ near.femur_r.T + near.hip, bone)
    spine = Shape("polygon", (), fill=BONE, stroke=BONE_LINE, width=0.12, role="spine")
    for vid in ("t12", "lumbar1", "lumbar2", "lumbar3", "lumbar4", "lumbar5"):
        for ring in _bone_rings(geom, vid):
            b.add(ring, spine)
    path = kin.psoas_path(geom, pose.hip, "right")
    fibre = Shape("polyline", (), stroke=PSOAS, width=0.35, role="psoas")
    for line in path.fascicles.values():
        b.add(line[:, :2], fibre)
    top = np.mean([line[0, :2] for line in path.fascicles.values()], axis=0)
    b.add(np.vstack([top, path.tendon[:, :2]]), Shape("polyline", (), stroke=PSOAS, width=0.9, role="psoas"))
    b.named.update(
        hip=near.hip, knee=near.knee, shoulder=SHOULDER, navel=NAVEL, psoas_top=top,
        insertion=path.tendon[-1, :2], spine_l3=geom.vertebra_origin("lumbar3")[:2],
        brim=path.tendon[0, :2], spine_l5=geom.vertebra_origin("lumbar5")[:2],
        over_hip=path.tendon[np.argmin(np.linalg.norm(path.tendon[:, :2] - near.hip, axis=1)), :2],
    )  # fmt: skip
    return near, far


def _limbs(b: _Build, leg: _Leg, proto: Shape) -> None:
    b.add(_capsule(leg.hip, leg.knee, *THIGH_R), proto)
    b.add(_capsule(leg.knee, leg.ankle, *SHANK_R), proto)
    b.add(_capsule(leg.ankle, leg.toe, 0.035, 0.025, 3), proto)


def _arm(pose: Pose) -> FloatArray:
    """An arm resting along the trunk (elbow a little bent), or propping a raised chest on the forearm."""
    if pose.body == "lying_front" and pose.tilt > 0:  # on the forearms: upper arm straight down to the floor
        to_pelvis = _rot(-_orientation(pose))
        elbow = SHOULDER + UPPER_ARM * (to_pelvis @ np.array([0.0, -1.0]))
        hand = elbow + FOREARM * (to_pelvis @ np.array([1.0, 0.0]))
    else:
        elbow = SHOULDER + UPPER_ARM * _unit(np.array([0.05, -1.0]))
        hand = elbow + FOREARM * _unit(np.array([0.45 if pose.body == "sitting" else 0.2, -1.0]))
    return np.vstack([_capsule(SHOULDER, elbow, *ARM_R), _capsule(elbow, hand, ARM_R[1], 0.025)])


def _orientation(pose: Pose) -> float:
    """Rotation (degrees) from the pelvis frame to the picture: upright, on the back (head left) or face down."""
    if pose.body == "lying_back":
        return 90.0 - pose.tilt
    if pose.body == "lying_front":
        return -90.0 + pose.tilt
    return -pose.tilt


def _action(geom: Geometry, pose: Pose, near: _Leg, b: _Build) -> None:
    """An arrow (or, for a stretch, a highlight and a two-headed arrow) where the technique acts."""
    arrow = Shape("polyline", (), stroke=ACTION, width=0.55, role="action")
    if pose.acts_by == "stretch":
        path = kin.psoas_path(geom, pose.hip, "right")
        glow = Shape("polyline", (), stroke=HIGHLIGHT, width=2.6, opacity=0.55, role="highlight")
        b.add(path.tendon[:, :2], glow)
        a, z = path.tendon[0, :2], near.knee
        off = _rot(90.0) @ _unit(z - a) * 0.07  # beside the thigh, on its front
        _arrow(b, a + off, z + off, arrow, both=True)
        b.named["label"] = a + off * 2.5 + np.array([0.06, 0.05])  # in front of the groin, clear of the legs
    elif pose.acts_by == "movement":
        arc = [_leg(geom, pose.hip - 35 + 5 * k, pose.knee).knee for k in range(8)]
        centre = near.hip
        pts = centre + (np.array(arc) - centre) * 1.25  # just outside the knee
        _polyline_arrow(b, pts, arrow)
        b.named["label"] = pts[len(pts) // 2] + _unit(pts[len(pts) // 2] - centre) * 0.09
    elif pose.acts_by in ("ball", "roller"):  # the prop does the work: it is drawn in the action colour
        at, inward = _target(pose, near)
        upright = pose.body not in ("lying_back", "lying_front")
        b.named["label"] = at - inward * (0.30 if upright else 0.16)  # upright: beyond the wall behind the ball
    elif pose.acts_by == "breath":
        base = NAVEL + np.array([0.03, 0.0])
        _arrow(b, base, base + np.array([0.13, 0.0]), arrow, both=True)
        b.named["label"] = base + np.array([0.16, 0.0])
    else:
        at, inward = _target(pose, near)
        tail = at - inward * 0.20
        _arrow(b, tail, at - inward * 0.015, arrow)
        b.named["label"] = tail - inward * 0.05


def _target(pose: Pose, near: _Leg) -> tuple[FloatArray, FloatArray]:
    """Where pressure goes in (a skin point) and the direction it presses, in the pelvis frame."""
    r = near.femur_r
    femur = {
        "front_thigh": (np.array([0.055, -0.20]), np.array([-1.0, 0.0])),
        "knee": (np.array([0.05, -0.37]), np.array([-1.0, 0.0])),
    }
    if pose.acts_at in femur:
        p, d = femur[pose.acts_at]
        return r @ p + near.hip, _unit(r @ d)
    pelvis = {
        "belly": (np.array([0.062, 0.085]), np.array([-1.0, 0.0])),
        "hip_front": (np.array([0.032, -0.07]), np.array([-1.0, 0.0])),
        "buttock": (np.array([-0.198, -0.09]), np.array([1.0, 0.0])),
        "lower_back": (np.array([-0.152, 0.12]), np.array([1.0, 0.0])),
        "lower_ribs": (np.array([0.078, 0.27]), _unit(np.array([-0.8, 0.6]))),
    }
    return pelvis[pose.acts_at]


def _arrow(b: _Build, tail: FloatArray, head: FloatArray, proto: Shape, *, both: bool = False) -> None:
    _polyline_arrow(b, np.array([tail, head]), proto, both=both)


def _polyline_arrow(b: _Build, pts: FloatArray, proto: Shape, *, both: bool = False) -> None:
    b.add(pts, proto)
    ends = [(pts[-1], pts[-2])] + ([(pts[0], pts[1])] if both else [])
    head = Shape("polygon", (), fill=ACTION, stroke=ACTION, width=0.1, role="action")
    for tip, before in ends:
        d = _unit(tip - before)
        n = np.array([-d[1], d[0]])
        b.add(np.array([tip, tip - d * 0.06 + n * 0.03, tip - d * 0.06 - n * 0.03]), head)


def _world(
    b: _Build, pose: Pose
) -> tuple[list[tuple[FloatArray, Shape]], dict[str, FloatArray], FloatArray, FloatArray]:
    """Rotate the figure into its posture and mirror it for the left side (seen from that side)."""
    rot = _rot(_orientation(pose))
    flip = np.array([-1.0, 1.0]) if pose.side == "left" else np.array([1.0, 1.0])
    polys = [((p @ rot.T) * flip, s) for p, s in b.polys]
    named = {k: (v @ rot.T) * flip for k, v in b.named.items()}
    return polys, named, (rot @ np.array([1.0, 0.0])) * flip, (rot @ np.array([0.0, 1.0])) * flip


def _support(
    pose: Pose, polys: list[tuple[FloatArray, Shape]], named: dict[str, FloatArray], trunk: FloatArray
) -> tuple[float, list[tuple[FloatArray, Shape]]]:
    """Where the floor is and the props around the figure, in picture metres (y up)."""
    prop = Shape("polygon", (), fill=PROP, stroke=PROP_LINE, width=0.2, role="prop")
    acting = Shape("polygon", (), fill=ACTION, stroke=PROP_LINE, width=0.2, opacity=0.85, role="action")
    body_low = min(float(p[:, 1].min()) for p, s in polys if s.role in ("body", "far"))
    trunk_low = float(trunk[:, 1].min())
    out: list[tuple[FloatArray, Shape]] = []
    lying = pose.body in ("lying_back", "lying_front")
    floor = trunk_low if lying else body_low
    knee = named["knee"]
    if "bolster" in pose.props:
        r = max(0.05, (knee[1] - THIGH_R[1] - floor) / 2)
        out.append((_circle_poly(np.array([knee[0], floor + r]), r, 20), prop))
    if "cushion" in pose.props:
        at = knee if pose.body == "half_kneeling" else named["hip"]
        out.append((_rect(at[0] - 0.13, floor - 0.05, 0.26, 0.05), prop))
        floor -= 0.05
    if "ball" in pose.props and lying:  # the body lies on the ball, under the buttock
        spot = np.array([trunk[np.argmin(trunk[:, 1])][0] + 0.03, floor - 0.03])
        out.append((_circle_poly(spot, 0.05, 16), acting if pose.acts_by == "ball" else prop))
        floor -= 0.08
    elif "ball" in pose.props:  # upright: the ball between the buttock and a wall behind it
        forward = 1.0 if knee[0] >= named["hip"][0] else -1.0
        hip_y = float(named["hip"][1])
        around = np.vstack([p[np.abs(p[:, 1] - hip_y) < 0.1] for p, s in polys if s.role in ("body", "far")])
        back = float(around[:, 0].min()) if forward > 0 else float(around[:, 0].max())
        spot = np.array([back - forward * 0.05, hip_y - 0.03])
        out.append((_circle_poly(spot, 0.05, 16), acting if pose.acts_by == "ball" else prop))
        wall = back - forward * 0.10
        out.append((_rect(min(wall, wall - forward * 0.03), floor, 0.03, hip_y + 0.55 - floor), prop))
    if "roller" in pose.props:  # under the middle of the thigh, lifting the legs
        thigh = named["knee"] * 0.5 + named["hip"] * 0.5
        centre = np.array([thigh[0], thigh[1] - THIGH_R[0] - 0.07])
        out.append((_circle_poly(centre, 0.075, 18), acting if pose.acts_by == "roller" else prop))
        floor = min(floor, centre[1] - 0.075)
    if "chair" in pose.props:
        seat_y = trunk_low
        hip_x = named["hip"][0]
        back = float(trunk[:, 0].min()) if named["knee"][0] > hip_x else float(trunk[:, 0].max())
        sign = 1.0 if named["knee"][0] > hip_x else -1.0
        out.append((_rect(min(back, back + sign * 0.46), seat_y - 0.04, 0.46, 0.04), prop))
        out.append((_rect(back - sign * 0.04 - (0.03 if sign < 0 else 0), seat_y, 0.03, 0.45), prop))
        for x in (back, back + sign * 0.43):
            out.append((_rect(min(x, x + sign * 0.03), floor, 0.03, seat_y - floor - 0.04), prop))
    if "bed_edge" in pose.props:
        hip_x = named["hip"][0]
        head_x = float(trunk[:, 0].min())
        out.append((_rect(head_x - 0.1, floor - 0.45, hip_x - head_x + 0.18, 0.45), prop))
        floor = min(floor - 0.45, body_low - 0.02)
    return floor, out


def _rect(x: float, y: float, w: float, h: float) -> FloatArray:
    return np.array([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


@functools.lru_cache(maxsize=128)
def scene(pose: Pose, geom: Geometry | None = None, lang: Lang = DEFAULT) -> Scene:
    """The picture for a pose, fitted into MAX_W x MAX_H mm with the length line under it. Cached per pose."""
    geom = geom or default_geometry()
    b = _Build()
    near, _ = _figure(geom, pose, b)
    _action(geom, pose, near, b)
    trunk_index = next(i for i, (_, s) in enumerate(b.polys) if s.role == "body")
    polys, named, anterior, superior = _world(b, pose)
    floor, props = _support(pose, polys, named, polys[trunk_index][0])
    everything = np.vstack([p for p, _ in polys + props])
    lo, hi = everything.min(0), everything.max(0)
    lo = np.minimum(lo, [lo[0], floor])
    span = np.maximum(hi - lo, 1e-6)
    label_h = LABEL_MM * 1.35
    scale = min(MAX_W / span[0], (MAX_H - 2 * label_h) / span[1])  # mm per metre of body
    pad = 1.0
    now, standing, pct = length_change(pose.hip, geom)
    caption = tr(lang, "Psoas {length}").format(length=length_words(pct, lang))
    fig_w = span[0] * scale + 2 * pad
    lines = [caption]
    if len(caption) * LABEL_MM * 0.56 + 2 * pad > fig_w:  # a narrow (upright) figure
        lines = _two_lines(caption, lang)
    need = max(len(x) for x in lines) * LABEL_MM * 0.56 + 2 * pad
    mm = _Paper(lo[0], hi[1], scale, pad, max(0.0, (need - fig_w) / 2))
    width = round(float(max(fig_w, need)), 2)
    height = round(float(span[1] * scale + 2 * pad + label_h * len(lines)), 2)
    shapes: list[Shape] = []
    floor_y = mm(np.array([0.0, floor]))[0][1]
    shapes.append(Shape("polyline", ((0.0, floor_y), (width, floor_y)), stroke=FLOOR, width=0.35, role="floor"))
    for pts, proto in props + polys:
        shapes.append(_scaled(proto, mm(pts), scale))
    words = tr(lang, ACT_WORDS[pose.acts_by])
    lx, ly = mm(named["label"])[0]
    size = LABEL_MM * 0.85
    lx = min(max(lx - size * 0.28 * len(words), 0.3), width - size * 0.56 * len(words) - 0.3)
    ly = min(max(ly + size * 0.35, size), height - label_h * len(lines) - 0.3)
    shapes.append(Shape("text", ((lx, ly),), fill=ACTION, text=words, size=size, role="label"))
    for k, line in enumerate(lines):
        y = height - LABEL_MM * 0.45 - label_h * (len(lines) - 1 - k)
        shapes.append(Shape("text", ((pad, y),), fill=TEXT, text=line, size=LABEL_MM, role="caption"))
    points = {k: mm(v)[0] for k, v in named.items()}
    ant = (float(anterior[0]), float(-anterior[1]))  # y points down on paper
    sup = (float(superior[0]), float(-superior[1]))
    alt = describe(pose, pct, lang)
    return Scene(width, height, tuple(shapes), alt, caption, now, standing, points, ant, sup, float(scale))


@dataclass(frozen=True)
class _Paper:
    """Picture metres (y up) to paper millimetres (y down): left edge, top edge, scale, padding, centring."""

    left: float
    top: float
    scale: float
    pad: float
    shift: float = 0.0

    def __call__(self, p: FloatArray | Sequence[float]) -> tuple[Point, ...]:
        q = np.asarray(p, dtype=np.float64).reshape(-1, 2)
        x = (q[:, 0] - self.left) * self.scale + self.pad + self.shift
        y = (self.top - q[:, 1]) * self.scale + self.pad
        return tuple((round(float(a), 2), round(float(b), 2)) for a, b in zip(x, y, strict=True))


def _scaled(proto: Shape, pts: tuple[Point, ...], scale: float) -> Shape:
    """A prototype shape with its points, its stroke width in metres-per-figure scaled down to paper."""
    width = proto.width
    if proto.role in ("psoas", "highlight"):
        width = max(proto.width * scale / 30, 0.25)  # the muscle's thickness follows the figure's size
    return dataclasses.replace(proto, points=pts, width=round(width, 2))


# --- renderers -----------------------------------------------------------------------------


def _hex(c: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*c)


def _pts(points: Iterable[Point]) -> str:
    """0.1 mm is a third of a pixel on the card: finer digits would only make every rerun's message longer."""
    return " ".join(f"{round(x, 1):g},{round(y, 1):g}" for x, y in points)


def svg(sc: Scene) -> str:
    """The scene as standalone SVG text (the card's image); every text is escaped, the alt text is its title.

    Shapes that share a paint share one group, and caps, joins and font are set once on the root: the card
    sends this text on every rerun, so it is kept short.
    """
    w, h = sc.width, sc.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:g} {h:g}" '
        f'width="{w * PX_PER_MM:.0f}" height="{h * PX_PER_MM:.0f}" role="img" aria-label="{escape(sc.alt)}" '
        'stroke-linecap="round" stroke-linejoin="round" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(sc.alt)}</title>",
        f'<rect width="{w:g}" height="{h:g}" fill="#ffffff"/>',
    ]
    group = None
    for s in sc.shapes:
        paint = _svg_paint(s)
        if paint != group:
            out.append(("</g>" if group is not None else "") + f"<g{paint}>")
            group = paint
        if s.kind == "polygon":
            out.append(f'<polygon points="{_pts(s.points)}"/>')
        elif s.kind == "polyline":
            out.append(f'<polyline points="{_pts(s.points)}"/>')
        else:
            (x, y) = s.points[0]
            out.append(f'<text x="{x:g}" y="{y:g}" font-size="{s.size:g}">{escape(s.text)}</text>')
    out.append("</g></svg>" if group is not None else "</svg>")
    return "".join(out)


@functools.lru_cache(maxsize=128)
def picture_markdown(pose: Pose, lang: Lang = DEFAULT) -> str:
    """The picture as a Markdown image (an SVG data URL, alt text escaped) for the plan's print view."""
    text, alt = card_picture(pose, lang)
    alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}](data:image/svg+xml;base64,{base64.b64encode(text.encode()).decode()})"


@functools.lru_cache(maxsize=128)
def card_picture(pose: Pose, lang: Lang = DEFAULT) -> tuple[str, str]:
    """(SVG, alt text) of a pose's picture, made once per process for each pose and language (cards redraw every
    rerun)."""
    sc = scene(pose, lang=lang)
    return svg(sc), sc.alt


def _svg_paint(s: Shape) -> str:
    if s.kind == "text":
        return f' fill="{_hex(s.fill or TEXT)}"'
    fill = f' fill="{_hex(s.fill)}"' if s.fill and s.kind == "polygon" else ' fill="none"'
    if s.opacity < 1:
        fill += f' {"stroke-opacity" if s.kind == "polyline" else "fill-opacity"}="{s.opacity:g}"'
    stroke = f' stroke="{_hex(s.stroke)}" stroke-width="{s.width:g}"' if s.stroke else ""
    return fill + stroke


def figure_height(sc: Scene) -> float:
    """The scene's height without its caption lines (a renderer that prints the caption itself leaves them out)."""
    return sc.height - LABEL_MM * 1.35 * len(sc.role("caption"))


def sketch_pdf(
    pdf: FPDF,
    sc: Scene,
    x: float,
    y: float,
    font: str,
    scale: float = 1.0,
    *,
    skip: Sequence[str] = (),
    min_text: float = 0.0,
) -> None:
    """Draw the scene natively with fpdf2 (polygons, polylines, text) with its top-left at (x, y) mm.

    Shapes whose role is in ``skip`` are left out; words are set at least ``min_text`` mm high (a scaled-down
    picture on paper keeps its words readable) and kept inside the picture's width.
    """

    def at(points: Iterable[Point]) -> list[Point]:
        return [(x + px * scale, y + py * scale) for px, py in points]

    with pdf.local_context(stroke_cap_style="ROUND", stroke_join_style="ROUND"):
        for s in sc.shapes:
            if s.role in skip:
                continue
            if s.stroke:
                pdf.set_draw_color(*s.stroke)
                pdf.set_line_width(s.width * scale)
            if s.fill:
                pdf.set_fill_color(*s.fill)
            if s.kind == "text":
                size = max(s.size * scale, min_text)
                pdf.set_font(font, "", size / 0.3528)  # mm to points
                pdf.set_text_color(*(s.fill or TEXT))
                (tx, ty), *_ = at(s.points)
                tx = max(x, min(tx, x + sc.width * scale - pdf.get_string_width(s.text)))
                ty = max(ty, y + size)  # a word set larger than drawn stays inside the picture's top edge
                pdf.text(tx, ty, s.text)
            elif s.opacity < 1:
                key = "stroke_opacity" if s.kind == "polyline" else "fill_opacity"
                with pdf.local_context(**{key: s.opacity}):
                    _pdf_shape(pdf, s, at(s.points))
            else:
                _pdf_shape(pdf, s, at(s.points))


def _pdf_shape(pdf: FPDF, s: Shape, points: list[Point]) -> None:
    if s.kind == "polyline":
        pdf.polyline(points, style="D")
    else:
        pdf.polygon(points, style=("F" if s.fill else "") + ("D" if s.stroke else "") or "D")


# --- where the psoas lies: the sheet's small front view ---------------------------------------

FRONT_H = 46.0  # mm; the sheet prints it smaller, so its words are large here
FRONT_LABEL_MM = 3.4
# A faint body outline seen from the front (hand-placed, pelvis frame: z to the patient's right, y up).
FRONT_BODY = np.array(
    [
        (0.150, 0.300), (0.140, 0.180), (0.170, 0.020), (0.185, -0.080), (0.160, -0.300), (0.135, -0.480),
        (0.035, -0.480), (0.010, -0.170), (-0.010, -0.170), (-0.035, -0.480), (-0.135, -0.480), (-0.160, -0.300),
        (-0.185, -0.080), (-0.170, 0.020), (-0.140, 0.180), (-0.150, 0.300),
    ]
)  # fmt: skip


def _front(p: FloatArray) -> FloatArray:
    """Pelvis-frame points (n, 3) seen from the front: the patient's right on the viewer's left."""
    return ras.project(np.asarray(p, dtype=np.float64).reshape(-1, 3), "front")


@functools.lru_cache(maxsize=4)
def front_scene(geom: Geometry | None = None, lang: Lang = DEFAULT) -> Scene:
    """Where the psoas lies, from the front: lower spine, pelvis, thigh bones and both psoas muscles from the
    model (standing), with the navel and the groin creases marked so a reader can find them on themselves."""
    geom = geom or default_geometry()
    items: list[tuple[FloatArray, Shape]] = []
    outline = Shape("polygon", (), fill=(250, 240, 231), stroke=(200, 180, 165), width=0.2, role="body")
    items.append((np.stack([-FRONT_BODY[:, 0], FRONT_BODY[:, 1]], axis=1), outline))
    bone = Shape("polygon", (), fill=BONE, stroke=BONE_LINE, width=0.12, role="bone")
    for m in kin.bone_meshes(geom, 0.0):
        rings = ras.outline(_front(m.vertices), m.faces, pixel=0.004)
        if rings:
            items.append((max(rings, key=len), bone))
    named: dict[str, FloatArray] = {}
    for side in ("right", "left"):
        path = kin.psoas_path(geom, 0.0, side)
        for line in path.fascicles.values():
            items.append((_front(line), Shape("polyline", (), stroke=PSOAS, width=0.12, role="psoas")))
        top = np.mean([line[0] for line in path.fascicles.values()], axis=0)
        belly = Shape("polyline", (), stroke=PSOAS, width=0.5, opacity=0.9, role="psoas")
        items.append((_front(np.vstack([top, path.tendon])), belly))
        named[f"psoas_{side}"] = _front(path.tendon[0])[0]
        named[f"insertion_{side}"] = _front(path.tendon[-1])[0]
    pelvis, _ = geom.mesh_arrays("pelvis_r")
    asis = pelvis[np.argmax(pelvis[:, 0] - 3 * np.abs(pelvis[:, 1]))]  # the most forward point at ASIS height
    low = pelvis[pelvis[:, 2] < 0.05]
    tubercle = low[np.argmax(low[:, 0])]  # the most forward point near the midline: pubic tubercle
    groin = Shape("polyline", (), stroke=ACTION, width=0.4, role="action")
    for flip in (1.0, -1.0):
        crease = np.array([asis, tubercle]) * np.array([1.0, 1.0, flip])
        items.append((_front(crease), groin))
    named["groin"] = _front((asis + tubercle) / 2 * np.array([1.0, 1.0, -1.0]))[0]
    navel = _front(body.navel(geom))[0]  # at the L3/L4 disc, as the diagram draws it
    items.append((_circle_poly(navel, 0.009, 12), Shape("polygon", (), fill=ACTION, role="action")))
    named["navel"] = navel
    named["spine"] = _front(geom.vertebra_origin("lumbar2"))[0]
    named["thigh_bone"] = _front(np.array([-0.06, -0.30, -0.10]))[0]
    named["pelvis"] = _front(np.array([-0.07, 0.06, -0.11]))[0]
    allpts = np.vstack([p for p, _ in items])
    lo, hi = allpts.min(0), allpts.max(0)
    scale = (FRONT_H - 2) / (hi[1] - lo[1])
    mm = _Paper(lo[0], hi[1], scale, 1.0)
    shapes = [_scaled(proto, mm(p), scale) for p, proto in items]
    right = (hi[0] - lo[0]) * scale + 2.0
    labels = tuple(
        (key, tr(lang, words))
        for key, words in (
            ("spine", N_("spine (T12–L5)")),
            ("psoas_left", N_("psoas, deep in the belly")),
            ("pelvis", N_("pelvis")),
            ("navel", N_("navel")),
            ("groin", N_("groin crease")),
            ("insertion_left", N_("thigh bone")),
        )
    )
    ys = sorted((mm(named[key])[0][1], key, words) for key, words in labels)
    size = FRONT_LABEL_MM
    last = -10.0
    for y, key, words in ys:
        ty = max(y, last + size * 1.45)
        last = ty
        px, py = mm(named[key])[0]
        shapes.append(
            Shape(
                "polyline",
                ((px, py), (right - 0.6, ty - size * 0.35)),
                stroke=(120, 120, 120),
                width=0.15,
                role="leader",
            )
        )
        shapes.append(Shape("text", ((right, ty),), fill=TEXT, text=words, size=size, role="label"))
    width = right + max(len(words) for _, words in labels) * size * 0.56 + 1.0
    alt = tr(
        lang,
        "Front view: the psoas on each side runs from the sides of the lower spine (T12 to L5), deep behind the "
        "belly, over the front of the hip joint to the inner thigh bone (lesser trochanter); navel and groin marked.",
    )
    points = {k: mm(v)[0] for k, v in named.items()}
    return Scene(round(width, 2), FRONT_H, tuple(shapes), alt, "", 0.0, 0.0, points, mm_per_m=float(scale))
