"""Shapes to draw: 2D projection, mesh silhouettes (rasterise, marching squares, simplify), organ ellipsoids, cuts.

Pure array code with no hip angle in it; ``kinematics`` poses the model and these turn the posed
points into what the diagram draws.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from psoas_explorer.anatomy.kinematics import rot_z
from psoas_explorer.anatomy.model import FloatArray, IndexArray, Organ

VIEW_AXES: dict[str, tuple[tuple[int, float], tuple[int, float]]] = {
    "front": ((2, -1.0), (1, 1.0)),
    "side": ((0, 1.0), (1, 1.0)),
}


def project(points: FloatArray, view: str) -> FloatArray:
    """3D pelvis-frame points -> 2D drawing coordinates.

    front: looking at the patient from in front, so the patient's right (+z) is on the viewer's
    left (horizontal = -z). side: seen from the patient's right, anterior (+x) to the right.
    """
    (hi, hs), (vi, vs) = VIEW_AXES[view]
    p = np.asarray(points, dtype=np.float64)
    return np.stack([p[..., hi] * hs, p[..., vi] * vs], axis=-1)


def outline(points2d: FloatArray, faces: IndexArray, pixel: float = 0.001, tol: float = 0.5) -> list[FloatArray]:
    """Silhouette of a projected triangle mesh as closed polygons (outer rings and holes).

    Rasterises the triangles at ``pixel`` resolution, traces the 0.5 level with marching squares and
    simplifies (Douglas-Peucker, ``tol`` pixels). This avoids a polygon-union dependency; a 1 mm
    pixel is far below what the diagram shows.
    """
    tri = np.asarray(points2d)[faces]
    lo = tri.reshape(-1, 2).min(0) - 2 * pixel
    hi = tri.reshape(-1, 2).max(0) + 2 * pixel
    w, h = (np.ceil((hi - lo) / pixel).astype(int)) + 1
    mask = _rasterise((tri - lo) / pixel - 0.5, h, w)  # pixel (r, c) centre at grid point (c, r)
    rings = _marching_squares(mask)
    return [_simplify(r, tol) * pixel + lo + 0.5 * pixel for r in rings if len(r) >= 4]


def _rasterise(g: FloatArray, h: int, w: int) -> npt.NDArray[np.bool_]:
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
_SEGMENTS: dict[int, list[tuple[str, str]]] = {
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


def _marching_squares(mask: npt.NDArray[np.bool_]) -> list[FloatArray]:
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


def _simplify(ring: FloatArray, tol: float) -> FloatArray:
    """Douglas-Peucker on a closed ring (split at the point farthest from the first)."""
    far = int(np.argmax(((ring - ring[0]) ** 2).sum(1)))
    a = _dp(ring[: far + 1], tol)
    b = _dp(np.vstack([ring[far:], ring[:1]]), tol)
    return np.vstack([a[:-1], b])


def _dp(pts: FloatArray, tol: float) -> FloatArray:
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


# --- organs (ellipsoids) ----------------------------------------------------------------


def organ_matrix(organ: Organ) -> FloatArray:
    """3x3 matrix A with surface = centre + A @ unit_sphere (rotate x, then y, then z)."""
    rx, ry, rz = (math.radians(a) for a in organ.rotation_deg)
    cx, sx, cy, sy = math.cos(rx), math.sin(rx), math.cos(ry), math.sin(ry)
    rot_x: FloatArray = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y: FloatArray = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    return rot_z(math.degrees(rz)) @ rot_y @ rot_x @ np.diag(organ.semi_axes)


def ellipse_outline(organ: Organ, view: str, n: int = 48) -> FloatArray:
    """Outline of an ellipsoid organ in a 2D view: the image of a unit circle under the projected matrix."""
    a = organ_matrix(organ)
    (hi, hs), (vi, vs) = VIEW_AXES[view]
    p = np.array([a[hi] * hs, a[vi] * vs])  # 2x3 projected matrix
    u, s, _ = np.linalg.svd(p @ p.T)
    radii = np.sqrt(s)
    t = np.linspace(0, 2 * np.pi, n + 1)
    circle = np.stack([np.cos(t) * radii[0], np.sin(t) * radii[1]])
    ring: FloatArray = (u @ circle).T  # numpy's svd stubs leave the dtype open
    return ring + project(np.array(organ.centre), view)


def ellipsoid_mesh(organ: Organ, n_lat: int = 10, n_lon: int = 16) -> tuple[FloatArray, IndexArray]:
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


# --- cutting the femur short ---------------------------------------------------------------


def clip_mesh_y(vertices: FloatArray, faces: IndexArray, y_cut: float) -> tuple[FloatArray, IndexArray]:
    """Keep the part of a mesh with y >= y_cut, splitting triangles that straddle the cut.

    Used on the femur (in its own frame) so the diagram can stop at mid-thigh with a clean end
    instead of the whole 43 cm bone, which would shrink the psoas to a third of the picture.
    """
    v = [tuple(p) for p in np.asarray(vertices, dtype=np.float64)]
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
            out_faces.append((int(f[0]), int(f[1]), int(f[2])))
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


def resample_ring(ring: FloatArray, n: int) -> FloatArray:
    """A closed ring as ``n`` points evenly spaced along it, starting at its topmost point, counter-clockwise.

    A shape traced from a raster has a different number of points at every hip angle; resampled, the same
    shape has the same points at every angle, so a browser can move smoothly from one precomputed angle to
    the next, and its JSON stays the same size.
    """
    pts = np.asarray(ring, dtype=np.float64)
    if len(pts) > 1 and np.allclose(pts[0], pts[-1]):
        pts = pts[:-1]
    pts = np.roll(pts, -int(np.argmax(pts[:, 1])), axis=0)
    closed = np.vstack([pts, pts[:1]])
    dist = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(closed, axis=0).T))])
    at = np.linspace(0.0, dist[-1], n, endpoint=False)
    out: FloatArray = np.stack([np.interp(at, dist, closed[:, 0]), np.interp(at, dist, closed[:, 1])], axis=1)
    return out
