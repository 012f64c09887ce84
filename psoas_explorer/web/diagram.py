"""The diagram component: the anatomy figure and the length chart drawn in the page by our own script.

Why not st.plotly_chart: Streamlit loads its full plotly.js (4.7 MB) for it, forces a pan drag on a
selectable chart (a phone swipe then moves the bones instead of the page), and sends the slider's value
only on release. This component (custom components v2, in the page, no iframe) draws the same figure
JSON with the vendored plotly.js core in static/plotly/ (scatter only, 1.1 MB; the 3D view loads the gl3d
bundle only when chosen), blends precomputed poses while the hip control is dragged (2D and 3D: there the
femur mesh is turned about the hip centre), and sends back two triggers:
``angle`` (the control was let go or moved by a key) and ``landmark`` (a marker was clicked or tapped).

Payloads are JSON strings built once per (view, layers, angle, selection) and shared between sessions.
A session's first run also sends the figure drawn by the server (psoas_explorer/anatomy/svg.py) as a
Markdown image just before the component, in one keyed container (PICTURE_KEY; web/anatomy.py): Markdown is
in Streamlit's first bundle, so it shows with the heading, while this component waits for its lazily loaded
chunk. Once mounted, the component lays the image over the drawing's box at its own size for it and hides it
when Plotly has drawn there (diagram.js ``sharePicture``, diagram.css). Later runs find Plotly loaded, so
they go without it. (``svg`` in the data, the component's own first paint, remains for callers that send it.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import streamlit as st
from babel.numbers import get_decimal_symbol

from psoas_explorer.i18n import N_
from psoas_explorer.web import bidi, lang

PLOTLY_JS = "4.1.1"  # the vendored bundles' version; scripts/refresh_plotly.sh fetches it (matches plotly.py's)
BUNDLES = {"scatter": f"plotly-scatter-{PLOTLY_JS}.min.js", "gl3d": f"plotly-gl3d-{PLOTLY_JS}.min.js"}
DRAWN = '.psoas-diagram[data-drawn="1"]'  # the selector a test or benchmark waits on: Plotly has drawn the diagram
PAINTED = '.psoas-diagram[data-painted="1"]'  # a drawing is on screen: the server's SVG, or Plotly's
PICTURE_KEY = "a_picture"  # the keyed container of the diagram and its first paint, a Markdown image laid over it
FIRST_PAINT = f".st-key-{PICTURE_KEY} img"  # the selector of that image (tests, benchmark)
MESSAGE_BUDGET = 200_000  # bytes of one component message (the benchmark's "figure JSON" target)
_ASSETS = bidi.ASSETS


NAME = "psoas_explorer.diagram"  # "<package>.<component>", as Streamlit names a component with an asset folder
_SCRIPT = "diagram.js"  # in _ASSETS, served at /_stcore/bidi-components/psoas_explorer.diagram/diagram.js


def _lean_js(source: str) -> str:
    """The script without its whole-line comments and indentation, for when it travels inline in every message
    (~5 kB less each). Only safe because diagram.js has no template literals or continued strings."""
    return re.sub(r"(?m)^[ \t]+", "", re.sub(r"(?m)^[ \t]*//.*\n", "", source))


_INLINE_JS = _lean_js((_ASSETS / _SCRIPT).read_text(encoding="utf-8"))


# Every message diagram.js shows (its T("…") calls; a unit test checks the two lists match), sent translated.
SCRIPT_TEXTS = (
    N_("{n} degree"),
    N_("{n} degrees"),
    N_("{percent}% vs standing ({cm} cm)"),
    N_("Loading the 3D model…"),
    N_("Loading the drawing…"),
    N_("Hip flexion"),
    N_("Psoas length"),
    N_("Zoom the drawing"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Move"),
    N_("Move the drawing by dragging"),
    N_("Reset"),
    N_("Show the whole drawing"),
    N_("Move: turn and zoom the model by touch"),
    N_("Reset: the model as it started"),
    N_("Drag to turn, scroll to zoom."),
    N_("Drag to turn, pinch to zoom. Press Move again to scroll the page."),
    N_("Press Move, then drag to turn, pinch to zoom."),
    N_("The drawing could not be shown: {error}"),
)


def texts() -> dict[str, str]:
    """The script's words in the session's language (none in English: the script's own are used)."""
    return bidi.texts(SCRIPT_TEXTS)


def decimal() -> str:
    """The session's decimal sign, for the script's numbers: a live readout says 23,4 cm in Spanish as the
    server's text does."""
    return str(get_decimal_symbol(lang.current()))


_CSS = (_ASSETS / "diagram.css").read_text(encoding="utf-8")  # travels in every message of the component
_component = st.components.v2.component(
    NAME,
    js=bidi.script(NAME, _SCRIPT, _INLINE_JS),
    css=_CSS,
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
    texts: dict[str, str] | None = None,
    decimal: str = ".",
) -> str:
    """The diagram's data as one JSON string; the figure and poses are spliced in already serialised (the
    first paint is the page's Markdown image, web/anatomy.py, not part of this message)."""
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
            "picture": f".st-key-{PICTURE_KEY}",
            **({"t": texts} if texts else {}),
            **({"decimal": decimal} if decimal != "." else {}),
        }
    )
    return f'{{"figure":{figure_json},"poses":{poses_json},{rest[1:]}'


def chart_payload(
    figure_json: str,
    *,
    bounds: tuple[int, int],
    lengths: list[float],
    alt: str,
    texts: dict[str, str] | None = None,
    decimal: str = ".",
) -> str:
    rest = _compact(
        {
            "mode": "chart",
            "min": bounds[0],
            "lengths": lengths,
            "alt": alt,
            "bundles": BUNDLES,
            **({"t": texts} if texts else {}),
            **({"decimal": decimal} if decimal != "." else {}),
        }
    )
    return f'{{"figure":{figure_json},{rest[1:]}'


def diagram(payload: str, *, key: str, on_angle: Callable[[], None], on_landmark: Callable[[], None]) -> Any:
    """Mount the diagram; the callbacks run (before the rerun) when the angle or a landmark comes back."""
    bidi.declare(NAME)
    return _component(key=key, data=payload, on_angle_change=on_angle, on_landmark_change=on_landmark, height="content")


def chart(payload: str, *, key: str) -> Any:
    bidi.declare(NAME)
    return _component(key=key, data=payload, height="content")


def trigger(key: str, name: str) -> Any:
    """The value a trigger of the component ``key`` carries in this run (None when it did not fire)."""
    state = st.session_state.get(key)
    return state.get(name) if isinstance(state, dict) else None
