"""The second review of the Spanish anatomy diagram (issue 25, "Quality"): every text the diagram shows in Spanish
back-translated into English by a reviewer who did not translate it, differences in meaning fixed and recorded.

The record is data/es/review-diagram.yaml, in the spirit of data/es/review.yaml (tests/unit/test_es_review.py, whose
check it reuses): one entry per text, with the back-translation, the verdict and, for a fix, what differed and the
Spanish it replaced, and fingerprints of the English and Spanish judged. The texts are

- the model's words: each ``id.field`` of data/geometry/model.yaml a visitor reads (``anatomy/words.py``) with its
  Spanish in data/es/geometry.yaml (entry: ``file: geometry.yaml``, ``id``, ``field``);
- the catalog's messages of the diagram code: those marked in psoas_explorer/anatomy/ and psoas_explorer/web/anatomy.py
  (as set-up extracts them) and the drawing's words kept in content/vocab.py (its labels, layer and view names), with
  their msgstr in the Spanish catalog (entry: ``file: messages.po``, ``msgid``, and ``msgctxt`` when it has one).

An edit to either language after the review, a new diagram text without an entry, or an entry for a text that is gone
fails here until someone back-translates it and updates the record.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.extract import DEFAULT_KEYWORDS, extract, extract_from_dir
from babel.messages.pofile import read_po

from psoas_explorer.anatomy import description, words
from psoas_explorer.content import vocab
from psoas_explorer.i18n import LOCALE_DIR
from tests.unit.test_es_review import ROLE, Key, record_problems

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
REVIEW = DATA / "es" / "review-diagram.yaml"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "tr": (2,), "trn": (2, 3)}
GEOMETRY, CATALOG = "geometry.yaml", "messages.po"
# The drawing's words that live in content/vocab.py (the diagram's labels, its layers' and views' names).
VOCAB = (vocab.DIAGRAM_LABELS, vocab._ORIGIN_PART_WORDS, vocab.LAYER_NAMES, vocab.VIEW_LABELS)


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def geometry_texts(data: Path = DATA) -> dict[Key, tuple[str, str | None]]:
    """Every text of the model a visitor reads, with its Spanish (None where the overlay lacks it)."""
    spanish: dict[str, dict[str, str]] = _load(data / "es" / GEOMETRY) or {}
    out: dict[Key, tuple[str, str | None]] = {}
    for item in words._described(description.shipped_geometry().model):
        ident = str(getattr(item, "id", ""))
        for field, text in words._texts(item).items():
            out[(GEOMETRY, ident, field, None)] = (text, spanish.get(ident, {}).get(field))
    return out


def diagram_messages() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """(msgctxt, msgid) of every message the diagram code marks."""
    found = {
        (context, message)
        for _name, _line, message, _comments, context in extract_from_dir(
            str(ROOT / "psoas_explorer" / "anatomy"), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    }
    with (ROOT / "psoas_explorer" / "web" / "anatomy.py").open("rb") as f:
        found |= {(context, message) for _line, message, _comments, context in extract("python", f, KEYWORDS)}
    found |= {(None, message) for words_of in VOCAB for message in words_of.values()}
    return found


def catalog_texts() -> dict[Key, tuple[str, str | None]]:
    """Every diagram message with its Spanish msgstr (None where the catalog has none); plural forms joined."""
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / CATALOG).open("rb") as f:
        catalog = read_po(f, locale="es")
    out: dict[Key, tuple[str, str | None]] = {}
    for context, message in diagram_messages():
        msgid = message if isinstance(message, str) else message[0]
        english = message if isinstance(message, str) else " | ".join(m for m in message if m)
        entry = catalog.get(msgid, context=context)
        translated = entry.string if entry is not None and not entry.fuzzy else None
        if isinstance(translated, tuple | list):
            translated = " | ".join(translated)
        out[(CATALOG, context, msgid, None)] = (english, translated or None)
    return out


def diagram_key(entry: dict[str, Any]) -> Key:
    if entry.get("file") == CATALOG:
        return (CATALOG, entry.get("msgctxt"), entry.get("msgid", ""), None)
    return (entry.get("file", ""), entry.get("id"), entry.get("field", ""), None)


@pytest.fixture(scope="module")
def texts() -> dict[Key, tuple[str, str | None]]:
    return {**geometry_texts(), **catalog_texts()}


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    record: list[dict[str, Any]] = _load(REVIEW)["reviews"]
    return record


def test_every_diagram_text_is_reviewed_once_as_it_is_now(
    entries: list[dict[str, Any]], texts: dict[Key, tuple[str, str | None]]
) -> None:
    """Every diagram text has one entry, every entry points at an existing text, and each judged the current English
    and Spanish; a fix no longer shows the Spanish it replaced."""
    assert list(record_problems(entries, texts, diagram_key)) == []


def test_the_list_of_diagram_texts_is_not_vacuous(texts: dict[Key, tuple[str, str | None]]) -> None:
    """It holds the model's words of each kind and the catalog's messages of each diagram module, the plain label
    the issue names among them."""
    geometry = {(ident, field) for file, ident, field, _ in texts if file == GEOMETRY}
    assert {("origin_l3_tp", "label"), ("femoral_nerve", "technical"), ("bones_vs_muscle_model", "text")} <= geometry
    assert {("gait2392", "citation"), ("gait2392", "licence"), ("insertion_lesser_trochanter", "name")} <= geometry
    assert len(geometry) > 100
    messages = {(context, msgid) for file, context, msgid, _ in texts if file == CATALOG}
    assert {
        (None, "side wing of {level}"),  # content/vocab.py
        ("side of the body", "Front"),  # anatomy/figures.py, pgettext
        (None, "Navel (belly button)"),  # anatomy/body.py
        (None, "Hip bent {degrees}°"),  # anatomy/description.py
        (None, "Lying face down"),  # anatomy/pose.py
        (None, "Layers"),  # web/anatomy.py
    } <= messages
    assert len(messages) > 120


def test_the_record_is_dated_and_signed_as_the_second_review(entries: list[dict[str, Any]]) -> None:
    assert {e["date"] for e in entries} == {datetime.date(2026, 12, 8)} and {e["role"] for e in entries} == {ROLE}
    assert {e["file"] for e in entries} == {GEOMETRY, CATALOG}
    side_wing = next(e for e in entries if e.get("msgid") == "side wing of {level}")
    assert "apófisis transversa" in side_wing["note"]  # the judgement the issue asks for on the plain label


def test_the_check_catches_an_edit_to_a_reviewed_catalog_text(entries: list[dict[str, Any]]) -> None:
    en, es = "Seen from the patient's right side", "Desde la derecha del paciente"
    key: Key = (CATALOG, None, en, None)
    good = next(e for e in entries if diagram_key(e) == key)
    assert list(record_problems([good], {key: (en, es)}, diagram_key)) == []
    assert any("Spanish changed" in p for p in record_problems([good], {key: (en, "Vista lateral")}, diagram_key))
    assert any("not reviewed" in p for p in record_problems([], {key: (en, es)}, diagram_key))
    assert any("still the one it replaced" in p for p in record_problems([good], {key: (en, good["was"])}, diagram_key))
