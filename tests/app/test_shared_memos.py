"""What the app memoizes for every session (web/memo.py) never holds what one visitor typed.

A search word, a name or a note typed by one visitor must not end up in a process-wide cache another session
reaches: the memos' keys are checked after each kind of typed text has been used on its page.
"""

from __future__ import annotations

import pytest

from psoas_explorer.web import memo
from tests.app.test_handout_identity import NAME, NOTE, filled_in_handout_tab
from tests.support import open_page

WORD = "zqxvisitorword"

pytestmark = pytest.mark.usefixtures("cold_caches")  # about what the memos hold: start from empty ones


def typed_text_in_memos(*typed: str) -> list[tuple[object, ...]]:
    return [k for k in memo.all_keys() if any(t in repr(k) for t in typed)]


def test_a_typed_technique_search_is_not_memoized_for_other_sessions():
    at = open_page("app_pages/techniques.py", ack=True, query={"q": WORD})
    assert not at.exception
    assert at.session_state["t_q"] == WORD  # the search was really used (its field is in "More filters")
    at.run()  # a rerun keeps the search in this session only
    assert not at.exception
    assert any(k for k in memo.all_keys()), "the page did use the memos"
    assert typed_text_in_memos(WORD) == []


def test_a_typed_question_search_is_not_memoized_for_other_sessions():
    at = open_page("app_pages/myths_faq.py", query={"q": WORD})
    assert not at.exception
    assert at.text_input(key="mf_query").value == WORD
    assert typed_text_in_memos(WORD) == []


def test_a_name_and_note_for_the_sheet_are_not_memoized_for_other_sessions(cnt, saved):
    _, at = filled_in_handout_tab(cnt)
    assert not at.exception and saved["pdf"]
    assert typed_text_in_memos(NAME, "Quillfeather", NOTE.split()[1]) == []
