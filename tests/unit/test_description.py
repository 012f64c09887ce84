"""What the anatomy page says about the diagram (anatomy/description.py), read without Streamlit."""

from __future__ import annotations

import re

from psoas_explorer.anatomy import description as d
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import model as c
from psoas_explorer.links import params


def test_items_list_origins_top_to_bottom_then_the_insertion_and_the_neighbours(geom: gm.Geometry) -> None:
    items = d.items(geom)
    fascicles = [f.id for f in geom.model.psoas_major.fascicles]
    assert list(items)[: len(fascicles)] == fascicles
    assert list(items)[len(fascicles)] == "insertion_lesser_trochanter"
    assert all(items[f].name.startswith("Psoas origin: ") and items[f].layer == "psoas_major" for f in fascicles)
    assert {i.layer for i in items.values()} <= set(gm.LAYERS)
    assert {i.layer for i in items.values()} >= {"psoas_major", "iliacus", "arteries", "kidneys_ureters"}
    assert all(i.plain and i.technical for i in items.values()), "every item needs both wordings"
    assert any(i.approximate for i in items.values()) and not any(items[f].approximate for f in fascicles)


def test_anatomy_params_are_the_documented_link_format(geom: gm.Geometry) -> None:
    spec = {p.name: p for p in d.anatomy_params(geom)}
    assert list(spec) == ["view", "layers", "angle", "lm"]
    assert spec["view"].choices == ("front", "side", "3d") and spec["view"].default == "front"
    assert spec["layers"].choices == (*gm.LAYERS, d.NO_LAYERS) and spec["layers"].default == ("psoas_major",)
    assert spec["angle"].bounds == (-20, 90) and spec["angle"].default == 0
    assert spec["lm"].choices == tuple(d.items(geom))
    values, notices = params.parse({"view": ["side"], "angle": ["45"], "lm": ["origin_l3_tp"]}, tuple(spec.values()))
    assert (values["view"], values["angle"], values["lm"]) == ("side", 45, "origin_l3_tp") and notices == []


def test_layers_none_in_a_link_means_every_layer_off_and_round_trips() -> None:
    assert d.layers_from_param(None) == d.layers_from_param(()) == ("psoas_major",)
    assert d.layers_from_param((d.NO_LAYERS,)) == ()
    assert d.layers_to_param(()) == (d.NO_LAYERS,)
    assert d.layers_from_param(("arteries", "psoas_major")) == ("psoas_major", "arteries")  # in the app's order
    for layers in ((), ("psoas_major",), ("iliacus", "arteries")):
        assert d.layers_from_param(d.layers_to_param(layers)) == layers


def test_attachments_frame_has_every_origin_l1_to_l5_and_the_insertion(geom: gm.Geometry, cnt: c.Content) -> None:
    table = d.attachments_frame(geom, cnt)
    assert list(table.columns) == ["Muscle", "Attachment", "Part", "In plain words", "In anatomical terms"]
    attachments = list(table["Attachment"])
    for level in ("L1", "L2", "L3", "L4", "L5"):
        assert f"Origin, {level}" in attachments, level
        rows = table[table["Attachment"] == f"Origin, {level}"]
        assert "Transverse process" in set(rows["Part"]), level
    assert any("lesser trochanter" in a.lower() and "insertion" in a.lower() for a in attachments)
    origins = len(geom.model.psoas_major.fascicles)
    landmarks = zip(attachments[origins:], geom.model.landmarks, strict=True)
    assert all(a.endswith("(approximate)") == lm.approximate for a, lm in landmarks)
    assert table[["In plain words", "In anatomical terms"]].map(bool).all().all()
    assert set(table["Muscle"]) <= {s.name for s in cnt.anatomy.structures}


def test_description_names_the_route_and_the_angle_with_its_length(geom: gm.Geometry) -> None:
    for angle in (0, 45, 90, -20):
        text = d.description(geom, angle)
        assert text.startswith("Diagram of the lower spine")
        assert f"Hip bent {angle}°" in text
        assert f"model psoas length {kin.psoas_length_cm(angle, geom):.1f} cm" in text
        assert "lesser trochanter" in text and "L1 to L5" in text
    assert "+0.0 cm from standing" in d.description(geom, 0)
    assert re.search(r"-\d+\.\d cm from standing", d.description(geom, 90))


def test_related_lists_the_layers_techniques_and_answers(cnt: c.Content) -> None:
    structure = next(s for s in cnt.anatomy.structures if s.related_techniques and s.related_faqs)
    techniques, answers = d.related(cnt, structure.id)
    assert [t.id for t in techniques] == list(structure.related_techniques)
    assert [a.id for a in answers] == list(structure.related_faqs)
    assert d.related(cnt, "no_such_layer") == ([], [])
