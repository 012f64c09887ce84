"""The plan at home (issue 22): what the patient's view of a plan shows and what its follow-along counts.

A plan link and the sheet's QR code open the /handout page on the patient's phone. It reads as the plan itself:
each technique in the plan's order with its picture, the dose in force, the steps and when to stop; the
clinician's fields stay in the builder. The follow-along runs in the browser (web/assets/patient.js), so it gets
the plan as data, built here: the same plan (picks capped, doses checked) and the same words as the sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psoas_explorer.anatomy import pose as sketch
from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout.pdf import SAFETY_FIRST, SKIP_IF, TAKE_CARE
from psoas_explorer.handout.plan import (
    LOG_HOW,
    LOG_PAIN,
    LOG_RISES,
    LOG_TITLE,
    Doses,
    cap_note,
    how_often,
    plan,
    sentence,
)
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr, trn
from psoas_explorer.techniques.filters import RED_FLAGS_HEADING, skip_if

STOP_HEADING = N_("Stop at once if")
SIDES = (N_("left side"), N_("right side"))
# The log's note, shown beside it: where the ticks live, and what they never are.
LOG_NOTE = N_(
    "Kept only in this browser on this device: never sent to Psoas Explorer, never put in a link, and not seen "
    "by anyone unless you show it. Clearing this browser's data, or “Erase my log”, deletes it."
)


def intro(count: int, lang: Lang = DEFAULT) -> str:
    """The line under the heading: how many techniques, and that the order is the clinician's."""
    return trn(
        lang,
        "Your plan has one technique, in the order to do them. Press **Start** to be guided through it with a timer "
        "for each hold; stop at once if anything under “Stop at once if” happens.",
        "Your plan has {count} techniques, in the order to do them. Press **Start** to be guided through it with a "
        "timer for each hold; stop at once if anything under “Stop at once if” happens.",
        count,
    ).format(count=count)


def technique_markdown(
    cnt: c.Content, t: c.Technique, number: int, changed: dict[str, int] | None, lang: Lang = DEFAULT
) -> str:
    """One technique of the patient's view: heading, dose in force, picture, steps (their numbers from the
    dose), who should skip it, when to stop and what to take care with. Content text only, escaped."""
    e = md_escape
    out = [f"## {number}\\. {e(t.name)}", "", f"**{e(dosing.line(t, changed, lang))}**", ""]
    out += [sketch.picture_markdown(t.pose, lang), ""]  # the card's and the sheet's picture
    out += [f"{i}. {e(step)}" for i, step in enumerate(dosing.steps(t, changed, lang), 1)]
    out += [""]
    if who := skip_if(cnt, t):
        out += [f"**{tr(lang, SKIP_IF)}** " + "; ".join(e(w) for w in who) + ".", ""]
    out += [f"**{tr(lang, STOP_HEADING)}:** " + " ".join(e(sentence(s)) for s in t.stop_if), ""]
    out += [f"**{tr(lang, TAKE_CARE)}** " + " ".join(e(sentence(s)) for s in t.precautions)]
    return "\n".join(out)


def plan_markdown(
    cnt: c.Content, technique_ids: Iterable[str], doses: Doses | None = None, lang: Lang = DEFAULT
) -> list[str]:
    """Each technique's block, in the plan's order (the sheet's cap applied, with its note first)."""
    p = plan(cnt, technique_ids, doses)
    blocks = [f"**{md_escape(note)}**"] if (note := cap_note(p, lang)) else []
    return blocks + [technique_markdown(cnt, t, n, p.doses.get(t.id), lang) for n, t in enumerate(p.techniques, 1)]


def safety_heading(lang: Lang = DEFAULT) -> str:
    """The safety section's heading, as the sheet says it."""
    return tr(lang, SAFETY_FIRST)


def safety_markdown(cnt: c.Content, lang: Lang = DEFAULT) -> str:
    """The plan's safety section (on screen and on paper): the short warning, the stop signs and the red flags."""
    s, e = cnt.safety, md_escape
    stop = tr(lang, STOP_HEADING)
    out = [f"**{e(s.short)}**", "", f"**{stop}:**", "", *[f"- {e(x)}" for x in s.stop_signs], ""]
    out += [f"**{e(tr(lang, RED_FLAGS_HEADING))}**", "", *[f"- {e(f.label)}" for f in s.red_flags]]
    return "\n".join(out)


def follow_data(
    cnt: c.Content, technique_ids: Iterable[str], doses: Doses | None = None, lang: Lang = DEFAULT
) -> dict[str, Any]:
    """What the browser's follow-along needs, as plain JSON-able data: per technique its name, dose line, steps,
    the numbers it counts (hold seconds, repetitions, sets, sides) and its stop signs. Text is sent as text (the
    script puts it in the page with textContent, never as HTML)."""
    p = plan(cnt, technique_ids, doses)
    out = []
    for t in p.techniques:
        changed = p.doses.get(t.id)
        a = dosing.amounts(t, changed)
        out.append(
            {
                "name": t.name,
                "dose": how_often(p, t, lang),
                "steps": list(dosing.steps(t, changed, lang)),
                "hold": a.get("hold", 0),
                "reps": a.get("reps", 1 if "hold" in a else 0),
                "sets": a.get("sets", 1),
                "sides": [tr(lang, side) for side in SIDES] if t.dose and t.dose.each_side else [],
                "stop": [sentence(s) for s in t.stop_if],
            }
        )
    return {"mode": "follow", "techniques": out, "stopHeading": tr(lang, STOP_HEADING)}


def log_markdown(weeks: int, lang: Lang = DEFAULT) -> list[str]:
    """The printed log as Markdown (the patient's view prints it; the PDF's last page says the same): a row a week,
    a box a day and the week's pain score, then what to do if the score rises."""
    e = md_escape
    box = "☐"
    out = [f"## {e(tr(lang, LOG_TITLE))}", "", e(tr(lang, LOG_HOW)), ""]
    days = " | ".join(tr(lang, "Day {day}").format(day=d) for d in range(1, 8))
    out += [f"| {tr(lang, 'Week')} | {days} | {e(tr(lang, LOG_PAIN))} |"]
    out += ["|---|" + "---|" * 7 + "---|"]
    out += [f"| {w} | " + " | ".join([box] * 7) + " | \\_\\_ |" for w in range(1, weeks + 1)]
    out += ["", f"**{e(tr(lang, LOG_RISES))}**", ""]
    return out
