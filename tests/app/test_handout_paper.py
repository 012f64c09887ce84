"""The sheet's paper: A4 unless the visitor picks US Letter in the builder (the techniques page's handout tab);
the choice holds for the PDF of the patient's view (the handout page, which has no paper choice of its own) and
can be taken back."""

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


def test_the_paper_choice_changes_the_download_holds_on_the_patients_view_and_goes_back(cnt, saved):
    ids = [t.id for t in cnt.techniques.techniques[:2]]
    at = handout_tab(open_page(TECHNIQUES, ack=True, query={"h": ids}))
    assert not at.exception
    paper = at.radio(key="t_paper")
    assert paper.value == "a4" and paper.label == "Paper"
    assert list(paper.options) == ["A4", "US Letter"]  # what the visitor reads
    assert page_sizes(saved["pdf"]) == {A4}

    at = paper.set_value("letter").run()
    assert not at.exception
    assert page_sizes(saved["pdf"]) == {LETTER}
    assert "paper" not in at.query_params and at.query_params["h"] == ids  # a print setting, not part of the plan

    at.switch_page(HANDOUT)  # the patient's view has no paper choice: its PDF is the builder's paper
    at.query_params["h"] = ids
    at.run()
    assert not at.main.radio
    assert page_sizes(saved["pdf"]) == {LETTER}

    at.switch_page(TECHNIQUES)  # back to the builder's tab, as "Change this plan" goes (tab=handout in the link)
    at.query_params["h"] = ids
    at.query_params["tab"] = "handout"
    at = at.run()
    at = at.radio(key="t_paper").set_value("a4").run()  # and back
    assert page_sizes(saved["pdf"]) == {A4}
    at.switch_page(HANDOUT)
    at.query_params["h"] = ids
    at.run()
    assert page_sizes(saved["pdf"]) == {A4}
