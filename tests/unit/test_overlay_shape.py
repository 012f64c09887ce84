"""Shape check of the Spanish content overlays (``data/es/*.yaml``) against their English files.

The overlay format is docs/translation.md's: mappings by the same keys, lists of items with an ``id`` matched by
id, lists of plain strings whole (same length and order), and only the text a visitor reads. The real loader and
validator live elsewhere (issue 25); this test holds the translated files to the format, requires every field a
visitor reads to have its Spanish (for the safety text that is the issue's hard rule: no gaps), and checks that
the medical terms follow the glossary ``data/es/terms.yaml``.

Each file's visible fields are listed below (judged from the pydantic models in content/model.py and the pages
that show them); every other English field must be in ``LEFT_OUT``, so a new English field fails here until
someone decides whether a visitor reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "data"

# Field paths a visitor reads, per file: "a.b" is a key path, "[]" a list's items (a list of plain strings is one
# field, whole). Lists of items with an id are matched by id; a list of mappings without ids (the glossary) is
# matched by position, like a list of strings.
VISIBLE: dict[str, frozenset[str]] = {
    "safety.yaml": frozenset(
        {
            "short",  # the warning on every technique, card and sheet
            "points",  # the full warning on the safety page
            "stop_signs",  # "stop at once if" on cards, the safety page and the sheet
            "red_flags[].label",  # the screening checklist's questions
            "red_flags[].why",  # why each red flag matters
            "contraindications[].question",  # the screening checklist, worded for yes/no
            "contraindications[].plain",  # "Skip it if: ..." on cards and sheets
            "contraindications[].why",  # why a technique is skipped
            "disclaimer",  # the footer and the sheet
        }
    ),
    "overview.yaml": frozenset(
        {
            "tagline",
            "intro",
            "audiences",  # here a list of sentences for people, not vocabulary ids
            "statistics[].value",  # "619 million": words around the number
            "statistics[].text",
            "problems[].title",
            "problems[].text",
            "benefits[].audience",
            "benefits[].items[].title",
            "benefits[].items[].text",
        }
    ),
    "myths_faq.yaml": frozenset(
        {"myths[].belief", "myths[].evidence_says", "faqs[].question", "faqs[].answer"},
    ),
    "glossary.yaml": frozenset({"[].term", "[].plain"}),
    "evidence.yaml": frozenset(
        {"badges[].label", "badges[].detail", "badges[].mapping", "chips[].label"},
    ),
    # The evidence page's reference list: what was checked (note) and what the study found, in plain words.
    "references.yaml": frozenset(
        {"[].note", *(f"[].findings.{f}" for f in ("design", "participants", "result", "limits", "supports"))}
        | {"[].findings.items[].text"}
    ),
}

# Left out of every overlay by the format: the same in every language. ``chips`` and ``badge`` inside a claim are
# vocabulary ids (evidence.yaml's own ``chips`` list is the chips' visible labels, so its items are visible).
# ``reviews`` are records of what was checked, kept as written (the evidence page's review log shows them in
# English).
LEFT_OUT: dict[str, frozenset[str]] = {
    "safety.yaml": frozenset(
        {f"{k}[].{f}" for k in ("red_flags", "contraindications") for f in ("id", "refs", "changed", "reviews")}
    ),
    "overview.yaml": frozenset(
        {
            f"{k}.{f}"
            for k in ("statistics[]", "problems[]", "benefits[].items[]")
            for f in ("id", "badge", "refs", "chips", "findings", "changed", "reviews")
        }
        | {"benefits[].id"}
    ),
    "myths_faq.yaml": frozenset(
        {
            f"{k}[].{f}"
            for k in ("myths", "faqs")
            for f in ("id", "badge", "refs", "chips", "findings", "changed", "reviews")
        }
    ),
    "glossary.yaml": frozenset(),
    "evidence.yaml": frozenset({"badges[].id", "chips[].id"}),
    # A paper keeps the name and title it was published under (content/overlay.py BIBLIOGRAPHIC); ``kind`` is a
    # vocabulary id and ``cited_by_source`` a boolean.
    "references.yaml": frozenset(
        {f"[].{f}" for f in ("id", "short", "citation", "kind", "doi", "pmid", "pmcid", "url", "cited_by_source")}
        | {"[].findings.items[].id"}
    ),
}

OVERLAYS = tuple(VISIBLE)


def _load(*parts: str) -> Any:
    return yaml.safe_load((DATA.joinpath(*parts)).read_text(encoding="utf-8"))


def _by_id(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "id" in i for i in items)


def _fields(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every leaf of a file: (pattern such as 'red_flags[].why', concrete address such as
    'red_flags[saddle_numbness].why', value). A list of plain strings is one leaf, as the format treats it whole."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _fields(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list) and any(isinstance(i, dict) for i in node):
        keyed = _by_id(node)
        for n, item in enumerate(node):
            addr = f"[{item['id']}]" if keyed else f"[{n}]"
            for pattern, where, value in _fields(item, f"{path}[]"):
                yield pattern, where.replace(f"{path}[]", f"{path}{addr}", 1), value
    else:
        yield path, path, node


def _leaves(node: Any) -> dict[str, tuple[str, Any]]:
    return {where: (pattern, value) for pattern, where, value in _fields(node)}


def _shape_problems(en: Any, es: Any, path: str = "") -> Iterator[str]:
    """Where ``es`` does not follow the overlay format over ``en``."""
    here = path or "(top level)"
    if isinstance(es, dict):
        if not isinstance(en, dict):
            yield f"{here}: a mapping where the English has {type(en).__name__}"
            return
        for key, value in es.items():
            if key not in en:
                yield f"{here}: key '{key}' is not in the English"
            else:
                yield from _shape_problems(en[key], value, f"{path}.{key}" if path else str(key))
    elif isinstance(es, list):
        if not isinstance(en, list):
            yield f"{here}: a list where the English has {type(en).__name__}"
        elif _by_id(en):
            english = {i["id"]: i for i in en}
            seen: set[str] = set()
            for item in es:
                if not isinstance(item, dict) or "id" not in item:
                    yield f"{here}: an item without an id: {item!r:.60}"
                elif item["id"] not in english:
                    yield f"{here}: id '{item['id']}' is not in the English"
                elif item["id"] in seen:
                    yield f"{here}: id '{item['id']}' twice"
                else:
                    seen.add(item["id"])
                    yield from _shape_problems(english[item["id"]], item, f"{path}[{item['id']}]")
        elif len(es) != len(en):
            yield f"{here}: {len(es)} items where the English has {len(en)} (a list without ids is whole)"
        else:
            for n, (e, s) in enumerate(zip(en, es, strict=True)):
                yield from _shape_problems(e, s, f"{path}[{n}]")
    elif path.endswith(".id") or path == "id":
        if es != en:
            yield f"{here}: the id differs from the English"
    elif not isinstance(es, str) or not es.strip():
        yield f"{here}: not a non-empty string: {es!r:.60}"
    elif not isinstance(en, str):
        yield f"{here}: the English is {type(en).__name__}, not text (numbers, dates and booleans are left out)"


@pytest.mark.parametrize("name", OVERLAYS)
def test_overlay_follows_the_format(name: str) -> None:
    """Every key and id of the overlay exists in the English; plain lists are whole; every value is text."""
    assert not list(_shape_problems(_load(name), _load("es", name)))


@pytest.mark.parametrize("name", OVERLAYS)
def test_overlay_holds_only_visible_text(name: str) -> None:
    """Nothing the format leaves out (ids apart) is copied into the overlay: a copied ref list or review would
    silently fork from the English."""
    extra = {
        where
        for where, (pattern, _) in _leaves(_load("es", name)).items()
        if pattern not in VISIBLE[name] and not (pattern == "id" or pattern.endswith(".id"))
    }
    assert not extra, f"{name}: fields that are not visible text: {sorted(extra)}"


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_english_field_is_judged(name: str) -> None:
    """Every field of the English is either visible text or left out by the format: a new field fails here."""
    unjudged = {
        p
        for p, _ in _leaves(_load(name)).values()
        if p not in VISIBLE[name] and not any(p == o or p.startswith((o + ".", o + "[")) for o in LEFT_OUT[name])
    }
    assert not unjudged, f"{name}: decide whether a visitor reads {sorted(unjudged)}"


@pytest.mark.parametrize("name", OVERLAYS)
def test_every_visible_field_is_translated(name: str) -> None:
    """Every visible text of the English has its Spanish. For safety.yaml this is the hard rule of issue 25;
    the other overlays of this set are complete too, and this keeps them so."""
    english, spanish = _leaves(_load(name)), _leaves(_load("es", name))
    missing = sorted(w for w, (p, _) in english.items() if p in VISIBLE[name] and w not in spanish)
    assert not missing, f"{name}: not translated: {missing}"


def test_the_safety_fields_are_all_listed() -> None:
    """The safety list above names every text field of the models that carry the safety text, so a field added
    to the model cannot slip past the no-gaps rule."""
    from psoas_explorer.content.model import Contraindication, RedFlag, Safety

    text = {"id", "refs", "changed", "reviews"}
    expected = {
        "short",
        "points",
        "stop_signs",
        "disclaimer",
        *(f"red_flags[].{f}" for f in RedFlag.model_fields if f not in text),
        *(f"contraindications[].{f}" for f in Contraindication.model_fields if f not in text),
    }
    assert set(Safety.model_fields) == {"short", "points", "stop_signs", "red_flags", "contraindications", "disclaimer"}
    assert expected == VISIBLE["safety.yaml"]


def _numbers(text: str) -> list[str]:
    """The numbers in a text, the Spanish decimal comma read as a point (4,4 cm is 4.4 cm)."""
    return sorted(n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text))


def _english_numbers(text: str) -> list[str]:
    """The numbers in an English text, whose comma groups thousands (3,096 people); Spanish writes a four-digit
    number without a separator (3096 personas), so both read as 3096."""
    return _numbers(re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text))


@pytest.mark.parametrize("name", OVERLAYS)
def test_numbers_are_kept(name: str) -> None:
    """Every visible text keeps the English numbers (doses, ages, counts, percentages, spine levels): a changed or
    dropped number in health text is a wrong fact, not a style choice."""
    spanish = _leaves(_load("es", name))
    wrong = []
    for where, (pattern, en) in _leaves(_load(name)).items():
        if pattern in VISIBLE[name] and where in spanish:
            es = spanish[where][1]
            for n, (e, s) in enumerate(zip(*((v if isinstance(v, list) else [v]) for v in (en, es)), strict=True)):
                if _english_numbers(str(e)) != _numbers(str(s)):
                    wrong.append(f"{where}[{n}]: {_english_numbers(str(e))} became {_numbers(str(s))}")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


# Common English words that are not Spanish words: more than a trace of them means English was left in the overlay
# (a copied English text passes the shape check). One is allowed for names such as "American College of Physicians".
_ENGLISH = (
    "the and with you your is are was were that this these for not from of to in it be by what which when if who"
    " has have had can will should"
)
ENGLISH_WORDS = frozenset(_ENGLISH.split())


@pytest.mark.parametrize("name", OVERLAYS)
def test_no_english_left_in_the_spanish(name: str) -> None:
    """Each Spanish text has at most one common English word (a proper name), so no English text stays behind."""
    english_left = []
    for where, (pattern, value) in _leaves(_load("es", name)).items():
        if pattern not in VISIBLE[name]:
            continue
        for n, text in enumerate(value if isinstance(value, list) else [value]):
            found = [w for w in re.findall(r"[A-Za-z]+", str(text)) if w.lower() in ENGLISH_WORDS]
            if len(found) > 1:
                english_left.append(f"{where}[{n}]: {found}")
    assert not english_left, f"{name}:\n" + "\n".join(english_left)


# --- the medical terms glossary -------------------------------------------------------------------------------

# (file, address, English term): why the glossary's Spanish term is rightly not in that text.
_MODERATE_OR_HIGH = (
    "'moderate or high certainty' reads 'certeza moderada o alta': the glossary's 'certeza alta' with the other"
    " level between its words, in the English order"
)
_HOSPITAL_HANDOUT = (
    "a hospital's patient handout is 'hoja informativa'; the glossary's 'hoja de ejercicios' is this app's own sheet"
)
TERM_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    ("evidence.yaml", "badges[A].label", "high certainty"): _MODERATE_OR_HIGH,
    ("evidence.yaml", "badges[A].mapping", "high certainty"): _MODERATE_OR_HIGH,
    ("references.yaml", "[tang2024].findings.limits", "low certainty"): (
        "'very low to low certainty' reads 'certeza de muy baja a baja': the glossary's 'certeza baja' with the"
        " range between its words"
    ),
    ("references.yaml", "[leeds_thr].findings.participants", "hip replacement"): (
        "'total hip replacement' is 'prótesis total de cadera': the glossary's term with 'total' in its usual place"
    ),
    ("references.yaml", "[duke_anterior_hip].note", "handout"): _HOSPITAL_HANDOUT,
    ("references.yaml", "[duke_anterior_hip].findings.design", "handout"): _HOSPITAL_HANDOUT,
}


def _terms() -> dict[str, str]:
    terms: dict[str, str] = _load("es", "terms.yaml")["terms"]
    return terms


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term.replace('-', ' '))}(?!\w)", re.IGNORECASE)


def _contains_term(text: str, term: str) -> bool:
    """Whole-word, case-insensitive; a hyphen counts as a space ('hip-flexor stretch' has 'hip flexor')."""
    return _pattern(term).search(text.replace("-", " ")) is not None


def _named_terms(text: str, terms: dict[str, str]) -> Iterator[str]:
    """The glossary terms an English text names, longest first; a term inside a longer one already named is not
    named again ('very low certainty' is not also 'low certainty': its Spanish is 'certeza muy baja')."""
    flat = text.replace("-", " ")
    for term in sorted(terms, key=len, reverse=True):
        if _pattern(term).search(flat):
            yield term
            flat = _pattern(term).sub("#", flat)


_UNSTRESS = str.maketrans("áéíóú", "aeiou")


def _plural_word(word: str) -> str:
    """A Spanish noun or adjective in the plural: casa -> casas, flexor -> flexores, riñón -> riñones (the written
    accent of a last syllable ending in -n or -s goes), pelvis and psoas stay, raíz -> raíces."""
    if word[-1] in "aeiouáéó":
        return word + "s"
    if word[-1] == "s" and word[-2] not in "áéíóú":
        return word
    if word[-1] == "z":
        return word[:-1] + "ces"
    if len(word) > 2 and word[-2] in "áéíóú" and word[-1] in "ns":
        word = word[:-2] + word[-2].translate(_UNSTRESS) + word[-1]
    return word + "es"


def _spanish_forms(term: str) -> set[str]:
    """The glossary's Spanish term and its plural (the words before the first preposition take the plural:
    'flexor de cadera' -> 'flexores de cadera', 'profesional sanitario' -> 'profesionales sanitarios')."""
    words = term.lower().split()
    cut = next((n for n, w in enumerate(words) if w in {"de", "del", "para", "en"}), len(words))
    return {term.lower(), " ".join([*(_plural_word(w) for w in words[:cut]), *words[cut:]])}


def _term_misses(name: str) -> Iterator[tuple[str, str, str]]:
    spanish = _leaves(_load("es", name))
    for where, (pattern, en) in _leaves(_load(name)).items():
        if pattern not in VISIBLE[name] or where not in spanish:
            continue
        en_texts = en if isinstance(en, list) else [en]
        es_value = spanish[where][1]
        es_texts = es_value if isinstance(es_value, list) else [es_value]
        for n, (e, s) in enumerate(zip(en_texts, es_texts, strict=False)):
            addr = f"{where}[{n}]" if isinstance(en, list) else where
            terms = _terms()
            for term in _named_terms(str(e), terms):
                if not any(form in str(s).lower() for form in _spanish_forms(terms[term])):
                    yield addr, term, terms[term]


@pytest.mark.parametrize("name", OVERLAYS)
def test_medical_terms_follow_the_glossary(name: str) -> None:
    """Where the English text names a glossary term, its Spanish uses the glossary's one Spanish term (or its
    plural: the English 'hip flexor work' is naturally 'el trabajo sobre los flexores de cadera')."""
    misses = [
        f"{where}: '{term}' should be '{es_term}'"
        for where, term, es_term in _term_misses(name)
        if (name, where, term) not in TERM_EXCEPTIONS
    ]
    assert not misses, f"{name}:\n" + "\n".join(misses)


def test_term_exceptions_are_still_needed() -> None:
    """An exception whose text now uses the term (or no longer names it) is stale and must go."""
    live = {(name, where, term) for name in OVERLAYS for where, term, _ in _term_misses(name)}
    assert not set(TERM_EXCEPTIONS) - live, sorted(set(TERM_EXCEPTIONS) - live)


def test_the_checks_catch_a_bad_overlay() -> None:
    """The shape check is not vacuous: it names an unknown key, an unknown id, a short plain list, an empty text
    and a copied number."""
    en = {"a": "x", "n": 3, "l": ["p", "q"], "items": [{"id": "one", "t": "y"}]}
    bad = {"b": "z", "n": "3", "l": ["p"], "items": [{"id": "two", "t": "y"}, {"id": "one", "t": " "}]}
    problems = "\n".join(_shape_problems(en, bad))
    for expected in ("key 'b'", "English is int", "1 items", "id 'two'", "items[one].t: not a non-empty"):
        assert expected in problems
    assert _numbers("entre 4,4 y 5,9 cm, 90 grados") == _english_numbers("4.4 to 5.9 cm, 90 degrees")
    assert _numbers("25 ensayos, 3096 personas") == _english_numbers("25 trials, 3,096 people")
    assert _numbers("3,096") != _english_numbers("3,096")  # a Spanish comma is a decimal one
    assert _contains_term("a hip-flexor stretch", "hip flexor")
    assert not _contains_term("stretches", "stretch")
    assert _contains_term("Meta-analysis", "meta-analysis")
    terms = {"low certainty": "certeza baja", "very low certainty": "certeza muy baja", "psoas": "psoas"}
    assert _spanish_forms("flexor de cadera") == {"flexor de cadera", "flexores de cadera"}
    assert "profesionales sanitarios" in _spanish_forms("profesional sanitario")
    assert "riñones" in _spanish_forms("riñón")
    assert _spanish_forms("trombosis venosa profunda") == {"trombosis venosa profunda", "trombosis venosas profundas"}
    assert list(_named_terms("Psoas work, on very low certainty evidence", terms)) == ["very low certainty", "psoas"]
