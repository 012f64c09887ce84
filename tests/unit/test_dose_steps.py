"""Dose and steps agree everywhere (issue 22), and deep belly self-work carries only the dose a clinician types,
within tighter bounds (issue 21).

A step names the numbers its dose governs as fields (``Hold for {hold}``); ``dose.steps`` fills them from the
dose in force, and the card, builder, patient's view, print view and PDF all show the steps through it. A content
rule rejects a step that hard-codes such a number, and a field the dose does not have.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from psoas_explorer import linkformat as params
from psoas_explorer.content import dose
from psoas_explorer.content import model as c
from psoas_explorer.content import rules as R
from psoas_explorer.content.load import load_content
from psoas_explorer.handout import at_home
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.techniques.filters import technique_params
from tests.support import ROOT, edit_yaml

STRETCH = "half_kneeling_hip_flexor_stretch"
BELLY = "supine_fingertip_release"
TODAY = dt.date(2026, 12, 7)
BASE = "cd49c4c"  # the last commit before the steps took their numbers from the dose


def _technique(d, tid):
    return next(t for t in d["techniques"] if t["id"] == tid)


def _flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


# --- the steps say the dose in force -------------------------------------------------------------


def test_steps_carry_the_default_dose_and_a_changed_one(cnt):
    t = cnt.technique(STRETCH)
    assert "Hold for 30 seconds while breathing normally, then ease back." in dose.steps(t)
    assert "When you have held it 3 times in all, switch sides." in dose.steps(t)
    changed = dose.steps(t, {"hold": 45, "reps": 2})
    assert "Hold for 45 seconds while breathing normally, then ease back." in changed
    assert "When you have held it twice in all, switch sides." in changed
    assert "When you have held it once in all, switch sides." in dose.steps(t, {"reps": 1})
    assert not any("{" in s or "}" in s for t in cnt.techniques.techniques for s in dose.steps(t))


def test_amounts_are_said_right_for_one_and_for_many():
    assert [dose.amount_words("reps", n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]
    assert [dose.amount_words("per_day", n) for n in (1, 2, 4)] == ["once a day", "twice a day", "4 times a day"]
    assert [dose.amount_words("per_week", n) for n in (1, 3)] == ["once a week", "3 times a week"]
    assert [dose.amount_words("sets", n) for n in (1, 2)] == ["1 set", "2 sets"]
    assert [dose.amount_words("weeks", n) for n in (1, 8)] == ["1 week", "8 weeks"]
    assert dose.amount_words("hold", 45) == "45 seconds"


def test_the_print_view_and_the_pdf_show_a_changed_dose_in_the_steps_never_the_old_one(cnt):
    doses = {STRETCH: {"hold": 45, "reps": 2}}
    md = "\n\n".join(at_home.plan_markdown(cnt, [STRETCH], doses))  # the patient's view
    text = pdf_text(sheet_pdf.handout_pdf(cnt, [STRETCH], today=TODAY, doses=doses))
    for shown in (md.replace("\\", ""), text):
        assert "Hold for 45 seconds while breathing normally" in shown
        assert "held it twice" in shown
        assert "30 seconds" not in shown and "held it 3 times" not in shown and "thirty" not in shown


# --- the rule ------------------------------------------------------------------------------------


def test_the_shipped_steps_take_their_numbers_from_the_dose(cnt):
    assert list(R.steps_take_numbers_from_the_dose(cnt)) == []


def test_hard_coded_numbers_in_steps_fail_on_the_data_before(tmp_path: Path):
    dest = tmp_path / "data"
    (dest / "geometry").mkdir(parents=True)
    for name in [*c.FILES, "geometry/model.yaml"]:
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASE}:data/{name}"], capture_output=True, text=True)
        if shown.returncode:
            pytest.skip(f"commit {BASE} is not in this clone")
        (dest / name).write_text(shown.stdout, encoding="utf-8")
    problems = list(R.steps_take_numbers_from_the_dose(load_content(dest, check_rules=False)))
    said = {(p.entry, re.search(r"says '([^']+)'", p.message).group(1)) for p in problems}  # type: ignore[union-attr]
    # the example: the steps said thirty seconds and two or three times whatever the dose
    assert {(STRETCH, "thirty seconds"), (STRETCH, "two or three times")} <= said
    assert ("partner_prone_hip_extension", "twice") in said  # the steps said twice, the dose 3 times
    assert ("hip_flexor_strengthening", "ten lifts") in said
    assert ("supine_tool_release", "five slow breaths") in said  # deep belly: the clinician's hold, if any


@pytest.mark.parametrize(
    ("change", "entry", "says"),
    [
        (lambda t: t["steps"].__setitem__(4, "Hold for about thirty seconds, then ease back."), STRETCH, "thirty"),
        (lambda t: t["steps"].__setitem__(5, "Repeat twice, then switch sides."), STRETCH, "'twice'"),
        (lambda t: t["steps"].__setitem__(5, "Do {sets} of these."), STRETCH, "{sets}, which its dose does not"),
        (lambda t: t["steps"].__setitem__(5, "Hold for {hold}."), BELLY, "{hold} has no default"),
        (lambda t: t["steps"].__setitem__(5, "Hold for {hold|ten breaths}."), "clinician_assessment", "{hold}, which"),
    ],
)
def test_a_step_breaking_the_rule_is_named(data_copy, change, entry, says):
    edit_yaml(data_copy, "techniques.yaml", lambda d: change(_technique(d, entry)))
    problems = [str(p) for p in R.steps_take_numbers_from_the_dose(load_content(data_copy, check_rules=False))]
    assert any(f"'{entry}'" in p and says in p for p in problems), problems


def test_a_number_the_dose_does_not_govern_is_allowed(cnt):
    # "walk for a minute", "a few breaths" and "two or three fingertips" are not the dose's hold or repetitions
    texts = ("Stand up and walk for a minute.", "Hug both knees up for a few breaths.", "Rest two or three fingertips.")
    assert not any(R.HARD_CODED[f].search(s) for f in ("hold", "reps") for s in texts)
    assert R.HARD_CODED["reps"].search("Speak up at once if it hurts.") is None


# --- deep belly self-work: only what the clinician types, within tighter bounds ------------------------


def test_deep_belly_self_work_has_empty_fields_with_tighter_bounds(cnt):
    t = cnt.technique(BELLY)
    assert t.dose is None
    assert dose.editable(t) == dict.fromkeys(c.DEEP_BELLY_DOSE)  # every field starts empty
    for field, hi in c.DEEP_BELLY_DOSE.items():
        assert hi < c.DOSE_FIELD[field].hi  # tighter than the general table
        assert dose.limit(t, field) == hi
        assert dose.problem(t, field, hi) is None and dose.problem(t, field, hi + 1) is not None
    assert dose.words(t) == "" and dose.line(t) == f"How often: {t.frequency}"  # nothing but its own words
    assert dose.editable(cnt.technique("therapist_psoas_release")) == {}  # a therapist's session: no home dose


def test_a_typed_deep_belly_dose_is_shown_as_set_by_the_clinician(cnt):
    t = cnt.technique(BELLY)
    typed = {"hold": 20, "reps": 2, "per_week": 2}
    assert dose.changes(t, typed) == typed
    assert dose.line(t, typed) == "Dose: Hold 20 seconds · twice · each side · twice a week (set by your clinician)"
    assert "Hold light pressure for 20 seconds, then ease off." in dose.steps(t, typed)
    assert "Hold light pressure for about five slow breaths, then ease off." in dose.steps(t)
    assert dose.amounts(t, {"hold": 60, "per_day": 2}) == {}  # above the bound, and a field it does not have


def test_a_link_over_the_deep_belly_bounds_is_dropped_with_a_notice_and_an_old_link_reopens(cnt):
    spec = technique_params(cnt)
    values, notices = params.parse({"h": [BELLY], "d": [f"{BELLY}.h20.w2"]}, spec)
    assert values["d"] == {BELLY: {"hold": 20, "per_week": 2}} and notices == []
    values, notices = params.parse({"h": [BELLY], "d": [f"{BELLY}.h60.r2"]}, spec)
    assert values["d"] == {BELLY: {"reps": 2}}
    assert notices == [f"Ignored a dose for '{BELLY}': Hold (seconds) must be from 5 to 30; 60 is out of range."]
    old, old_notices = params.parse({"h": ["supine_tool_release"], "d": ["supine_tool_release.h20.w2"]}, spec)
    assert old == params.parse({"h": [BELLY], "d": [f"{BELLY}.h20.w2"]}, spec)[0] and old_notices == []
    assert params.encode(old, spec)["d"] == [f"{BELLY}.h20.w2"]


def test_deep_belly_bounds_have_one_home():
    source = (ROOT / "psoas_explorer").rglob("*.py")
    homes = [p for p in source if re.search(r"DEEP_BELLY_DOSE\b[^\n]*=", p.read_text(encoding="utf-8"))]
    assert [p.relative_to(ROOT).as_posix() for p in homes] == ["psoas_explorer/content/model.py"]


# --- the printed log (issue 22) -------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_ends_with_a_log_of_six_weeks_or_the_plans_course_with_a_weekly_pain_score(cnt, paper):
    from psoas_explorer.handout import plan as sheet_plan

    pdf = sheet_pdf.handout_pdf(cnt, [STRETCH, BELLY], today=TODAY, paper=paper, doses={STRETCH: {"weeks": 10}})
    reader = PdfReader(io.BytesIO(pdf))
    last = _flat(reader.pages[-1].extract_text())
    assert last.startswith(sheet_plan.LOG_TITLE)
    assert _flat(sheet_plan.LOG_HOW) in last and _flat(sheet_plan.LOG_RISES) in last  # all on the one page
    assert "Week 10" in last and "Week 11" not in last and "Day 7" in last and "Pain 0–10" in last
    assert not any(sheet_plan.LOG_TITLE in p.extract_text() for p in reader.pages[:-1])  # the sheet is untouched
    short = PdfReader(io.BytesIO(sheet_pdf.handout_pdf(cnt, [BELLY], today=TODAY, paper=paper)))
    assert "Week 6" in short.pages[-1].extract_text() and "Week 7" not in short.pages[-1].extract_text()


def test_the_printed_patients_view_carries_the_same_log(cnt):
    from psoas_explorer.content.text import md_escape
    from psoas_explorer.handout import plan as sheet_plan

    log = "\n".join(at_home.log_markdown(sheet_plan.log_weeks(sheet_plan.plan(cnt, [BELLY]))))
    assert log.startswith(f"## {md_escape(sheet_plan.LOG_TITLE)}")
    assert md_escape(sheet_plan.LOG_HOW) in log and md_escape(sheet_plan.LOG_RISES) in log
    rows = [line for line in log.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 6 and all(row.count("☐") == 7 for row in rows)
