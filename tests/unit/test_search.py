"""The techniques filter's word match (every word, whatever its case, accents or ending) and the q link."""

from __future__ import annotations

import pytest

from psoas_explorer import linkformat as params
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


def test_whole_words_only_so_sit_no_longer_matches_websites() -> None:
    """The techniques filter's word match: stems of whole words, never a piece of a longer word."""
    assert not search.matches("sit", ["This idea comes from popular bodywork books and websites."])
    assert search.matches("sit", ["Sitting all day"]) and search.matches("sat", ["you sit at a desk"])
    assert search.matches("desk", ["for people who sit a lot"])  # a synonym from data/search.yaml


def test_the_q_parameter_is_free_text_with_an_empty_default() -> None:
    (q,) = site.SEARCH_PARAMS
    assert (q.name, q.kind, q.default) == ("q", "text", "")
    values, notices = params.parse({"q": ["Hip Flexor"]}, site.SEARCH_PARAMS)
    assert values == {"q": "Hip Flexor"} and notices == []
    assert params.parse({}, site.SEARCH_PARAMS)[0] == {"q": ""}
    assert params.encode({"q": ""}, site.SEARCH_PARAMS) == {}  # the default stays out of links
