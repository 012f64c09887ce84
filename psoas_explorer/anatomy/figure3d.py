"""The rotatable 3D diagram: bone meshes, each layer's meshes and lines, and the clickable landmarks in 3D."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.drawing import (
    _HOVER,
    BONE_FILL,
    COLOURS,
    DRAW_ORDER,
    Meta,
    Trace,
    _col,
    _femur_mesh,
    _joined,
    _layer_parts,
    _LayerPart,
    _marker_traces,
    _to3d,
    _trace,
)
from psoas_explorer.anatomy.model import FloatArray, IndexArray


@functools.lru_cache(maxsize=4)
def _static_mesh_3d(geom: gm.Geometry) -> Trace:
    """All bones except the femurs as one mesh trace (they never move)."""
    verts, faces, offset = [], [], 0
    for m in kin.bone_meshes(geom, 0.0):
        if not m.id.startswith("femur"):
            verts.append(m.vertices)
            faces.append(m.faces + offset)
            offset += len(m.vertices)
    return _mesh3d(
        "bones:static",
        {"layer": "bones", "part": "static"},
        np.vstack(verts),
        np.vstack(faces),
        name="Bones",
        color=BONE_FILL,
        hoverinfo="skip",
        showlegend=False,
    )


def _mesh3d(key: str, meta: Meta, verts: FloatArray, faces: IndexArray, **props: Any) -> Trace:
    """Float32/uint16 arrays: plotly sends them as compact base64 typed arrays."""
    x, y, z = _to3d(verts)
    f = np.asarray(faces).astype(np.uint16)
    light = {"ambient": 0.55, "diffuse": 0.7, "specular": 0.05, "roughness": 0.9}
    return _trace(
        "mesh3d",
        key,
        meta,
        x=x.astype(np.float32),
        y=y.astype(np.float32),
        z=z.astype(np.float32),
        i=f[:, 0],
        j=f[:, 1],
        k=f[:, 2],
        flatshading=False,
        lighting=light,
        lightposition={"x": 0, "y": 100000, "z": 50000},
        **props,
    )


def _line3d(key: str, meta: Meta, pieces: Sequence[FloatArray], **props: Any) -> Trace:
    x, y, z = _to3d(_joined(pieces, dim=3))
    return _trace("scatter3d", key, meta, x=_col(x), y=_col(y), z=_col(z), mode="lines", **props)


_WIDTH_3D = {"fascicles": 3, "tendon": 10, "path": 6}  # muscle lines; WebGL lines look thinner than SVG ones


def _traces_3d(geom: gm.Geometry, angle: float, layers: frozenset[str], selected: str | None) -> list[Trace]:
    fv, ff = _femur_mesh(geom)
    femurs = np.vstack([kin.to_pelvis(geom, fv, "femur", angle, s) for s in gm.SIDES])
    femur_faces = np.vstack([ff, ff[:, [0, 2, 1]] + len(fv)])  # mirrored copy: flip the winding
    traces = [
        _static_mesh_3d(geom),
        _mesh3d(
            "bones:femur",
            {"layer": "bones", "part": "femur"},
            femurs,
            femur_faces,
            name="Femurs",
            color=BONE_FILL,
            hoverinfo="skip",
            showlegend=False,
        ),
    ]
    for layer in DRAW_ORDER:
        if layer in layers:
            traces += [_part_trace_3d(part) for part in _layer_parts(geom, layer, angle, gm.SIDES, selected)]
    return traces + _marker_traces(geom, "3d", angle, layers, selected)


def _part_trace_3d(part: _LayerPart) -> Trace:
    """A layer part as one 3D trace: a line with hover everywhere, or an organ's see-through ellipsoid."""
    colour = COLOURS[part.layer]
    if part.organ is not None:
        v, f = ras.ellipsoid_mesh(part.organ)
        # The mesh is not highlighted when selected (the page shows the details), so meta says nothing of it.
        meta = {"layer": part.layer, "part": part.part, "id": part.ident, "approximate": part.approximate}
        return _mesh3d(
            part.key,
            meta,
            v,
            f,
            name=part.name,
            color=colour,
            opacity=0.45,
            legendgroup=part.layer,
            showlegend=False,
            hoverinfo="text",
            hovertext=part.hover,
        )
    common = {"legendgroup": part.layer, "showlegend": False, "hoverinfo": _HOVER}
    if part.ident is None:
        line = {"color": colour, "width": _WIDTH_3D[part.part]}
        return _line3d(part.key, part.meta, part.lines, name=part.name, line=line, hovertext=part.hover, **common)
    nerve = part.layer == "lumbar_plexus"  # yellow needs width (no casing in WebGL) to read on grey
    line = {
        "color": colour,
        "width": (10 if part.selected else 7) if nerve else (8 if part.selected else 4),
        "dash": part.dash,
    }
    n = sum(len(p) for p in part.lines) + len(part.lines) - 1
    return _line3d(
        part.key,
        part.meta,
        part.lines,
        name=part.name,
        line=line,
        customdata=[part.ident] * n,
        hovertext=part.hover,
        **common,
    )
