"""Review dates and the review log: when each item was last checked against its sources, and when next.

Health pages show "Last reviewed · Next review due" (the NHS pattern, on a three-year cycle). A page's
"last reviewed" date is the *oldest* check among the items it shows, so the date never claims more than
the least recently checked item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from psoas_explorer.content import model as c
from psoas_explorer.content.rules import claim_items
from psoas_explorer.content.text import long_date

CYCLE_YEARS = 3
# Honest about who checked: the developers read the sources; no licensed clinician has reviewed yet.
REVIEWER = "Checked against its sources by the Psoas Explorer developers; not yet reviewed by a licensed clinician."


@dataclass(frozen=True)
class Reviewed:
    file: str
    section: str  # where a visitor meets it, in words ("Techniques", "Safety: warning signs")
    title: str  # the item as the app shows it (a claim's title, a technique's name, a myth's belief)
    badge: str
    review: c.Review | None


def reviewed_items(cnt: c.Content) -> Iterator[Reviewed]:
    """Every claim, red flag and contraindication with its review record (None where it has none)."""
    shown = {id(ev): (section, statement) for section, statement, ev in cnt.claims()}
    for file, _entry, ev, _texts in claim_items(cnt):
        section, title = shown[id(ev)]
        yield Reviewed(file, section, title, ev.badge, ev.review)
    for flag in cnt.safety.red_flags:
        yield Reviewed("safety.yaml", "Safety: warning signs", flag.label, "", flag.review)
    for x in cnt.safety.contraindications:
        yield Reviewed("safety.yaml", "Safety: who should skip a technique", x.question, "", x.review)


def next_due(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + CYCLE_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + CYCLE_YEARS, day=28)


def review_dates(cnt: c.Content, files: Iterable[str] | None = None) -> tuple[dt.date, dt.date] | None:
    """(last reviewed, next review due) over the items of ``files`` (all when None); None if any is unchecked."""
    wanted = set(files) if files is not None else None
    items = [r for r in reviewed_items(cnt) if wanted is None or r.file in wanted]
    dates = [r.review.date for r in items if r.review is not None]
    if not dates or len(dates) < len(items):
        return None
    last = min(dates)
    return last, next_due(last)


def review_line(cnt: c.Content, files: Iterable[str] | None = None) -> str:
    """'Last reviewed 25 November 2026 · Next review due 25 November 2029', or that a check is still owed."""
    dates = review_dates(cnt, files)
    if dates is None:
        return "Some statements on this page have not been checked against their sources yet."
    last, due = dates
    return f"Last reviewed {long_date(last)} · Next review due {long_date(due)}"


def log_rows(cnt: c.Content) -> list[dict[str, str]]:
    """The review log: one row per item, oldest check first, for the evidence page."""
    names = {r.id: r.short for r in cnt.references}
    rows = [
        {
            "Reviewed": r.review.date.isoformat() if r.review else "not yet",
            "Section": r.section,
            "Item": r.title,
            "Badge": r.badge,
            "Sources read": "; ".join(names.get(ref, ref) for ref in r.review.checked) if r.review else "",
            "What was checked": r.review.note if r.review else "",
        }
        for r in reviewed_items(cnt)
    ]
    return sorted(rows, key=lambda row: row["Reviewed"])
