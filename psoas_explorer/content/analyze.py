"""Words to stems, for one language: the same steps for the text indexed and the words typed, so they meet.

Text is folded (lower case, accents stripped), cut into words, and each word is stemmed with Snowball
("sits", "sitting" -> "sit"); forms the stemmer cannot join ("sat") go through the language's small table of
irregular words first. A query is also cut into *units*: a word or a phrase of the reviewed synonym table
(data/search.yaml), each with the alternatives it stands for ("desk" also finds "sitting").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import snowballstemmer

from psoas_explorer import settings
from psoas_explorer.content import model as c
from psoas_explorer.i18n import DEFAULT, Lang

SEARCH_FILE = "search.yaml"  # in the shipped data folder: language data, not content (no review dates)
SECTIONS: dict[Lang, str] = {"en": "english", "es": "spanish"}  # each language's section of data/search.yaml
_WORD = re.compile(r"\w+")


class LanguageData(c.Model):
    """One language's entry in data/search.yaml (validated, so a typo in the table stops the app at start-up)."""

    stemmer: c.Text
    stop_words: tuple[c.Text, ...]
    irregular: dict[str, c.Text]
    synonyms: tuple[tuple[c.Text, ...], ...]
    suggestions: tuple[c.Text, ...]


class _Marks(dict[int, int | None]):
    """A ``str.translate`` table that drops combining marks (accents once decomposed) and keeps every other
    character, each looked up once: translating in C is several times faster than a per-character generator
    on the few hundred texts an index reads (Spanish text has an accent in most sentences)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Sığlan' matches 'siglan' and 'PSOAS' matches 'psoas'."""
    return unicodedata.normalize("NFKD", text.replace("ı", "i")).translate(_MARKS).casefold()


POSTLUDE = "_SpanishStemmer__r_postlude"  # snowballstemmer 3.1 (pinned): the Spanish accent pass


def _stemmer(name: str) -> Any:  # snowballstemmer has no type hints
    """Snowball's stemmer for ``name``. The Spanish one ends with a pass over every letter that only turns
    á, é, í, ó, ú into a, e, i, o, u; our words are folded before they are stemmed, so that pass has nothing to
    do and is skipped (a third of Spanish stemming time; a unit test checks the stems stay the same)."""
    stemmer = snowballstemmer.stemmer(name)
    if hasattr(stemmer, POSTLUDE):
        setattr(stemmer, POSTLUDE, lambda: True)
    return stemmer


@dataclass(frozen=True)
class Unit:
    """One thing a query asks for: a word or a synonym-table phrase, and every phrase (as stems) it stands for."""

    words: tuple[str, ...]  # the folded words typed
    alternatives: tuple[tuple[str, ...], ...]  # phrases of stems; the first is what was typed
    stop: bool = False  # a stop word ("where", "does"): dropped unless the query has nothing else


class Language:
    """Stemmer, stop words, irregular forms and synonym groups of one language (data/search.yaml)."""

    def __init__(self, name: str, data: LanguageData) -> None:
        self.name = name
        self.data = data
        self._stemmer = _stemmer(data.stemmer)
        self._stems: dict[str, str] = {}
        self.stop_words = frozenset(fold(w) for w in data.stop_words)
        self.irregular = {fold(k): fold(v) for k, v in data.irregular.items()}
        self.groups = tuple(tuple(dict.fromkeys(self.phrase(p) for p in group)) for group in data.synonyms)
        # phrase (stems) -> its group's phrases; a phrase in two groups gets both groups' phrases
        self._group_of: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        for group in self.groups:
            for p in group:
                self._group_of[p] = tuple(dict.fromkeys((*self._group_of.get(p, ()), *group)))
        self._longest = max((len(p) for p in self._group_of), default=1)

    def stem(self, word: str) -> str:
        """One folded word's stem. Numbers and two-letter words stay as they are."""
        stem = self._stems.get(word)
        if stem is None:
            base = self.irregular.get(word, word)
            stem = base if len(base) <= 2 or not base.isalpha() else str(self._stemmer.stemWord(base))
        return stem

    def remember(self, words: list[str]) -> list[str]:
        """The stems of content ``words`` (folded), their stems kept for next time: Snowball in pure Python takes
        ~45 µs a word, most of the index's build time, and content has a few thousand distinct words. Only
        content is remembered, never a visitor's words (they are stemmed afresh: a query has a few)."""
        out = []
        for word in words:
            stem = self._stems.get(word)
            if stem is None:
                stem = self._stems[word] = self.stem(word)
            out.append(stem)
        return out

    def words(self, text: str) -> list[str]:
        """The folded words of ``text``."""
        return _WORD.findall(fold(text))

    def written(self, text: str) -> list[str]:
        """The words of ``text`` in lower case as written (accents kept): how a word is shown back."""
        return _WORD.findall(text.lower())

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Each word of ``text`` as (start, end, stem), positions in the original text (for snippets)."""
        for m in _WORD.finditer(text):
            yield m.start(), m.end(), self.stem(fold(m.group()))

    def stems(self, text: str) -> list[str]:
        return [self.stem(w) for w in self.words(text)]

    def phrase(self, text: str) -> tuple[str, ...]:
        return tuple(self.stems(text))

    def units(self, query: str) -> list[Unit]:
        """The query as units, longest synonym phrase first ("low back pain" before "back pain" and "pain")."""
        words = self.words(query)
        stems = [self.stem(w) for w in words]
        out: list[Unit] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                typed = tuple(stems[i : i + n])
                if typed in self._group_of:
                    out.append(Unit(tuple(words[i : i + n]), self.alternatives(typed)))
                    i += n
                    break
            else:
                out.append(Unit((words[i],), ((stems[i],),), stop=words[i] in self.stop_words or len(words[i]) < 2))
                i += 1
        return out

    def alternatives(self, phrase: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """``phrase`` (stems) and the other phrases of its synonym group."""
        return (phrase, *(a for a in self._group_of.get(phrase, ()) if a != phrase))

    def terms(self, query: str) -> list[Unit]:
        """The units a search looks for: stop words and single letters dropped, unless nothing else is left."""
        units = self.units(query)
        return [u for u in units if not u.stop] or units


def contains(haystack: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """True when the stems of ``phrase`` occur in ``haystack`` one after another."""
    n = len(phrase)
    return any(haystack[i : i + n] == phrase for i in range(len(haystack) - n + 1))


def language(name: str = "english", folder: Path | None = None) -> Language:
    """The language's search data, read and validated once per process (from the shipped data folder)."""
    return _language(name, folder)


@functools.cache
def _language(name: str, folder: Path | None) -> Language:
    """One object per language however it is asked for (``language()`` is ``language("english")``): the stems
    it remembers and the memos keyed by it are shared."""
    raw = c.read_validated((folder or settings.DEFAULT_DATA_DIR) / SEARCH_FILE, dict[str, LanguageData])
    return Language(name, raw[name])


def for_lang(lang: Lang = DEFAULT) -> Language:
    """The search data of one of the app's languages (``"en"``, ``"es"``): the words a visitor types are read in
    the language the page is shown in."""
    return language(SECTIONS[lang])


def matches(query: str, texts: tuple[str, ...], lang: Language | None = None) -> bool:
    """True when every unit of ``query`` (a word's stem, or one of its synonyms) occurs in ``texts``.

    A filter rather than a ranking (the techniques page's search box): whole words only, so "sit" no longer
    matches "websites". An empty query matches everything.
    """
    lang = lang or language()
    units = lang.terms(query)
    if not units:
        return True
    haystack = _stems_of(texts, lang)
    return all(any(contains(haystack, alt) for alt in u.alternatives) for u in units)


@functools.lru_cache(maxsize=4096)
def _stems_of(texts: tuple[str, ...], lang: Language) -> tuple[str, ...]:
    """The stems of one content item's texts, built once per process instead of on every rerun.
    Keyed by content text only, never by what a visitor typed."""
    return tuple(s for t in texts for s in lang.stems(t))
