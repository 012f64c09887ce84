"""Doses: the one table of fields and bounds, the data's default doses, the words, and the `d` link parameter.

A dose out of its bounds or a field that makes no sense stops the app naming file, entry and field; the words
are what the card, builder, sheet and print view show; a link's doses are read back exactly, and every bad
dose (out of range, unknown technique or field, not picked, repeated, over-long) is dropped with a notice.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from psoas_explorer import linkformat as params
from psoas_explorer.content import dose, load
from psoas_explorer.content import model as c
from psoas_explorer.handout import at_home
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.links import build
from psoas_explorer.techniques import filters as F
from tests.support import edit_yaml

STRETCH = "half_kneeling_hip_flexor_stretch"
BALL = "glute_ball_self_massage"
TODAY = date(2026, 11, 26)


def _technique(d, tid):
    return next(t for t in d["techniques"] if t["id"] == tid)


# --- the table and the data ---------------------------------------------------------------------


def test_the_table_has_one_short_distinct_letter_and_sane_bounds_per_field():
    letters = [f.letter for f in c.DOSE_FIELDS]
    assert len(set(letters)) == len(letters) and all(len(x) == 1 and x.isalpha() for x in letters)
    assert [f.name for f in c.DOSE_FIELDS] == [n for n in c.Dose.model_fields if n in c.DOSE_FIELD]
    for f in c.DOSE_FIELDS:
        assert 0 < f.lo < f.hi and f.step >= 1, f


def test_every_home_technique_has_a_default_dose_within_bounds_and_no_therapist_session_has_one(cnt):
    for t in cnt.techniques.techniques:
        if t.performer == "therapist":
            assert t.dose is None, t.id
            continue
        if t.dose is None:  # the text gives no count at all (foam rolling: "after training or on rest days")
            continue
        for field, value in t.dose.numbers().items():
            assert c.dose_problem(field, value) is None, (t.id, field)
        assert t.dose.source or "conservative starting point" in t.dose.basis.lower(), t.id
        if t.dose.source:
            assert t.dose.review is not None and t.dose.source in t.dose.review.checked, t.id
    with_dose = [t for t in cnt.techniques.techniques if t.dose]
    assert len(with_dose) >= 12


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t["dose"].update(hold=600), ["'half_kneeling_hip_flexor_stretch'", "field 'dose.hold'", "600"]),
        (lambda t: t["dose"].update(reps=0), ["'half_kneeling_hip_flexor_stretch'", "field 'dose.reps'", "from 1"]),
        (lambda t: t["dose"].update(per_week=3), ["field 'dose'", "not both"]),
        (lambda t: t["dose"].update(sets=2, reps=None), ["field 'dose'", "sets need repetitions"]),
        (lambda t: t["dose"].update(minutes=5), ["field 'dose.minutes'", "Extra inputs"]),
        (lambda t: t["dose"].update(basis="Thirty seconds."), ["field 'dose'", "conservative starting point"]),
    ],
    ids=["hold-too-long", "no-repetitions", "day-and-week", "sets-without-reps", "unknown-field", "no-basis"],
)
def test_a_broken_default_dose_stops_the_app_naming_file_entry_and_field(data_copy, change, expected):
    edit_yaml(data_copy, "techniques.yaml", lambda d: change(_technique(d, STRETCH)))
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    message = str(err.value)
    for part in ["techniques.yaml", *expected]:
        assert part in message, (part, message)


def test_a_therapist_session_with_a_dose_is_rejected(data_copy):
    edit_yaml(
        data_copy,
        "techniques.yaml",
        lambda d: _technique(d, "therapist_psoas_release").update(
            dose={"per_week": 3, "source": "siglan2023", "basis": "As in the trial."}
        ),
    )
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    assert "'therapist_psoas_release', field 'dose'" in str(err.value) and "therapist" in str(err.value)


def test_a_dose_source_the_review_did_not_read_is_a_rule_problem(data_copy):
    edit_yaml(data_copy, "techniques.yaml", lambda d: _technique(d, STRETCH)["dose"].update(source="youdas1996x"))
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    assert f"entry '{STRETCH}', field 'dose.source'" in str(err.value)


# --- words --------------------------------------------------------------------------------------


def test_the_dose_in_words(cnt):
    stretch = cnt.technique(STRETCH)
    assert dose.words(stretch) == "Hold 30 seconds · 3 times · each side · once a day · for 8 weeks"
    assert dose.words(stretch, {"hold": 45, "per_day": 2}) == (
        "Hold 45 seconds · 3 times · each side · twice a day · for 8 weeks"
    )
    one = "Hold 30 seconds · once · each side · once a day · for 1 week"
    assert dose.words(stretch, {"reps": 1, "weeks": 1}) == one
    assert dose.words(cnt.technique("hip_flexor_strengthening")) == "Repeat 10 times · each side · 3 times a week"
    assert dose.words(cnt.technique("consumer_fascia_tool_light")) == "Twice a week"
    assert dose.words(cnt.technique("therapist_psoas_release")) == ""
    assert dose.line(cnt.technique("therapist_psoas_release")).startswith("How often: Up to three times a week")


def test_changes_out_of_bounds_or_for_fields_it_lacks_are_ignored(cnt):
    stretch = cnt.technique(STRETCH)
    assert dose.amounts(stretch, {"hold": 999, "per_week": 3, "reps": 5}) == {
        "hold": 30,
        "reps": 5,
        "per_day": 1,
        "weeks": 8,
    }
    assert dose.changes(stretch, {"hold": 30, "reps": 5}) == {"reps": 5}  # the default is not a change


# --- the link -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec(cnt):
    return F.technique_params(cnt)


def _query(encoded):
    return {k: v if isinstance(v, list) else [v] for k, v in encoded.items()}


def test_picks_order_and_changed_doses_round_trip_through_a_link(spec):
    values = F.values_from_filters(F.Filters(), [BALL, STRETCH], {STRETCH: {"hold": 45, "reps": 2}, BALL: {}})
    encoded = params.encode(values, spec)
    assert encoded == {"h": [BALL, STRETCH], "d": [f"{STRETCH}.h45.r2"]}
    back, notices = params.parse(_query(encoded), spec)
    assert notices == []
    assert back["h"] == (BALL, STRETCH) and back["d"] == {STRETCH: {"hold": 45, "reps": 2}}


def test_a_link_without_changes_has_no_d(spec):
    assert "d" not in params.encode(F.values_from_filters(F.Filters(), [STRETCH], {}), spec)
    values, notices = params.parse({"h": [STRETCH], "d": [f"{STRETCH}.h30"]}, spec)  # the default: dropped quietly
    assert values["d"] == {} and notices == []


@pytest.mark.parametrize(
    ("d", "expected_notice"),
    [
        ([f"{STRETCH}.h999"], "Hold (seconds) must be from 5 to 60; 999 is out of range"),  # the stretch's own bound
        ([f"{STRETCH}.r0"], "Repetitions must be from 1 to 5"),
        (["no_such_technique.h40"], "not a technique with a dose"),
        (["therapist_psoas_release.w2"], "not a technique with a dose"),
        ([f"{STRETCH}.x4"], "not a dose setting it has"),
        ([f"{STRETCH}.w3"], "not a dose setting it has"),  # times a week: this stretch is dosed per day
        ([f"{STRETCH}.h"], "not a dose setting it has"),
        ([f"{STRETCH}.h40.h50"], "came twice"),
        (["post_run_recovery.h40"], "not in the plan"),
        ([f"{STRETCH}.h40", f"{STRETCH}.h50"], "more than once"),
        ([f"{STRETCH}." + ".".join(["h40"] * 30)], "longer than 80 characters"),
        ([f"{STRETCH}.h<script>"], "not a dose setting it has"),
    ],
    ids=[
        "out-of-range",
        "zero-reps",
        "unknown-technique",
        "therapist-no-dose",
        "unknown-letter",
        "field-it-lacks",
        "no-number",
        "field-twice",
        "not-picked",
        "dose-twice",
        "over-long",
        "markup",
    ],
)
def test_bad_doses_are_dropped_with_a_plain_notice(spec, d, expected_notice):
    values, notices = params.parse({"h": [STRETCH, BALL], "d": d}, spec)
    assert any(expected_notice in n for n in notices), notices
    assert all("<" not in n and ">" not in n for n in notices)
    assert values["h"] == (STRETCH, BALL)
    assert values["d"].get(STRETCH, {}).get("hold") in (None, 40)  # only a valid first value is ever kept
    assert "post_run_recovery" not in values["d"]


def test_a_technique_picked_twice_is_kept_once_with_a_notice(spec):
    values, notices = params.parse({"h": [STRETCH, BALL, STRETCH]}, spec)
    assert values["h"] == (STRETCH, BALL)
    assert any("more than once in 'h'" in n for n in notices), notices


def test_too_many_values_are_cut_with_a_notice(spec):
    values, notices = params.parse({"h": [STRETCH] * 50}, spec)
    assert values["h"] == (STRETCH,)
    assert any(f"read the first {params.MAX_VALUES}" in n for n in notices), notices


# --- the sheet ----------------------------------------------------------------------------------


def test_the_handout_link_and_the_plan_url_carry_picks_order_and_changed_doses():
    link = build.handout([BALL, STRETCH], doses={STRETCH: {"hold": 45}, "not_picked": {"hold": 20}})
    assert link.query == {"h": [BALL, STRETCH], "d": [f"{STRETCH}.h45"]}
    url = sheet_plan.plan_url([BALL, STRETCH], "https://psoas.example.org", {STRETCH: {"hold": 45, "per_day": 2}})
    assert url == f"https://psoas.example.org/handout?h={BALL}&h={STRETCH}&d={STRETCH}.h45.d2"


def test_sheet_and_print_view_give_each_picks_dose_in_words_in_the_chosen_order(cnt):
    doses = {STRETCH: {"hold": 45, "per_day": 2}}
    md = "\n\n".join(at_home.plan_markdown(cnt, [STRETCH, BALL], doses))  # the patient's view
    stretch_at, ball_at = md.index("Half\\-kneeling"), md.index("Buttock self")
    assert stretch_at < ball_at
    assert "Dose\\: Hold 45 seconds · 3 times · each side · twice a day · for 8 weeks" in md[stretch_at:ball_at]
    assert "Dose\\: Each side · once a day" in md[ball_at:]
    pdf = sheet_pdf.handout_pdf(cnt, [BALL, STRETCH], today=TODAY, doses=doses, base_url="https://psoas.example.org")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert text.index("1. Buttock self") < text.index("2. Half-kneeling")
    assert "Dose: Hold 45 seconds · 3 times · each side · twice a day · for 8 weeks" in text
    assert f"d={STRETCH}.h45.d2" in text.replace(" ", "")


def test_a_plan_keeps_only_valid_changes_of_kept_techniques(cnt):
    p = sheet_plan.plan(
        cnt, [STRETCH], {STRETCH: {"hold": 30, "reps": 99, "per_week": 2, "per_day": 3}, BALL: {"per_day": 2}}
    )
    assert p.doses == {STRETCH: {"per_day": 3}}


def test_the_longest_plan_link_with_every_dose_changed_still_decodes_from_the_printed_qr_code(cnt):
    from tests.unit.test_handout import qr_links

    def moved(t):  # each number at its technique's own upper bound (one less where that is the default)
        nums = t.dose.numbers()
        return dose.changes(t, {f: top if (top := dose.limit(t, f)) != v else v - 1 for f, v in nums.items()})

    changeable = [t for t in cnt.techniques.techniques if t.dose and moved(t)]
    ids = sorted((t.id for t in changeable), key=len)[-sheet_plan.MAX_TECHNIQUES :]
    doses = {t: moved(cnt.technique(t)) for t in ids}
    base = "https://psoas-explorer.example.org/clinic"
    url = sheet_plan.plan_url(ids, base, doses)
    assert url.count("d=") == sheet_plan.MAX_TECHNIQUES and len(url) < 600
    pdf = sheet_pdf.handout_pdf(cnt, ids, today=TODAY, doses=doses, base_url=base)
    assert qr_links(pdf, dpi=150) == [url]  # a plain office print resolution
    assert len(PdfReader(io.BytesIO(pdf)).pages) - sheet_pdf.LOG_PAGES <= 2


def test_a_spanish_page_says_in_spanish_what_it_left_out_of_its_link(spec):
    """Issue 25: every kind of dropped value is named in the page's language, the visitor's value quoted as it came
    (made safe), and as many notices as in English."""
    from tests.app.test_spanish_trace import english_words

    query = {
        "h": [STRETCH, BALL, STRETCH, "nope"],
        "d": [
            f"{STRETCH}.h999.x4.r2.r3",
            f"{STRETCH}.h40",
            "no_such_technique.h40",
            "post_run_recovery.h40",
            f"{BALL}." + ".".join(["h40"] * 30),
        ],
        "zz": ["1"],
        "q": ["x" * 500, "y"],
    }
    _, english = params.parse(query, spec)
    values, spanish = params.parse(query, spec, "es")
    assert values == params.parse(query, spec)[0]
    assert len(spanish) == len(english) >= 9, spanish
    assert all(english_words(n) == [] for n in spanish), spanish
    assert (
        "Se ignoró una dosis de «half_kneeling_hip_flexor_stretch»: Mantener (segundos) debe estar entre 5 y 60; "
        "999 queda fuera de ese rango." in spanish
    )
    assert "Se ignoró el ajuste de enlace desconocido «zz»." in spanish
