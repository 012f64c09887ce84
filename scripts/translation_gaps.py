"""The parity report of a language's content (docs/translation.md): every text a visitor reads that has no
translation yet, file by file, the safety text first. Exit status 1 when safety text has a gap (the test command
fails on one too: tests/unit/test_overlay.py).

    .venv/bin/python scripts/translation_gaps.py [es]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from psoas_explorer.content import load  # noqa: E402
from psoas_explorer.content.model import ContentError  # noqa: E402
from psoas_explorer.i18n import DEFAULT, LANGS, lang_of  # noqa: E402


def main(argv: list[str]) -> int:
    lang = lang_of(argv[0] if argv else "es")
    if lang is None or lang == DEFAULT:
        print(f"Name a language to check: one of {', '.join(x for x in LANGS if x != DEFAULT)}.")
        return 2
    try:
        gaps = load.translation_gaps(lang=lang)
    except ContentError as err:
        print(f"An overlay is broken: {err}")
        return 2
    safety = [g for g in gaps if g.safety]
    print(f"{len(gaps)} text(s) without a {lang} translation, {len(safety)} of them safety text.")
    for title, group in (
        ("Safety text (must be translated)", safety),
        ("Other text", [g for g in gaps if not g.safety]),
    ):
        if group:
            print(f"\n{title}:")
            print("\n".join(f"- {g}" for g in group))
    return 1 if safety else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
