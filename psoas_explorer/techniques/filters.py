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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from babel.lists import format_list

from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.search import matches, plain
from psoas_explorer.content.vocab import (
    AUDIENCES,
    GOALS,
    INTENSITIES,
    LABELS,
    MIN_EVIDENCE,
    NO_EQUIPMENT,
    PERFORMERS,
    SETTINGS,
    SORTS,
    label,
)
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr, trn
from psoas_explorer.linkformat import Param

# A is best; X (tested and not supported) always sorts last.
EVIDENCE_RANK: dict[str, int] = {"A": 0, "B": 1, "C": 2, "D": 3, "F": 4, "X": 5}
INTENSITY_RANK: dict[str, int] = {name: i for i, name in enumerate(INTENSITIES)}

_UNIT_MINUTES = {"sec": 1 / 60, "min": 1.0, "hour": 60.0}
_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[-–]\s*\d+(?:\.\d+)?\s*)?(sec|min|hour)", re.IGNORECASE)


def minutes(time_text: str) -> float:
    """The shortest duration in a time text ("10–15 minutes" -> 10.0); inf when it names none."""
    m = _TIME.search(time_text)
    return float(m.group(1)) * _UNIT_MINUTES[m.group(2).lower()] if m else float("inf")


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
            "steps": dosing.steps(t),  # as the card shows them (the default dose filled in)
            "stop_if": t.stop_if,
            "precautions": t.precautions,
            "contraindications": t.contraindications,
            "badge": t.badge,
            "evidence_rank": EVIDENCE_RANK[t.badge],
            "goal_ranks": tuple((ge.goal, EVIDENCE_RANK[ge.badge]) for ge in t.goal_evidence),
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


Kind = Literal["multi", "choice", "text"]


def _words(ids: Iterable[str]) -> Callable[[c.Content], Mapping[str, str]]:
    return lambda _cnt: {i: LABELS[i] for i in ids}


def _equipment_words(cnt: c.Content) -> Mapping[str, str]:
    return {**cnt.techniques.equipment_names(), NO_EQUIPMENT: label(NO_EQUIPMENT)}


def _evidence_words(cnt: c.Content) -> Mapping[str, str]:
    return evidence_words(cnt)


OR_BETTER = N_("{badge} or better")


def evidence_words(cnt: c.Content, lang: Lang = DEFAULT) -> Mapping[str, str]:
    """'B or better (Moderate certainty)' for each badge the evidence filter offers, in ``lang`` (the badges'
    words come from the content, which is in that language)."""
    info: dict[str, str] = {b.id: b.label for b in cnt.evidence.badges}
    return {b: f"{tr(lang, OR_BETTER).format(badge=b)} ({info[b]})" for b in MIN_EVIDENCE}


def choice_words(ff: FilterField, cnt: c.Content, lang: Lang = DEFAULT) -> Mapping[str, str]:
    """A filter's choices (id -> words) in ``lang``: vocabulary words through the catalog, equipment names from
    the content (already in its language), the evidence choices as whole phrases."""
    if ff.field == "min_evidence":
        return evidence_words(cnt, lang)
    return {k: tr(lang, v) for k, v in ff.names(cnt).items()}


@dataclass(frozen=True)
class FilterField:
    """One technique filter, written down once.

    The link parameter, both conversions (link <-> Filters), the widget, its reset, the active-filter badges
    and the relax hints are all derived from this row; docs/development.md ("Adding a technique filter") says
    what else a new one needs.
    """

    field: str  # attribute of Filters
    param: str  # public link parameter (README table): short and stable
    key: str  # widget key
    label: str  # widget label
    kind: Kind
    help: str  # what the link parameter means
    heading: str  # active-filter badge: "Goal: Pain relief or Mobility"
    noun: str  # relax hint: "Remove the goal filter (...)"
    names: Callable[[c.Content], Mapping[str, str]]  # choice id -> words; its keys are the allowed choices
    default: Any = ()
    column: str = ""  # catalog column a multi filter matches ANY of ("" = matched by its own rule below)
    top: bool = False  # drawn up front; the others sit under "More filters"
    placeholder: str = N_("Any")
    widget_help: str | None = None


FIELDS: tuple[FilterField, ...] = (
    FilterField(
        "goals",
        "goal",
        "t_goal",
        N_("Goal"),
        "multi",
        "What you want help with (any of them).",
        N_("Goal"),
        N_("goal"),
        _words(GOALS),
        column="goals",
        top=True,
    ),
    FilterField(
        "audiences",
        "audience",
        "t_audience",
        N_("Who it is for"),
        "multi",
        "Who it suits (any of them).",
        N_("For"),
        N_("audience"),
        _words(AUDIENCES),
        column="audiences",
        top=True,
    ),
    FilterField(
        "settings",
        "setting",
        "t_setting",
        N_("Where"),
        "multi",
        "Where it is done (any of them).",
        N_("Where"),
        N_("setting"),
        _words(SETTINGS),
        column="settings",
    ),
    FilterField(
        "performers",
        "performer",
        "t_performer",
        N_("Who does it"),
        "multi",
        "Yourself, a partner or a therapist.",
        N_("Who does it"),
        N_("“who does it”"),
        _words(PERFORMERS),
        column="performer",
    ),
    FilterField(
        "intensities",
        "intensity",
        "t_intensity",
        N_("Intensity"),
        "multi",
        "How firm (any of them).",
        N_("Intensity"),
        N_("intensity"),
        _words(INTENSITIES),
        column="intensity",
    ),
    FilterField(
        "equipment",
        "equipment",
        "t_equipment",
        N_("Equipment I have"),
        "multi",
        "Equipment you have; shows techniques that need nothing else. 'none' = no equipment at all.",
        N_("Using only"),
        N_("equipment"),
        _equipment_words,
        placeholder=N_("Any (show everything)"),
        widget_help=N_("Shows techniques you can do with what you picked; techniques that need nothing always show."),
    ),
    FilterField(
        "min_evidence",
        "evidence",
        "t_evidence",
        N_("Weakest evidence to show"),
        "choice",
        "Weakest badge to show (A best ... D).",
        N_("Evidence"),
        N_("evidence"),
        _evidence_words,
        default=None,
        placeholder=N_("Any evidence"),
    ),
    FilterField(
        "text",
        "q",
        "t_q",
        N_("Search names and steps"),
        "text",
        "Words to search technique names, summaries and steps for.",
        N_("Search"),
        N_("search"),
        lambda _cnt: {},
        default="",
        placeholder=N_("e.g. ball, chair"),
    ),
    FilterField(
        "sort",
        "sort",
        "t_sort",
        N_("Sort by"),
        "choice",
        "Order of the list.",
        N_("Sorted"),
        N_("sort"),
        lambda _cnt: SORTS,
        default="evidence",
    ),
)
FIELD_BY_NAME = {f.field: f for f in FIELDS}


def technique_params(content: c.Content) -> tuple[Param, ...]:
    """The techniques page's public query parameters, from FIELDS, then the handout picks.

    A function, not a constant, because equipment and handout choices are ids
    from the data files: a link can only name things that exist.
    """
    return (
        *(Param(f.param, f.kind, f.help, choices=tuple(f.names(content)), default=f.default) for f in FIELDS),
        Param(
            "h",
            "multi",
            "Technique ids picked for the printable handout.",
            choices=tuple(t.id for t in content.techniques.techniques),
            default=(),
        ),
        dose_param(content),
    )


def dose_param(content: c.Content) -> Param:
    """``d``: the handout's doses changed from each technique's default (only techniques whose dose a plan can set:
    those with a default, and deep belly self-work, whose numbers are only what the clinician types)."""
    dosed = [(t, d) for t in content.techniques.techniques if (d := dosing.editable(t))]
    fields = tuple((t.id, tuple(d.items())) for t, d in dosed)
    return Param(
        "d",
        "dose",
        "Doses changed from the default, per picked technique: <technique id>.<letter><number>...",
        choices=tuple(tid for tid, _ in fields),
        fields=fields,
        limits=tuple((t.id, tuple((name, dosing.limit(t, name)) for name in d)) for t, d in dosed),
        picks="h",
    )


def _typed(f: FilterField, value: Any) -> Any:
    """A link or widget value as the Filters attribute holds it (missing or empty -> the default)."""
    if f.kind == "multi":
        return tuple(value or ())
    return value or f.default


def filters_from_values(values: Mapping[str, Any]) -> Filters:
    """Filters from parsed query values (``params.parse`` output); missing keys mean no filter."""
    return Filters(**{f.field: _typed(f, values.get(f.param)) for f in FIELDS})


def filters_from_widgets(state: Mapping[str, Any]) -> Filters:
    """Filters from widget values keyed by each field's widget key (session state, in the web layer)."""
    return Filters(**{f.field: _typed(f, state.get(f.key)) for f in FIELDS})


def widget_values(filters: Filters) -> dict[str, Any]:
    """Widget key -> the value its widget shows for ``filters`` (lists for multi-selects)."""
    return {f.key: list(getattr(filters, f.field)) if f.kind == "multi" else getattr(filters, f.field) for f in FIELDS}


def values_from_filters(
    filters: Filters, handout: Sequence[str] = (), doses: Mapping[str, Mapping[str, int]] | None = None
) -> dict[str, Any]:
    """The query values for ``filters`` (and the handout picks and their changed doses), for ``params.encode``."""
    return {
        **{f.param: getattr(filters, f.field) for f in FIELDS},
        "h": tuple(handout),
        "d": {t: dict(doses[t]) for t in handout if doses and doses.get(t)},
    }


# --- matching and sorting -------------------------------------------------------------


def _any_of(column: pd.Series, chosen: tuple[str, ...]) -> pd.Series:
    wanted = set(chosen)
    return column.map(lambda v: bool(wanted.intersection(v if isinstance(v, tuple) else (v,)))).astype(bool)


def _masks(df: pd.DataFrame, f: Filters, lang: Lang = DEFAULT) -> dict[str, pd.Series]:
    """One boolean mask per ACTIVE filter, keyed by the Filters field name; typed words are read in ``lang``."""
    masks: dict[str, pd.Series] = {}
    for ff in FIELDS:
        if ff.column and (chosen := getattr(f, ff.field)):
            masks[ff.field] = _any_of(df[ff.column], chosen)
    if f.equipment:
        have = set(f.equipment) - {NO_EQUIPMENT}
        masks["equipment"] = df["equipment"].map(lambda need: set(need) <= have).astype(bool)
    if f.min_evidence:
        masks["min_evidence"] = df["evidence_rank"] <= EVIDENCE_RANK[f.min_evidence]
    if f.text.strip():
        texts = zip(df["name"], df["summary"], df["steps"], strict=True)
        hits = [matches(f.text, (name, summary, *steps), lang) for name, summary, steps in texts]
        masks["text"] = pd.Series(hits, index=df.index, dtype=bool)
    return masks


def _combine(df: pd.DataFrame, masks: Iterable[pd.Series]) -> pd.Series:
    result = pd.Series(True, index=df.index)
    for m in masks:
        result &= m
    return result


def _sorted(df: pd.DataFrame, sort: str, goals: tuple[str, ...] = ()) -> pd.DataFrame:
    """In the chosen order. With goals chosen, "evidence" means the evidence for those goals first (the badge on
    the card's own "For posture:" line), then the overall badge: a stretch graded B overall but X for posture
    must not head a list filtered by posture."""
    evidence = ["goal_rank", "evidence_rank"] if goals else ["evidence_rank"]
    keys = {
        "evidence": [*evidence, "_name"],
        "name": ["_name"],
        "intensity": ["intensity_rank", *evidence, "_name"],
        "time": ["minutes", *evidence, "_name"],
    }.get(sort, [*evidence, "_name"])
    out = df.assign(_name=df["name"].str.casefold())
    if goals:
        rows = zip(out["goal_ranks"], out["goals"], out["evidence_rank"], strict=True)
        out = out.assign(goal_rank=[_goal_rank(ranks, own_goals, own, goals) for ranks, own_goals, own in rows])
    out = out.sort_values(keys, kind="stable")
    return out.drop(columns=["_name", "goal_rank"], errors="ignore")


def _goal_rank(ranks: tuple[tuple[str, int], ...], tagged: tuple[str, ...], own: int, goals: tuple[str, ...]) -> int:
    """The best evidence among the chosen goals this technique is tagged with: its badge for that goal, or its
    overall badge for a goal without a badge of its own."""
    graded = dict(ranks)
    return min((graded.get(g, own) for g in goals if g in tagged), default=own)


def apply(df: pd.DataFrame, filters: Filters, lang: Lang = DEFAULT) -> pd.DataFrame:
    """The techniques matching every active filter, in the chosen order (words typed read in ``lang``, the
    language the catalog ``df`` was built in)."""
    return _sorted(df[_combine(df, _masks(df, filters, lang).values())], filters.sort, filters.goals)


# --- describing filters -------------------------------------------------------------


def _values_text(filters: Filters, name: str, names: Mapping[str, str] | None, lower: bool, lang: Lang) -> str:
    if name == "min_evidence":
        return tr(lang, OR_BETTER).format(badge=filters.min_evidence)
    if name == "text":
        return tr(lang, "“{words}”").format(words=plain(filters.text))
    words = [label(v, names, lang) for v in getattr(filters, name)]
    return ", ".join(w.lower() if lower else w for w in words)


def active_filters(
    filters: Filters, equipment_names: Mapping[str, str] | None = None, lang: Lang = DEFAULT
) -> list[str]:
    """Human labels of the active filters in ``lang``, e.g. ["Goal: Pain relief or Mobility", "Search: “ball”"]."""
    out = []
    for f in FIELDS:
        value = getattr(filters, f.field)
        if f.field == "sort" or not value or (f.kind == "text" and not value.strip()):
            continue
        if f.column:
            words = format_list([label(v, lang=lang) for v in value], style="or", locale=lang)
        else:
            words = _values_text(filters, f.field, equipment_names, lower=False, lang=lang)
        out.append(tr(lang, "{filter}: {values}").format(filter=tr(lang, f.heading), values=words))
    return out


def relax_suggestions(
    df: pd.DataFrame, filters: Filters, equipment_names: Mapping[str, str] | None = None, lang: Lang = DEFAULT
) -> list[str]:
    """When nothing matches: which single filter to drop, and how many techniques that shows, best first."""
    masks = _masks(df, filters, lang)
    if not masks or _combine(df, masks.values()).any():
        return []
    options = []
    for order, name in enumerate(masks):
        n = int(_combine(df, (m for k, m in masks.items() if k != name)).sum())
        if n:
            what = _values_text(filters, name, equipment_names, lower=True, lang=lang)
            shown = trn(lang, "{n} technique", "{n} techniques", n).format(n=n)
            if name == "text":
                tip = tr(lang, "Clear the search ({what}) to see {count}.").format(what=what, count=shown)
            else:
                noun = tr(lang, FIELD_BY_NAME[name].noun)
                tip = tr(lang, "Remove the {filter} filter ({what}) to see {count}.").format(
                    filter=noun, what=what, count=shown
                )
            options.append((-n, order, tip))
    if not options:
        total = len(df)
        return [
            trn(
                lang,
                "Clear all filters to see the {n} technique.",
                "Clear all filters to see all {n} techniques.",
                total,
            ).format(n=total)
        ]
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


RED_FLAGS_HEADING = N_("Get medical help first (do not self-treat) if you have:")
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
