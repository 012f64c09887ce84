"""The same-elements floor (benchmarks/floor/calls.py) keeps each element call's arguments as constants, and
the benchmark's check finds a floor page that shows something else than the app's.

The recording and replay against the real app run in every benchmark (its warm table says whether each floor
showed the same elements at the same places on every page); these tests pin the pieces that decide it.
"""

from __future__ import annotations

import base64

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.floor import calls
from benchmarks.phases import page_shown


def test_a_format_func_is_applied_to_the_options_and_the_default_once_at_record_time():
    args, kwargs = calls._label_first("segmented_control", ("View", ["front", "side"]), {"default": "side"})
    args, kwargs = calls._freeze_call("segmented_control", args, {**kwargs, "format_func": str.title})
    assert args == ()
    assert kwargs == {"label": "View", "options": ["Front", "Side"], "default": "Side"}


def test_callbacks_become_no_ops_and_their_arguments_are_dropped():
    def on_click(technique: str) -> None:
        raise AssertionError("the app's callback must never run in the floor")

    _, kwargs = calls._freeze_call("button", ("Add",), {"key": "add", "on_click": on_click, "args": ("x",)})
    assert kwargs["on_click"] is calls._noop and "args" not in kwargs and kwargs["key"] == "add"


def test_a_value_that_cannot_be_kept_as_a_constant_stops_the_recording_with_its_place():
    class Technique:
        pass

    with pytest.raises(TypeError, match=r"markdown\(help=...\): cannot keep a .*Technique as a constant"):
        calls._freeze_call("markdown", ("text",), {"help": Technique()})


def test_a_page_link_to_a_page_file_is_kept_by_the_page_url():
    args, _ = calls._page_by_file("page_link", ("app_pages/anatomy.py",), {"label": "Anatomy"})
    assert args == (calls.PageRef("anatomy"),)


def _delta(path: list[int], body: str, element_id: str = "") -> str:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    msg.delta.new_element.markdown.body = body
    if element_id:
        msg.delta.fragment_id = element_id
    return base64.b64encode(msg.SerializeToString()).decode()


def test_what_a_page_shows_is_the_last_delta_at_each_place_without_server_made_ids():
    app = [_delta([0, 0], "placeholder"), _delta([0, 0], "Where the psoas runs", "f1"), _delta([0, 1], "Deep")]
    floor = [_delta([0, 0], "Where the psoas runs", "f2"), _delta([0, 1], "Deep")]  # merged in one flush
    assert page_shown(app) == page_shown(floor)
    assert page_shown(app) != page_shown([_delta([0, 0], "Where the psoas runs"), _delta([0, 1], "Shallow")])
