"""The link format: parameters parse, round-trip, and hostile input is dropped with a notice."""

import pytest

from psoas_explorer import linkformat as params
from psoas_explorer.anatomy import description as anatomy_view
from psoas_explorer.linkformat import Param
from psoas_explorer.links import pages as site
from tests.support import README

SPEC = (
    Param("goal", "multi", "goals", choices=("mobility", "posture")),
    Param("view", "choice", "view", choices=("front", "side"), default="front"),
    Param("angle", "int", "hip angle", bounds=(-20, 90), default=0),
    Param("q", "text", "search", default=""),
    Param("consult", "flag", "consult mode", default=False),
)


def test_valid_values_are_accepted_without_notice():
    values, notices = params.parse(
        {"goal": ["mobility", "posture"], "view": ["side"], "angle": ["45"], "q": ["hip"], "consult": ["1"]}, SPEC
    )
    assert values == {"goal": ("mobility", "posture"), "view": "side", "angle": 45, "q": "hip", "consult": True}
    assert notices == []


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ({"goal": ["mobility", "<script>alert(1)</script>"]}, "goal", ("mobility",)),
        ({"view": ["top"]}, "view", "front"),
        ({"angle": ["400"]}, "angle", 0),
        ({"angle": ["1e3"]}, "angle", 0),
        ({"angle": ["-20", "30"]}, "angle", -20),
        ({"consult": ["yes please"]}, "consult", False),
    ],
)
def test_bad_values_fall_back_with_a_notice(query, field, expected):
    values, notices = params.parse(query, SPEC)
    assert values[field] == expected
    assert len(notices) == 1 and field in notices[0]


def test_unknown_names_and_markup_are_reported_without_raw_markup():
    values, notices = params.parse({"<img src=x onerror=alert(1)>": ["1"], "goal": ["<b>x</b>"]}, SPEC)
    assert values["goal"] == ()
    assert len(notices) == 2
    assert all("<" not in n and ">" not in n for n in notices)


def test_huge_text_is_shortened_and_control_characters_removed():
    values, notices = params.parse({"q": ["a\x00b" + "x" * 10_000]}, SPEC)
    assert len(values["q"]) == params.MAX_TEXT and "\x00" not in values["q"]
    assert any("Shortened" in n for n in notices)


def test_encode_leaves_out_defaults_and_round_trips():
    values = {"goal": ("posture",), "view": "front", "angle": 30, "q": "", "consult": True}
    encoded = params.encode(values, SPEC)
    assert encoded == {"goal": ["posture"], "angle": "30", "consult": "1"}
    parsed, notices = params.parse({k: v if isinstance(v, list) else [v] for k, v in encoded.items()}, SPEC)
    assert parsed == values and notices == []


def test_readme_documents_every_link_parameter_of_every_page(cnt):
    readme = README.read_text(encoding="utf-8")
    for page in site.PAGES:
        for p in site.page_params(page.url_path, cnt):
            assert f"| `{p.name}` |" in readme, (page.url_path, p.name)


def test_a_bad_choice_gets_a_short_notice_that_lists_no_internal_ids(geom):
    # Issue 12: a bad lm= value listed 40 internal landmark ids.
    spec = anatomy_view.anatomy_params(geom)
    for query in ({"lm": ["nope"]}, {"layers": ["nope"]}, {"view": ["nope"]}):
        _values, (note,) = params.parse(query, spec)
        assert len(note) < 120, note
        choices = next(p.choices for p in spec if p.name in query)
        assert not any(c in note for c in choices), note


def test_a_link_with_a_renamed_technique_id_reopens_the_same_plan(cnt):
    """``supine_tool_release`` became ``supine_fingertip_release`` (issue 21): a printed link keeps working."""
    from psoas_explorer.techniques.filters import technique_params

    spec = technique_params(cnt)
    stretch, renamed = "half_kneeling_hip_flexor_stretch", "supine_fingertip_release"
    old, old_notices = params.parse({"h": ["supine_tool_release", stretch], "d": [f"{stretch}.h45"]}, spec)
    new, new_notices = params.parse({"h": [renamed, stretch], "d": [f"{stretch}.h45"]}, spec)
    assert old == new and old["h"] == (renamed, stretch)
    assert old_notices == new_notices == []
    assert params.encode(old, spec)["h"] == [renamed, stretch]  # the address then shows the new id


@pytest.mark.parametrize(
    "query",
    [
        {"goal": ["mobility", "a", "b", "c", "d"]},
        {"goal": ["mobility", "mobility"]},
        {"view": ["top"]},
        {"view": ["front", "side"]},
        {"angle": ["400"]},
        {"consult": ["yes please"]},
        {"q": ["\x00"]},
        {"q": ["x" * 500]},
        {"goal": ["posture"] * 50},
        {"<img src=x>": ["1"]},
    ],
)
def test_each_notice_is_in_the_page_language(query):
    """Issue 25: a Spanish page names what it dropped in Spanish (no English stop word), and says as much."""
    from tests.app.test_spanish_trace import english_words

    english = params.parse(query, SPEC)[1]
    spanish = params.parse(query, SPEC, "es")[1]
    assert english and len(spanish) == len(english)
    assert all(english_words(n) == [] and "<" not in n for n in spanish), spanish
