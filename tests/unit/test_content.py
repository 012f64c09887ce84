"""Content validation: broken files are rejected with file, entry and field named.

How the app shows a broken file, and loads the content once, is in tests/app/test_content_loading.py.
"""

import pytest
import yaml

from psoas_explorer.content import load
from psoas_explorer.content import model as c
from tests.support import DATA, edit_yaml


def test_real_content_is_valid_and_every_claim_cites_existing_references(cnt):
    ref_ids = {r.id for r in cnt.references}
    legend = {b.id for b in cnt.evidence.badges}
    claims = list(cnt.claims())
    assert len(claims) > 40
    for _section, statement, ev in claims:
        # The badge's letter is a pydantic Literal; that the legend explains it is not checked on load.
        assert ev.badge in legend, (ev.badge, statement)
        assert ev.refs and set(ev.refs) <= ref_ids, statement


def test_references_cited_by_the_guide_carry_doi_and_pubmed_ids(cnt):
    cited = [r for r in cnt.references if r.cited_by_source]
    assert {r.id for r in cited} == {"siglan2023", "otsudo2018", "chen2021", "marizeiro2018"}
    assert all(r.doi and r.findings for r in cited)
    assert all(r.pmid for r in cited)


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("myths_faq.yaml", lambda d: d["myths"][1].update(badge="Z"), ["myths_faq.yaml", "badge"]),
        ("myths_faq.yaml", lambda d: d["faqs"][0].pop("answer"), ["myths_faq.yaml", "answer"]),
        ("references.yaml", lambda d: d[0].update(pmid="not-a-number"), ["references.yaml", "pmid"]),
        (
            "overview.yaml",
            lambda d: d["problems"][0].update(refs=["no_such_ref"]),
            ["overview.yaml", "refs", "no_such_ref"],
        ),
        ("safety.yaml", lambda d: d.update(colour="red"), ["safety.yaml", "colour"]),
        ("anatomy.yaml", lambda d: d["structures"][0].update(kind="bone"), ["anatomy.yaml", "kind"]),
    ],
    ids=["bad-badge", "missing-field", "bad-pmid", "dangling-ref", "unknown-key", "bad-kind"],
)
def test_broken_file_is_rejected_naming_file_entry_and_field(data_copy, name, change, expected):
    doc = yaml.safe_load((data_copy / name).read_text(encoding="utf-8"))
    change(doc)
    (data_copy / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    message = str(err.value)
    for part in expected:
        assert part in message
    assert "entry '" in message or "entry #" in message or "(top level)" in message


def _technique(d, tid):
    return next(t for t in d["techniques"] if t["id"] == tid)


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "myths_faq.yaml",
            lambda d: d["faqs"][0].pop("reviews"),
            ["myths_faq.yaml", "field 'reviews'", "missing review record"],
        ),
        (
            "overview.yaml",
            lambda d: d["problems"][0]["reviews"][-1].update(checked=["grays1918_not_cited_here"]),
            ["overview.yaml", "reviews.checked", "not among the item's refs"],
        ),
        (
            "techniques.yaml",
            lambda d: _technique(d, "supine_fingertip_release").update(summary="A tennis ball fixes back pain."),
            ["techniques.yaml", "'supine_fingertip_release'", "field 'wording'", "'fixes' without a hedge"],
        ),
        (
            "techniques.yaml",
            lambda d: _technique(d, "glute_ball_self_massage")["steps"].append("Use a Theracane instead."),
            ["techniques.yaml", "'glute_ball_self_massage'", "names a brand"],
        ),
        (
            "techniques.yaml",
            lambda d: _technique(d, "half_kneeling_hip_flexor_stretch").update(goal_evidence=[]),
            ["techniques.yaml", "field 'goal_evidence'", "no evidence given for its goal"],
        ),
        (
            "techniques.yaml",
            lambda d: _technique(d, "supine_fingertip_release").update(audiences=["general_public"]),
            ["techniques.yaml", "'supine_fingertip_release'", "field 'audiences'", "clinician_led only"],
        ),
        (
            "techniques.yaml",
            lambda d: _technique(d, "supine_fingertip_release")["contraindications"].remove("blood_clots"),
            ["techniques.yaml", "field 'contraindications'", "blood_clots"],
        ),
        (
            "techniques.yaml",
            lambda d: _technique(d, "desk_movement_breaks")["contraindications"].append("no_such_condition"),
            ["techniques.yaml", "'desk_movement_breaks'", "unknown id 'no_such_condition'"],
        ),
        (
            "safety.yaml",
            lambda d: d["contraindications"][0].pop("plain"),
            ["safety.yaml", "field 'plain'", "in plain words"],
        ),
    ],
    ids=[
        "no-review",
        "review-of-uncited",
        "unhedged-weak-claim",
        "brand",
        "goal-without-evidence",
        "belly-for-public",
        "belly-list-incomplete",
        "unknown-contraindication",
        "no-plain-who",
    ],
)
def test_each_content_rule_rejects_a_broken_fixture_naming_file_entry_and_field(data_copy, name, change, expected):
    edit_yaml(data_copy, name, change)
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    message = str(err.value)
    for part in expected:
        assert part in message, (part, message)


def test_every_rule_problem_is_reported_at_once(data_copy):
    edit_yaml(data_copy, "myths_faq.yaml", lambda d: [item.pop("reviews") for item in d["faqs"][:3]])
    edit_yaml(data_copy, "safety.yaml", lambda d: d["red_flags"][0].pop("reviews"))
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    message = str(err.value)
    assert message.startswith("4 content rule problem(s)")
    assert message.count("missing review record") == 4


def test_entry_is_named_by_its_id(data_copy):
    edit_yaml(data_copy, "myths_faq.yaml", lambda d: d["myths"][0].update(badge="Q"))
    first_id = yaml.safe_load((DATA / "myths_faq.yaml").read_text(encoding="utf-8"))["myths"][0]["id"]
    with pytest.raises(c.ContentError, match=f"entry '{first_id}', field 'badge'"):
        load.load_content(data_copy)


def test_missing_and_unparsable_files_are_named(data_copy):
    (data_copy / "glossary.yaml").unlink()
    with pytest.raises(c.ContentError, match="glossary.yaml: file is missing"):
        load.load_content(data_copy)
    (data_copy / "glossary.yaml").write_text("- term: [unclosed\n", encoding="utf-8")
    with pytest.raises(c.ContentError, match="glossary.yaml: not valid YAML"):
        load.load_content(data_copy)
