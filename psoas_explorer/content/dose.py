"""A technique's dose as numbers and in words, and its steps with the dose's numbers filled in: one formatter for
the card, the builder, the patient's view, the sheet and the print view.

The numbers and their bounds are the table ``model.DOSE_FIELDS`` (and ``DEEP_BELLY_DOSE``, tighter, for deep belly
self-work, which has no default); a plan keeps only the fields a clinician changed from the technique's default
(what the link carries), and these functions put the two together. A step names the numbers it uses as fields
(``Hold for {hold}``; ``{hold|about five slow breaths}`` where a clinician may leave the number out), so a changed
dose reads the same in the dose line and in the steps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from psoas_explorer.content.model import DEEP_BELLY_DOSE, DOSE_FIELD, DOSE_FIELDS, Technique, dose_problem
from psoas_explorer.content.text import CAUTIOUS_START
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr, trn

_TIMES = {1: N_("once"), 2: N_("twice")}
# A field in a step: ``{hold}``, or ``{hold|words}`` with the words shown while the dose has no such number.
STEP_FIELD = re.compile(r"\{(\w+)(?:\|([^{}]*))?\}")
SET_BY_CLINICIAN = N_("set by your clinician")


def clinician_set(t: Technique) -> bool:
    """Deep belly self-work: no ready-made dose (an untested technique must not look prescribed), only the numbers
    a clinician types, within ``DEEP_BELLY_DOSE``. A therapist's session has no home dose at all."""
    return t.deep_belly and t.dose is None and t.performer != "therapist"


def editable(t: Technique) -> dict[str, int | None]:
    """The fields a clinician may set for ``t``, each with its default (None: no default, the input starts
    empty), in table order; {} when the plan cannot set a dose for it."""
    if t.dose is not None:
        return dict(t.dose.numbers())
    return {f.name: None for f in DOSE_FIELDS if f.name in DEEP_BELLY_DOSE} if clinician_set(t) else {}


def _default(t: Technique) -> dict[str, int]:
    return {f: v for f, v in editable(t).items() if v is not None}


def amounts(t: Technique, changed: Mapping[str, int] | None = None) -> dict[str, int]:
    """The dose in force: the default's numbers, with each valid change for a field it has applied (table order)."""
    fields = editable(t)
    out = _default(t)
    for field, value in (changed or {}).items():
        if field in fields and problem(t, field, value) is None:
            out[field] = value
    return {f: out[f] for f in fields if f in out}


def changes(t: Technique, values: Mapping[str, int]) -> dict[str, int]:
    """Only the fields of ``values`` that differ from the technique's default (what a link carries)."""
    default = _default(t)
    return {f: v for f, v in amounts(t, values).items() if default.get(f) != v}


def _times(n: int, lang: Lang = DEFAULT) -> str:
    return tr(lang, _TIMES[n]) if n in _TIMES else tr(lang, "{n} times").format(n=n)


def amount_words(field: str, n: int, lang: Lang = DEFAULT) -> str:
    """One number of a dose in words, as the dose line and the steps say it: '45 seconds', 'once', 'twice',
    '3 times', 'twice a day', '3 times a week', '2 sets', '1 week' (in ``lang``)."""
    if field == "reps":
        return _times(n, lang)
    if field == "per_day":
        return tr(lang, "{times} a day").format(times=_times(n, lang))
    if field == "per_week":
        return tr(lang, "{times} a week").format(times=_times(n, lang))
    # one whole phrase per unit, so each language says its own plural ('1 second', '45 seconds'; '1 segundo')
    if field == "hold":
        return trn(lang, "{n} second", "{n} seconds", n).format(n=n)
    if field == "sets":
        return trn(lang, "{n} set", "{n} sets", n).format(n=n)
    return trn(lang, "{n} week", "{n} weeks", n).format(n=n)


def _each_side(t: Technique) -> bool:
    # deep belly self-work is done on both sides (its steps end "then switch sides")
    return t.dose.each_side if t.dose is not None else clinician_set(t)


def words(t: Technique, changed: Mapping[str, int] | None = None, lang: Lang = DEFAULT) -> str:
    """'Hold 30 seconds · 3 times · each side · once a day · for 8 weeks'; '' when the technique has no dose
    (or, for deep belly self-work, when the clinician set none)."""
    a = amounts(t, changed)
    if not a:
        return ""
    parts: list[str] = []
    if "hold" in a:
        parts.append(tr(lang, "Hold {seconds}").format(seconds=amount_words("hold", a["hold"], lang)))
    if "reps" in a:
        reps = (
            tr(lang, "{sets} of {reps}").format(sets=amount_words("sets", a["sets"], lang), reps=a["reps"])
            if "sets" in a
            else amount_words("reps", a["reps"], lang)
        )
        parts.append(reps if "hold" in a else tr(lang, "repeat {times}").format(times=reps))
    if _each_side(t):
        parts.append(tr(lang, "each side"))
    parts += [amount_words(f, a[f], lang) for f in ("per_day", "per_week") if f in a]
    if "weeks" in a:
        parts.append(tr(lang, "for {weeks}").format(weeks=amount_words("weeks", a["weeks"], lang)))
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def steps(t: Technique, changed: Mapping[str, int] | None = None, lang: Lang = DEFAULT) -> tuple[str, ...]:
    """The technique's steps with the dose in force filled in: 'Hold for {hold}' reads 'Hold for 45 seconds' when
    the plan sets 45, so the steps never contradict the dose line. Every renderer shows the steps through this."""
    a = amounts(t, changed)

    def fill(m: re.Match[str]) -> str:
        field, words_without = m.group(1), m.group(2)
        if field in a:
            return amount_words(field, a[field], lang)
        if words_without is not None:
            return words_without
        return tr(lang, "as your clinician sets")  # a rule forbids this

    return tuple(STEP_FIELD.sub(fill, s) for s in t.steps)


def line(t: Technique, changed: Mapping[str, int] | None = None, lang: Lang = DEFAULT) -> str:
    """'Dose: Hold 30 seconds · … (a cautious start; no study gives a dose)' when the technique has a dose, else
    its own 'How often: …' words. Every renderer (card, builder, patient's view, print view, PDF) shows this line,
    so each dose is shown with its basis everywhere."""
    if text := words(t, changed, lang):
        return tr(lang, "Dose: {dose} ({basis})").format(dose=text, basis=basis(t, changed, lang))
    return tr(lang, "How often: {frequency}").format(frequency=t.frequency)


def basis(t: Technique, changed: Mapping[str, int] | None = None, lang: Lang = DEFAULT) -> str:
    """What the dose rests on, as shown beside it: 'as in Hatefi 2021' only where that study used this position
    and dose, else 'a cautious start; no study gives a dose' (the data's ``says``; a rule checks which); a dose a
    clinician changed, or typed for deep belly self-work, rests on that clinician."""
    if changes(t, changed or {}):
        return tr(lang, SET_BY_CLINICIAN)
    if t.dose is None:
        return ""
    return t.dose.says or tr(lang, CAUTIOUS_START)


def limit(t: Technique, field: str) -> int:
    """The highest ``field`` a clinician may set for ``t`` (its own bound, or deep belly work's tighter one, never
    above the table's)."""
    if t.dose is not None:
        return t.dose.limit(field)
    return min(DEEP_BELLY_DOSE.get(field, DOSE_FIELD[field].hi), DOSE_FIELD[field].hi)


def problem(t: Technique, field: str, value: int, lang: Lang = DEFAULT) -> str | None:
    """Why ``value`` is not a safe ``field`` for ``t`` (None when it is), in ``lang``: the widgets use this."""
    return dose_problem(field, value, limit(t, field), lang)


def bounds_help(t: Technique, field: str, lang: Lang = DEFAULT) -> str:
    """The number input's help: 'From 5 to 60 seconds.' with the technique's own upper bound."""
    f = DOSE_FIELD[field]
    return tr(lang, "From {lo} to {hi} {unit}.").format(lo=f.lo, hi=limit(t, field), unit=tr(lang, f.unit))
