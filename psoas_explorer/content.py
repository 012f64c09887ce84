"""Content models and the one loader every page and test uses.

All prose lives in ``data/*.yaml``. Each file is validated against a strict
pydantic model (unknown keys, unknown badges and dangling reference ids are
errors), so a typo stops the app with a message that names the file, the
entry and the field instead of showing a half-broken page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_DIR_ENV = "PSOAS_DATA_DIR"  # lets tests (and translators) point the app at another content folder


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR)


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Badge = Literal["A", "B", "C", "D", "X", "F"]
Chip = Literal["short_term", "not_psoas_specific", "healthy_volunteers", "add_on", "tool_not_studied"]
Goal = Literal["pain_relief", "posture", "mobility", "recovery", "stress", "breathing", "sleep"]
Audience = Literal["general_public", "desk_workers", "athletes", "older_adults", "clinician_led"]
Setting = Literal["home", "work", "clinic"]
Performer = Literal["self", "partner", "therapist"]
Intensity = Literal["gentle", "moderate", "firm"]


class Model(BaseModel):
    """Frozen and strict: cached content is shared by every session, so nobody may mutate it."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(Model):
    """Anything that makes a claim carries a badge and the references behind it."""

    badge: Badge
    refs: tuple[Slug, ...] = Field(min_length=1)
    chips: tuple[Chip, ...] = ()


# --- evidence scheme and references -------------------------------------------------


class BadgeInfo(Model):
    id: Badge
    label: Text
    detail: Text
    mapping: Text


class ChipInfo(Model):
    id: Chip
    label: Text


class Findings(Model):
    """What a study actually did and found, in our words."""

    design: Text
    participants: Text
    result: Text
    limits: Text
    supports: Text


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
    equipment: tuple[Slug, ...] = ()
    steps: tuple[Text, ...] = Field(min_length=3)
    stop_if: tuple[Text, ...] = Field(min_length=1)
    precautions: tuple[Text, ...] = Field(min_length=1)
    contraindications: tuple[Slug, ...] = ()


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


class RedFlag(Model):
    id: Slug
    label: Text
    why: Text
    refs: tuple[Slug, ...] = Field(min_length=1)


class Contraindication(Model):
    id: Slug
    question: Text  # worded for a yes/no checklist
    why: Text
    refs: tuple[Slug, ...] = Field(min_length=1)


class Safety(Model):
    short: Text
    points: tuple[Text, ...] = Field(min_length=4)
    stop_signs: tuple[Text, ...]
    red_flags: tuple[RedFlag, ...]
    contraindications: tuple[Contraindication, ...]
    disclaimer: Text


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
        for t in self.technique_types:
            yield "Technique types", t.name, t
        for t in self.techniques.techniques:
            yield "Techniques", t.name, t
        for my in m.myths:
            yield "Myths", my.belief, my
        for q in m.faqs:
            yield "FAQ", q.question, q


class ContentError(Exception):
    """A data file is missing or malformed; the message names file, entry and field."""


def _entry_name(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """Turn a pydantic error location into ('entry', 'field') a person can find in the file.

    An index into a list of mappings starts a new entry (named by its id); an index into a list
    of scalars (a coordinate such as ``local: [x, y, z]``) stays part of the field ("local.1").
    """
    node, entry, path = raw, "", []
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


def _check_links(c: Content) -> None:
    """Cross-file rules pydantic cannot see: ids exist and are unique."""
    ref_ids = [r.id for r in c.references]
    _unique("references.yaml", ref_ids)
    known = set(ref_ids)
    for section, statement, ev in c.claims():
        for ref in ev.refs:
            if ref not in known:
                raise ContentError(
                    f"{_file_of(section)}, entry '{getattr(ev, 'id', statement)}', field 'refs': "
                    f"cites reference '{ref}', which is not in references.yaml."
                )
    for item in (*c.safety.red_flags, *c.safety.contraindications):
        for ref in item.refs:
            if ref not in known:
                raise ContentError(f"safety.yaml, entry '{item.id}', field 'refs': unknown reference '{ref}'.")
    techniques = {t.id for t in c.techniques.techniques}
    answers = {m.id for m in c.myths_faq.myths} | {q.id for q in c.myths_faq.faqs}
    for st_ in c.anatomy.structures:
        for field, values, allowed in (
            ("related_techniques", st_.related_techniques, techniques),
            ("related_faqs", st_.related_faqs, answers),
        ):
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ContentError(f"anatomy.yaml, entry '{st_.id}', field '{field}': unknown id '{bad[0]}'.")
    types = {t.id for t in c.technique_types}
    equipment = {e.id for e in c.techniques.equipment}
    contra = {x.id for x in c.safety.contraindications}
    _unique("techniques.yaml", [t.id for t in c.techniques.techniques])
    for t in c.techniques.techniques:
        for field, values, allowed in (
            ("type", (t.type,), types),
            ("equipment", t.equipment, equipment),
            ("contraindications", t.contraindications, contra),
        ):
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ContentError(f"techniques.yaml, entry '{t.id}', field '{field}': unknown id '{bad[0]}'.")


def _unique(name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ContentError(f"{name}, entry '{i}', field 'id': the id is used twice.")
        seen.add(i)


def _file_of(section: str) -> str:
    if section.startswith(("Overview", "Common", "Claimed")):
        return "overview.yaml"
    return {
        "Anatomy": "anatomy.yaml",
        "Myths": "myths_faq.yaml",
        "FAQ": "myths_faq.yaml",
        "Technique types": "technique_types.yaml",
    }.get(section, "techniques.yaml")


def read_validated(path: Path, model: Any) -> Any:
    """Read one YAML or JSON data file and validate it against ``model`` (a type pydantic knows)."""
    return validate(Path(path).name, _read_yaml(Path(path)), model)


def load_content(folder: Path | None = None) -> Content:
    """Read and validate every content file; raise ContentError naming file, entry and field."""
    folder = Path(folder) if folder else data_dir()
    parts = {name.removesuffix(".yaml"): read_validated(folder / name, model) for name, model in FILES.items()}
    content = Content(**parts)
    _check_links(content)
    return content
