"""The same-messages floor (information; the target is calls.py's same-elements floor): each page replays,
as constants, the delta messages the real app's page sent.

`benchmarks.replay.record` opens every page of the real app over the protocol, takes the deltas of one warm
rerun (every element and block, in order, with its delta path) and writes them to a file. With
`BENCH_REPLAY=<that file>`, floor_app.py's pages call `replay(url_path)`, which parses each recorded
message afresh and hands it to Streamlit's own `enqueue_message`, the call every `st.*` element ends in (hashing,
the forward queue, the flush ticks, the websocket). No app logic runs, so `app ÷ same-messages floor` is what
the app costs beyond Streamlit drawing exactly what the page shows. Widgets are not registered: the
element-building half of each `st.*` call is the part this floor leaves out (see benchmarks/README.md).
"""

from __future__ import annotations

import base64
import json
import os
from functools import cache

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import enqueue_message

ENV = "BENCH_REPLAY"


@cache
def recorded() -> dict[str, list[bytes]]:
    """url_path -> the serialized delta ForwardMsgs of one warm run of that page (read once per process)."""
    with open(os.environ[ENV], encoding="utf-8") as f:
        data = json.load(f)
    return {url: [base64.b64decode(m) for m in msgs] for url, msgs in data["pages"].items()}


def replay(url_path: str) -> int:
    """Send the page's recorded deltas, each a fresh message built from constant bytes; returns how many."""
    msgs = recorded().get(url_path, [])
    for raw in msgs:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        enqueue_message(msg)
    return len(msgs)
