"""Issue 25: the anatomy page's diagram and everything around it in Spanish (``lang=es``), English unchanged.

What a visitor reads there: the drawing's labels, hover boxes, legend and notes (the Plotly figure the component
draws), the 3D view's names in consult mode, the text alternative, the hint, the length chart (titles, notes, its
value and decimal comma), the view, layer and pose buttons, the landmark picker and dialog, the attachments table
and the drawing's credits. None may hold an English word of the diagram's; the levels stay exactly right. The
figures are shared between sessions, so an English page opened right after a Spanish one must still be English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from psoas_explorer.anatomy import model as gm
from psoas_explorer.web import anatomy as au
from psoas_explorer.web import memo
from tests.app.test_anatomy_page import dialog_text, dialogs, first_paint_pictures
from tests.app.test_spanish_interface import shown
from tests.support import diagram_data, open_expander, open_page

PAGE = "app_pages/anatomy.py"
ALL = list(gm.LAYERS)

# Words of the diagram's English that no Spanish text on it has: its labels, notes, names and sentences.
ENGLISH = frozenset(
    re.findall(
        r"\S+",
        "the of and with from to on is are its it this side wing disc body bone bones thigh lesser trochanter navel "
        "groin front back view layer layers origin insertion approximate position dashed sketch outline standing "
        "sitting lunge stretch hip bent straight length flexion degree degrees patient patient's right left muscle "
        "nerve nerves artery arteries kidney kidneys ureter ureters major minor starts ends textbooks drag turn zoom "
        "move reset loading drawing chart model estimate measured people now also shown where attaches attachment "
        "plain words anatomical terms part inner knob tendon belly",
    )
)
_WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ']+")
# Works cited as published (the drawing's sources keep their titles: docs/translation.md).
PUBLISHED = (
    "An interactive graphics-based model of the lower extremity to study orthopaedic surgical procedures",
    "A musculoskeletal model for the lumbar spine",
    "The Anatomy of the Arteries of the Human Body",
    "Anatomy of the Human Body",
    "Biomech Model Mechanobiol",
    "gait2392_thelen2003muscle.osim",
)


def english_words(texts: list[str]) -> dict[str, str]:
    """Each English word of the diagram found, with the first text it is in (tags and <br> are not words)."""
    found: dict[str, str] = {}
    for text in texts:
        plain = re.sub(r"(?m)<[^>]*>|^Fuentes: .*$", " ", text)  # tags; a claim's sources, named as published
        for title in PUBLISHED:
            plain = plain.replace(title, "")
        for word in _WORD.findall(plain):
            if word.lower() in ENGLISH and word.lower() not in found:
                found[word.lower()] = text[:120]
    return found


def figure_texts(figure: dict[str, Any]) -> Iterator[str]:
    """Every text of a Plotly figure a visitor can read: labels, hover boxes, legend entries and title, notes,
    axis titles, the 3D view's names."""
    for t in figure["data"]:
        for field in ("text", "hovertext", "hovertemplate"):
            value = t.get(field)
            yield from [value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)]
        if t.get("showlegend") and t.get("name"):
            yield t["name"]
    layout = figure["layout"]
    yield from (a["text"] for a in layout.get("annotations", ()))
    yield from (a["text"] for a in layout.get("scene", {}).get("annotations", ()))
    yield layout.get("legend", {}).get("title", {}).get("text", "")
    for axis in ("xaxis", "yaxis"):
        yield layout.get(axis, {}).get("title", {}).get("text", "")


def everything_shown(at: Any) -> list[str]:
    """The page's own texts, the diagram's and the chart's data, the table and the first-paint picture."""
    diagram, chart = diagram_data(at), diagram_data(at, "chart")
    # The page's facts are content with their evidence (other overlays' and the claims' part), not the diagram's.
    texts = [t for t in shown(at) if "badge[" not in t] + [diagram["alt"], diagram["hint"], chart["alt"]]
    texts += list(figure_texts(diagram["figure"])) + list(figure_texts(chart["figure"]))
    texts += [o.content for el in at.get("button_group") for o in el.proto.options]  # view and layer switches
    texts += [str(o) for el in at.get("selectbox") for o in el.proto.options]  # the landmark picker
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
        texts += [str(v) for v in frame.value.to_numpy().ravel() if isinstance(v, str)]
    texts += [re.sub(r"<[^>]*>", " ", svg) for svg in first_paint_pictures(at)]
    return texts


@pytest.mark.parametrize(
    "query",
    [
        {"view": "front", "lm": "insertion_lesser_trochanter"},
        {"view": "side", "angle": "60", "lm": "origin_l3_tp"},
        {"view": "3d", "lm": "femoral_nerve"},
        {"view": "front", "consult": "1", "angle": "30"},
        {"view": "side", "consult": "1"},
        {"view": "3d", "consult": "1"},
    ],
    ids=["front", "side", "3d", "front-consult", "side-consult", "3d-consult"],
)
def test_every_text_of_the_spanish_diagram_is_spanish(query):
    if "consult" in query:  # consult mode's labels are placed for every pose on a cold start: drawn before the run
        view, angle = query["view"], int(query.get("angle", 0))
        au.figure_json(view, tuple(ALL), angle, None, True, "es")
        au.poses_json(view, tuple(ALL), True, "es")
    at = open_page(PAGE, ack=True, query={"lang": "es", "layers": ALL, **query})
    texts = [f"{b.proto.dialog.title}\n{dialog_text(b)}" for b in dialogs(at)]  # a linked landmark's details
    assert len(texts) == ("lm" in query)
    at = open_expander(at, "a_text")
    assert not at.exception
    assert english_words(texts + everything_shown(at)) == {}


def test_the_scan_finds_the_english_diagram():
    at = open_expander(open_page(PAGE, ack=True, query={"layers": ALL, "lm": "origin_l3_tp"}), "a_text")
    found = english_words(everything_shown(at))
    assert {"lesser", "trochanter", "patient's", "origin", "standing", "layers"} <= set(found)


def test_spanish_labels_levels_and_sides_are_exact():
    at = open_page(PAGE, ack=True, query={"lang": "es", "layers": ALL})
    figure = diagram_data(at)["figure"]
    labels = next(t["text"] for t in figure["data"] if t["meta"]["key"] == "labels:text")
    origins = ["lado de L1", "disco L1–L2", "disco L2–L3", "disco L3–L4", "disco L4–L5", "lado de L5"]
    origins += [f"ala lateral de L{n}" for n in range(1, 6)]  # plain words, as "side wing of L1" in English
    assert set(origins) <= set(labels)
    assert any(t.startswith("trocánter menor") for t in labels)
    notes = [a["text"] for a in figure["layout"]["annotations"]]
    assert notes[:2] == ["Derecha del paciente", "Izquierda del paciente"]
    alt = diagram_data(at)["alt"]
    assert "cuerpos vertebrales de T12 a L4" in alt and "apófisis transversas de L1 a L5" in alt
    assert "trocánter menor" in alt and "26,1 cm" in alt
    assert [b.label for b in at.main.button if b.key.startswith("a_preset_")] == [
        "De pie",
        "Sentado",
        "Estiramiento en zancada",
    ]
    views, layers = ([o.content for o in el.proto.options] for el in at.get("button_group"))
    assert views == ["De frente", "De lado", "3D"]
    assert layers[:3] == ["Psoas mayor", "Psoas menor", "Ilíaco"] and "Nervios del plexo lumbar" in layers

    side = open_page(PAGE, ack=True, query={"lang": "es", "view": "side"})
    notes = [a["text"] for a in diagram_data(side)["figure"]["layout"]["annotations"]]
    assert notes[:3] == ["Detrás", "Delante", "Desde la derecha del paciente"]


def test_the_spanish_chart_writes_a_decimal_comma():
    at = open_page(PAGE, ack=True, query={"lang": "es", "angle": "37"})
    chart = diagram_data(at, "chart")
    assert chart["figure"]["layout"]["separators"] == ",."
    assert chart["decimal"] == "," and diagram_data(at)["decimal"] == ","
    now = next(t for t in chart["figure"]["data"] if t["meta"]["key"] == "length:now")
    assert re.fullmatch(r"\d\d,\d cm", now["text"][0])
    assert chart["figure"]["layout"]["xaxis"]["title"]["text"] == "Flexión de cadera (grados)"

    english = open_page(PAGE, ack=True, query={"angle": "37"})
    chart = diagram_data(english, "chart")
    assert "separators" not in chart["figure"]["layout"] and "decimal" not in chart


def test_an_english_page_after_a_spanish_one_draws_english():
    """The figures, pictures, poses, landmarks and text alternatives are memoized for every session: by language."""
    query: dict[str, str | list[str]] = {"layers": list(ALL), "lm": "insertion_lesser_trochanter"}
    for view in ("front", "3d"):
        spanish = open_page(PAGE, ack=True, query={"lang": "es", "view": view, **query})
        english = open_page(PAGE, ack=True, query={"view": view, **query})
        es, en = diagram_data(spanish), diagram_data(english)
        assert "trocánter" in " ".join(figure_texts(es["figure"]))
        assert "trocánter" not in " ".join(figure_texts(en["figure"])) + en["alt"]
        assert "lesser trochanter" in " ".join(figure_texts(en["figure"])) and "lesser trochanter" in en["alt"]
        assert dialogs(english)[0].proto.dialog.title == "Psoas insertion (lesser trochanter)"
        if view == "front":
            assert "trocánter" in first_paint_pictures(spanish)[0]
            assert "lesser trochanter" in first_paint_pictures(english)[0]
    keys = [k for k in memo.all_keys() if "insertion_lesser_trochanter" in k]
    assert {k[-1] for k in keys} == {"en", "es"}
