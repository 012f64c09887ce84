"""Every id -> words (and colour) map the app shows, in one place: filters, sorts, badges, views, layers.

The ids themselves are part of the data (content.model's Literal types) and of the link format; what a
visitor reads for each lives here, so the page, the handout and the legend cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import get_args

from psoas_explorer.content import model as c
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr

GOALS: tuple[str, ...] = get_args(c.Goal)
AUDIENCES: tuple[str, ...] = get_args(c.Audience)
SETTINGS: tuple[str, ...] = get_args(c.Setting)
PERFORMERS: tuple[str, ...] = get_args(c.Performer)
INTENSITIES: tuple[str, ...] = get_args(c.Intensity)
MIN_EVIDENCE: tuple[str, ...] = ("A", "B", "C", "D")
NO_EQUIPMENT = "none"  # pseudo equipment id: "I have no equipment"

# The words the page shows for vocabulary ids (legend, chips, filters and the handout agree).
LABELS: dict[str, str] = {
    "pain_relief": N_("Pain relief"),
    "posture": N_("Posture"),
    "mobility": N_("Mobility"),
    "recovery": N_("Recovery"),
    "stress": N_("Stress"),
    "breathing": N_("Breathing"),
    "sleep": N_("Sleep"),
    "general_public": N_("Everyone"),
    "desk_workers": N_("Desk workers"),
    "athletes": N_("Athletes"),
    "older_adults": N_("Older adults"),
    "clinician_led": N_("Clinician-led"),
    "home": N_("Home"),
    "work": N_("Work"),
    "clinic": N_("Clinic"),
    "self": N_("On your own"),
    "partner": N_("With a partner"),
    "therapist": N_("By a therapist"),
    "gentle": N_("Gentle"),
    "moderate": N_("Moderate"),
    NO_EQUIPMENT: N_("No equipment"),
}

SORTS: dict[str, str] = {
    "evidence": N_("Strongest evidence first"),
    "name": N_("Name (A to Z)"),
    "intensity": N_("Gentlest first"),
    "time": N_("Shortest first"),
}


def label(value: str, names: Mapping[str, str] | None = None, lang: Lang = DEFAULT) -> str:
    """Readable words for a vocabulary or equipment id (falls back to the id with spaces)."""
    if own := (names or {}).get(value):
        return own
    return tr(lang, LABELS[value]) if value in LABELS else value.replace("_", " ").capitalize()


# Evidence badges: the web badge colour name and, for the PDF, the same hue darkened enough for white text.
BADGE_COLOURS: dict[str, str] = {"A": "green", "B": "blue", "C": "orange", "D": "gray", "X": "red", "F": "violet"}
BADGE_RGB: dict[str, tuple[int, int, int]] = {
    "A": (46, 125, 50),
    "B": (11, 92, 173),
    "C": (184, 92, 0),
    "D": (97, 97, 97),
    "X": (183, 28, 28),
    "F": (106, 27, 154),
}

VIEW_LABELS: dict[str, str] = {"front": N_("Front"), "side": N_("Side"), "3d": N_("3D")}

# Diagram layers (ids are anatomy.model's LAYERS and the public layers= values). "≈" marks structures placed by
# hand: the legend keeps it, the layer switches drop it.
LAYER_NAMES: dict[str, str] = {
    "psoas_major": N_("Psoas major"),
    "psoas_minor": N_("Psoas minor ≈"),
    "iliacus": N_("Iliacus"),
    "rectus_femoris": N_("Rectus femoris"),
    "lumbar_plexus": N_("Lumbar plexus nerves ≈"),
    "arteries": N_("Aorta and iliac arteries ≈"),
    "kidneys_ureters": N_("Kidneys and ureters ≈"),
}

# The diagram's labels in plain words (the anatomical term is in each point's hover and details). Psoas origins
# are worded from their level and part (see ``diagram_label``); "<br>" breaks a long label into two lines.
DIAGRAM_LABELS: dict[str, str] = {
    "insertion_lesser_trochanter": N_("lesser trochanter<br>(inner thigh-bone knob)"),
    "origin_t12_textbook": N_("T12 (in textbooks)"),
    "iliacus_origin": N_("inside of the<br>hip-bone wing"),
    "rectus_femoris_origin": N_("front of the hip bone"),
    "psoas_minor_origin": N_("psoas minor starts"),
    "psoas_minor_insertion": N_("psoas minor ends"),
    "navel": N_("navel"),
    "groin": N_("groin"),
    "thigh_bone": N_("thigh bone"),
}
_ORIGIN_PART_WORDS = {
    "body": N_("side of {level}"),
    "disc": N_("{level} disc"),
    "transverse_process": N_("side wing of {level}"),
}


def diagram_label(ident: str, part: str | None = None, level: str | None = None, lang: Lang = DEFAULT) -> str:
    """A diagram label: a psoas origin from its part and level ("side wing of L3"), anything else by id."""
    if part is not None and level is not None:
        return tr(lang, _ORIGIN_PART_WORDS[part]).format(level=level.replace("/", "–"))
    return tr(lang, DIAGRAM_LABELS[ident])
