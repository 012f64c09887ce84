"""Issue 25's "no more than a trace of English": every page opened with ``lang=es``, driven into its main states,
and every string a visitor can read on it (Markdown, headings, captions, notices, widget labels, placeholders,
options and help, buttons, tabs, expanders, page links, table cells, toasts, Plotly figures' text and what the
page's components are sent to draw) is searched for English stop words.

What is legitimately English is taken out first: a reference keeps the title and journal it was published under
(its citation, short name, and the bibliographic lines of a technique's or picture's source), and so do links,
addresses, code and proper names (no stop word is a proper name). A Spanish word that is also an English stop word
("a", "no", "me", "he", "son"…) is not on the list.

The threshold is a TRACE: at most ``TRACE`` English stop words in all of a page state's distinct strings. Two
allow a stray name that holds one ("Back to the Basics" in a title we did not catch) without letting a single
untranslated sentence through: an English sentence of eight words or more nearly always holds three.

The anatomy diagram counts like everything else: its figure's labels and hover, view and layer names, presets,
text alternative, origins table and length chart, and what its component is sent to draw. Its sources' citations
(the anatomy model's, under "Where the drawing comes from") stay as published, like the references'.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Multiselect, TextInput

from psoas_explorer.anatomy import description
from psoas_explorer.content import review
from psoas_explorer.links import pages as site
from tests.app.test_visitor_text import _plotly_text  # a Plotly figure's text: labels, hover text, notes
from tests.support import open_expander, open_page, proto_strings, shipped_content, shipped_geometry

ES = {"lang": "es"}
TRACE = 2
PICKS = ["half_kneeling_hip_flexor_stretch", "bed_edge_hip_flexor_stretch"]

# English function words that are no Spanish word (so "a", "no", "me", "he", "son", "sin", "solo" are left out).
STOP = frozenset(
    """the and of to with your you is are this for that it its on from by be or at not can was were have has had
    what which when how do does an in into if but than then these those they their there we our us who will would
    should may might must been being about after before over under more most only each other also any all just
    such very both out up down off here why where while because through between during without within against
    upon yours yourself don't doesn't isn't aren't can't won't it's you're""".split()  # noqa: SIM905
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # words of any script: "allí" is not "all"
LINK = re.compile(r"https?://\S+|\b10\.\d{4,9}/\S+|\]\([^)]*\)|`[^`]*`|<[^>]+>|\S+@\S+\.\w+")
# Proper names that hold a stop word, kept in their language wherever they are cited.
NAMES = ("American College of Physicians", "Journal of", "CC BY")
SHOWN = {"body", "label", "help", "options", "placeholder", "caption", "title", "text", "alt", "content"}


# --- what a visitor reads ---------------------------------------------------------------------------------------------


def _component(data: Any) -> Iterator[str]:
    """A component's data: its figure's text, and every other string in it that reads as words (ids, numbers,
    CSS and scripts' keys are not shown)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _plotly_text(v) if k == "figure" else _component(v)
    elif isinstance(data, list):
        for v in data:
            yield from _component(v)
    elif isinstance(data, str) and " " in data.strip():
        yield data


def visible(at: AppTest) -> list[str]:
    """Every text a visitor can read on the page as it stands."""
    out: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            if hasattr(proto, "json") and proto.json:  # a component: what it is sent to draw
                data = json.loads(json.loads(proto.json)) if proto.json.startswith('"') else json.loads(proto.json)
                out.extend(_component(data))
            else:
                for t in proto_strings(proto, keep=SHOWN.__contains__, skip=("spec",)):
                    out.append(t)
                spec = getattr(proto, "spec", None)
                if isinstance(spec, str) and spec.startswith("{"):  # a Plotly chart
                    out.extend(_plotly_text(json.loads(spec)))
        if type(node).__name__ == "Dataframe":
            table = node.value
            config = json.loads(node.proto.columns or "{}")  # a column's heading, where the page names it
            heads = [config.get(str(c), {}).get("label") or str(c) for c in table.columns]
            out.extend(heads)
            out.extend(str(v) for v in table.astype(str).to_numpy().ravel())
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    for box in (*at.selectbox, *at.multiselect, *at.text_input):
        if box.value in (None, [], ""):  # an empty box shows its placeholder, or Streamlit's own words
            default = "Choose options" if isinstance(box, Multiselect) else "Choose an option"
            shown = box.proto.placeholder or ("" if isinstance(box, TextInput) else default)
            out.append(shown)
    out.extend(t.value for t in at.toast)
    return out


# --- what is legitimately English ---------------------------------------------------------------------------


PART = re.compile(r"[.;:,()]\s*")


@functools.cache
def _published() -> tuple[str, ...]:
    """Texts kept as written: each reference's citation and short name, and each review record's note (what was
    checked, a record: docs/translation.md), longest first (a short name may sit inside a citation)."""
    cnt = shipped_content()
    names = {_norm(getattr(r, f)) for r in cnt.references for f in ("citation", "short") if getattr(r, f, None)}
    # a drawing's source keeps its bibliographic parts (authors, titles, journals, book titles) as published and
    # translates the rest: a part between punctuation that both languages' texts hold is a published one
    spanish = {s.id: s.citation for s in description.shipped_geometry("es").model.sources}
    for source in shipped_geometry().model.sources:
        parts = [set(PART.split(text)) for text in (source.citation, spanish[source.id])]
        names |= {_norm(p) for p in parts[0] & parts[1] if len(p) >= 10}
    names |= {_norm(rec.note) for item in review.reviewed_items(cnt) for rec in item.reviews if rec.note}
    return tuple(sorted(names - {""}, key=len, reverse=True))


def _norm(text: str) -> str:
    """Without Markdown's emphasis and escapes, and with single spaces (a citation may be wrapped or in italics)."""
    return " ".join(re.sub(r"[*_\\]", "", str(text)).split())


def english_words(text: str) -> list[str]:
    """The English stop words in ``text``, once links, code, tags and published titles are taken out."""
    if text.lstrip().startswith(("<style>", "<script>")):
        return []
    plain = _norm(text)
    for name in (*_published(), *NAMES):
        plain = plain.replace(name, " ")
    plain = LINK.sub(" ", plain)
    return [w for w in WORD.findall(plain) if w.lower() in STOP]


def english(at: AppTest) -> dict[str, list[str]]:
    """Each distinct string with its English stop words."""
    found: dict[str, list[str]] = {}
    for text in visible(at):
        if words := english_words(text):
            found[text] = words
    return found


def verdict(found: dict[str, list[str]]) -> str:
    count = sum(len(w) for w in found.values())
    ranked = sorted(found.items(), key=lambda item: -len(item[1]))
    lines = [f"{len(words)}  {text[:160]!r}  <- {', '.join(words)}" for text, words in ranked]
    return f"{count} English stop words (a trace is <= {TRACE}):\n" + "\n".join(lines)


def trace_only(found: dict[str, list[str]]) -> bool:
    return sum(len(w) for w in found.values()) <= TRACE


# --- the page states --------------------------------------------------------------------------------------------


def es(query: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**ES, **(query or {})}


def _home() -> Iterator[AppTest]:
    at = open_expander(open_expander(open_page(ack=True, query=ES), "home_warning"), "side_warning")
    yield at
    for tab in [t.label for t in at.main.tabs][1:]:
        at.session_state["home_benefits"] = tab
        yield at.run()
    yield open_page(query={**ES, "consult": "1"})


def _anatomy() -> Iterator[AppTest]:
    yield open_expander(open_page("app_pages/anatomy.py", query=es({"lm": "insertion_lesser_trochanter"})), "a_text")
    yield open_page("app_pages/anatomy.py", query=es({"view": "3d"}))
    yield open_page("app_pages/anatomy.py", query=es({"consult": "1", "lm": "origin_l3_tp"}))


def _techniques() -> Iterator[AppTest]:
    filters = {"goal": ["pain_relief", "mobility"], "audience": "general_public", "evidence": "B", "equipment": "none"}
    at = open_page("app_pages/techniques.py", ack=True, query=es(filters))
    at = open_expander(open_expander(at, "t_more"), "t_screen")
    for t in shipped_content().techniques.techniques:  # every card's steps
        at.session_state[f"steps_{t.id}"] = True
    yield at.run()
    yield open_page("app_pages/techniques.py", ack=True, query=es({**filters, "q": "zzzzqq"}))  # none: relax hints
    at = open_page("app_pages/techniques.py", ack=True, query=es({"h": PICKS, "tab": "handout"}))
    yield at
    yield open_page("app_pages/techniques.py", ack=True, query=es({"tab": "kinds"}))
    yield open_page("app_pages/techniques.py", query=ES)  # the warning gate, before acknowledgement


def _handout() -> Iterator[AppTest]:
    yield open_page("app_pages/handout.py", ack=True, query=es({"h": PICKS}))
    yield open_page("app_pages/handout.py", ack=True, query=ES)


def _myths() -> Iterator[AppTest]:
    yield open_page("app_pages/myths_faq.py", query=ES)
    yield open_page("app_pages/myths_faq.py", query=es({"q": "sentado"}))
    yield open_page("app_pages/myths_faq.py", query=es({"q": "zzzzqq"}))


def _evidence() -> Iterator[AppTest]:
    yield open_page("app_pages/evidence.py", query=es({"badge": ["A", "B"]}))
    yield open_page("app_pages/evidence.py", query=es({"tab": "references"}))
    yield open_page("app_pages/evidence.py", query=es({"tab": "log"}))


def _search() -> Iterator[AppTest]:
    yield open_page("app_pages/search.py", query=ES)
    yield open_page("app_pages/search.py", query=es({"q": "estrés"}))
    yield open_page("app_pages/search.py", query=es({"q": "zzzzqq"}))


def _not_found() -> Iterator[AppTest]:
    """The router's not-found page, as an unknown address is served (the session's language already Spanish)."""
    at = open_page(query=ES)
    at.session_state["_unknown_url_path"] = "no-such-page"  # what the router keeps of an unknown address
    at.run().switch_page(site.NOT_FOUND.file)  # the hidden page it then registers, at that address
    at = at.run()
    assert at.title[0].value == "No hay ninguna página en esta dirección"
    yield at


def _bad_links() -> Iterator[AppTest]:
    """Links with values the pages leave out: each page names what it dropped, in Spanish."""
    odd = {"zz": "1", "consult": "maybe"}
    yield open_page("app_pages/anatomy.py", query=es({**odd, "layers": ["nerves", "bones"], "angle": "999"}))
    bad_doses = [f"{PICKS[0]}.h999.x4", "no_such_technique.h40", "post_run_recovery.h40"]
    yield open_page("app_pages/handout.py", ack=True, query=es({**odd, "h": [*PICKS, PICKS[0]], "d": bad_doses}))
    yield open_page("app_pages/techniques.py", ack=True, query=es({"goal": ["nope", "nope2"], "q": "x" * 200}))


STATES: dict[str, Callable[[], Iterator[AppTest]]] = {
    "home": _home,
    "anatomy": _anatomy,
    "techniques": _techniques,
    "handout": _handout,
    "myths-faq": _myths,
    "evidence": _evidence,
    "search": _search,
    "not-found": _not_found,
    "bad-links": _bad_links,
}


def _run(name: str) -> dict[str, dict[str, list[str]]]:
    """Each state of the page that shows more than a trace of English, with what it shows."""
    bad: dict[str, dict[str, list[str]]] = {}
    seen = 0
    for i, at in enumerate(STATES[name]()):
        assert not at.exception, [e.message for e in at.exception]
        if name == "bad-links":  # not vacuous: the page did drop values and said so
            assert at.info, f"state {i + 1}: no notice"
        assert at.session_state["_lang"] == "es"
        seen += 1
        found = english(at)
        if not trace_only(found):
            bad[f"{name} state {i + 1}"] = found
    assert seen
    return bad


@pytest.mark.parametrize("name", STATES)
def test_no_page_in_spanish_shows_more_than_a_trace_of_english(name):
    bad = _run(name)
    assert not bad, "\n\n".join(f"{state}: {verdict(found)}" for state, found in bad.items())


def test_the_count_finds_english_and_leaves_published_titles_alone():
    """Not vacuous: an English page is counted as English, and a reference's citation, a link and code are not."""
    at = open_page("app_pages/myths_faq.py")
    assert not trace_only(english(at))
    cited = shipped_content().references[0]
    assert english_words(f"Según {cited.citation}") == []
    assert english_words("[Fuente](https://example.org/the-end-of-the-road) `the_id`") == []
    assert english_words("Do this for your back") == ["Do", "this", "for", "your"]
    assert english_words("El psoas no es a la cadera") == []
