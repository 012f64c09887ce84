"""The consult handout: the chosen techniques, the safety warning and the sources, on one or two pages.

Built from the same validated content as the pages, so what a visitor takes
to a clinician says exactly what the app says, evidence badge included. The
PDF embeds DejaVu Sans (assets/fonts, Bitstream Vera licence) because the
standard PDF fonts cannot show names such as "Sığlan & Çolak" or signs such as ≈.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import segno
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from psoas_explorer import settings
from psoas_explorer.anatomy import pose as sketch
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


def plan_url(technique_ids: Iterable[str], base: str | None = None, doses: Doses | None = None) -> str:
    """The link that reopens this plan: the picks kept on the sheet, in order, and their changed doses,
    on the /handout page."""
    ids = list(dict.fromkeys(technique_ids))[:MAX_TECHNIQUES]
    return build.handout(ids, doses=doses).url(base if base is not None else settings.public_url())


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
    return len(" ".join((t.name, t.frequency, *t.steps, *t.stop_if, *t.precautions, *skip_if(content, t))))


def longest_techniques(content: c.Content, n: int = MAX_TECHNIQUES) -> list[c.Technique]:
    """The ``n`` techniques that print the most, longest first: the hardest plans to fit (tests, benchmark)."""
    return sorted(content.techniques.techniques, key=lambda t: printed_length(content, t), reverse=True)[:n]


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

MIN_BODY_PT = 8.0  # the smallest body text the fitting may choose: smaller is hard to read on paper
MIN_SMALL_PT = 7.0  # the footer, the sources and other fine print never go below this
PT_MM = 25.4 / 72  # millimetres per point
PAPERS = {"a4": "A4", "letter": "Letter"}  # paper id, as the handout builder offers it -> fpdf page format
PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}
DEFAULT_PAPER = "a4"
COLUMNS = 2  # text columns below the sheet's header
MIN_BESIDE = 40.0  # the narrowest text (mm) that runs beside a picture


@dataclass(frozen=True)
class _FontFile:
    """A TTF parsed once per process: fpdf's width table and glyph map (read-only, shared) and the file's bytes."""

    template: TTFFont
    data: bytes


# Tables a PDF never reads from an embedded TrueType font without text shaping (kerning, ligatures, maths,
# the generator's stamp): dropped once per process, so the subsetting each sheet does has less to wade through.
_UNUSED_TABLES = ("GPOS", "GSUB", "GDEF", "kern", "MATH", "FFTM")


@cache
def _font_file(style: str) -> _FontFile:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if style == "B" else "DejaVuSans.ttf")
    scratch = FPDF()
    scratch.add_font(FONT, style, str(path))
    template = scratch.fonts[f"{FONT.lower()}{style}"]
    assert isinstance(template, TTFFont)
    font = ttLib.TTFont(path, recalcTimestamp=False)
    for table in _UNUSED_TABLES:
        if table in font:
            del font[table]
    data = io.BytesIO()
    font.save(data)
    return _FontFile(template, data.getvalue())


@lru_cache(maxsize=16384)
def _em_width(fontkey: str, text: str) -> float:
    """Width of ``text`` in thousandths of the font size: words recur in every layout pass and every sheet."""
    cw = _font_file("B" if fontkey.endswith("B") else "").template.cw
    return float(sum(cw[ord(ch)] for ch in text))


def _add_fonts(pdf: FPDF) -> None:
    """DejaVu regular and bold without parsing the TTF files again (fontTools takes about 20 ms a file).

    The width table, character map and descriptor are read-only and shared; what a document changes (the subset
    it uses, and the fontTools object that subsetting cuts down when the PDF is written) is fresh per document.
    """
    for style in ("", "B"):
        f = _font_file(style)
        font = copy.copy(f.template)
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(io.BytesIO(f.data), recalcTimestamp=False, lazy=True)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font


class _Doc(FPDF):
    """FPDF with a one-pass line breaker, a measuring mode and room for a picture beside the text.

    fpdf's own multi_cell and write measure the whole line again for every character added (quadratic: about
    0.2 s for a sheet), so plain left-aligned text is wrapped here in one pass over the font's width table and
    drawn a line at a time with cell(). With ``dry`` set nothing is drawn: text, rectangles and lines only move the
    cursor and break pages exactly as drawing would, so a block is measured, or a whole sheet paginated, without
    being rendered. :meth:`float_left` keeps a box at the left margin (a picture) that the next lines wrap beside.
    """

    dry = False
    _float_shift = 0.0  # how far the left margin moved right for a box beside the text
    _float_until = 0.0  # the box's bottom edge (y, mm)
    _float_page = 0
    float_extent = 0.0  # the tallest box kept beside text since measure() last started

    columns = 1  # text columns below the header: 2 on a sheet (see start_columns)
    column = 0  # the column the cursor is in
    column_top = 0.0  # where the columns start on this page
    column_gap = 6.0
    page_margin = 0.0  # the page's left and right margin (the columns' outer edges)

    def footer(self) -> None:
        self.end_float()
        left, right = self.l_margin, self.r_margin
        self.l_margin = self.r_margin = self.page_margin or left
        self.set_y(-11)
        self.set_font(FONT, "", MIN_SMALL_PT)
        self.set_text_color(*_MUTED)
        footer = f"Psoas Explorer · information, not medical advice · page {self.page_no()} of {{nb}}"
        self.cell(0, 4, footer, align="C")
        self.l_margin, self.r_margin = left, right

    # columns: text runs down the left column, then the right, then to the next page
    def start_columns(self, n: int) -> None:
        """From the cursor down, text flows in ``n`` columns (shorter lines: easier to read in small print,
        and a short step or list item no longer takes a whole page-wide line)."""
        self.page_margin = self.page_margin or self.l_margin
        self.columns, self.column_top = n, self.y
        self._set_column(0)

    def _set_column(self, col: int) -> None:
        self.end_float()
        width = (self.w - 2 * self.page_margin - (self.columns - 1) * self.column_gap) / self.columns
        self.column = col
        self.l_margin = self.page_margin + col * (width + self.column_gap)
        self.r_margin = self.w - self.l_margin - width
        self.x = self.l_margin

    def next_column(self) -> None:
        """Continue at the top of the next column, or of the first column on a new page."""
        if self.column + 1 < self.columns:
            self._set_column(self.column + 1)
            self.y = self.column_top
            return
        self._set_column(0)
        self.add_page()
        self.column_top = self.y

    def will_page_break(self, height: float) -> bool:
        """Whether ``height`` more would run past the bottom of this column (a question, never a page break)."""
        return self.y + height > self.page_break_trigger and not self.in_footer and self.auto_page_break

    def _perform_page_break_if_need_be(self, h: float) -> bool:
        if not self.will_page_break(h):
            return False
        x_offset = self.x - self.l_margin
        self.next_column()
        self.x = self.l_margin + x_offset
        return True

    # the box beside the text
    def float_left(self, width: float, height: float, gap: float = 3.0) -> tuple[float, float]:
        """Keep ``width`` × ``height`` mm at the left margin from the cursor down; returns its top-left corner.

        Lines that follow start ``gap`` right of it until they pass its bottom, then use the full width again.
        When that would leave less than MIN_BESIDE mm for text, the box stands alone and text continues below.
        """
        self.end_float()
        x, y = self.l_margin, self.y
        self.float_extent = max(self.float_extent, height)
        if self.epw - width - gap < MIN_BESIDE:
            self.y = y + height
            return x, y
        self._float_shift, self._float_until, self._float_page = width + gap, y + height, self.page
        self.l_margin += width + gap
        self.x = max(self.x, self.l_margin)
        return x, y

    def end_float(self, *, clear: bool = False) -> None:
        """Give the left margin back (``clear``: move below the box first, so nothing follows beside it)."""
        if not self._float_shift:
            return
        if clear and self.page == self._float_page:
            self.y = max(self.y, self._float_until)
        self.l_margin -= self._float_shift
        if self.x >= self.l_margin + self._float_shift:
            self.x -= self._float_shift
        self._float_shift = 0.0

    def _float_check(self) -> None:
        if self._float_shift and (self.page != self._float_page or self.y >= self._float_until - 0.01):
            self.end_float()

    # A new line past the box's foot starts at the full width at once, so whatever reads l_margin next (a badge,
    # a step number) already has it right, rather than only the next cell finding out mid-line.
    def ln(self, h: float | None = None) -> None:
        super().ln(h)
        self._float_check()

    def set_y(self, y: float) -> None:
        super().set_y(y)
        self._float_check()

    def _margin_at(self, y: float) -> float:
        """Where a line starting at ``y`` on this page begins at the left (beside or below the box)."""
        if self._float_shift and self.page == self._float_page and y >= self._float_until - 0.01:
            return self.l_margin - self._float_shift
        return self.l_margin

    # text
    def text_width(self, text: str) -> float:
        """Width in mm of ``text`` in the current font (get_string_width without fpdf's per-call overhead)."""
        return _em_width(cast(TTFFont, self.current_font).fontkey, text) * self.font_size_pt * 0.001 / self.k

    def wrap(self, text: str, width: Callable[[int], float]) -> list[str]:
        """Greedy word wrap; line ``i`` is at most ``width(i)`` mm wide; typed line breaks are kept."""
        space = self.text_width(" ")
        lines: list[str] = []
        for para in text.split("\n"):
            line, used = "", 0.0
            for word in para.split(" "):
                w = self.text_width(word)
                room = width(len(lines))
                if line and used + space + w > room:
                    lines.append(line)
                    line, used, room = "", 0.0, width(len(lines))
                if not line and w > room and room < width(len(lines) + 1):  # the rest of a line: start a new one
                    lines.append("")
                    room = width(len(lines))
                while not line and w > room and len(word) > 1:  # longer than a line: cut where it overflows
                    cut = len(word) - 1
                    while cut > 1 and self.text_width(word[:cut]) > room:
                        cut -= 1
                    lines.append(word[:cut])
                    word, room = word[cut:], width(len(lines))
                    w = self.text_width(word)
                line, used = (f"{line} {word}", used + space + w) if line else (word, w)
            lines.append(line)
        return lines

    def cell(self, w: float | None = None, h: float | None = None, text: str = "", *args: Any, **kw: Any) -> bool:
        self._float_check()
        if not self.dry:
            return bool(super().cell(w, h, text, *args, **kw))
        h = self.font_size if h is None else h
        broke = self._perform_page_break_if_need_be(h)
        width = (self.w - self.r_margin - self.x if w == 0 else w) if w is not None else self.text_width(text)
        new_x, new_y = XPos.coerce(kw.get("new_x", XPos.RIGHT)), YPos.coerce(kw.get("new_y", YPos.TOP))
        if new_x in (XPos.RIGHT, XPos.END):
            self.x += width
        elif new_x == XPos.LMARGIN:
            self.x = self.l_margin
        if new_y == YPos.NEXT:
            self.y += h
        return broke

    def multi_cell(  # type: ignore[override]
        self,
        w: float,
        h: float | None = None,
        text: str = "",
        border: Literal[0, 1] | str = 0,
        align: str | Align = Align.L,
        *,
        new_x: XPos | str = XPos.RIGHT,
        new_y: YPos | str = YPos.NEXT,
        **kw: Any,
    ) -> Any:
        """Plain text in one pass, left-aligned unless told (fpdf's default is justified, which gapes in a narrow
        column); anything fancier (borders, markdown, justified, dry_run) goes to fpdf's own."""
        if border or kw or Align.coerce(align) != Align.L or YPos.coerce(new_y) != YPos.NEXT:
            return super().multi_cell(w, h, text, border, align, new_x=new_x, new_y=new_y, **kw)
        h = self.font_size if h is None else h
        indent, y0 = self.x - self.l_margin, self.y

        def width(i: int) -> float:
            return (w or self.w - self.r_margin - self._margin_at(y0 + i * h) - indent) - 2 * self.c_margin

        last = self.x
        for line in self.wrap(self.normalize_text(text), width):
            self._float_check()
            self.x = self.l_margin + indent
            cell_w = w or self.w - self.r_margin - self.x
            self.cell(cell_w, h, line, new_x=XPos.RIGHT, new_y=YPos.NEXT)
            last = self.l_margin + indent + cell_w
        self.x = self.l_margin if XPos.coerce(new_x) == XPos.LMARGIN else last
        return None

    def write(self, h: float | None = None, text: str = "", *args: Any, **kw: Any) -> bool:
        """Flowing text from the cursor to the right margin, then from the left margin, like fpdf's write()."""
        if args or kw:
            return bool(super().write(h, text, *args, **kw))
        h = self.font_size if h is None else h
        x0, y0 = self.x, self.y

        def width(i: int) -> float:
            return self.w - self.r_margin - (x0 if i == 0 else self._margin_at(y0 + i * h))

        margin, self.c_margin = self.c_margin, 0.0
        try:
            for i, line in enumerate(self.wrap(self.normalize_text(text), width)):
                if i:
                    self.ln(h)
                self.cell(self.text_width(line), h, line)
        finally:
            self.c_margin = margin
        return False

    # drawing: nothing reaches a page while measuring (so a picture drawn with any of fpdf's shapes is safe)
    def _out(self, s: str | bytes) -> None:
        if not self.dry:
            super()._out(s)

    def image(self, *args: Any, **kw: Any) -> Any:
        return None if self.dry else super().image(*args, **kw)


def split_of(heights: Sequence[float], chunk: Sequence[int]) -> tuple[int, float]:
    """Where a list divides into two columns of the least height: (items in the first column, that height)."""
    hs = [heights[i] for i in chunk]
    total = sum(hs)
    best, acc = (len(hs), total), 0.0
    for k in range(len(hs) + 1):
        tall = max(acc, total - acc)
        if tall < best[1]:
            best = (k, tall)
        if k < len(hs):
            acc += hs[k]
    return best


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
    ) -> None:
        self.content, self.plan, self.today, self.who, self.link, self.size = content, p, today, who, link, size
        self.compact = compact  # shared "Skip it if" lists printed once (see skip_text), sources by name only
        # A picture beside a technique is drawn at this times its usual size (pdf.float_left(w, h) keeps its room):
        # below 1 only when the sheet would not fit two pages otherwise.
        self.picture_scale = picture_scale
        self.front = front  # the front view of where the psoas lies, in the header (off only as a last resort)
        # Where each picture was drawn (what: "front" or the technique's id, page, x, y, w, h in mm): the tests
        # check that no text lands on one.
        self.pictures: list[tuple[str, int, float, float, float, float]] = []
        self.lh = size * (COMPACT_LEADING if compact else LEADING)  # line height in mm
        pdf = _Doc(orientation="P", unit="mm", format=PAPERS[paper])
        pdf.dry = dry
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.c_margin = 0  # text starts at the column's edge, so headings, steps and labels line up
        pdf.set_auto_page_break(True, margin=MARGIN + 2)  # the footer sits in the bottom margin
        _add_fonts(pdf)
        pdf.set_title(TITLE)
        pdf.set_author("Psoas Explorer")
        pdf.set_subject("Techniques chosen for a consultation, with safety warning and sources")
        pdf.set_creator("Psoas Explorer")
        pdf.set_lang("en")
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
    def font(self, style: str = "", scale: float = 1.0, colour: tuple[int, int, int] = _TEXT) -> None:
        """The body size times ``scale``; smaller print (scale < 1) never below MIN_SMALL_PT."""
        size = self.size * scale
        self.pdf.set_font(FONT, style, size if scale >= 1 else max(size, MIN_SMALL_PT))
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
        if pdf.will_page_break(h * 2 + 0.6):  # the badge and its words stay together
            pdf.next_column()
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
            self.font("B", 2.0, _PRIMARY)
            pdf.multi_cell(0, self.size * 0.95, TITLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.font("", 1.0, _MUTED)
            by = f" · prepared with {self.who.clinician}" if self.who.clinician else ""
            pdf.multi_cell(0, self.lh * 1.2, f"{long_date(self.today)}{by}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if self.who.patient:
                self.font("B", 1.1)
                pdf.multi_cell(0, self.lh * 1.3, f"For {self.who.patient}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.para(f"To see this plan on your phone, scan the code or open {self.link}", scale=0.85, colour=_MUTED)
            self.para(PRIVACY_NOTE, scale=0.85, colour=_MUTED)
        finally:
            pdf.r_margin = margin
        pdf.set_y(max(pdf.get_y(), top + QR_MM, top + front_h))
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
        sc = sketch.front_scene()
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
        sc = sketch.scene(t.pose)
        w, h = (side * self.picture_scale for side in PICTURE_MM)
        above = self.lh * 0.7  # the space _technique leaves above its heading: the picture lines up with it
        self.font("", 0.85, _MUTED)  # small print, never below MIN_SMALL_PT
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
                return f"any reason listed for {n} applies" + "".join(f"; {w}" for w in extra) + "."
        return "; ".join(who) + "."

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
        if who := self.skip_text(number, t):
            self.labelled("Skip it if:", who, colour=_WARN)
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
        # A compact sheet names the sources only (their identifiers are a click away on the Evidence page).
        line = (lambda r: r.short) if self.compact else _source_line
        self.para(
            "; ".join(line(r) for r in self.plan.references) + ". " + SOURCES_NOTE,
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
        """Ruled lines for the clinician in the room left on the last page (none when it is full: the sheet's
        length matters more than blank lines)."""
        pdf = self.pdf
        gap = max(6.5, self.lh * 1.9)
        if pdf.will_page_break(1.5 + self.lh * 1.35 + 1.2 + gap * 2):
            return
        self.heading("Clinician's notes", space=1.5)
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.25)
        y = pdf.get_y() + gap * 0.8
        while y <= pdf.page_break_trigger:
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
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
) -> bytes:
    """The handout as PDF bytes on A4 or US Letter (``paper``), in the largest font size that keeps it on two
    pages (one when it nearly fits), never below MIN_BODY_PT.

    At most MAX_TECHNIQUES techniques are included (the handout says when picks were left out). The patient,
    clinician and note are printed as typed; the QR code and printed link hold only the picks, in order, and
    their changed ``doses`` (``base_url`` defaults to the ``PSOAS_PUBLIC_URL`` setting). The size is chosen by
    laying the sheet out without drawing it, then the sheet is drawn once.
    """
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper {paper!r}: one of {', '.join(PAPERS)}")
    p = plan(content, technique_ids, doses)
    who = Person(patient, clinician, note).cleaned()
    link = plan_url((t.id for t in p.techniques), base_url, p.doses)

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
        )

    fit = fitting(cache(lambda f: writer(f, dry=True).build().page_no()))
    return bytes(writer(fit, dry=False).build().output())


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
        out += [sketch.picture_markdown(t.pose), ""]  # the card's and the PDF's picture, leading the entry
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
