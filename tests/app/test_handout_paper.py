"""The sheet's paper: A4 unless the visitor picks US Letter, on the handout page and the techniques page's
handout tab alike; the choice holds across the two pages and can be taken back."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.support import capture_downloads, handout_tab, open_page

TECHNIQUES = "app_pages/techniques.py"
HANDOUT = "app_pages/handout.py"
A4 = (595, 842)  # points, as a PDF viewer and a printer read the page
LETTER = (612, 792)


@pytest.fixture
def saved(monkeypatch) -> dict[str, bytes]:
    """The last PDF the download button handed to Streamlit's media store."""
    return capture_downloads(monkeypatch)


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    return {(round(p.mediabox.width), round(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages}


def test_the_paper_choice_changes_the_download_holds_across_pages_and_goes_back(cnt, saved):
    ids = [t.id for t in cnt.techniques.techniques[:2]]
    at = open_page(HANDOUT, ack=True, query={"h": ids})
    assert not at.exception
    paper = at.radio(key="h_paper")
    assert paper.value == "a4" and paper.label == "Paper"
    assert list(paper.options) == ["A4", "US Letter"]  # what the visitor reads
    assert page_sizes(saved["pdf"]) == {A4}

    at = paper.set_value("letter").run()
    assert not at.exception
    assert page_sizes(saved["pdf"]) == {LETTER}
    assert "paper" not in at.query_params and at.query_params["h"] == ids  # a print setting, not part of the plan

    at.switch_page(TECHNIQUES)
    at = handout_tab(at)
    assert at.radio(key="t_paper").value == "letter"
    assert page_sizes(saved["pdf"]) == {LETTER}

    at = at.radio(key="t_paper").set_value("a4").run()  # and back
    assert page_sizes(saved["pdf"]) == {A4}
    at.switch_page(HANDOUT)
    at.query_params["h"] = ids
    at.run()
    assert at.radio(key="h_paper").value == "a4"
    assert page_sizes(saved["pdf"]) == {A4}
