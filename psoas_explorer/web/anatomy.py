"""Widgets of the anatomy page: view, layers, hip angle, the diagram and the landmark details.

Geometry is loaded once per process and figures are cached per (view, layers, angle, selection),
so moving the slider builds only the figure for the new angle.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from psoas_explorer.anatomy import description as av
from psoas_explorer.anatomy import figures
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import model as c
from psoas_explorer.content import vocab
from psoas_explorer.content.text import md_escape
from psoas_explorer.links import build
from psoas_explorer.web import claims, frame, links, widgets

_LAYER_LABELS = {k: v.replace(" ≈", "") for k, v in vocab.LAYER_NAMES.items()}


def geometry() -> gm.Geometry:
    """The bone meshes and model coordinates: read and validated once per process, shared read-only."""
    return av.shipped_geometry()


@st.cache_resource(show_spinner=False, max_entries=512)
def figure(view: str, layers: tuple[str, ...], angle: int, selected: str | None, large: bool = False) -> go.Figure:
    # Shared between sessions and never changed after it is built (st.plotly_chart copies it to JSON).
    # large: consult mode's bigger labels (16 px).
    geom, shown = geometry(), frozenset(layers)
    return figures.anatomy_figure(geom, view=view, layers=shown, angle=angle, selected=selected, large=large)


@st.cache_resource(show_spinner=False, max_entries=256)
def length_chart(angle: int) -> go.Figure:
    return figures.length_chart(geometry(), angle)


def seed_from_url(values: dict[str, Any]) -> None:
    """Widgets start from an opened link (in and out of consult mode alike: the link is what is on screen)."""
    for key, value in (
        ("a_view", values.get("view") or "front"),
        ("a_layers", list(av.layers_from_param(values.get("layers")))),
        ("a_angle", values.get("angle") or 0),
        ("a_landmark", values.get("lm")),
        ("a_dialog_for", values.get("lm")),  # a landmark in an opened link is shown on the page, not popped up
    ):
        links.seed(key, value)


def _set_angle(angle: int) -> None:
    st.session_state["a_angle"] = angle


def controls() -> tuple[str, tuple[str, ...], int]:
    view = st.segmented_control(
        "View",
        list(av.VIEW_LABELS),
        key="a_view",
        format_func=av.VIEW_LABELS.__getitem__,
        selection_mode="single",
        help="Front and side are flat views; in 3D, drag to turn the model.",
    )
    layers = st.pills(
        "Layers",
        list(gm.LAYERS),
        key="a_layers",
        format_func=_LAYER_LABELS.__getitem__,
        selection_mode="multi",
        wrap=True,
        help="Muscles and the neighbours that matter for safety. ≈ marks structures placed by hand.",
    )
    angle = st.slider(
        "Hip flexion",
        int(kin.MIN_ANGLE),
        int(kin.MAX_ANGLE),
        key="a_angle",
        step=5,
        format="%d degrees",  # the value a screen reader announces carries its unit: "Hip flexion, 30 degrees"
        help=(
            "0 is standing. Sitting in a chair bends the hip about 60 to 80 degrees, because the pelvis tilts "
            "back; 90 is a right angle. Negative values take the thigh behind you, as in a lunge stretch."
        ),
    )
    with st.container(horizontal=True, gap="small"):
        for name, preset in av.PRESETS.items():
            st.button(name, key=f"a_preset_{preset}", on_click=_set_angle, args=(preset,), width="content")
    return view or "front", tuple(layers or ()), int(angle)


def length_readout(angle: int) -> None:
    geom = geometry()
    now, standing = kin.psoas_length_cm(angle, geom), kin.psoas_length_cm(0.0, geom)
    st.metric(
        "Psoas length",
        f"{now:.1f} cm",
        delta=f"{now - standing:+.1f} cm from standing",
        delta_color="off",
        delta_arrow="off",
        help="Model-computed (OpenSim gait2392, Delp et al. 1990), not measured in people.",
        border=True,
    )
    st.plotly_chart(
        length_chart(angle),
        key="a_length_chart",
        config={"displayModeBar": False},
        theme=None,
        alt="Chart of psoas length against hip flexion angle, with the current angle marked.",
    )


def diagram(view: str, layers: tuple[str, ...], angle: int, selected: str | None, alt: str) -> None:
    """Draw the figure; a click on a marker selects that landmark (and redraws it highlighted)."""
    event = st.plotly_chart(
        figure(view, layers, angle, selected, frame.consult()),
        key="a_chart",
        on_select="rerun",
        selection_mode="points",
        theme=None,
        config={"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"], "scrollZoom": False},
        alt=alt,
    )
    clicked = figures.clicked_landmark(event)
    if clicked != st.session_state.get("a_last_click"):  # a new click, not the same selection seen again
        st.session_state["a_last_click"] = clicked
        if clicked in av.items(geometry()) and clicked != selected:
            st.session_state["a_landmark"] = clicked
            st.rerun()


@st.fragment
def explorer(cnt: c.Content) -> None:
    """Controls, length, diagram, captions and text alternative; the link follows them.

    A fragment, so a slider move or a layer switch reruns this part of the page only. A click on a
    marker or a landmark chosen below reruns the whole page, which runs this too.
    """
    geom = geometry()
    picture, side = st.columns([2.3, 1], gap="medium")
    with side:
        view, layers, angle = controls()
        length_readout(angle)
    with picture:
        text = av.description(geom, angle, view, layers)  # follows the drawing: view, layers and angle
        diagram(view, layers, angle, st.session_state.get("a_landmark"), text)
        layer_captions(cnt, layers)
        if box := widgets.lazy_expander("Text description and table of attachments", key="a_text"):
            with box:
                st.markdown(text)
                table = av.attachments_frame(geom, cnt, layers)
                if not table.empty:
                    st.dataframe(
                        table,
                        hide_index=True,
                        key="a_table",
                        height="content",  # every row in the accessibility tree, not just those scrolled into view
                        alt="Table of the attachments drawn: muscle, attachment, part, plain words, anatomical terms.",
                    )
    links.write_url(
        {
            "view": view,
            "layers": av.layers_to_param(layers),
            "angle": angle,
            "lm": st.session_state.get("a_landmark"),
        },
    )


def layer_captions(cnt: c.Content, layers: tuple[str, ...]) -> None:
    lines = []
    for s in cnt.anatomy.structures:
        if s.id in layers:
            note = " (position approximate: no published model gives coordinates)" if s.approximate else ""
            lines.append(f"**{s.name}**{note}: {s.why_it_matters}")
    if lines:
        st.markdown("\n\n".join(lines))


def landmark_picker() -> str | None:
    options = av.items(geometry())
    return st.selectbox(
        "Landmark or structure",
        list(options),
        key="a_landmark",
        format_func=lambda i: options[i].name,
        index=None,
        placeholder="Choose one, or click a marker on the diagram",
    )


def details_on_select(cnt: c.Content, chosen: str | None) -> None:
    """A newly selected landmark (a click or tap on its marker, or the picker) opens its details in a dialog.

    The dialog covers the page where the visitor is, so the details are seen without scrolling on a laptop
    and on a phone; the same details stay on the page below the picker, and the link keeps ``lm=``.
    """
    if chosen == st.session_state.get("a_dialog_for"):
        return
    st.session_state["a_dialog_for"] = chosen
    if chosen in av.items(geometry()):
        name = av.items(geometry())[chosen].name
        st.dialog(name, width="large")(landmark_details)(cnt, chosen, in_dialog=True)


def landmark_details(cnt: c.Content, item_id: str, in_dialog: bool = False) -> None:
    item = av.items(geometry())[item_id]
    structure = next((s for s in cnt.anatomy.structures if s.id == item.layer), None)
    techniques, answers = av.related(cnt, item.layer)
    plain_only = frame.consult()  # consult mode promises plain words: no anatomical terms or model codes
    with st.container(border=not in_dialog, key="a_dialog_details" if in_dialog else "a_details"):
        text = "" if in_dialog else f"## {md_escape(item.name)}"  # the dialog's title names it
        text += (" (approximate)" if item.approximate else "") + f"\n\n{item.plain}"
        if not plain_only:
            text += f"\n\n**In anatomical terms:** {item.technical}"
        if structure:
            about = structure.plain if plain_only else structure.technical
            text += "\n\n" + claims.claim_markdown(f"**{structure.name}:** {about}", structure, cnt)
        st.markdown(text)
        if techniques:
            st.markdown("**Related techniques**")
            for t in techniques:
                link = build.technique_search(t.name)
                st.page_link(
                    link.page,
                    label=t.name,
                    query_params=link.query,
                    icon=":material/self_improvement:",
                )
        if answers:
            st.markdown("**Related questions**")
            for a in answers:
                text = a.question if isinstance(a, c.Faq) else a.belief
                link = build.question_search(text)
                st.page_link(link.page, label=text, query_params=link.query, icon=":material/quiz:")
