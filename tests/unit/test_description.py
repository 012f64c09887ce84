"""What the anatomy page says about the diagram (anatomy/description.py), read without Streamlit."""

from __future__ import annotations

import re

from psoas_explorer import linkformat as params
from psoas_explorer.anatomy import description as d
from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import model as c


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


def test_description_names_the_angle_with_its_length(geom: gm.Geometry) -> None:
    for angle in (0, 45, 90, -20):
        text = d.description(geom, angle, "front", ("psoas_major",))
        assert f"model psoas length {kin.psoas_length_cm(angle, geom):.1f} cm" in text
        assert "lesser trochanter" in text
    assert "Hip bent 45°" in d.description(geom, 45) and "Hip bent 90°" in d.description(geom, 90)
    assert "Hip stretched back 20°" in d.description(geom, -20)
    assert "as in standing (0°)" in d.description(geom, 0)
    assert "+0.0 cm from standing" in d.description(geom, 0)
    assert re.search(r"-\d+\.\d cm from standing", d.description(geom, 90))


def test_description_follows_the_view(geom: gm.Geometry) -> None:
    front, side, three_d = (d.description(geom, 30, view, ("psoas_major",)) for view in ("front", "side", "3d"))
    assert front.startswith("Front view") and "both thigh bones" in front and "On each side" in front
    assert side.startswith("Side view from the patient's right") and "On the right side" in side
    assert three_d.startswith("3D model") and "drag to turn" in three_d
    assert len({front, side, three_d}) == 3


def test_description_names_every_origin_as_drawn_and_the_insertion(geom: gm.Geometry) -> None:
    text = d.description(geom, 0, "front", ("psoas_major",))
    fascicles = geom.model.psoas_major.fascicles
    for f in fascicles:  # every origin the drawing marks, by its level
        assert f.level in text, f.level
    bodies, tps = d.origin_levels(geom)
    assert bodies[0] == "the L1 body" and bodies[-1] == "the L5 body"
    assert [b for b in bodies if b.endswith("disc")] == [f"the L{i}/L{i + 1} disc" for i in range(1, 5)]
    assert tps == ["L1", "L2", "L3", "L4", "L5"] and "transverse processes of L1, L2, L3, L4 and L5" in text
    assert "T12" in text  # the textbook slip, drawn as an open marker placed by hand
    assert "insertion on the lesser trochanter" in text


def test_description_says_when_no_layer_is_shown(geom: gm.Geometry) -> None:
    for view in ("front", "side", "3d"):
        text = d.description(geom, 30, view, ())
        drawn = "the bones are drawn" if view == "3d" else "the bones and the body outline are drawn"
        assert text.endswith(f"No layer is switched on: only {drawn}.")
        assert "psoas major runs" not in text and "lesser trochanter" not in text
        assert "model psoas length" in text  # the readout beside the drawing still says the length


def test_description_names_each_layer_shown_and_only_those(geom: gm.Geometry) -> None:
    text = d.description(geom, 0, "front", ("iliacus", "lumbar_plexus"))
    assert "psoas major runs" not in text
    assert "Iliacus: Iliacus origin (iliac fossa)." in text
    assert "Lumbar plexus nerves (position approximate, placed by hand): Femoral nerve" in text
    assert "Kidney" not in text and "aorta" not in text
    every = d.description(geom, 60, "3d", gm.LAYERS)
    assert all(s.name in every for s in geom.model.structures)
    assert all(o.name in every for o in geom.model.organs)
    assert d.description(geom, 0, "front", ("iliacus", "psoas_major")) == d.description(
        geom, 0, "front", ("psoas_major", "iliacus")
    ), "the order the layers were switched on in does not change the text"


def test_attachments_table_follows_the_layers(geom: gm.Geometry, cnt: c.Content) -> None:
    psoas = d.attachments_frame(geom, cnt, ("psoas_major",))
    assert len(psoas) == len(geom.model.psoas_major.fascicles) + 2  # the insertion and the T12 slip
    assert set(psoas["Muscle"]) == {"Psoas major"} or len(set(psoas["Muscle"])) == 1
    iliacus = d.attachments_frame(geom, cnt, ("iliacus",))
    assert list(iliacus["Attachment"]) == ["Iliacus origin (iliac fossa)"]
    assert d.attachments_frame(geom, cnt, ()).empty
    assert len(d.attachments_frame(geom, cnt)) == len(geom.model.psoas_major.fascicles) + len(geom.model.landmarks)


def test_related_lists_the_layers_techniques_and_answers(cnt: c.Content) -> None:
    structure = next(s for s in cnt.anatomy.structures if s.related_techniques and s.related_faqs)
    techniques, answers = d.related(cnt, structure.id)
    assert [t.id for t in techniques] == list(structure.related_techniques)
    assert [a.id for a in answers] == list(structure.related_faqs)
    assert d.related(cnt, "no_such_layer") == ([], [])


def test_description_says_where_the_body_outline_puts_the_psoas(geom: gm.Geometry) -> None:
    for view in ("front", "side"):
        for layers in ((), ("psoas_major",)):
            text = d.description(geom, 45, view, layers)
            assert "outline sketches the body" in text and "navel" in text and "groin" in text
            assert "L3/L4 disc" in text and "deep inside" in text and "behind the belly" in text
    assert "behind the belly wall and in front of the back" in d.description(geom, 0, "side")
    assert "narrows into its tendon" in d.description(geom, 0, "front")
    assert "narrows into its tendon" not in d.description(geom, 0, "3d")  # 3D draws the fascicle lines only
    assert "outline" not in d.description(geom, 0, "3d")  # the 3D view draws no outline
