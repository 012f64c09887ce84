"""Claims with their evidence badge and sources, as one Markdown element each."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from psoas_explorer.content import findings, vocab
from psoas_explorer.content import model as c
from psoas_explorer.i18n import Lang
from psoas_explorer.web import lang, memo
from psoas_explorer.web.lang import _


def badge_chip(badge: str, cnt: c.Content) -> str:
    """One evidence badge: its letter and plain label in its colour (never colour alone)."""
    info = next(b for b in cnt.evidence.badges if b.id == badge)
    chip = _("Evidence {badge}: {label}").format(badge=badge, label=info.label)
    return f":{vocab.BADGE_COLOURS[badge]}-badge[{chip}]"


def badge_markdown(ev: c.Evidence, cnt: c.Content) -> str:
    """Badge letter and plain label, then qualifier chips."""
    chips = {ch.id: ch.label for ch in cnt.evidence.chips}
    return " ".join([badge_chip(ev.badge, cnt), *(f":gray-badge[{chips[ch]}]" for ch in ev.chips)])


def sources_markdown(ev: c.Evidence, cnt: c.Content) -> str:
    names = [cnt.reference(r).short for r in ev.refs]
    return _("Sources: {names}").format(names="; ".join(names))


def claim_markdown(text: str, ev: c.Evidence, cnt: c.Content) -> str:
    """A claim, the findings it reports (in the reference's words), then its badge line and sources line."""
    found = findings.claim_lines(cnt, ev.findings, lang.current())
    evidence = _evidence_lines(cnt, memo.folder(), lang.current(), ev.badge, ev.chips, ev.refs)
    return "\n\n".join([text, *([found] if found else []), evidence])


@memo.per_folder(maxsize=4096)
def _evidence_lines(
    cnt: c.Content, folder: str, language: Lang, badge: str, chips: tuple[str, ...], refs: tuple[str, ...]
) -> str:
    """The badge line and the sources line of a claim: pages draw dozens per rerun, so each is built once per
    process and language. Shared: a string of the content, keyed by the language and by badge, chip and reference
    ids (never visitor text)."""
    ev = c.Evidence(badge=badge, chips=chips, refs=refs)  # type: ignore[arg-type]  # ids as the content holds them
    return f"{badge_markdown(ev, cnt)}  \n{sources_markdown(ev, cnt)}"


def claim(text: str, ev: c.Evidence, cnt: c.Content) -> None:
    """A claim and its evidence as one Markdown element: every element is a message on every rerun."""
    st.markdown(claim_markdown(text, ev, cnt))


def claims(items: Sequence[tuple[str, c.Evidence]], cnt: c.Content) -> None:
    """Several claims in one Markdown element, separated by rules."""
    st.markdown("\n\n---\n\n".join(claim_markdown(text, ev, cnt) for text, ev in items))
