"""The techniques page as a visitor uses it: filters, links, safety screen and handout."""

import io
from typing import Any

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from psoas_explorer.content import model as content
from psoas_explorer.content import vocab
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.techniques import filters
from psoas_explorer.web import finder
from tests.support import capture_downloads, handout_tab, open_expander, open_page, shipped_content

PAGE = "app_pages/techniques.py"


@pytest.fixture(scope="module")
def catalog(cnt: content.Content) -> pd.DataFrame:
    return filters.catalog_frame(cnt)


def cards_on_screen(at) -> list[str]:
    return [b.key.removeprefix("pick_") for b in at.main.button if (b.key or "").startswith("pick_")]


def shown_ids(at: AppTest) -> list[str]:
    """Every matching card, pressing "Show more" until the list is complete, as a visitor would."""
    for _ in range(100):  # far more presses than the catalog has pages of cards
        more = [b for b in at.main.button if b.key == "t_more_cards"]
        if not more:
            return cards_on_screen(at)
        more[0].click().run()
    raise AssertionError('"Show more" never stops')


def count_line(at) -> str:
    return next(m.value for m in at.main.markdown if "techniques match" in m.value)


def expected(catalog: pd.DataFrame, **kw: Any) -> list[str]:
    return list(filters.apply(catalog, filters.Filters(**kw))["id"])


def test_link_sets_filters_and_page_shows_exactly_the_matching_techniques(catalog):
    at = open_page(PAGE, ack=True, query={"goal": "mobility", "audience": "desk_workers"})
    assert not at.exception
    assert at.multiselect(key="t_goal").value == ["mobility"]
    assert at.multiselect(key="t_audience").value == ["desk_workers"]
    want = expected(catalog, goals=("mobility",), audiences=("desk_workers",))
    assert shown_ids(at) == want
    assert count_line(at) == f"## {len(want)} of {len(catalog)} techniques match"
    assert 0 < len(want) < len(catalog)


@pytest.mark.parametrize(
    ("key", "value", "field", "url"),
    [
        ("t_goal", ["stress"], {"goals": ("stress",)}, ("goal", "stress")),
        ("t_audience", ["athletes"], {"audiences": ("athletes",)}, ("audience", "athletes")),
        ("t_setting", ["work"], {"settings": ("work",)}, ("setting", "work")),
        ("t_performer", ["therapist"], {"performers": ("therapist",)}, ("performer", "therapist")),
        ("t_intensity", ["gentle"], {"intensities": ("gentle",)}, ("intensity", "gentle")),
        ("t_equipment", ["none"], {"equipment": ("none",)}, ("equipment", "none")),
        ("t_evidence", "B", {"min_evidence": "B"}, ("evidence", "B")),
        ("t_q", "chair", {"text": "chair"}, ("q", "chair")),
    ],
)
def test_each_filter_changes_results_and_writes_the_link(key, value, field, url, catalog):
    at = open_page(PAGE, ack=True)
    everything = shown_ids(at)
    assert everything == expected(catalog)
    at.session_state[key] = value
    at.run()
    assert not at.exception
    assert shown_ids(at) == expected(catalog, **field)
    assert shown_ids(at) != everything
    assert at.query_params[url[0]] in (url[1], [url[1]])


def test_sort_changes_order_and_reset_clears_filters(cnt, catalog):
    at = open_page(PAGE, ack=True, query={"sort": "name", "intensity": "gentle"})
    names = [cnt.technique(i).name for i in shown_ids(at)]
    assert names == sorted(names, key=str.casefold)
    at.button(key="t_reset").click().run()
    assert shown_ids(at) == expected(catalog)
    assert "intensity" not in at.query_params


def test_filters_round_trip_through_the_link():
    query = {"goal": ["pain_relief", "mobility"], "intensity": "gentle", "sort": "time", "q": "hip"}
    at = open_page(PAGE, ack=True, query=query)
    first = shown_ids(at)
    link = {k: at.query_params[k] for k in at.query_params}
    assert link == query
    again = open_page(PAGE, ack=True, query=link)
    assert shown_ids(again) == first


def test_nothing_matches_says_why_and_what_to_relax():
    at = open_page(PAGE, ack=True, query={"q": "zzzz-no-such-word", "intensity": "firm"})
    assert shown_ids(at) == []
    assert any("No technique matches" in i.value for i in at.main.info)
    assert any("Clear the search" in m.value for m in at.main.markdown)


@pytest.mark.parametrize(
    "query",
    [
        {"goal": ["mobility", "<script>alert(1)</script>"]},
        {"evil": "<img src=x onerror=alert(1)>"},
        {"q": "x" * 10_000},
        {"sort": ["name", "evidence", "bogus"]},
        {"h": ["not-a-technique"], "evidence": "Z"},
    ],
)
def test_hostile_links_give_a_notice_and_no_exception(query):
    at = open_page(PAGE, ack=True, query=query)
    assert not at.exception
    assert at.main.title[0].value == "Techniques"
    notices = [i.value for i in at.info]
    assert notices
    everything = "\n".join(e.value for kind in ("markdown", "info", "error", "warning") for e in getattr(at, kind))
    assert "<script" not in everything and "<img" not in everything


def test_red_flag_shows_see_a_clinician_and_hides_every_technique(catalog):
    at = open_expander(open_page(PAGE, ack=True), "t_screen")
    at.checkbox(key="screen_saddle_numbness").check().run()
    (err,) = at.main.error
    assert "See a clinician first" in err.value
    assert shown_ids(at) == ["clinician_assessment"]  # the step to take is never hidden
    hidden = len(catalog) - 1
    assert count_line(at) == f"## 1 of {len(catalog)} techniques matches · {hidden} hidden by your safety answers"
    assert sum(m.value.count("needs medical help first") for m in at.main.markdown) == 1  # said once, not 20 times
    at.checkbox(key="screen_saddle_numbness").uncheck().run()
    assert not at.main.error
    assert count_line(at) == f"## {len(catalog)} of {len(catalog)} techniques match"
    assert "screen_saddle_numbness" not in str(dict(at.query_params))


def test_contraindication_hides_affected_techniques_with_the_reason(cnt, catalog):
    affected = {t.id for t in cnt.techniques.techniques if "blood_thinners" in t.contraindications}
    assert affected
    at = open_expander(open_page(PAGE, ack=True), "t_screen")
    at.checkbox(key="screen_blood_thinners").check().run()
    assert not set(shown_ids(at)) & affected
    assert set(shown_ids(at)) == set(expected(catalog)) - affected
    assert count_line(at).endswith(f"· {len(affected)} hidden by your safety answers")
    (hidden,) = [m.value for m in at.main.markdown if "You ticked" in m.value]
    assert hidden.count("\n- ") == len(affected)
    assert all(md_escape(cnt.technique(t).name) in hidden for t in affected)
    # The reasons sit right under the count line, above the cards, where people look.
    order = [m.value for m in at.main.markdown]
    first_card = next(i for i, v in enumerate(order) if v.startswith("### "))
    assert order.index(hidden) < first_card
    # Closing the safety check keeps the answer: the techniques stay hidden and the label says why.
    at.session_state["t_screen"] = False
    at.run()
    assert not at.main.checkbox and not set(shown_ids(at)) & affected
    assert any("You ticked" in m.value for m in at.main.markdown)
    assert not at.query_params or "blood" not in str(dict(at.query_params))


def test_handout_collects_techniques_and_pdf_has_their_names_and_the_warning(monkeypatch, cnt):
    saved = capture_downloads(monkeypatch)
    at = open_page(PAGE, ack=True)
    first, second = shown_ids(at)[:2]
    at.button(key=f"pick_{first}").click().run()
    at.button(key=f"pick_{second}").click().run()
    assert at.query_params["h"] == [first, second]
    at = handout_tab(at)
    assert at.query_params["h"] == [first, second]
    panel = "\n".join(m.value for m in at.main.markdown)
    assert f"### 1\\. {md_escape(cnt.technique(first).name)}" in panel
    assert f"### 2\\. {md_escape(cnt.technique(second).name)}" in panel
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(saved["pdf"])).pages)
    flat = " ".join(text.split())
    for tid in (first, second):
        assert " ".join(cnt.technique(tid).name.split()) in flat
    assert " ".join(cnt.safety.short.split())[:40] in flat


def test_list_starts_short_grows_on_request_and_starts_again_when_filters_change(catalog):
    at = open_page(PAGE, ack=True)
    assert cards_on_screen(at) == expected(catalog)[: finder.PAGE_SIZE]
    more = at.button(key="t_more_cards")
    assert more.label.startswith(f"Show {finder.PAGE_SIZE} more ({finder.PAGE_SIZE} of {len(catalog)}")
    more.click().run()
    assert cards_on_screen(at) == expected(catalog)[: 2 * finder.PAGE_SIZE]
    at.session_state["t_intensity"] = ["gentle"]
    at.run()
    assert cards_on_screen(at) == expected(catalog, intensities=("gentle",))[: finder.PAGE_SIZE]


def test_filters_set_in_a_closed_expander_or_another_tab_keep_filtering_and_stay_in_the_link(cnt, catalog):
    at = open_expander(open_page(PAGE, ack=True), "t_more")
    at.multiselect(key="t_intensity").select("gentle").run()
    at.session_state["t_more"] = False
    at.run()
    assert not [w for w in at.main.multiselect if w.key == "t_intensity"]
    assert shown_ids(at) == expected(catalog, intensities=("gentle",))
    assert any(":blue-badge[" in m.value and "Gentle" in m.value for m in at.main.markdown)  # listed as active
    at.session_state["t_tab"] = "Five kinds"
    at.run()
    assert not cards_on_screen(at) and at.query_params["intensity"] == "gentle"
    assert len([m for m in at.main.markdown if "-badge[Evidence " in m.value]) == len(cnt.technique_types)
    at.session_state["t_tab"] = "Find a technique"
    at.run()
    assert shown_ids(at) == expected(catalog, intensities=("gentle",))


def test_steps_load_when_their_expander_opens(cnt):
    at = open_page(PAGE, ack=True)
    first = cnt.technique(cards_on_screen(at)[0])
    step = md_escape(first.steps[0])
    assert not any(step in m.value for m in at.main.markdown)
    at = open_expander(at, f"steps_{first.id}")
    assert any(step in m.value and first.precautions[0] in m.value for m in at.main.markdown)


def test_every_card_says_who_should_not_do_it_and_when_to_stop_without_opening_anything(cnt):
    at = open_page(PAGE, ack=True)
    cards = {m.value.split("\n", 1)[0]: m.value for m in at.main.markdown if m.value.startswith("### ")}
    assert len(cards) == finder.PAGE_SIZE
    for tid in cards_on_screen(at):
        t = cnt.technique(tid)
        card = cards[f"### {md_escape(t.name)}"]
        assert "**Stop at once if:** " + md_escape(sheet_plan.sentence(t.stop_if[0])) in card
        for who in filters.skip_if(cnt, t):
            assert md_escape(who) in card, (tid, who)
        assert ("**Skip it if:**" in card) == bool(t.contraindications)


def h_of(at) -> list[str]:
    value = at.query_params.get("h")
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def pick_buttons(at) -> dict[str, str]:
    """Each card's button, its label without the technique's name (which every label ends with, issue 23)."""
    cnt = shipped_content()
    out = {}
    for b in at.main.button:
        if (b.key or "").startswith("pick_"):
            tid = b.key.removeprefix("pick_")
            assert b.label.endswith(f": {md_escape(cnt.technique(tid).name)}"), b.label
            out[tid] = b.label.rsplit(": ", 1)[0]
    return out


def test_handout_pick_can_be_removed_and_cleared_and_the_link_follows():
    # Issue 12's blocker: "Remove from handout" did nothing and the link kept h= (the link's picks were
    # copied back into the session on every run). Each action is followed by its undo.
    at = open_page(PAGE, ack=True)
    first, second = shown_ids(at)[:2]
    at.button(key=f"pick_{first}").click().run()
    assert pick_buttons(at)[first] == "Remove from handout"
    assert h_of(at) == [first]
    at.button(key=f"pick_{first}").click().run()
    assert pick_buttons(at)[first] == "Add to handout"
    assert h_of(at) == []
    for tid in (first, second):
        at.button(key=f"pick_{tid}").click().run()
    at = handout_tab(at)
    assert h_of(at) == [first, second]
    at.button(key="t_clear").click().run()
    assert h_of(at) == []
    assert any(h.value.startswith("Your handout (0)") for h in at.main.header)


def test_clear_handout_is_undone_with_its_doses_and_the_link_follows():
    """Issue 23: "Clear handout" had no undo. A notice says what went; Undo puts the picks and doses back, and
    the link with them; a new pick ends the offer."""
    plan = {
        "h": ["half_kneeling_hip_flexor_stretch", "desk_movement_breaks"],
        "d": ["half_kneeling_hip_flexor_stretch.h45"],
    }
    at = handout_tab(open_page(PAGE, ack=True, query=plan))
    before = dict(at.query_params)
    assert h_of(at) == plan["h"] and before["d"] in (plan["d"], plan["d"][0])
    at.button(key="t_clear").click().run()
    assert h_of(at) == [] and "d" not in at.query_params
    assert any(m.value == "Handout cleared: 2 techniques removed." for m in at.main.markdown)
    at.button(key="t_clear_undo").click().run()
    assert dict(at.query_params) == before
    assert not [b for b in at.main.button if b.key == "t_clear_undo"]
    at.button(key="t_clear").click().run()
    at.session_state["t_tab"] = "Find a technique"
    at.run()
    at.button(key="pick_half_kneeling_hip_flexor_stretch").click().run()
    at = handout_tab(at)
    assert h_of(at) == ["half_kneeling_hip_flexor_stretch"]
    assert not [b for b in at.main.button if b.key == "t_clear_undo"], "a new pick ends the undo"


def test_picks_from_a_link_can_be_removed_and_cleared():
    link = ["half_kneeling_hip_flexor_stretch", "desk_movement_breaks"]
    at = open_page(PAGE, ack=True, query={"h": link, "q": "stretch"})
    assert pick_buttons(at)["half_kneeling_hip_flexor_stretch"] == "Remove from handout"
    at.button(key="pick_half_kneeling_hip_flexor_stretch").click().run()
    assert pick_buttons(at)["half_kneeling_hip_flexor_stretch"] == "Add to handout"
    assert h_of(at) == ["desk_movement_breaks"]
    at = handout_tab(at)
    assert any(h.value.startswith("Your handout (1)") for h in at.main.header)
    at.button(key="t_clear").click().run()
    assert h_of(at) == []
    assert any(h.value.startswith("Your handout (0)") for h in at.main.header)
    # The emptied handout stays empty on the print page too.
    at.switch_page("app_pages/handout.py").run()
    assert any("No techniques chosen yet" in i.value for i in at.main.info)


def test_a_filter_by_goal_shows_each_cards_evidence_for_that_goal(cnt):
    # Issue 11: stretches tagged "posture" showed their B badge for mobility while the app rates posture X.
    at = open_page(PAGE, ack=True, query={"goal": "posture"})
    cards = [m.value for m in at.main.markdown if m.value.startswith("### ")]
    assert cards
    for tid, card in zip(cards_on_screen(at), cards, strict=True):
        (ge,) = [g for g in cnt.technique(tid).goal_evidence if g.goal == "posture"]
        assert f"**For posture:** :{vocab.BADGE_COLOURS[ge.badge]}-badge[Evidence {ge.badge}:" in card, tid
    at.multiselect(key="t_goal").unselect("posture").run()
    assert not any("**For posture:**" in m.value for m in at.main.markdown)


def test_every_card_shows_its_body_position_picture_with_alt_text(cnt):
    """A light SVG per card, drawn from the anatomy model, inside the card's one Markdown block (no extra element
    per card); its alt text names the position and the length change against standing."""
    import base64
    import re
    import xml.etree.ElementTree as ET

    from psoas_explorer.anatomy import pose as sketch

    at = open_page(PAGE, ack=True)
    cards = {m.value.split("\n", 1)[0]: m.value for m in at.main.markdown if m.value.startswith("### ")}
    ids = cards_on_screen(at)
    assert len(ids) == finder.PAGE_SIZE
    for tid in ids:
        t = cnt.technique(tid)
        sc = sketch.scene(t.pose)
        card = cards[f"### {md_escape(t.name)}"]
        found = re.findall(r"!\[(.*?)\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", card)
        assert len(found) == 1, tid
        alt, data = found[0]
        assert alt == sc.alt
        assert sketch.BODY_WORDS[t.pose.body] in alt
        assert sketch.length_words((sc.length_cm / sc.standing_cm - 1) * 100) in alt
        assert ET.fromstring(base64.b64decode(data)).get("aria-label") == sc.alt
        assert card.index(alt) < card.index("**Stop at once if:**")  # near the top, not after the safety lines
