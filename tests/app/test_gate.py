"""The safety gate: nothing of a gated page shows until this session says "I understand"."""

import pytest

from psoas_explorer.content import model as c
from psoas_explorer.links import pages as site
from tests.support import open_page, texts

GATED = [p for p in site.PAGES if p.gated]


def sample_query(page: site.PageSpec, cnt: c.Content) -> tuple[str, str]:
    """A valid link parameter for the page: its first own parameter with its first allowed value."""
    param = site.page_params(page.url_path, cnt)[0]
    return param.name, param.choices[0]


@pytest.mark.parametrize("page", GATED, ids=lambda p: p.url_path)
def test_gated_page_is_locked_then_opens_and_keeps_query(page, cnt):
    name, value = sample_query(page, cnt)
    at = open_page(page.file, query={name: value})
    assert not at.exception
    assert [t.value for t in at.main.title] == ["Before you continue: safety first"]
    # the whole warning (on the patient's view, its key points first and the rest one tap away)
    assert "Stop at once if" in at.main.warning[0].value + " ".join(m.value for m in at.main.markdown)
    (ack,) = at.main.button
    assert ack.label.startswith("I understand")
    assert page.heading not in [t.value for t in at.main.title]
    assert not at.main.get("plotly_chart") and not at.main.multiselect and not at.main.subheader

    ack.click().run()
    assert not at.exception
    assert at.main.title[0].value == page.heading
    assert at.query_params.get(name) in (value, [value])

    fresh = open_page(page.file)  # another visitor, or a new tab
    assert fresh.main.title[0].value == "Before you continue: safety first"
    assert page.heading not in texts(fresh)


@pytest.mark.parametrize("page", GATED, ids=lambda p: p.url_path)
def test_gate_holds_when_reached_by_switch_page_from_another_page(page):
    at = open_page("app_pages/evidence.py")
    at.switch_page(page.file).run()
    assert at.main.button[0].label.startswith("I understand")
    assert page.heading not in [t.value for t in at.main.title]


def test_ungated_pages_show_no_gate():
    for page in site.PAGES:
        if not page.gated:
            at = open_page(page.file)
            assert not [b for b in at.main.button if b.label.startswith("I understand")], page.url_path
