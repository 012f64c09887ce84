"""Review dates and the review log: when each item was last checked against its sources, and when next.

Health pages show "Last reviewed · Next review due" (the NHS pattern, on a three-year cycle). Every claim,
red flag, contraindication, dose and pose picture has review records of its own. A page's "last reviewed"
date is the latest real review among its items, and it is only shown when every item has a review that
covers its current content (none older than the item's ``changed`` day); the next review is due three years
after the oldest item's latest review, so the date never claims more than the least recently checked item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from psoas_explorer.content import model as c
from psoas_explorer.content.rules import claim_items, reviewed_parts
from psoas_explorer.content.text import long_date
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr

CYCLE_YEARS = 3
# Honest about who checked: the developers read the sources; no licensed clinician has reviewed yet.
REVIEWER = N_("Checked against its sources by the Psoas Explorer developers; not yet reviewed by a licensed clinician.")


@dataclass(frozen=True)
class Reviewed:
    file: str
    section: str  # where a visitor meets it, in words ("Techniques", "Safety: warning signs")
    title: str  # the item as the app shows it (a claim's title, a technique's name, a myth's belief)
    badge: str
    review: c.Review | None  # the latest record
    reviews: tuple[c.Review, ...] = ()  # every record, oldest first (first review, then a second one)
    current: bool = True  # the latest review is on or after the day the item last changed


def _record(file: str, section: str, title: str, badge: str, item: c.Reviewed) -> Reviewed:
    latest = item.review
    current = latest is not None and (item.changed is None or latest.date >= item.changed)
    return Reviewed(file, section, title, badge, latest, item.reviews, current)


def reviewed_items(cnt: c.Content, lang: Lang = DEFAULT) -> Iterator[Reviewed]:
    """Every claim, red flag, contraindication, dose and pose picture with its review records (the section and
    title in ``lang``: the content's words are already in it, the section names come from the catalog)."""
    shown = {id(ev): (section, statement) for section, statement, ev in cnt.claims()}
    for file, _entry, ev, _texts in claim_items(cnt):
        section, title = shown[id(ev)]
        yield _record(file, c.section_label(section, lang), title, ev.badge, ev)
    for flag in cnt.safety.red_flags:
        yield _record("safety.yaml", tr(lang, "Safety: warning signs"), flag.label, "", flag)
    for x in cnt.safety.contraindications:
        yield _record("safety.yaml", tr(lang, "Safety: who should skip a technique"), x.question, "", x)
    names = {t.id: t.name for t in cnt.techniques.techniques}
    for file, entry, field, item in reviewed_parts(cnt):
        if field != "reviews":  # a dose or a picture (claims and safety items are above)
            section, title = (
                (N_("Techniques: dose"), N_("{name} (dose)"))
                if field.startswith("dose")
                else (N_("Techniques: picture"), N_("{name} (picture)"))
            )
            yield _record(file, tr(lang, section), tr(lang, title).format(name=names[entry]), "", item)


def next_due(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + CYCLE_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + CYCLE_YEARS, day=28)


def review_dates(cnt: c.Content, files: Iterable[str] | None = None) -> tuple[dt.date, dt.date] | None:
    """(last reviewed, next review due) over the items of ``files`` (all when None): the latest real review, and
    three years after the oldest item's latest review. None if any item is unchecked, or changed after its
    latest review (a review older than what it covers)."""
    wanted = set(files) if files is not None else None
    items = [r for r in reviewed_items(cnt) if wanted is None or r.file in wanted]
    dates = [r.review.date for r in items if r.review is not None and r.current]
    if not dates or len(dates) < len(items):
        return None
    return max(dates), next_due(min(dates))


def review_line(cnt: c.Content, files: Iterable[str] | None = None, lang: Lang = DEFAULT) -> str:
    """'Last reviewed 25 November 2026 · Next review due 25 November 2029', or that a check is still owed."""
    dates = review_dates(cnt, files)
    if dates is None:
        return tr(lang, "Some statements on this page have not been checked against their sources yet.")
    last, due = dates
    return tr(lang, "Last reviewed {last} · Next review due {due}").format(
        last=long_date(last, lang), due=long_date(due, lang)
    )


# The review log's columns: the rows keep these English names as ids; a visitor reads ``log_labels(lang)``.
LOG_COLUMNS = (
    N_("Reviewed"), N_("Section"), N_("Item"), N_("Badge"), N_("By"), N_("Verdict"), N_("Sources read"),
    N_("What was checked"),
)  # fmt: skip
# A review record's role and verdict are words of a small vocabulary: shown in the reader's language.
_RECORD_WORDS = (
    N_("content review against sources"), N_("second content review against sources"), N_("holds"), N_("fix"),
    N_("cannot verify"),
)  # fmt: skip


def log_labels(lang: Lang = DEFAULT) -> dict[str, str]:
    """Each review-log column's heading in ``lang``, by its id."""
    return {col: tr(lang, col) for col in LOG_COLUMNS}


def log_rows(cnt: c.Content, lang: Lang = DEFAULT) -> list[dict[str, str]]:
    """The review log for the evidence page: one row per review record (a second review is a row of its own),
    oldest first; an item without a review is a 'not yet' row. Its words are in ``lang``; what each record says
    was checked (``note``) is a record and is shown as it was written."""
    names = {r.id: r.short for r in cnt.references}
    names["steps"] = tr(lang, "the technique's own steps")
    never = tr(lang, "not yet")
    rows = [
        {
            "Reviewed": rec.date.isoformat() if rec else never,
            "Section": r.section,
            "Item": r.title,
            "Badge": r.badge,
            "By": tr(lang, rec.role) if rec and rec.role else "",
            "Verdict": tr(lang, rec.verdict) if rec and rec.verdict else "",
            "Sources read": "; ".join(names.get(ref, ref) for ref in rec.checked) if rec else "",
            "What was checked": rec.note if rec else "",
        }
        for r in reviewed_items(cnt, lang)
        for rec in (r.reviews or (None,))
    ]
    return sorted(rows, key=lambda row: (row["Reviewed"] == never, row["Reviewed"]))
