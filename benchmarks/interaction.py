"""What a visitor's slider move on the anatomy page costs the server: whole-page rerun vs fragment rerun.

    python -m benchmarks.interaction [--moves 60]

The anatomy diagram, its controls and the length readout are one `st.fragment` (web.anatomy.explorer), so a
browser sends a slider move as a rerun of that fragment only. This starts the shipped app, opens the page
over the websocket protocol, and moves the hip-flexion slider back and forth, alternately as a fragment
rerun (what the browser sends) and as a whole-page rerun (what it would send without the fragment), each
sent to a quiet server. It prints the median and p95 latency and messages per move.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetStates

from benchmarks.harness import IDLE_GAP_S, pct, shipped_app
from benchmarks.protocol import Session, check_ok

SLIDER_LABEL = "Hip flexion"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=60, help="slider moves per kind")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, shipped_app(Path(tmp)) as server, Session(server.url) as sess:
        first, _ = sess.open_page("anatomy")
        check_ok(first)
        found = [
            n
            for n, e in enumerate(first.elements)
            if e.WhichOneof("type") == "slider" and e.slider.label == SLIDER_LABEL
        ]
        if not found:
            raise SystemExit(
                f"The anatomy page has no st.slider {SLIDER_LABEL!r}: the hip control lives in the browser (a custom "
                "component that sends the angle once, on release), so there is no per-move rerun to time here. "
                "Use `python -m benchmarks.run --only drag,keypress` for the control as a visitor uses it."
            )
        i = found[0]
        slider_id, fragment = first.elements[i].slider.id, first.fragment_ids[i]
        if not fragment:
            raise RuntimeError("the slider is not inside a fragment")
        results: dict[str, dict[str, list[float]]] = {
            "fragment": {"ms": [], "msgs": []},
            "whole page": {"ms": [], "msgs": []},
        }
        for n in range(2 * args.moves + 4):
            kind = "fragment" if n % 2 == 0 else "whole page"
            states = WidgetStates()
            w = states.widgets.add()
            w.id = slider_id
            w.double_array_value.data.append(float((n % 18) * 5))
            time.sleep(IDLE_GAP_S)
            out = sess.rerun(
                "anatomy", widget_states=states, fragment_id=fragment if kind == "fragment" else "", collect=False
            )
            check_ok(out)
            if n >= 4:  # the first moves build figures for new angles: warm-up
                results[kind]["ms"].append(out.latency_s * 1000)
                results[kind]["msgs"].append(out.messages)
    print("| slider move sent as | median ms | p95 ms | messages |")
    print("|---|---|---|---|")
    for kind, r in results.items():
        ms, msgs = r["ms"], r["msgs"]
        print(f"| {kind} | {statistics.median(ms):.1f} | {pct(ms, 95):.1f} | {statistics.median(msgs):.0f} |")


if __name__ == "__main__":
    main()
