"""The handout builder, driven like a clinician: change a dose, type one out of range, reset it, move picks up
and down; each action and its undo, and after each the page's own link opened in a new session shows the same
plan (picks, order, doses). The print view and the PDF say the same."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from psoas_explorer.content import dose
from psoas_explorer.content.text import md_escape
from psoas_explorer.web import keys
from tests.support import open_expander, open_page

TECHNIQUES = "app_pages/techniques.py"
HANDOUT = "app_pages/handout.py"
STRETCH = "half_kneeling_hip_flexor_stretch"
BALL = "glute_ball_self_massage"
THERAPIST = "therapist_psoas_release"


def qp(at, name: str) -> list[str]:
    """One query parameter's values as a list (AppTest gives a single value as a string)."""
    v = at.query_params.get(name, [])
    return [v] if isinstance(v, str) else list(v)


def builder(query: dict):
    at = open_page(TECHNIQUES, ack=True, query=query)
    return tab(at)


def tab(at):
    at.session_state["t_tab"] = next(t.label for t in at.main.tabs if t.label.startswith("Your handout"))
    return at.run()


def plan_on_screen(at) -> list[tuple[str, str]]:
    """Each pick's heading and dose line, in order, as the builder shows them."""
    assert not at.exception, [e.message for e in at.exception]
    out = []
    for m in at.main.markdown:
        if m.value.startswith("### "):
            head, _, line = m.value.partition("\n\n")
            out.append((head.removeprefix("### "), line))
    return out


def inputs(at) -> dict[str, int]:
    return {n.key: n.value for n in at.main.number_input}


def same_plan_in_a_new_session(at) -> None:
    """The page's own address, opened by someone else, shows the same builder."""
    query = {k: qp(at, k) for k in at.query_params}
    theirs = builder(query)
    assert plan_on_screen(theirs) == plan_on_screen(at), query
    assert inputs(theirs) == inputs(at), query


def test_number_inputs_change_the_dose_words_and_link_and_reset_undoes_it(cnt):
    at = builder({"h": [STRETCH, BALL]})
    stretch = cnt.technique(STRETCH)
    assert plan_on_screen(at)[0] == (f"1\\. {md_escape(stretch.name)}", md_escape(dose.line(stretch)))
    assert at.button(key=keys.reset_dose_key(STRETCH)).disabled  # nothing to reset yet
    assert qp(at, "d") == []

    at.number_input(key=keys.dose_key(STRETCH, "hold")).set_value(45).run()
    at.number_input(key=keys.dose_key(STRETCH, "per_day")).set_value(2).run()
    # a changed dose rests on the clinician, not on the default's basis
    words = "Dose: Hold 45 seconds · 3 times · each side · twice a day · for 8 weeks (set by your clinician)"
    assert plan_on_screen(at)[0][1] == md_escape(words)
    assert qp(at, "d") == [f"{STRETCH}.h45.d2"]
    assert qp(at, "h") == [STRETCH, BALL]
    same_plan_in_a_new_session(at)

    at.button(key=keys.reset_dose_key(STRETCH)).click().run()
    assert plan_on_screen(at)[0][1] == md_escape(dose.line(stretch))
    assert at.number_input(key=keys.dose_key(STRETCH, "hold")).value == 30
    assert qp(at, "d") == []
    same_plan_in_a_new_session(at)


def test_an_out_of_range_number_is_not_kept_and_the_visitor_is_told():
    at = builder({"h": [STRETCH], "d": [f"{STRETCH}.h45"]})
    at.number_input(key=keys.dose_key(STRETCH, "hold")).set_value(999).run()
    assert not at.exception
    assert [w.value for w in at.main.warning] == [
        "Not kept: Hold (seconds) must be from 5 to 60; 999 is out of range. It stays at 45."  # the stretch's own bound
    ]
    assert at.number_input(key=keys.dose_key(STRETCH, "hold")).value == 45
    assert qp(at, "d") == [f"{STRETCH}.h45"]
    at.number_input(key=keys.dose_key(STRETCH, "reps")).set_value(0).run()
    assert "Repetitions must be from 1 to 5" in at.main.warning[0].value
    # a good number clears the message
    at.number_input(key=keys.dose_key(STRETCH, "reps")).set_value(4).run()
    assert not at.main.warning
    assert qp(at, "d") == [f"{STRETCH}.h45.r4"]


def test_move_up_and_down_reorder_the_plan_link_and_sheet_and_moving_back_undoes_it(cnt, saved):
    at = builder({"h": [STRETCH, BALL, THERAPIST], "d": [f"{STRETCH}.h45"]})
    names = [cnt.technique(t).name for t in (STRETCH, BALL, THERAPIST)]
    first = at.button(key=keys.move_key(STRETCH, "up"))
    last = at.button(key=keys.move_key(THERAPIST, "down"))
    assert first.disabled and last.disabled
    # each button's (accessible) name ends with its technique's name, shown small (the CSS hides it on screen)
    assert first.label == f"Move up :small[{md_escape(names[0])}]"
    assert last.label == f"Move down :small[{md_escape(names[2])}]"
    assert at.button(key=keys.move_key(BALL, "down")).label == f"Move down :small[{md_escape(names[1])}]"
    assert at.button(key=keys.reset_dose_key(STRETCH)).label == f"Reset dose :small[{md_escape(names[0])}]"

    at.button(key=keys.move_key(THERAPIST, "up")).click().run()
    order = [h for h, _ in plan_on_screen(at)]
    assert order == [f"1\\. {md_escape(names[0])}", f"2\\. {md_escape(names[2])}", f"3\\. {md_escape(names[1])}"]
    assert qp(at, "h") == [STRETCH, THERAPIST, BALL]
    assert qp(at, "d") == [f"{STRETCH}.h45"]  # the dose moves with its technique
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved["pdf"])).pages).split())
    assert text.index(f"2. {names[2]}") < text.index(f"3. {names[1]}")
    same_plan_in_a_new_session(at)

    at.button(key=keys.move_key(STRETCH, "down")).click().run()
    assert qp(at, "h") == [THERAPIST, STRETCH, BALL]
    same_plan_in_a_new_session(at)

    # undo both moves: back to the order the plan had
    at.button(key=keys.move_key(STRETCH, "up")).click().run()
    at.button(key=keys.move_key(BALL, "up")).click().run()
    assert qp(at, "h") == [STRETCH, BALL, THERAPIST]
    assert plan_on_screen(at)[2][0] == f"3\\. {md_escape(names[2])}"
    same_plan_in_a_new_session(at)


def test_a_therapist_session_has_no_dose_inputs_and_says_how_often(cnt):
    at = builder({"h": [THERAPIST]})
    assert not [n for n in at.main.number_input if n.key.startswith(f"dose_{THERAPIST}")]
    assert plan_on_screen(at)[0][1].startswith("How often")
    assert not [b for b in at.main.button if b.key == keys.reset_dose_key(THERAPIST)]


def test_the_print_view_and_its_link_keep_the_doses_and_order():
    at = open_page(HANDOUT, ack=True, query={"h": [BALL, STRETCH], "d": [f"{STRETCH}.h45.d2"]})
    assert not at.exception
    md = "\n".join(m.value for m in at.main.markdown)
    assert md.index("Buttock self") < md.index("Half\\-kneeling")
    assert md_escape("Dose: Hold 45 seconds · 3 times · each side · twice a day · for 8 weeks") in md
    assert qp(at, "d") == [f"{STRETCH}.h45.d2"]


@pytest.mark.parametrize(
    "d",
    [[f"{STRETCH}.h999"], ["post_run_recovery.h40"], ["nope.x1"], [f"{STRETCH}.h40", f"{STRETCH}.h50"]],
    ids=["out-of-range", "not-picked", "unknown", "twice"],
)
def test_a_bad_dose_in_a_link_is_dropped_with_a_notice_and_the_link_cleaned(d):
    at = open_page(HANDOUT, ack=True, query={"h": [STRETCH], "d": d})
    assert not at.exception
    assert at.info and any("dose" in i.value.lower() or "'d'" in i.value for i in at.info), [i.value for i in at.info]
    assert qp(at, "d") in ([], [f"{STRETCH}.h40"])


def test_every_card_says_its_dose_in_words_or_how_often(cnt):
    at = open_page(TECHNIQUES, ack=True, query={"q": "hip-flexor stretch"})
    cards = {m.value.split("\n", 1)[0]: m.value for m in at.main.markdown if m.value.startswith("### ")}
    stretch, therapist = cnt.technique(STRETCH), cnt.technique("therapist_mfr_hip_belly_wall")
    assert (
        md_escape("Dose: Hold 30 seconds · 3 times · each side · once a day · for 8 weeks")
        in (cards[f"### {md_escape(stretch.name)}"])
    )
    assert md_escape(f"How often: {therapist.frequency}") in cards[f"### {md_escape(therapist.name)}"]


BELLY = "supine_fingertip_release"


def steps_shown(at, expander_key: str) -> str:
    """The steps a lazy expander shows once opened (card or builder), as Markdown source."""
    at = open_expander(at, expander_key)
    return "\n".join(m.value for m in at.main.markdown if m.value.startswith("1. "))


def test_a_changed_dose_reads_the_same_in_the_card_and_builder_steps(cnt):
    query = {"h": [STRETCH], "d": [f"{STRETCH}.h45.r2"], "q": "half-kneeling"}
    at = open_page(TECHNIQUES, ack=True, query=query)
    card = next(
        m.value for m in at.main.markdown if m.value.startswith(f"### {md_escape(cnt.technique(STRETCH).name)}")
    )
    assert md_escape("Dose: Hold 45 seconds · twice · each side") in card
    steps = steps_shown(at, f"steps_{STRETCH}")
    assert md_escape("Hold for 45 seconds while breathing normally") in steps
    assert md_escape("held it twice") in steps and "30 seconds" not in steps and "3 times" not in steps
    at = tab(at)
    steps = steps_shown(at, f"print_steps_{STRETCH}")
    assert md_escape("Hold for 45 seconds while breathing normally") in steps and "30 seconds" not in steps


def test_a_deep_belly_dose_is_only_what_the_clinician_types_and_clearing_it_undoes_it(cnt, saved):
    belly = cnt.technique(BELLY)
    at = builder({"h": [BELLY, STRETCH]})
    fields = {n.key: n.value for n in at.main.number_input if n.key.startswith(f"dose_{BELLY}_")}
    assert fields == {keys.dose_key(BELLY, f): None for f in ("hold", "reps", "per_week")}  # empty: no default
    assert plan_on_screen(at)[0][1] == md_escape(f"How often: {belly.frequency}")
    clear = at.button(key=keys.reset_dose_key(BELLY))
    assert clear.label.startswith("Clear dose") and clear.disabled
    assert at.number_input(key=keys.dose_key(BELLY, "hold")).help == "From 5 to 30 seconds."  # tighter than 120

    at.number_input(key=keys.dose_key(BELLY, "hold")).set_value(20).run()
    at.number_input(key=keys.dose_key(BELLY, "per_week")).set_value(2).run()
    line = "Dose: Hold 20 seconds · each side · twice a week (set by your clinician)"
    assert plan_on_screen(at)[0][1] == md_escape(line)
    assert qp(at, "d") == [f"{BELLY}.h20.w2"]
    assert md_escape("Hold light pressure for 20 seconds") in steps_shown(at, f"print_steps_{BELLY}")
    same_plan_in_a_new_session(at)
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved["pdf"])).pages).split())
    assert "Hold light pressure for 20 seconds" in pdf and "set by your clinician" in pdf
    printed = open_page(HANDOUT, ack=True, query={"h": [BELLY], "d": qp(at, "d")})
    md = "\n".join(m.value for m in printed.main.markdown)
    assert md_escape(line) in md and md_escape("Hold light pressure for 20 seconds") in md

    # above the tighter bound: not kept, and said why
    at.number_input(key=keys.dose_key(BELLY, "hold")).set_value(60).run()
    assert [w.value for w in at.main.warning] == [
        "Not kept: Hold (seconds) must be from 5 to 30; 60 is out of range. It stays at 20."
    ]
    assert qp(at, "d") == [f"{BELLY}.h20.w2"]

    # undo: emptying a number takes it out; Clear dose takes out the rest
    at.number_input(key=keys.dose_key(BELLY, "hold")).set_value(None).run()
    assert plan_on_screen(at)[0][1] == md_escape("Dose: Each side · twice a week (set by your clinician)")
    assert qp(at, "d") == [f"{BELLY}.w2"]
    same_plan_in_a_new_session(at)
    at.button(key=keys.reset_dose_key(BELLY)).click().run()
    assert plan_on_screen(at)[0][1] == md_escape(f"How often: {belly.frequency}")
    assert qp(at, "d") == [] and at.number_input(key=keys.dose_key(BELLY, "per_week")).value is None
    same_plan_in_a_new_session(at)
    assert md_escape("about five slow breaths") in steps_shown(at, f"print_steps_{BELLY}")


def test_a_number_out_of_range_is_explained_in_the_page_language():
    """Issue 25: on a Spanish page the builder says in Spanish why a typed number was not kept."""
    at = open_page(
        TECHNIQUES, ack=True, query={"lang": "es", "tab": "handout", "h": [STRETCH], "d": [f"{STRETCH}.h45"]}
    )
    at.number_input(key=keys.dose_key(STRETCH, "hold")).set_value(999).run()
    assert not at.exception
    assert [w.value for w in at.main.warning] == [
        "No se guardó: Mantener (segundos) debe estar entre 5 y 60; 999 queda fuera de ese rango. Se mantiene en 45."
    ]
    assert at.number_input(key=keys.dose_key(STRETCH, "hold")).value == 45
