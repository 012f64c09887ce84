"""Helpers shared by the tests (fixtures and hooks live in conftest.py): paths, AppTest sessions, YAML edits,
the nginx config."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from psoas_explorer.anatomy import model as gm
from psoas_explorer.content import load, model
from psoas_explorer.web import keys

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DATA = ROOT / "data"
README = ROOT / "README.md"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"


def open_page(
    file: str | None = None, *, ack: bool = False, query: Mapping[str, str | list[str]] | None = None
) -> AppTest:
    """A new session (like a new browser tab) that opens ``file`` the way a link would."""
    at = AppTest.from_file(APP, default_timeout=30)
    if ack:
        at.session_state[keys.ACK_KEY] = True
    if file:  # AppTest always starts on the default page; then follow the "link"
        at.run()
        at.query_params.clear()
        at.switch_page(file)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def capture_downloads(monkeypatch: Any) -> dict[str, Any]:
    """The last PDF a download button handed to Streamlit's media store ("pdf") and its file name ("filename")."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    got: dict[str, Any] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def capture(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        if mimetype == "application/pdf":
            got["pdf"], got["filename"] = path_or_data, filename
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return got


def handout_tab(at: AppTest) -> AppTest:
    """Switch the Techniques page to its handout tab, as a click on the tab does (the tab's body runs only then)."""
    at.session_state["t_tab"] = "Your handout"
    return at.run()


def open_expander(at: AppTest, key: str) -> AppTest:
    """Open a lazy expander (its body runs only while open), as a click on its label does."""
    at.session_state[key] = True
    return at.run()


def texts(at: AppTest) -> str:
    """All visible text of the main area, joined, for 'is this shown?' checks."""
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "warning", "info", "error")
        for e in getattr(at.main, kind)
    ]
    parts += [e.label for e in at.main.expander]
    return "\n".join(str(p) for p in parts)


# The QR code sits at the top right of the sheet's first page, in its header: this square corner of the page
# holds it with room to spare (the code is 17 mm, its quiet zone and the page margin about 15 mm more).
QR_CORNER_MM = 60.0


def qr_links(pdf: bytes, dpi: int = 300) -> list[str]:
    """The QR codes in the first page's top right corner, decoded by zxing-cpp as pdftoppm renders that corner
    (at a printer's 300 dpi: rendering whole pages at that resolution made these tests the slowest)."""
    import io
    import subprocess
    import tempfile

    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    width_pt = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    side = round(QR_CORNER_MM / 25.4 * dpi)
    left = round(width_pt / 72 * dpi) - side
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sheet.pdf"
        src.write_bytes(pdf)
        crop = ["-x", str(left), "-y", "0", "-W", str(side), "-H", str(side)]
        out = Path(tmp) / "corner"
        cmd = ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", *crop, "-png", "-singlefile", str(src), str(out)]
        subprocess.run(cmd, check=True)
        return [r.text for r in zxingcpp.read_barcodes(Image.open(out.with_suffix(".png")))]


def render_nginx(listen: int, backend_1: int, backend_2: int) -> str:
    """deploy/nginx.conf with its port placeholders filled in (the deploy file test and the browser proxy)."""
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"LISTEN_PORT": listen, "BACKEND_PORT_1": backend_1, "BACKEND_PORT_2": backend_2}.items():
        text = text.replace("${" + key + "}", str(value))
    return text


def edit_yaml(folder: Path, name: str, change: Callable[[Any], object]) -> None:
    """Apply ``change`` to the parsed YAML file ``folder/name`` in place and write it back."""
    path = folder / name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@functools.cache
def shipped_content() -> model.Content:
    """The shipped content, loaded when a test first needs it (module-level use would break collection)."""
    return load.load_content()


@functools.cache
def shipped_geometry() -> gm.Geometry:
    """The shipped anatomy model, loaded when a test first needs it."""
    return gm.load_geometry()


def proto_strings(
    msg: Message, *, keep: Callable[[str], bool] = lambda name: True, skip: tuple[str, ...] = ()
) -> Iterator[str]:
    """Every string in an element's protobuf whose field name ``keep`` accepts, nested messages included
    (except under the fields in ``skip``): what a page could show, for "is this text on screen?" scans."""
    for field, value in msg.ListFields():
        if isinstance(value, str | bytes | Message) or not hasattr(value, "__iter__"):
            items = [value]
        else:  # a repeated field, or a map field (its values)
            items = list(value.values()) if hasattr(value, "values") else list(value)
        for item in items:
            if isinstance(item, Message):
                if field.name not in skip:
                    yield from proto_strings(item, keep=keep, skip=skip)
            elif isinstance(item, str) and keep(field.name):
                yield item


def diagram_data(at: AppTest, mode: str = "diagram") -> dict[str, Any]:
    """What the anatomy page sent its diagram component ("diagram") or length chart ("chart") in the last run:
    the Plotly figure it draws, its text alternative, the angle the hip control shows and the length table."""
    import json

    for el in at.get("bidi_component"):
        data = json.loads(json.loads(el.proto.json))
        if data.get("mode") == mode:
            return data
    raise AssertionError(f"no {mode} component on the page")


def shown_length(at: AppTest) -> str:
    """The length the readout beside the hip control shows (the component formats lengths[angle] this way)."""
    d = diagram_data(at)
    return f"{d['lengths'][d['angle'] - d['min']]:.1f} cm"


def let_go_at(at: AppTest, angle: int) -> AppTest:
    """What the diagram's ``angle`` trigger does when the hip control is let go: the callback sets a_angle.
    (AppTest cannot fire a custom component's trigger; the browser tests drive the real control.)"""
    at.session_state["a_angle"] = angle
    return at.run()
