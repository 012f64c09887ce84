"""Filtering, sorting and the safety screen for the technique catalog.

Pure functions over the validated content (no Streamlit), so the rules a
visitor relies on - what a filter means, what the safety questions hide and
why - are tested directly instead of through the page.

Filter rules:
- within one multi-select a technique matches if it has ANY chosen value;
- across filters ALL must hold;
- equipment means "what I have": a technique passes when everything it needs
  was chosen, and techniques that need nothing always pass. Choosing only
  ``none`` ("I have no equipment") keeps just the equipment-free ones;
- text search: every word typed must appear (case- and accent-insensitive) in
  the name, summary or steps;
- min_evidence keeps badges at least that strong (A best ... D); X is never kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

import pandas as pd

from psoas_explorer.content import model as c
from psoas_explorer.content.search import matches, plain
from psoas_explorer.content.text import count
from psoas_explorer.links.params import Param

GOALS: tuple[str, ...] = get_args(c.Goal)
AUDIENCES: tuple[str, ...] = get_args(c.Audience)
SETTINGS: tuple[str, ...] = get_args(c.Setting)
PERFORMERS: tuple[str, ...] = get_args(c.Performer)
INTENSITIES: tuple[str, ...] = get_args(c.Intensity)
MIN_EVIDENCE: tuple[str, ...] = ("A", "B", "C", "D")
NO_EQUIPMENT = "none"  # pseudo equipment id: "I have no equipment"

# One place for the words the page shows for vocabulary ids (legend, chips and filters agree).
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

# A is best; X (tested and not supported) always sorts last.
EVIDENCE_RANK: dict[str, int] = {"A": 0, "B": 1, "C": 2, "D": 3, "F": 4, "X": 5}
INTENSITY_RANK: dict[str, int] = {name: i for i, name in enumerate(INTENSITIES)}

_UNIT_MINUTES = {"sec": 1 / 60, "min": 1.0, "hour": 60.0}
_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[-–]\s*\d+(?:\.\d+)?\s*)?(sec|min|hour)", re.IGNORECASE)


def minutes(time_text: str) -> float:
    """The shortest duration in a time text ("10–15 minutes" -> 10.0); inf when it names none."""
    m = _TIME.search(time_text)
    return float(m.group(1)) * _UNIT_MINUTES[m.group(2).lower()] if m else float("inf")


def label(value: str, names: Mapping[str, str] | None = None) -> str:
    """Readable words for a vocabulary or equipment id (falls back to the id with spaces)."""
    return (names or {}).get(value) or LABELS.get(value) or value.replace("_", " ").capitalize()


def catalog_frame(content: c.Content) -> pd.DataFrame:
    """One row per technique (indexed by id), list fields as tuples, plus numeric sort keys."""
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "type": t.type,
            "type_name": content.technique_type(t.type).name,
            "summary": t.summary,
            "goals": t.goals,
            "audiences": t.audiences,
            "settings": t.settings,
            "performer": t.performer,
            "intensity": t.intensity,
            "intensity_rank": INTENSITY_RANK[t.intensity],
            "time": t.time,
            "minutes": minutes(t.time),
            "frequency": t.frequency,
            "equipment": t.equipment,
            "steps": t.steps,
            "stop_if": t.stop_if,
            "precautions": t.precautions,
            "contraindications": t.contraindications,
            "badge": t.badge,
            "evidence_rank": EVIDENCE_RANK[t.badge],
            "chips": t.chips,
            "refs": t.refs,
        }
        for t in content.techniques.techniques
    ]
    return pd.DataFrame(rows).set_index("id", drop=False)


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for; empty tuples and None mean "no filter"."""

    goals: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    performers: tuple[str, ...] = ()
    intensities: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    min_evidence: str | None = None
    text: str = ""
    sort: str = "evidence"


@dataclass(frozen=True)
class _Multi:
    """How one multi-select filter maps to the URL, the catalog and the sentences about it."""

    param: str  # query parameter
    column: str  # catalog column (a tuple or a single id)
    vocab: tuple[str, ...]
    heading: str  # "Goal: Pain relief or Mobility"
    noun: str  # "Remove the goal filter (...)"
    help: str


_MULTI: dict[str, _Multi] = {  # keyed by the Filters field
    "goals": _Multi("goal", "goals", GOALS, "Goal", "goal", "What you want help with (any of them)."),
    "audiences": _Multi("audience", "audiences", AUDIENCES, "For", "audience", "Who it suits (any of them)."),
    "settings": _Multi("setting", "settings", SETTINGS, "Where", "setting", "Where it is done (any of them)."),
    "performers": _Multi(
        "performer",
        "performer",
        PERFORMERS,
        "Who does it",
        "“who does it”",
        "Yourself, a partner or a therapist.",
    ),
    "intensities": _Multi("intensity", "intensity", INTENSITIES, "Intensity", "intensity", "How firm (any of them)."),
}
_HEADINGS = {"equipment": "Using only", "min_evidence": "Evidence"}
_NOUNS = {"equipment": "equipment", "min_evidence": "evidence"}


def technique_params(content: c.Content) -> tuple[Param, ...]:
    """The techniques page's public query parameters.

    A function, not a constant, because equipment and handout choices are ids
    from the data files: a link can only name things that exist.
    """
    equipment_ids = tuple(e.id for e in content.techniques.equipment)
    return (
        *(Param(m.param, "multi", m.help, choices=m.vocab, default=()) for m in _MULTI.values()),
        Param(
            "equipment",
            "multi",
            "Equipment you have; shows techniques that need nothing else. 'none' = no equipment at all.",
            choices=(*equipment_ids, NO_EQUIPMENT),
            default=(),
        ),
        Param("evidence", "choice", "Weakest badge to show (A best ... D).", choices=MIN_EVIDENCE),
        Param("q", "text", "Words to search technique names, summaries and steps for.", default=""),
        Param("sort", "choice", "Order of the list.", choices=tuple(SORTS), default="evidence"),
        Param(
            "h",
            "multi",
            "Technique ids picked for the printable handout.",
            choices=tuple(t.id for t in content.techniques.techniques),
            default=(),
        ),
    )


def filters_from_values(values: Mapping[str, Any]) -> Filters:
    """Filters from parsed query values (``params.parse`` output); missing keys mean no filter."""
    multi = {f: tuple(values.get(m.param) or ()) for f, m in _MULTI.items()}
    return Filters(
        **multi,
        equipment=tuple(values.get("equipment") or ()),
        min_evidence=values.get("evidence") or None,
        text=values.get("q") or "",
        sort=values.get("sort") or "evidence",
    )


def values_from_filters(filters: Filters, handout: Sequence[str] = ()) -> dict[str, Any]:
    """The query values for ``filters`` (and the handout picks), ready for ``params.encode``."""
    values: dict[str, Any] = {m.param: getattr(filters, f) for f, m in _MULTI.items()}
    values.update(
        equipment=filters.equipment,
        evidence=filters.min_evidence,
        q=filters.text,
        sort=filters.sort,
        h=tuple(handout),
    )
    return values


# --- matching and sorting -------------------------------------------------------------


def _any_of(column: pd.Series, chosen: tuple[str, ...]) -> pd.Series:
    wanted = set(chosen)
    return column.map(lambda v: bool(wanted.intersection(v if isinstance(v, tuple) else (v,)))).astype(bool)


def _masks(df: pd.DataFrame, f: Filters) -> dict[str, pd.Series]:
    """One boolean mask per ACTIVE filter, keyed by the Filters field name."""
    masks: dict[str, pd.Series] = {}
    for name, m in _MULTI.items():
        if chosen := getattr(f, name):
            masks[name] = _any_of(df[m.column], chosen)
    if f.equipment:
        have = set(f.equipment) - {NO_EQUIPMENT}
        masks["equipment"] = df["equipment"].map(lambda need: set(need) <= have).astype(bool)
    if f.min_evidence:
        masks["min_evidence"] = df["evidence_rank"] <= EVIDENCE_RANK[f.min_evidence]
    if f.text.strip():
        texts = zip(df["name"], df["summary"], df["steps"], strict=True)
        hits = [matches(f.text, (name, summary, *steps)) for name, summary, steps in texts]
        masks["text"] = pd.Series(hits, index=df.index, dtype=bool)
    return masks


def _combine(df: pd.DataFrame, masks: Iterable[pd.Series]) -> pd.Series:
    result = pd.Series(True, index=df.index)
    for m in masks:
        result &= m
    return result


def _sorted(df: pd.DataFrame, sort: str) -> pd.DataFrame:
    keys = {
        "evidence": ["evidence_rank", "_name"],
        "name": ["_name"],
        "intensity": ["intensity_rank", "evidence_rank", "_name"],
        "time": ["minutes", "evidence_rank", "_name"],
    }.get(sort, ["evidence_rank", "_name"])
    out = df.assign(_name=df["name"].str.casefold()).sort_values(keys, kind="stable")
    return out.drop(columns="_name")


def apply(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The techniques matching every active filter, in the chosen order."""
    return _sorted(df[_combine(df, _masks(df, filters).values())], filters.sort)


# --- describing filters -------------------------------------------------------------


def _values_text(filters: Filters, name: str, names: Mapping[str, str] | None, lower: bool) -> str:
    if name == "min_evidence":
        return f"{filters.min_evidence} or better"
    if name == "text":
        return f"“{plain(filters.text)}”"
    words = [label(v, names) for v in getattr(filters, name)]
    return ", ".join(w.lower() if lower else w for w in words)


def active_filters(filters: Filters, equipment_names: Mapping[str, str] | None = None) -> list[str]:
    """Human labels of the active filters, e.g. ["Goal: Pain relief or Mobility", "Search: “ball”"]."""
    out = []
    for name in (*_MULTI, "equipment", "min_evidence"):
        value = getattr(filters, name)
        if not value:
            continue
        if name in _MULTI:
            out.append(f"{_MULTI[name].heading}: " + " or ".join(label(v) for v in value))
        else:
            out.append(f"{_HEADINGS[name]}: {_values_text(filters, name, equipment_names, lower=False)}")
    if filters.text.strip():
        out.append(f"Search: {_values_text(filters, 'text', None, lower=False)}")
    return out


def relax_suggestions(
    df: pd.DataFrame, filters: Filters, equipment_names: Mapping[str, str] | None = None
) -> list[str]:
    """When nothing matches: which single filter to drop, and how many techniques that shows, best first."""
    masks = _masks(df, filters)
    if not masks or _combine(df, masks.values()).any():
        return []
    options = []
    for order, name in enumerate(masks):
        n = int(_combine(df, (m for k, m in masks.items() if k != name)).sum())
        if n:
            what = _values_text(filters, name, equipment_names, lower=True)
            noun = _MULTI[name].noun if name in _MULTI else _NOUNS.get(name, name)
            verb = "Clear the search" if name == "text" else f"Remove the {noun} filter"
            options.append((-n, order, f"{verb} ({what}) to see {count(n, 'technique')}."))
    if not options:
        return [f"Clear all filters to see all {count(len(df), 'technique')}."]
    return [text for *_key, text in sorted(options)]


# --- safety screen ------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """The outcome of the safety questions.

    ``blocked`` maps technique id -> plain reasons it should not be used. Any red
    flag blocks every technique (get medical help first); a contraindication
    blocks the techniques that list it.
    """

    red_flags: tuple[c.RedFlag, ...] = ()
    contraindications: tuple[c.Contraindication, ...] = ()
    blocked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def urgent(self) -> bool:
        return bool(self.red_flags)


RED_FLAGS_HEADING = "Get medical help first (do not self-treat) if you have:"
RED_FLAG_REASON = "You ticked a warning sign that needs medical help first, before trying any technique."


def technique_reason(t: c.Technique, item: c.Contraindication) -> str:
    """'You ticked: I am pregnant or might be. <why>', with the technique's own why where the general one
    would not fit (pregnancy and a face-down stretch is about lying on the belly, not pressure on the womb)."""
    return f"You ticked: {item.question.strip()} {(t.reason_not(item.id) or item.why).strip()}"


def skip_if(content: c.Content, t: c.Technique) -> list[str]:
    """Who should not do this technique, in plain words: shown on every card and handout entry, so safety
    does not depend on the optional screen."""
    by_id = {x.id: x for x in content.safety.contraindications}
    return [(by_id[i].plain or by_id[i].question).strip().rstrip(".") for i in t.contraindications]


def screen(content: c.Content, answers: Iterable[str]) -> Screen:
    """Apply ticked red-flag and contraindication ids (unknown ids are ignored) to every technique.

    A technique marked ``always_shown`` (the clinician check) is never hidden: it is the step to take.
    """
    ticked = set(answers)
    safety = content.safety
    flags = tuple(f for f in safety.red_flags if f.id in ticked)
    contras = tuple(x for x in safety.contraindications if x.id in ticked)
    blocked: dict[str, tuple[str, ...]] = {}
    for t in content.techniques.techniques:
        if t.always_shown:
            continue
        reasons = [RED_FLAG_REASON] if flags else []
        reasons += [technique_reason(t, x) for x in contras if x.id in t.contraindications]
        if reasons:
            blocked[t.id] = tuple(reasons)
    return Screen(red_flags=flags, contraindications=contras, blocked=blocked)


@dataclass(frozen=True)
class HiddenGroup:
    """The techniques one answer hides, its reason said once, and a technique's own reason where it differs."""

    title: str
    reason: str
    techniques: tuple[tuple[str, str | None], ...]  # (technique name, its own reason or None)


def hidden_groups(content: c.Content, result: Screen, hidden: Sequence[str]) -> list[HiddenGroup]:
    """Group the hidden techniques by the answer that hides them (a red flag hides all: one group)."""
    techs = [content.technique(i) for i in hidden]
    if result.red_flags:
        names = "; ".join(f.label for f in result.red_flags)
        return [
            HiddenGroup(f"You ticked a warning sign: {names}.", RED_FLAG_REASON, tuple((t.name, None) for t in techs))
        ]
    groups = []
    for x in result.contraindications:
        members = tuple((t.name, t.reason_not(x.id)) for t in techs if x.id in t.contraindications)
        if members:
            groups.append(HiddenGroup(f"You ticked: {x.question.strip()}", x.why.strip(), members))
    return groups


def split_by_screen(ids: Sequence[str], result: Screen) -> tuple[list[str], list[str]]:
    """(technique ids still fine, ids to hide), each keeping the given order."""
    return [i for i in ids if i not in result.blocked], [i for i in ids if i in result.blocked]
