"""The search engine: SQLite FTS5 in memory, BM25 ranking, on text stemmed by analyze.Language.

FTS5 sees only stems (its unicode61 tokenizer with diacritics removed just splits them), so "sitting", "sat"
and "sits" all index as "sit"; the original text is kept beside it for the snippets. A query is an AND of its
units (each an OR of its synonyms); when that finds nothing, an OR of them, ranked, so a long question still
finds its best answers. A word of five letters or more that the index does not know is taken as a typo and
widened to the index words one edit away (read from FTS5's vocabulary table). Built once per process
(catalog.index_for); a query reads the shared connection under a lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from psoas_explorer.content.analyze import Language, Unit, fold

TYPO_MIN = 5  # a word this long or longer may have one typo (shorter words have too many neighbours)
SNIPPET_WORDS = 14  # words of context in a snippet
TITLE_WEIGHT = 4.0  # BM25 weight of a title against the body (1.0)
SUGGEST_WORDS = 6  # words of a query that get suggestions (five are shown at most)
T = TypeVar("T")
Spans = tuple[tuple[int, int, str], ...]  # (start, end, stem) of each word of a text


@dataclass(frozen=True)
class Doc:
    """One thing a visitor can find: its kind, id, title and body text (originals), and where it opens."""

    kind: str
    id: str
    title: str
    body: str
    link: object = None  # a links.build.Link (kept opaque here: the engine knows no pages)
    unshown: str = ""  # searched but never quoted in a snippet (a technique's steps: the gate shows them)


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float  # BM25, lower is better (as FTS5 gives it)
    snippet: tuple[tuple[str, bool], ...]  # (text, is_match) pieces of one line of the title or body


@dataclass(frozen=True)
class Found:
    """What a query found: hits by relevance, grouped by kind (best group first), or suggestions."""

    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...] = ()
    widened: bool = False  # no document had every word: these have some of them
    corrected: tuple[tuple[str, str], ...] = field(default=())  # (typed word, index word it was read as)

    def groups(self) -> list[tuple[str, list[Hit]]]:
        out: dict[str, list[Hit]] = {}
        for h in self.hits:
            out.setdefault(h.doc.kind, []).append(h)
        return list(out.items())


class Index:
    """An FTS5 index of ``docs``, in memory."""

    def __init__(self, docs: Sequence[Doc], lang: Language) -> None:
        self.docs = tuple(docs)
        self.lang = lang
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
        self._db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row')")
        self._spans: dict[int, tuple[Spans, Spans]] = {}  # filled as snippets need them (content only)
        rows, forms = [], Counter[tuple[str, str]]()
        for i, d in enumerate(self.docs):
            title, body = lang.words(d.title), lang.words(f"{d.body} {d.unshown}")
            stems = lang.remember(title + body)
            forms.update(zip(stems, title + body, strict=True))
            rows.append((i, " ".join(stems[: len(title)]), " ".join(stems[len(title) :])))
        self._db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", rows)
        self.vocab: dict[str, int] = dict(self._db.execute("SELECT term, doc FROM vocab"))  # stem -> documents
        # the word shown for a stem in a suggestion: its most frequent written form (folded; spelled() shows it)
        self.surface: dict[str, str] = {}
        for (stem, word), _n in forms.most_common():
            self.surface.setdefault(stem, word)
        self._spellings: dict[str, str] | None = None  # folded word -> as written; read when first needed
        self._words = {w: stem for stem, w in forms}  # every written form -> its stem (for typos)
        # the same, and the stems, by length: a typo is looked for among words of about the typed length only
        self._forms_by_length: dict[int, list[tuple[str, str]]] = {}
        for w, stem in self._words.items():
            self._forms_by_length.setdefault(len(w), []).append((w, stem))
        self._letters = {w: frozenset(w) for w in self._words}  # a letter typed that a word lacks is one edit
        self._stems_by_length: dict[int, list[str]] = {}
        for stem in self.vocab:
            self._stems_by_length.setdefault(len(stem), []).append(stem)

    def search(self, query: str, kinds: Iterable[str] | None = None) -> Found:
        """Documents matching ``query`` (of ``kinds``, or all), best first; suggestions when there are none."""
        units = self.lang.terms(query)
        if not units:
            return Found(())
        wanted = set(kinds) if kinds is not None else None
        corrected: list[tuple[str, str]] = []
        alts = [self._known(u, corrected) for u in units]
        usable = [a for a in alts if a]
        every = bool(usable) and len(usable) == len(alts)
        hits = self._run(" AND ".join(_any(a) for a in usable), wanted) if every else []
        widened = False
        if not hits and usable and (len(usable) > 1 or not every):
            hits, widened = self._run(" OR ".join(_any(a) for a in usable), wanted), True
        if not hits:
            return Found((), self.suggest(units))
        hits = self._typed_first(
            hits,
            [(a[0],) for a in alts if len(a) > 1],  # a unit's first known alternative: the typed (or read) word
        )
        phrases = {phrase for a in usable for phrase in a}  # what is marked in a snippet
        return Found(
            tuple(Hit(self.docs[i], score, self._snippet(i, phrases)) for i, score in hits),
            (),
            widened,
            tuple(corrected),
        )

    def _typed_first(
        self, hits: list[tuple[int, float]], typed: list[tuple[tuple[str, ...]]]
    ) -> list[tuple[int, float]]:
        """A synonym counts, the word typed counts twice: hits holding the typed words of a synonym group get
        their BM25 score for those words added (with "stretch", a stretch ranks above a "loosening")."""
        if not typed:
            return hits
        extra = dict(self._run(" OR ".join(_any(t) for t in typed), None))
        return sorted(((i, score + extra.get(i, 0.0)) for i, score in hits), key=lambda h: h[1])

    def _known(self, unit: Unit, corrected: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        """The unit's alternatives the index holds; a long unknown word widened to words one edit away, never to a
        stop word (Spanish "estrs" is one edit from "estres" but also from "estas" and "estos", in most texts)."""
        known = [a for a in unit.alternatives if all(s in self.vocab for s in a)]
        if known or len(unit.words) > 1 or len(unit.words[0]) < TYPO_MIN:
            return known
        word, stem = unit.words[0], unit.alternatives[0][0]
        near = {s for w, s in self._near_length(self._forms_by_length, len(word), 1) if _one_edit(word, w)}
        near |= {s for s in self._near_length(self._stems_by_length, len(stem), 1) if _one_edit(stem, s)}
        near = {s for s in near if self.surface.get(s, s) not in self.lang.stop_words}
        for s in sorted(near):
            corrected.append((word, self.spelled(self.surface.get(s, s))))
        return list(dict.fromkeys(a for s in sorted(near) for a in self.lang.alternatives((s,))))

    def _run(self, expression: str, wanted: set[str] | None) -> list[tuple[int, float]]:
        sql = f"SELECT rowid, bm25(docs, {TITLE_WEIGHT}, 1.0) AS r FROM docs WHERE docs MATCH ? ORDER BY r"
        with self._lock:
            rows = self._db.execute(sql, (expression,)).fetchall()
        return [(int(i), float(r)) for i, r in rows if wanted is None or self.docs[i].kind in wanted]

    def _snippet(self, i: int, phrases: set[tuple[str, ...]]) -> tuple[tuple[str, bool], ...]:
        """One line around the densest run of matched words (the body's, else the title's), matches marked."""
        doc = self.docs[i]
        if i not in self._spans:
            self._spans[i] = (tuple(self.lang.spans(doc.title)), tuple(self.lang.spans(doc.body)))
        title, body = self._spans[i]
        for text, spans in ((doc.body, body), (doc.title, title)):
            if marked := _marked(spans, phrases):
                return _cut(text, spans, marked)
        return ((_first_words(doc.body), False),)

    def suggest(self, units: Sequence[Unit]) -> tuple[str, ...]:
        """Index words close to what was typed (two edits at most), else the language's example searches.

        At most five are shown, so the first SUGGEST_WORDS words typed are enough; each is compared only with
        index words of about its length that lack at most two of its letters, and a comparison stops as soon as
        it passes two edits (an 80-character link of made-up words took seconds before; a link is anyone's input)."""
        near: list[str] = []
        typed = [w for u in units for w in u.words if len(w) >= 3]
        for w in list(dict.fromkeys(typed))[:SUGGEST_WORDS]:
            close = sorted(
                (d, -self.vocab.get(s, 0), f)
                for f, s in self._near_length(self._forms_by_length, len(w), 2)
                if f != w and sum(ch not in self._letters[f] for ch in w) <= 2 and (d := _distance(w, f)) <= 2
            )
            near += [self.spelled(f) for *_, f in close[:3]]
        return tuple(dict.fromkeys(near))[:5] or self.lang.data.suggestions

    def spelled(self, word: str) -> str:
        """A folded index word as the text spells it most often, accents kept ("estres" -> "estrés"): how a
        suggestion or a typo's reading is shown. Read from the documents on first use (a search that needs it),
        not at build time (about 10 ms of the build, for a word or two shown now and then)."""
        if self._spellings is None:
            spellings = Counter[tuple[str, str]]()
            for d in self.docs:
                text = f"{d.title} {d.body} {d.unshown}"
                folded, written = self.lang.words(text), self.lang.written(text)
                spellings.update(zip(folded, written, strict=True) if len(folded) == len(written) else ())
            best: dict[str, str] = {}
            for (folded_word, spelling), _n in spellings.most_common():
                best.setdefault(folded_word, spelling)
            self._spellings = best  # two sessions at once may both build it: the same dict either way
        return self._spellings.get(word, word)

    @staticmethod
    def _near_length(by_length: dict[int, list[T]], length: int, spread: int) -> Iterator[T]:
        """The entries of ``by_length`` whose length is within ``spread`` of ``length``."""
        for n in range(length - spread, length + spread + 1):
            yield from by_length.get(n, ())


def _any(alternatives: Sequence[tuple[str, ...]]) -> str:
    """FTS5 syntax for "any of these phrases"; every stem is quoted, so no typed word is FTS5 syntax."""
    return "(" + " OR ".join('"' + " ".join(p) + '"' for p in alternatives) + ")"


def _marked(spans: Spans, phrases: set[tuple[str, ...]]) -> set[int]:
    """The positions of words that are part of a whole matched phrase ("and" only inside "psoas and iliacus")."""
    stems = tuple(s for *_, s in spans)
    out: set[int] = set()
    for p in phrases:
        n = len(p)
        for k in range(len(stems) - n + 1):
            if stems[k : k + n] == p:
                out.update(range(k, k + n))
    return out


def _cut(text: str, spans: Spans, marked: set[int]) -> tuple[tuple[str, bool], ...]:
    hits = sorted(marked)
    best = max(hits, key=lambda k: sum(1 for j in hits if k <= j < k + SNIPPET_WORDS))
    first = max(0, min(best - 3, len(spans) - SNIPPET_WORDS))
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    out: list[tuple[str, bool]] = [("…", False)] if first > 0 else []
    pos = spans[first][0]
    for k, (start, end, _stem) in enumerate(spans[first : last + 1], first):
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], k in marked))
        pos = end
    tail = text[pos:]
    out.append(("…", False) if last < len(spans) - 1 else (tail, False))
    return tuple(p for p in out if p[0])


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


def _one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter changed, added or dropped, or two neighbours swapped (linear)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        return swapped or a[i + 1 :] == b[i + 1 :]
    return (a[i + 1 :] == b[i:]) if len(a) > len(b) else (a[i:] == b[i + 1 :])


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Edit distance with swaps of neighbours (optimal string alignment) when it is at most ``limit``, else
    ``limit + 1``: only the diagonal band is computed (a cell further off is more than ``limit`` edits), and
    the comparison stops at the first row with every cell over the limit."""
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    prev2: list[int] = []
    prev = [min(j, over) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        cur = [min(i, over)] + [over] * len(b)
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cost = a[i - 1] != b[j - 1]
            cell = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cell = min(cell, prev2[j - 2] + 1)
            cur[j] = min(cell, over)
        if min(cur) > limit:
            return over
        prev2, prev = prev, cur
    return prev[-1]


__all__ = ["Doc", "Found", "Hit", "Index", "fold"]
