"""Issue 25: in Spanish every interface string the web layer writes is Spanish, on every page; English stays as it was.

The session's language is chosen by ``psoas_explorer.web.lang.current()`` (the link's ``lang``, else the browser's).
Until the ``lang`` link parameter is declared in linkformat (esinfra's part), these tests choose Spanish by patching
``current`` itself, which every ``_()`` and every memo key of the web layer reads: what they check does not depend
on how the language was chosen. Content (data/*.yaml) and the pure core's words are other branches' work, so the
check is on the web layer's own messages: none of them may be on screen in English.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from psoas_explorer.i18n import tr
from psoas_explorer.links import pages as site
from psoas_explorer.web import lang, nav
from tests.support import open_expander, open_page, proto_strings
from tests.unit.test_web_catalog import web_messages

ROOT = Path(__file__).resolve().parents[2]
A, B = "half_kneeling_hip_flexor_stretch", "bed_edge_hip_flexor_stretch"
PLAN = {"h": [B, A]}


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lang, "current", lambda: "es")


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


SHOWN_FIELDS = {"body", "label", "placeholder", "help", "value", "caption", "tab_labels", "options"}


def shown(at: AppTest) -> list[str]:
    """Every string the page shows as a whole element field: headings, Markdown, notices, labels, placeholders,
    help texts, tab and expander labels (a component's data travels as JSON and is checked apart)."""
    out = []
    for root in (at.main, at.sidebar):
        for node in _nodes(root):
            proto = getattr(node, "proto", None)
            if proto is not None and not hasattr(proto, "json"):
                out += list(proto_strings(proto, keep=SHOWN_FIELDS.__contains__))
    return out


def english_left(at: AppTest) -> list[str]:
    """The web layer's English messages (those that read differently in Spanish) still on screen: a label equal to
    one, or a sentence that contains a long one."""
    texts = shown(at)
    found = []
    for message in _plain_messages():
        if any(t == message or (len(message) >= 30 and message in t) for t in texts):
            found.append(message)
    return found


@functools.cache
def _plain_messages() -> list[str]:
    """Web-layer messages without placeholders whose Spanish differs from the English. Left out: those the same
    words also are elsewhere, as a string of the pure core (a page title in links/pages.py, a filter's label: escore's
    part) or a text of the content (a glossary term: the overlays' part), e.g. "Search", "Hip flexion"."""
    return [
        m
        for m in web_messages()
        if isinstance(m, str) and "{" not in m and tr("es", m) != m and len(m) > 2 and m not in _elsewhere()
    ]


@functools.cache
def _elsewhere() -> frozenset[str]:
    core = [f for f in (ROOT / "psoas_explorer").rglob("*.py") if "web" not in f.relative_to(ROOT).parts]
    words = {
        node.value
        for f in core
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    for f in (ROOT / "data").glob("*.yaml"):
        words |= set(strings(yaml.safe_load(f.read_text(encoding="utf-8"))))
    return frozenset(words)


PAGES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("app_pages/home.py", {}, ("home_warning",)),
    ("app_pages/techniques.py", {}, ("t_screen", "t_more")),
    ("app_pages/techniques.py", {**PLAN, "tab": "handout"}, ()),
    ("app_pages/techniques.py", {"tab": "kinds"}, ()),
    ("app_pages/anatomy.py", {"lm": "insertion_lesser_trochanter"}, ("a_text",)),
    ("app_pages/myths_faq.py", {"q": "zzzzqq"}, ()),
    ("app_pages/evidence.py", {}, ()),
    ("app_pages/evidence.py", {"tab": "references"}, ()),
    ("app_pages/evidence.py", {"tab": "log"}, ()),
    ("app_pages/search.py", {}, ()),
    ("app_pages/search.py", {"q": "sitting"}, ()),
    ("app_pages/handout.py", PLAN, ()),
    ("app_pages/handout.py", {}, ()),
]


@pytest.mark.parametrize(("file", "query", "opened"), PAGES, ids=lambda v: str(v) if isinstance(v, str) else "")
def test_no_web_message_is_left_in_english_on_a_spanish_page(spanish, file, query, opened):
    at = open_page(file, ack=True, query=query)
    for key in ("side_warning", *opened):
        at = open_expander(at, key)
    assert not at.exception
    assert english_left(at) == []


def test_the_scan_finds_english_on_an_english_page():
    at = open_expander(open_page("app_pages/techniques.py", ack=True), "t_screen")
    left = english_left(at)
    assert {"Find a technique", "Consult mode", "Ask me again", "Five kinds"} <= set(left)


def test_the_gate_not_found_and_consult_mode_in_spanish(spanish, monkeypatch):
    at = open_page("app_pages/techniques.py")  # not acknowledged: the gate
    assert [t.value for t in at.main.title] == ["Antes de continuar: la seguridad es lo primero"]
    assert [b.label for b in at.main.button] == ["Entendido: ver las técnicas"]
    assert english_left(at) == []

    at = open_page("app_pages/home.py", query={"consult": "1"})
    labels = [b.label for b in at.main.button]
    assert "Salir del modo consulta" in labels
    assert [e.label for e in at.main.expander][:1] == ["Palabras explicadas"]
    assert english_left(at) == []

    # The not-found page alone, as the router serves it at an unknown address (its page links need the router's
    # navigation, so they are left out here; they are the core's page titles).
    monkeypatch.setattr(nav, "links", lambda first=0: None)
    at = AppTest.from_file(str(ROOT / site.NOT_FOUND.file), default_timeout=30).run()
    assert not at.exception
    assert any(m.value.startswith("La dirección que ha abierto no corresponde") for m in at.main.markdown)


def test_spanish_spot_checks_headings_buttons_and_counts(spanish):
    at = open_page("app_pages/techniques.py", ack=True, query=PLAN)
    assert [t.label for t in at.main.tabs] == ["Buscar una técnica", "Su hoja de ejercicios (2)", "Cinco tipos"]
    assert any(m.value.startswith("## Coinciden ") and " de " in m.value for m in at.main.markdown)
    assert any(b.label.startswith("Quitar de la hoja: ") for b in at.main.button)
    goal = at.multiselect(key="t_goal")  # the filters: their labels, placeholders and words
    assert (goal.label, goal.placeholder) == ("Objetivo", "Cualquiera")
    assert "Postura" in goal.options
    toggle = at.sidebar.toggle[0]
    assert toggle.label == "Modo consulta"
    assert at.sidebar.text_input[0].label == "Buscar en todo"

    at = open_page("app_pages/myths_faq.py", query={"q": "sentado"})
    assert at.main.text_input[0].label == "Buscar en mitos y preguntas"
    assert any(m.value.startswith("Coinciden: ") for m in at.main.markdown)


def test_component_scripts_get_their_words_in_spanish_and_nothing_extra_in_english(spanish, monkeypatch):
    from tests.support import diagram_data

    at = open_page("app_pages/anatomy.py")
    data = diagram_data(at)
    assert data["t"]["Hip flexion"] == "Flexión de cadera"
    assert data["hint"].startswith("0 es estar de pie.")
    assert diagram_data(at, "chart")["t"]["{n} degrees"] == "{n} grados"

    monkeypatch.setattr(lang, "current", lambda: "en")
    at = open_page("app_pages/anatomy.py")
    assert "t" not in diagram_data(at)  # English: the script's own words, the message as before
