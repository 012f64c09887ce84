"""One search across everything (psoas_explorer/search/): ranking, stems, synonyms, accents, typos, questions,
suggestions, deep links, and the myths page's search on the same engine."""

from __future__ import annotations

import pytest

from psoas_explorer import linkformat as params
from psoas_explorer.anatomy import description
from psoas_explorer.content import analyze, load
from psoas_explorer.content import model as c
from psoas_explorer.links import build
from psoas_explorer.links import pages as site
from psoas_explorer.search import catalog
from psoas_explorer.search import engine as engine_module
from psoas_explorer.search.engine import Found
from psoas_explorer.techniques import filters


@pytest.fixture(scope="module")
def engine() -> catalog.Search:
    return catalog.search_for(load.load_content())


def ids(found: Found, kind: str | None = None) -> list[str]:
    return [h.doc.id for h in found.hits if kind is None or h.doc.kind == kind]


def top(found: Found) -> tuple[str, str]:
    return found.hits[0].doc.kind, found.hits[0].doc.id


# --- the index -------------------------------------------------------------------------------------------------


def test_the_index_holds_every_kind_and_is_built_once_per_content(engine: catalog.Search, cnt: c.Content) -> None:
    kinds = {d.kind for d in engine.index.docs}
    assert kinds == set(catalog.KINDS)
    n = len(cnt.myths_faq.myths) + len(cnt.myths_faq.faqs) + len(cnt.techniques.techniques) + len(cnt.glossary)
    assert len(engine.index.docs) > n
    assert catalog.search_for(cnt) is catalog.search_for(cnt)  # its cost is measured, not tested (a busy machine)


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("strech", "stretch", 1),
        ("sittnig", "sitting", 1),
        ("hip", "hips", 1),
        ("lumbgo", "lumbago", 1),
        ("psaos", "psoas", 1),
        ("iliacs", "iliacus", 1),
        ("flexr", "flexor", 1),
        ("backpian", "backpain", 1),
        ("strtch", "stretches", 3),
        ("badcfe", "abcdef", 3),
        ("iliacus", "iliopsoas", 3),
        ("xyzzy", "psoas", 3),
        ("stres", "stress", 1),
        ("strss", "stretch", 3),
        ("anxeity", "anxiety", 1),
        ("emoton", "emotion", 1),
    ],
)
def test_a_suggestion_is_at_most_two_edits_away_and_longer_comparisons_stop_early(a: str, b: str, edits: int) -> None:
    """Two edits or fewer are counted exactly (a swap of neighbours is one); anything further reads as three,
    the comparison cut short (an 80-character link of made-up words must not take seconds)."""
    assert engine_module._distance(a, b) == edits


# --- the cases ---------------------------------------------------------------------------------------


def test_stress_finds_the_myth_that_the_psoas_stores_emotions(cnt: c.Content) -> None:
    myths, _ = catalog.myths_and_faqs(cnt, "stress")
    assert "stores_emotions" in [m.id for m in myths]


def test_sit_no_longer_ranks_a_myth_first_because_websites_contains_sit(cnt: c.Content) -> None:
    myths, _ = catalog.myths_and_faqs(cnt, "sit")
    assert "stores_emotions" not in [m.id for m in myths]
    assert myths and myths[0].id == "sitting_shortens"


@pytest.mark.parametrize("form", ["sits", "sitting", "sat", "Sat", "SITTING"])
def test_every_form_of_a_word_finds_the_same_things(engine: catalog.Search, form: str) -> None:
    assert ids(engine.find(form)) == ids(engine.find("sit")) != []


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("stress", "anxiety"),
        ("stress", "tension"),
        ("desk", "sitting"),
        ("lumbago", "back pain"),
        ("hip flexor", "iliopsoas"),
    ],
)
def test_a_synonym_finds_what_its_group_finds(engine: catalog.Search, typed: str, other: str) -> None:
    assert set(ids(engine.find(typed))) == set(ids(engine.find(other))) != set()


def test_synonyms_are_reviewed_data_not_code() -> None:
    lang = analyze.language()
    groups = [set(g) for g in lang.data.synonyms]
    assert any({"stress", "anxiety", "tension"} <= g for g in groups)
    assert any({"sitting", "desk", "seated"} <= g for g in groups)
    assert any({"hip flexor", "iliopsoas"} <= g for g in groups)
    assert any({"back pain", "lumbago"} <= g for g in groups)
    assert lang.stem("sat") == lang.stem("sitting") == lang.stem("sits") == "sit"  # the irregular table


@pytest.mark.parametrize(("typed", "plain"), [("PRÉGNANCY", "pregnancy"), ("Sığlan", "siglan"), ("naïve", "naive")])
def test_accents_and_case_do_not_matter(engine: catalog.Search, typed: str, plain: str) -> None:
    assert ids(engine.find(typed)) == ids(engine.find(plain))
    assert top(engine.find("Siglan")) == ("source", "siglan2023")


@pytest.mark.parametrize(
    ("typo", "word"), [("strech", "stretch"), ("brething", "breathing"), ("trochantr", "trochanter")]
)
def test_one_typo_in_a_longer_word_is_forgiven(engine: catalog.Search, typo: str, word: str) -> None:
    found = engine.find(typo)
    assert ids(found) == ids(engine.find(word)) != []
    assert found.corrected and found.corrected[0][0] == typo


def test_a_typo_in_a_short_word_is_not_guessed_but_suggested(engine: catalog.Search) -> None:
    found = engine.find("hipp")  # four letters: too many neighbours to guess
    assert found.hits == ()
    assert "hip" in found.suggestions


@pytest.mark.parametrize(
    "question", ["where does it attach?", "Where does the psoas attach?", "What does it attach to"]
)
def test_a_plain_question_finds_the_answer(engine: catalog.Search, question: str) -> None:
    found = engine.find(question)
    assert top(found) == ("anatomy", "insertion_lesser_trochanter")
    if "psoas" not in question:
        assert {"origin", "insertion"} <= set(ids(found, "claim"))  # the anatomy page's "where it starts/ends"


def test_results_are_ranked_by_relevance_and_grouped_by_kind(engine: catalog.Search) -> None:
    found = engine.find("diaphragm")
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores)  # BM25: lower is better
    assert top(found) == ("word", "Diaphragm")  # the word's own entry before texts that mention it
    groups = found.groups()
    assert [k for k, _ in groups][0] == "word" and len({k for k, _ in groups}) == len(groups)
    assert sum(len(h) for _, h in groups) == len(found.hits)


def test_every_word_typed_must_match_before_some_will_do(engine: catalog.Search) -> None:
    both = engine.find("kidney ureter")
    assert not both.widened and set(ids(both)) <= set(ids(engine.find("kidney")))
    some = engine.find("kidney zzqxv")
    assert some.widened and ids(some) == ids(engine.find("kidney"))


def test_no_match_offers_suggestions_that_each_find_something(engine: catalog.Search) -> None:
    found = engine.find("zzqxv")
    assert found.hits == () and found.suggestions == analyze.language().data.suggestions
    for s in found.suggestions:
        assert engine.find(s).hits, s
    assert "plexus" in engine.find("plxeus nerv").suggestions + tuple(w for _, w in engine.find("plxeus").corrected)


@pytest.mark.parametrize("query", ['AND OR "NOT" * ( ) NEAR(', "^psoas", "'; DROP TABLE docs; --", "a" * 500, "   "])
def test_search_syntax_in_a_query_is_just_words(engine: catalog.Search, query: str) -> None:
    engine.find(query)  # no exception: every stem is quoted for FTS5


# --- snippets and deep links -------------------------------------------------------------------------------


def test_the_snippet_is_one_line_of_the_text_with_the_match_marked(engine: catalog.Search) -> None:
    hit = next(h for h in engine.find("stress").hits if h.doc.id == "stores_emotions")
    marked = [t for t, match in hit.snippet if match]
    assert marked and all(analyze.fold(t).startswith(("emotion", "stress", "tension", "anxi")) for t in marked)
    line = "".join(t for t, _ in hit.snippet)
    assert "\n" not in line and len(line.split()) <= 20
    assert line.strip("…") in hit.doc.body or line.strip("…") in hit.doc.title


def test_every_result_links_to_a_page_with_a_valid_link(engine: catalog.Search, cnt: c.Content) -> None:
    for doc in engine.index.docs:
        if doc.kind in catalog.ASKED:
            assert doc.link is None  # opened as the myths page searching the same words
            continue
        assert isinstance(doc.link, build.Link), (doc.kind, doc.id)
        spec = site.page_params(doc.link.url_path, cnt)
        query = {k: v if isinstance(v, list) else [v] for k, v in doc.link.query.items()}
        _values, notices = params.parse(query, spec)
        assert notices == [], (doc.kind, doc.id)


def test_a_landmark_opens_selected_and_a_technique_opens_found(engine: catalog.Search, cnt: c.Content) -> None:
    items = description.items(description.shipped_geometry())
    assert {d.id for d in engine.index.docs if d.kind == "anatomy" and not d.id.startswith("layer_")} == set(items)
    for doc in (d for d in engine.index.docs if d.kind == "anatomy" and d.id in items):
        assert isinstance(doc.link, build.Link)
        assert doc.link.url_path == "anatomy" and doc.link.query["lm"] == doc.id
        assert items[doc.id].layer in doc.link.query.get("layers", ["psoas_major"])
    frame = filters.catalog_frame(cnt)
    for doc in (d for d in engine.index.docs if d.kind == "technique"):
        assert isinstance(doc.link, build.Link) and isinstance(text := doc.link.query["q"], str)
        shown = filters.apply(frame, filters.Filters(text=text))
        assert doc.id in set(shown.index), doc.id


def test_the_myths_page_shows_everything_without_a_query_and_ranks_with_one(cnt: c.Content) -> None:
    mf = cnt.myths_faq
    assert catalog.myths_and_faqs(cnt, "") == (list(mf.myths), list(mf.faqs))
    myths, faqs = catalog.myths_and_faqs(cnt, "PRÉGNANCY")
    assert faqs[0].id == "pregnancy"
    assert catalog.myths_and_faqs(cnt, "zzqx qqzvx") == ([], [])


def test_a_techniques_steps_are_searched_but_never_quoted_outside_the_gate(
    engine: catalog.Search, cnt: c.Content
) -> None:
    """How to do a technique is behind the safety gate: the ungated search page quotes its name and summary only."""
    lang = analyze.language()
    checked = 0
    for t in cnt.techniques.techniques:
        head = set(lang.stems(f"{t.name} {t.summary}"))
        only = [w for w in lang.words(" ".join(t.steps)) if len(w) > 5 and lang.stem(w) not in head]
        if not only:
            continue
        hit = next((h for h in engine.find(only[0]).hits if h.doc.id == t.id), None)
        assert hit is not None, (t.id, only[0])
        line = "".join(text for text, _ in hit.snippet).strip(" …")
        assert line in t.summary or line in t.name, (t.id, line)
        checked += 1
    assert checked
