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

MAX_TEXT = 80  # longest free-text value we keep (search boxes)
MAX_VALUES = 20  # most repeated values we read for one multi-valued parameter


@dataclass(frozen=True)
class Param:
    """One documented query parameter.

    kind: "choice" (one of ``choices``), "multi" (several of ``choices``, as
    repeated keys), "int" (within ``bounds``), "text" (free text, trimmed), or
    "flag" (present as ``1`` means on).
    """

    name: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    bounds: tuple[int, int] = (0, 0)
    default: Any = None


def shown(value: str, limit: int = 24) -> str:
    """A visitor-supplied value made safe to repeat in a notice: letters, digits and a few marks only."""
    safe = re.sub(r"[^A-Za-z0-9 _.\-]", "?", value[:limit])
    return safe + ("…" if len(value) > limit else "")


def _clean_text(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", " ", value).strip()[:MAX_TEXT]


def parse(query: Mapping[str, Sequence[str]], spec: Sequence[Param]) -> tuple[dict[str, Any], list[str]]:
    """Validate ``query`` (name -> list of raw values) against ``spec``.

    Returns the accepted values (a default for each parameter missing or
    invalid) and a list of plain-text notices about what was dropped.
    """
    by_name = {p.name: p for p in spec}
    values: dict[str, Any] = {p.name: p.default for p in spec}
    notices: list[str] = []
    for name, raw_values in query.items():
        raw = [str(v) for v in raw_values][:MAX_VALUES]
        param = by_name.get(name)
        if param is None:
            notices.append(f"Ignored the unknown link setting '{shown(name)}'.")
            continue
        if param.kind == "multi":
            ok = [v for v in dict.fromkeys(raw) if v in param.choices]
            bad = [v for v in raw if v not in param.choices]
            if bad:
                notices.append(f"Ignored {_describe(bad)} for '{name}': {_expected(param)}.")
            values[name] = tuple(ok)
            continue
        if len(set(raw)) > 1:
            notices.append(f"'{name}' was given {len(raw)} times; used the first valid value.")
        accepted = next((v for v in (_coerce(param, r) for r in raw) if v is not None), None)
        if accepted is None:
            notices.append(f"Ignored {_describe(raw)} for '{name}': {_expected(param)}.")
        else:
            values[name] = accepted
            if param.kind == "text" and any(len(r) > MAX_TEXT for r in raw):
                notices.append(f"Shortened '{name}' to {MAX_TEXT} characters.")
    return values, notices


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


def _expected(param: Param) -> str:
    if param.kind == "int":
        return f"expected a whole number from {param.bounds[0]} to {param.bounds[1]}"
    if param.kind == "flag":
        return "expected 1 or 0"
    if param.kind == "text":
        return "expected some text"
    # Choices are internal ids: a notice names none of them (a landmark link would list 40), it says what to do.
    return "not a value this link setting knows, so it was left out"


def _describe(raw: Sequence[str]) -> str:
    items = ", ".join(f"'{shown(v)}'" for v in list(raw)[:3])
    more = f" and {len(raw) - 3} more" if len(raw) > 3 else ""
    return f"the value{'s' if len(raw) > 1 else ''} {items}{more}"


def encode(values: Mapping[str, Any], spec: Sequence[Param]) -> dict[str, str | list[str]]:
    """The query string for ``values``: defaults and empty values are left out so links stay short."""
    out: dict[str, str | list[str]] = {}
    for p in spec:
        v = values.get(p.name, p.default)
        if v is None or v == p.default or v == () or v == "":
            continue
        if p.kind == "multi":
            out[p.name] = list(v)
        elif p.kind == "flag":
            out[p.name] = "1" if v else "0"
        else:
            out[p.name] = str(v)
    return out
