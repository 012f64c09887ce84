"""The handout's font: DejaVu Sans (assets/fonts, Bitstream Vera licence), because the standard PDF fonts cannot show
names such as "Sığlan & Çolak" or signs such as ≈. Parsed once per process; each document gets a fresh subset."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class FontFile:
    """A TTF parsed once per process: fpdf's width table and glyph map (read-only, shared) and the file's bytes."""

    template: TTFFont
    data: bytes


# Tables a PDF never reads from an embedded TrueType font without text shaping (kerning, ligatures, maths,
# the generator's stamp): dropped once per process, so the subsetting each sheet does has less to wade through.
_UNUSED_TABLES = ("GPOS", "GSUB", "GDEF", "kern", "MATH", "FFTM")


@cache
def font_file(style: str) -> FontFile:
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
    return FontFile(template, data.getvalue())


@lru_cache(maxsize=16384)
def em_width(fontkey: str, text: str) -> float:
    """Width of ``text`` in thousandths of the font size: words recur in every layout pass and every sheet."""
    cw = font_file("B" if fontkey.endswith("B") else "").template.cw
    return float(sum(cw[ord(ch)] for ch in text))


def add_fonts(pdf: FPDF) -> None:
    """DejaVu regular and bold without parsing the TTF files again (fontTools takes about 20 ms a file).

    The width table, character map and descriptor are read-only and shared; what a document changes (the subset
    it uses, and the fontTools object that subsetting cuts down when the PDF is written) is fresh per document.
    """
    for style in ("", "B"):
        f = font_file(style)
        font = copy.copy(f.template)
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(io.BytesIO(f.data), recalcTimestamp=False, lazy=True)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font
