"""Everything a visitor can search for, as documents with a deep link each, and the index over them.

Kinds, in the order a tie between groups is shown: myths, questions, techniques, words (glossary), anatomy
(the diagram's landmarks and layers), claims (statements elsewhere in the app) and sources (references).
A technique's steps are searched but never quoted: how to do it is shown behind the safety gate.
Each document opens where it is shown: a technique as the techniques page searching its name, a landmark
selected on the diagram with its layer drawn, a myth or question on its page searching the same words.
"""

from __future__ import annotations

import threading
import time

from psoas_explorer.anatomy import description
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.analyze import SECTIONS, Language, for_lang
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr
from psoas_explorer.links import build
from psoas_explorer.search.engine import Doc, Found, Index

KINDS: dict[str, str] = {  # kind -> heading of its group of results, with how many (translated: heading())
    "myth": N_("Myths ({n})"),
    "faq": N_("Questions ({n})"),
    "technique": N_("Techniques ({n})"),
    "word": N_("Words explained ({n})"),
    "anatomy": N_("Anatomy ({n})"),
    "claim": N_("Facts and claims ({n})"),
    "source": N_("Sources ({n})"),
}
ASKED = ("myth", "faq")  # what the myths and questions page searches

# Which page shows the claims of each part of Content.claims() (the rest are kinds of their own).
_CLAIM_PAGE = {"Overview": "", "Common problems": "", "Anatomy": "anatomy", "Technique types": "techniques"}


def heading(kind: str, n: int, lang: Lang = DEFAULT) -> str:
    """The heading of a group of ``n`` results, in ``lang`` (the count is part of the sentence translated)."""
    return tr(lang, KINDS[kind]).format(n=n)


def documents(cnt: c.Content, geom: gm.Geometry) -> list[Doc]:
    """Every searchable item of the content and the diagram, with the link that opens it."""
    mf, a = cnt.myths_faq, cnt.anatomy
    docs = [Doc("myth", m.id, m.belief, m.evidence_says) for m in mf.myths]
    docs += [Doc("faq", q.id, q.question, q.answer) for q in mf.faqs]
    docs += [
        Doc("technique", t.id, t.name, t.summary, build.technique_search(t.name), unshown=" ".join(dosing.steps(t)))
        for t in cnt.techniques.techniques
    ]
    docs += [Doc("word", g.term, g.term, g.plain, build.search(g.term)) for g in cnt.glossary]
    docs += [
        Doc("anatomy", f"layer_{s.id}", s.name, f"{s.plain} {s.why_it_matters} {s.technical}", build.layer(s.id))
        for s in a.structures
        if s.id in gm.LAYERS
    ]
    docs += [
        Doc("anatomy", i.id, i.name, f"{i.plain} {i.technical}", build.landmark(i.id, i.layer))
        for i in description.items(geom).values()
    ]
    for f in (*a.facts, *a.disagreements):
        docs.append(Doc("claim", f.id, f.title, f.text, build.Link("anatomy")))
    for s in cnt.overview.statistics:
        docs.append(Doc("claim", s.id, s.value, s.text, build.Link("")))
    for f in (*cnt.overview.problems, *(f for g in cnt.overview.benefits for f in g.items)):
        docs.append(Doc("claim", f.id, f.title, f.text, build.Link("")))
    for tt in cnt.technique_types:
        docs.append(Doc("claim", tt.id, tt.name, f"{tt.summary} {tt.who}", build.Link("techniques")))
    for r in cnt.references:
        found = r.findings
        body = r.citation + (f" {found.design} {found.participants} {found.result}" if found else "")
        docs.append(Doc("source", r.id, r.short, body, build.Link("evidence")))
    return docs


class Search:
    """The index of one content set, and how long it took to build (reported, and loosely tested)."""

    def __init__(self, cnt: c.Content, geom: gm.Geometry, lang: Language) -> None:
        start = time.perf_counter()
        self.index = Index(documents(cnt, geom), lang)
        self.build_seconds = time.perf_counter() - start

    def find(self, query: str, kinds: tuple[str, ...] | None = None) -> Found:
        """Hits for ``query``; a myth or question opens on its page searching the same words."""
        return self.index.search(query, kinds)


_BUILT: dict[tuple[int, str], tuple[c.Content, Search]] = {}  # (id(content), language) -> (content, its search)
_BUILDING = threading.Lock()


def search_for(cnt: c.Content, geom: gm.Geometry | None = None, lang: Lang | Language = DEFAULT) -> Search:
    """The search over ``cnt`` in ``lang`` (a language of the app, ``"es"``, or its search data), built once per
    content object and language (a process holds one content per data folder and language; it is kept here so
    its id is not reused). ``cnt`` is the content in that language: Spanish words are stemmed as Spanish and
    looked for in the Spanish text. Never keyed by anything a visitor typed."""
    words = lang if isinstance(lang, str) else next(k for k, v in SECTIONS.items() if v == lang.name)
    lang = for_lang(lang) if isinstance(lang, str) else lang
    key = (id(cnt), lang.name)
    held = _BUILT.get(key)
    if held is not None and held[0] is cnt:
        return held[1]
    with _BUILDING:  # sessions starting at once build it once
        held = _BUILT.get(key)
        if held is not None and held[0] is cnt:
            return held[1]
        built = Search(cnt, geom or description.shipped_geometry(words), lang)  # landmarks named in ``lang`` too
        if len(_BUILT) >= 8:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = (cnt, built)
    return built


def myths_and_faqs(cnt: c.Content, query: str, lang: Lang = DEFAULT) -> tuple[list[c.Myth], list[c.Faq]]:
    """The myths and questions page: everything for no query, else what the search (in ``lang``, the language
    of ``cnt``) finds, best first."""
    mf = cnt.myths_faq
    if not query.strip():
        return list(mf.myths), list(mf.faqs)
    found = search_for(cnt, lang=lang).find(query, ASKED).hits
    myths, faqs = {m.id: m for m in mf.myths}, {q.id: q for q in mf.faqs}
    return (
        [myths[h.doc.id] for h in found if h.doc.kind == "myth"],
        [faqs[h.doc.id] for h in found if h.doc.kind == "faq"],
    )
