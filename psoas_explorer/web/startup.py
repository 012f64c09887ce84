"""Once per process: the validated content (or a readable stop screen) and the heap freeze."""

from __future__ import annotations

import functools
import gc
import importlib
from pathlib import Path
from typing import Any

import streamlit as st

from psoas_explorer import settings
from psoas_explorer.content import load
from psoas_explorer.content import model as c
from psoas_explorer.i18n import DEFAULT, Lang
from psoas_explorer.web import lang, memo
from psoas_explorer.web.lang import _


@memo.shared()
def _load_content(folder: str, language: Lang = DEFAULT) -> c.Content:
    """One validated content object per folder and language (the English with that language's overlays read
    over it), shared by every session: the model is frozen (immutable), holds no visitor's data, and is keyed by
    the folder and the language alone. A broken file raises and is not memoized. Another language reads its
    overlays over the English files already read and checked (``_english``), not over a second reading."""
    raw, english = _english(folder)
    return english if language == DEFAULT else load.translated(Path(folder), raw, language)


@memo.shared()
def _english(folder: str) -> tuple[dict[str, Any], c.Content]:
    """The English files as read and the validated English content, once per process and folder: the English
    pages use the content, the other languages read their overlays over the files (never changed: the overlay
    merge builds new data)."""
    return load.read_english(Path(folder))


def content() -> c.Content:
    """The validated content in the session's language, or a readable stop screen naming the broken file, entry
    and field (an overlay's too)."""
    return content_in(lang.current())


def content_in(language: Lang) -> c.Content:
    """The validated content in ``language`` (for what must not change with the page's language: the warning an
    acknowledgement names), or the readable stop screen."""
    try:
        return _load_content(memo.data_folder(), language)
    except c.ContentError as exc:
        st.error(
            _("Psoas Explorer cannot show this page because a content file is broken.\n\n{error}").format(error=exc),
            icon=":material/warning:",
        )
        st.stop()


FAVICON = Path(__file__).resolve().parents[2] / "assets" / "favicon.png"


@functools.cache
def favicon() -> bytes:
    """The favicon's bytes, read once per process: Streamlit serves the same file (same URL) from bytes as from
    its path, without opening the file on every run. The same public image for everyone."""
    return FAVICON.read_bytes()


_frozen = False


def freeze_startup_heap() -> None:
    """Once per process, move everything alive after the imports and the content load into the
    permanent GC generation, so Python's full collections skip it (see benchmarks/RESULTS.md).

    Set PSOAS_GC_FREEZE=0 to switch it off (the benchmark does, to compare settings).
    """
    global _frozen
    if _frozen or not settings.gc_freeze():
        return
    _frozen = True
    for module in (
        "plotly.graph_objects",
        "pandas",
        "fpdf",
        "psoas_explorer.anatomy.figures",
        "psoas_explorer.techniques.filters",
    ):
        importlib.import_module(module)  # the pages' libraries, imported now so they are frozen too
    gc.collect()
    gc.freeze()
