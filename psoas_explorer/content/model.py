"""Content models and the file reading they share (``content/load.py`` puts them together with the rules).

All prose lives in ``data/*.yaml``. Each file is validated against a strict
pydantic model (unknown keys, unknown badges and dangling reference ids are
errors), so a typo stops the app with a message that names the file, the
entry and the field instead of showing a half-broken page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from psoas_explorer.i18n import DEFAULT, N_, Lang, tr

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Badge = Literal["A", "B", "C", "D", "X", "F"]
Chip = Literal["short_term", "not_psoas_specific", "healthy_volunteers", "add_on", "tool_not_studied"]
Goal = Literal["pain_relief", "posture", "mobility", "recovery", "stress", "breathing", "sleep"]
Audience = Literal["general_public", "desk_workers", "athletes", "older_adults", "clinician_led"]
Setting = Literal["home", "work", "clinic"]
Performer = Literal["self", "partner", "therapist"]
# No "firm": deep belly work, the firmest the catalog once had, is gentle and graded (issue 21); a filter value
# that finds nothing would only mislead.
Intensity = Literal["gentle", "moderate"]


class Model(BaseModel):
    """Frozen and strict: cached content is shared by every session, so nobody may mutate it."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Verdict = Literal["holds", "fix", "cannot verify"]
# "youdas1996#men_lordosis": one result of one study, written once at the reference (see Findings.items).
FindingRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*#[a-z0-9][a-z0-9_-]*$")]


class Review(Model):
    """One check of an item against its sources: when, by which role, which references were actually read,
    what was verified and the verdict. An item keeps every review (oldest first), so a second reviewer appends
    a record instead of overwriting the first; the evidence page's review log shows the latest."""

    date: dt.date
    checked: tuple[Slug, ...] = Field(min_length=1)  # reference ids whose abstract or text was read
    note: Text  # one line: what was verified (levels, numbers, direction of effect, wording against grade)
    role: Text | None = None  # one of text.REVIEW_ROLES (a rule requires it; records before 7 Dec 2026 lack it)
    verdict: Verdict | None = None  # holds / fix / cannot verify (a rule requires it)


def _legacy_review(data: Any) -> Any:
    """Accept the old single ``review:`` mapping as a one-record ``reviews:`` list (old data still loads, so the
    content rules can run on it and say what is missing)."""
    if isinstance(data, dict) and "review" in data:
        data = dict(data)
        old = data.pop("review")
        data["reviews"] = [*([old] if old else []), *data.get("reviews", [])]
    return data


class Reviewed(Model):
    """Something with review records of its own: a claim, a dose, a pose picture. ``changed`` is the day its
    content last changed; a rule requires a review on or after that day (a review older than what it covers
    does not count)."""

    reviews: tuple[Review, ...] = ()
    changed: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        return _legacy_review(data)

    @property
    def review(self) -> Review | None:
        """The latest review record (None when there is none); of two records on the same day, the one appended
        last, since a second reviewer appends after the first (``max`` alone would keep the first)."""
        return max(reversed(self.reviews), key=lambda r: r.date) if self.reviews else None


class Evidence(Reviewed):
    """Anything that makes a claim carries a badge and the references behind it, and points at the findings it
    reports (``youdas1996#men_lordosis``) instead of restating them."""

    badge: Badge
    refs: tuple[Slug, ...] = Field(min_length=1)
    chips: tuple[Chip, ...] = ()
    findings: tuple[FindingRef, ...] = ()


# --- evidence scheme and references -------------------------------------------------


class BadgeInfo(Model):
    id: Badge
    label: Text
    detail: Text
    mapping: Text


class ChipInfo(Model):
    id: Chip
    label: Text


class Finding(Model):
    """One result of a study, in our words, with an id a claim cites (``youdas1996#men_lordosis``)."""

    id: Slug
    text: Text


class Findings(Model):
    """What a study actually did and found, in our words. Each result is written here once: ``result`` (cited
    as ``<ref>#main``) or, where a study has several results that claims cite separately, ``items``."""

    design: Text
    participants: Text
    result: Text | None = None
    items: tuple[Finding, ...] = ()
    limits: Text
    supports: Text

    @model_validator(mode="after")
    def _has_a_result(self) -> Findings:
        if self.result is None and not self.items:
            raise ValueError("give the study's result, or its results as items with ids")
        return self

    def texts(self) -> dict[str, str]:
        """Finding id -> text: 'main' for the overall result, then each item."""
        return {**({"main": self.result} if self.result else {}), **{f.id: f.text for f in self.items}}


class Reference(Model):
    id: Slug
    short: Text  # "Sığlan & Çolak 2023"
    citation: Text
    kind: Literal["trial", "review", "guideline", "epidemiology", "anatomy", "model", "case", "other"]
    doi: str | None = None
    pmid: str | None = Field(default=None, pattern=r"^\d{6,9}$")
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    url: str | None = Field(default=None, pattern=r"^https://")
    note: str | None = None  # e.g. "PMID as cited by the source; not independently confirmed"
    cited_by_source: bool = False
    findings: Findings | None = None


class EvidenceFile(Model):
    badges: tuple[BadgeInfo, ...]
    chips: tuple[ChipInfo, ...]


# --- overview, anatomy, problems, benefits ------------------------------------------


class Fact(Evidence):
    id: Slug
    title: Text
    text: Text


class Statistic(Evidence):
    id: Slug
    value: Text
    text: Text


class BenefitGroup(Model):
    id: Slug
    audience: Text
    items: tuple[Fact, ...]


class Overview(Model):
    tagline: Text
    intro: Text
    audiences: tuple[Text, ...]
    statistics: tuple[Statistic, ...]
    problems: tuple[Fact, ...]
    benefits: tuple[BenefitGroup, ...]


class Structure(Evidence):
    """A muscle, nerve, vessel or organ shown as a layer on the anatomy diagram."""

    id: Slug
    name: Text
    kind: Literal["muscle", "nerve", "vessel", "organ"]
    plain: Text
    technical: Text
    why_it_matters: Text
    approximate: bool = False
    related_techniques: tuple[Slug, ...] = ()
    related_faqs: tuple[Slug, ...] = ()  # ids of myths or FAQs


class Anatomy(Model):
    facts: tuple[Fact, ...]
    structures: tuple[Structure, ...]
    disagreements: tuple[Fact, ...]


# --- techniques ---------------------------------------------------------------------


class TechniqueType(Evidence):
    id: Slug
    name: Text
    summary: Text
    who: Text
    cost_time: Text
    goals: tuple[Goal, ...] = Field(min_length=1)
    audiences: tuple[Audience, ...] = Field(min_length=1)
    caution: Text


class GoalEvidence(Model):
    """The evidence for one goal a technique is tagged with: a filter by goal shows the evidence for that goal,
    not the technique's best-supported use (a stretch graded B for mobility is X for posture)."""

    goal: Goal
    badge: Badge
    refs: tuple[Slug, ...] = Field(min_length=1)
    note: Text | None = None  # a short plain-words reason shown beside the badge, e.g. "not shown to change posture"
    findings: tuple[FindingRef, ...] = ()  # the study results the note rests on: shown, never restated


# The body position a technique's picture shows (anatomy/pose.py draws it from the anatomy model).
Body = Literal["standing", "sitting", "half_kneeling", "lying_back", "lying_front"]
ActsAt = Literal["belly", "hip_front", "front_thigh", "buttock", "lower_back", "lower_ribs", "knee"]
ActsBy = Literal["hands", "tool", "ball", "roller", "stretch", "breath", "movement"]
Prop = Literal["bolster", "chair", "bed_edge", "roller", "ball", "cushion"]
# Joint ranges in degrees. The drawn side's hip stays in the range the psoas model is trustworthy over
# (anatomy/kinematics.py MIN_ANGLE..MAX_ANGLE, -20..90; a test checks they agree: content may not import anatomy);
# the other hip only has to be a hip (a knee hug is about 120). Knees bend 0 (straight) to 150.
HIP_MIN, HIP_MAX = -20.0, 90.0
OTHER_HIP_MAX = 130.0
KNEE_MAX = 150.0


class Pose(Reviewed):
    """How the technique's picture poses the body: posture, the drawn side's hip and knee, and what acts where.

    ``hip`` is flexion of the side the technique works on (negative = extended behind the body, as in a
    hip-flexor stretch); the psoas length printed under the picture comes from the model at this angle.
    """

    body: Body
    side: Literal["right", "left"]
    hip: float = Field(ge=HIP_MIN, le=HIP_MAX)
    knee: float = Field(ge=0, le=KNEE_MAX)
    other_hip: float = Field(ge=HIP_MIN, le=OTHER_HIP_MAX)
    other_knee: float = Field(ge=0, le=KNEE_MAX)
    tilt: float = Field(default=0.0, ge=-30, le=30)  # trunk raised (+) or leaned back (-) from the posture's own
    acts_at: ActsAt
    acts_by: ActsBy
    props: tuple[Prop, ...] = ()
    basis: Text | None = None  # one line: what the picture follows (the steps, a study's position); a rule requires it

    @model_validator(mode="after")
    def _stretch_extends_the_hip(self) -> Pose:
        # A hip-flexor stretch lengthens the psoas, so its picture must take the hip behind the body.
        if self.acts_by == "stretch" and self.hip >= 0:
            raise ValueError("a stretch must show the drawn hip extended (hip below 0 degrees)")
        return self


@dataclass(frozen=True)
class DoseField:
    """One number of a dose: its short link letter, its label and unit, and the range a clinician may set."""

    name: str  # attribute of Dose
    letter: str  # in a link: d=<technique id>.h45.r3
    label: str  # the number input's label
    unit: str  # after the bounds in the input's help: "From 5 to 120 seconds."
    lo: int
    hi: int
    step: int


# The one table of dose fields and their safe bounds: the data, the number inputs, the link and the words all
# read it. Bounds are deliberately modest for a home plan (a clinician wanting more can say so in the note).
DOSE_FIELDS: tuple[DoseField, ...] = (
    DoseField("hold", "h", N_("Hold (seconds)"), N_("seconds"), 5, 120, 5),
    DoseField("reps", "r", N_("Repetitions"), N_("times"), 1, 20, 1),
    DoseField("sets", "s", N_("Sets"), N_("sets"), 1, 5, 1),
    DoseField("per_day", "d", N_("Times a day"), N_("times a day"), 1, 12, 1),
    DoseField("per_week", "w", N_("Times a week"), N_("times a week"), 1, 7, 1),
    DoseField("weeks", "k", N_("Weeks"), N_("weeks"), 1, 26, 1),
)
DOSE_FIELD = {f.name: f for f in DOSE_FIELDS}

# Deep belly self-work (``deep_belly``, done by the person) has no ready-made dose: a clinician types one, or none,
# within these tighter upper bounds (the lower bounds are the table's). No study gives a dose for pressing through
# the belly wall, so the bounds stay near what the technique's steps describe: a hold of a few slow breaths (30 s
# at most), two or three points on each side, and no more than three times a week (about every other day; the
# bound counts sessions, it cannot space them), so that any soreness or bruising is noticed and reported before
# the next session.
DEEP_BELLY_DOSE: dict[str, int] = {"hold": 30, "reps": 3, "per_week": 3}


def dose_problem(field: str, value: int, hi: int | None = None, lang: Lang = DEFAULT) -> str | None:
    """Why ``value`` is not a safe ``field`` of a dose (None when it is): one message for data, widgets and links,
    in ``lang`` (the data's checks say it in English). ``hi``: the technique's own upper bound (``Dose.upto``),
    never above the table's."""
    f = DOSE_FIELD[field]
    top = f.hi if hi is None else min(hi, f.hi)
    if f.lo <= value <= top:
        return None
    return tr(lang, "{setting} must be from {lo} to {hi}; {value} is out of range").format(
        setting=tr(lang, f.label), lo=f.lo, hi=top, value=value
    )


class Dose(Reviewed):
    """A technique's default dose: only the numbers that make sense for it, each within DOSE_FIELDS' bounds and
    the technique's own (``upto``), and what it rests on (a reference that used this position and dose, or
    plainly a cautious start from the technique's text), shown beside the numbers as ``says``."""

    hold: int | None = None
    reps: int | None = None
    sets: int | None = None
    per_day: int | None = None
    per_week: int | None = None
    weeks: int | None = None
    each_side: bool = False  # done on the left and on the right
    source: Slug | None = None  # a reference that used this position and this dose (read in the dose's review)
    basis: Text  # one line: which numbers come from where
    says: Text | None = None  # shown beside the dose: "as in Hatefi 2021" or text.CAUTIOUS_START (a rule checks it)
    # The technique's own upper bound for each of its numbers (a clinician may type up to it, never more):
    # written as a mapping in YAML, kept as frozen (field, bound) pairs.
    upto: tuple[tuple[str, int], ...] = ()

    @field_validator("upto", mode="before")
    @classmethod
    def _upto_pairs(cls, value: Any) -> Any:
        return tuple(value.items()) if isinstance(value, dict) else value

    @field_validator(*DOSE_FIELD, mode="after")
    @classmethod
    def _bounded(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and (problem := dose_problem(str(info.field_name), value)):
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _sensible(self) -> Dose:
        if not self.numbers():
            raise ValueError("a dose needs at least one number (" + ", ".join(DOSE_FIELD) + ")")
        if self.per_day is not None and self.per_week is not None:
            raise ValueError("give times a day or times a week, not both")
        if self.sets is not None and self.reps is None:
            raise ValueError("sets need repetitions")
        if self.source is None and "conservative starting point" not in self.basis.lower():
            raise ValueError("without a source, the basis must say it is a conservative starting point")
        for field, hi in self.upto:
            if field not in DOSE_FIELD:
                raise ValueError(f"upto: '{field}' is not a dose field")
            if (value := getattr(self, field)) is not None and (problem := dose_problem(field, value, hi)):
                raise ValueError(f"upto: the default is above the technique's own bound ({problem})")
        return self

    def limit(self, field: str) -> int:
        """The highest value a clinician may set for ``field`` in this technique."""
        return min(dict(self.upto).get(field, DOSE_FIELD[field].hi), DOSE_FIELD[field].hi)

    def numbers(self) -> dict[str, int]:
        """The fields this dose has, in table order (the ones a clinician can change)."""
        return {f.name: v for f in DOSE_FIELDS if (v := getattr(self, f.name)) is not None}


class Technique(Evidence):
    id: Slug
    name: Text
    type: Slug
    summary: Text
    goals: tuple[Goal, ...] = Field(min_length=1)
    audiences: tuple[Audience, ...] = Field(min_length=1)
    settings: tuple[Setting, ...] = Field(min_length=1)
    performer: Performer
    intensity: Intensity
    time: Text
    frequency: Text
    dose: Dose | None = None  # the default dose; none for a therapist's session (the therapist sets it)
    equipment: tuple[Slug, ...] = ()
    steps: tuple[Text, ...] = Field(min_length=3)
    stop_if: tuple[Text, ...] = Field(min_length=1)
    precautions: tuple[Text, ...] = Field(min_length=1)
    contraindications: tuple[Slug, ...] = ()
    deep_belly: bool = False  # presses through the belly wall toward the psoas or iliacus: clinician-led only
    always_shown: bool = False  # a safety step (the clinician check): the safety screen never hides it
    # Why a contraindication applies to this technique, when the general reason in safety.yaml would not fit
    # (pregnancy for a face-down stretch is about lying on the belly, not pressure on the womb).
    # Written as a mapping in YAML; kept as frozen (id, reason) pairs, because cached content is shared.
    why_not: tuple[tuple[Slug, Text], ...] = ()
    goal_evidence: tuple[GoalEvidence, ...] = ()
    pose: Pose  # the picture on the card and the sheet

    @field_validator("dose", mode="after")
    @classmethod
    def _dose_fits(cls, value: Dose | None, info: ValidationInfo) -> Dose | None:
        if value is not None and info.data.get("performer") == "therapist":
            raise ValueError("a therapist's session has no home dose; leave 'dose' out")
        return value

    @field_validator("why_not", mode="before")
    @classmethod
    def _pairs(cls, value: Any) -> Any:
        return tuple(value.items()) if isinstance(value, dict) else value

    def reason_not(self, contraindication: str) -> str | None:
        """This technique's own reason for a contraindication, where the general one would not fit."""
        return dict(self.why_not).get(contraindication)


class Equipment(Model):
    id: Slug
    name: Text


class TechniquesFile(Model):
    equipment: tuple[Equipment, ...]
    techniques: tuple[Technique, ...]

    def equipment_names(self) -> dict[str, str]:
        """Equipment id -> display name: what filters, cards and the handout show."""
        return {e.id: e.name for e in self.equipment}


# --- myths, FAQ, safety -------------------------------------------------------------


class Myth(Evidence):
    id: Slug
    belief: Text
    evidence_says: Text


class Faq(Evidence):
    id: Slug
    question: Text
    answer: Text


class MythsFaq(Model):
    myths: tuple[Myth, ...] = Field(min_length=3)
    faqs: tuple[Faq, ...] = Field(min_length=5)

    def items(self) -> tuple[Myth | Faq, ...]:
        return (*self.myths, *self.faqs)


class RedFlag(Reviewed):
    id: Slug
    label: Text
    why: Text
    refs: tuple[Slug, ...] = Field(min_length=1)


class Contraindication(Reviewed):
    id: Slug
    question: Text  # worded for a yes/no checklist
    plain: Text | None = None  # who should skip a technique, as "you …" words after "Skip it if:" on cards and sheets
    why: Text
    refs: tuple[Slug, ...] = Field(min_length=1)


class Safety(Model):
    short: Text
    points: tuple[Text, ...] = Field(min_length=4)
    stop_signs: tuple[Text, ...]
    red_flags: tuple[RedFlag, ...]
    contraindications: tuple[Contraindication, ...]
    disclaimer: Text

    def items(self) -> tuple[RedFlag | Contraindication, ...]:
        """Every red flag, then every contraindication: the screen's questions, each with refs and review."""
        return (*self.red_flags, *self.contraindications)


class GlossaryEntry(Model):
    term: Text
    plain: Text


# --- the whole content set ----------------------------------------------------------

FILES: dict[str, Any] = {
    "evidence.yaml": EvidenceFile,
    "references.yaml": tuple[Reference, ...],
    "overview.yaml": Overview,
    "anatomy.yaml": Anatomy,
    "technique_types.yaml": Annotated[tuple[TechniqueType, ...], Field(min_length=5, max_length=5)],
    "techniques.yaml": TechniquesFile,
    "myths_faq.yaml": MythsFaq,
    "safety.yaml": Safety,
    "glossary.yaml": tuple[GlossaryEntry, ...],
}


class Content(Model):
    evidence: EvidenceFile
    references: tuple[Reference, ...]
    overview: Overview
    anatomy: Anatomy
    technique_types: tuple[TechniqueType, ...]
    techniques: TechniquesFile
    myths_faq: MythsFaq
    safety: Safety
    glossary: tuple[GlossaryEntry, ...]

    def reference(self, ref_id: str) -> Reference:
        return next(r for r in self.references if r.id == ref_id)

    def finding(self, pointer: str) -> tuple[Reference, str] | None:
        """``'youdas1996#men_lordosis'`` -> (the reference, the finding's text); None when either is unknown."""
        ref_id, _, fid = pointer.partition("#")
        ref = next((r for r in self.references if r.id == ref_id), None)
        text = ref.findings.texts().get(fid) if ref and ref.findings else None
        return (ref, text) if ref and text else None

    def technique(self, technique_id: str) -> Technique:
        return next(t for t in self.techniques.techniques if t.id == technique_id)

    def technique_type(self, type_id: str) -> TechniqueType:
        return next(t for t in self.technique_types if t.id == type_id)

    def claims(self) -> Iterator[tuple[str, str, Evidence]]:
        """Every claim the app shows: (section, statement, evidence)."""
        o, a, m = self.overview, self.anatomy, self.myths_faq
        for s in o.statistics:
            yield "Overview", s.text, s
        for f in a.facts:
            yield "Anatomy", f.title, f
        for f in a.disagreements:
            yield "Anatomy", f.title, f
        for st_ in a.structures:
            yield "Anatomy", st_.name, st_
        for f in o.problems:
            yield "Common problems", f.title, f
        for g in o.benefits:
            for f in g.items:
                yield f"Claimed benefits: {g.audience}", f.title, f
        for tt in self.technique_types:
            yield "Technique types", tt.name, tt
        for t in self.techniques.techniques:
            yield "Techniques", t.name, t
        for my in m.myths:
            yield "Myths", my.belief, my
        for q in m.faqs:
            yield "FAQ", q.question, q


# The claims' sections (Content.claims yields them in English: the search catalog keys pages by them).
SECTIONS = (
    N_("Overview"), N_("Anatomy"), N_("Common problems"), N_("Technique types"), N_("Techniques"), N_("Myths"),
    N_("FAQ"),
)  # fmt: skip
_BENEFITS = "Claimed benefits: "


def section_label(section: str, lang: Lang = DEFAULT) -> str:
    """A claim's section (from ``Content.claims``) in ``lang``; a benefits section names its audience, which is
    the content's word (already in that language)."""
    if section.startswith(_BENEFITS):
        return tr(lang, "Claimed benefits: {audience}").format(audience=section.removeprefix(_BENEFITS))
    return tr(lang, section)


class ContentError(Exception):
    """A data file is missing or malformed; the message names file, entry and field."""


def _entry_name(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """Turn a pydantic error location into ('entry', 'field') a person can find in the file.

    An index into a list of mappings starts a new entry (named by its id); an index into a list
    of scalars (a coordinate such as ``local: [x, y, z]``) stays part of the field ("local.1").
    """
    node, entry, path = raw, "", list[str]()
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part] if part < len(node) else None
            if isinstance(item, dict):
                entry = f"'{item['id']}'" if item.get("id") else f"#{part + 1}"
                node, path = item, []
                continue
            node = item
            path.append(str(part))
            continue
        path.append(str(part))
        node = node.get(part) if isinstance(node, dict) else None
    return entry or "(top level)", ".".join(path) or "(whole entry)"


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise ContentError(f"{path.name}: file is missing (expected at {path}).")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML ({exc}).") from None


def validate(name: str, raw: Any, model: Any) -> Any:
    """Validate parsed data; the first problem becomes a ContentError naming file, entry and field."""
    try:
        return TypeAdapter(model).validate_python(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        entry, field = _entry_name(raw, tuple(err["loc"]))
        more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
        raise ContentError(f"{name}, entry {entry}, field '{field}': {err['msg']}{more}.") from None


def read_validated(path: Path, model: Any) -> Any:
    """Read one YAML or JSON data file and validate it against ``model`` (a type pydantic knows)."""
    return validate(Path(path).name, _read_yaml(Path(path)), model)
