"""Plotly figures for the anatomy page: the psoas diagram (front, side, 3D) and the length chart.

The front and side views are drawn here; what the views share is in drawing.py, the label placement in
labels.py and the 3D view in figure3d.py.

Design choices, so the next person keeps them:

* Bones are quiet grey silhouettes (2D) or meshes (3D); the psoas is the one strong colour
  (Okabe-Ito vermillion). Other layers use other Okabe-Ito colours *and* a different line style
  or marker shape, so nothing depends on telling red from green.
* Anything hand-placed (``approximate: true`` in model.yaml) is dashed (nerves: "≈" in legend and
  hover) and its hover text starts with "≈".
* Every clickable landmark is a marker whose ``customdata`` is the landmark id from model.yaml,
  so the diagram component (web/diagram.py) sends that id back when a marker is tapped or clicked.
* Every trace has ``meta = {"key", "layer", "part", ...}``; ``key`` ("layer:part[:id]") is unique
  per figure and survives ``to_json()`` (plotly drops ``uid``). ``name`` is the human name.
* Coordinates are millimetres rounded to 0.1 mm so the JSON stays small. What does not depend on
  the hip angle is memoised on (geometry, view); traces are plain dicts and the figure is built
  without plotly's per-property validation (tests re-validate), which keeps a rerun in the tens
  of milliseconds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

import numpy as np
import plotly.graph_objects as go
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from psoas_explorer.anatomy import body
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import raster as ras
from psoas_explorer.anatomy.drawing import (
    _EMPTY_TEMPLATE,
    _HOVER,
    _KEEP_OPACITY,
    BELLY_FILL,
    BONE_FILL,
    BONE_LINE,
    COLOURS,
    DRAW_ORDER,
    FEMUR_FILL,
    INK,
    NERVE_CASING,
    ORGAN_FILL,
    SKIN_FILL,
    SKIN_LINE,
    T12_FILL,
    Layout,
    Meta,
    Trace,
    _belly_ring,
    _col,
    _femur_rings,
    _hover,
    _joined,
    _layer_parts,
    _LayerPart,
    _marker_traces,
    _mm,
    _sides,
    _static_bone_rings,
    _trace,
    _xy,
)
from psoas_explorer.anatomy.figure3d import _traces_3d
from psoas_explorer.anatomy.labels import LABEL_PX_LARGE, _label_traces_2d, label_bounds, layer_names_3d
from psoas_explorer.anatomy.model import FloatArray
from psoas_explorer.content import vocab
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr, translator

VIEWS: tuple[str, ...] = ("front", "side", "3d")
DEFAULT_LAYERS = frozenset({"psoas_major"})


HEIGHT = 560
HEIGHT_LARGE = 760  # consult mode: 70 % of a 1080 px screen (issue 15), the size its 16 px labels are laid out for


def _body_traces_2d(geom: gm.Geometry, view: str, angle: float) -> list[Trace]:
    """The body outline, light and under the bones. Always drawn, whatever the layers: it is what shows a
    patient where inside them the psoas lies (see ``body``)."""
    meta: Meta = {"layer": "body", "part": "outline", "approximate": True}
    x, y = _xy(_joined([_mm(r) for r in body.outline(geom, view, angle)]))
    traces = [
        _trace(
            "scatter",
            "body:outline",
            meta,
            x=x,
            y=y,
            mode="lines",
            fill="toself",
            fillcolor=SKIN_FILL,
            line={"color": SKIN_LINE, "width": 1.5},
            hoverinfo="skip",
            showlegend=False,
            name="Body outline (sketch)",
        )
    ]
    return traces


def _surface_traces_2d(geom: gm.Geometry, view: str) -> list[Trace]:
    """The groin creases and the navel and groin as hover points: on the skin, so over the bones."""
    traces = []
    sides = _sides(view)
    if view == "front":
        fx, fy = _xy(_joined([_mm(ras.project(body.groin_fold(geom, s), view)) for s in sides]))
        fold: Meta = {"layer": "body", "part": "fold", "approximate": True}
        line = {"color": SKIN_LINE, "width": 1.5, "dash": "dot"}
        traces.append(
            _trace(
                "scatter", "body:fold", fold, x=fx, y=fy, mode="lines", line=line, hoverinfo="skip", showlegend=False
            )
        )
    for mark, pts in (
        (body.NAVEL, [body.navel(geom)]),
        (body.GROIN, [body.groin(geom, s) for s in sides]),
    ):
        p, name = _mm(ras.project(np.array(pts), view)), tr(geom.lang, mark.name)
        traces.append(
            _trace(
                "scatter",
                f"body:landmark:{mark.id}",
                {"layer": "body", "part": "surface", "id": mark.id, "approximate": True},
                x=_col(p[:, 0]),
                y=_col(p[:, 1]),
                mode="markers",
                marker={"symbol": "circle-open", "size": 11, "color": SKIN_LINE, "line": {"width": 2.5}},
                name=name,
                hovertext=_hover(name, tr(geom.lang, mark.plain), tr(geom.lang, mark.technical), True, geom.lang),
                hoverinfo=_HOVER,
                showlegend=False,
            )
        )
    return traces


def _bone_traces_2d(geom: gm.Geometry, view: str, angle: float) -> list[Trace]:
    fills, holes, ghost = _static_bone_rings(geom, view)
    femurs = list(_femur_rings(geom, view, angle))
    if view == "front":
        femurs += [r * np.array([-1.0, 1.0]) for r in femurs]  # left femur = mirror of the right
    common = {"mode": "lines", "fill": "toself", "hoverinfo": "skip", "showlegend": False}
    traces = []
    parts = (
        ("t12", ghost, T12_FILL, "dot"),
        ("static", fills, BONE_FILL, "solid"),
        ("holes", holes, "white", "solid"),
        ("femur", femurs, FEMUR_FILL, "solid"),
    )
    for part, rings, fill, dash in parts:
        if rings:
            x, y = _xy(_joined(rings))
            meta: Meta = {"layer": "bones", "part": part, "approximate": part == "t12"}
            line = {"color": BONE_LINE, "width": 1, "dash": dash}
            name = "T12 (approximate)" if part == "t12" else f"Bone ({part})"
            traces.append(
                _trace("scatter", f"bones:{part}", meta, x=x, y=y, fillcolor=fill, line=line, name=name, **common)
            )
    return traces


def _line_2d(
    key: str,
    meta: Meta,
    pieces: Sequence[FloatArray],
    view: str,
    *,
    name: str,
    colour: str,
    width: float,
    dash: str = "solid",
    hover: str | None = None,
    ident: str | None = None,
    marker_rows: Iterable[int] = (),
    group: str = "",
) -> Trace:
    """A polyline (several pieces) in one trace; optional markers on given rows for clicking."""
    x, y = _xy(_joined([_mm(ras.project(p, view)) for p in pieces]))
    rows = set(marker_rows)
    props: Trace = {
        "x": x,
        "y": y,
        "name": name,
        "legendgroup": group,
        "showlegend": False,
        "mode": "lines",
        "line": {"color": colour, "width": width, "dash": dash},
    }
    if rows:
        sizes = [9 if i in rows else 0 for i in range(len(x))]
        props.update(
            mode="lines+markers",
            marker={"size": sizes, "color": colour, "line": {"color": "white", "width": 1}},
        )
        props.update(_KEEP_OPACITY)
    if ident:
        props["customdata"] = [ident if v is not None else None for v in x]
    if hover:
        props.update(hovertext=hover, hoverinfo=_HOVER)
    else:
        props["hoverinfo"] = "skip"
    return _trace("scatter", key, meta, **props)


class _LineCommon(TypedDict):
    """What a nerve's casing and its line share (``_line_2d`` arguments)."""

    pieces: Sequence[FloatArray]
    view: str
    name: str
    group: str


def _piece_rows(pieces: Sequence[FloatArray], index: int) -> list[int]:
    """Row numbers of point ``index`` of every piece once joined with gap rows."""
    rows, start = [], 0
    for p in pieces:
        rows.append(start + index)
        start += len(p) + 1
    return rows


# Muscle lines; structures are 3, or 6 when selected. The psoas tendon is thin: its width is in the muscle's shape.
_WIDTH_2D = {"fascicles": 1.3, "tendon": 2.5, "path": 4}


def _layer_traces_2d(geom: gm.Geometry, view: str, angle: float, layer: str, selected: str | None) -> list[Trace]:
    """One layer in 2D: the shared parts (see ``_layer_parts``), with the psoas belly fills under them."""
    parts = _layer_parts(geom, layer, angle, _sides(view), selected)
    traces = _belly_traces_2d(geom, view, angle, parts[0]) if layer == "psoas_major" else []
    for part in parts:
        traces += _part_traces_2d(part, view)
    return traces


def _belly_traces_2d(geom: gm.Geometry, view: str, angle: float, fibres: _LayerPart) -> list[Trace]:
    """The psoas muscle shape, one fill per side, under the fascicles; it carries the muscle's hover."""
    traces = []
    for side in _sides(view):
        x, y = _belly_ring(geom, view, side, angle)
        traces.append(
            _trace(
                "scatter",
                f"{fibres.layer}:belly:{side}",
                {"layer": fibres.layer, "part": "belly", "side": side},
                x=x,
                y=y,
                mode="lines",
                fill="toself",
                fillcolor=BELLY_FILL,
                line={"width": 1.2, "color": COLOURS[fibres.layer]},
                hoveron="fills",
                hoverinfo="text",
                text=fibres.hover,
                name=fibres.name,
                legendgroup=fibres.layer,
                showlegend=False,
            )
        )
    return traces


def _part_traces_2d(part: _LayerPart, view: str) -> list[Trace]:
    """A layer part as 2D traces: a projected polyline, or an organ's outline with a clickable centre."""
    if part.organ is not None:
        return [_organ_trace_2d(part, view)]
    layer = part.layer
    # Model muscle lines carry no hover of their own: their vertices coincide with the landmark
    # markers, and plotly would show the line's text instead of the landmark's. The psoas belly
    # (hover on fill) and the landmark markers say what the muscle is.
    muscle = part.ident is None
    width = _WIDTH_2D[part.part] if muscle else (6.0 if part.selected else 3.0)
    same: _LineCommon = {"pieces": part.lines, "view": view, "name": part.name, "group": layer}
    traces = []
    if layer == "lumbar_plexus":  # dark casing under the yellow so the line reads on white and grey
        casing: Meta = {"layer": layer, "part": "casing", "id": part.ident}
        traces.append(_line_2d(f"{layer}:casing:{part.ident}", casing, colour=NERVE_CASING, width=width + 1.6, **same))
    traces.append(
        _line_2d(
            part.key,
            part.meta,
            colour=COLOURS[layer],
            width=width,
            dash=part.dash,
            ident=part.ident,
            hover=None if muscle else part.hover,
            marker_rows=() if muscle else _piece_rows(part.lines, part.marker_at),
            **same,
        )
    )
    return traces


def _organ_trace_2d(part: _LayerPart, view: str) -> Trace:
    """An organ's filled outline, a gap, then its centre as the one clickable point."""
    assert part.organ is not None
    colour = COLOURS[part.layer]
    ring = _mm(ras.ellipse_outline(part.organ, view))
    centre = _mm(ras.project(np.array(part.organ.centre), view))
    x, y = _xy(np.vstack([ring, [[np.nan, np.nan]], centre[None, :]]))
    marker = {
        "size": [0] * (len(x) - 1) + [12 if part.selected else 9],
        "color": colour,
        "line": {"color": "black" if part.selected else "white", "width": 2 if part.selected else 1},
    }
    return _trace(
        "scatter",
        part.key,
        part.meta,
        x=x,
        y=y,
        mode="lines+markers",
        fill="toself",
        fillcolor=ORGAN_FILL,
        line={"color": colour, "width": 4 if part.selected else 2, "dash": "dash"},
        marker=marker,
        customdata=[part.ident] * len(x),
        name=part.name,
        legendgroup=part.layer,
        showlegend=False,
        hovertext=part.hover,
        hoverinfo=_HOVER,
        **_KEEP_OPACITY,
    )


APPROXIMATE_NOTE = N_("≈ / dashed = approximate position · the body outline is a sketch")
# How to turn and zoom the 3D model depends on the visitor's pointer (mouse or touch): the diagram component
# says it above the drawing (web/assets/diagram.js, gestureHint), so the figure's own note does not.
NOTE_3D = N_("≈ / dashed = approximate position")
_NOTE_FONT = {"size": 12, "color": "#777"}


def _footnote(text: str, large: bool) -> Trace:
    """A note under the drawing, in the bottom margin (used when there is no legend to carry it as its title)."""
    font = {**_NOTE_FONT, "size": LABEL_PX_LARGE if large else 12}
    at = {"x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top", "xref": "paper", "yref": "paper"}
    return {**at, "showarrow": False, "text": text, "font": font}


def _annotations_2d(view: str, large: bool, legend: bool, lang: Lang = DEFAULT) -> list[Trace]:
    """Which side is which, in the top margin; the note on approximate shapes under the drawing (the legend's
    title when there is a legend). In the margins, so they never cover the drawing or its labels."""
    size = LABEL_PX_LARGE if large else 13
    style = {"xref": "paper", "yref": "paper", "showarrow": False, "font": {"size": size, "color": "#555"}}
    top = {**style, "y": 1.0, "yanchor": "bottom"}
    if view == "front":
        notes = [
            {"x": 0.0, "xanchor": "left", "text": tr(lang, "Patient's right"), **top},
            {"x": 1.0, "xanchor": "right", "text": tr(lang, "Patient's left"), **top},
        ]
    else:
        notes = [
            {"x": 0.0, "xanchor": "left", "text": translator(lang).pgettext("side of the body", "Back"), **top},
            {"x": 1.0, "xanchor": "right", "text": translator(lang).pgettext("side of the body", "Front"), **top},
            {"x": 0.5, "xanchor": "center", "text": tr(lang, "Seen from the patient's right side"), **top},
        ]
    return notes if legend else [*notes, _footnote(tr(lang, APPROXIMATE_NOTE), large)]


def _legend_entries(traces: list[Trace], layers: frozenset[str], lang: Lang = DEFAULT) -> None:
    """One legend entry per layer (its first line trace), named after the layer, in LAYERS order."""
    for layer in layers:
        first = next(
            (
                t
                for t in traces
                if t["meta"]["layer"] == layer
                and t["type"] != "mesh3d"
                and t["meta"]["part"] not in ("belly", "casing", "landmark")
            ),
            None,
        )
        if first is None:
            first = next(t for t in traces if t["meta"]["layer"] == layer)
        name = tr(lang, vocab.LAYER_NAMES[layer])
        first.update(showlegend=True, name=name, legendrank=100 + gm.LAYERS.index(layer))


class BuiltFigure(go.Figure):  # type: ignore[misc]  # plotly has no type information: Figure is Any
    """A figure that is finished when built: its dict form is computed once, then reused.

    st.plotly_chart calls ``to_dict()`` on every rerun, a deep copy plus a walk over every array that
    costs about 2 ms for the anatomy diagram. Our figures are cached and shared read-only, so one
    copy is enough; each caller gets a fresh top-level dict, and nothing ever edits one after it is built.
    """

    def to_dict(self) -> dict[str, Any]:
        built = self.__dict__.get("_built_dict")
        if built is None:
            built = super().to_dict()
            self.__dict__["_built_dict"] = built
        return dict(built)


def _figure(traces: list[Trace], layout: Layout) -> go.Figure:
    """Build without plotly's per-property validation (5x faster); tests validate these dicts."""
    try:
        return BuiltFigure(data=traces, layout=layout, _validate=False)
    except TypeError:  # a future plotly without the private switch: validate, just slower
        return BuiltFigure(data=traces, layout=layout)


def anatomy_figure(
    geom: gm.Geometry,
    *,
    view: str = "front",
    layers: frozenset[str] = DEFAULT_LAYERS,
    angle: float = 0.0,
    selected: str | None = None,
    large: bool = False,
) -> go.Figure:
    """The psoas diagram.

    view: "front" (anterior; the patient's right on the viewer's left), "side" (from the patient's
    right, front to the right) or "3d" (rotatable). layers: ids from ``geometry.LAYERS``. angle:
    hip flexion in degrees, clamped to -20..90 (the range the model path is good for).
    selected: a landmark/structure id to highlight; unknown ids are ignored (they may come from a URL).
    large: consult mode's bigger type (labels LABEL_PX_LARGE instead of LABEL_PX), read from across a room.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    layers = frozenset(layers)
    unknown = layers - set(gm.LAYERS)
    if unknown:
        raise ValueError(f"unknown layer id(s) {sorted(unknown)}; expected ids from {gm.LAYERS}")
    angle = round(min(max(float(angle), kin.MIN_ANGLE), kin.MAX_ANGLE), 1)
    note = tr(geom.lang, NOTE_3D) if view == "3d" else tr(geom.lang, APPROXIMATE_NOTE)
    layout: Layout = {
        "template": _EMPTY_TEMPLATE,
        "height": HEIGHT_LARGE if large else HEIGHT,
        "margin": {"l": 4, "r": 4, "t": 30 if large else 24, "b": 30},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": INK},
        "hoverlabel": {
            "bgcolor": "white",
            "font": {"size": LABEL_PX_LARGE if large else 13, "color": INK},
            "align": "left",
        },
        "legend": {  # under the drawing, so it covers nothing; its title is the note on approximate shapes
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "top",
            "title": {
                "text": note,
                "side": "top",
                "font": {**_NOTE_FONT, "size": LABEL_PX_LARGE} if large else _NOTE_FONT,
            },
            "font": {"size": LABEL_PX_LARGE if large else 13},
            "itemclick": "toggle",
            "itemdoubleclick": "toggleothers",
        },
        "showlegend": True,
        "uirevision": f"anatomy-{view}",  # keeps the user's zoom/rotation when the angle or layers change
    }
    if view == "3d":
        traces = _traces_3d(geom, angle, layers, selected)
        axis = {
            "visible": False,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "title": {"text": ""},
        }
        camera = {
            "eye": {"x": 0.9, "y": 1.9, "z": 0.45},
            "up": {"x": 0, "y": 0, "z": 1},
            "center": {"x": 0, "y": 0, "z": -0.05},
        }
        layout["scene"] = {
            "xaxis": axis,
            "yaxis": axis,
            "zaxis": axis,
            "aspectmode": "data",
            "bgcolor": "white",
            "camera": camera,
        }
        if large:  # consult mode names each shown layer on the drawing (issue 23); elsewhere the legend does
            layout["scene"]["annotations"] = layer_names_3d(geom, layers)
        layout["annotations"] = [] if layers else [_footnote(tr(geom.lang, NOTE_3D), large)]
    else:
        traces = _body_traces_2d(geom, view, angle) + _bone_traces_2d(geom, view, angle)
        traces += _surface_traces_2d(geom, view)
        for layer in DRAW_ORDER:
            if layer in layers:
                traces += _layer_traces_2d(geom, view, angle, layer, selected)
        traces += _marker_traces(geom, view, angle, layers, selected)
        traces += _label_traces_2d(geom, view, angle, layers, selected, large)
        (x0, x1), (y0, y1) = label_bounds(geom, view, large)
        axis = {"visible": False, "showgrid": False, "zeroline": False, "showticklabels": False}
        layout.update(
            xaxis={"range": [x0, x1], **axis},
            yaxis={"range": [y0, y1], "scaleanchor": "x", "scaleratio": 1, **axis},
            annotations=_annotations_2d(view, large, bool(layers), geom.lang),
            dragmode="pan",
            clickmode="event+select",
        )
    _legend_entries(traces, layers, geom.lang)
    return _figure(traces, layout)


@functools.lru_cache(maxsize=4)
def _length_curve(geom: gm.Geometry) -> tuple[list[float], list[float]]:
    angles = np.arange(kin.MIN_ANGLE, kin.MAX_ANGLE + 0.5, 1.0)
    return angles.tolist(), np.round([kin.psoas_length_cm(a, geom) for a in angles], 2).tolist()


def length_chart(geom: gm.Geometry, angle: float, large: bool = False, lang: Lang = DEFAULT) -> go.Figure:
    """Psoas length (cm) against hip flexion, -20..90 deg, with the current angle marked.

    large: consult mode, every text at LABEL_PX_LARGE (16 px: read from a chair, issue 23), the chart taller for it.
    """
    small, base = (LABEL_PX_LARGE, LABEL_PX_LARGE) if large else (11, 13)
    angle = min(max(float(angle), kin.MIN_ANGLE), kin.MAX_ANGLE)
    angles, lengths = _length_curve(geom)
    now = kin.psoas_length_cm(angle, geom)
    hover = tr(lang, "Hip flexion %{x:.0f}°: %{y:.1f} cm") + "<extra></extra>"
    traces = [
        _trace(
            "scatter",
            "length:curve",
            {"layer": "length", "part": "curve"},
            x=angles,
            y=lengths,
            mode="lines",
            name=tr(lang, "Psoas length"),
            line={"color": COLOURS["psoas_major"], "width": 3},
            hovertemplate=hover,
        ),
        _trace(
            "scatter",
            "length:now",
            {"layer": "length", "part": "now"},
            x=[angle],
            y=[round(now, 2)],
            mode="markers+text",
            name=tr(lang, "Now"),
            hovertemplate=hover,
            marker={"size": 13, "color": COLOURS["psoas_major"], "line": {"color": "black", "width": 2}},
            # Short: the chart is a third of the page wide, and the change from standing is in the metric above.
            text=[f"{now:.1f} cm" if lang == DEFAULT else f"{format_decimal(round(now, 1), '0.0', locale=lang)} cm"],
            textposition="top right" if angle < 45 else "middle left",
            **({"textfont": {"size": base}} if large else {}),
        ),
    ]
    marks = [
        {
            "type": "line",
            "x0": x,
            "x1": x,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": "#999", "width": 1, "dash": "dot"},
        }
        for x in (0, 80)
    ]
    # Sitting in a chair: the pelvis tilts back, so the hip bends about 60-80 degrees, not a full right angle.
    marks.append(
        {
            "type": "rect",
            "x0": 60,
            "x1": 80,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "fillcolor": "rgba(120,120,120,0.08)",
            "line": {"width": 0},
            "layer": "below",
        }
    )
    style = {
        "yref": "paper",
        "y": 1.0,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": small, "color": "#666"},
    }
    layout = {
        "template": _EMPTY_TEMPLATE,
        "height": 320 if large else 280,
        "margin": {"l": 56, "r": 12, "t": 28, "b": 112} if large else {"l": 48, "r": 12, "t": 24, "b": 92},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "font": {"family": "Source Sans Pro, Arial, sans-serif", "size": base, "color": INK},
        "xaxis": {
            "title": {"text": tr(lang, "Hip flexion (degrees)")},
            "range": [-22, 92],
            "dtick": 30,
            "gridcolor": "#eee",
            "zeroline": False,
            "ticks": "outside",
        },
        "yaxis": {
            "title": {"text": tr(lang, "Psoas length (cm)")},
            "gridcolor": "#eee",
            "zeroline": False,
            "ticks": "outside",
        },
        "shapes": marks,
        "annotations": [
            {"x": 0, "xref": "x", "text": tr(lang, "standing"), **style},
            {"x": 70, "xref": "x", "text": tr(lang, "sitting"), **style},
            {
                # Under the axis title, outside the plot: the chart is narrow and the curve crosses its whole area.
                "x": 0.5,
                "y": 0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "top",
                "yshift": -72 if large else -62,
                "showarrow": False,
                "text": tr(lang, "Model estimate (OpenSim gait2392),<br>not measured in people"),
                "font": {"size": small, "color": "#666"},
            },
        ],
        "uirevision": "length",
    }
    if lang != DEFAULT:  # the language's decimal comma in hover and ticks (Plotly: decimal, then thousands)
        layout["separators"] = get_decimal_symbol(lang) + get_group_symbol(lang)
    return _figure(traces, layout)
