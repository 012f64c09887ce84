"""The handout as Markdown, for the print-friendly view: the same plan and wording as the PDF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from psoas_explorer.anatomy import pose as sketch
from psoas_explorer.content import model as c
from psoas_explorer.content.text import long_date, md_escape
from psoas_explorer.evidence.text import doi_url
from psoas_explorer.handout.plan import (
    LOG_HOW,
    LOG_PAIN,
    LOG_RISES,
    LOG_TITLE,
    PRIVACY_NOTE,
    TITLE,
    Doses,
    Person,
    badge_text,
    cap_note,
    equipment_text,
    how_often,
    log_weeks,
    meta_line,
    plan,
    sentence,
    steps,
)
from psoas_explorer.techniques.filters import RED_FLAGS_HEADING, skip_if


def handout_markdown(
    content: c.Content,
    technique_ids: Iterable[str],
    today: date,
    *,
    title: bool = True,
    patient: str = "",
    clinician: str = "",
    note: str = "",
    doses: Doses | None = None,
) -> str:
    """The same handout as Markdown, for the print-friendly view (``title=False`` when the page has its own).

    The patient, clinician and note are escaped, so they print exactly as typed (the note keeps its lines).
    """
    p = plan(content, technique_ids, doses)
    person = Person(patient, clinician, note).cleaned()
    e = md_escape
    out = [f"# {e(TITLE)}", ""] if title else []
    by = f" · prepared with {e(person.clinician)}" if person.clinician else ""
    out += [f"*{e(long_date(today))}{by}*", ""]
    if person.patient:
        out += [f"**For {e(person.patient)}**", ""]
    if person.patient or person.note:
        out += [f"*{e(PRIVACY_NOTE)}*", ""]
    if note := cap_note(p):
        out += [f"**{e(note)}**", ""]
    if not p.techniques:
        out += ["No techniques were chosen.", ""]
    for n, t in enumerate(p.techniques, 1):
        label, qualifiers = badge_text(content, t)
        out += [sketch.picture_markdown(t.pose), ""]  # the card's and the PDF's picture, leading the entry
        out += [f"## {n}\\. {e(t.name)}", "", e(meta_line(content, t)) + "  ", f"{e(how_often(p, t))}  "]
        out += [f"You need: {e(equipment_text(content, t))}", ""]
        out += [f"**Evidence {t.badge}:** {e(label)}" + (f" · {e(qualifiers)}" if qualifiers else ""), ""]
        out += [f"{i}. {e(step)}" for i, step in enumerate(steps(p, t), 1)]
        out += [""]
        if who := skip_if(content, t):
            out += ["**Skip it if:** " + "; ".join(e(w) for w in who) + ".", ""]
        out += ["**Stop at once if:** " + " ".join(e(sentence(s)) for s in t.stop_if), ""]
        out += ["**Take care:** " + " ".join(e(sentence(s)) for s in t.precautions), ""]
    if person.note:
        lines = [e(line) if line.strip() else "" for line in person.note.split("\n")]
        out += ["## Note from your clinician", "", "  \n".join(x for x in lines if x) or "", ""]
    s = content.safety
    out += ["## Safety first", "", f"**{e(s.short)}**", ""]
    if s.stop_signs:
        out += ["**Stop at once if:**", "", *[f"- {e(x)}" for x in s.stop_signs], ""]
    out += [f"**{e(RED_FLAGS_HEADING)}**", "", *[f"- {e(f.label)}" for f in s.red_flags], ""]
    if p.references:
        out += ["## Sources", ""]
        for r in p.references:
            link = f" [doi:{e(r.doi)}]({doi_url(r.doi)})" if r.doi else (f" {e(r.url)}" if r.url else "")
            out.append(f"- **{e(r.short)}**: {e(r.citation)}{link}")
        out.append("")
    out += ["## Clinician's notes", "", *(["\\_" * 60 + "", ""] * 5)]
    out += [f"*{e(s.disclaimer)}*", ""]
    if p.techniques:
        out += log_markdown(log_weeks(p))
    return "\n".join(out)


def log_markdown(weeks: int) -> list[str]:
    """The printed log as Markdown: a row a week, a box a day and the week's pain score, then what to do if the
    score rises (the PDF's last page says the same)."""
    e = md_escape
    box = "☐"
    out = [f"## {e(LOG_TITLE)}", "", e(LOG_HOW), ""]
    out += ["| Week | " + " | ".join(f"Day {d}" for d in range(1, 8)) + f" | {e(LOG_PAIN)} |"]
    out += ["|---|" + "---|" * 7 + "---|"]
    out += [f"| {w} | " + " | ".join([box] * 7) + " | \\_\\_ |" for w in range(1, weeks + 1)]
    out += ["", f"**{e(LOG_RISES)}**", ""]
    return out
