"""Word search: every word typed must appear, whatever its case or accents; the myths/FAQ filter and its q link."""

from __future__ import annotations

import pytest

from psoas_explorer import linkformat as params
from psoas_explorer.content import model as c
from psoas_explorer.content import search
from psoas_explorer.links import pages as site


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("PSOAS", "the psoas major"),
        ("psoas", "The PSOAS Major"),
        ("siglan", "Sığlan & Çolak 2023"),
        ("Sığlan çolak", "siglan and colak"),
        ("cafe", "Café au lait"),
        ("naïve", "a naive belief"),
    ],
)
def test_matching_ignores_case_and_accents(query: str, text: str) -> None:
    assert search.matches(query, [text])


def test_every_word_must_appear_somewhere_in_the_texts() -> None:
    texts = ["Hip flexor stretch", "for desk workers"]
    assert search.matches("hip desk", texts)  # words may come from different texts
    assert not search.matches("hip knee", texts)
    assert search.matches("", texts) and search.matches("  ,;  ", texts)  # no words: everything matches


def test_words_split_on_punctuation_and_plain_echo_drops_markup() -> None:
    assert search.words("<b>Hip,  FLEXOR</b>!") == ["b", "hip", "flexor", "b"]
    assert search.plain("<script>alert(1)</script>") == "script alert 1 script"
    assert len(search.plain("word " * 100)) == 80


def test_myths_and_faqs_keeps_only_the_matching_items_in_order(cnt: c.Content) -> None:
    mf = cnt.myths_faq
    assert search.myths_and_faqs(cnt, "") == (list(mf.myths), list(mf.faqs))
    myths, faqs = search.myths_and_faqs(cnt, "sitting")
    assert 0 < len(myths) + len(faqs) < len(mf.myths) + len(mf.faqs)
    assert myths == [m for m in mf.myths if m in myths] and faqs == [q for q in mf.faqs if q in faqs]
    for m in myths:
        assert "sitting" in search.fold(f"{m.belief} {m.evidence_says}")
    for q in faqs:
        assert "sitting" in search.fold(f"{q.question} {q.answer}")
    left_out = [q for q in mf.faqs if q not in faqs]
    assert all("sitting" not in search.fold(f"{q.question} {q.answer}") for q in left_out)


def test_myths_and_faqs_finds_an_answer_typed_in_capitals_with_accents(cnt: c.Content) -> None:
    _myths, faqs = search.myths_and_faqs(cnt, "PRÉGNANCY")
    assert [q.id for q in faqs] == ["pregnancy"]
    assert search.myths_and_faqs(cnt, "zzqx no such words") == ([], [])


def test_the_q_parameter_is_free_text_with_an_empty_default() -> None:
    (q,) = site.SEARCH_PARAMS
    assert (q.name, q.kind, q.default) == ("q", "text", "")
    values, notices = params.parse({"q": ["Hip Flexor"]}, site.SEARCH_PARAMS)
    assert values == {"q": "Hip Flexor"} and notices == []
    assert params.parse({}, site.SEARCH_PARAMS)[0] == {"q": ""}
    assert params.encode({"q": ""}, site.SEARCH_PARAMS) == {}  # the default stays out of links
