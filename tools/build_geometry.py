"""Convert the MyoSim (Apache-2.0) bone meshes into ``data/geometry/bones.json``.

Run once by a maintainer; the app only reads the JSON it writes, so ``myo-sim`` is never a run-time
dependency. Usage::

    pip download --no-deps myo-sim==0.2.4 -d /tmp/myo
    python tools/build_geometry.py --wheel /tmp/myo/myo_sim-0.2.4-py3-none-any.whl

It rewrites bones.json byte for byte the same from the same wheel. What it does, and why (numbers from
the team's research brief shared/research/anatomy.md, sections 2.1-2.5):

* Reads binary STL with numpy (no VTK). The STL vertices are already in OpenSim body frames
  (x anterior, y superior, z right, metres); the MuJoCo +90 deg wrap lives in the XML body
  ``euler``, not in the mesh. ``check_frames`` asserts this from bounding boxes, so a future
  mesh in a z-up frame fails loudly instead of being drawn lying down.
* Lumbar vertebrae: raw mesh at the Christophy 2012 / myo-sim 0.2.4 body origin (cumulative joint
  offsets, no rotation). The 0.2.4 XML also carries per-geom ``pos``/``euler`` tweaks (a later
  re-fit to the Rajagopal sacrum); we do not apply them, because with them the model's psoas
  sites sit up to 10 mm off the bone, without them at most 6.6 mm (printed by this script).
* T12: ``thoracic12_s.stl`` placed one level above L1 with the L1->T12 transform implied by the
  myo-sim 0.2.4 XML (relative to the L1 mesh). Christophy has no separate T12 body, so it is
  flagged approximate.
* Pelvis and sacrum: MyoSim ships the Rajagopal 2016 pelvis/sacrum, whose frame differs from
  gait2392's (hip centre 2 cm apart, ~5 deg tilt). The muscles and the lumbar chain we draw are
  gait2392/Christophy numbers, so we move the bones, not the muscles: rotate about z through the
  Rajagopal hip centre by the angle that best matches the gait2392 bony landmarks, put that hip
  centre on the gait2392 one and scale z so the acetabula are as far apart as gait2392's.
* Femur: MyoSim ``r_femur.stl`` is the 908-triangle gait2392-like femur, in the femur frame
  (origin = femoral head centre); the app rotates it about the hip centre at run time.
* Vertices are rounded to 0.1 mm, stored as integers (unit 1e-4 m), deduplicated, and degenerate
  triangles dropped. Left-side bones are mirrored (z -> -z) by the app.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "geometry"
MESH_PREFIX = "myo_sim/models/meshes/"
UNIT = 1e-4  # metres per stored integer: 0.1 mm

# Christophy 2012 joint offsets (parent -> child), identical in myo-sim 0.2.4 myotorso_chain.xml.
LUMBAR_OFFSETS = {
    "lumbar5": (-0.098, 0.071),  # L5/S1 joint, in the sacrum (= gait2392 pelvis) frame
    "lumbar4": (0.009, 0.0321),
    "lumbar3": (0.0006, 0.0332),
    "lumbar2": (-0.0067, 0.0351),
    "lumbar1": (-0.0114, 0.0288),
}
# myo-sim 0.2.4: torso body at lumbar1 + (0.0025, -0.089); T12 geom at torso + (-0.016, 0.119), quat about
# z 0.4 rad; lumbar1 geom euler z 0.25 rad. Expressed relative to the unrotated L1 mesh (see module doc).
T12_ROT_Z = 0.4 - 0.25  # the T12 mesh, relative to the unrotated L1 mesh
T12_OFFSET = (-0.0135, 0.030)  # T12 origin from the L1 origin, in a frame rotated by T12_FRAME_ROT_Z
T12_FRAME_ROT_Z = -0.25

GAIT_HJC = np.array([-0.0707, -0.0661, 0.0835])  # anatomy.md §2.2
RAJ_HJC = np.array([-0.056276, -0.07849, 0.07726])  # anatomy.md §2.2 (MyoLegs uses the same)

# anatomy.md §2.5: (Rajagopal mesh, gait2392 mesh) landmark pairs in their pelvis frames.
PELVIS_LANDMARKS = {
    "ASIS": ((0.000, 0.000, 0.121), (0.000, 0.000, 0.119)),
    "iliac crest top": ((-0.076, 0.081, 0.076), (-0.087, 0.094, 0.076)),
    "iliac crest lateral": ((-0.022, 0.017, 0.132), (-0.018, 0.020, 0.133)),
    "PSIS": ((-0.138, 0.017, 0.041), (-0.143, 0.038, 0.056)),
    "pubic symphysis": ((-0.018, -0.092, 0.003), (-0.044, -0.084, 0.003)),
    "ischial tuberosity": ((-0.064, -0.134, 0.032), (-0.092, -0.121, 0.036)),
    "sacrum top": ((-0.104, 0.061, 0.0), (-0.112, 0.074, 0.0)),
    "sacral promontory": ((-0.064, 0.036, 0.0), (-0.074, 0.038, 0.0)),
    "sacrum tip": ((-0.128, -0.066, 0.0), (-0.163, -0.042, 0.0)),
}

# Christophy psoas sites (vertebra frame), anatomy.md §2.4, used only for the printed fit check.
PSOAS_SITES = {
    "Ps_L1_VB": ("lumbar1", (-0.0102, 0.0233, 0.0200)),
    "Ps_L1_TP": ("lumbar1", (-0.0233, 0.0147, 0.0226)),
    "Ps_L1_L2_IVD": ("lumbar1", (-0.0013, 0.0035, 0.0207)),
    "Ps_L2_TP": ("lumbar2", (-0.0216, 0.0146, 0.0222)),
    "Ps_L2_L3_IVD": ("lumbar2", (0.0020, 0.0034, 0.0214)),
    "Ps_L3_TP": ("lumbar3", (-0.0245, 0.0207, 0.0283)),
    "Ps_L3_L4_IVD": ("lumbar3", (0.0012, 0.0062, 0.0212)),
    "Ps_L4_TP": ("lumbar4", (-0.0156, 0.0249, 0.0259)),
    "Ps_L4_L5_IVD": ("lumbar4", (0.0054, 0.0039, 0.0206)),
    "Ps_L5_TP": ("lumbar5", (-0.0056, 0.0291, 0.0253)),
    "Ps_L5_VB": ("lumbar5", (0.0100, 0.0124, 0.0190)),
}


def read_stl(data: bytes, name: str) -> np.ndarray:
    """Binary STL -> (n, 3, 3) float array of triangle corners."""
    if len(data) < 84:
        raise ValueError(f"{name}: too short for a binary STL")
    count = int(np.frombuffer(data, dtype="<u4", count=1, offset=80)[0])
    if len(data) != 84 + 50 * count:
        raise ValueError(f"{name}: not a binary STL ({len(data)} bytes for {count} triangles)")
    rec = np.dtype([("normal", "<f4", 3), ("v", "<f4", (3, 3)), ("attr", "<u2")])
    return np.frombuffer(data, dtype=rec, count=count, offset=84)["v"].astype(float)


def rot_z(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def check_frames(tris: dict[str, np.ndarray]) -> None:
    """Fail if a mesh is not in an OpenSim y-up frame (anatomy.md §2.1 warns about z-up MuJoCo frames)."""
    femur = tris["r_femur"].reshape(-1, 3)
    extent = femur.max(0) - femur.min(0)
    if not (extent[1] > 0.38 and extent[1] > 3 * max(extent[0], extent[2])):
        raise SystemExit(f"r_femur.stl is not y-up (extent {extent}); a frame rotation is needed")
    if femur[:, 1].max() > 0.03 or np.linalg.norm(femur, axis=1).min() > 0.025:
        raise SystemExit("r_femur.stl origin is not at the femoral head centre")
    pelvis = tris["r_pelvis"].reshape(-1, 3)
    if abs(pelvis[:, 0].max()) > 0.002 or pelvis[:, 2].min() < -0.002:
        raise SystemExit("r_pelvis.stl: expected ASIS at x = 0 and a right hemipelvis (z >= 0)")


def pelvis_transform() -> tuple[float, float, dict[str, float]]:
    """Rotation about z through the Rajagopal hip centre that best fits the gait2392 landmarks.

    Returns (angle_rad, z_scale, residuals_mm).
    """
    raj = np.array([r for r, _ in PELVIS_LANDMARKS.values()])
    gait = np.array([g for _, g in PELVIS_LANDMARKS.values()])
    z_scale = GAIT_HJC[2] / RAJ_HJC[2]
    best: tuple[float, float] | None = None
    for deg in np.arange(-20.0, 20.0001, 0.1):
        moved = apply_pelvis(raj, np.radians(deg), z_scale)
        rms = float(np.sqrt(((moved - gait) ** 2).sum(1).mean()))
        if best is None or rms < best[1]:
            best = (np.radians(deg), rms)
    assert best is not None  # the loop always runs
    angle = float(best[0])
    moved = apply_pelvis(raj, angle, z_scale)
    residuals = {k: float(np.linalg.norm(m - g) * 1000) for k, m, g in zip(PELVIS_LANDMARKS, moved, gait, strict=True)}
    return angle, float(z_scale), residuals


def apply_pelvis(points: np.ndarray, angle: float, z_scale: float) -> np.ndarray:
    """Rajagopal pelvis frame -> gait2392 pelvis frame (see ``pelvis_transform``)."""
    p = np.asarray(points, float)
    flat = p.reshape(-1, 3)
    out = (flat - RAJ_HJC) @ rot_z(angle).T + GAIT_HJC
    out[:, 2] = flat[:, 2] * z_scale  # z: scale about the midline so the symphysis stays closed
    return out.reshape(p.shape)


def lumbar_origins() -> dict[str, np.ndarray]:
    """Cumulative Christophy joint offsets -> body origins in the pelvis frame."""
    origins, here = {}, np.zeros(3)
    for name, (dx, dy) in LUMBAR_OFFSETS.items():
        here = here + np.array([dx, dy, 0.0])
        origins[name] = here
    return origins


def compact(tris: np.ndarray) -> tuple[list[list[int]], list[list[int]]]:
    """Round to 0.1 mm integers, deduplicate vertices, drop triangles that collapsed."""
    q = np.rint(tris.reshape(-1, 3) / UNIT).astype(np.int64)
    verts, inverse = np.unique(q, axis=0, return_inverse=True)
    faces = inverse.reshape(-1, 3)
    keep = (faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])
    faces = faces[keep]
    _, first = np.unique(np.sort(faces, axis=1), axis=0, return_index=True)  # drop duplicate triangles
    faces = faces[np.sort(first)]
    return verts.tolist(), faces.tolist()


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


def load_meshes(args: argparse.Namespace) -> tuple[dict[str, np.ndarray], bytes, str]:
    names = [
        "lumbar1",
        "lumbar2",
        "lumbar3",
        "lumbar4",
        "lumbar5",
        "sacrum",
        "r_pelvis",
        "r_femur",
        "thoracic12_s",
    ]
    if args.wheel:
        wheel = Path(args.wheel)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        with zipfile.ZipFile(wheel) as zf:
            tris = {n: read_stl(zf.read(f"{MESH_PREFIX}{n}.stl"), n) for n in names}
            lic = next(i for i in zf.namelist() if i.endswith("licenses/LICENSE"))
            licence = zf.read(lic)
        return tris, licence, f"{wheel.name} (sha256 {digest})"
    root = Path(args.unpacked)
    tris = {n: read_stl((root / MESH_PREFIX / f"{n}.stl").read_bytes(), n) for n in names}
    licence = next(root.glob("*.dist-info/licenses/LICENSE")).read_bytes()
    return tris, licence, f"unpacked myo-sim at {root}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--wheel", help="path to myo_sim-0.2.4-py3-none-any.whl")
    src.add_argument("--unpacked", help="directory where the wheel was unzipped")
    ap.add_argument("--out", default=str(OUT_DIR))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    tris, licence, provenance = load_meshes(args)
    check_frames(tris)

    origins = lumbar_origins()
    placed: dict[str, tuple[np.ndarray, str, bool]] = {}
    angle, z_scale, residuals = pelvis_transform()
    placed["pelvis_r"] = (apply_pelvis(tris["r_pelvis"], angle, z_scale), "pelvis", False)
    placed["sacrum"] = (apply_pelvis(tris["sacrum"], angle, z_scale), "pelvis", False)
    for name in ["lumbar5", "lumbar4", "lumbar3", "lumbar2", "lumbar1"]:
        placed[name] = (tris[name] + origins[name], "pelvis", False)
    t12_origin = origins["lumbar1"] + rot_z(T12_FRAME_ROT_Z) @ np.array([*T12_OFFSET, 0.0])
    placed["t12"] = (tris["thoracic12_s"] @ rot_z(T12_ROT_Z).T + t12_origin, "pelvis", True)
    placed["femur_r"] = (tris["r_femur"], "femur", False)

    print(f"pelvis/sacrum: rotate {np.degrees(angle):+.1f} deg about z through the Rajagopal hip centre,")
    print(f"  move it onto the gait2392 hip centre, z x {z_scale:.3f}. Landmark residuals (mm):")
    for k, v in residuals.items():
        print(f"    {k:22s} {v:5.1f}")
    print("psoas sites -> own vertebra mesh (mm):")
    for site, (vb, local) in PSOAS_SITES.items():
        d = point_triangle_distance(np.array(local) + origins[vb], placed[vb][0])
        print(f"    {site:14s} {d * 1000:4.1f}")

    meshes = []
    for mesh_id, (t, frame, approx) in placed.items():
        verts, faces = compact(t)
        meshes.append({"id": mesh_id, "frame": frame, "approximate": approx, "vertices": verts, "faces": faces})
        print(f"{mesh_id:9s} {len(verts):4d} vertices {len(faces):4d} triangles")

    doc = {
        "format": "psoas-explorer bones v1",
        "units": "integer vertex coordinates; multiply by unit_m for metres",
        "unit_m": UNIT,
        "frame": "OpenSim gait2392 pelvis frame (x anterior, y superior, z right; origin midway between the "
        "ASISs); femur meshes in the femur frame (origin = femoral head centre)",
        "source": f"MyoSim meshes (Apache-2.0) from {provenance}; converted by tools/build_geometry.py",
        "pelvis_fit": {
            "rotation_deg": round(float(np.degrees(angle)), 2),
            "z_scale": round(z_scale, 4),
            "landmark_residuals_mm": {k: round(v, 1) for k, v in residuals.items()},
        },
        "meshes": meshes,
    }
    text = json.dumps(doc, separators=(",", ":"))
    # one mesh per line keeps diffs readable without bloating the file
    text = text.replace(',{"id":', ',\n{"id":').replace('"meshes":[{', '"meshes":[\n{')
    (out / "bones.json").write_text(text + "\n", encoding="utf-8")
    (out / "LICENSE-Apache-2.0.txt").write_bytes(licence)
    print(f"wrote {out / 'bones.json'} ({len(text) / 1024:.0f} KiB) and LICENSE-Apache-2.0.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
