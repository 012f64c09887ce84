"""Issue 25: the diagram's words in Spanish (anatomy/words.py, data/es/geometry.yaml, the anatomy core's messages).

The geometry's Spanish is read over model.yaml's texts by id: every text a visitor reads has one, a malformed
overlay is refused with a message naming file, entry and field, and the numbers are the English geometry's. The
anatomy core's interface words (its ``tr``/``N_`` messages) each have a Spanish translation with the same
placeholders, and the figures drawn from the Spanish geometry speak it throughout.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from psoas_explorer.anatomy import description as av
from psoas_explorer.anatomy import figures, labels, words
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content.model import ContentError
from psoas_explorer.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "tr": (2,), "trn": (2, 3), "pgettext": ((1, "c"), 2)}


@pytest.fixture(scope="module")
def english() -> gm.Geometry:
    return av.shipped_geometry()


def test_every_text_of_the_model_has_its_spanish(english):
    assert words.gaps(english, "es") == []
    spanish = av.shipped_geometry("es")
    assert spanish.lang == "es" and english.lang == "en"
    assert av.shipped_geometry("en") is english and words.in_language(english, "en") is english
    assert words.in_language(english, "es") is spanish  # built once: memos keyed by the geometry stay per language
    lm = next(x for x in spanish.model.landmarks if x.id == "insertion_lesser_trochanter")
    assert lm.name == "Inserción del psoas (trocánter menor)" and "trocánter menor" in lm.plain
    # the numbers are the English geometry's: the drawing is the same, only its words change
    assert spanish.model.psoas_major.fascicles == tuple(
        f.model_copy(update={k: getattr(s, k) for k in ("label", "plain", "technical")})
        for f, s in zip(english.model.psoas_major.fascicles, spanish.model.psoas_major.fascicles, strict=True)
    )
    assert spanish.mesh_arrays("femur_r") is english.mesh_arrays("femur_r")


@pytest.mark.parametrize(
    ("overlay", "problem"),
    [
        ("nowhere:\n  name: x\n", "es/geometry.yaml, entry 'nowhere': no entry of model.yaml has this id."),
        ("iliacus:\n  side: x\n", "es/geometry.yaml, entry 'iliacus', field 'side': not a text field"),
        ("iliacus:\n  name: ''\n", "es/geometry.yaml, entry 'iliacus', field 'name': expected translated text."),
        ("iliacus: Ilíaco\n", "es/geometry.yaml, entry 'iliacus': expected a mapping of field to text."),
    ],
)
def test_a_malformed_overlay_is_refused_naming_entry_and_field(english, tmp_path, overlay, problem):
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "geometry.yaml").write_text(overlay, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        words.in_language(english, "es", tmp_path)
    assert problem in str(err.value)


def test_a_text_left_out_shows_the_english_with_the_mark(english, tmp_path):
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "geometry.yaml").write_text("iliacus:\n  name: Ilíaco\n", encoding="utf-8")
    partial = words.in_language(english, "es", tmp_path)
    iliacus = partial.path("iliacus")
    assert iliacus.name == "Ilíaco"
    assert iliacus.plain == english.path("iliacus").plain + " (sin traducir)"
    assert "iliacus.plain" in words.gaps(english, "es", tmp_path)


def test_every_message_of_the_anatomy_core_has_a_spanish_translation():
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="es")
    found = extract_from_dir(
        str(ROOT / "psoas_explorer" / "anatomy"), method_map=[("**.py", "python")], keywords=KEYWORDS
    )
    problems = []
    for name, line, message, _comments, context in found:
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key, context=context)
        if entry is None or entry.fuzzy or not entry.string:
            problems.append(f"missing: {key!r} ({name}:{line})")
        elif _names(key) != _names(entry.string if isinstance(entry.string, str) else entry.string[0]):
            problems.append(f"placeholders differ: {key!r}")
    assert not problems, "\n".join(problems)


def _names(text: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}


def test_the_spanish_figures_and_text_alternative_use_the_glossary_and_exact_levels():
    spanish = av.shipped_geometry("es")
    fig = figures.anatomy_figure(spanish, view="front", layers=frozenset(gm.LAYERS)).to_dict()
    hover = " ".join(str(t.get("hovertext", "")) for t in fig["data"])
    assert "apófisis transversa de L3" in hover  # the term in the hover (the label is in plain words)
    assert "Origen del psoas: apófisis transversa de L5" in hover and "Posición aproximada (esbozo)" in hover
    legend = [t["name"] for t in fig["data"] if t.get("showlegend")]
    assert {"Psoas mayor", "Psoas menor ≈", "Nervios del plexo lumbar ≈", "Riñones y uréteres ≈"} <= set(legend)
    assert fig["layout"]["legend"]["title"]["text"].startswith("≈ / discontinuo = posición aproximada")
    text = av.description(spanish, 90, "front", ("psoas_major",))
    assert "Cadera flexionada 90°: longitud del psoas en el modelo 19,6 cm, -6,5 cm respecto a estar de pie." in text
    assert "de T12 a L4" in text and "apófisis transversas de L1 a L5" in text and "trocánter menor" in text
    assert "el cuerpo de L1, el disco L1/L2, el disco L2/L3, el disco L3/L4, el disco L4/L5 y el cuerpo de L5" in text
    table = av.attachments_frame(spanish, _spanish_content(), ("psoas_major",))
    assert list(table.columns) == [
        "Músculo",
        "Lugar de unión",
        "Parte",
        "En palabras sencillas",
        "En términos anatómicos",
    ]
    assert table.iloc[1]["Parte"] == "Apófisis transversa" and table.iloc[1]["Lugar de unión"] == "Origen, L1"


def test_labels_are_placed_for_their_own_words():
    """A Spanish label is longer than the English: the placement is computed (and cached) per language."""
    en, es = av.shipped_geometry("en"), av.shipped_geometry("es")
    english = {lb.ident: lb.text for lb in labels._placed_labels(en, "front", 0.0, False)}
    spanish = {lb.ident: lb.text for lb in labels._placed_labels(es, "front", 0.0, False)}
    assert english["origin_l3_tp"] == "side wing of L3" and spanish["origin_l3_tp"] == "ala lateral de L3"
    assert english.keys() == spanish.keys()


def _spanish_content():  # type: ignore[no-untyped-def]
    from psoas_explorer.content.load import load_content

    return load_content(lang="es")
