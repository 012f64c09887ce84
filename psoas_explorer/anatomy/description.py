"""What the anatomy page says about the diagram: its link format, the selectable landmarks, the
attachment table that serves as the diagram's text alternative, and each landmark's details.

Pure functions of the geometry model and the content (no Streamlit), so they are tested directly.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import model as c
from psoas_explorer.content.vocab import LAYER_NAMES as VOCAB_LAYERS
from psoas_explorer.content.vocab import VIEW_LABELS
from psoas_explorer.linkformat import Param

NO_LAYERS = "none"  # how a link says "every layer switched off" (an empty list would mean "default")
# Sitting in a chair bends the hip about 60-80 degrees (the pelvis tilts back; about 80 in an X-ray study), not 90.
PRESETS = {"Standing": 0, "Sitting": 80, "Lunge stretch": -20}


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
    """Every selectable thing, origins first (top to bottom), then the insertion and the neighbours."""
    m = geom.model
    out = [
        Item(f.id, f"Psoas origin: {f.label}", "psoas_major", f.plain, f.technical, False)
        for f in m.psoas_major.fascicles
    ]
    out += [Item(lm.id, lm.name, lm.layer, lm.plain, lm.technical, lm.approximate) for lm in m.landmarks]
    out += [Item(s.id, s.name, s.layer, s.plain, s.technical, s.approximate) for s in m.structures]
    out += [Item(o.id, o.name, o.layer, o.plain, o.technical, o.approximate) for o in m.organs]
    return {i.id: i for i in out}


@functools.cache
def shipped_geometry() -> gm.Geometry:
    """The shipped model, read and validated once per process and shared read-only (the web layer and the
    link format both use it)."""
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

    ``layers``: only the attachments of these layers (what the diagram draws); None for every layer.
    """
    shown = set(gm.LAYERS if layers is None else layers)
    names = {s.id: s.name for s in cnt.anatomy.structures}
    m = geom.model
    part = {"body": "Vertebral body", "disc": "Disc", "transverse_process": "Transverse process"}
    columns = ["Muscle", "Attachment", "Part", "In plain words", "In anatomical terms"]
    rows = [
        {
            "Muscle": names["psoas_major"],
            "Attachment": f"Origin, {f.level}",
            "Part": part[f.part],
            "In plain words": f.plain,
            "In anatomical terms": f.technical,
        }
        for f in m.psoas_major.fascicles
        if "psoas_major" in shown
    ]
    rows += [
        {
            "Muscle": names.get(lm.layer, lm.layer),
            "Attachment": lm.name + (" (approximate)" if lm.approximate else ""),
            "Part": "",
            "In plain words": lm.plain,
            "In anatomical terms": lm.technical,
        }
        for lm in m.landmarks
        if lm.layer in shown
    ]
    return pd.DataFrame(rows, columns=columns)


NOTHING_SHOWN = "No layer is switched on: only the bones are drawn."
NOTHING_SHOWN_2D = "No layer is switched on: only the bones and the body outline are drawn."
# What the 2D views draw around the bones (anatomy/body.py): the text alternative must say so.
_BODY_SENTENCE = {
    "front": (
        "A light outline sketches the body around the bones, with the navel (at about the level of the L3/L4 "
        "disc) and the groin creases marked: the psoas lies deep inside, on either side of the spine, behind the "
        "belly."
    ),
    "side": (
        "A light outline sketches the body: the psoas lies deep inside, behind the belly wall and in front of the "
        "back. The navel is marked on the belly wall at about the level of the L3/L4 disc, and the groin where the "
        "thigh meets the belly."
    ),
}
_VIEW_SENTENCE = {
    "front": "Front view of the lower spine, pelvis and both thigh bones (the patient's right on your left).",
    "side": "Side view from the patient's right: the lower spine, pelvis and right thigh bone, front to your right.",
    "3d": "3D model of the lower spine, pelvis and both thigh bones, seen from the front and side; drag to turn it.",
}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def origin_levels(geom: gm.Geometry) -> tuple[list[str], list[str]]:
    """The psoas origins as drawn: (vertebral bodies and discs, transverse processes), top to bottom."""
    fascicles = geom.model.psoas_major.fascicles
    bodies = [
        f"the {f.level} {'body' if f.part == 'body' else 'disc'}" for f in fascicles if f.part != "transverse_process"
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
    title = VOCAB_LAYERS[layer].replace(" ≈", "")
    note = " (position approximate, placed by hand)" if any(a for _, a in named) else ""
    return f"{title}{note}: {_and(names)}." if names else f"{title}{note}."


def description(geom: gm.Geometry, angle: float, view: str = "front", layers: Iterable[str] = ("psoas_major",)) -> str:
    """A short text alternative for the picture as drawn (view, layers, angle), for screen readers and print."""
    shown = [layer for layer in gm.LAYERS if layer in set(layers)]
    now, standing = kin.psoas_length_cm(angle, geom), kin.psoas_length_cm(0.0, geom)
    parts = [_VIEW_SENTENCE.get(view, _VIEW_SENTENCE["front"])]
    if round(angle) > 0:
        pose = f"Hip bent {angle:.0f}°"
    elif round(angle) < 0:
        pose = f"Hip stretched back {-angle:.0f}° (the thigh behind the body)"
    else:
        pose = "Hip straight, as in standing (0°)"
    parts.append(f"{pose}: model psoas length {now:.1f} cm, {now - standing:+.1f} cm from standing.")
    if view in _BODY_SENTENCE:
        parts.append(_BODY_SENTENCE[view])
    if not shown:
        parts.append(NOTHING_SHOWN_2D if view in _BODY_SENTENCE else NOTHING_SHOWN)
        return " ".join(parts)
    if "psoas_major" in shown:
        bodies, tps = origin_levels(geom)
        where = "On the right side" if view == "side" else "On each side"
        t12 = next((lm for lm in geom.model.landmarks if lm.id == "origin_t12_textbook"), None)
        parts.append(
            f"{where} the psoas major runs from the lumbar spine (vertebral bodies and discs: {_and(bodies)}; "
            f"transverse processes of {_and(tps)}) down over the rim of the pelvis, in front of the hip joint, "
            "to its insertion on the lesser trochanter, on the inner side of the thigh bone."
            + (" It is drawn as a muscle belly that narrows into its tendon." if view in _BODY_SENTENCE else "")
            + (
                " An open marker, placed by hand, shows where textbooks add a slip from the T12 vertebra."
                if t12
                else ""
            )
        )
    others = [_layer_sentence(geom, layer) for layer in shown if layer != "psoas_major"]
    if others:
        parts.append("Also shown: " + " ".join(others))
    return " ".join(parts)


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
    lines = [f"- {s.citation}" + (f" Licence: {s.licence}." if s.licence else "") for s in geom.model.sources]
    notes = [f"- {d.text}" for d in geom.model.disagreements]
    return "\n".join(lines) + "\n\n**Choices and uncertainties in the drawing**\n\n" + "\n".join(notes)
