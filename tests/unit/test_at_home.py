"""What the follow-along counts (handout/at_home.py): the dose in force as numbers the browser's timer uses."""

from __future__ import annotations

from psoas_explorer.handout import at_home


def counted(cnt, tid: str, doses=None) -> dict:
    (item,) = at_home.follow_data(cnt, [tid], doses)["techniques"]
    return {k: item[k] for k in ("hold", "reps", "sets", "sides")}


def test_a_hold_without_repetitions_is_held_once_on_each_side(cnt):
    assert counted(cnt, "chair_back_tool_lean") == {"hold": 60, "reps": 1, "sets": 1, "sides": list(at_home.SIDES)}


def test_repetitions_without_a_hold_are_counted_without_a_timer(cnt):
    assert counted(cnt, "desk_movement_breaks") == {"hold": 0, "reps": 10, "sets": 1, "sides": list(at_home.SIDES)}


def test_a_therapists_session_has_steps_but_nothing_to_count(cnt):
    assert counted(cnt, "therapist_psoas_release") == {"hold": 0, "reps": 0, "sets": 1, "sides": []}


def test_a_changed_dose_is_what_is_counted_and_an_unsafe_one_is_not(cnt):
    tid = "half_kneeling_hip_flexor_stretch"
    assert counted(cnt, tid, {tid: {"hold": 45, "reps": 2}})["hold"] == 45
    assert counted(cnt, tid, {tid: {"hold": 45, "reps": 2}})["reps"] == 2
    assert counted(cnt, tid, {tid: {"hold": 999}})["hold"] == 30  # out of bounds: the default stays


def test_intro_counts_the_techniques():
    assert at_home.intro(1).startswith("Your plan has one technique,")
    assert at_home.intro(3).startswith("Your plan has 3 techniques,")
