"""A study's result is written once, at its reference (``findings``); claims and goal notes point at it.

These functions turn the pointers (``youdas1996#men_lordosis``) into the words every renderer shows, so a
correction at the reference lands on every card, claim and sheet at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from psoas_explorer.content.model import Content, GoalEvidence
from psoas_explorer.i18n import DEFAULT, Lang, tr


def shown(cnt: Content, pointers: Iterable[str]) -> list[str]:
    """'Youdas et al. 1996: in men, …' for each pointer (unknown pointers are left out; a rule reports them)."""
    out = []
    for pointer in pointers:
        if found := cnt.finding(pointer):
            ref, text = found
            out.append(f"{ref.short}: {text}")
    return out


def goal_note(cnt: Content, ge: GoalEvidence) -> str:
    """A goal's note followed by the findings it rests on, in the reference's own words."""
    parts = [ge.note] if ge.note else []
    parts += [f"({line})" for line in shown(cnt, ge.findings)]
    return " ".join(parts)


def claim_lines(cnt: Content, pointers: Iterable[str], lang: Lang = DEFAULT) -> str:
    """The findings a claim reports, as Markdown lines under it ('' when it points at none), introduced in
    ``lang`` (the findings themselves are the content's, already in that language)."""
    lead = tr(lang, "*What the study found:* {finding}")
    return "  \n".join(lead.format(finding=line) for line in shown(cnt, pointers))
