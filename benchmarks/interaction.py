"""What a visitor's hip-control release on the anatomy page costs the server: whole-page vs fragment rerun.

    python -m benchmarks.interaction [--moves 60]

The anatomy diagram, its controls and the length readout are one `st.fragment` (web.anatomy.explorer), so a
browser sends a released hip control (the diagram component's ``angle`` trigger; while it is dragged the
browser animates on its own) as a rerun of that fragment only. This starts the shipped app, opens the page
over the websocket protocol, and sends the trigger back and forth, alternately as a fragment rerun (what the
browser sends) and as a whole-page rerun (what it would send without the fragment), each sent to a quiet
server. It prints the median and p95 latency and messages per move.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetStates

from benchmarks.harness import IDLE_GAP_S, pct, shipped_app
from benchmarks.protocol import Session, check_ok

COMPONENT = "psoas_explorer.diagram"  # psoas_explorer.web.diagram.NAME; its "diagram" mount holds the hip control


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=60, help="slider moves per kind")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, shipped_app(Path(tmp)) as server, Session(server.url) as sess:
        first, _ = sess.open_page("anatomy")
        check_ok(first)
        i = next(
            n
            for n, e in enumerate(first.elements)
            if e.WhichOneof("type") == "bidi_component"
            and e.bidi_component.component_name == COMPONENT
            and json.loads(json.loads(e.bidi_component.json)).get("mode") == "diagram"
        )
        component_id = first.elements[i].bidi_component.id
        trigger_id = _make_trigger_id(component_id, "events")
        fragment = first.fragment_ids[i]
        if not fragment:
            raise RuntimeError("the hip control is not inside a fragment")
        results: dict[str, dict[str, list[float]]] = {
            "fragment": {"ms": [], "msgs": []},
            "whole page": {"ms": [], "msgs": []},
        }
        for n in range(2 * args.moves + 4):
            kind = "fragment" if n % 2 == 0 else "whole page"
            states = WidgetStates()
            w = states.widgets.add()
            w.id = trigger_id
            w.json_trigger_value = json.dumps([{"event": "angle", "value": (n % 18) * 5}])  # as the browser sends it
            base = states.widgets.add()  # the component's own (empty) state, which the trigger is read through
            base.id = component_id
            base.json_value = "{}"
            time.sleep(IDLE_GAP_S)
            out = sess.rerun(
                "anatomy", widget_states=states, fragment_id=fragment if kind == "fragment" else "", collect=False
            )
            check_ok(out)
            if n >= 4:  # the first moves build figures for new angles: warm-up
                results[kind]["ms"].append(out.latency_s * 1000)
                results[kind]["msgs"].append(out.messages)
    print("| hip control release sent as | median ms | p95 ms | messages |")
    print("|---|---|---|---|")
    for kind, r in results.items():
        ms, msgs = r["ms"], r["msgs"]
        print(f"| {kind} | {statistics.median(ms):.1f} | {pct(ms, 95):.1f} | {statistics.median(msgs):.0f} |")


if __name__ == "__main__":
    main()
