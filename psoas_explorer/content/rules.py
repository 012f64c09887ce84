"""Content rules pydantic cannot express: cross-file ids, safety, honesty of wording, review records.

One rule per function. Each yields every problem it finds as a ``Problem`` naming file, entry and field, so
a broken data set is reported whole, not one error per reload. ``check`` runs them all; the loader raises
``ContentError`` with every message. Run ``python -m psoas_explorer.content.check`` to list problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import yaml

from psoas_explorer.content import dose as dosing
from psoas_explorer.content.text import CAUTIOUS_START, REVIEW_ROLES

if TYPE_CHECKING:
    from psoas_explorer.content.model import Content, Evidence, Reviewed


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, entry '{self.entry}', field '{self.field}': {self.message}"


# Deep pressure into the belly reaches the aorta, iliac vessels, bowel, ureter and kidneys: every such
# technique is clinician-led and screens for all of these.
BELLY_CONTRAINDICATIONS = frozenset(
    {
        "aortic_aneurysm",
        "blood_thinners",
        "pregnancy",
        "recent_surgery",
        "hernia",
        "bowel_inflammation",
        "kidney",
        "unexplained_pain_fever",
        "blood_clots",
    }
)

# Deep belly work is fingertips only: a rigid tool dulls the feel of a pulse, the main stop sign near the aorta
# and the iliac arteries. Equipment ids that are rigid, and words that name a tool in a technique's text.
RIGID_TOOLS = frozenset({"hook_tool", "chair_back_tool", "scraping_tool", "massage_ball", "foam_roller"})
TOOL_WORDS = re.compile(r"\b(?:tool|knob|hook|ball|roller|device|instrument)s?\b", re.I)

# Public-domain copies of Gray's Anatomy of the Human Body (1918): a Gray's citation must point at one of them.
GRAYS_HOSTS = frozenset({"bartleby.com", "www.bartleby.com", "www1.bartleby.com", "en.wikisource.org", "archive.org"})
GRAYS = re.compile(r"\bGray(?:'s|’s)?\b(?! matter)")

# A sentence that reports what a study found (a study word and a result word): such a claim or goal note must
# point at the finding (``youdas1996#men_lordosis``) so the result is written once, at the reference.
STUDY_WORDS = re.compile(r"\b(?:trials?|stud(?:y|ies)|reviews?|meta-analys[ie]s|authors|abstract)\b", re.I)
RESULT_WORDS = re.compile(
    r"\b(?:found|finds|showed|shows|related|linked|associated|explained|changed|did not|no change|no effect"
    r"|improved|eased|reduced|increased|beat|differ(?:ed)?)\b",
    re.I,
)
RESULT_PHRASES = re.compile(r"\b(?:was|were) not related\b|\bwas not linked\b", re.I)
# ... but saying that no study tested something reports no result ("No study we found has tested it").
NO_STUDY = re.compile(r"\bno stud(?:y|ies)\b|\bnot been tested\b|\bdid not test\b|\bnot (?:what|tested)\b", re.I)

BRANDS = re.compile(r"koapro|fascia ?blaster|graston|hawkgrips|theracane|pso-?rite|ashley diana black", re.I)

# GRADE plain language (Santesso et al. 2020): a claim graded C or weaker may not state an effect as fact.
_EFFECT = r"ease[sd]?|eas(?:ing)|fix(?:es)?|reduce[sd]?|reducing|relieve[sd]?|relieving|improve[sd]?|improving"
_EFFECT += r"|cure[sd]?|heal(?:s|ed)?|lengthen(?:s|ed)?|loosen(?:s|ed)?|prevent(?:s|ed)?|restore[sd]?"
UNHEDGED = re.compile(rf"\b(?:{_EFFECT})\b", re.I)
HEDGES = re.compile(
    r"\b(?:may|might|could|uncertain|not|no|never|unproven|unknown|whether|claim(?:s|ed)?|said|thought|believed?"
    r"|aims?|meant|intended|theory|hope[sd]?|promise[sd]?|marketed|supposed|unclear|unlikely|cannot|nor)\b|n't",
    re.I,
)
WEAK = frozenset("CDX")


def claim_items(c: Content) -> Iterator[tuple[str, str, Evidence, tuple[str, ...]]]:
    """(file, entry id, evidence, the texts that state the claim) for every claim-carrying item.

    A myth's belief and a claimed benefit's title are left out: they state the claim being judged on purpose.
    """
    o, a, m = c.overview, c.anatomy, c.myths_faq
    for s in o.statistics:
        yield "overview.yaml", s.id, s, (s.value, s.text)
    for f in o.problems:
        yield "overview.yaml", f.id, f, (f.title, f.text)
    for g in o.benefits:
        for f in g.items:
            yield "overview.yaml", f.id, f, (f.text,)
    for f in (*a.facts, *a.disagreements):
        yield "anatomy.yaml", f.id, f, (f.title, f.text)
    for st in a.structures:
        yield "anatomy.yaml", st.id, st, (st.plain, st.why_it_matters)
    for tt in c.technique_types:
        yield "technique_types.yaml", tt.id, tt, (tt.summary,)
    for t in c.techniques.techniques:
        yield "techniques.yaml", t.id, t, (t.summary,)
    for my in m.myths:
        yield "myths_faq.yaml", my.id, my, (my.evidence_says,)
    for q in m.faqs:
        yield "myths_faq.yaml", q.id, q, (q.answer,)


def _unknown(values: Iterable[str], allowed: set[str] | frozenset[str]) -> list[str]:
    return [v for v in values if v not in allowed]


# --- the rules --------------------------------------------------------------------------


def ids_are_unique(c: Content) -> Iterator[Problem]:
    groups = {
        "references.yaml": [r.id for r in c.references],
        "techniques.yaml": [t.id for t in c.techniques.techniques],
        "safety.yaml": [x.id for x in c.safety.items()],
        "myths_faq.yaml": [x.id for x in c.myths_faq.items()],
    }
    for file, ids in groups.items():
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                yield Problem(file, i, "id", "the id is used twice.")
            seen.add(i)


def references_resolve(c: Content) -> Iterator[Problem]:
    known = {r.id for r in c.references}
    for file, entry, ev, _ in claim_items(c):
        for ref in _unknown(ev.refs, known):
            yield Problem(file, entry, "refs", f"cites reference '{ref}', which is not in references.yaml.")
    for item in c.safety.items():
        for ref in _unknown(item.refs, known):
            yield Problem("safety.yaml", item.id, "refs", f"unknown reference '{ref}'.")
    for t in c.techniques.techniques:
        for ge in t.goal_evidence:
            for ref in _unknown(ge.refs, known):
                yield Problem("techniques.yaml", t.id, f"goal_evidence.{ge.goal}.refs", f"unknown reference '{ref}'.")


def technique_ids_resolve(c: Content) -> Iterator[Problem]:
    types = {t.id for t in c.technique_types}
    equipment = {e.id for e in c.techniques.equipment}
    contra = {x.id for x in c.safety.contraindications}
    for t in c.techniques.techniques:
        for field, values, allowed in (
            ("type", (t.type,), types),
            ("equipment", t.equipment, equipment),
            ("contraindications", t.contraindications, contra),
        ):
            for bad in _unknown(values, allowed):
                yield Problem("techniques.yaml", t.id, field, f"unknown id '{bad}'.")
        for bad in _unknown((k for k, _ in t.why_not), set(t.contraindications)):
            yield Problem(
                "techniques.yaml", t.id, "why_not", f"'{bad}' is not among this technique's contraindications."
            )
        for ge in t.goal_evidence:
            if ge.goal not in t.goals:
                yield Problem("techniques.yaml", t.id, "goal_evidence", f"'{ge.goal}' is not one of its goals.")


def anatomy_links_resolve(c: Content) -> Iterator[Problem]:
    techniques = {t.id for t in c.techniques.techniques}
    answers = {m.id for m in c.myths_faq.myths} | {q.id for q in c.myths_faq.faqs}
    for st in c.anatomy.structures:
        for field, values, allowed in (
            ("related_techniques", st.related_techniques, techniques),
            ("related_faqs", st.related_faqs, answers),
        ):
            for bad in _unknown(values, allowed):
                yield Problem("anatomy.yaml", st.id, field, f"unknown id '{bad}'.")


def reviewed_parts(c: Content) -> Iterator[tuple[str, str, str, Reviewed]]:
    """(file, entry id, field, item) for everything that carries review records of its own: every claim, red flag
    and contraindication, and each technique's dose and pose picture (added later than their technique's text,
    so a technique's review does not cover them)."""
    for file, entry, ev, _ in claim_items(c):
        yield file, entry, "reviews", ev
    for item in c.safety.items():
        yield "safety.yaml", item.id, "reviews", item
    for t in c.techniques.techniques:
        if t.dose is not None:
            yield "techniques.yaml", t.id, "dose.reviews", t.dose
        yield "techniques.yaml", t.id, "pose.reviews", t.pose


def every_item_has_a_review(c: Content) -> Iterator[Problem]:
    """Each claim, red flag, contraindication, dose and pose picture has review records of its own, each saying
    when, by which role (never a name), against what, what was found, and the verdict."""
    for file, entry, field, item in reviewed_parts(c):
        if not item.reviews:
            yield Problem(file, entry, field, "missing review record (date, role, checked, note, verdict).")
        for r in item.reviews:
            if r.role not in REVIEW_ROLES:
                yield Problem(file, entry, field, f"review of {r.date} names no role ({' or '.join(REVIEW_ROLES)}).")
            if r.verdict is None:
                yield Problem(file, entry, field, f"review of {r.date} gives no verdict (holds, fix, cannot verify).")


def reviews_cover_changes(c: Content) -> Iterator[Problem]:
    """A review older than what it covers does not count: each item says when it last changed (``changed``), and
    its latest review must be on or after that day (a dose or picture added after a review needs its own)."""
    for file, entry, field, item in reviewed_parts(c):
        where = field.removesuffix("reviews") + "changed"
        if item.changed is None:
            yield Problem(file, entry, where, "missing: the day this item last changed (so a review can cover it).")
        elif item.review is not None and item.review.date < item.changed:
            message = f"changed on {item.changed}, after its latest review ({item.review.date}); review it again."
            yield Problem(file, entry, where, message)


def reviews_checked_cited_references(c: Content) -> Iterator[Problem]:
    """The latest review can only have checked references the item cites (else the record claims more than it
    shows); older records keep what they read then, when the item may have cited other references."""
    items = [(f, e, ev.refs, ev.review) for f, e, ev, _ in claim_items(c)]
    items += [("safety.yaml", x.id, x.refs, x.review) for x in c.safety.items()]
    for file, entry, refs, review in items:
        if review is not None:
            for bad in _unknown(review.checked, set(refs)):
                yield Problem(file, entry, "reviews.checked", f"'{bad}' is not among the item's refs.")


def wording_matches_weak_grades(c: Content) -> Iterator[Problem]:
    """A claim graded C, D or X may not state an effect unhedged ("eases pain") in any sentence."""
    for file, entry, ev, texts in claim_items(c):
        if ev.badge not in WEAK:
            continue
        for text in texts:
            for sentence in re.split(r"(?<=[.;:!?])\s+", text):
                verb = UNHEDGED.search(sentence)
                if verb and not HEDGES.search(sentence):
                    yield Problem(
                        file,
                        entry,
                        "wording",
                        f"graded {ev.badge} but states '{verb.group(0)}' without a hedge: “{sentence.strip()}”",
                    )


def no_brand_names(c: Content) -> Iterator[Problem]:
    for file, entry, _ev, texts in claim_items(c):
        for text in texts:
            if m := BRANDS.search(text):
                yield Problem(file, entry, "text", f"names a brand ('{m.group(0)}'); describe the tool generically.")
    for t in c.techniques.techniques:
        for text in (t.name, *t.steps, *t.stop_if, *t.precautions):
            if m := BRANDS.search(text):
                yield Problem("techniques.yaml", t.id, "text", f"names a brand ('{m.group(0)}').")


def goal_tags_have_their_evidence(c: Content) -> Iterator[Problem]:
    """A filter by goal shows the evidence for that goal, so every goal tag carries its own badge."""
    for t in c.techniques.techniques:
        given = {ge.goal for ge in t.goal_evidence}
        for goal in t.goals:
            if goal not in given:
                yield Problem("techniques.yaml", t.id, "goal_evidence", f"no evidence given for its goal '{goal}'.")


def deep_belly_pressure_is_clinician_led(c: Content) -> Iterator[Problem]:
    for t in c.techniques.techniques:
        if not t.deep_belly:
            continue
        if set(t.audiences) != {"clinician_led"}:
            yield Problem("techniques.yaml", t.id, "audiences", "deep belly pressure is for clinician_led only.")
        if missing := sorted(BELLY_CONTRAINDICATIONS - set(t.contraindications)):
            yield Problem("techniques.yaml", t.id, "contraindications", f"deep belly pressure must list {missing}.")


def contraindications_say_who(c: Content) -> Iterator[Problem]:
    """Cards and handouts list who should not do a technique in plain words."""
    for x in c.safety.contraindications:
        if not x.plain:
            yield Problem("safety.yaml", x.id, "plain", "missing: who should not do it, in plain words.")


def doses_rest_on_a_read_source(c: Content) -> Iterator[Problem]:
    """A default dose's source is one of the technique's references that the dose's own review says was read."""
    for t in c.techniques.techniques:
        if t.dose is None or t.dose.source is None:
            continue
        read = {ref for r in t.dose.reviews for ref in r.checked}
        if t.dose.source not in read or t.dose.source not in t.refs:
            message = f"'{t.dose.source}' is not among the technique's references that the dose's review read."
            yield Problem("techniques.yaml", t.id, "dose.source", message)


def cited_as(short: str) -> str:
    """'Hatefi, Babakhani & Ashrafizadeh 2021' -> 'Hatefi 2021': a study as a dose's basis names it."""
    first = re.split(r"[\s,]", short, maxsplit=1)[0]
    years = re.findall(r"\b(?:19|20)\d\d\b", short)
    return f"{first} {years[-1]}" if years else short


def doses_show_their_basis(c: Content) -> Iterator[Problem]:
    """Every dose shows what it rests on: 'as in <study>' only with a source that used that position and dose,
    else the cautious-start words; a dose never names a study it does not come from."""
    names = {r.id: cited_as(r.short) for r in c.references}
    for t in c.techniques.techniques:
        if t.dose is None:
            continue
        says = t.dose.says
        want = CAUTIOUS_START if t.dose.source is None else f"as in {names.get(t.dose.source, t.dose.source)}"
        if says is None:
            yield Problem("techniques.yaml", t.id, "dose.says", f"missing: the basis shown beside the dose ('{want}').")
        elif says != want:
            yield Problem("techniques.yaml", t.id, "dose.says", f"shows '{says}', but its source makes it '{want}'.")


def dose_bounds_fit_the_technique(c: Content) -> Iterator[Problem]:
    """Each number of a dose has the technique's own upper bound (``upto``): a link or the builder may not set
    twelve two-minute holds a day for everything."""
    for t in c.techniques.techniques:
        if t.dose is None:
            continue
        bounded = dict(t.dose.upto)
        for field in t.dose.numbers():
            if field not in bounded:
                yield Problem("techniques.yaml", t.id, "dose.upto", f"no upper bound of its own for '{field}'.")


def deep_belly_is_fingertips_only(c: Content) -> Iterator[Problem]:
    """Deep belly work uses fingertips only (a rigid tool dulls the feel of a pulse, the main stop sign near the
    big arteries), and carries no ready-made dose: an untested technique must not look prescribed."""
    for t in c.techniques.techniques:
        if not t.deep_belly:
            continue
        if tools := sorted(RIGID_TOOLS & set(t.equipment)):
            yield Problem("techniques.yaml", t.id, "equipment", f"deep belly work may not use a rigid tool ({tools}).")
        if t.pose.acts_by != "hands":
            yield Problem("techniques.yaml", t.id, "pose.acts_by", "deep belly work is by hand (fingertips) only.")
        for text in (t.name, t.summary, *t.steps, *t.stop_if, *t.precautions):
            if m := TOOL_WORDS.search(text):
                yield Problem("techniques.yaml", t.id, "text", f"names a tool ('{m.group(0)}'): “{text[:80]}”")
        if t.dose is not None:
            message = "deep belly work has no ready-made dose; the clinician sets it."
            yield Problem("techniques.yaml", t.id, "dose", message)


# A number a dose governs, written into a step instead of the step's field (``{hold}``): the dose line would say
# 45 seconds while the step still says thirty. Numbers in digits or words; minutes are left out (a walk or a
# roll of "about a minute" is not the dose's hold).
_N = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    r"|forty-five|fifty|sixty|ninety)"
)
_TIMES_WORD = rf"(?:(?<!\bat )\bonce|\btwice|\b{_N}(?:\s+(?:or|to)\s+{_N})?\s+times)"
HARD_CODED = {
    "hold": re.compile(rf"\b{_N}(?:\s+(?:or|to)\s+{_N})?\s+(?:slow\s+|deep\s+)?(?:seconds?|breaths?)\b", re.I),
    "reps": re.compile(
        rf"{_TIMES_WORD}\b(?! a (?:day|week))|\b{_N}\s+(?:lifts|slides|swings|repetitions|reps)\b", re.I
    ),
    "sets": re.compile(rf"\b{_N}\s+sets?\b", re.I),
    "per_day": re.compile(rf"{_TIMES_WORD} a day\b|\bdaily\b|\bper day\b|\bevery (?:half (?:an )?)?hour\b", re.I),
    "per_week": re.compile(rf"{_TIMES_WORD} a week\b|\bweekly\b|\bper week\b", re.I),
    "weeks": re.compile(rf"\b{_N}\s+weeks?\b", re.I),
}


def steps_take_numbers_from_the_dose(c: Content) -> Iterator[Problem]:
    """Steps say the dose's numbers through its fields (``Hold for {hold}``), so a changed dose changes the steps:
    a step may not hard-code a number the dose governs, nor use a field the dose does not have; a field with no
    default (deep belly work, whose numbers only a clinician sets) needs words for when none is set
    (``{hold|about five slow breaths}``)."""
    for t in c.techniques.techniques:
        fields = dosing.editable(t)
        for i, step in enumerate(t.steps, 1):
            where = f"steps.{i}"
            for m in dosing.STEP_FIELD.finditer(step):
                if m.group(1) not in fields:
                    yield Problem(
                        "techniques.yaml", t.id, where, f"uses {{{m.group(1)}}}, which its dose does not have."
                    )
                elif fields[m.group(1)] is None and m.group(2) is None:
                    message = f"{{{m.group(1)}}} has no default: add words for when none is set ({{{m.group(1)}|…}})."
                    yield Problem("techniques.yaml", t.id, where, message)
            outside = dosing.STEP_FIELD.sub(" ", step)
            for field in fields:
                if hit := HARD_CODED[field].search(outside):
                    message = f"says '{hit.group(0)}', a number its dose governs; write {{{field}}} instead: “{step}”"
                    yield Problem("techniques.yaml", t.id, where, message)


def poses_have_a_basis(c: Content) -> Iterator[Problem]:
    """Each picture says in one line what it follows (the technique's steps, a study's position)."""
    for t in c.techniques.techniques:
        if not t.pose.basis:
            yield Problem("techniques.yaml", t.id, "pose.basis", "missing: one line on what the picture follows.")


def _grays_url_problem(text: str, url: str | None) -> str | None:
    if not GRAYS.search(text):
        return None
    host = urlparse(url).hostname if url else None
    if host in GRAYS_HOSTS:
        return None
    return f"cites Gray's 1918 but links to {host or 'nothing'}; link a public-domain copy ({sorted(GRAYS_HOSTS)})."


def grays_citations_point_to_grays(c: Content) -> Iterator[Problem]:
    """A reference to Gray's Anatomy (1918) links a public-domain copy of that book, and its note names no other
    work as a copy of it (a modern atlas is its own source)."""
    for r in c.references:
        if problem := _grays_url_problem(r.short + " " + r.citation, r.url):
            yield Problem("references.yaml", r.id, "url", problem)
        if GRAYS.search(r.short) and r.note and re.search(r"imaios|e-anatomy|kenhub|teachmeanatomy", r.note, re.I):
            message = "counts a modern atlas as a copy of Gray's; cite it on its own."
            yield Problem("references.yaml", r.id, "note", message)


def geometry_citations(sources: Iterable[Mapping[str, Any]]) -> Iterator[Problem]:
    """The same rule for the anatomy model's sources (data/geometry/model.yaml): a source that says it is from,
    or after, Gray's 1918 links a copy of Gray's, not another book."""
    for s in sources:
        if problem := _grays_url_problem(str(s.get("citation", "")), s.get("url")):
            yield Problem("geometry/model.yaml", str(s.get("id", "?")), "url", problem)


def geometry_problems(folder: Path) -> list[Problem]:
    """The anatomy model's citation problems (``geometry/model.yaml`` under ``folder``; none when it is absent)."""
    path = folder / "geometry" / "model.yaml"
    if not path.is_file():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(geometry_citations(raw.get("sources") or []))


def _claim_notes(c: Content) -> Iterator[tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """(file, entry, field, texts, refs, finding pointers) for every claim and every goal note."""
    for file, entry, ev, texts in claim_items(c):
        yield file, entry, "findings", texts, ev.refs, ev.findings
    for t in c.techniques.techniques:
        for ge in t.goal_evidence:
            notes = (ge.note,) if ge.note else ()
            yield "techniques.yaml", t.id, f"goal_evidence.{ge.goal}.findings", notes, ge.refs, ge.findings


def findings_resolve(c: Content) -> Iterator[Problem]:
    """Each finding pointer names a reference the item cites and a finding that reference has."""
    for file, entry, field, _texts, refs, pointers in _claim_notes(c):
        for pointer in pointers:
            if pointer.partition("#")[0] not in refs:
                yield Problem(file, entry, field, f"'{pointer}' is not a finding of one of the item's refs.")
            elif c.finding(pointer) is None:
                yield Problem(file, entry, field, f"'{pointer}': that reference has no such finding.")


def results_point_at_findings(c: Content) -> Iterator[Problem]:
    """A claim or goal note that reports what a study found points at the finding instead of restating it only
    in its own words (a result restated in several places is corrected in some and not others)."""
    studies = {r.id for r in c.references if r.findings is not None}
    for file, entry, field, texts, refs, pointers in _claim_notes(c):
        if pointers or not studies & set(refs):
            continue
        for text in texts:
            for sentence in re.split(r"(?<=[.;:!?])\s+", text):
                study = STUDY_WORDS.search(sentence)
                reported = RESULT_PHRASES.search(sentence) or (study and RESULT_WORDS.search(sentence))
                if reported and not NO_STUDY.search(sentence):
                    message = f"reports a study's result without pointing at its finding: “{sentence.strip()}”"
                    yield Problem(file, entry, field, message)
                    break


Rule = Callable[["Content"], Iterable[Problem]]
RULES: tuple[Rule, ...] = (
    ids_are_unique,
    references_resolve,
    technique_ids_resolve,
    anatomy_links_resolve,
    every_item_has_a_review,
    reviews_checked_cited_references,
    wording_matches_weak_grades,
    no_brand_names,
    goal_tags_have_their_evidence,
    deep_belly_pressure_is_clinician_led,
    contraindications_say_who,
    doses_rest_on_a_read_source,
    reviews_cover_changes,
    doses_show_their_basis,
    dose_bounds_fit_the_technique,
    deep_belly_is_fingertips_only,
    poses_have_a_basis,
    steps_take_numbers_from_the_dose,
    grays_citations_point_to_grays,
    findings_resolve,
    results_point_at_findings,
)


def check(c: Content, rules: Iterable[Rule] = RULES) -> list[Problem]:
    """Every problem every rule finds, in rule order."""
    return [p for rule in rules for p in rule(c)]


def folder_problems(c: Content, folder: Path) -> list[Problem]:
    """Every problem of a content folder: the rules over its files, then the anatomy model's citations (the
    loader and ``python -m psoas_explorer.content.check`` both ask this, so they never disagree)."""
    return check(c) + geometry_problems(folder)
