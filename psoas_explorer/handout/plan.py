"""What goes on the handout, whichever way it is printed: the picks kept (at most six) and their doses, who the
sheet is for, the link that reopens the plan, and the wording the PDF and the print view share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from psoas_explorer import settings
from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.vocab import LABELS
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr, trn
from psoas_explorer.links import build
from psoas_explorer.techniques.filters import skip_if

MAX_TECHNIQUES = 6  # more than this cannot stay readable on two pages
TITLE = N_("Psoas Explorer – your plan")


# Who the sheet is for: typed in the handout builder, printed as typed, never put in a link, log or file name.
MAX_PERSON = 80  # patient name, clinician or clinic name
MAX_NOTE = 500  # the clinician's free-text note
PRIVACY_NOTE = N_("Your name and the note are not stored or put in any link.")


def plan_url(
    technique_ids: Iterable[str], base: str | None = None, doses: Doses | None = None, lang: Lang = DEFAULT
) -> str:
    """The link that reopens this plan: the picks kept on the sheet, in order, and their changed doses,
    on the /handout page, in the sheet's language (``lang``, left out for English, the default)."""
    ids = list(dict.fromkeys(technique_ids))[:MAX_TECHNIQUES]
    link = build.handout(ids, doses=doses)
    if lang != DEFAULT:
        link = build.Link(link.url_path, {**link.query, "lang": lang})
    return link.url(base if base is not None else settings.public_url())


def clean_line(text: str, limit: int = MAX_PERSON) -> str:
    """One line of typed text as printed: control characters to spaces, trimmed, at most ``limit`` characters."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()[:limit]


def clean_note(text: str) -> str:
    """The note as printed: line breaks kept, other control characters to spaces, at most MAX_NOTE characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", text).strip()[:MAX_NOTE]


@dataclass(frozen=True)
class Person:
    """Who the sheet is for and from, and the clinician's note: printed exactly as typed (no markup)."""

    patient: str = ""
    clinician: str = ""
    note: str = ""

    def cleaned(self) -> Person:
        return Person(clean_line(self.patient), clean_line(self.clinician), clean_note(self.note))


Doses = Mapping[str, Mapping[str, int]]  # technique id -> dose field -> value changed from its default


@dataclass(frozen=True)
class Plan:
    """What goes on the handout: the techniques (capped), how many picks were left out, and each kept
    technique's changes to its default dose."""

    techniques: tuple[c.Technique, ...]
    left_out: int
    references: tuple[c.Reference, ...]
    doses: dict[str, dict[str, int]] = field(default_factory=dict)


def plan(content: c.Content, technique_ids: Iterable[str], doses: Doses | None = None) -> Plan:
    """Known ids only, in the order picked, no repeats, at most MAX_TECHNIQUES; references by first use;
    dose changes kept only for kept techniques and valid fields."""
    by_id = {t.id: t for t in content.techniques.techniques}
    picked = [by_id[i] for i in dict.fromkeys(technique_ids) if i in by_id]
    kept = tuple(picked[:MAX_TECHNIQUES])
    ref_ids = dict.fromkeys(r for t in kept for r in t.refs)
    changed = {t.id: ch for t in kept if (ch := dosing.changes(t, (doses or {}).get(t.id, {})))}
    return Plan(kept, len(picked) - len(kept), tuple(content.reference(r) for r in ref_ids), changed)


def printed_length(content: c.Content, t: c.Technique) -> int:
    """How much of a technique the sheet prints (name, how often, steps, every safety line), in characters."""
    return len(" ".join((t.name, t.frequency, *dosing.steps(t), *t.stop_if, *t.precautions, *skip_if(content, t))))


def longest_techniques(content: c.Content, n: int = MAX_TECHNIQUES) -> list[c.Technique]:
    """The ``n`` techniques that print the most, longest first: the hardest plans to fit (tests, benchmark)."""
    return sorted(content.techniques.techniques, key=lambda t: printed_length(content, t), reverse=True)[:n]


def cap_note(p: Plan, lang: Lang = DEFAULT) -> str:
    if not p.left_out:
        return ""
    return trn(
        lang,
        "A handout holds at most {max} techniques; {n} more technique was left out.",
        "A handout holds at most {max} techniques; {n} more techniques were left out.",
        p.left_out,
    ).format(max=MAX_TECHNIQUES, n=p.left_out)


def meta_line(content: c.Content, t: c.Technique, lang: Lang = DEFAULT) -> str:
    kind = content.technique_type(t.type).name
    return " · ".join((kind, t.time, tr(lang, LABELS[t.performer]), tr(lang, LABELS[t.intensity])))


def badge_text(content: c.Content, ev: c.Evidence) -> tuple[str, str]:
    info = next(b for b in content.evidence.badges if b.id == ev.badge)
    chips = {ch.id: ch.label for ch in content.evidence.chips}
    qualifiers = " · ".join(chips[ch] for ch in ev.chips)
    return info.label, qualifiers


def equipment_text(content: c.Content, t: c.Technique, lang: Lang = DEFAULT) -> str:
    """What a technique needs, as the card and the handout both say it ('nothing' when it needs nothing)."""
    names = content.techniques.equipment_names()
    return ", ".join(names[e] for e in t.equipment) or tr(lang, "nothing")


def how_often(p: Plan, t: c.Technique, lang: Lang = DEFAULT) -> str:
    """The dose line of ``t`` in this plan (its changed dose, else its default, else its own frequency)."""
    return dosing.line(t, p.doses.get(t.id), lang)


# The printed log (its own page of the PDF, a section of the print view): a box to tick for each day of at least
# six weeks and a pain score each week, to bring to the next visit. Plain advice for a rising score, no study claim.
LOG_TITLE = N_("Your log")
LOG_HOW = N_(
    "Tick a box on each day you do your plan. At the end of each week, write down your pain that week from 0 "
    "(no pain) to 10 (the worst pain you can imagine). Bring this page to your next visit."
)
LOG_RISES = N_(
    "If your pain score goes up, or a technique makes your pain worse: stop the technique that hurts and tell your "
    "clinician before you do it again. Get medical help at once for any of the warning signs under Safety first."
)
LOG_MIN_WEEKS = 6
LOG_MAX_WEEKS = 12
LOG_PAIN = N_("Pain 0–10")


def log_weeks(p: Plan) -> int:
    """Weeks of the log: six, or the longest course a dose in the plan sets (up to twelve, one page)."""
    weeks = [dosing.amounts(t, p.doses.get(t.id)).get("weeks", 0) for t in p.techniques]
    return min(LOG_MAX_WEEKS, max([LOG_MIN_WEEKS, *weeks]))


def steps(p: Plan, t: c.Technique, lang: Lang = DEFAULT) -> tuple[str, ...]:
    """The steps of ``t`` with this plan's dose filled in, so they say what its dose line says."""
    return dosing.steps(t, p.doses.get(t.id), lang)


def sentence(text: str) -> str:
    """A list item as a sentence, so items can be run together in one line."""
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."
