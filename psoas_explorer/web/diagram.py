"""The diagram component: the anatomy figure and the length chart drawn in the page by our own script.

Why not st.plotly_chart: Streamlit loads its full plotly.js (4.7 MB) for it, forces a pan drag on a
selectable chart (a phone swipe then moves the bones instead of the page), and sends the slider's value
only on release. This component (custom components v2, in the page, no iframe) draws the same figure
JSON with the vendored plotly.js core in static/plotly/ (scatter only, 1.1 MB; the 3D view loads the gl3d
bundle only when chosen), blends precomputed poses while the hip control is dragged, and sends back two triggers:
``angle`` (the control was let go or moved by a key) and ``landmark`` (a marker was clicked or tapped).

Payloads are JSON strings built once per (view, layers, angle, selection) and shared between sessions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

PLOTLY_JS = "4.1.1"  # the vendored bundles' version; scripts/refresh_plotly.sh fetches it (matches plotly.py's)
BUNDLES = {"scatter": f"plotly-scatter-{PLOTLY_JS}.min.js", "gl3d": f"plotly-gl3d-{PLOTLY_JS}.min.js"}
DRAWN = '.psoas-diagram[data-drawn="1"]'  # the selector a test or benchmark waits on: the diagram is drawn
_ASSETS = Path(__file__).parent / "assets"

_component = st.components.v2.component(
    "psoas_diagram",
    js=(_ASSETS / "diagram.js").read_text(encoding="utf-8"),
    css=(_ASSETS / "diagram.css").read_text(encoding="utf-8"),
    isolate_styles=False,  # Plotly styles its hover boxes from rules it adds to the page's head
)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def diagram_payload(
    figure_json: str,
    poses_json: str,
    *,
    view: str,
    angle: int,
    bounds: tuple[int, int],
    lengths: list[float],
    standing: float,
    alt: str,
    hint: str,
) -> str:
    """The diagram's data as one JSON string; the figure and poses are spliced in already serialised."""
    rest = _compact(
        {
            "mode": "diagram",
            "view": view,
            "angle": angle,
            "min": bounds[0],
            "max": bounds[1],
            "step": 1,
            "lengths": lengths,
            "standing": standing,
            "alt": alt,
            "hint": hint,
            "bundles": BUNDLES,
        }
    )
    return f'{{"figure":{figure_json},"poses":{poses_json},{rest[1:]}'


def chart_payload(figure_json: str, *, bounds: tuple[int, int], lengths: list[float], alt: str) -> str:
    rest = _compact({"mode": "chart", "min": bounds[0], "lengths": lengths, "alt": alt, "bundles": BUNDLES})
    return f'{{"figure":{figure_json},{rest[1:]}'


def diagram(payload: str, *, key: str, on_angle: Callable[[], None], on_landmark: Callable[[], None]) -> Any:
    """Mount the diagram; the callbacks run (before the rerun) when the angle or a landmark comes back."""
    return _component(key=key, data=payload, on_angle_change=on_angle, on_landmark_change=on_landmark, height="content")


def chart(payload: str, *, key: str) -> Any:
    return _component(key=key, data=payload, height="content")


def trigger(key: str, name: str) -> Any:
    """The value a trigger of the component ``key`` carries in this run (None when it did not fire)."""
    state = st.session_state.get(key)
    return state.get(name) if isinstance(state, dict) else None
