"""Words visitors must never see (issue 12): internal ids and notes, and careless wording.

Every page is driven into its main states (sections open, every tab, every card's steps, every landmark's
details, the safety screen answered, consult mode) and everything a visitor can read is collected: text,
labels, options, help, placeholders shown in empty boxes, table cells, and the diagram's hover labels and
annotations from the Plotly figure. None of it may contain:

- model ids such as ``Ps_L3_TP`` (a CamelCase_with_underscores word), or our notes' paths and sections
  (``research/``, ``§``), or "the vendor guide" without saying which guide;
- "(s)" plurals ("1 myth(s)", "88 claim(s)"), or Streamlit's "Choose an option" in a filter.

A link with a bad value gets a short notice, not a list of every id the app knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1.element_tree import Multiselect, TextInput

from psoas_explorer.anatomy import description as av
from psoas_explorer.anatomy import model as gm
from psoas_explorer.web import diagram
from tests.support import open_expander, open_page, proto_strings, shipped_content, shipped_geometry

PICKS = ["half_kneeling_hip_flexor_stretch", "desk_movement_breaks"]

# Visitor-visible text, checked after links are taken out (a DOI may hold capitals and underscores).
INTERNAL: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\b[A-Za-z0-9]*[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]*[A-Za-z0-9]\b"),
        "a model id (CamelCase_with_underscores)",
    ),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "a data id (snake_case)"),
    (re.compile(r"\b\w+\.yaml\b"), "a data file name"),
    (re.compile(r"\bresearch/"), "a path into our research notes"),
    (re.compile("§"), "a section sign pointing into our notes"),
    (re.compile(r"\bvendor guide\b(?!\s*[(:“\"‘'])", re.I), "'the vendor guide' without saying which guide"),
    (re.compile(r"\w\(s\)"), "an '(s)' plural"),
    (re.compile(r"Choose an option|Choose options"), "Streamlit's default placeholder"),
]
PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+")
LINK = re.compile(r"https?://\S+|\b10\.\d{4,9}/\S+|\]\([^)]*\)")
# Fields of an element's protobuf a visitor reads (ids, keys, page names, URLs, CSS and values are left out).
VISIBLE_FIELDS = {"body", "label", "help", "options", "content", "alt", "caption", "delta", "title", "text"}
PLOTLY_TEXT_KEYS = {"text", "hovertext", "name", "hovertemplate", "title"}


def _proto_text(msg: Message) -> Iterator[str]:
    return proto_strings(msg, keep=VISIBLE_FIELDS.__contains__, skip=("spec", "data"))


def _plotly_text(node, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("meta", "customdata"):
                yield from _plotly_text(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _plotly_text(v, key)
    elif isinstance(node, str) and key in PLOTLY_TEXT_KEYS:
        yield re.sub(r"<[^>]+>", " ", node)


def visible_text(at) -> list[str]:
    """Everything a visitor can read on the page as it stands (main area, sidebar)."""
    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            out.extend(_proto_text(proto))
            spec = getattr(proto, "spec", None)
            if isinstance(spec, str) and spec.startswith("{"):  # a Plotly figure: labels, hover text, notes
                out.extend(_plotly_text(json.loads(spec)))
            if getattr(proto, "component_name", "") == diagram.NAME:  # our diagram: its figure and words
                data = json.loads(json.loads(proto.json))
                out.extend(_plotly_text(data["figure"]))
                out.extend(str(data[k]) for k in ("alt", "hint") if k in data)
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    for frame in at.main.dataframe:
        table = frame.value
        out.extend(str(c) for c in table.columns)
        out.extend(str(v) for v in table.astype(str).to_numpy().ravel())
    for box in (*at.selectbox, *at.multiselect, *at.text_input):
        if box.value in (None, [], ""):  # an empty box shows its placeholder, or Streamlit's own words
            default = "Choose options" if isinstance(box, Multiselect) else "Choose an option"
            out.append(box.proto.placeholder or ("" if isinstance(box, TextInput) else default))
    return out


def problems_in(text: str) -> list[str]:
    """What is wrong with one text a visitor reads. Links are left out (a DOI may hold capitals and underscores),
    and so, for model and data ids, are repository file paths in a citation (``Models/Gait2392_Simbody/x.osim``);
    constant CSS and scripts are not text anyone reads."""
    if text.lstrip().startswith(("<style>", "<script>")):  # constant CSS and scripts are not read by anyone
        return []
    plain = LINK.sub(" ", text)
    found = []
    for pattern, what in INTERNAL:
        scanned = PATH.sub(" ", plain) if pattern in (INTERNAL[0][0], INTERNAL[1][0]) else plain
        found += [f"{what}: …{scanned[max(0, m.start() - 60) : m.end() + 40]}…" for m in pattern.finditer(scanned)]
    return found


def problems(at) -> list[str]:
    return sorted({p for text in visible_text(at) for p in problems_in(text)})


# --- the states: each a function that opens a page and drives it like a visitor ------------------


def _home():
    at = open_expander(open_expander(open_page(), "home_warning"), "side_warning")
    yield at
    for tab in [t.label for t in at.main.tabs]:
        at.session_state["home_benefits"] = tab
        yield at.run()


def _anatomy():
    every_layer = {"layers": list(gm.LAYERS)}
    for view in av.VIEW_LABELS:
        yield open_page("app_pages/anatomy.py", query={**every_layer, "view": view, "angle": "45"})
    at = open_expander(open_page("app_pages/anatomy.py", query=every_layer), "a_text")
    for item in av.items(shipped_geometry()):  # every landmark's details
        at.session_state["a_landmark"] = item
        yield at.run()
    yield open_page("app_pages/anatomy.py", query={**every_layer, "consult": "1", "lm": "origin_l3_tp"})


def _techniques():
    at = open_expander(open_expander(open_page("app_pages/techniques.py", ack=True), "t_more"), "t_screen")
    yield at
    for _ in range(10):  # every card, as "Show more" reveals them
        more = [b for b in at.main.button if b.key == "t_more_cards"]
        if not more:
            break
        more[0].click().run()
    for t in shipped_content().techniques.techniques:  # every card's steps
        at.session_state[f"steps_{t.id}"] = True
    yield at.run()
    at.checkbox(key=f"screen_{shipped_content().safety.contraindications[0].id}").check().run()
    yield at
    at.checkbox(key=f"screen_{shipped_content().safety.red_flags[0].id}").check().run()
    yield at
    for tid in PICKS:
        at.session_state["t_handout"] = [*at.session_state["t_handout"], tid]
    for tab in [t.label for t in at.main.tabs][1:]:
        at.session_state["t_tab"] = tab
        yield at.run()
    yield open_page("app_pages/techniques.py", ack=True, query={"consult": "1", "h": PICKS})


def _myths():
    yield open_page("app_pages/myths_faq.py")
    for q in ("pain", "sitting", "zzzz"):
        yield open_page("app_pages/myths_faq.py", query={"q": q})


def _evidence():
    at = open_page("app_pages/evidence.py")
    yield at
    at.session_state["ev_badges"] = ["X"]
    yield at.run()
    for tab in [t.label for t in at.main.tabs][1:]:
        at.session_state["ev_tab"] = tab
        yield at.run()


def _handout():
    yield open_page("app_pages/handout.py", ack=True, query={"h": PICKS})
    yield open_page("app_pages/handout.py", ack=True)


STATES: dict[str, Callable[[], Iterator]] = {
    "home": _home,
    "anatomy": _anatomy,
    "techniques": _techniques,
    "myths-faq": _myths,
    "evidence": _evidence,
    "handout": _handout,
}


@pytest.mark.parametrize("name", STATES)
def test_no_internal_words_or_careless_wording_on_any_page(name):
    """No model id, notes path, §, unnamed "vendor guide", "(s)" plural or "Choose an option" anywhere."""
    seen, found = 0, set()
    for at in STATES[name]():
        assert not at.exception, [e.message for e in at.exception]
        seen += 1
        found.update(problems(at))
    assert seen > 0
    assert not found, f"{len(found)} problem(s) on {name}:\n" + "\n".join(sorted(found))


def test_the_scan_reads_hover_labels_tables_and_empty_boxes():
    """The scan is not vacuous: it sees the diagram's hover text, table cells, options and placeholders."""
    at = open_expander(open_page("app_pages/anatomy.py"), "a_text")
    text = "\n".join(visible_text(at))
    first = shipped_geometry().model.psoas_major.fascicles[0]
    assert first.plain.split()[0] in text  # hover label of a landmark (from the figure JSON)
    assert "Origin, L1" in text or "Origin, L2" in text  # a cell of the attachments table
    assert "Choose one, or click a marker on the diagram" in text  # the empty landmark box's placeholder
    samples = [
        "(Ps_L3_TP)",
        "ticked hip_surgery",
        "rest on references.yaml",
        "see research/anatomy.md",
        "anatomy.md §1.1",
        "Cited by the vendor guide.",
        "1 myth(s)",
    ]
    for sample, (_pattern, what) in zip(samples, INTERNAL, strict=False):
        assert any(p.startswith(what) for p in problems_in(sample)), (what, sample)
    assert problems_in("Pick one: Choose an option")
    assert not problems_in("Cited by the vendor guide (Psoas Release Manual, 2019).")
    assert not problems_in("L3 transverse process, https://doi.org/10.1016/S0021_9290 and doi 10.1016/S0021_9290.")
    assert not problems_in("OpenSim (opensim-org/opensim-models, Models/Gait2392_Simbody/gait2392.osim)")


def test_filter_boxes_say_any_when_nothing_is_chosen():
    """Every filter on the techniques page shows "Any…" while unset, never Streamlit's "Choose an option"."""
    at = open_expander(open_page("app_pages/techniques.py", ack=True), "t_more")
    boxes = [*at.main.multiselect, *[s for s in at.main.selectbox if s.key != "t_sort"]]
    assert len(boxes) >= 7
    for box in boxes:
        assert box.value in (None, []), (box.key, box.value)
        if box.proto.placeholder:
            shown = box.proto.placeholder
        elif box.value is None and box.proto.HasField("default"):
            shown = box.proto.options[box.proto.default]
        else:
            shown = "Choose options" if isinstance(box, Multiselect) else "Choose an option"
        assert shown.startswith("Any"), (box.key, box.label, shown)


@pytest.mark.parametrize(
    ("page", "query", "known"),
    [
        ("app_pages/anatomy.py", {"lm": "nope"}, lambda: list(av.items(shipped_geometry()))),
        ("app_pages/techniques.py", {"h": "nope"}, lambda: [t.id for t in shipped_content().techniques.techniques]),
    ],
    ids=["lm", "h"],
)
def test_a_bad_value_in_a_link_gives_a_short_notice(page, query, known):
    """A mistyped id in a link is reported in a sentence a visitor can read, not with the list of every id."""
    ids = known()
    at = open_page(page, ack=True, query=query)
    assert not at.exception
    notes = [i.value for i in at.main.info if i.value]
    assert notes, "no notice for a bad link"
    for note in notes:
        assert len(note) < 200, (len(note), note)
        listed = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", note)]
        assert len(listed) <= 1, listed
