"""The consult handout as PDF: the chosen techniques, the safety warning and the sources, on one or two pages.

Built from the same validated content as the pages, so what a visitor takes to a clinician says exactly what the
app says, evidence badge included. The sheet is laid out (the writer), its type size chosen so it fits (the
fitting), then drawn once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from psoas_explorer.anatomy import pose as sketch
from psoas_explorer.content import model as c
from psoas_explorer.content.text import long_date
from psoas_explorer.content.vocab import BADGE_RGB
from psoas_explorer.handout.document import MIN_SMALL_PT, MUTED, PRIMARY, RULE, TEXT, WARN, Doc, split_of
from psoas_explorer.handout.fonts import FONT, add_fonts
from psoas_explorer.handout.plan import (
    LOG_HOW,
    LOG_PAIN,
    LOG_RISES,
    LOG_TITLE,
    PRIVACY_NOTE,
    TITLE,
    Doses,
    Person,
    Plan,
    badge_text,
    cap_note,
    equipment_text,
    how_often,
    log_weeks,
    meta_line,
    plan,
    plan_url,
    sentence,
    steps,
)
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr
from psoas_explorer.techniques.filters import RED_FLAGS_HEADING, skip_if

MARGIN = 10.0  # page margins in mm: narrow enough for six techniques at a readable size, wide for any printer
LEADING = 0.42  # line height in mm per point of font size (1.19 lines, as print body text is usually set)
COMPACT_LEADING = 0.40  # a little tighter on a sheet that would not fit two pages otherwise
QR_MM = 17.0  # side of the printed QR code, quiet zone excluded (a 6-pick link: modules of about 0.35 mm)
# A technique's picture (anatomy/pose.py) fits this box (mm) at the top left of its block, its psoas-length
# caption under it in small print; the text wraps beside it. The fitting was tested with pictures of this size.
PICTURE_MM = (38.0, 30.0)
# The front view of where the psoas lies, in the header between the title and the QR code: this high, its
# words come out at about 7 pt (the sheet's fine-print floor).
FRONT_MM = 34.0


@lru_cache(maxsize=64)
def _qr_matrix(link: str) -> tuple[tuple[int, ...], ...]:
    """The QR code's modules, row by row (one code per link, reused by the layout passes and later sheets)."""
    return tuple(tuple(row) for row in segno.make(link, error="l", micro=False).matrix)


MIN_BODY_PT = 8.0  # the smallest body text the fitting may choose: smaller is hard to read on paper
PT_MM = 25.4 / 72  # millimetres per point
PAPERS = {"a4": "A4", "letter": "Letter"}  # paper id, as the handout builder offers it -> fpdf page format
PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}
DEFAULT_PAPER = "a4"
COLUMNS = 2  # text columns below the sheet's header
LOG_PAGES = 1  # the patient's log, a page of its own after the sheet (none for an empty plan)


class _Writer:
    """Lays the handout out at one body font size on one paper; handout_pdf() picks the size that fits.

    With ``dry`` the whole sheet is laid out without drawing anything, which is how the size is chosen.
    """

    def __init__(
        self,
        content: c.Content,
        p: Plan,
        *,
        today: date,
        who: Person,
        link: str,
        size: float,
        paper: str = DEFAULT_PAPER,
        compact: bool = False,
        picture_scale: float = 1.0,
        front: bool = True,
        dry: bool = False,
        lang: Lang = DEFAULT,
    ) -> None:
        self.content, self.plan, self.today, self.who, self.link, self.size = content, p, today, who, link, size
        self.lang = lang  # the sheet's words, dates and pictures; chosen apart from the screen's language
        self.compact = compact  # shared "Skip it if" lists printed once (see skip_text), sources by name only
        # A picture beside a technique is drawn at this times its usual size (pdf.float_left(w, h) keeps its room):
        # below 1 only when the sheet would not fit two pages otherwise.
        self.picture_scale = picture_scale
        self.front = front  # the front view of where the psoas lies, in the header (off only as a last resort)
        # Where each picture was drawn (what: "front" or the technique's id, page, x, y, w, h in mm): the tests
        # check that no text lands on one.
        self.pictures: list[tuple[str, int, float, float, float, float]] = []
        self.lh = size * (COMPACT_LEADING if compact else LEADING)  # line height in mm
        pdf = Doc(orientation="P", unit="mm", format=PAPERS[paper])
        pdf.dry = dry
        pdf.lang = lang
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.c_margin = 0  # text starts at the column's edge, so headings, steps and labels line up
        pdf.set_auto_page_break(True, margin=MARGIN + 2)  # the footer sits in the bottom margin
        add_fonts(pdf)
        pdf.set_title(tr(lang, TITLE))
        pdf.set_author("Psoas Explorer")
        pdf.set_subject(tr(lang, "Techniques chosen for a consultation, with safety warning and sources"))
        pdf.set_creator("Psoas Explorer")
        pdf.set_lang(lang)
        pdf.set_creation_date(datetime(today.year, today.month, today.day, tzinfo=UTC))
        self.pdf = pdf

    def measure(self, draw: Callable[[], None]) -> float:
        """The height ``draw`` takes from the cursor down, found by running it without drawing or page breaks."""
        pdf = self.pdf
        dry, x, y, auto = pdf.dry, pdf.x, pdf.y, pdf.auto_page_break
        pdf.dry, pdf.float_extent = True, 0.0
        pdf.set_auto_page_break(False, margin=pdf.b_margin)
        # Fonts, colours and line widths set while measuring reach no page: fpdf must not think they did.
        pdf._push_local_stack()
        try:
            draw()
            pdf.end_float(clear=True)
            return pdf.y - y
        finally:
            pdf._pop_local_stack()
            pdf.dry = dry
            pdf.set_auto_page_break(auto, margin=pdf.b_margin)
            pdf.x, pdf.y = x, y

    # small drawing helpers
    def font(self, style: str = "", scale: float = 1.0, colour: tuple[int, int, int] = TEXT) -> None:
        """The body size times ``scale``; smaller print (scale < 1) never below MIN_SMALL_PT."""
        size = self.size * scale
        self.pdf.set_font(FONT, style, size if scale >= 1 else max(size, MIN_SMALL_PT))
        self.pdf.set_text_color(*colour)

    def para(
        self, text: str, *, indent: float = 0, scale: float = 1.0, style: str = "", colour: tuple[int, int, int] = TEXT
    ) -> None:
        self.font(style, scale, colour)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(0, self.lh * scale, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    def labelled(self, lead: str, text: str, *, colour: tuple[int, int, int] = TEXT, scale: float = 1.0) -> None:
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
        """A list in two balanced columns (down the first, then the second), so a long list of signs takes half
        the height; when the page is short of room, as much as fits goes here and the rest on the next page."""
        pdf = self.pdf
        if pdf.epw < 120:  # a narrow column: one list
            self.bullets(items)
            return
        self.font()
        half = pdf.epw / 2
        heights = [self.height(item, indent=pdf.epw - half + 6) for item in items]

        rest = list(range(len(items)))
        while rest:
            room = pdf.page_break_trigger - pdf.get_y()
            n = len(rest)
            while n and split_of(heights, rest[:n])[1] > room:
                n -= 1
            if not n:
                pdf.next_column()
                continue
            k, tall = split_of(heights, rest[:n])
            top = pdf.get_y()
            for col, chunk in enumerate((rest[:k], rest[k:n])):
                pdf.set_xy(pdf.l_margin + col * half, top)
                for i in chunk:
                    pdf.set_x(pdf.l_margin + col * half)
                    pdf.cell(4, self.lh, "•")
                    pdf.multi_cell(half - 6, self.lh, items[i], new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            pdf.set_y(top + tall)
            rest = rest[n:]
            if rest:
                pdf.next_column()

    def heading(self, text: str, *, space: float = 2.5) -> None:
        pdf = self.pdf
        if pdf.will_page_break(self.lh * 5):
            pdf.next_column()
        pdf.ln(space)
        self.font("B", 1.25, PRIMARY)
        pdf.cell(0, self.lh * 1.35, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.set_draw_color(*PRIMARY)
        pdf.set_line_width(0.35)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.2)

    def badge(self, ev: c.Evidence) -> None:
        pdf = self.pdf
        label, qualifiers = badge_text(self.content, ev)
        h = self.lh * 1.05
        if pdf.will_page_break(h * 2 + 0.6):  # the badge and its words stay together
            pdf.next_column()
        x, y = pdf.l_margin, pdf.get_y()
        self.font("B", 0.9, (255, 255, 255))
        text = tr(self.lang, "Evidence {badge}").format(badge=ev.badge)
        w = pdf.get_string_width(text) + 3
        pdf.set_fill_color(*BADGE_RGB[ev.badge])
        pdf.rect(x, y + 0.15, w, h, style="F", round_corners=True, corner_radius=0.8)
        pdf.set_xy(x, y + 0.15)
        pdf.cell(w, h, text, align="C")
        pdf.set_xy(x + w + 1.5, y + 0.15)
        self.font("", 0.9, MUTED)
        tail = label + (f" · {qualifiers}" if qualifiers else "")
        pdf.multi_cell(0, h, tail, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(0.6)

    def qr(self, x: float, y: float) -> None:
        """The plan link as a QR code, drawn as filled rectangles (one per run of dark modules in a row)."""
        pdf = self.pdf
        if pdf.dry:
            return
        rows = _qr_matrix(self.link)
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
        """Title, date, who it is for, and at the top right the QR code with the printed link beside it: on the
        first page whatever the plan's length, so the code never needs a page of its own."""
        pdf = self.pdf
        pdf.add_page()
        quiet = 4 * QR_MM / len(_qr_matrix(self.link))  # the code's own margin, kept clear of text
        top, qr_x = pdf.get_y(), pdf.w - pdf.r_margin - QR_MM
        self.qr(qr_x, top)
        margin = pdf.r_margin
        pdf.r_margin += QR_MM + quiet  # the header's lines stop short of the code
        front_h = self.front_view(qr_x - quiet, top) if self.front else 0.0
        try:
            self.font("B", 2.0, PRIMARY)
            pdf.multi_cell(0, self.size * 0.95, tr(self.lang, TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.font("", 1.0, MUTED)
            day = long_date(self.today, self.lang)
            if self.who.clinician:
                day = tr(self.lang, "{date} · prepared with {clinician}").format(date=day, clinician=self.who.clinician)
            pdf.multi_cell(0, self.lh * 1.2, day, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if self.who.patient:
                self.font("B", 1.1)
                who = tr(self.lang, "For {patient}").format(patient=self.who.patient)
                pdf.multi_cell(0, self.lh * 1.3, who, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            scan = tr(self.lang, "To see this plan on your phone, scan the code or open {link}").format(link=self.link)
            self.para(scan, scale=0.85, colour=MUTED)
            self.para(tr(self.lang, PRIVACY_NOTE), scale=0.85, colour=MUTED)
        finally:
            pdf.r_margin = margin
        pdf.set_y(max(pdf.get_y(), top + QR_MM, top + front_h))
        pdf.set_draw_color(*PRIMARY)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
        pdf.ln(3)
        self.para(tr(self.lang, INTRO), scale=0.95, colour=MUTED)
        if note := cap_note(self.plan, self.lang):
            self.para(note, scale=0.95, style="B", colour=WARN)
        if not self.plan.techniques:
            self.para(tr(self.lang, "No techniques were chosen."), colour=MUTED)
        pdf.start_columns(COLUMNS)

    def height(self, text: str, *, style: str = "", scale: float = 1.0, indent: float = 0) -> float:
        """Height of a wrapped paragraph at full width less ``indent``, measured with the same line breaker."""
        self.font(style, scale)
        pdf = self.pdf
        lines = pdf.wrap(text, lambda _i: pdf.epw - indent - 2 * pdf.c_margin)
        return len(lines) * self.lh * scale

    def front_view(self, right: float, top: float) -> float:
        """The small front view of where the psoas lies (anatomy/pose.py), its right edge at ``right``; the
        header's text stops short of it. Returns its height."""
        pdf = self.pdf
        sc = sketch.front_scene(lang=self.lang)
        k = FRONT_MM / sc.height
        w = sc.width * k
        x = right - w - 2
        if not pdf.dry:
            sketch.sketch_pdf(pdf, sc, x, top, FONT, k, min_text=MIN_SMALL_PT * PT_MM)
            self.pictures.append(("front", pdf.page, x, top, w, FRONT_MM))
        pdf.r_margin = pdf.w - x + 3
        return FRONT_MM

    def picture(self, t: c.Technique) -> None:
        """The technique's body position, drawn natively from the model (anatomy/pose.py), at the top left of its
        block with the psoas length in that pose under it; the text that follows wraps beside it."""
        pdf = self.pdf
        sc = sketch.scene(t.pose, lang=self.lang)
        w, h = (side * self.picture_scale for side in PICTURE_MM)
        above = self.lh * 0.7  # the space _technique leaves above its heading: the picture lines up with it
        self.font("", 0.85, MUTED)  # small print, never below MIN_SMALL_PT
        line = max(self.lh * 0.85, pdf.font_size * 1.15)
        caption = pdf.wrap(sc.caption, lambda _i: w)
        fig_h = sketch.figure_height(sc)
        k = min(w / sc.width, (h - len(caption) * line - 0.5) / fig_h)
        x, y = pdf.float_left(w, above + fig_h * k + 0.5 + len(caption) * line)
        if pdf.dry:
            return
        sketch.sketch_pdf(
            pdf, sc, x + (w - sc.width * k) / 2, y + above, FONT, k, skip=("caption",), min_text=MIN_SMALL_PT * PT_MM
        )
        base = y + above + fig_h * k + 0.5 + pdf.font_size
        for i, text in enumerate(caption):
            pdf.text(x, base + i * line, text)
        self.pictures.append((t.id, pdf.page, x, y + above, w, fig_h * k + 0.5 + len(caption) * line))

    def _illustrated(self, number: int, t: c.Technique) -> None:
        self.picture(t)
        self._technique(number, t)

    def technique_height(self, number: int, t: c.Technique) -> float:
        """Exactly what :meth:`_technique` takes (picture included), measured without drawing it."""
        return self.measure(lambda: self._illustrated(number, t))

    def technique(self, number: int, t: c.Technique) -> None:
        """One technique; moved to the next column rather than leaving only its head at the foot of this one."""
        pdf = self.pdf
        room = pdf.page_break_trigger - pdf.get_y()
        need = self.technique_height(number, t)
        if pdf.dry and need <= room:  # a layout pass: where it ends is known, no need to lay it out again
            pdf.set_y(pdf.get_y() + need)
            return
        # Split over two columns only with its head (and picture, and a few lines) in the first: moving a whole
        # block for a short tail would leave a hole, and the holes add up to a third page.
        if need > room and room < max(self.lh * 10, pdf.float_extent + self.lh * 3):
            pdf.next_column()
        self._illustrated(number, t)
        pdf.end_float(clear=True)

    def skip_text(self, number: int, t: c.Technique) -> str:
        """Who should skip it, in full; on a ``compact`` sheet a list that repeats an earlier technique's whole list
        points to it instead ("any reason listed for 1 applies") and adds only its own reasons."""
        who = skip_if(self.content, t)
        if not who:
            return ""
        if self.compact:
            earlier = [(n, set(skip_if(self.content, e))) for n, e in enumerate(self.plan.techniques[: number - 1], 1)]
            shared = [(len(s), n, s) for n, s in earlier if len(s) >= 3 and s <= set(who)]
            if shared:
                _, n, same = max(shared, key=lambda x: (x[0], -x[1]))
                extra = [w for w in who if w not in same]
                return (
                    tr(self.lang, "any reason listed for {number} applies").format(number=n)
                    + "".join(f"; {w}" for w in extra)
                    + "."
                )
        return "; ".join(who) + "."

    def _how_often(self, t: c.Technique) -> str:
        need = tr(self.lang, "You need: {equipment}").format(equipment=equipment_text(self.content, t, self.lang))
        return f"{how_often(self.plan, t, self.lang)} · {need}"

    def _technique(self, number: int, t: c.Technique) -> None:
        pdf = self.pdf
        pdf.ln(self.lh * 0.7)
        self.font("B", 1.12)
        pdf.multi_cell(0, self.lh * 1.2, f"{number}. {t.name}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.para(meta_line(self.content, t, self.lang), scale=0.9, colour=MUTED)
        self.para(self._how_often(t), scale=0.9, colour=MUTED)
        pdf.ln(0.5)
        self.badge(t)
        for i, step in enumerate(steps(self.plan, t, self.lang), 1):
            self.font()
            pdf.set_x(pdf.l_margin + 1)
            pdf.cell(5, self.lh, f"{i}.")
            pdf.multi_cell(0, self.lh, step, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(0.6)
        if who := self.skip_text(number, t):
            self.labelled(tr(self.lang, SKIP_IF), who, colour=WARN)
        self.labelled(tr(self.lang, STOP_IF), " ".join(sentence(s) for s in t.stop_if), colour=WARN)
        self.labelled(tr(self.lang, TAKE_CARE), " ".join(sentence(s) for s in t.precautions))

    def safety(self) -> None:
        """The short warning, then every stop sign and every warning sign one by one (two columns to fit)."""
        s = self.content.safety
        self.heading(tr(self.lang, SAFETY_FIRST))
        self.para(s.short, style="B")
        if s.stop_signs:
            self.pdf.ln(0.6)
            self.para(tr(self.lang, STOP_IF), style="B", colour=WARN)
            self.bullets_in_two_columns(s.stop_signs)
        self.pdf.ln(0.6)
        self.para(tr(self.lang, RED_FLAGS_HEADING), style="B", colour=WARN)
        self.bullets_in_two_columns([f.label for f in s.red_flags])
        self.pdf.ln(0.6)
        self.para(s.disclaimer, scale=0.85, colour=MUTED)

    def references(self) -> None:
        if not self.plan.references:
            return
        self.heading(tr(self.lang, "Sources"))
        # One flowing paragraph of short names and identifiers: the full citations and what each study found
        # are on the app's Evidence page, and a sheet with six techniques must still fit two pages.
        # A compact sheet names the sources only (their identifiers are a click away on the Evidence page).
        line = (lambda r: r.short) if self.compact else _source_line
        self.para(
            "; ".join(line(r) for r in self.plan.references) + ". " + tr(self.lang, SOURCES_NOTE),
            scale=0.85,
            colour=MUTED,
        )

    def note(self) -> None:
        """The clinician's typed note, as plain text with its line breaks."""
        if not self.who.note:
            return
        self.heading(tr(self.lang, "Note from your clinician"))
        self.para(self.who.note)

    def notes(self) -> None:
        """Ruled lines for the clinician in the room left on the last page (none when it is full: the sheet's
        length matters more than blank lines)."""
        pdf = self.pdf
        gap = max(6.5, self.lh * 1.9)
        if pdf.will_page_break(1.5 + self.lh * 1.35 + 1.2 + gap * 2):
            return
        self.heading(tr(self.lang, "Clinician's notes"), space=1.5)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.25)
        y = pdf.get_y() + gap * 0.8
        while y <= pdf.page_break_trigger:
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            y += gap

    def log(self) -> None:
        """The patient's log on a page of its own after the sheet: a row a week (at least six), a box to tick for
        each day and a box for the week's pain score, then what to do if the score rises. Full width, one
        column, at the sheet's body size (never smaller), so boxes are big enough to tick by hand."""
        pdf = self.pdf
        pdf.columns = 1
        pdf.l_margin = pdf.page_margin or MARGIN
        pdf.r_margin = pdf.l_margin
        pdf.add_page()
        pdf.set_auto_page_break(False, margin=pdf.b_margin)  # the page is laid out to fit; nothing flows over
        self.heading(tr(self.lang, LOG_TITLE), space=0)
        self.para(tr(self.lang, LOG_HOW))
        pdf.ln(2)
        weeks = log_weeks(self.plan)
        room = pdf.page_break_trigger - pdf.get_y() - self.height(tr(self.lang, LOG_RISES), style="B") - 12
        row = min(14.0, room / (weeks + 1))  # a row a week under a row of day names
        label_w, pain_w = 18.0, 26.0
        day_w = (pdf.epw - label_w - pain_w) / 7
        box = min(row, day_w) * 0.55
        top = pdf.get_y()
        self.font("B", 0.9, MUTED)
        days = (tr(self.lang, "Day {day}").format(day=d) for d in range(1, 8))
        for i, head in enumerate([tr(self.lang, "Week"), *days, tr(self.lang, LOG_PAIN)]):
            x = pdf.l_margin + (0 if i == 0 else label_w + (i - 1) * day_w)
            w = label_w if i == 0 else (pain_w if i == 8 else day_w)
            pdf.set_xy(x, top)
            pdf.cell(w, row, head, align="L" if i == 0 else "C")
        pdf.set_draw_color(*TEXT)
        pdf.set_line_width(0.3)
        for week in range(1, weeks + 1):
            y = top + week * row
            self.font("B", 1.0)
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(label_w, row, tr(self.lang, "Week {week}").format(week=week))
            for d in range(7):
                cx = pdf.l_margin + label_w + d * day_w + (day_w - box) / 2
                if not pdf.dry:
                    pdf.rect(cx, y + (row - box) / 2, box, box)
            if not pdf.dry:
                pdf.rect(pdf.l_margin + label_w + 7 * day_w + 3, y + (row - box) / 2, pain_w - 6, box)
            pdf.set_draw_color(*RULE)
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.set_draw_color(*TEXT)
        pdf.set_y(top + (weeks + 1) * row + 4)
        self.para(tr(self.lang, LOG_RISES), style="B", colour=WARN)

    def draw(self) -> FPDF:
        """The whole handout: the sheet (``build``, what the fitting lays out), then the log on a page of its own,
        so the log never changes the sheet's type size or page count."""
        self.build()
        if self.plan.techniques:
            self.log()
        return self.pdf

    def build(self) -> FPDF:
        self.header()
        for i, t in enumerate(self.plan.techniques, 1):
            self.technique(i, t)
        self.note()
        self.safety()
        self.references()
        self.notes()
        return self.pdf


SOURCES_NOTE = N_("Full citations and what each study found: the Evidence page of Psoas Explorer.")
INTRO = N_(
    "The techniques you chose in Psoas Explorer, with how strong the research behind each one is. "
    "Read the safety section before you start, and show this sheet to your clinician."
)
# The labels of a technique's safety lines and the safety section's heading (the patient's view says the same).
SKIP_IF, STOP_IF, TAKE_CARE = N_("Skip it if:"), N_("Stop at once if:"), N_("Take care:")
SAFETY_FIRST = N_("Safety first")


def _source_line(r: c.Reference) -> str:
    """'Sığlan & Çolak 2023, doi:10.1016/…', or the citation when a source has no DOI or page."""
    ident = f"doi:{r.doi}" if r.doi else (r.url or r.citation)
    return f"{r.short}, {ident}"


_SIZES = (10.0, 9.5, 9.0, 8.5, MIN_BODY_PT)  # body font sizes in points, largest first
_ONE_PAGE_SIZES = (9.0, 8.5, MIN_BODY_PT)  # how far a two-page plan may shrink to fit on one page


@dataclass(frozen=True)
class Fit:
    """How a sheet is set: body size in points, and whether repeated "Skip it if" lists point to the first."""

    size: float
    compact: bool = False
    picture: float = 1.0  # scale for pictures beside the text (see _Writer.picture_scale)
    front: bool = True  # the front view of where the psoas lies, in the header


# Tried in this order for a sheet over two pages: full lists while the type can shrink, then compact ones, and
# last smaller pictures, then (never needed by today's longest plans) no front view in the header: the type stays
# at 8 pt or more. Within a group pages only shrink with the type.
_GROUPS = (
    tuple(Fit(s) for s in _SIZES),
    tuple(Fit(s, compact=True) for s in _SIZES),
    (Fit(MIN_BODY_PT, compact=True, picture=0.75),),
    (Fit(MIN_BODY_PT, compact=True, picture=0.75, front=False),),
)


def fitting(pages: Callable[[Fit], int]) -> Fit:
    """The setting for a sheet whose page count under each setting is ``pages(fit)``: the largest type on two
    pages (one page when shrinking a little, not below 8 pt, saves the second); when not even 8 pt fits two
    pages, repeated safety lists are shortened to references, again at the largest size that fits.

    ``pages`` lays the sheet out without drawing it, so each try costs a few milliseconds.
    """
    first = _GROUPS[0][0]
    count = pages(first)
    if count == 1:
        return first
    if count == 2:
        one = [Fit(s) for s in _ONE_PAGE_SIZES if s < first.size]
        if pages(one[-1]) == 1:  # it can be done: take the largest size that manages it
            return next((f for f in one[:-1] if pages(f) == 1), one[-1])
        return first
    for group in _GROUPS:
        if pages(group[-1]) > 2:  # not even the group's smallest setting fits: try the next group
            continue
        lo, hi = 0 if group is not _GROUPS[0] else 1, len(group) - 1  # binary-search the first that fits
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if pages(group[mid]) <= 2 else (mid + 1, hi)
        return group[lo]
    return _GROUPS[-1][-1]


def handout_pdf(
    content: c.Content,
    technique_ids: Iterable[str],
    *,
    today: date,
    clinician: str = "",
    patient: str = "",
    note: str = "",
    base_url: str | None = None,
    paper: str = DEFAULT_PAPER,
    doses: Doses | None = None,
    lang: Lang = DEFAULT,
) -> bytes:
    """The handout as PDF bytes on A4 or US Letter (``paper``), in the largest font size that keeps it on two
    pages (one when it nearly fits), never below MIN_BODY_PT.

    At most MAX_TECHNIQUES techniques are included (the handout says when picks were left out). The patient,
    clinician and note are printed as typed; the QR code and printed link hold only the picks, in order, and
    their changed ``doses`` (``base_url`` defaults to the ``PSOAS_PUBLIC_URL`` setting) and, for a sheet not in
    English, its language ``lang`` (the sheet's words, and the plan the link opens, chosen apart from the screen's).
    The size is chosen by
    laying the sheet out without drawing it, then the sheet is drawn once.
    """
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper {paper!r}: one of {', '.join(PAPERS)}")
    p = plan(content, technique_ids, doses)
    who = Person(patient, clinician, note).cleaned()
    link = plan_url((t.id for t in p.techniques), base_url, p.doses, lang)

    def writer(fit: Fit, *, dry: bool) -> _Writer:
        return _Writer(
            content,
            p,
            today=today,
            who=who,
            link=link,
            size=fit.size,
            compact=fit.compact,
            picture_scale=fit.picture,
            front=fit.front,
            paper=paper,
            dry=dry,
            lang=lang,
        )

    fit = fitting(cache(lambda f: writer(f, dry=True).build().page_no()))
    return bytes(writer(fit, dry=False).draw().output())
