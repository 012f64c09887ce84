"""Issue 25: every interface string of the web layer (psoas_explorer/web/, app_pages/, app.py) has its Spanish.

The messages are extracted from the source as set-up extracts them (Babel, babel.cfg's keywords), so a string
wrapped in ``_()`` without a Spanish msgstr, a fuzzy guess, or a translation that lost or renamed a ``{placeholder}``
fails here. The component scripts' words (diagram.js, patient.js) are sent from Python translated: their ``T("…")``
messages must be exactly the Python lists that are extracted and sent.
"""

from __future__ import annotations

import functools
import json
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from psoas_explorer.i18n import LOCALE_DIR
from psoas_explorer.web import bidi, diagram, patient

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "tr": (2,), "trn": (2, 3)}
WEB = ("psoas_explorer/web/", "app_pages/", "app.py")


@functools.cache
def web_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message the web layer's files mark, with the files that use it (English as written in the source)."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for place in WEB:  # each folder walked alone: the checkout's other folders hold thousands of files
        path = ROOT / place
        if path.is_dir():
            found_here = extract_from_dir(str(path), method_map=[("**.py", "python")], keywords=KEYWORDS)
            messages = [(f"{place}{name}", message) for name, _line, message, _comments, _context in found_here]
        else:
            with path.open("rb") as f:
                messages = [(place, m[1]) for m in extract("python", f, keywords=KEYWORDS)]
        for filename, message in messages:
            key = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault(key, []).append(filename)
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def spanish():  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale="es")


def test_the_extraction_sees_the_web_layer():
    found = web_messages()
    assert len(found) > 200
    assert "Before you continue: safety first" in found  # the gate, web/gate.py
    assert ("{count} myth", "{count} myths") in found  # a plural, app_pages/myths_faq.py
    assert "Hip flexion" in found  # a component script's word, web/diagram.py's SCRIPT_TEXTS


def test_every_web_message_has_a_spanish_translation_with_the_same_placeholders(spanish):
    problems = []
    for key, files in web_messages().items():
        entry = spanish.get(key if isinstance(key, str) else key[0])
        english = [key] if isinstance(key, str) else list(key)
        if entry is None or entry.fuzzy:
            problems.append(f"{'fuzzy' if entry else 'missing'}: {english[0]!r} ({files[0]})")
            continue
        translated = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if len(translated) != len(english) or not all(t.strip() for t in translated):
            problems.append(f"empty or wrong plural forms: {english[0]!r}")
            continue
        for source, target in zip(english * (len(translated) // len(english)), translated, strict=False):
            if placeholders(source) != placeholders(target):
                problems.append(f"placeholders differ: {source!r} -> {target!r}")
    assert not problems, "\n".join(problems)


def test_placeholder_check_catches_a_lost_or_renamed_name():
    assert placeholders("Added “{name}” to your handout ({count}).") == {"name", "count"}
    assert placeholders("Se añadió «{nombre}» a su hoja ({count}).") != {"name", "count"}


def script_messages(source: str) -> set[str]:
    """The string literals inside every ``T(…)`` call of a component script (a ternary gives both)."""
    found = set()
    for start in (m.end() for m in re.finditer(r"\bT\(", source)):
        depth, i = 1, start
        while depth and i < len(source):  # to the call's closing parenthesis, skipping over strings
            if source[i] == '"':
                i = source.index('"', i + 1)
            elif source[i] in "()":
                depth += 1 if source[i] == "(" else -1
            i += 1
        args = source[start : i - 1]
        first = args.split("{ ", 1)[0] if ", {" in args else args  # the message, not the values object
        literals = [  # not a ternary's condition (d.view === "3d" ? ...)
            m.group(1) for m in re.finditer(r'"([^"]*)"', first) if not re.match(r"\s*\?", first[m.end() :])
        ]
        found |= {json.loads(f'"{s}"') for s in literals}  # JS escapes such as \\u2026
    return found


@pytest.mark.parametrize(
    ("script", "messages"),
    [("diagram.js", diagram.SCRIPT_TEXTS), ("patient.js", patient.SCRIPT_TEXTS)],
)
def test_a_component_scripts_words_are_the_list_python_translates_and_sends(script, messages):
    source = (bidi.ASSETS / script).read_text(encoding="utf-8")
    assert script_messages(source) == set(messages)
    assert len(messages) == len(set(messages))


def test_the_catalog_compiles_without_errors() -> None:
    """What set-up's ``pybabel compile`` checks (placeholders that agree, for one): a message it rejects stops a
    clean clone's set-up (the Spanish "{percent} % más" against the English "{percent}% longer" did once)."""
    from babel.messages.pofile import read_po

    from psoas_explorer.i18n import DOMAIN, LOCALE_DIR

    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        problems = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
        assert problems == [], (po, problems)
