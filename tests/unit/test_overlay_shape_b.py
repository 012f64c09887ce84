"""The Spanish overlays of techniques, technique types and anatomy (data/es/, docs/translation.md) against their
English files: the same shape, only visible text, no gaps in safety text, numbers and glossary terms carried over.

This reads the YAML directly (the overlay loader is written elsewhere): a wrong key, a lost step or a dropped
"30 seconds" in a patient's stop sign fails here, before any page is drawn."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "data"

# The fields a visitor reads (content/model.py and where the app shows them), per kind of entry. Everything else
# (ids, vocabulary ids, numbers, booleans, badges, refs, findings, reviews, changed, pose, dose numbers) is left out.
VISIBLE: dict[str, set[str]] = {
    "technique": {
        "id",
        "name",
        "summary",
        "time",
        "frequency",
        "steps",
        "stop_if",
        "precautions",
        "why_not",
        "dose",
        "goal_evidence",
    },
    "dose": {"says"},  # shown beside the numbers (content/dose.py basis)
    "goal_evidence": {"note"},  # by position (no ids), the note shown beside the goal's badge
    "equipment": {"id", "name"},
    "technique_type": {"id", "name", "summary", "who", "cost_time", "caution"},
    "fact": {"id", "title", "text"},
    "structure": {"id", "name", "plain", "technical", "why_it_matters"},
}
# Safety text: who should not do it and why, when to stop, what to take care of. No gaps allowed.
SAFETY_TECHNIQUE = ("stop_if", "precautions", "why_not")
SAFETY_TYPE = ("caution",)
SAFETY_STRUCTURE = ("why_it_matters",)  # says when to stop (a pulse, tingling) and who should avoid belly pressure

# Texts that are the same word in both languages.
SAME_IN_BOTH = {"Iliopsoas", "Psoas"}

# Glossary terms written another way on purpose, with the reason: {English term: (extra Spanish stems, reason)}.
GLOSSARY_VARIANTS: dict[str, tuple[tuple[str, ...], str]] = {
    "stretch": (("estir",), "as a verb (stretch to a mild pull) it is estirar: estire, estirado, estirando"),
    "low certainty": (("muy baja a baja",), "the range 'very low to low certainty' reads 'certeza muy baja a baja'"),
    "very low certainty": (
        ("baja a muy baja",),
        "the range 'low to very low certainty' reads 'certeza baja a muy baja'",
    ),
}

PLACEHOLDER = re.compile(r"\{(\w+)(?:\|[^{}]*)?\}")
NUMBER_WORDS = re.compile(r"(?<![\w.])([TL]?\d+(?:[.,]\d+)?)")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fold(text: str) -> str:
    """Lower case without accents, so 'riñones' is 'rinones' and plurals can be matched by a suffix."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


TERMS: dict[str, str] = _load(DATA / "es" / "terms.yaml")["terms"]


def _spanish_term(term_en: str) -> re.Pattern[str]:
    words = [re.escape(_fold(w)) + r"(?:s|es)?" for w in TERMS[term_en].split()]
    stems = GLOSSARY_VARIANTS.get(term_en, ((), ""))[0]
    return re.compile("|".join([r"\s+".join(words), *(re.escape(s) for s in stems)]))


def _english_term(term_en: str) -> re.Pattern[str]:
    return re.compile(r"\b" + r"[\s-]+".join(re.escape(w) for w in term_en.split()) + r"\b", re.IGNORECASE)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in NUMBER_WORDS.findall(text)}


def text_problems(where: str, en: str, es: Any) -> Iterator[str]:
    """What is wrong with one translated text: empty, copied, a number, a placeholder or a glossary term lost."""
    if not isinstance(es, str) or not es.strip():
        yield f"{where}: not a non-empty string"
        return
    if es.strip() == en.strip() and es.strip() not in SAME_IN_BOTH:
        yield f"{where}: the English text, not translated"
    if lost := _numbers(en) - _numbers(es):
        yield f"{where}: numbers {sorted(lost)} missing"
    if PLACEHOLDER.findall(en) != PLACEHOLDER.findall(es):
        yield f"{where}: placeholders {PLACEHOLDER.findall(es)} differ from {PLACEHOLDER.findall(en)}"
    for term in TERMS:
        if _english_term(term).search(en) and not _spanish_term(term).search(_fold(es)):
            yield f"{where}: '{term}' is in the English but '{TERMS[term]}' is not in the Spanish"


def _by(items: list[Any], key: str) -> dict[str, Any]:
    return {item[key]: item for item in items}


def entry_problems(where: str, kind: str, en: dict[str, Any], es: dict[str, Any]) -> Iterator[str]:
    """One overlay entry against its English entry: only visible keys, each one shaped like the English."""
    for key, value in es.items():
        here = f"{where}.{key}"
        if key not in VISIBLE[kind]:
            yield f"{here}: not a visible text field of {kind} (left out by docs/translation.md)"
        elif key not in en:
            yield f"{here}: not in the English"
        elif key == "id":
            continue
        elif key == "dose":
            yield from entry_problems(here, "dose", en[key], value)
        elif key == "why_not":
            if not isinstance(value, dict):
                yield f"{here}: not a mapping"
                continue
            for cid, text in value.items():
                if cid not in en[key]:
                    yield f"{here}.{cid}: not a reason the English gives"
                else:
                    yield from text_problems(f"{here}.{cid}", en[key][cid], text)
        elif key == "goal_evidence":  # no ids: the whole list in the English order (the goal is not repeated)
            if not isinstance(value, list) or len(value) != len(en[key]):
                yield f"{here}: the English has {len(en[key])} goals, each with its note in order"
                continue
            for i, (e, s) in enumerate(zip(en[key], value, strict=True)):
                yield from entry_problems(f"{here}[{i}]", "goal_evidence", e, s)
        elif isinstance(en[key], list):
            if not isinstance(value, list) or len(value) != len(en[key]):
                got = len(value) if isinstance(value, list) else repr(value)
                yield f"{here}: the English has {len(en[key])} items, the Spanish {got}"
                continue
            for i, (e, s) in enumerate(zip(en[key], value, strict=True)):
                yield from text_problems(f"{here}[{i}]", e, s)
        else:
            yield from text_problems(here, en[key], value)


def list_problems(where: str, kind: str, en: list[dict[str, Any]], es: list[dict[str, Any]]) -> Iterator[str]:
    english = _by(en, "id")
    seen: set[str] = set()
    for item in es:
        iid = item.get("id")
        if iid not in english:
            yield f"{where}: id {iid!r} is not in the English"
        elif iid in seen:
            yield f"{where}: id {iid!r} twice"
        else:
            seen.add(iid)
            yield from entry_problems(f"{where}.{iid}", kind, english[iid], item)


def gaps(where: str, kind: str, en: list[dict[str, Any]], es: list[dict[str, Any]], fields: set[str]) -> list[str]:
    """The English entries or fields among ``fields`` the overlay does not translate."""
    spanish = _by(es, "id")
    out = []
    for item in en:
        have = spanish.get(item["id"], {})
        for field in sorted(fields & set(item)):
            if field not in have:
                out.append(f"{where}.{item['id']}.{field}")
            elif field == "why_not" and set(have[field]) != set(item[field]):
                out.append(f"{where}.{item['id']}.why_not: {sorted(set(item[field]) - set(have[field]))}")
            elif field == "goal_evidence":
                notes = [i for i, g in enumerate(item[field]) if g.get("note")]
                there = have[field] if isinstance(have[field], list) else []
                if missing := [i for i in notes if i >= len(there) or "note" not in there[i]]:
                    out.append(f"{where}.{item['id']}.goal_evidence: items {missing}")
    return out


@pytest.fixture(scope="module")
def files() -> dict[str, tuple[Any, Any]]:
    names = ("techniques.yaml", "technique_types.yaml", "anatomy.yaml")
    return {n: (_load(DATA / n), _load(DATA / "es" / n)) for n in names if (DATA / "es" / n).is_file()}


def test_the_three_overlays_exist(files: dict[str, tuple[Any, Any]]) -> None:
    assert sorted(files) == ["anatomy.yaml", "technique_types.yaml", "techniques.yaml"]


def test_techniques_overlay_has_the_english_shape(files: dict[str, tuple[Any, Any]]) -> None:
    en, es = files["techniques.yaml"]
    assert set(es) <= {"equipment", "techniques"}
    problems = [
        *list_problems("equipment", "equipment", en["equipment"], es.get("equipment", [])),
        *list_problems("techniques", "technique", en["techniques"], es["techniques"]),
    ]
    assert problems == []


def test_every_technique_has_all_its_safety_text_in_spanish(files: dict[str, tuple[Any, Any]]) -> None:
    en, es = files["techniques.yaml"]
    assert [t["id"] for t in es["techniques"]] == [t["id"] for t in en["techniques"]]
    assert gaps("techniques", "technique", en["techniques"], es["techniques"], set(SAFETY_TECHNIQUE)) == []


def test_every_visible_technique_text_is_in_spanish(files: dict[str, tuple[Any, Any]]) -> None:
    en, es = files["techniques.yaml"]
    assert gaps("techniques", "technique", en["techniques"], es["techniques"], VISIBLE["technique"]) == []
    assert gaps("equipment", "equipment", en["equipment"], es.get("equipment", []), {"name"}) == []


def test_technique_types_overlay_is_whole_and_shaped(files: dict[str, tuple[Any, Any]]) -> None:
    en, es = files["technique_types.yaml"]
    assert [*list_problems("technique_types", "technique_type", en, es)] == []
    assert gaps("technique_types", "technique_type", en, es, VISIBLE["technique_type"]) == []


def test_anatomy_overlay_is_whole_and_shaped(files: dict[str, tuple[Any, Any]]) -> None:
    en, es = files["anatomy.yaml"]
    assert set(es) <= set(en)
    for section, kind in (("facts", "fact"), ("structures", "structure"), ("disagreements", "fact")):
        assert [*list_problems(section, kind, en[section], es.get(section, []))] == []
        assert gaps(section, kind, en[section], es.get(section, []), VISIBLE[kind]) == []


def test_anatomy_keeps_every_level_and_landmark(files: dict[str, tuple[Any, Any]]) -> None:
    """Vertebral levels are the anatomy's facts: T12 to L4 in English must be T12 to L4 in Spanish, and the named
    landmarks keep the glossary's words (checked for every text by text_problems; here, the levels in order)."""
    en, es = files["anatomy.yaml"]
    level = re.compile(r"\b[TL]\d+\b")
    for section in ("facts", "structures", "disagreements"):
        spanish = _by(es[section], "id")
        for item in en[section]:
            for field in VISIBLE["structure" if section == "structures" else "fact"] - {"id"}:
                if field in item:
                    assert level.findall(spanish[item["id"]][field]) == level.findall(item[field]), (item["id"], field)


# --- the checks themselves fail on what they are meant to catch ------------------------------------------------


def test_the_text_check_catches_lost_numbers_terms_and_placeholders() -> None:
    en = "Hold for {hold}, 30 seconds, then stretch the psoas major toward T12."
    good = "Mantenga {hold}, 30 segundos, y luego estire el psoas mayor hacia T12."
    assert [*text_problems("x", en, good)] == []
    assert any("numbers" in p for p in text_problems("x", en, good.replace("30", "treinta")))
    assert any("numbers" in p for p in text_problems("x", en, good.replace("T12", "la T doce")))
    assert any("placeholders" in p for p in text_problems("x", en, good.replace("{hold}", "")))
    assert any("psoas major" in p for p in text_problems("x", en, good.replace("psoas mayor", "gran psoas")))
    assert any("not translated" in p for p in text_problems("x", en, en))
    assert any("non-empty" in p for p in text_problems("x", en, " "))


def test_the_shape_check_catches_extra_keys_wrong_lengths_and_unknown_ids() -> None:
    en = [{"id": "a", "name": "A", "steps": ["one", "two", "three"], "badge": "B", "why_not": {"kidney": "K"}}]
    assert [*list_problems("t", "technique", en, [{"id": "a", "name": "Ah"}])] == []
    assert [*list_problems("t", "technique", en, [{"id": "a", "badge": "B"}])]
    assert [*list_problems("t", "technique", en, [{"id": "a", "steps": ["uno", "dos"]}])]
    assert [*list_problems("t", "technique", en, [{"id": "b", "name": "B"}])]
    assert [*list_problems("t", "technique", en, [{"id": "a", "why_not": {"pregnancy": "P"}}])]
    assert gaps("t", "technique", en, [{"id": "a", "why_not": {}}], {"why_not"})
    assert gaps("t", "technique", en, [], {"name"}) == ["t.a.name"]
    with_goals = [{"id": "a", "goal_evidence": [{"goal": "mobility", "badge": "B", "note": "N"}]}]
    assert [*list_problems("t", "technique", with_goals, [{"id": "a", "goal_evidence": [{"note": "Nota"}]}])] == []
    assert [*list_problems("t", "technique", with_goals, [{"id": "a", "goal_evidence": [{"goal": "mobility"}]}])]
    assert [*list_problems("t", "technique", with_goals, [{"id": "a", "goal_evidence": []}])]


def test_spanish_times_sort_like_the_english(files: dict[str, tuple[Any, Any]]) -> None:
    """The finder sorts by the shortest time in the text ("10–15 minutes" -> 10): the Spanish must read the same."""
    from psoas_explorer.techniques.filters import minutes

    en, es = files["techniques.yaml"]
    spanish = _by(es["techniques"], "id")
    assert {t["id"]: minutes(spanish[t["id"]]["time"]) for t in en["techniques"]} == {
        t["id"]: minutes(t["time"]) for t in en["techniques"]
    }
