"""The anatomy page as a clinician uses it: views, layers, the hip slider, deep links, details."""

import json

import pytest

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from tests.support import open_expander, open_page

PAGE = "app_pages/anatomy.py"


def spec(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def layers_drawn(at) -> set[str]:
    """Layers the figure draws, without the bones, the body outline and the labels (drawn whatever the layers)."""
    return {t["meta"]["layer"] for t in spec(at)["data"] if t.get("meta")} - {"bones", "body", "labels"}


def metric(at):
    return at.main.metric[0]


def test_default_view_shows_psoas_and_standing_length(geom):
    at = open_page(PAGE)
    assert not at.exception
    assert layers_drawn(at) == {"psoas_major"}
    assert metric(at).label == "Psoas length"
    assert metric(at).value == f"{kin.psoas_length_cm(0, geom):.1f} cm" == "26.1 cm"
    hover = " ".join(str(t.get("hovertext")) for t in spec(at)["data"])
    assert "lesser trochanter" in hover.lower() and "transverse process" in hover.lower()


def test_slider_changes_metric_figure_and_link():
    at = open_page(PAGE)
    before = spec(at)
    at.slider(key="a_angle").set_value(90).run()
    assert metric(at).value == "19.6 cm"
    assert "-6.5" in metric(at).delta
    assert spec(at) != before
    assert at.query_params["angle"] == "90"
    at.button(key="a_preset_0").click().run()  # "Standing"
    assert metric(at).value == "26.1 cm"
    assert "angle" not in at.query_params


def test_link_restores_view_layers_angle_and_landmark():
    query = {"view": "side", "layers": ["psoas_major", "arteries"], "angle": "45", "lm": "origin_l3_tp"}
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert at.segmented_control(key="a_view").value == "side"
    assert at.slider(key="a_angle").value == 45
    assert layers_drawn(at) == {"psoas_major", "arteries"}
    assert at.selectbox(key="a_landmark").value == "origin_l3_tp"
    details = "\n".join(m.value for m in at.main.markdown)
    assert "L3" in details and "transverse process" in details
    assert {k: at.query_params[k] for k in at.query_params} == query


@pytest.mark.parametrize("layer", gm.LAYERS[1:])
def test_each_layer_switch_adds_its_traces_and_caption(layer, cnt):
    at = open_page(PAGE)
    at.session_state["a_layers"] = ["psoas_major", layer]
    at.run()
    assert layer in layers_drawn(at)
    link = at.query_params["layers"]
    assert layer in (link if isinstance(link, list) else [link])
    caption = next(s for s in cnt.anatomy.structures if s.id == layer)
    assert any(f"**{caption.name}**" in m.value for m in at.main.markdown)


def test_all_layers_off_is_kept_in_the_link():
    at = open_page(PAGE, query={"layers": "none"})
    assert layers_drawn(at) == set()
    assert at.query_params["layers"] == "none"


def test_clicking_a_marker_opens_its_details():
    at = open_page(PAGE)
    point = {"curve_number": 0, "point_number": 0, "point_index": 0, "customdata": "insertion_lesser_trochanter"}
    at.session_state["a_chart"] = {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert at.selectbox(key="a_landmark").value == "insertion_lesser_trochanter"
    details = "\n".join(m.value for m in at.main.markdown)
    assert "Related techniques" in details
    links = {el.proto.page for el in at.main.get("page_link")}
    assert {"techniques", "myths-faq"} <= links
    assert at.query_params["lm"] == "insertion_lesser_trochanter"


def test_text_alternative_lists_every_origin_and_the_insertion():
    at = open_expander(open_page(PAGE), "a_text")
    table = at.main.dataframe[0].value
    attachments = " ".join(table["Attachment"])
    for level in ("L1", "L2", "L3", "L4", "L5"):
        assert f"Origin, {level}" in attachments
    assert "Lesser trochanter" in attachments or "lesser trochanter" in attachments.lower()
    assert at.get("plotly_chart")[0].proto.alt.startswith("Front view of the lower spine")


def alt(at) -> str:
    return at.get("plotly_chart")[0].proto.alt


def test_text_alternative_follows_the_view_layers_and_angle():
    """Issue 15: screen readers got the front-view description whatever the view and layers."""
    at = open_expander(open_page(PAGE), "a_text")
    assert alt(at).startswith("Front view") and "psoas major runs" in alt(at)
    assert "transverse processes of L1, L2, L3, L4 and L5" in alt(at) and "L4/L5 disc" in alt(at)
    at.segmented_control(key="a_view").set_value("side").run()
    assert alt(at).startswith("Side view") and "On the right side" in alt(at)
    at.segmented_control(key="a_view").set_value("3d").run()
    assert alt(at).startswith("3D model")
    at.slider(key="a_angle").set_value(60).run()
    assert "Hip bent 60°" in alt(at)
    at.pills(key="a_layers").set_value(["psoas_major", "kidneys_ureters"]).run()
    assert "Kidneys and ureters" in alt(at) and "Right kidney" in alt(at)
    text = "\n".join(m.value for m in at.main.markdown)
    assert alt(at) in text, "the expander's description is the diagram's own alt text"
    at.pills(key="a_layers").set_value([]).run()
    assert alt(at).endswith("No layer is switched on: only the bones are drawn.")
    assert "psoas major runs" not in alt(at)
    assert "No layer is switched on" in "\n".join(m.value for m in at.main.markdown)
    assert not at.main.dataframe, "no table of attachments when nothing is drawn"


def test_text_alternative_from_a_link_matches_the_linked_drawing():
    at = open_page(PAGE, query={"view": "side", "layers": "iliacus", "angle": "-20"})
    assert alt(at).startswith("Side view") and "Hip stretched back 20°" in alt(at)
    assert "Iliacus origin" in alt(at) and "psoas major runs" not in alt(at)


def test_hostile_anatomy_link_gives_notice_and_defaults():
    at = open_page(PAGE, query={"view": "<svg>", "angle": "999", "layers": ["bogus", "iliacus"], "lm": "x"})
    assert not at.exception
    assert len(at.info) >= 3
    assert at.slider(key="a_angle").value == 0
    assert layers_drawn(at) == {"iliacus"}


def test_consult_mode_keeps_the_links_layers_and_a_switched_layer_reaches_the_link():
    # Issue 12: consult mode drew only the psoas while the address still said iliacus.
    at = open_page(PAGE, query={"layers": ["psoas_major", "iliacus"], "consult": "1"})
    assert layers_drawn(at) == {"psoas_major", "iliacus"}
    assert at.query_params["layers"] == ["psoas_major", "iliacus"]
    at.pills(key="a_layers").set_value(["psoas_major"]).run()
    assert layers_drawn(at) == {"psoas_major"}
    assert "layers" not in at.query_params  # the default (psoas only) is left out of links
    at.toggle(key="consult").set_value(False).run()
    assert layers_drawn(at) == {"psoas_major"}
    at.pills(key="a_layers").set_value(["psoas_major", "kidneys_ureters"]).run()
    at.toggle(key="consult").set_value(True).run()
    assert layers_drawn(at) == {"psoas_major", "kidneys_ureters"}
    assert at.query_params["layers"] == ["psoas_major", "kidneys_ureters"]


def dialogs(at) -> list:
    """The open dialogs of the last run (AppTest has no accessor for them: walk the element tree)."""
    found, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        if getattr(node, "type", None) == "dialog":
            found.append(node)
        todo.extend(getattr(node, "children", {}).values())
    return found


def dialog_text(dialog) -> str:
    out, todo = [], [dialog]
    while todo:
        node = todo.pop()
        if getattr(node, "type", None) == "markdown":
            out.append(node.value)
        todo.extend(getattr(node, "children", {}).values())
    return "\n".join(out)


def test_a_chosen_landmark_opens_its_details_in_a_dialog_once():
    """Issue 15: the details opened two screens below the diagram on a phone; a dialog is in view."""
    at = open_page(PAGE)
    assert not dialogs(at)
    at.selectbox(key="a_landmark").set_value("origin_l3_tp").run()
    (box,) = dialogs(at)
    assert box.proto.dialog.title == "Psoas origin: L3 TP" and box.proto.dialog.is_open
    assert "In anatomical terms" in dialog_text(box)
    assert at.query_params["lm"] == "origin_l3_tp"
    at.slider(key="a_angle").set_value(30).run()
    assert not dialogs(at), "the dialog opens for a new choice, not on every rerun"
    assert any(m.value.startswith("## Psoas origin") for m in at.main.markdown), "the details stay on the page too"


def test_a_linked_landmark_shows_on_the_page_without_a_dialog_and_consult_dialog_is_plain():
    at = open_page(PAGE, query={"lm": "insertion_lesser_trochanter"})
    assert not dialogs(at)
    at = open_page(PAGE, query={"consult": "1"})
    at.selectbox(key="a_landmark").set_value("insertion_lesser_trochanter").run()
    (box,) = dialogs(at)
    assert "In anatomical terms" not in dialog_text(box)
