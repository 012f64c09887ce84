"""The anatomy page as a clinician uses it: views, layers, the hip slider, deep links, details."""

import re

import pytest

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import model as gm
from tests.support import diagram_data, let_go_at, open_expander, open_page, shown_length

PAGE = "app_pages/anatomy.py"


def spec(at) -> dict:
    return diagram_data(at)["figure"]


def layers_drawn(at) -> set[str]:
    """Layers the figure draws, without the bones, the body outline and the labels (drawn whatever the layers)."""
    return {t["meta"]["layer"] for t in spec(at)["data"] if t.get("meta")} - {"bones", "body", "labels"}


def test_default_view_shows_psoas_and_standing_length(geom):
    at = open_page(PAGE)
    assert not at.exception
    assert layers_drawn(at) == {"psoas_major"}
    assert shown_length(at) == f"{kin.psoas_length_cm(0, geom):.1f} cm" == "26.1 cm"
    assert diagram_data(at)["standing"] == round(kin.psoas_length_cm(0, geom), 2)
    assert not at.get("plotly_chart"), "Streamlit's own Plotly chart (and its 4.7 MB bundle) is not used"
    hover = " ".join(str(t.get("hovertext")) for t in spec(at)["data"])
    assert "lesser trochanter" in hover.lower() and "transverse process" in hover.lower()


def test_released_hip_control_changes_readout_figure_chart_and_link():
    at = open_page(PAGE)
    before, chart = spec(at), diagram_data(at, "chart")["figure"]
    let_go_at(at, 90)
    assert diagram_data(at)["angle"] == 90
    assert shown_length(at) == "19.6 cm"
    assert spec(at) != before
    assert diagram_data(at, "chart")["figure"] != chart  # the chart's "now" marker moved
    assert at.query_params["angle"] == "90"
    at.button(key="a_preset_0").click().run()  # "Standing"
    assert shown_length(at) == "26.1 cm" and diagram_data(at)["angle"] == 0
    assert "angle" not in at.query_params


def test_poses_for_the_browser_cover_the_range_and_only_what_moves():
    """The browser blends these while the control is dragged: every 10 degrees, the femur and what rides on it."""
    at = open_page(PAGE, query={"layers": ["psoas_major", "iliacus"]})
    poses = diagram_data(at)["poses"]
    assert poses["angles"][0] == kin.MIN_ANGLE and poses["angles"][-1] == kin.MAX_ANGLE
    assert {"bones:femur", "psoas_major:tendon", "iliacus:path"} <= set(poses["traces"])
    assert not {k for k in poses["traces"] if k.startswith(("bones:static", "psoas_major:fascicles"))}
    femur = poses["traces"]["bones:femur"]["x"]
    assert len({len(x) for x in femur}) == 1, "equal point counts: the outline is blended point by point"
    at = open_page(PAGE, query={"view": "3d"})
    three = diagram_data(at)["poses"]
    assert "psoas_major:tendon" in three["traces"] and "z" in three["traces"]["psoas_major:tendon"]
    assert "bones:femur" not in three["traces"], "the 3D femur mesh is turned in the browser, not sent per pose"
    assert three["femur"]["key"] == "bones:femur" and len(three["femur"]["centre"]) == 2


def test_link_restores_view_layers_angle_and_landmark():
    query = {"view": "side", "layers": ["psoas_major", "arteries"], "angle": "45", "lm": "origin_l3_tp"}
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert at.segmented_control(key="a_view").value == "side"
    assert diagram_data(at)["angle"] == 45
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
    """The marker carries its id (customdata); the component's landmark trigger selects it (browser test)."""
    at = open_page(PAGE)
    insertion = next(t for t in spec(at)["data"] if t["meta"]["key"].endswith("insertion_lesser_trochanter"))
    assert set(insertion["customdata"]) == {"insertion_lesser_trochanter"}
    at.selectbox(key="a_landmark").set_value("insertion_lesser_trochanter").run()
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
    assert alt(at).startswith("Front view of the lower spine")


def alt(at) -> str:
    return diagram_data(at)["alt"]


def test_text_alternative_follows_the_view_layers_and_angle():
    """Issue 15: screen readers got the front-view description whatever the view and layers."""
    at = open_expander(open_page(PAGE), "a_text")
    assert alt(at).startswith("Front view") and "psoas major starts on the spine" in alt(at)
    # Issue 21: the anatomy first (T12 to L4 bodies and discs, L1 to L5 transverse processes), then the model
    anatomy = alt(at).index("vertebral bodies from T12 to L4")
    assert anatomy < alt(at).index("transverse processes of L1 to L5") < alt(at).index("The model draws")
    assert "transverse processes of L1, L2, L3, L4 and L5" in alt(at) and "L4/L5 disc" in alt(at)
    at.segmented_control(key="a_view").set_value("side").run()
    assert alt(at).startswith("Side view") and "On the right side" in alt(at)
    at.segmented_control(key="a_view").set_value("3d").run()
    assert alt(at).startswith("3D model")
    let_go_at(at, 60)
    assert "Hip bent 60°" in alt(at)
    at.pills(key="a_layers").set_value(["psoas_major", "kidneys_ureters"]).run()
    assert "Kidneys and ureters" in alt(at) and "Right kidney" in alt(at)
    text = "\n".join(m.value for m in at.main.markdown)
    assert alt(at) in text, "the expander's description is the diagram's own alt text"
    at.pills(key="a_layers").set_value([]).run()
    assert alt(at).endswith("No layer is switched on: only the bones are drawn.")
    assert "psoas major starts" not in alt(at)
    assert "No layer is switched on" in "\n".join(m.value for m in at.main.markdown)
    assert not at.main.dataframe, "no table of attachments when nothing is drawn"


def test_text_alternative_from_a_link_matches_the_linked_drawing():
    at = open_page(PAGE, query={"view": "side", "layers": "iliacus", "angle": "-20"})
    assert alt(at).startswith("Side view") and "Hip stretched back 20°" in alt(at)
    assert "Iliacus origin" in alt(at) and "psoas major starts" not in alt(at)


def test_hostile_anatomy_link_gives_notice_and_defaults():
    at = open_page(PAGE, query={"view": "<svg>", "angle": "999", "layers": ["bogus", "iliacus"], "lm": "x"})
    assert not at.exception
    assert len(at.info) >= 3
    assert diagram_data(at)["angle"] == 0
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
    let_go_at(at, 30)
    assert not dialogs(at), "the dialog opens for a new choice, not on every rerun"
    assert any(m.value.startswith("## Psoas origin") for m in at.main.markdown), "the details stay on the page too"


def test_a_linked_landmark_opens_the_same_dialog_as_a_tap_and_consult_dialog_is_plain():
    """Issue 23: a shared landmark link only bolded the marker, while a tap opened the details dialog."""
    at = open_page(PAGE, query={"lm": "insertion_lesser_trochanter"})
    (box,) = dialogs(at)
    assert box.proto.dialog.is_open and "In anatomical terms" in dialog_text(box)
    let_go_at(at, 30)
    assert not dialogs(at), "once, not on every rerun"
    at.selectbox(key="a_landmark").set_value(None).run()  # the undo: no landmark, none in the link
    assert "lm" not in at.query_params and not dialogs(at)
    at = open_page(PAGE, query={"consult": "1"})
    at.selectbox(key="a_landmark").set_value("insertion_lesser_trochanter").run()
    (box,) = dialogs(at)
    assert "In anatomical terms" not in dialog_text(box)


def first_paint_pictures(at) -> list[str]:
    """The SVGs the page shows as Markdown images (data URLs)."""
    import base64

    head = "![](data:image/svg+xml;base64,"
    return [base64.b64decode(m.value[len(head) : -1]).decode() for m in at.main.markdown if m.value.startswith(head)]


def test_the_first_run_carries_the_first_paint_within_the_message_budget_and_later_runs_do_not():
    """A session's first run sends the server-drawn picture as a Markdown image (shown with the heading, until
    Plotly has drawn), complete in itself (every label placed), and not in the component's data (once is
    enough); the browser then has Plotly, so a released control's run goes without it. Every message stays
    within 200 kB, even with all layers."""
    from psoas_explorer.web import diagram as dv

    at = open_page(PAGE)
    (picture,) = first_paint_pictures(at)
    assert picture.startswith("<svg") and "side wing of L3" in picture
    pins = re.findall(r'<[a-z]+ class="pd-pin"[^>]*>', picture)
    assert pins and all("transform=" in p for p in pins), "every label placed: an image runs no script"
    assert "svg" not in diagram_data(at)
    let_go_at(at, 40)
    assert first_paint_pictures(at) == []
    assert "svg" not in diagram_data(at)
    everything = open_page(PAGE, query={"layers": list(gm.LAYERS), "consult": "1"})
    assert layers_drawn(everything) == set(gm.LAYERS)
    for el in everything.get("bidi_component"):
        assert el.proto.ByteSize() <= dv.MESSAGE_BUDGET, el.proto.ByteSize()  # as the benchmark weighs it
