"""Content overlays (issue 25): another language's text read over the English by docs/translation.md's format, a
malformed overlay stopping with file, entry and field, and every gap listed and marked on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from psoas_explorer.content import load, overlay
from psoas_explorer.content import model as c
from tests.support import DATA

MARK = " (sin traducir)"

ENGLISH: dict[str, Any] = {  # a small file in the shapes the data files have
    "short": "See a doctor first.",
    "points": ["Go slowly.", "Stop if it hurts."],
    "red_flags": [
        {"id": "fever", "label": "Fever", "why": "An infection.", "refs": ["nice"], "reviews": [{"note": "ok"}]},
        {"id": "weak_legs", "label": "Weak legs", "why": "Nerve trouble.", "refs": ["nice"]},
    ],
}


def merged(over: Any, english: dict[str, Any] | None = None) -> tuple[Any, list[overlay.Gap]]:
    return overlay.merge("safety.yaml", english or ENGLISH, over, "es")


def write(folder: Path, name: str, data: Any) -> None:
    (folder / "es").mkdir(exist_ok=True)
    (folder / "es" / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_an_overlay_is_read_over_the_english_by_key_by_id_and_whole_lists() -> None:
    over = {
        "short": "Consulte primero a un médico.",
        "points": ["Vaya despacio.", "Pare si duele."],
        "red_flags": [{"id": "weak_legs", "label": "Piernas débiles", "why": "Un problema de los nervios."}],
    }
    data, gaps = merged(over)
    assert data["short"] == "Consulte primero a un médico."
    assert data["points"] == ["Vaya despacio.", "Pare si duele."]
    weak = data["red_flags"][1]
    assert (weak["id"], weak["label"], weak["refs"]) == ("weak_legs", "Piernas débiles", ["nice"])  # ids kept
    # the entry the overlay left out: the English, marked, and listed field by field
    assert data["red_flags"][0]["label"] == "Fever" + MARK
    assert data["red_flags"][0]["reviews"] == [{"note": "ok"}]  # review records kept as written, never marked
    assert [str(g) for g in gaps] == [
        "safety.yaml, entry 'fever', field 'label'",
        "safety.yaml, entry 'fever', field 'why'",
    ]
    assert all(g.safety for g in gaps)


def test_a_missing_overlay_is_all_english_with_the_mark() -> None:
    data, gaps = overlay.merge("safety.yaml", ENGLISH, overlay.read(Path("/nonexistent.yaml")), "es")
    assert data["points"] == ["Go slowly." + MARK, "Stop if it hurts." + MARK]
    assert len(gaps) == 6  # short, points (one list), and two fields of each red flag


@pytest.mark.parametrize(
    ("over", "says"),
    [
        ({"red_flags": [{"id": "no_such_flag", "label": "x"}]}, "entry 'no_such_flag', field 'red_flags'"),
        ({"points": ["Solo uno."]}, "field 'points': expected the whole list of 2 items"),
        ({"shortt": "Texto"}, "field 'shortt': not a field of the English entry"),
        ({"red_flags": [{"id": "fever", "refs": ["otra"]}]}, "entry 'fever', field 'refs': the same in every"),
        ({"short": 3}, "field 'short': expected translated text, found a int"),
        ({"short": ["a list"]}, "field 'short': expected translated text, found a list"),
        ({"points": ["Vaya despacio.", None]}, "field 'points.2': expected translated text, found nothing"),
        ({"red_flags": [{"id": "fever", "label": "A"}, {"id": "fever", "label": "B"}]}, "comes more than once"),
    ],
)
def test_a_malformed_overlay_is_refused_naming_file_entry_and_field(over: Any, says: str) -> None:
    with pytest.raises(c.ContentError) as err:
        merged(over)
    assert str(err.value).startswith("es/safety.yaml, entry ")
    assert says in str(err.value)


def test_a_list_of_entries_without_ids_is_translated_whole_in_order() -> None:
    english = [{"term": "Fascia", "plain": "Sheets of tissue."}, {"term": "Iliacus", "plain": "A hip muscle."}]
    data, gaps = overlay.merge("glossary.yaml", english, [{"term": "Fascia", "plain": "Láminas de tejido."}, {}], "es")
    assert data[0] == {"term": "Fascia", "plain": "Láminas de tejido."}
    assert data[1]["plain"] == "A hip muscle." + MARK
    assert [str(g) for g in gaps] == ["glossary.yaml, entry #2, field 'term'", "glossary.yaml, entry #2, field 'plain'"]
    with pytest.raises(c.ContentError, match=r"es/glossary.yaml, .*expected 2 entries as in the English, found 1"):
        overlay.merge("glossary.yaml", english, [{"plain": "Láminas de tejido."}], "es")


def test_the_loader_reads_the_overlays_and_stops_on_a_broken_one(data_copy: Path) -> None:
    english = yaml.safe_load((DATA / "safety.yaml").read_text(encoding="utf-8"))
    flag = english["red_flags"][0]["id"]
    write(data_copy, "safety.yaml", {"short": "Consulte a un médico.", "red_flags": [{"id": flag, "label": "Fiebre"}]})
    es = load.load_content(data_copy, lang="es")
    assert es.safety.short == "Consulte a un médico."
    assert es.safety.red_flags[0].label == "Fiebre"
    assert es.safety.disclaimer.endswith(MARK)  # not in the overlay: the English, marked
    assert load.load_content(data_copy).safety.short == english["short"].strip()  # the English is untouched
    gaps = [str(g) for g in load.translation_gaps(data_copy, "es")]
    assert "safety.yaml, entry (top level), field 'short'" not in gaps
    assert "safety.yaml, entry (top level), field 'disclaimer'" in gaps
    write(data_copy, "safety.yaml", {"red_flags": [{"id": "not_a_flag", "label": "Fiebre"}]})
    with pytest.raises(c.ContentError, match=r"^es/safety.yaml, entry 'not_a_flag', field 'red_flags': no entry"):
        load.load_content(data_copy, lang="es")


def test_the_parity_report_lists_fields_a_visitor_reads_and_nothing_that_is_the_same_in_every_language() -> None:
    gaps = load.translation_gaps(DATA, "es") if not (DATA / "es" / "techniques.yaml").exists() else None
    if gaps is None:
        pytest.skip("the Spanish techniques overlay exists: the report no longer lists every field")
    fields = {(g.file, g.field) for g in gaps}
    assert ("techniques.yaml", "steps") in fields and ("techniques.yaml", "why_not.pregnancy") in fields
    assert ("references.yaml", "findings.result") in fields  # what a study found is read, so translated
    for fixed in ("id", "badge", "refs", "type", "goals", "dose.basis", "pose.body", "citation", "doi", "url"):
        assert not any(f == fixed or f.endswith("." + fixed) for _file, f in fields), fixed
    assert not any("reviews" in f for _file, f in fields)


def safety_gaps() -> list[str]:
    return [str(g) for g in load.translation_gaps(DATA, "es") if g.safety]


def test_every_safety_text_has_its_spanish() -> None:
    """The warning, the stop signs, the red flags, the contraindications and each technique's safety fields: no gap
    (issue 25: a gap in safety text fails the test command)."""
    assert safety_gaps() == []
