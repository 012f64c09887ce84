"""Remake the README's picture of a handout sheet (assets/handout-sheet.png) from the PDF as it is built now.

    .venv/bin/python tools/handout_sheet.py [--out assets/handout-sheet.png] [--paper a4|letter]

Builds the sheet for a fixed plan of three techniques of different kinds (a stretch, a breathing exercise and
a self-massage) with handout.pdf.handout_pdf, the function behind the download button, renders its first page
with pdftoppm (poppler-utils) and saves it as a small palette PNG. Rerun it whenever the sheet changes (dose
lines, pictures, layout): the picture is the real PDF, never a mock-up.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ("half_kneeling_hip_flexor_stretch", "constructive_rest_breathing", "glute_ball_self_massage")
DAY = date(2025, 11, 24)  # a fixed date, so the picture only changes when the sheet does
BASE = "https://example.org/psoas"  # the QR code's address in the picture (a deployment sets PSOAS_PUBLIC_URL)
DPI = 80  # A4 at 80 dpi is 661 x 935 pixels: readable headings, a small file


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "handout-sheet.png")
    ap.add_argument("--paper", choices=("a4", "letter"), default="a4")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from psoas_explorer.content import load
    from psoas_explorer.handout import pdf as sheet_pdf

    cnt = load.load_content()
    known = {t.id for t in cnt.techniques.techniques}
    if missing := [i for i in PLAN if i not in known]:
        sys.exit(f"tools/handout_sheet.py: no technique {', '.join(missing)} in data/techniques.yaml; update PLAN")
    pdf = sheet_pdf.handout_pdf(cnt, PLAN, today=DAY, base_url=BASE, paper=args.paper)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sheet.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", str(src), f"{tmp}/page"], check=True)
        (page,) = Path(tmp).glob("page*.png")
        with Image.open(page) as img:
            # 64 colours keep text and badges crisp at a fraction of the size of a full-colour PNG
            img.convert("RGB").quantize(colors=64).save(args.out, optimize=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
