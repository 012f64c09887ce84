"""What the anatomy page says about the diagram: its link format, the selectable landmarks, the
attachment table that serves as the diagram's text alternative, and each landmark's details.

Pure functions of the geometry model and the content (no Streamlit), so they are tested directly.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from babel.numbers import format_decimal

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.anatomy import words
from psoas_explorer.content import model as c
from psoas_explorer.content.vocab import LAYER_NAMES as VOCAB_LAYERS
from psoas_explorer.content.vocab import VIEW_LABELS
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr
from psoas_explorer.linkformat import Param

NO_LAYERS = "none"  # how a link says "every layer switched off" (an empty list would mean "default")
# Sitting in a chair bends the hip about 60-80 degrees (the pelvis tilts back; about 80 in an X-ray study), not 90.
# Keys: the buttons' words (N_: translated where shown).
PRESETS = {N_("Standing"): 0, N_("Sitting"): 80, N_("Lunge stretch"): -20}


@dataclass(frozen=True)
class Item:
    """Something on the diagram a visitor can select: a landmark, a psoas origin or a neighbour."""

    id: str
    name: str
    layer: str
    plain: str
    technical: str
    approximate: bool


def items(geom: gm.Geometry) -> dict[str, Item]:
    """Every selectable thing, origins first (top to bottom), then the insertion and the neighbours (in the
    geometry's language)."""
    m = geom.model
    origin = tr(geom.lang, "Psoas origin: {label}")
    out = [
        Item(f.id, origin.format(label=f.label), "psoas_major", f.plain, f.technical, False)
        for f in m.psoas_major.fascicles
    ]
    out += [Item(lm.id, lm.name, lm.layer, lm.plain, lm.technical, lm.approximate) for lm in m.landmarks]
    out += [Item(s.id, s.name, s.layer, s.plain, s.technical, s.approximate) for s in m.structures]
    out += [Item(o.id, o.name, o.layer, o.plain, o.technical, o.approximate) for o in m.organs]
    return {i.id: i for i in out}


def shipped_geometry(lang: Lang = DEFAULT) -> gm.Geometry:
    """The shipped model, read and validated once per process and shared read-only (the web layer and the
    link format both use it); its words in ``lang`` (anatomy/words.py: built once, the same meshes and numbers)."""
    return words.in_language(_shipped(), lang)


@functools.cache
def _shipped() -> gm.Geometry:
    return gm.load_geometry()


def page_params(_cnt: c.Content) -> tuple[Param, ...]:
    """The anatomy page's parameters for the page registry (its choices come from the model, not content)."""
    return anatomy_params(shipped_geometry())


def anatomy_params(geom: gm.Geometry) -> tuple[Param, ...]:
    """The anatomy page's public query parameters (see the README's link table)."""
    return (
        Param("view", "choice", "Which view: front, side or 3d.", choices=tuple(VIEW_LABELS), default="front"),
        Param(
            "layers",
            "multi",
            f"Layers shown, repeated; '{NO_LAYERS}' for none. Default: psoas_major.",
            choices=(*gm.LAYERS, NO_LAYERS),
            default=("psoas_major",),
        ),
        Param(
            "angle",
            "int",
            "Hip flexion in degrees, -20 (extension) to 90 (a right angle); sitting in a chair is about 60 to 80.",
            bounds=(int(kin.MIN_ANGLE), int(kin.MAX_ANGLE)),
            default=0,
        ),
        Param("lm", "choice", "The selected landmark or structure.", choices=tuple(items(geom))),
    )


def layers_from_param(values: tuple[str, ...] | None) -> tuple[str, ...]:
    if not values:
        return ("psoas_major",)
    return tuple(v for v in gm.LAYERS if v in values)  # NO_LAYERS alone gives ()


def layers_to_param(layers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(layers) or (NO_LAYERS,)


def attachments_frame(geom: gm.Geometry, cnt: c.Content, layers: Iterable[str] | None = None) -> pd.DataFrame:
    """The diagram as a table: where each attachment is, in plain words and in anatomical terms.

    ``layers``: only the attachments of these layers (what the diagram draws); None for every layer. In the
    geometry's language (``cnt`` in the same one: it names the muscles).
    """
    lang = geom.lang
    shown = set(gm.LAYERS if layers is None else layers)
    names = {s.id: s.name for s in cnt.anatomy.structures}
    m = geom.model
    part = {k: tr(lang, v) for k, v in _PARTS.items()}
    muscle, attachment, part_of, plain, terms = columns = [tr(lang, c) for c in _COLUMNS]
    origin, approximate = tr(lang, "Origin, {level}"), tr(lang, " (approximate)")
    rows = [
        {
            muscle: names["psoas_major"],
            attachment: origin.format(level=f.level),
            part_of: part[f.part],
            plain: f.plain,
            terms: f.technical,
        }
        for f in m.psoas_major.fascicles
        if "psoas_major" in shown
    ]
    rows += [
        {
            muscle: names.get(lm.layer, lm.layer),
            attachment: lm.name + (approximate if lm.approximate else ""),
            part_of: "",
            plain: lm.plain,
            terms: lm.technical,
        }
        for lm in m.landmarks
        if lm.layer in shown
    ]
    return pd.DataFrame(rows, columns=columns)


_PARTS = {"body": N_("Vertebral body"), "disc": N_("Disc"), "transverse_process": N_("Transverse process")}
_COLUMNS = (N_("Muscle"), N_("Attachment"), N_("Part"), N_("In plain words"), N_("In anatomical terms"))


NOTHING_SHOWN = N_("No layer is switched on: only the bones are drawn.")
NOTHING_SHOWN_2D = N_("No layer is switched on: only the bones and the body outline are drawn.")
# What the 2D views draw around the bones (anatomy/body.py): the text alternative must say so.
_BODY_SENTENCE = {
    "front": N_(
        "A light outline sketches the body around the bones, with the navel (at about the level of the L3/L4 "
        "disc) and the groin creases marked: the psoas lies deep inside, on either side of the spine, behind the "
        "belly."
    ),
    "side": N_(
        "A light outline sketches the body: the psoas lies deep inside, behind the belly wall and in front of the "
        "back. The navel is marked on the belly wall at about the level of the L3/L4 disc, and the groin where the "
        "thigh meets the belly."
    ),
}
_VIEW_SENTENCE = {
    "front": N_("Front view of the lower spine, pelvis and both thigh bones (the patient's right on your left)."),
    "side": N_(
        "Side view from the patient's right: the lower spine, pelvis and right thigh bone, front to your right."
    ),
    "3d": N_(
        "3D model of the lower spine, pelvis and both thigh bones, seen from the front and side; drag to turn it."
    ),
}


# The psoas in words (the side view shows the right side only); {origin} is ORIGIN_ANATOMY.
_MUSCLE_SENTENCE = {
    "side": N_(
        "On the right side the psoas major {origin} It runs down over the rim of the pelvis, in front of the hip "
        "joint, to its insertion on the lesser trochanter, on the inner side of the thigh bone. "
        "The model draws its fibres from the vertebral bodies and discs of {bodies} and the transverse "
        "processes of {processes}"
    ),
    "both": N_(
        "On each side the psoas major {origin} It runs down over the rim of the pelvis, in front of the hip "
        "joint, to its insertion on the lesser trochanter, on the inner side of the thigh bone. "
        "The model draws its fibres from the vertebral bodies and discs of {bodies} and the transverse "
        "processes of {processes}"
    ),
}


def _and(words: list[str], lang: Lang = DEFAULT) -> str:
    if len(words) == 1:
        return words[0]
    return tr(lang, "{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def _decimal(value: float, lang: Lang, sign: bool = False) -> str:
    """One decimal in the language's way (Spanish: a decimal comma); English exactly as before (f-string)."""
    if lang == DEFAULT:
        return f"{value:+.1f}" if sign else f"{value:.1f}"
    return format_decimal(round(value, 1), "+0.0;-0.0" if sign else "0.0", locale=lang)


def origin_levels(geom: gm.Geometry) -> tuple[list[str], list[str]]:
    """The psoas origins as drawn: (vertebral bodies and discs, transverse processes), top to bottom."""
    fascicles = geom.model.psoas_major.fascicles
    body, disc = tr(geom.lang, "the {level} body"), tr(geom.lang, "the {level} disc")
    bodies = [
        (body if f.part == "body" else disc).format(level=f.level) for f in fascicles if f.part != "transverse_process"
    ]
    tps = [f.level for f in fascicles if f.part == "transverse_process"]
    return bodies, tps


def _layer_sentence(geom: gm.Geometry, layer: str) -> str:
    """One drawn layer other than the psoas major: its name and what it shows, marked when placed by hand."""
    m = geom.model
    named: list[tuple[str, bool]] = [(lm.name, lm.approximate) for lm in m.landmarks if lm.layer == layer]
    named += [(s.name, s.approximate) for s in m.structures if s.layer == layer]
    named += [(o.name, o.approximate) for o in m.organs if o.layer == layer]
    names = list(dict.fromkeys(n for n, _ in named))
    title = tr(geom.lang, VOCAB_LAYERS[layer]).replace(" ≈", "")
    note = tr(geom.lang, " (position approximate, placed by hand)") if any(a for _, a in named) else ""
    return f"{title}{note}: {_and(names, geom.lang)}." if names else f"{title}{note}."


def description(geom: gm.Geometry, angle: float, view: str = "front", layers: Iterable[str] = ("psoas_major",)) -> str:
    """A short text alternative for the picture as drawn (view, layers, angle), for screen readers and print, in
    the geometry's language."""
    lang = geom.lang
    shown = [layer for layer in gm.LAYERS if layer in set(layers)]
    now, standing = kin.psoas_length_cm(angle, geom), kin.psoas_length_cm(0.0, geom)
    parts = [tr(lang, _VIEW_SENTENCE.get(view, _VIEW_SENTENCE["front"]))]
    if round(angle) > 0:
        pose = tr(lang, "Hip bent {degrees}°").format(degrees=f"{angle:.0f}")
    elif round(angle) < 0:
        pose = tr(lang, "Hip stretched back {degrees}° (the thigh behind the body)").format(degrees=f"{-angle:.0f}")
    else:
        pose = tr(lang, "Hip straight, as in standing (0°)")
    length = tr(lang, "{pose}: model psoas length {now} cm, {change} cm from standing.")
    parts.append(length.format(pose=pose, now=_decimal(now, lang), change=_decimal(now - standing, lang, sign=True)))
    if view in _BODY_SENTENCE:
        parts.append(tr(lang, _BODY_SENTENCE[view]))
    if not shown:
        parts.append(tr(lang, NOTHING_SHOWN_2D if view in _BODY_SENTENCE else NOTHING_SHOWN))
        return " ".join(parts)
    if "psoas_major" in shown:
        bodies, tps = origin_levels(geom)
        t12 = next((lm for lm in geom.model.landmarks if lm.id == "origin_t12_textbook"), None)
        muscle = tr(lang, _MUSCLE_SENTENCE["side" if view == "side" else "both"])
        parts.append(
            muscle.format(origin=tr(lang, ORIGIN_ANATOMY), bodies=_and(bodies, lang), processes=_and(tps, lang))
            + (
                tr(
                    lang,
                    "; the top slip, on T12, has no fibre in the model, so an open marker placed by hand shows it.",
                )
                if t12
                else "."
            )
            + (
                tr(lang, " It is drawn as a muscle belly that narrows into its tendon.")
                if view in _BODY_SENTENCE
                else ""
            )
        )
    others = [_layer_sentence(geom, layer) for layer in shown if layer != "psoas_major"]
    if others:
        parts.append(tr(lang, "Also shown: {layers}").format(layers=" ".join(others)))
    return " ".join(parts)


# The anatomy first, then what the model draws (a screen-reader user must not hear the model's top fibre, on L1,
# as the true start). As in Gray's 1918 and the app's anatomy text (anatomy.yaml, disagreement 'body_levels').
ORIGIN_ANATOMY = N_(
    "starts on the spine by slips on the sides of the vertebral bodies from T12 to L4 and the discs between "
    "them (the lowest slip reaching the top of L5), and on the transverse processes of L1 to L5."
)


def related(cnt: c.Content, layer: str) -> tuple[list[c.Technique], list[c.Myth | c.Faq]]:
    """Techniques and answers that belong with a diagram layer (anatomy.yaml's related_* fields)."""
    st_ = next((s for s in cnt.anatomy.structures if s.id == layer), None)
    if st_ is None:
        return [], []
    both: tuple[c.Myth | c.Faq, ...] = (*cnt.myths_faq.myths, *cnt.myths_faq.faqs)
    answers = {a.id: a for a in both}
    return [cnt.technique(t) for t in st_.related_techniques], [answers[a] for a in st_.related_faqs]


def model_credits(geom: gm.Geometry) -> str:
    """The models and meshes the drawing uses, with licences, and where the model itself is unsure."""
    notes = [f"- {d.text}" for d in geom.model.disagreements]
    heading = tr(geom.lang, "Choices and uncertainties in the drawing")
    licence = tr(geom.lang, " Licence: {licence}.")
    lines = [f"- {s.citation}" + (licence.format(licence=s.licence) if s.licence else "") for s in geom.model.sources]
    return "\n".join(lines) + f"\n\n**{heading}**\n\n" + "\n".join(notes)
