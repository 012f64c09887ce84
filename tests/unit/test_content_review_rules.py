"""The content rules added for issue 21, each shown to catch its class of problem.

Every rule is checked three ways: the shipped data passes it; the data as it was before issue 21 (commit
e67bb8c, read with ``git show``) fails it, on the very items the issue names; and a small break of today's data
fails it again (so the test still means something where the old commit is not in the clone).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import yaml

from psoas_explorer.content import dose, findings, review, text
from psoas_explorer.content import model as c
from psoas_explorer.content import rules as R
from psoas_explorer.content.load import load_content
from tests.support import DATA, ROOT, edit_yaml

OLD = "e67bb8c"  # the last commit before issue 21's content pass
DATA_FILES = [*c.FILES, "geometry/model.yaml"]


@pytest.fixture(scope="module")
def old_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data files of commit OLD in a folder of their own (skipped where the clone lacks that commit)."""
    dest = tmp_path_factory.mktemp("old") / "data"
    (dest / "geometry").mkdir(parents=True)
    for name in DATA_FILES:
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{OLD}:data/{name}"], capture_output=True, text=True, check=False
        )
        if shown.returncode:
            pytest.skip(f"commit {OLD} is not in this clone")
        text = shown.stdout
        if name == "techniques.yaml":  # the one vocabulary value issue 21 removed ("firm"), so the old file loads
            text = text.replace("intensity: firm", "intensity: gentle")
        (dest / name).write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def old(old_data: Path) -> c.Content:
    return load_content(old_data, check_rules=False)


def _problems(rule: R.Rule, cnt: c.Content) -> list[R.Problem]:
    return list(rule(cnt))


def _entries(problems: list[R.Problem]) -> set[str]:
    return {p.entry for p in problems}


def _technique(d, tid):
    return next(t for t in d["techniques"] if t["id"] == tid)


def _restate(d, tid, note):
    """The old way: a goal note restating a study's result in its own words, with no finding pointed at."""
    posture = next(ge for ge in _technique(d, tid)["goal_evidence"] if ge["goal"] == "posture")
    posture.pop("findings")
    posture["note"] = note


NEW_RULES = [
    R.reviews_cover_changes,
    R.doses_show_their_basis,
    R.dose_bounds_fit_the_technique,
    R.deep_belly_is_fingertips_only,
    R.poses_have_a_basis,
    R.grays_citations_point_to_grays,
    R.findings_resolve,
    R.results_point_at_findings,
]


@pytest.mark.parametrize("rule", [*NEW_RULES, R.every_item_has_a_review], ids=lambda r: r.__name__)
def test_the_shipped_content_passes_every_new_rule(cnt, rule):
    assert _problems(rule, cnt) == []
    assert R.geometry_problems(DATA) == []


# --- each rule fails on the data before issue 21 ----------------------------------------------------


def test_rigid_tool_and_ready_made_dose_in_deep_belly_work_fail_on_the_old_data(old):
    problems = _problems(R.deep_belly_is_fingertips_only, old)
    fields = {(p.entry, p.field) for p in problems}
    assert ("supine_tool_release", "equipment") in fields  # the hook tool
    assert ("supine_tool_release", "pose.acts_by") in fields  # drawn with a tool
    assert ("supine_tool_release", "dose") in fields  # a ready-made dose
    assert ("supine_tool_release", "text") in fields  # "you feel a pulse under the tool"


def test_doses_without_their_basis_fail_on_the_old_data(old):
    problems = _problems(R.doses_show_their_basis, old)
    assert {"partner_prone_hip_extension", "standing_office_hip_flexor_stretch"} <= _entries(problems)
    assert all(p.field == "dose.says" for p in problems)


def test_one_bound_for_every_technique_fails_on_the_old_data(old):
    problems = _problems(R.dose_bounds_fit_the_technique, old)
    assert {t.id for t in old.techniques.techniques if t.dose} == _entries(problems)


def test_reviews_older_than_the_doses_and_pictures_fail_on_the_old_data(old):
    missing = _problems(R.every_item_has_a_review, old)
    fields = {(p.entry, p.field) for p in missing}
    assert ("partner_prone_hip_extension", "dose.reviews") in fields  # doses were added after the last review
    assert ("glute_ball_self_massage", "pose.reviews") in fields  # so were the pictures
    assert any("names no role" in p.message for p in missing)
    stale = _problems(R.reviews_cover_changes, old)
    assert ("glute_ball_self_massage", "pose.changed") in {(p.entry, p.field) for p in stale}


def test_poses_without_a_basis_fail_on_the_old_data(old):
    assert _entries(_problems(R.poses_have_a_basis, old)) == {t.id for t in old.techniques.techniques}


def test_grays_citations_that_point_elsewhere_fail_on_the_old_data(old, old_data):
    refs = _problems(R.grays_citations_point_to_grays, old)
    assert {(p.entry, p.field) for p in refs} == {("grays1918", "url"), ("grays1918", "note")}  # no link; IMAIOS
    geometry = R.geometry_problems(old_data)
    assert {"grays1918", "visceral_relations"} <= _entries(geometry)  # IMAIOS; a 19th-century arteries text
    assert all("imaios" in p.message or "bookdome" in p.message or "downstate" in p.message for p in geometry)


def test_restated_results_fail_on_the_old_data(old):
    problems = _problems(R.results_point_at_findings, old)
    where = {(p.entry, p.field) for p in problems}
    # the wrong Youdas 1996 restatement in the stretches' posture notes, and the overview's back-arch claim
    assert ("half_kneeling_hip_flexor_stretch", "goal_evidence.posture.findings") in where
    assert ("standing_office_hip_flexor_stretch", "goal_evidence.posture.findings") in where
    assert ("back_pain_arch", "findings") in where


# --- each rule fails on a small break of today's data ----------------------------------------------


def _rule_problems(folder: Path, rule: R.Rule) -> list[R.Problem]:
    return list(rule(load_content(folder, check_rules=False)))


@pytest.mark.parametrize(
    ("rule", "change", "entry", "field"),
    [
        (
            R.deep_belly_is_fingertips_only,
            lambda d: _technique(d, "supine_fingertip_release")["equipment"].append("massage_ball"),
            "supine_fingertip_release",
            "equipment",
        ),
        (
            R.deep_belly_is_fingertips_only,
            lambda d: _technique(d, "supine_fingertip_release").update(
                dose={"reps": 3, "per_week": 3, "basis": "A conservative starting point."}
            ),
            "supine_fingertip_release",
            "dose",
        ),
        (
            R.doses_show_their_basis,
            lambda d: _technique(d, "partner_prone_hip_extension")["dose"].update(source="hatefi2021"),
            "partner_prone_hip_extension",
            "dose.says",
        ),
        (
            R.doses_show_their_basis,
            lambda d: _technique(d, "bed_edge_hip_flexor_stretch")["dose"].pop("says"),
            "bed_edge_hip_flexor_stretch",
            "dose.says",
        ),
        (
            R.dose_bounds_fit_the_technique,
            lambda d: _technique(d, "bed_edge_hip_flexor_stretch")["dose"].update(upto={"hold": 60}),
            "bed_edge_hip_flexor_stretch",
            "dose.upto",
        ),
        (
            R.reviews_cover_changes,
            lambda d: _technique(d, "glute_ball_self_massage")["pose"].update(changed=dt.date(2027, 1, 5)),
            "glute_ball_self_massage",
            "pose.changed",
        ),
        (
            R.reviews_cover_changes,
            lambda d: _technique(d, "desk_movement_breaks")["dose"].update(changed=dt.date(2027, 1, 5)),
            "desk_movement_breaks",
            "dose.changed",
        ),
        (
            R.poses_have_a_basis,
            lambda d: _technique(d, "desk_movement_breaks")["pose"].pop("basis"),
            "desk_movement_breaks",
            "pose.basis",
        ),
        (
            R.results_point_at_findings,
            lambda d: _restate(d, "half_kneeling_hip_flexor_stretch", "Hip flexor length was not related to posture."),
            "half_kneeling_hip_flexor_stretch",
            "goal_evidence.posture.findings",
        ),
        (
            R.findings_resolve,
            lambda d: _technique(d, "desk_movement_breaks").update(findings=["youdas1996#men_lordosis"]),
            "desk_movement_breaks",
            "findings",
        ),
    ],
    ids=[
        "tool-in-belly",
        "belly-dose",
        "study-named-without-says",
        "no-says",
        "bound-missing",
        "pose-changed-after-review",
        "dose-changed-after-review",
        "pose-without-basis",
        "result-restated",
        "finding-of-uncited-study",
    ],
)
def test_each_new_rule_catches_a_break_of_todays_data(data_copy, rule, change, entry, field):
    edit_yaml(data_copy, "techniques.yaml", change)
    problems = _rule_problems(data_copy, rule)
    assert (entry, field) in {(p.entry, p.field) for p in problems}, problems
    with pytest.raises(c.ContentError, match=field.replace(".", r"\.")):
        load_content(data_copy)  # and the loader stops the app with it


def test_a_review_without_role_or_verdict_is_a_problem(data_copy):
    edit_yaml(data_copy, "myths_faq.yaml", lambda d: [r.pop("verdict") for r in d["faqs"][0]["reviews"]])
    edit_yaml(data_copy, "myths_faq.yaml", lambda d: d["faqs"][1]["reviews"][-1].update(role="Dr Invented Name"))
    messages = [p.message for p in _rule_problems(data_copy, R.every_item_has_a_review)]
    assert any("gives no verdict" in m for m in messages) and any("names no role" in m for m in messages)


def test_a_grays_citation_linking_elsewhere_is_a_problem(data_copy):
    edit_yaml(
        data_copy,
        "references.yaml",
        lambda d: next(r for r in d if r["id"] == "grays1918").update(
            url="https://www.imaios.com/en/e-anatomy/anatomical-structures/psoas-major-muscle"
        ),
    )
    problems = _rule_problems(data_copy, R.grays_citations_point_to_grays)
    assert [(p.entry, p.field) for p in problems] == [("grays1918", "url")]
    model = data_copy / "geometry" / "model.yaml"
    raw = yaml.safe_load(model.read_text(encoding="utf-8"))
    next(s for s in raw["sources"] if s["id"] == "visceral_relations")["citation"] += " (after Gray's Anatomy, 1918)"
    model.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert _entries(R.geometry_problems(data_copy)) == {"visceral_relations"}


# --- what the rules protect, as a person sees it -------------------------------------------------------


def test_a_goal_note_shows_the_finding_in_the_references_words(cnt):
    t = cnt.technique("half_kneeling_hip_flexor_stretch")
    posture = next(ge for ge in t.goal_evidence if ge.goal == "posture")
    text = findings.goal_note(cnt, posture)
    men = cnt.finding("youdas1996#men_lordosis")
    assert men is not None and men[1] in text and "Youdas et al. 1996" in text
    assert "not related" not in posture.note  # the old, wrong restatement is gone


def test_every_dose_shows_its_basis_and_a_changed_dose_rests_on_the_clinician(cnt):
    for t in cnt.techniques.techniques:
        if t.dose is None:
            continue
        assert dose.line(t).endswith(f"({dose.basis(t)})"), t.id
        assert dose.basis(t) in (text.CAUTIOUS_START, t.dose.says), t.id
    stretch = cnt.technique("bed_edge_hip_flexor_stretch")
    assert dose.line(stretch).endswith("(a cautious start; no study gives a dose)")
    assert dose.line(stretch, {"hold": 45}).endswith("(set by your clinician)")


def test_no_deep_belly_technique_has_a_dose_or_a_tool(cnt):
    for t in cnt.techniques.techniques:
        if t.deep_belly:
            assert t.dose is None and dose.line(t).startswith("How often:"), t.id
            assert not set(t.equipment) & R.RIGID_TOOLS and t.pose.acts_by == "hands", t.id


def test_dose_bounds_fit_each_technique_not_twelve_two_minute_holds_for_everything(cnt):
    partner = cnt.technique("partner_prone_hip_extension")
    assert dose.limit(partner, "hold") == 30 and dose.problem(partner, "hold", 120)
    assert dose.bounds_help(partner, "hold") == "From 5 to 30 seconds."
    held = [t for t in cnt.techniques.techniques if t.dose and "hold" in t.dose.numbers()]
    assert held and all(dose.limit(t, "hold") <= 60 for t in held)  # the table allows 120 s
    assert all(dose.limit(t, "per_day") < 12 for t in held if "per_day" in t.dose.numbers())


def test_the_footer_date_is_the_latest_real_review_and_only_when_every_item_is_covered(cnt, data_copy):
    last, due = review.review_dates(cnt) or (None, None)
    records = [r.date for _f, _e, _field, item in R.reviewed_parts(cnt) for r in item.reviews]
    assert last == max(records)
    assert due is not None and due.year == min(item.review.date for *_, item in R.reviewed_parts(cnt)).year + 3
    edit_yaml(
        data_copy,
        "techniques.yaml",
        lambda d: _technique(d, "desk_movement_breaks")["dose"].update(changed=dt.date(2027, 1, 5)),
    )
    stale = load_content(data_copy, check_rules=False)
    assert review.review_line(stale).startswith("Some statements on this page have not been checked")


def test_the_review_log_has_a_row_per_review_with_role_and_verdict(cnt):
    rows = review.log_rows(cnt)
    pictures = [r for r in rows if r["Section"] == "Techniques: picture"]
    records = sum(len(t.pose.reviews) for t in cnt.techniques.techniques)  # a second review adds a row, not a picture
    assert len(pictures) == records >= len(cnt.techniques.techniques)
    assert all(r["By"] in ("content review against sources", "second content review against sources") for r in rows)
    assert {r["Verdict"] for r in rows} <= {"holds", "fix", "cannot verify"}


def test_the_old_data_still_loads_so_the_rules_can_say_what_it_lacks(old_data):
    old = load_content(old_data, check_rules=False)  # the old single `review:` is read as one record
    assert old.technique("supine_tool_release").reviews[0].date == dt.date(2026, 11, 25)
    with pytest.raises(c.ContentError, match="content rule problem"):
        load_content(old_data)
