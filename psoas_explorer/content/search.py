"""The words of a query as they may be echoed, and the techniques filter's word match. The search itself
(ranking, snippets, typos) lives in psoas_explorer/search/; the words-to-stems step both share is analyze.py.
The search boxes' `q` parameter is declared in links/pages.py (the link format stays above the content)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from psoas_explorer.content import analyze
from psoas_explorer.content.analyze import fold
from psoas_explorer.i18n import DEFAULT, Lang

__all__ = ["fold", "matches", "plain", "words"]


def words(query: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", fold(query)) if w]


def matches(query: str, texts: Iterable[str], lang: Lang = DEFAULT) -> bool:
    """True when every word of ``query`` (its stem, or a synonym) is a word of the joined ``texts``, both read in
    ``lang``; an empty query matches all. Whole words: "sit" finds "sitting", never "websites"."""
    return analyze.matches(query, tuple(texts), analyze.for_lang(lang))


def plain(query: str) -> str:
    """The query as it may be echoed back: word characters and spaces only, as typed (an echo of "estrés" as
    "estres" would look like a misspelling of the visitor's own word)."""
    return " ".join(w for w in re.split(r"[^\w]+", query) if w)[:80]
