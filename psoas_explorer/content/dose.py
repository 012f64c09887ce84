"""A technique's dose as numbers and in words: one formatter for the card, the builder, the sheet and the print view.

The numbers and their bounds are the table ``model.DOSE_FIELDS``; a plan keeps only the fields a clinician
changed from the technique's default (what the link carries), and these functions put the two together.
"""

from __future__ import annotations

from collections.abc import Mapping

from psoas_explorer.content.model import DOSE_FIELD, Technique, dose_problem
from psoas_explorer.content.text import CAUTIOUS_START

_TIMES = {1: "once", 2: "twice"}


def amounts(t: Technique, changed: Mapping[str, int] | None = None) -> dict[str, int]:
    """The dose in force: the default's numbers, with each valid change for a field it has applied."""
    if t.dose is None:
        return {}
    out = t.dose.numbers()
    for field, value in (changed or {}).items():
        if field in out and problem(t, field, value) is None:
            out[field] = value
    return out


def changes(t: Technique, values: Mapping[str, int]) -> dict[str, int]:
    """Only the fields of ``values`` that differ from the technique's default (what a link carries)."""
    default = t.dose.numbers() if t.dose else {}
    return {f: v for f, v in amounts(t, values).items() if default.get(f) != v}


def _often(n: int, per: str) -> str:
    return f"{_TIMES.get(n, f'{n} times')} a {per}"


def words(t: Technique, changed: Mapping[str, int] | None = None) -> str:
    """'Hold 30 seconds · 3 times · each side · once a day · for 8 weeks'; '' when the technique has no dose."""
    if t.dose is None:
        return ""
    a = amounts(t, changed)
    parts: list[str] = []
    if "hold" in a:
        parts.append(f"Hold {a['hold']} seconds")
    if "reps" in a:
        reps = f"{a['reps']} {'time' if a['reps'] == 1 else 'times'}"
        reps = f"{a['sets']} sets of {a['reps']}" if "sets" in a else reps
        parts.append(reps if "hold" in a else f"repeat {reps}")
    if t.dose.each_side:
        parts.append("each side")
    if "per_day" in a:
        parts.append(_often(a["per_day"], "day"))
    if "per_week" in a:
        parts.append(_often(a["per_week"], "week"))
    if "weeks" in a:
        parts.append(f"for {a['weeks']} {'week' if a['weeks'] == 1 else 'weeks'}")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def line(t: Technique, changed: Mapping[str, int] | None = None) -> str:
    """'Dose: Hold 30 seconds · … (a cautious start; no study gives a dose)' when the technique has a dose, else
    its own 'How often: …' words. Every renderer (card, builder, patient's view, print view, PDF) shows this line,
    so each dose is shown with its basis everywhere."""
    return f"Dose: {text} ({basis(t, changed)})" if (text := words(t, changed)) else f"How often: {t.frequency}"


def basis(t: Technique, changed: Mapping[str, int] | None = None) -> str:
    """What the dose rests on, as shown beside it: 'as in Hatefi 2021' only where that study used this position
    and dose, else 'a cautious start; no study gives a dose' (the data's ``says``; a rule checks which); a dose a
    clinician changed rests on that clinician."""
    if t.dose is None:
        return ""
    if changes(t, changed or {}):
        return "set by your clinician"
    return t.dose.says or CAUTIOUS_START


def limit(t: Technique, field: str) -> int:
    """The highest ``field`` a clinician may set for ``t`` (its own bound, never above the table's)."""
    return t.dose.limit(field) if t.dose else DOSE_FIELD[field].hi


def problem(t: Technique, field: str, value: int) -> str | None:
    """Why ``value`` is not a safe ``field`` for ``t`` (None when it is): the widgets and the links use this."""
    return dose_problem(field, value, limit(t, field))


def bounds_help(t: Technique, field: str) -> str:
    """The number input's help: 'From 5 to 60 seconds.' with the technique's own upper bound."""
    f = DOSE_FIELD[field]
    return f"From {f.lo} to {limit(t, field)} {f.unit}."


def steps(t: Technique, changed: Mapping[str, int] | None = None) -> tuple[str, ...]:
    """PLACEHOLDER (issue 22, the patient's view): the technique's steps as written, until the dose-filled steps
    (numbers taken from the dose in force) land from their own branch; on merge, that version replaces this one.
    Same signature, so the patient's view and the follow-along call it unchanged."""
    del changed  # the real version fills the steps' numbers from the dose in force
    return tuple(t.steps)
