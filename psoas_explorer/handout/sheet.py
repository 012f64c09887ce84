"""The consult handout: the chosen techniques, the safety warning and the sources, on one or two pages.

Built from the same validated content as the pages, so what a visitor takes
to a clinician says exactly what the app says, evidence badge included. The
PDF embeds DejaVu Sans (assets/fonts, Bitstream Vera licence) because the
standard PDF fonts cannot show names such as "Sığlan & Çolak" or signs such as ≈.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.text import long_date, md_escape
from psoas_explorer.content.vocab import BADGE_RGB, LABELS
from psoas_explorer.evidence.text import doi_url
from psoas_explorer.links import build
from psoas_explorer.techniques.filters import RED_FLAGS_HEADING, skip_if

MAX_TECHNIQUES = 6  # more than this cannot stay readable on two pages
TITLE = "Psoas Explorer – your plan"
FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT = "DejaVu"

_PRIMARY = (11, 92, 173)
_TEXT = (27, 31, 36)
_MUTED = (95, 99, 104)
_RULE = (200, 205, 212)
_WARN = (150, 40, 20)


# Who the sheet is for: typed in the handout builder, printed as typed, never put in a link, log or file name.
MAX_PERSON = 80  # patient name, clinician or clinic name
MAX_NOTE = 500  # the clinician's free-text note
PRIVACY_NOTE = "Your name and the note are not stored or put in any link."

# The address the QR code and the printed link point to. The server cannot know its public address (a proxy,
# a base path, a domain), so it is a setting.
PUBLIC_URL_ENV = "PSOAS_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://localhost:8501"
QR_MM = 17.0  # side of the printed QR code, quiet zone excluded (a 6-pick link: modules of about 0.35 mm)


def public_url() -> str:
    """The app's public base URL (``PSOAS_PUBLIC_URL``, default ``http://localhost:8501``), without a trailing /."""
    return (os.environ.get(PUBLIC_URL_ENV, "").strip() or DEFAULT_PUBLIC_URL).rstrip("/")


def plan_url(technique_ids: Iterable[str], base: str | None = None, doses: Doses | None = None) -> str:
    """The link that reopens this plan: the picks kept on the sheet, in order, and their changed doses,
    on the /handout page."""
    ids = list(dict.fromkeys(technique_ids))[:MAX_TECHNIQUES]
    return build.handout(ids, doses=doses).url(base if base is not None else public_url())


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


def _cap_note(p: Plan) -> str:
    if not p.left_out:
        return ""
    more = "technique was" if p.left_out == 1 else "techniques were"
    return f"A handout holds at most {MAX_TECHNIQUES} techniques; {p.left_out} more {more} left out."


def _meta(content: c.Content, t: c.Technique) -> str:
    kind = content.technique_type(t.type).name
    return " · ".join((kind, t.time, LABELS[t.performer], LABELS[t.intensity]))


def _badge_text(content: c.Content, ev: c.Evidence) -> tuple[str, str]:
    info = next(b for b in content.evidence.badges if b.id == ev.badge)
    chips = {ch.id: ch.label for ch in content.evidence.chips}
    qualifiers = " · ".join(chips[ch] for ch in ev.chips)
    return info.label, qualifiers


def equipment_text(content: c.Content, t: c.Technique) -> str:
    """What a technique needs, as the card and the handout both say it ('nothing' when it needs nothing)."""
    names = content.techniques.equipment_names()
    return ", ".join(names[e] for e in t.equipment) or "nothing"


# --- PDF ----------------------------------------------------------------------------


class _Doc(FPDF):
    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7)
        self.set_text_color(*_MUTED)
        self.cell(
            0,
            4,
            f"Psoas Explorer · information, not medical advice · page {self.page_no()} of {{nb}}",
            align="C",
        )


class _Writer:
    """Lays the handout out at one body font size; the caller shrinks the size until it fits."""

    def __init__(self, content: c.Content, p: Plan, *, today: date, who: Person, link: str, size: float) -> None:
        self.content, self.plan, self.today, self.who, self.link, self.size = content, p, today, who, link, size
        self.lh = size * 0.46  # line height in mm
        pdf = _Doc(orientation="P", unit="mm", format="A4")
        pdf.set_margins(16, 14, 16)
        pdf.set_auto_page_break(True, margin=16)
        pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.set_title(TITLE)
        pdf.set_author("Psoas Explorer")
        pdf.set_subject("Techniques chosen for a consultation, with safety warning and sources")
        pdf.set_creator("Psoas Explorer")
        pdf.set_lang("en")
        pdf.set_creation_date(datetime(today.year, today.month, today.day, tzinfo=UTC))
        self.pdf = pdf

    # small drawing helpers
    def font(self, style: str = "", scale: float = 1.0, colour: tuple[int, int, int] = _TEXT) -> None:
        self.pdf.set_font(FONT, style, self.size * scale)
        self.pdf.set_text_color(*colour)

    def para(
        self, text: str, *, indent: float = 0, scale: float = 1.0, style: str = "", colour: tuple[int, int, int] = _TEXT
    ) -> None:
        self.font(style, scale, colour)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(0, self.lh * scale, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    def labelled(self, lead: str, text: str, *, colour: tuple[int, int, int] = _TEXT, scale: float = 1.0) -> None:
        """'Lead: text' as one flowing paragraph with a bold lead."""
        pdf = self.pdf
        pdf.set_x(pdf.l_margin)
        self.font("B", scale, colour)
        pdf.write(self.lh * scale, lead + " ")
        self.font("", scale)
        pdf.write(self.lh * scale, text)
        pdf.ln(self.lh * scale)

    def bullets(self, items: Iterable[str], *, marker: str = "•", indent: float = 0) -> None:
        pdf = self.pdf
        self.font()
        for item in items:
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(4 if marker == "•" else 5.5, self.lh, marker)
            pdf.multi_cell(0, self.lh, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    def bullets_in_two_columns(self, items: Sequence[str]) -> None:
        """Short list items side by side, row by row, so a long list of signs takes half the height."""
        pdf = self.pdf
        self.font()
        half = pdf.epw / 2
        for row in range(0, len(items), 2):
            pair = items[row : row + 2]
            need = max(self.height(item, indent=half + 4) for item in pair)
            if pdf.will_page_break(need):
                pdf.add_page()
            top, bottom = pdf.get_y(), pdf.get_y()
            for col, item in enumerate(pair):
                pdf.set_xy(pdf.l_margin + col * half, top)
                pdf.cell(4, self.lh, "•")
                pdf.multi_cell(half - 6, self.lh, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
                bottom = max(bottom, pdf.get_y())
            pdf.set_y(bottom)

    def heading(self, text: str, *, space: float = 2.5) -> None:
        pdf = self.pdf
        if pdf.will_page_break(self.lh * 5):
            pdf.add_page()
        pdf.ln(space)
        self.font("B", 1.25, _PRIMARY)
        pdf.cell(0, self.lh * 1.35, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.set_draw_color(*_PRIMARY)
        pdf.set_line_width(0.35)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.2)

    def badge(self, ev: c.Evidence) -> None:
        pdf = self.pdf
        label, qualifiers = _badge_text(self.content, ev)
        h = self.lh * 1.05
        x, y = pdf.l_margin, pdf.get_y()
        self.font("B", 0.9, (255, 255, 255))
        text = f"Evidence {ev.badge}"
        w = pdf.get_string_width(text) + 3
        pdf.set_fill_color(*BADGE_RGB[ev.badge])
        pdf.rect(x, y + 0.15, w, h, style="F", round_corners=True, corner_radius=0.8)
        pdf.set_xy(x, y + 0.15)
        pdf.cell(w, h, text, align="C")
        pdf.set_xy(x + w + 1.5, y + 0.15)
        self.font("", 0.9, _MUTED)
        tail = label + (f" · {qualifiers}" if qualifiers else "")
        pdf.multi_cell(0, h, tail, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(0.6)

    def qr(self, x: float, y: float) -> None:
        """The plan link as a QR code, drawn as filled rectangles (one per run of dark modules in a row)."""
        pdf = self.pdf
        code = segno.make(self.link, error="l", micro=False)
        rows = code.matrix
        m = QR_MM / len(rows)
        pdf.set_fill_color(0, 0, 0)
        for r, row in enumerate(rows):
            col = 0
            while col < len(row):
                if row[col]:
                    start = col
                    while col < len(row) and row[col]:
                        col += 1
                    # a hair wider than the run, so no light seam shows between rectangles when rendered
                    pdf.rect(x + start * m, y + r * m, (col - start) * m + 0.02, m + 0.02, style="F")
                else:
                    col += 1

    # sections
    def header(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        self.font("B", 2.0, _PRIMARY)
        pdf.cell(0, self.size * 0.95, TITLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.font("", 1.0, _MUTED)
        by = f" · prepared with {self.who.clinician}" if self.who.clinician else ""
        pdf.multi_cell(0, self.lh * 1.2, f"{long_date(self.today)}{by}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        if self.who.patient:
            self.font("B", 1.1)
            pdf.multi_cell(0, self.lh * 1.3, f"For {self.who.patient}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.set_draw_color(*_PRIMARY)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
        pdf.ln(3)
        self.para(
            "The techniques you chose in Psoas Explorer, with how strong the research behind each one is. "
            "Read the safety section before you start, and show this sheet to your clinician.",
            scale=0.95,
            colour=_MUTED,
        )
        if note := _cap_note(self.plan):
            self.para(note, scale=0.95, style="B", colour=_WARN)
        if not self.plan.techniques:
            self.para("No techniques were chosen.", colour=_MUTED)

    def height(self, text: str, *, style: str = "", scale: float = 1.0, indent: float = 0) -> float:
        """Estimated height of a wrapped paragraph (string width over line width, with slack for word wrap).

        An estimate, not a dry run: fpdf's line breaking is slow, and this only decides page breaks.
        """
        self.font(style, scale)
        lines = math.ceil(self.pdf.get_string_width(text) / ((self.pdf.epw - indent) * 0.9))
        return max(1, lines) * self.lh * scale

    def technique_height(self, number: int, t: c.Technique) -> float:
        return (
            self.lh * 0.7
            + self.height(f"{number}. {t.name}", style="B", scale=1.12) * 1.2 / 1.12
            + self.height(_meta(self.content, t), scale=0.9)
            + self.height(self._how_often(t), scale=0.9)
            + 0.5
            + self.lh * 1.05
            + 0.75
            + sum(self.height(step, indent=6) for step in t.steps)
            + 0.6
            + self.height("Skip it if: " + "; ".join(skip_if(self.content, t)))
            + self.height("Stop at once if: " + " ".join(sentence(x) for x in t.stop_if))
            + self.height("Take care: " + " ".join(sentence(x) for x in t.precautions))
        )

    def technique(self, number: int, t: c.Technique) -> None:
        """One technique; moved to the next page instead of leaving a stub on either side of a page break."""
        pdf = self.pdf
        room = pdf.page_break_trigger - pdf.get_y()
        need = self.technique_height(number, t)
        if need > room and min(room, need - room) < need * 0.25:
            pdf.add_page()
        self._technique(number, t)

    def _how_often(self, t: c.Technique) -> str:
        return how_often(self.plan, t) + f" · You need: {equipment_text(self.content, t)}"

    def _technique(self, number: int, t: c.Technique) -> None:
        pdf = self.pdf
        pdf.ln(self.lh * 0.7)
        self.font("B", 1.12)
        pdf.multi_cell(0, self.lh * 1.2, f"{number}. {t.name}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.para(_meta(self.content, t), scale=0.9, colour=_MUTED)
        self.para(self._how_often(t), scale=0.9, colour=_MUTED)
        pdf.ln(0.5)
        self.badge(t)
        for i, step in enumerate(t.steps, 1):
            self.font()
            pdf.set_x(pdf.l_margin + 1)
            pdf.cell(5, self.lh, f"{i}.")
            pdf.multi_cell(0, self.lh, step, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(0.6)
        if who := skip_if(self.content, t):
            self.labelled("Skip it if:", "; ".join(who) + ".", colour=_WARN)
        self.labelled("Stop at once if:", " ".join(sentence(s) for s in t.stop_if), colour=_WARN)
        self.labelled("Take care:", " ".join(sentence(s) for s in t.precautions))

    def safety(self) -> None:
        """The short warning, then every stop sign and every warning sign one by one (two columns to fit)."""
        s = self.content.safety
        self.heading("Safety first")
        self.para(s.short, style="B")
        if s.stop_signs:
            self.pdf.ln(0.6)
            self.para("Stop at once if:", style="B", colour=_WARN)
            self.bullets_in_two_columns(s.stop_signs)
        self.pdf.ln(0.6)
        self.para(RED_FLAGS_HEADING, style="B", colour=_WARN)
        self.bullets_in_two_columns([f.label for f in s.red_flags])
        self.pdf.ln(0.6)
        self.para(s.disclaimer, scale=0.85, colour=_MUTED)

    def references(self) -> None:
        if not self.plan.references:
            return
        self.heading("Sources")
        # One flowing paragraph of short names and identifiers: the full citations and what each study found
        # are on the app's Evidence page, and a sheet with six techniques must still fit two pages.
        self.para(
            "; ".join(_source_line(r) for r in self.plan.references) + ". " + SOURCES_NOTE,
            scale=0.85,
            colour=_MUTED,
        )

    def note(self) -> None:
        """The clinician's typed note, as plain text with its line breaks."""
        if not self.who.note:
            return
        self.heading("Note from your clinician")
        self.para(self.who.note)

    def notes(self) -> None:
        """Ruled lines for the clinician, with the QR code and printed link that reopen the plan beside them."""
        pdf = self.pdf
        gap = max(6.5, self.lh * 1.9)
        quiet = 4 * QR_MM / len(segno.make(self.link, error="l", micro=False).matrix)  # kept clear of lines
        # at least two ruled lines, and room for the heading and the code, or a fresh page
        if pdf.will_page_break(max(self.lh * 4 + gap * 2, 1.5 + self.lh * 1.35 + 1.2 + 1 + QR_MM)):
            pdf.add_page()
        self.heading("Clinician's notes", space=1.5)
        top = pdf.get_y() + 1
        qr_x = pdf.w - pdf.r_margin - QR_MM
        self.qr(qr_x, top)
        width = pdf.epw - QR_MM - quiet - 2
        self.font("", 0.85, _MUTED)
        pdf.set_y(top)
        pdf.multi_cell(
            width,
            self.lh * 0.85,
            f"To see this plan on your phone, scan the code or open {self.link}",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
        )
        self.font("", 0.75, _MUTED)
        pdf.multi_cell(width, self.lh * 0.8, PRIVACY_NOTE, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.25)
        y = pdf.get_y() + gap * 0.8
        bottom = pdf.h - pdf.b_margin - 2
        while y <= bottom:
            right = qr_x - quiet if y <= top + QR_MM + quiet else pdf.w - pdf.r_margin
            pdf.line(pdf.l_margin, y, right, y)
            y += gap

    def build(self) -> FPDF:
        self.header()
        for i, t in enumerate(self.plan.techniques, 1):
            self.technique(i, t)
        self.note()
        self.safety()
        self.references()
        self.notes()
        return self.pdf


def how_often(p: Plan, t: c.Technique) -> str:
    """The dose line of ``t`` in this plan (its changed dose, else its default, else its own frequency)."""
    return dosing.line(t, p.doses.get(t.id))


SOURCES_NOTE = "Full citations and what each study found: the Evidence page of Psoas Explorer."


def _source_line(r: c.Reference) -> str:
    """'Sığlan & Çolak 2023, doi:10.1016/…', or the citation when a source has no DOI or page."""
    ident = f"doi:{r.doi}" if r.doi else (r.url or r.citation)
    return f"{r.short}, {ident}"


def sentence(text: str) -> str:
    """A list item as a sentence, so items can be run together in one line."""
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."


_SIZES = (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5)  # body font sizes in points, largest first
_ONE_PAGE_SIZES = (9.0, 8.5, 8.0)  # how far a two-page plan may shrink to fit on one page


def handout_pdf(
    content: c.Content,
    technique_ids: Iterable[str],
    *,
    today: date,
    clinician: str = "",
    patient: str = "",
    note: str = "",
    base_url: str | None = None,
    doses: Doses | None = None,
) -> bytes:
    """The handout as PDF bytes, in the largest font size that keeps it on two A4 pages.

    At most MAX_TECHNIQUES techniques are included (the handout says when picks were left out). The patient,
    clinician and note are printed as typed; the QR code and printed link hold only the picks, in order, and
    their changed ``doses`` (``base_url`` defaults to :func:`public_url`).
    """
    p = plan(content, technique_ids, doses)
    who = Person(patient, clinician, note).cleaned()
    link = plan_url((t.id for t in p.techniques), base_url, p.doses)

    def build(size: float) -> FPDF:
        return _Writer(content, p, today=today, who=who, link=link, size=size).build()

    best = build(_SIZES[0])
    if best.page_no() == 2:  # a short plan may fit one page at a slightly smaller size
        smallest = build(_ONE_PAGE_SIZES[-1])
        if smallest.page_no() == 1:  # it can be done: take the largest size that manages it
            larger = (pdf for size in _ONE_PAGE_SIZES[:-1] if (pdf := build(size)).page_no() == 1)
            best = next(larger, smallest)
    elif best.page_no() > 2:  # binary-search the smaller sizes for the largest that fits two pages
        fitting: FPDF | None = None
        lo, hi = 1, len(_SIZES) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            pdf = build(_SIZES[mid])
            if pdf.page_no() <= 2:
                fitting, hi = pdf, mid - 1
            else:
                lo = mid + 1
        best = fitting or build(_SIZES[-1])
    return bytes(best.output())


# --- Markdown -------------------------------------------------------------------------


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
    if note := _cap_note(p):
        out += [f"**{e(note)}**", ""]
    if not p.techniques:
        out += ["No techniques were chosen.", ""]
    for n, t in enumerate(p.techniques, 1):
        label, qualifiers = _badge_text(content, t)
        out += [f"## {n}\\. {e(t.name)}", "", e(_meta(content, t)) + "  ", f"{e(how_often(p, t))}  "]
        out += [f"You need: {e(equipment_text(content, t))}", ""]
        out += [f"**Evidence {t.badge}:** {e(label)}" + (f" · {e(qualifiers)}" if qualifiers else ""), ""]
        out += [f"{i}. {e(step)}" for i, step in enumerate(t.steps, 1)]
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
    return "\n".join(out)
