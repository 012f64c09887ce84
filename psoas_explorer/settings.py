"""Every setting the app reads from its environment (``PSOAS_*``), in one table: its name, default and meaning.

Read here and nowhere else, so a deployment has one place to look (docs/settings.md lists the same table, and a
test checks that it lists each setting with its default). Pure: no Streamlit, no other module of the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[1]  # the repository (or image) folder holding data/ and app.py
DEFAULT_DATA_DIR = APP_DIR / "data"


@dataclass(frozen=True)
class Setting:
    """One environment setting. ``default`` is what an unset (or empty) variable means, as documented."""

    name: str
    default: str
    meaning: str

    def raw(self) -> str | None:
        """The variable as set, or None: for callers that key a memo by it (no parsing on every call)."""
        return os.environ.get(self.name)


PUBLIC_URL = Setting(
    "PSOAS_PUBLIC_URL",
    "http://localhost:8501",
    "The address at which patients reach the app, with any base path: the handout's QR code and printed link "
    "open it, and the copy-link button falls back to it.",
)
DATA_DIR = Setting(
    "PSOAS_DATA_DIR",
    "data",
    "The content folder the app reads (techniques, myths, references, ...): lets tests and translators point "
    "the app at another copy. Relative to where the app starts; the default is the repository's data/.",
)
GC_FREEZE = Setting(
    "PSOAS_GC_FREEZE",
    "1",
    "0 switches off the once-per-process gc.freeze() of the startup heap (the benchmark does, to compare).",
)
SETTINGS = (PUBLIC_URL, DATA_DIR, GC_FREEZE)


def public_url() -> str:
    """The app's public base URL (``PSOAS_PUBLIC_URL``, default ``http://localhost:8501``), without a trailing /."""
    return ((PUBLIC_URL.raw() or "").strip() or PUBLIC_URL.default).rstrip("/")


def data_dir(raw: str | None = None) -> Path:
    """The content folder: ``PSOAS_DATA_DIR`` (or ``raw``, the variable as read), else the repository's data/."""
    value = DATA_DIR.raw() if raw is None else raw
    return Path(value or DEFAULT_DATA_DIR)


def gc_freeze() -> bool:
    """Whether the web layer freezes the startup heap (``PSOAS_GC_FREEZE``: "0" is off; anything else is on)."""
    return GC_FREEZE.raw() != "0"
