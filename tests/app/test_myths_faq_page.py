"""Myths & FAQ: every myth and question shown, and one search that narrows both as you type."""

from streamlit.testing.v1 import AppTest

from psoas_explorer.content import model as c
from psoas_explorer.content import text
from psoas_explorer.search import catalog
from tests.support import open_page

PAGE = "app_pages/myths_faq.py"


def shown(at: AppTest, cnt: c.Content) -> tuple[list[str], list[str]]:
    beliefs = [m.value for m in at.main.markdown if m.value.startswith("**Common belief:**")]
    questions = [e.label for e in at.main.expander if e.label in {q.question for q in cnt.myths_faq.faqs}]
    return beliefs, questions


def test_every_myth_and_question_is_shown_with_evidence(cnt):
    at = open_page(PAGE)
    beliefs, questions = shown(at, cnt)
    assert len(beliefs) == len(cnt.myths_faq.myths)
    assert questions == [q.question for q in cnt.myths_faq.faqs]
    badges = [m.value for m in at.main.markdown if "-badge[Evidence " in m.value]
    assert len(badges) == len(cnt.myths_faq.myths) + len(cnt.myths_faq.faqs)


def test_search_narrows_both_lists_and_writes_the_link(cnt):
    at = open_page(PAGE)
    at.text_input(key="mf_query").input("sitting").run()
    beliefs, questions = shown(at, cnt)
    want_myths, want_faqs = catalog.myths_and_faqs(cnt, "sitting")
    assert 0 < len(beliefs) + len(questions) < len(cnt.myths_faq.myths) + len(cnt.myths_faq.faqs)
    assert len(beliefs) == len(want_myths) and len(questions) == len(want_faqs)
    counted = f"{text.count(len(want_myths), 'myth')} and {text.count(len(want_faqs), 'question')} match"
    assert any(counted in m.value for m in at.main.markdown)
    assert not any("(s)" in m.value for m in at.main.markdown)
    assert at.query_params["q"] == "sitting"


def test_search_ignores_case_and_accents(cnt):
    at = open_page(PAGE, query={"q": "PREGNANT"})
    _, questions = shown(at, cnt)
    assert any("pregnan" in q.lower() for q in questions)


def test_no_match_says_so_without_echoing_markup(cnt):
    at = open_page(PAGE, query={"q": "<b>zzqx</b>"})
    assert shown(at, cnt) == ([], [])
    (info,) = [i.value for i in at.main.info if "Nothing matches" in i.value]
    assert "zzqx" in info and "<b>" not in info
