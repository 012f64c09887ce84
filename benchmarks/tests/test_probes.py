"""The benchmark's in-page probes (benchmarks/diagram.py) see a diagram delivered as a custom component.

Issue 15 moves the anatomy diagram from `st.plotly_chart` into a component that may mount in a shadow root,
with a native range input as the hip control. These pages stand in for it (no Streamlit): a component root
marked `data-drawn="1"` once drawn, a Plotly-like graph, the slider and a `data-readout`, all inside an open
shadow root. One page redraws while the slider moves, the other only when it is released, as `st.slider`
does. The tests check what the benchmark counts, never how fast: frames that changed, readouts seen,
values reached.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from benchmarks import diagram

_PAGE = """<!doctype html><html><body>
<div data-testid="stApp" data-test-script-state="notRunning"><h1>Where the psoas runs</h1><div id="host"></div></div>
<script>
const root = document.getElementById('host').attachShadow({mode: 'open'});
root.innerHTML = `<div data-drawn="0" id="r"><div class="js-plotly-plot" style="width:600px;height:500px"></div>
<label>Hip flexion <input type="range" min="-20" max="90" step="1" value="0" style="width:400px"></label>
<span data-readout>26.1 cm</span></div>`;
window.__psoasFrames = 0;
const plot = root.querySelector('.js-plotly-plot'), input = root.querySelector('input');
setTimeout(() => {
  plot.innerHTML = '<svg class="main-svg"><path d="M0 0"/></svg>';
  root.getElementById('r').setAttribute('data-drawn', '1');
}, 200);
input.addEventListener('%s', () => requestAnimationFrame(() => {
  plot.querySelector('path').setAttribute('d', 'M0 0 L' + input.value + ' 10');
  root.querySelector('[data-readout]').textContent = (26.1 - input.value * 0.1).toFixed(1) + ' cm';
  window.__psoasFrames++;
}));
</script></body></html>"""
PAGES = {"/alive": _PAGE % "input", "/on-release": _PAGE % "change"}
# A first paint (data-painted) before Plotly's drawing (data-drawn), as the diagram component does.
PAGES["/painted"] = (
    PAGES["/alive"]
    .replace('data-drawn="0"', 'data-drawn="0" data-painted="0"')
    .replace(
        "setTimeout(() => {",
        "setTimeout(() => root.getElementById('r').setAttribute('data-painted', '1'), 100);\nsetTimeout(() => {",
    )
)

# The first paint as an image in the keyed container (issue 20: a Markdown image before the component mounts).
_SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMDAiIGhlaWdodD0iODAiPjwvc3ZnPg=="
PAGES["/pictured"] = PAGES["/alive"].replace(
    "setTimeout(() => {",
    "setTimeout(() => document.getElementById('host').insertAdjacentHTML('beforebegin',\n"
    f'  \'<div class="st-key-a_picture"><img alt="" src="data:image/svg+xml;base64,{_SVG}"></div>\'), 100);\n'
    "setTimeout(() => {",
)


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        body = PAGES.get(self.path, "").encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_diagram_counts_as_drawn_only_once_its_root_says_so(browser: Any, base: str) -> None:
    assert diagram.diagram_ms(browser, f"{base}/alive") >= 200  # data-drawn turns "1" after a 200 ms timer


def test_the_diagram_is_visible_once_its_root_says_painted_and_drawn_once_plotly_has_drawn(browser, base) -> None:
    visible, drawn = diagram.diagram_times(browser, f"{base}/painted")
    assert 100 <= visible < drawn and drawn >= 200  # painted after a 100 ms timer, drawn after a 200 ms one
    visible, drawn = diagram.diagram_times(browser, f"{base}/alive")  # no first paint: visible when drawn
    assert visible == drawn >= 200


def test_the_first_paint_image_counts_as_visible_once_loaded_before_plotly_draws(browser: Any, base: str) -> None:
    visible, drawn = diagram.diagram_times(browser, f"{base}/pictured")
    assert 100 <= visible < drawn and drawn >= 200  # the image comes after a 100 ms timer, Plotly after 200 ms
    assert diagram.picture_ms(browser, f"{base}/pictured") >= 100  # the same-picture floor's timing


def test_a_component_that_redraws_while_dragged_shows_changed_frames_and_readouts(browser: Any, base: str) -> None:
    run = diagram.drag(browser, f"{base}/alive", seconds=1.0)
    assert run["value_after"] == "90" and run["range"] == "0 to 90"
    assert run["changed"] > 0 and run["readouts"] > 0
    assert run["psoas"] >= run["changed"]  # its own count: at least one redraw per changed frame


def test_a_control_that_redraws_only_on_release_scores_no_frames(browser: Any, base: str) -> None:
    run = diagram.drag(browser, f"{base}/on-release", seconds=1.0)
    assert run["value_after"] == "90"  # the drag reached the end; the drawing waited for the release
    assert run["changed"] == 0 and run["readouts"] == 0 and run["psoas"] == 0


def test_a_key_press_is_timed_until_the_shadow_root_readout_changes(browser: Any, base: str) -> None:
    out = diagram.keypress_series(browser, {"alive": f"{base}/alive", "on-release": f"{base}/on-release"}, 2)
    assert len(out["alive"]) == 2 and len(out["on-release"]) == 2  # a key press fires input and change alike
    assert not out.get("alive failed") and not out.get("alive unchanged")
