"""The search boxes' link parameter, the words of a query as they may be echoed, and the techniques filter's
word match. The search itself (stems, synonyms, ranking) lives in psoas_explorer/search/."""

from __future__ import annotations

import re
from collections.abc import Iterable

from psoas_explorer.links.params import Param
from psoas_explorer.search import analyze
from psoas_explorer.search.analyze import fold

SEARCH_PARAMS = (Param("q", "text", "Words to search the myths and questions for.", default=""),)
FIND_PARAMS = (Param("q", "text", "Words to search everything for.", default=""),)

__all__ = ["FIND_PARAMS", "SEARCH_PARAMS", "fold", "matches", "plain", "words"]


def words(query: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", fold(query)) if w]


def matches(query: str, texts: Iterable[str]) -> bool:
    """True when every word of ``query`` (its stem, or a synonym) is a word of the joined ``texts``; an empty
    query matches all. Whole words: "sit" finds "sitting", never "websites"."""
    return analyze.matches(query, tuple(texts))


def plain(query: str) -> str:
    """The query as it may be echoed back: word characters and spaces only."""
    return " ".join(words(query))[:80]
