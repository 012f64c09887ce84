"""Issue 22's patient's view in AppTest: what a plan link opens (/handout), in order. The warning's key points and
its button, the whole warning one tap away; then the plan (techniques in the plan's order, each with its picture,
dose in force, steps and when to stop), Start / Print / PDF / Change this plan, the log, the safety section; no
clinician's fields. The follow-along and the log run in the browser (tests/browser/test_patient_view.py); here,
what they are given, and that the log's script can hand nothing back to the server."""

from __future__ import annotations

import json
import re

from psoas_explorer.content import dose
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.web import ack, bidi, gate, patient
from tests.support import diagram_data, open_page, texts

HANDOUT = "app_pages/handout.py"
A, B = "half_kneeling_hip_flexor_stretch", "bed_edge_hip_flexor_stretch"
PLAN = {"h": [B, A], "d": [f"{A}.h45"]}
GATE = "Before you continue: safety first"


def test_a_new_visitor_gets_the_key_points_and_the_button_first_and_the_whole_warning_one_tap_away(cnt):
    at = open_page(HANDOUT, query=PLAN)
    assert not at.exception
    assert [t.value for t in at.main.title] == [GATE]
    assert [w.value for w in at.main.warning] == [cnt.safety.short]  # the key points, from the content data
    (button,) = at.main.button
    assert button.label == "I understand: show me my plan"
    (whole,) = at.main.expander
    assert whole.label == "Read the whole safety warning"
    assert [m.value for m in whole.markdown] == [gate.warning_markdown(cnt, "en")]  # word for word
    assert "Your psoas plan" not in texts(at)

    button.click().run()  # the same acknowledgement as everywhere: the whole warning's version
    assert at.main.title[0].value == patient.TITLE
    cookies = [
        json.loads(e.proto.json)
        for e in at.sidebar
        if getattr(e, "type", "") == "bidi_component" and e.proto.component_name == ack.NAME
    ]
    assert {"name": ack.COOKIE, "value": ack.token(gate.warning_markdown(cnt, "en"))} in cookies


def test_the_plan_reads_in_its_order_with_picture_dose_in_force_steps_and_when_to_stop(cnt):
    at = open_page(HANDOUT, ack=True, query=PLAN)
    assert not at.exception
    assert at.main.title[0].value == patient.TITLE
    blocks = [m.value for m in at.main.markdown if re.match(r"## \d", m.value)]  # the techniques, numbered
    assert [b.split("\n", 1)[0] for b in blocks] == [
        f"## 1\\. {md_escape(cnt.technique(B).name)}",
        f"## 2\\. {md_escape(cnt.technique(A).name)}",
    ]
    for block, (tid, changed) in zip(blocks, [(B, None), (A, {"hold": 45})], strict=True):
        t = cnt.technique(tid)
        plain = block.replace("\\", "")
        assert dose.line(t, changed) in plain
        assert "(data:image/svg+xml;base64," in block  # the card's picture
        for i, step in enumerate(dose.steps(t, changed), 1):
            assert f"{i}. {step}" in plain
        assert "Stop at once if:" in plain and all(s.rstrip(".") in plain for s in t.stop_if)
    assert "Hold 45 seconds" in blocks[1].replace("\\", "")
    shown = texts(at)
    for sign in cnt.safety.stop_signs:
        assert sign in shown.replace("\\", "")  # the safety section, on screen and on paper


def test_print_pdf_start_and_the_builder_are_actions_and_the_clinicians_fields_are_not_here(cnt):
    at = open_page(HANDOUT, ack=True, query=PLAN)
    assert not at.main.text_input and not at.main.text_area and not at.main.radio
    assert "Ctrl+P" not in texts(at) and "Patient's name" not in texts(at)
    assert [d.proto.label for d in at.main.get("download_button")] == ["Download PDF"]
    assert diagram_data(at, "print")["label"] == "Print"
    follow = diagram_data(at, "follow")
    assert [t["name"] for t in follow["techniques"]] == [cnt.technique(B).name, cnt.technique(A).name]
    assert [t["hold"] for t in follow["techniques"]] == [30, 45]  # the dose in force, A's changed hold
    assert [t["reps"] for t in follow["techniques"]] == [2, 3]
    assert follow["techniques"][1]["sides"] == ["left side", "right side"]
    assert follow["techniques"][1]["steps"] == list(dose.steps(cnt.technique(A), {"hold": 45}))
    assert follow["techniques"][1]["dose"] == dose.line(cnt.technique(A), {"hold": 45})

    at.button(key=patient.CHANGE_KEY).click().run()  # the clinician's one step back to the builder
    assert not at.exception
    assert at.main.title[0].value == "Techniques"
    assert at.session_state["t_tab"].startswith("Your handout")
    assert at.query_params["h"] == PLAN["h"] and at.query_params["d"] in (PLAN["d"], PLAN["d"][0])
    assert at.query_params["tab"] in ("handout", ["handout"])  # the link opens the builder's tab afresh too
    assert at.text_input(key="t_who_patient").label == "Patient's name (optional)"  # the fields are there


def test_the_log_is_given_only_its_words_and_its_script_can_send_nothing_back(cnt):
    at = open_page(HANDOUT, ack=True, query=PLAN)
    log = diagram_data(at, "log")
    assert log == {"mode": "log", "heading": patient.LOG_HEADING, "note": patient.at_home.LOG_NOTE, "lang": "en"}
    assert "only in this browser" in log["note"] and "never put in a link" in log["note"]
    script = (bidi.ASSETS / "patient.js").read_text(encoding="utf-8")
    code = re.sub(r"(?m)//.*$", "", script)  # the comments may name what the code must not call
    assert "setStateValue" not in code and "setTriggerValue" not in code and "fetch(" not in code
    assert "innerHTML" not in code  # text goes in as text


def test_a_plan_over_the_sheets_limit_shows_what_the_sheet_keeps(cnt):
    ids = [t.id for t in cnt.techniques.techniques][: sheet_plan.MAX_TECHNIQUES + 1]
    at = open_page(HANDOUT, ack=True, query={"h": ids})
    assert not at.exception
    assert sum(bool(re.match(r"## \d", m.value)) for m in at.main.markdown) == sheet_plan.MAX_TECHNIQUES
    assert "left out" in texts(at)
    assert len(diagram_data(at, "follow")["techniques"]) == sheet_plan.MAX_TECHNIQUES


def test_a_plan_link_without_picks_says_so_and_leads_to_the_techniques(cnt):
    at = open_page(HANDOUT, ack=True)
    assert not at.exception
    assert "No techniques chosen yet" in texts(at)
    assert all(e.proto.component_name != patient.NAME for e in at.get("bidi_component"))  # no Start, no log


def test_the_printed_plan_carries_the_blank_tick_log_that_the_screen_keeps_out_of_sight(cnt):
    at = open_page(HANDOUT, ack=True, query=PLAN)
    log = [
        m.value for m in at.main.markdown if "pain" in m.value.lower() and "week" in m.value.lower() and "☐" in m.value
    ]
    assert len(log) == 1  # the PDF's last page, as Markdown
    weeks = sheet_plan.log_weeks(sheet_plan.plan(cnt, PLAN["h"], {A: {"hold": 45}}))
    assert weeks >= 6 and log[0].count("☐") >= 7 * weeks
    css = patient.PRINT_CSS
    assert ".st-key-p_paper_log { display: none; }" in css  # on screen "Done today" stands for it
    assert "@media print {\n  .st-key-p_paper_log { display: block;" in css
