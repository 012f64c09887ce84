"""Technique catalog: filters, sorting, link round-trip and the safety screen, over the real content.

Expected results are derived from the pydantic objects, never from the DataFrame
under test and never hard-coded, so a change to the catalog cannot make them pass
by accident.
"""

from __future__ import annotations

import re
from itertools import product

import pytest

from psoas_explorer import linkformat as params
from psoas_explorer.content import model as c
from psoas_explorer.content import rules
from psoas_explorer.techniques import filters as F

BELLY = rules.BELLY_CONTRAINDICATIONS - {"blood_clots"}  # the list every belly technique had before clots joined


@pytest.fixture(scope="module")
def df(cnt):
    return F.catalog_frame(cnt)


@pytest.fixture(scope="module")
def techs(cnt) -> tuple[c.Technique, ...]:
    return cnt.techniques.techniques


def ids(frame) -> set[str]:
    return set(frame["id"])


def where(techs, pred) -> set[str]:
    return {t.id for t in techs if pred(t)}


# --- the catalog itself ---------------------------------------------------------------


def test_catalog_frame_has_one_row_per_technique_and_sort_keys(cnt, df, techs):
    assert list(df["id"]) == [t.id for t in techs]
    assert df["minutes"].map(lambda m: 0 < m < 240).all(), "every time text must start with a duration"
    ranks = dict(zip(df["badge"], df["evidence_rank"], strict=True))
    assert all(ranks[a] < ranks[b] for a, b in zip("ABCD", "BCDX", strict=False) if a in ranks and b in ranks)
    assert df["type_name"].tolist() == [cnt.technique_type(t.type).name for t in techs]


def test_catalog_is_broad_and_well_formed(cnt, techs):
    assert len(techs) >= 18
    assert {t.type for t in techs} == {tt.id for tt in cnt.technique_types}
    used = {e for t in techs for e in t.equipment}
    assert used == {e.id for e in cnt.techniques.equipment}, "equipment nobody needs makes a dead filter choice"
    for t in techs:
        assert 3 <= len(t.steps) <= 8, t.id
        assert not any(re.match(r"\s*(\d|step \d)", s, re.I) for s in t.steps), f"{t.id}: steps are numbered by the app"


def test_catalog_names_no_brands_and_keeps_honest_badges(techs):
    brands = re.compile(r"koapro|fasciablaster|graston|hawkgrips|theracane|pso-?rite", re.I)
    for t in techs:
        text = " ".join((t.name, t.summary, *t.steps, *t.stop_if, *t.precautions))
        assert not brands.search(text), t.id
        if "tool_not_studied" in t.chips:
            assert t.badge in "CDX", f"{t.id}: an untested tool cannot have A/B evidence"


def test_deep_belly_pressure_lists_every_belly_contraindication_and_is_gentle(techs):
    deep_belly = [t for t in techs if t.deep_belly]
    assert deep_belly, "the catalog should include (screened) deep belly techniques"
    for t in deep_belly:
        assert set(t.contraindications) >= BELLY, t.id
        assert t.intensity == "gentle", t.id  # gentle and graded, never rated firm


# --- single filters ---------------------------------------------------------------------

MULTI = [
    ("goals", "goals", F.GOALS),
    ("audiences", "audiences", F.AUDIENCES),
    ("settings", "settings", F.SETTINGS),
    ("performers", "performer", F.PERFORMERS),
    ("intensities", "intensity", F.INTENSITIES),
]


@pytest.mark.parametrize(
    ("field", "attr", "value"), [(f, a, v) for f, a, vocab in MULTI for v in vocab], ids=lambda x: str(x)
)
def test_each_multi_filter_alone(df, techs, field, attr, value):
    def has(t):
        got = getattr(t, attr)
        return value in (got if isinstance(got, tuple) else (got,))

    result = F.apply(df, F.Filters(**{field: (value,)}))
    assert ids(result) == where(techs, has)


def test_every_vocabulary_value_finds_something(df):
    for field, _attr, vocab in MULTI:
        for value in vocab:
            assert len(F.apply(df, F.Filters(**{field: (value,)}))), f"{field}={value} finds nothing"


def test_within_a_filter_any_value_matches(df, techs):
    result = F.apply(df, F.Filters(goals=("sleep", "breathing")))
    assert ids(result) == where(techs, lambda t: {"sleep", "breathing"} & set(t.goals))
    assert len(result) > len(F.apply(df, F.Filters(goals=("sleep",))))


def test_across_filters_all_must_hold(df, techs):
    f = F.Filters(goals=("mobility",), settings=("home",), performers=("self",))
    expected = where(techs, lambda t: "mobility" in t.goals and "home" in t.settings and t.performer == "self")
    assert expected
    assert ids(F.apply(df, f)) == expected


def test_equipment_means_what_i_have(cnt, df, techs):
    have = ("massage_ball", "mat")
    result = ids(F.apply(df, F.Filters(equipment=have)))
    assert result == where(techs, lambda t: set(t.equipment) <= set(have))
    assert where(techs, lambda t: not t.equipment) < result, "equipment-free techniques always pass"
    assert not where(techs, lambda t: "foam_roller" in t.equipment) & result
    nothing = ids(F.apply(df, F.Filters(equipment=(F.NO_EQUIPMENT,))))
    assert nothing == where(techs, lambda t: not t.equipment)
    assert nothing
    everything = tuple(e.id for e in cnt.techniques.equipment)
    assert ids(F.apply(df, F.Filters(equipment=everything))) == ids(df)


@pytest.mark.parametrize("level", F.MIN_EVIDENCE)
def test_min_evidence_keeps_that_badge_or_better_and_never_x(df, techs, level):
    result = F.apply(df, F.Filters(min_evidence=level))
    assert ids(result) == where(techs, lambda t: t.badge in "ABCD"[: "ABCD".index(level) + 1])
    assert "X" not in set(result["badge"])


def test_text_search_is_case_insensitive_and_needs_every_word(df, techs):
    upper = F.apply(df, F.Filters(text="BALL"))
    assert (
        ids(upper)
        == ids(F.apply(df, F.Filters(text="ball")))
        == where(techs, lambda t: "ball" in " ".join((t.name, t.summary, *t.steps)).lower())
    )
    both = ids(F.apply(df, F.Filters(text="ball buttock")))
    assert both
    assert both <= ids(upper)
    assert both == where(
        techs,
        lambda t: all(w in " ".join((t.name, t.summary, *t.steps)).lower() for w in ("ball", "buttock")),
    )
    assert F.apply(df, F.Filters(text="ball zzqxv")).empty


def test_text_search_reaches_steps(df, techs):
    """A word found only in a technique's steps (not its name or summary) still finds it."""
    for t in techs:
        head = f"{t.name} {t.summary}".lower()
        only_in_steps = [w for w in re.findall(r"[a-z]{6,}", " ".join(t.steps).lower()) if w not in head]
        if only_in_steps:
            assert t.id in ids(F.apply(df, F.Filters(text=only_in_steps[0])))
            return
    pytest.fail("no technique has a step word missing from its name and summary")


# --- sorting ------------------------------------------------------------------------------


def _non_decreasing(values) -> bool:
    values = list(values)
    return all(a <= b for a, b in zip(values, values[1:], strict=False))


def test_default_sort_is_strongest_evidence_first_with_x_last(df):
    result = F.apply(df, F.Filters())
    assert _non_decreasing(result["evidence_rank"])
    if "X" in set(result["badge"]):
        assert result["badge"].iloc[-1] == "X"


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("name", lambda r: r["name"].casefold()),
        ("intensity", lambda r: r["intensity_rank"]),
        ("time", lambda r: r["minutes"]),
    ],
)
def test_sort_orders(df, sort, key):
    result = F.apply(df, F.Filters(sort=sort))
    assert len(result) == len(df)
    assert _non_decreasing(key(row) for _i, row in result.iterrows())


def test_minutes_reads_the_first_duration():
    assert F.minutes("10–15 minutes") == 10
    assert F.minutes("30 seconds per side") == 0.5
    assert F.minutes("whenever") == float("inf")


# --- empty results --------------------------------------------------------------------------


def _empty_pair(df):
    """A goal + intensity pair that each match something but never together (derived from data)."""
    for goal, intensity in product(F.GOALS, F.INTENSITIES):
        f = F.Filters(goals=(goal,), intensities=(intensity,))
        if F.apply(df, f).empty:
            return f
    pytest.skip("every goal/intensity pair has a technique")


def test_empty_result_suggests_which_filter_to_remove(df):
    f = _empty_pair(df)
    tips = F.relax_suggestions(df, f)
    counts = [int(re.search(r"to see (\d+) techniques?\.$", tip).group(1)) for tip in tips]
    assert len(tips) == 2
    assert counts == sorted(counts, reverse=True)
    goal, intensity = F.LABELS[f.goals[0]].lower(), F.LABELS[f.intensities[0]].lower()
    n_without_goal = len(F.apply(df, F.Filters(intensities=f.intensities)))
    n_without_intensity = len(F.apply(df, F.Filters(goals=f.goals)))
    assert f"Remove the goal filter ({goal}) to see {n_without_goal} technique" in " ".join(tips)
    assert f"Remove the intensity filter ({intensity}) to see {n_without_intensity} technique" in " ".join(tips)


def test_no_suggestions_when_something_matches(df):
    assert F.relax_suggestions(df, F.Filters(goals=("mobility",))) == []
    assert F.relax_suggestions(df, F.Filters()) == []


def test_search_with_no_match_suggests_clearing_it(df):
    f = F.Filters(goals=("mobility",), text="zzqxv")
    tips = F.relax_suggestions(df, f)
    assert tips[0].startswith("Clear the search (“zzqxv”)")
    assert f"to see {len(F.apply(df, F.Filters(goals=('mobility',))))} technique" in tips[0]


def test_active_filters_are_described_in_words(cnt):
    names = {e.id: e.name for e in cnt.techniques.equipment}
    eq = cnt.techniques.equipment[0]
    f = F.Filters(goals=("pain_relief", "mobility"), audiences=("desk_workers",), equipment=(eq.id,), min_evidence="B")
    labels = F.active_filters(f, names)
    assert labels[0] == "Goal: Pain relief or Mobility"
    assert "For: Desk workers" in labels
    assert f"Using only: {eq.name}" in labels
    assert "Evidence: B or better" in labels
    assert F.active_filters(F.Filters()) == []


def test_every_vocabulary_id_has_a_label():
    for _field, _attr, vocab in MULTI:
        for value in vocab:
            assert F.LABELS[value]
            assert F.LABELS[value] != value


# --- safety screen ----------------------------------------------------------------------------


def test_contraindication_blocks_exactly_the_techniques_that_list_it(cnt, df, techs):
    item = next(x for x in cnt.safety.contraindications if x.id == "blood_thinners")
    result = F.screen(cnt, ["blood_thinners"])
    assert set(result.blocked) == where(techs, lambda t: "blood_thinners" in t.contraindications)
    assert not result.red_flags
    assert not result.urgent
    for tid, reasons in result.blocked.items():
        assert len(reasons) == 1
        assert item.question.strip() in reasons[0]
        own = cnt.technique(tid).reason_not("blood_thinners") or item.why
        assert own.strip()[:40] in reasons[0]
    ok, blocked = F.split_by_screen(list(df["id"]), result)
    assert set(ok) | set(blocked) == ids(df)
    assert not set(ok) & set(blocked)
    assert blocked == [i for i in df["id"] if i in result.blocked]


def test_each_answer_gives_its_own_reason(cnt, techs):
    answers = ["pregnancy", "hernia", "fragile_bones"]
    result = F.screen(cnt, answers)
    for t in techs:
        n = len(set(answers) & set(t.contraindications))
        assert len(result.blocked.get(t.id, ())) == n


@pytest.mark.parametrize("answer", sorted(BELLY))
def test_every_belly_answer_blocks_deep_belly_work(cnt, techs, answer):
    result = F.screen(cnt, [answer])
    deep = where(techs, lambda t: set(t.contraindications) >= BELLY)
    assert deep
    assert deep <= set(result.blocked)


def test_a_red_flag_blocks_everything_but_the_clinician_check(cnt, df, techs):
    flag = cnt.safety.red_flags[0]
    result = F.screen(cnt, [flag.id])
    assert result.urgent
    assert result.red_flags == (flag,)
    always = where(techs, lambda t: t.always_shown)
    assert always == {"clinician_assessment"}, "the one step to take with a warning sign is never hidden"
    assert set(result.blocked) == ids(df) - always
    ok, blocked = F.split_by_screen(list(df["id"]), result)
    assert ok == ["clinician_assessment"]
    (group,) = F.hidden_groups(cnt, result, blocked)  # one reason, said once, not once per technique
    assert len(group.techniques) == len(blocked) and flag.label in group.title


def test_hidden_techniques_are_grouped_by_answer_with_a_fitting_reason(cnt, df, techs):
    result = F.screen(cnt, ["pregnancy", "hernia"])
    _ok, blocked = F.split_by_screen(list(df["id"]), result)
    groups = F.hidden_groups(cnt, result, blocked)
    assert [g.title for g in groups] == [
        f"You ticked: {x.question.strip()}" for x in cnt.safety.contraindications if x.id in ("pregnancy", "hernia")
    ]
    for g, answer in zip(groups, ("pregnancy", "hernia"), strict=True):
        want = [(t.name, t.reason_not(answer)) for t in map(cnt.technique, blocked) if answer in t.contraindications]
        assert list(g.techniques) == want


def test_unknown_or_no_answers_block_nothing(cnt, df):
    assert F.screen(cnt, []).blocked == {}
    assert F.screen(cnt, ["<script>", "not_an_id"]).blocked == {}
    ok, blocked = F.split_by_screen(list(df["id"]), F.screen(cnt, []))
    assert ok == list(df["id"])
    assert blocked == []


def test_every_contraindication_id_in_the_catalog_is_asked_about(cnt, techs):
    asked = {x.id for x in cnt.safety.contraindications}
    assert {x for t in techs for x in t.contraindications} <= asked


# --- query parameters --------------------------------------------------------------------------


def _as_query(encoded: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in encoded.items()}


def test_parameter_names_are_the_documented_ones(cnt):
    spec = F.technique_params(cnt)
    assert [p.name for p in spec] == [
        "goal",
        "audience",
        "setting",
        "performer",
        "intensity",
        "equipment",
        "evidence",
        "q",
        "sort",
        "h",
        "d",
    ]
    by_name = {p.name: p for p in spec}
    assert set(by_name["equipment"].choices) == {e.id for e in cnt.techniques.equipment} | {F.NO_EQUIPMENT}
    assert set(by_name["h"].choices) == {t.id for t in cnt.techniques.techniques}


def test_filters_round_trip_through_a_link(cnt, techs):
    spec = F.technique_params(cnt)
    f = F.Filters(
        goals=("pain_relief", "sleep"),
        audiences=("desk_workers",),
        settings=("home", "work"),
        performers=("self",),
        intensities=("gentle", "moderate"),
        equipment=(cnt.techniques.equipment[0].id, F.NO_EQUIPMENT),
        min_evidence="C",
        text="hip stretch",
        sort="time",
    )
    handout = (techs[2].id, techs[0].id)
    encoded = params.encode(F.values_from_filters(f, handout), spec)
    values, notices = params.parse(_as_query(encoded), spec)
    assert notices == []
    assert F.filters_from_values(values) == f
    assert values["h"] == handout


def test_default_filters_make_an_empty_link(cnt):
    spec = F.technique_params(cnt)
    assert params.encode(F.values_from_filters(F.Filters()), spec) == {}
    values, _ = params.parse({}, spec)
    assert F.filters_from_values(values) == F.Filters()


def test_hostile_link_values_are_dropped(cnt, techs):
    spec = F.technique_params(cnt)
    query = {
        "goal": ["pain_relief", "<script>alert(1)</script>"],
        "intensity": ["FIRM", "gentle"],
        "equipment": ["../../etc/passwd"],
        "evidence": ["X"],
        "sort": ["name; DROP TABLE"],
        "q": ["hip\x00" + "x" * 500],
        "h": ["nope", techs[0].id],
        "<img onerror=alert(1)>": ["1"],
    }
    values, notices = params.parse(query, spec)
    f = F.filters_from_values(values)
    assert f.goals == ("pain_relief",)
    assert f.intensities == ("gentle",)
    assert f.equipment == ()
    assert f.min_evidence is None
    assert f.sort == "evidence"
    assert len(f.text) <= params.MAX_TEXT
    assert "\x00" not in f.text
    assert values["h"] == (techs[0].id,)
    assert notices
    assert all("<" not in n and ">" not in n for n in notices)
    F.apply(F.catalog_frame(cnt), f)  # the cleaned filters are usable as they are


def test_a_goal_sorts_by_the_evidence_for_that_goal_first(df):
    """Filtered by posture, a card whose own line says "For posture: Evidence X" does not come first: the cards
    go by their posture badge, then by their overall badge. In the shipped content every posture card is X for
    posture, so one card (D overall) is given a C for posture here: it must lead the B-overall stretches."""
    posture = df[df["goals"].map(lambda g: "posture" in g)]
    assert {dict(r).get("posture") for r in posture["goal_ranks"]} == {F.EVIDENCE_RANK["X"]}
    weakest = posture.sort_values("evidence_rank").index[-1]
    assert posture["evidence_rank"][weakest] > posture["evidence_rank"].min()
    graded = df.copy()
    graded.at[weakest, "goal_ranks"] = (("posture", F.EVIDENCE_RANK["C"]),)
    result = F.apply(graded, F.Filters(goals=("posture",)))
    assert result["id"].iloc[0] == weakest
    order = [(dict(r).get("posture"), e) for r, e in zip(result["goal_ranks"], result["evidence_rank"], strict=True)]
    assert order == sorted(order)
    # without a goal, and with the name sort, the overall badge and the name lead as before
    assert F.apply(graded, F.Filters())["id"].iloc[0] != weakest
    assert _non_decreasing(F.apply(graded, F.Filters(goals=("posture",), sort="name"))["name"].str.casefold())
