"""A technique's dose as numbers and in words: one formatter for the card, the builder, the sheet and the print view.

The numbers and their bounds are the table ``model.DOSE_FIELDS``; a plan keeps only the fields a clinician
changed from the technique's default (what the link carries), and these functions put the two together.
"""

from __future__ import annotations

from collections.abc import Mapping

from psoas_explorer.content.model import Technique, dose_problem

_TIMES = {1: "once", 2: "twice"}


def amounts(t: Technique, changed: Mapping[str, int] | None = None) -> dict[str, int]:
    """The dose in force: the default's numbers, with each valid change for a field it has applied."""
    if t.dose is None:
        return {}
    out = t.dose.numbers()
    for field, value in (changed or {}).items():
        if field in out and dose_problem(field, value) is None:
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
    """'Dose: Hold 30 seconds · …' when the technique has a dose, else its own 'How often: …' words."""
    return f"Dose: {text}" if (text := words(t, changed)) else f"How often: {t.frequency}"
