"""The PDF document the handout is drawn on: fpdf with a one-pass line breaker, a measuring mode and room for a
picture beside the text, and the sheet's colours."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import TTFFont

from psoas_explorer.handout.fonts import FONT, em_width
from psoas_explorer.i18n import DEFAULT, Lang, tr

PRIMARY = (11, 92, 173)
TEXT = (27, 31, 36)
MUTED = (95, 99, 104)
RULE = (200, 205, 212)
WARN = (150, 40, 20)
MIN_SMALL_PT = 7.0  # the footer, the sources and other fine print never go below this
MIN_BESIDE = 40.0  # the narrowest text (mm) that runs beside a picture


class Doc(FPDF):
    """FPDF with a one-pass line breaker, a measuring mode and room for a picture beside the text.

    fpdf's own multi_cell and write measure the whole line again for every character added (quadratic: about
    0.2 s for a sheet), so plain left-aligned text is wrapped here in one pass over the font's width table and
    drawn a line at a time with cell(). With ``dry`` set nothing is drawn: text, rectangles and lines only move the
    cursor and break pages exactly as drawing would, so a block is measured, or a whole sheet paginated, without
    being rendered. :meth:`float_left` keeps a box at the left margin (a picture) that the next lines wrap beside.
    """

    dry = False
    lang: Lang = DEFAULT  # the sheet's language (its footer's words)
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
        self.set_text_color(*MUTED)
        footer = tr(self.lang, "Psoas Explorer · information, not medical advice · page {page} of {pages}").format(
            page=self.page_no(), pages="{nb}"
        )
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
        return em_width(cast(TTFFont, self.current_font).fontkey, text) * self.font_size_pt * 0.001 / self.k

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
