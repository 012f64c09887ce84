"""The second review of the Spanish safety text (issue 25: "every safety sentence is back-translated by a second
reviewer who did not translate it, and differences in meaning are fixed and recorded").

The record is data/es/review.yaml: one entry per safety text (file, entry id, field, index in a list), with the
reviewer's back-translation, the verdict and, for a fix, what differed and the Spanish it replaced. Each entry keeps
a short fingerprint of the English and the Spanish it judged, so an edit to either after the review fails here until
someone back-translates the new text: the record stays true of what a visitor reads.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "data"
REVIEW = DATA / "es" / "review.yaml"
VERDICTS = {"same meaning", "fixed"}
ROLE = "second reviewer (back-translation; did not translate)"

# Key of one safety text: (file, entry id or None for a top-level field, field, index in a list or None).
Key = tuple[str, str | None, str, int | None]


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _texts(value: Any) -> Iterator[tuple[int | None, Any]]:
    if isinstance(value, list):
        yield from enumerate(value)
    else:
        yield None, value


def safety_texts(data: Path = DATA) -> dict[Key, tuple[str, str | None]]:
    """Every safety text of the English with its Spanish (None where the overlay lacks it): the warning, points,
    stop signs, red flags, contraindications and disclaimer of safety.yaml; each technique's stop_if, precautions
    and why_not; each technique type's caution; each anatomy structure's why_it_matters."""
    out: dict[Key, tuple[str, str | None]] = {}

    def add(file: str, iid: str | None, field: str, en: Any, es: Any) -> None:
        spanish = dict(_texts(es)) if es is not None else {}
        for n, text in _texts(en):
            out[(file, iid, field, n)] = (str(text), spanish.get(n))

    def by_id(items: list[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
        return {i["id"]: i for i in items or []}

    en, es = _load(data / "safety.yaml"), _load(data / "es" / "safety.yaml")
    for field in ("short", "points", "stop_signs", "disclaimer"):
        add("safety.yaml", None, field, en[field], es.get(field))
    for section, fields in (("red_flags", ("label", "why")), ("contraindications", ("question", "plain", "why"))):
        spanish = by_id(es.get(section))
        for item in en[section]:
            for field in fields:
                add("safety.yaml", item["id"], field, item[field], spanish.get(item["id"], {}).get(field))

    en, es = _load(data / "techniques.yaml"), _load(data / "es" / "techniques.yaml")
    spanish = by_id(es.get("techniques"))
    for item in en["techniques"]:
        there = spanish.get(item["id"], {})
        for field in ("stop_if", "precautions"):
            if field in item:
                add("techniques.yaml", item["id"], field, item[field], there.get(field))
        for cid, text in (item.get("why_not") or {}).items():
            add("techniques.yaml", item["id"], f"why_not.{cid}", text, (there.get("why_not") or {}).get(cid))

    spanish = by_id(_load(data / "es" / "technique_types.yaml"))
    for item in _load(data / "technique_types.yaml"):
        add("technique_types.yaml", item["id"], "caution", item["caution"], spanish.get(item["id"], {}).get("caution"))

    en, es = _load(data / "anatomy.yaml"), _load(data / "es" / "anatomy.yaml")
    structures = by_id(es.get("structures"))
    for item in en["structures"]:
        why = structures.get(item["id"], {}).get("why_it_matters")
        add("anatomy.yaml", item["id"], "why_it_matters", item["why_it_matters"], why)
    return out


def fingerprint(text: str) -> str:
    """Eight hex digits of the text with its line breaks and spacing ignored (YAML folds them away)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:8]


def key_of(entry: dict[str, Any]) -> Key:
    return (entry["file"], entry.get("id"), entry["field"], entry.get("index"))


def record_problems(
    entries: list[dict[str, Any]],
    texts: dict[Key, tuple[str, str | None]],
    key: Callable[[dict[str, Any]], Key] = key_of,
) -> Iterator[str]:
    """What is wrong with the review record against the current texts (``key``: an entry's key among them)."""
    seen: set[Key] = set()
    for entry in entries:
        at = key(entry)
        where = "/".join(str(k) for k in at if k is not None)
        if at in seen:
            yield f"{where}: reviewed twice"
        seen.add(at)
        if at not in texts:
            yield f"{where}: no such text"
            continue
        en, es = texts[at]
        if es is None:
            yield f"{where}: the Spanish is missing"
            continue
        if not str(entry.get("back", "")).strip():
            yield f"{where}: no back-translation"
        if entry.get("verdict") not in VERDICTS:
            yield f"{where}: verdict {entry.get('verdict')!r} is not one of {sorted(VERDICTS)}"
        if entry.get("role") != ROLE or not isinstance(entry.get("date"), datetime.date):
            yield f"{where}: the role and date of the review are missing"
        if entry.get("verdict") == "fixed":
            if not str(entry.get("fix", "")).strip() or not str(entry.get("was", "")).strip():
                yield f"{where}: a fix says what differed and what changed (fix) and the Spanish it replaced (was)"
            elif fingerprint(str(entry["was"])) == fingerprint(es):
                yield f"{where}: fixed, but the Spanish is still the one it replaced"
        if entry.get("en") != fingerprint(en):
            yield f"{where}: the English changed since the review: back-translate the Spanish again"
        if entry.get("es") != fingerprint(es):
            yield f"{where}: the Spanish changed since the review: back-translate it again"
    for missing in sorted(set(texts) - seen, key=str):
        yield f"{'/'.join(str(k) for k in missing if k is not None)}: not reviewed"


@pytest.fixture(scope="module")
def texts() -> dict[Key, tuple[str, str | None]]:
    return safety_texts()


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    record: list[dict[str, Any]] = _load(REVIEW)["reviews"]
    return record


def test_every_safety_text_is_reviewed_once_as_it_is_now(
    entries: list[dict[str, Any]], texts: dict[Key, tuple[str, str | None]]
) -> None:
    """Every safety text has one entry, every entry points at an existing text, and each judged the current English
    and Spanish; a fix no longer shows the Spanish it replaced."""
    assert list(record_problems(entries, texts)) == []


def test_the_record_covers_all_the_safety_kinds(texts: dict[Key, tuple[str, str | None]]) -> None:
    """The list of safety texts is not vacuous: it has each kind the issue and the overlay tests call safety text."""
    fields = {(file, field.split(".")[0]) for file, _, field, _ in texts}
    assert fields == {
        *(("safety.yaml", f) for f in ("short", "points", "stop_signs", "disclaimer", "label", "why", "question")),
        ("safety.yaml", "plain"),
        *(("techniques.yaml", f) for f in ("stop_if", "precautions", "why_not")),
        ("technique_types.yaml", "caution"),
        ("anatomy.yaml", "why_it_matters"),
    }
    assert len(texts) > 200


def test_the_check_catches_a_gap_a_stale_entry_and_an_unmade_fix() -> None:
    en, es = "Stop at once.", "Pare de inmediato."
    texts: dict[Key, tuple[str, str | None]] = {("safety.yaml", None, "short", None): (en, es)}
    good = {
        "file": "safety.yaml",
        "field": "short",
        "back": "Stop at once.",
        "verdict": "same meaning",
        "date": datetime.date(2026, 12, 7),
        "role": ROLE,
        "en": fingerprint(en),
        "es": fingerprint(es),
    }
    assert list(record_problems([good], texts)) == []
    assert any("not reviewed" in p for p in record_problems([], texts))
    assert any("no such" in p for p in record_problems([good, {**good, "field": "points", "index": 9}], texts))
    assert any("reviewed twice" in p for p in record_problems([good, good], texts))
    assert any("Spanish changed" in p for p in record_problems([good], {**texts, key_of(good): (en, "Pare.")}))
    assert any("English changed" in p for p in record_problems([good], {**texts, key_of(good): ("Stop.", es)}))
    unmade = {**good, "verdict": "fixed", "fix": "softened", "was": es}
    assert any("still the one it replaced" in p for p in record_problems([unmade], texts))
    assert any("(was)" in p for p in record_problems([{**good, "verdict": "fixed"}], texts))
