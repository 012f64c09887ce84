"""Content rules pydantic cannot express: cross-file ids, safety, honesty of wording, review records.

One rule per function. Each yields every problem it finds as a ``Problem`` naming file, entry and field, so
a broken data set is reported whole, not one error per reload. ``check`` runs them all; the loader raises
``ContentError`` with every message. Run ``python -m psoas_explorer.content.check`` to list problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psoas_explorer.content.model import Content, Evidence


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


def every_item_has_a_review(c: Content) -> Iterator[Problem]:
    """Each claim, red flag and contraindication says when it was checked, against what, and what was found."""
    for file, entry, ev, _ in claim_items(c):
        if ev.review is None:
            yield Problem(file, entry, "review", "missing review record (date, checked, note).")
    for item in c.safety.items():
        if item.review is None:
            yield Problem("safety.yaml", item.id, "review", "missing review record (date, checked, note).")


def reviews_checked_cited_references(c: Content) -> Iterator[Problem]:
    """A review can only have checked references the item cites (else the record claims more than it shows)."""
    items = [(f, e, ev.refs, ev.review) for f, e, ev, _ in claim_items(c)]
    items += [("safety.yaml", x.id, x.refs, x.review) for x in c.safety.items()]
    for file, entry, refs, review in items:
        if review is not None:
            for bad in _unknown(review.checked, set(refs)):
                yield Problem(file, entry, "review.checked", f"'{bad}' is not among the item's refs.")


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
    """A default dose's source is one of the technique's references that its review says was read."""
    for t in c.techniques.techniques:
        if t.dose is None or t.dose.source is None:
            continue
        read = set(t.review.checked) if t.review else set()
        if t.dose.source not in read:
            message = f"'{t.dose.source}' is not among the references its review read."
            yield Problem("techniques.yaml", t.id, "dose.source", message)


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
)


def check(c: Content, rules: Iterable[Rule] = RULES) -> list[Problem]:
    """Every problem every rule finds, in rule order."""
    return [p for rule in rules for p in rule(c)]
