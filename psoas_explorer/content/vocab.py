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
    "firm": "Firm",
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
