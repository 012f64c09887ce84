"""Query parameters: the app's public link format.

Links get shared, so every parameter is declared here once with its allowed
values, and everything a URL carries is checked against that declaration.
Anything else is dropped and reported back as a plain-text notice (never
echoed raw, so a URL cannot inject markup).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psoas_explorer.content.model import DOSE_FIELDS, dose_problem
from psoas_explorer.i18n import DEFAULT, LANGS, Lang, lang_of, tr, trn

MAX_TEXT = 80  # longest free-text value we keep (search boxes)
MAX_VALUES = 20  # most repeated values we read for one multi-valued parameter
MAX_DOSE_CHARS = 80  # longest dose value we read (a technique id and six numbers fit in about 60)
DOSE_LETTER = {f.letter: f for f in DOSE_FIELDS}
DOSE_LETTER_OF = {f.name: f.letter for f in DOSE_FIELDS}

# Ids are public (``h=`` and ``d=``): a renamed technique keeps its old id here, so a link printed before the
# rename still opens the same plan (read as the new id, silently; the address then shows the new one).
RENAMED = {"supine_tool_release": "supine_fingertip_release"}  # issue 21: no tool in deep belly work

Doses = dict[str, dict[str, int]]  # technique id -> dose field -> value (only the fields changed from its default)


@dataclass(frozen=True)
class Param:
    """One documented query parameter.

    kind: "choice" (one of ``choices``), "multi" (several of ``choices``, as
    repeated keys), "int" (within ``bounds``), "text" (free text, trimmed),
    "flag" (present as ``1`` means on), or "dose" (repeated ``<id>.h45.r3``: for
    each of ``choices`` that the ``picks`` parameter holds, the dose fields of
    ``fields`` changed from their default, each within DOSE_FIELDS' bounds and the technique's own ``limits``).
    """

    name: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    bounds: tuple[int, int] = (0, 0)
    default: Any = None
    # "dose": choice -> its fields and defaults (None: no default; deep belly work's numbers are the clinician's)
    fields: tuple[tuple[str, tuple[tuple[str, int | None], ...]], ...] = ()
    limits: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()  # "dose": choice -> each field's own upper bound
    picks: str = ""  # "dose": the multi parameter whose values the doses belong to


# ``lang``: the language of every page, on every link the app makes (English, the language the app is written in,
# is the default and left out). A first visit without it follows the browser's language (web/lang.py).
LANG = Param(
    "lang",
    "choice",
    "The language of the pages (English is the default, left out).",
    choices=tuple(lang for lang in LANGS if lang != DEFAULT),
    default=None,
)


def link_lang(raw: Sequence[str]) -> Lang | None:
    """The language a link's ``lang`` values name, validated as ``parse`` validates it; None when absent or odd
    (``parse`` reports an odd one: the router reads the language before the page's parameters, see web/lang.py)."""
    values, _notices = parse({LANG.name: raw} if raw else {}, (LANG,))
    return lang_of(values[LANG.name])


def lang_query(lang: Lang) -> dict[str, str]:
    """The ``lang`` part of a link to a page in ``lang``: nothing for English, the default."""
    return {} if lang == DEFAULT else {LANG.name: lang}


def tab_param(tabs: Sequence[str]) -> Param:
    """``tab``: the open tab of a page with tabs, by a short id (its first tab is the default, left out)."""
    return Param("tab", "choice", "The open tab.", choices=tuple(tabs), default=None)


# ``hl``: the handout sheet's language, chosen apart from the page's (a clinician reading English prints a Spanish
# sheet); left out while it is the page's own.
SHEET_LANG = Param("hl", "choice", "The handout sheet's language (default: the page's).", choices=LANGS, default=None)


def badge_param(badges: Sequence[str]) -> Param:
    """``badge``: the Evidence page's claims shown, by evidence badge (any of them; none: every claim)."""
    return Param(
        "badge", "multi", "Show only the claims with these evidence badges.", choices=tuple(badges), default=()
    )


def shown(value: str, limit: int = 24) -> str:
    """A visitor-supplied value made safe to repeat in a notice: letters, digits and a few marks only."""
    safe = re.sub(r"[^A-Za-z0-9 _.\-]", "?", value[:limit])
    return safe + ("…" if len(value) > limit else "")


def _clean_text(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", " ", value).strip()[:MAX_TEXT]


def parse(
    query: Mapping[str, Sequence[str]], spec: Sequence[Param], lang: Lang = DEFAULT
) -> tuple[dict[str, Any], list[str]]:
    """Validate ``query`` (name -> list of raw values) against ``spec``.

    Returns the accepted values (a default for each parameter missing or
    invalid) and a list of plain-text notices about what was dropped, in ``lang`` (the page's language: a
    Spanish page says in Spanish what it left out of its link).
    """
    by_name = {p.name: p for p in spec}
    values: dict[str, Any] = {p.name: p.default for p in spec}
    notices: list[str] = []
    doses: list[tuple[Param, list[str]]] = []
    for name, raw_values in query.items():
        raw = [str(v) for v in raw_values]
        if len(raw) > MAX_VALUES:
            notices.append(
                tr(lang, "'{name}' was given {count} times; read the first {most}.").format(
                    name=shown(name), count=len(raw), most=MAX_VALUES
                )
            )
            raw = raw[:MAX_VALUES]
        param = by_name.get(name)
        if param is None:
            notices.append(tr(lang, "Ignored the unknown link setting '{name}'.").format(name=shown(name)))
            continue
        if param.kind == "dose":
            doses.append((param, raw))  # after the loop: a dose needs its parameter's picks
            continue
        if param.kind == "multi":
            raw = [RENAMED.get(v, v) for v in raw]
            ok = [v for v in dict.fromkeys(raw) if v in param.choices]
            bad = [v for v in raw if v not in param.choices]
            if bad:
                notices.append(_ignored(bad, name, _expected(param, lang), lang))
            if twice := [v for v in dict.fromkeys(raw) if raw.count(v) > 1 and v in param.choices]:
                notices.append(
                    trn(
                        lang,
                        "The value {values} came more than once in '{name}'; kept the first.",
                        "The values {values} came more than once in '{name}'; kept the first of each.",
                        len(twice),
                    ).format(values=_listed(twice, lang), name=name)
                )
            values[name] = tuple(ok)
            continue
        if len(set(raw)) > 1:
            notices.append(
                tr(lang, "'{name}' was given {count} times; used the first valid value.").format(
                    name=name, count=len(raw)
                )
            )
        accepted = next((v for v in (_coerce(param, r) for r in raw) if v is not None), None)
        if accepted is None:
            notices.append(_ignored(raw, name, _expected(param, lang), lang))
        else:
            values[name] = accepted
            if param.kind == "text" and any(len(r) > MAX_TEXT for r in raw):
                notices.append(tr(lang, "Shortened '{name}' to {most} characters.").format(name=name, most=MAX_TEXT))
    for param, raw in doses:
        values[param.name], found = parse_doses(raw, param, values.get(param.picks, ()), lang)
        notices += found
    return values, notices


def parse_doses(
    raw: Sequence[str], param: Param, picked: Sequence[str], lang: Lang = DEFAULT
) -> tuple[Doses, list[str]]:
    """Read ``<technique id>.<letter><number>…`` values: each number in its field's bounds, for a field that
    technique's dose has, for a picked technique, once. Everything else is dropped with a notice in ``lang``."""
    fields = {tid: dict(defaults) for tid, defaults in param.fields}
    limits = {tid: dict(bounds) for tid, bounds in param.limits}
    out: Doses = {}
    notices: list[str] = []
    n = param.name
    for value in raw:
        if len(value) > MAX_DOSE_CHARS:
            notices.append(
                tr(lang, "Ignored a '{name}' value longer than {most} characters ({values}).").format(
                    name=n, most=MAX_DOSE_CHARS, values=_listed([value], lang)
                )
            )
            continue
        tid, *parts = value.split(".")
        tid = RENAMED.get(tid, tid)
        name = shown(tid, 60)
        if tid not in fields:
            notices.append(_ignored([value], n, tr(lang, "not a technique with a dose"), lang))
            continue
        if tid not in picked:
            notices.append(
                tr(lang, "Ignored the dose for '{technique}': that technique is not in the plan.").format(
                    technique=name
                )
            )
            continue
        if tid in out:
            notices.append(
                tr(lang, "The dose for '{technique}' came more than once in '{name}'; kept the first.").format(
                    technique=name, name=n
                )
            )
            continue
        amounts: dict[str, int] = {}
        seen: set[str] = set()
        for part in parts:
            m = re.fullmatch(r"([a-z])(\d{1,4})", part)
            field = DOSE_LETTER.get(m.group(1)) if m else None
            if m is None or field is None or field.name not in fields[tid]:
                notices.append(
                    tr(lang, "Ignored {values} in the dose for '{technique}': not a dose setting it has.").format(
                        values=_listed([part], lang), technique=name
                    )
                )
            elif field.name in seen:
                notices.append(
                    tr(lang, "Ignored {values} in the dose for '{technique}': {setting} came twice.").format(
                        values=_listed([part], lang), technique=name, setting=tr(lang, field.label)
                    )
                )
            elif problem := dose_problem(field.name, int(m.group(2)), limits.get(tid, {}).get(field.name), lang):
                notices.append(
                    tr(lang, "Ignored a dose for '{technique}': {problem}.").format(technique=name, problem=problem)
                )
            elif int(m.group(2)) != fields[tid][field.name]:  # the default is left out, as encode does
                amounts[field.name] = int(m.group(2))
            if field is not None:
                seen.add(field.name)
        out[tid] = amounts
    # in the order of the picks, as encode writes them, so a reopened link is the same link
    return {t: out[t] for t in picked if out.get(t)}, notices


def dose_value(tid: str, amounts: Mapping[str, int]) -> str:
    """One technique's changed dose as a link value: ``half_kneeling_hip_flexor_stretch.h45.r3`` (table order)."""
    return ".".join([tid, *(f"{f.letter}{amounts[f.name]}" for f in DOSE_FIELDS if f.name in amounts)])


def _coerce(param: Param, raw: str) -> Any:
    if param.kind == "choice":
        return raw if raw in param.choices else None
    if param.kind == "flag":
        return True if raw in ("1", "true", "on") else (False if raw in ("0", "false", "off") else None)
    if param.kind == "int":
        if not re.fullmatch(r"-?\d{1,4}", raw.strip()):
            return None
        n = int(raw)
        lo, hi = param.bounds
        return n if lo <= n <= hi else None
    if param.kind == "text":
        return _clean_text(raw) or None
    raise ValueError(f"unknown parameter kind {param.kind!r}")


def _expected(param: Param, lang: Lang) -> str:
    if param.kind == "int":
        return tr(lang, "expected a whole number from {lo} to {hi}").format(lo=param.bounds[0], hi=param.bounds[1])
    if param.kind == "flag":
        return tr(lang, "expected 1 or 0")
    if param.kind == "text":
        return tr(lang, "expected some text")
    # Choices are internal ids: a notice names none of them (a landmark link would list 40), it says what to do.
    return tr(lang, "not a value this link setting knows, so it was left out")


def _listed(raw: Sequence[str], lang: Lang) -> str:
    """Up to three of ``raw``, quoted and made safe (``shown``), and how many more."""
    quoted = tr(lang, "'{value}'")  # the language's quotation marks: «…» in Spanish
    items = ", ".join(quoted.format(value=shown(v)) for v in list(raw)[:3])
    if len(raw) <= 3:
        return items
    more = len(raw) - 3
    return trn(lang, "{values} and {count} more", "{values} and {count} more", more).format(values=items, count=more)


def _ignored(raw: Sequence[str], name: str, why: str, lang: Lang) -> str:
    """The notice for values of ``name`` that were left out, and why."""
    return trn(
        lang,
        "Ignored the value {values} for '{name}': {why}.",
        "Ignored the values {values} for '{name}': {why}.",
        len(raw),
    ).format(values=_listed(raw, lang), name=name, why=why)


def encode(values: Mapping[str, Any], spec: Sequence[Param]) -> dict[str, str | list[str]]:
    """The query string for ``values``: defaults and empty values are left out so links stay short."""
    out: dict[str, str | list[str]] = {}
    for p in spec:
        v = values.get(p.name, p.default)
        if v is None or v == p.default or v == () or v == "" or v == {}:
            continue
        if p.kind == "dose":
            out[p.name] = [dose_value(tid, amounts) for tid, amounts in v.items() if amounts]
            if not out[p.name]:
                del out[p.name]
        elif p.kind == "multi":
            out[p.name] = list(v)
        elif p.kind == "flag":
            out[p.name] = "1" if v else "0"
        else:
            out[p.name] = str(v)
    return out
