"""Floor app: Psoas Explorer's navigation (the same pages, titles, icons, url_paths and visibility, read
from psoas_explorer.links.pages.PAGES) where every page is just its title.

With BENCH_PICTURE=<file> it is the *same-picture* floor for the diagram's first paint: the anatomy page is
its title and the Markdown image in that file (the app's own first paint), in a container keyed as the app's.
With BENCH_REPLAY_CALLS=<file> it is the *same-elements* floor (the target for warm reruns): every page makes
the real page's recorded st.* element calls again with constant arguments (calls.py). With BENCH_REPLAY=<file>
it is the *same-messages* floor: every page re-sends the delta messages the real page sent (floor_replay.py).
Either way it shows what the app shows without running the app's logic.

It imports the same libraries as the real app, so its process heap, and with it the cost of Streamlit's
post-run garbage collection, is comparable. Serve it exactly like app.py; set BENCH_GC_FREEZE=1 to
freeze the startup heap once per process (see floor_gc.py).
"""

import os
import sys
from pathlib import Path

import floor_gc  # type: ignore[import-not-found]  # beside this script: streamlit puts its folder on sys.path
import floor_replay  # type: ignore[import-not-found]
import fpdf  # noqa: F401 - imported for its heap, like the real app
import numpy  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import pydantic  # noqa: F401
import streamlit as st
import yaml  # noqa: F401

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # `streamlit run benchmarks/floor/floor_app.py` puts only this folder on the path
    sys.path.insert(0, ROOT)
from benchmarks.floor import calls  # noqa: E402 - the same-elements floor's replay
from psoas_explorer.links.pages import PAGES  # noqa: E402 - the page registry only (dataclasses, no Streamlit)

if os.environ.get("BENCH_GC_FREEZE") == "1":
    floor_gc.freeze_once()


PICTURE_FILE = os.environ.get("BENCH_PICTURE")  # harness.PICTURE_ENV
PICTURE = Path(PICTURE_FILE).read_text(encoding="utf-8") if PICTURE_FILE else ""
RECORDED_CALLS, MOUNTS = calls.floor_state()  # read and registered once per process, like the app's imports
FLOOR_PAGES: dict = {}  # url_path -> this run's st.Page, for recorded page links


def floor_page(heading: str, url_path: str):
    """The title (title-only floor), the real page's recorded messages (same-messages floor) or its recorded
    element calls (same-elements floor)."""
    replaying = bool(os.environ.get(floor_replay.ENV))

    def page() -> None:
        if RECORDED_CALLS is not None:
            calls.replay(RECORDED_CALLS.get(calls.page_key(url_path), []), FLOOR_PAGES, MOUNTS)
        elif replaying:
            floor_replay.replay(calls.page_key(url_path))
        else:
            st.title(heading)
            if PICTURE and url_path == "anatomy":
                with st.container(key="a_picture"):  # harness.PICTURE_KEY, as the app's
                    st.markdown(PICTURE, text_alignment="center")

    return page


st.set_page_config(page_title="Psoas Explorer", page_icon=":material/accessibility_new:", layout="wide")
pages = [
    st.Page(
        floor_page(p.heading, p.url_path),
        title=p.title,
        icon=p.icon,
        default=not p.url_path,
        visibility="hidden" if getattr(p, "hidden", False) else "visible",
        url_path=p.url_path or Path(p.file).stem,  # what st.Page infers for the file
    )
    for p in PAGES
]
FLOOR_PAGES.update({p.url_path: pg for p, pg in zip(PAGES, pages, strict=True)})
page = st.navigation(pages, position="sidebar")
page.run()
