"""Widgets of the anatomy page: view, layers, hip angle, the diagram and the landmark details.

Geometry is loaded once per process and figures are cached as JSON per (view, layers, angle, selection),
so letting go of the hip control builds only the figure for the new angle; the poses the browser blends
while it is dragged are cached per (view, layers). Everything drawn holds words, so every memo here is keyed by
the language too (the last argument): an English visitor never gets a Spanish drawing, nor the reverse.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from psoas_explorer.anatomy import animation, figures, labels, svg
from psoas_explorer.anatomy import description as av
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import model as c
from psoas_explorer.content import vocab
from psoas_explorer.content.text import md_escape
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr
from psoas_explorer.links import build
from psoas_explorer.web import claims, frame, lang, links, memo, nav, widgets
from psoas_explorer.web import diagram as diagram_view
from psoas_explorer.web.lang import _


def geometry(language: Lang = DEFAULT) -> gm.Geometry:
    """The bone meshes and model coordinates, with the model's words in ``language``: read and validated once per
    process and language, shared read-only."""
    return av.shipped_geometry(language)


@memo.shared(maxsize=512)
def figure_json(
    view: str, layers: tuple[str, ...], angle: int, selected: str | None, large: bool = False, language: Lang = DEFAULT
) -> str:
    """The figure as the JSON the browser draws (3D meshes as base64 typed arrays); large: consult mode's bigger
    labels (16 px). Shared between sessions: an immutable string of the model, keyed by choices from fixed lists
    and the language."""
    geom, shown = geometry(language), frozenset(layers)
    fig = figures.anatomy_figure(geom, view=view, layers=shown, angle=angle, selected=selected, large=large)
    return str(fig.to_json(validate=False))


@memo.shared(maxsize=128)
def figure_svg(
    view: str, layers: tuple[str, ...], angle: int, selected: str | None, large: bool = False, language: Lang = DEFAULT
) -> str:
    """The first paint: the same figure as a static SVG (2D only), shown until Plotly has drawn; shared as
    figure_json is."""
    if view == "3d":
        return ""
    return svg.figure_svg_from_json(figure_json(view, layers, angle, selected, large, language))


@memo.shared(maxsize=128)
def first_paint(
    view: str, layers: tuple[str, ...], angle: int, selected: str | None, large: bool = False, language: Lang = DEFAULT
) -> str:
    """The first paint as Markdown: figure_svg as an image complete in itself (empty alt: the component carries
    the description). Markdown is in Streamlit's first bundle, so it shows with the heading, while the
    component waits for its lazily loaded chunk and Plotly for its bundle. "" for 3D.

    Consult mode sends a second picture, the figure as a phone draws it (labels.narrow: compact labels, no names'
    margins); the page shows the one the component will draw (diagram.css, diagram.js ``sharePicture``), so the
    drawing does not change when Plotly takes over (issue 23)."""
    first = svg.markdown_image(svg.picture(figure_svg(view, layers, angle, selected, large, language)))
    if not (large and first):
        return first
    phone = svg.figure_svg(labels.narrow(json.loads(figure_json(view, layers, angle, selected, large, language))))
    return first + svg.markdown_image(svg.placed(phone))  # its own width: a phone's drawing fills its width


@memo.shared(maxsize=64)
def poses_json(view: str, layers: tuple[str, ...], large: bool = False, language: Lang = DEFAULT) -> str:
    """The moving traces every 10 degrees, for the browser to blend while the control is dragged (shared as
    figure_json is; the labels' places depend on their words' length, so per language too)."""
    poses = animation.poses(geometry(language), view, frozenset(layers), large=large)
    return json.dumps(poses, separators=(",", ":"))


@memo.shared(maxsize=256)
def chart_json(angle: int, large: bool = False, lang: Lang = DEFAULT) -> str:
    """The length chart with the angle marked (large: consult mode's 16 px type): an immutable string, the same
    for everyone (shared by angle, mode and language)."""
    return str(figures.length_chart(geometry(), angle, large=large, lang=lang).to_json(validate=False))


@memo.shared()
def landmarks(language: Lang = DEFAULT) -> dict[str, av.Item]:
    """Every selectable item of the shipped model by id, built once per process and language and shared: the
    model's own names and texts, the same for everyone; callers only look items up (never change the mapping)."""
    return av.items(geometry(language))


@memo.shared(maxsize=512)
def description(angle: int, view: str, layers: tuple[str, ...], language: Lang = DEFAULT) -> str:
    """The text alternative of one drawing: an immutable string of the model, keyed by choices from fixed lists
    and the language."""
    return av.description(geometry(language), angle, view, layers)


@memo.shared()
def lengths_cm() -> tuple[list[float], float]:
    """Psoas length at every whole degree of the control's range, and standing: the live readout's table."""
    geom = geometry()
    lo, hi = ANGLE_BOUNDS
    return [round(kin.psoas_length_cm(a, geom), 2) for a in range(lo, hi + 1)], kin.psoas_length_cm(0.0, geom)


ANGLE_BOUNDS = (int(kin.MIN_ANGLE), int(kin.MAX_ANGLE))
HINT = N_(
    "0 is standing. Sitting in a chair bends the hip about 60 to 80 degrees, because the pelvis tilts back; "
    "90 is a right angle. Negative values take the thigh behind you, as in a lunge stretch. Lengths are "
    "model-computed (OpenSim gait2392), not measured in people."
)
CHART_ALT = N_("Chart of psoas length against hip flexion angle, with the current angle marked.")


def seed_from_url(values: dict[str, Any]) -> None:
    """Widgets start from an opened link (in and out of consult mode alike: the link is what is on screen)."""
    links.seed_all(
        _SEEDED,
        lambda: {
            "a_view": values.get("view") or "front",
            "a_layers": list(av.layers_from_param(values.get("layers"))),
            "a_angle": values.get("angle") or 0,
            "a_landmark": values.get("lm"),
            "a_dialog_for": None,  # a landmark in an opened link opens its details dialog, as a tap does
        },
    )


_SEEDED = ("a_view", "a_layers", "a_angle", "a_landmark", "a_dialog_for")


def _set_angle(angle: int) -> None:
    st.session_state["a_angle"] = angle


# On a phone Streamlit stacks the explorer's two columns: the view and layer controls (the side column, after
# the drawing in the page) would come below the whole diagram, so switching view changed something off screen.
# Below Streamlit's column breakpoint (640 px) the side column's own box is dissolved (display: contents) and
# the two controls are ordered first, as a compact bar above the diagram: each label beside its control, the
# layers in one row that scrolls sideways. The reading order stays the page's (diagram, then controls), as
# on a laptop where the controls are beside it; the presets and the length chart stay below the drawing.
# Consult mode's first paint is two pictures (first_paint): the wide one, and on a phone the narrow one, which is
# what the diagram draws there (until the component mounts and picks the one it draws: diagram.css).
# The side column is the one whose first block holds View (keyed a_view); one literal, as every raw HTML the
# app renders is (tests/app/test_hardening.py).
PHONE_CSS = """<style>
.st-key-a_picture img + img { display: none; }
@media (max-width: 640px) {
  .st-key-a_picture img:has(+ img) { display: none; }
  .st-key-a_picture img + img { display: inline; }
  [data-testid="stColumn"]:has(> [data-testid="stVerticalBlock"] > .st-key-a_view),
  [data-testid="stColumn"]:has(> [data-testid="stVerticalBlock"] > .st-key-a_view) > [data-testid="stVerticalBlock"] {
    display: contents;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] > [data-testid="stVerticalBlock"] > .st-key-a_view) {
    row-gap: 0.75rem;
  }
  .st-key-a_view, .st-key-a_layers { order: -1; width: 100%; }
  .st-key-a_view [data-testid="stButtonGroup"], .st-key-a_layers [data-testid="stButtonGroup"] {
    display: flex; align-items: center; gap: 0.5rem;
  }
  .st-key-a_view [data-testid="stWidgetLabel"], .st-key-a_layers [data-testid="stWidgetLabel"] {
    flex: none; margin: 0; min-height: 0;
  }
  .st-key-a_layers [role="toolbar"] { flex-wrap: nowrap; overflow-x: auto; min-width: 0; scrollbar-width: none; }
  .st-key-a_layers [role="toolbar"] button { flex: none; }
}
</style>"""


def phone_layout() -> None:
    """The page's layout rules for a phone (PHONE_CSS); style only, so Streamlit gives it no space."""
    st.html(PHONE_CSS)


def controls() -> tuple[str, tuple[str, ...]]:
    view = st.segmented_control(
        _("View"),
        list(av.VIEW_LABELS),
        key="a_view",
        format_func=lambda v: _(av.VIEW_LABELS[v]),
        selection_mode="single",
        help=_("Front and side are flat views; in 3D, drag to turn the model (on a touch screen, press Move first)."),
    )
    layers = st.pills(
        _("Layers"),
        list(gm.LAYERS),
        key="a_layers",
        format_func=lambda layer: _(vocab.LAYER_NAMES[layer]).replace(" ≈", ""),
        selection_mode="multi",
        wrap=True,
        help=_("Muscles and the neighbours that matter for safety. ≈ marks structures placed by hand."),
    )
    with st.container(horizontal=True, gap="small"):
        for name, preset in av.PRESETS.items():
            st.button(_(name), key=f"a_preset_{preset}", on_click=_set_angle, args=(preset,), width="content")
    return view or "front", tuple(layers or ())


def chosen_view_layers() -> tuple[str, tuple[str, ...]]:
    """The view and layers the controls hold (their widget state, set before this run), as controls() returns
    them: readable before the controls are drawn."""
    view = st.session_state.get("a_view")
    layers = st.session_state.get("a_layers")
    return (view if view in av.VIEW_LABELS else "front"), tuple(x for x in layers or () if x in gm.LAYERS)


def _angle() -> int:
    lo, hi = ANGLE_BOUNDS
    try:
        return min(max(int(st.session_state.get("a_angle", 0)), lo), hi)
    except (TypeError, ValueError):
        return 0


def _on_angle() -> None:
    """The control was let go (or moved by a key): its angle becomes the page's, then the link's."""
    value = diagram_view.trigger("a_diagram", "angle")
    if isinstance(value, int | float) and not isinstance(value, bool):
        lo, hi = ANGLE_BOUNDS
        st.session_state["a_angle"] = min(max(round(value), lo), hi)


def _on_landmark() -> None:
    """A marker was clicked or tapped: select it; the page then reruns whole so its details open."""
    clicked = diagram_view.trigger("a_diagram", "landmark")
    known = isinstance(clicked, str) and clicked in landmarks(lang.current())
    if known and clicked != st.session_state.get("a_landmark"):
        st.session_state["a_landmark"] = clicked
        st.session_state[_CLICKED] = True


_CLICKED = "_a_clicked"


_PAINTED = "_a_first_paint_sent"


def diagram(view: str, layers: tuple[str, ...], angle: int, selected: str | None, alt: str) -> None:
    """The drawing with its hip control and live length readout (one component, see web/diagram.py).

    The session's first run also sends the server-drawn picture of the figure as a Markdown image, just before
    the component in one keyed container: it shows with the page's heading, the component lays it over the
    drawing's box once mounted (one size: the component's) and hides it once Plotly has drawn there. Later
    runs find Plotly loaded, so they send an empty slot instead of the picture's bytes.
    """
    lengths, standing = lengths_cm()
    large, language = frame.consult(), lang.current()
    first = not st.session_state.get(_PAINTED, False)
    st.session_state[_PAINTED] = True
    picture = first_paint(view, layers, angle, selected, large, language) if first else ""
    payload = diagram_view.diagram_payload(
        figure_json(view, layers, angle, selected, large, language),
        poses_json(view, layers, large, language),
        view=view,
        angle=angle,
        bounds=ANGLE_BOUNDS,
        lengths=lengths,
        standing=round(standing, 2),
        alt=alt,
        hint=_(HINT),
        texts=diagram_view.texts(),
        decimal=diagram_view.decimal(),
    )
    with st.container(key=diagram_view.PICTURE_KEY):
        if picture:
            st.markdown(picture, text_alignment="center")
        else:
            st.empty()
        diagram_view.diagram(payload, key="a_diagram", on_angle=_on_angle, on_landmark=_on_landmark)
    if st.session_state.pop(_CLICKED, False):
        st.rerun()  # the whole page: the landmark's details and dialog live outside this fragment


def length_chart(angle: int) -> None:
    lengths, _standing = lengths_cm()
    payload = diagram_view.chart_payload(
        chart_json(angle, frame.consult(), lang.current()),
        bounds=ANGLE_BOUNDS,
        lengths=lengths,
        alt=_(CHART_ALT),
        texts=diagram_view.texts(),
        decimal=diagram_view.decimal(),
    )
    diagram_view.chart(payload, key="a_length_chart")


@st.fragment
def explorer(cnt: c.Content) -> None:
    """Controls, length, diagram, captions and text alternative; the link follows them.

    A fragment, so a released hip control or a layer switch reruns this part of the page only (while the
    control is dragged the browser animates on its own). A click on a marker or a landmark chosen below
    reruns the whole page, which runs this too.
    """
    geom = geometry(lang.current())
    picture, side = st.columns([2.3, 1], gap="medium")
    angle = _angle()
    # The diagram goes out first, before the controls beside it: on a first visit the browser mounts it (and
    # shows its first paint) while the rest of the page is still arriving. It takes the view and layers the
    # controls hold; the controls drawn after it return the same values.
    view, layers = chosen_view_layers()
    text = description(angle, view, layers, lang.current())  # follows the drawing: view, layers and angle
    with picture:
        diagram(view, layers, angle, st.session_state.get("a_landmark"), text)
    with side:
        controls()
        length_chart(angle)
    with picture:
        layer_captions(cnt, layers)
        if box := widgets.lazy_expander(_("Text description and table of attachments"), key="a_text"):
            with box:
                st.markdown(text)
                table = av.attachments_frame(geom, cnt, layers)
                if not table.empty:
                    st.dataframe(
                        table,
                        hide_index=True,
                        key="a_table",
                        height="content",  # every row in the accessibility tree, not just those scrolled into view
                        alt=_(
                            "Table of the attachments drawn: muscle, attachment, part, plain words, anatomical terms."
                        ),
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
    if text := _captions(cnt, memo.folder(), lang.current(), layers):
        st.markdown(text)


@memo.per_folder(maxsize=256)
def _captions(cnt: c.Content, folder: str, lang: Lang, layers: tuple[str, ...]) -> str:
    """Why each drawn layer matters: content text keyed by the language and layer ids (a choice from a fixed list),
    shared."""
    lines = []
    for s in cnt.anatomy.structures:
        if s.id in layers:
            line = (
                tr(lang, "**{name}** (position approximate: no published model gives coordinates): {why}")
                if s.approximate
                else tr(lang, "**{name}**: {why}")
            )
            lines.append(line.format(name=s.name, why=s.why_it_matters))
    return "\n\n".join(lines)


def landmark_picker() -> str | None:
    options = landmarks(lang.current())
    return st.selectbox(
        _("Landmark or structure"),
        list(options),
        key="a_landmark",
        format_func=lambda i: options[i].name,
        index=None,
        placeholder=_("Choose one, or click a marker on the diagram"),
    )


def details_on_select(cnt: c.Content, chosen: str | None) -> None:
    """A newly selected landmark (a click or tap on its marker, or the picker) opens its details in a dialog.

    The dialog covers the page where the visitor is, so the details are seen without scrolling on a laptop
    and on a phone; the same details stay on the page below the picker, and the link keeps ``lm=``.
    """
    if chosen == st.session_state.get("a_dialog_for"):
        return
    st.session_state["a_dialog_for"] = chosen
    if chosen and (item := landmarks(lang.current()).get(chosen)):
        st.dialog(item.name, width="large")(landmark_details)(cnt, chosen, in_dialog=True)


def landmark_details(cnt: c.Content, item_id: str, in_dialog: bool = False) -> None:
    item = landmarks(lang.current())[item_id]
    structure = next((s for s in cnt.anatomy.structures if s.id == item.layer), None)
    techniques, answers = av.related(cnt, item.layer)
    plain_only = frame.consult()  # consult mode promises plain words: no anatomical terms or model codes
    with st.container(border=not in_dialog, key="a_dialog_details" if in_dialog else "a_details"):
        text = "" if in_dialog else f"## {md_escape(item.name)}"  # the dialog's title names it
        text += (_(" (approximate)") if item.approximate else "") + f"\n\n{item.plain}"
        if not plain_only:
            text += "\n\n" + _("**In anatomical terms:** {terms}").format(terms=item.technical)
        if structure:
            about = structure.plain if plain_only else structure.technical
            text += "\n\n" + claims.claim_markdown(f"**{structure.name}:** {about}", structure, cnt)
        st.markdown(text)
        if techniques:
            st.markdown("**" + _("Related techniques") + "**")
            for t in techniques:
                link = build.technique_search(t.name)
                st.page_link(
                    nav.page(link.url_path),
                    label=t.name,
                    query_params=lang.with_lang(link.query),
                    icon=":material/self_improvement:",
                )
        if answers:
            st.markdown("**" + _("Related questions") + "**")
            for a in answers:
                text = a.question if isinstance(a, c.Faq) else a.belief
                link = build.question_search(text)
                st.page_link(
                    nav.page(link.url_path), label=text, query_params=lang.with_lang(link.query), icon=":material/quiz:"
                )
