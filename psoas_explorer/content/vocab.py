"""Every id -> words (and colour) map the app shows, in one place: filters, sorts, badges, views, layers.

The ids themselves are part of the data (content.model's Literal types) and of the link format; what a
visitor reads for each lives here, so the page, the handout and the legend cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import get_args

from psoas_explorer.content import model as c

GOALS: tuple[str, ...] = get_args(c.Goal)
AUDIENCES: tuple[str, ...] = get_args(c.Audience)
SETTINGS: tuple[str, ...] = get_args(c.Setting)
PERFORMERS: tuple[str, ...] = get_args(c.Performer)
INTENSITIES: tuple[str, ...] = get_args(c.Intensity)
MIN_EVIDENCE: tuple[str, ...] = ("A", "B", "C", "D")
NO_EQUIPMENT = "none"  # pseudo equipment id: "I have no equipment"

# The words the page shows for vocabulary ids (legend, chips, filters and the handout agree).
LABELS: dict[str, str] = {
    "pain_relief": "Pain relief",
    "posture": "Posture",
    "mobility": "Mobility",
    "recovery": "Recovery",
    "stress": "Stress",
    "breathing": "Breathing",
    "sleep": "Sleep",
    "general_public": "Everyone",
    "desk_workers": "Desk workers",
    "athletes": "Athletes",
    "older_adults": "Older adults",
    "clinician_led": "Clinician-led",
    "home": "Home",
    "work": "Work",
    "clinic": "Clinic",
    "self": "On your own",
    "partner": "With a partner",
    "therapist": "By a therapist",
    "gentle": "Gentle",
    "moderate": "Moderate",
    NO_EQUIPMENT: "No equipment",
}

SORTS: dict[str, str] = {
    "evidence": "Strongest evidence first",
    "name": "Name (A to Z)",
    "intensity": "Gentlest first",
    "time": "Shortest first",
}


def label(value: str, names: Mapping[str, str] | None = None) -> str:
    """Readable words for a vocabulary or equipment id (falls back to the id with spaces)."""
    return (names or {}).get(value) or LABELS.get(value) or value.replace("_", " ").capitalize()


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

VIEW_LABELS: dict[str, str] = {"front": "Front", "side": "Side", "3d": "3D"}

# Diagram layers (ids are anatomy.model's LAYERS and the public layers= values). "≈" marks structures placed by
# hand: the legend keeps it, the layer switches drop it.
LAYER_NAMES: dict[str, str] = {
    "psoas_major": "Psoas major",
    "psoas_minor": "Psoas minor ≈",
    "iliacus": "Iliacus",
    "rectus_femoris": "Rectus femoris",
    "lumbar_plexus": "Lumbar plexus nerves ≈",
    "arteries": "Aorta and iliac arteries ≈",
    "kidneys_ureters": "Kidneys and ureters ≈",
}

# The diagram's labels in plain words (the anatomical term is in each point's hover and details). Psoas origins
# are worded from their level and part (see ``diagram_label``); "<br>" breaks a long label into two lines.
DIAGRAM_LABELS: dict[str, str] = {
    "insertion_lesser_trochanter": "lesser trochanter<br>(inner thigh-bone knob)",
    "origin_t12_textbook": "T12 (in textbooks)",
    "iliacus_origin": "inside of the<br>hip-bone wing",
    "rectus_femoris_origin": "front of the hip bone",
    "psoas_minor_origin": "psoas minor starts",
    "psoas_minor_insertion": "psoas minor ends",
    "navel": "navel",
    "groin": "groin",
    "thigh_bone": "thigh bone",
}
_ORIGIN_PART_WORDS = {"body": "side of {level}", "disc": "{level} disc", "transverse_process": "side wing of {level}"}


def diagram_label(ident: str, part: str | None = None, level: str | None = None) -> str:
    """A diagram label: a psoas origin from its part and level ("side wing of L3"), anything else by id."""
    if part is not None and level is not None:
        return _ORIGIN_PART_WORDS[part].format(level=level.replace("/", "–"))
    return DIAGRAM_LABELS[ident]
