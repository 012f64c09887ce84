"""A minimal Streamlit websocket client: one session, reruns by page, widget clicks, bytes and timings.

It speaks Streamlit 1.67's internal protocol (see shared/research/streamlit.md §6): binary protobuf
`BackMsg` frames up, `ForwardMsg` frames down, on `ws://host:port/_stcore/stream` with the
`streamlit` subprotocol. The protocol is not a public API, so the benchmark pins the Streamlit version.

A rerun is timed from sending the `rerun_script` BackMsg to receiving the `script_finished` message of
the run (a `FINISHED_EARLY_FOR_RERUN`, which `st.rerun()` causes, means "keep reading"). This is the
server's response time, without any browser rendering.
"""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from websockets.sync.client import connect

# psoas_explorer.web.gate.gate's button label begins so, in English and in Spanish (benchmarks/language.py)
GATE_LABEL_PREFIX = ("I understand", "Entendido")
BROKEN_CONTENT_TEXT = "content file is broken"  # psoas_explorer.web.startup.content's stop screen says so


class ProtocolError(RuntimeError):
    """The server closed, timed out, or answered in a way a browser would show as an error."""


@dataclass
class RunResult:
    """What one rerun produced, as the client saw it."""

    latency_s: float  # send -> script_finished (final one if the script called st.rerun)
    bytes_received: int  # payload bytes of every frame received for this rerun (no websocket compression by default)
    messages: int
    status: str  # name of the final ScriptFinishedStatus
    elements: list[Any] = field(default_factory=list)  # Element protos (only when collect=True)
    exceptions: list[str] = field(default_factory=list)  # st.exception / uncaught exception messages
    page_not_found: bool = False
    page_profile: dict[str, int] | None = None  # exec_time/prep_time in µs, only if the server sent one
    session_id: str | None = None
    fragment_ids: list[str] = field(default_factory=list)  # per collected element: its fragment, or ""
    deltas: list[bytes] = field(default_factory=list)  # every delta ForwardMsg as received (only when collect=True)

    def of_type(self, kind: str) -> list[Any]:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    def headings(self) -> list[str]:
        return [h.body for h in self.of_type("heading")]

    def plotly_spec_sizes(self) -> list[int]:
        """UTF-8 size of each Plotly figure's JSON spec in this run."""
        return [len(p.spec.encode()) for p in self.of_type("plotly_chart")]

    def figure_sizes(self) -> list[int]:
        """Each Plotly spec, then each custom component's whole message (its data, and its code when inline):
        what a figure costs to send, whichever way the page draws it."""
        return self.plotly_spec_sizes() + [c.ByteSize() for c in self.of_type("bidi_component")]

    def broken_content(self) -> bool:
        return any(BROKEN_CONTENT_TEXT in a.body for a in self.of_type("alert"))


class _QuickAckSocket(socket.socket):
    """A TCP socket that re-arms TCP_QUICKACK before every read (Linux resets it after a few ACKs)."""

    def _arm(self) -> None:
        with contextlib.suppress(OSError):
            self.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)

    def recv(self, *args: Any) -> bytes:
        self._arm()
        return super().recv(*args)

    def recv_into(self, *args: Any) -> int:
        self._arm()
        return super().recv_into(*args)


def _tcp_socket(host: str, port: int, *, quickack: bool, timeout: float) -> socket.socket:
    cls = _QuickAckSocket if quickack and hasattr(socket, "TCP_QUICKACK") else socket.socket
    sock = cls(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(timeout)
    try:
        sock.connect((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class Session:
    """One Streamlit session over one websocket connection (the equivalent of one browser tab)."""

    def __init__(self, base_url: str, *, open_timeout: float = 30.0, quickack: bool = True) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"loopback http addresses only, got {base_url}")
        self.url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        sock = _tcp_socket(parts.hostname, parts.port or 80, quickack=quickack, timeout=open_timeout)
        kwargs: dict[str, Any] = {"sock": sock, "subprotocols": ["streamlit"], "max_size": None}
        try:
            # websockets >= 17 wants connect() as a context manager unless legacy=True says otherwise.
            self.ws = connect(self.url, open_timeout=open_timeout, legacy=True, **kwargs)
        except TypeError:  # older websockets: no legacy flag, connect() returns the connection
            self.ws = connect(self.url, open_timeout=open_timeout, **kwargs)
        except BaseException:
            sock.close()
            raise
        self.session_id: str | None = None
        self.last: RunResult | None = None

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead socket is not an error worth reporting
            self.ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _drain(self) -> None:
        """Discard anything left over from the previous run (it must not count towards the next one)."""
        while True:
            try:
                self.ws.recv(timeout=0)
            except TimeoutError:
                return

    def rerun(
        self,
        page: str = "",
        *,
        query_string: str = "",
        widget_states: WidgetStates | None = None,
        fragment_id: str = "",
        collect: bool = True,
        timeout: float = 60.0,
    ) -> RunResult:
        """Ask for a run of `page` (a url_path; "" is the default page) and read until it has finished.

        A `page` with a query ("search?q=sitting", harness.SEARCH_RESULTS) runs that page with that query string,
        as a browser at that address sends it with every rerun."""
        if "?" in page and not query_string:
            page, query_string = page.split("?", 1)
        back = BackMsg()
        back.rerun_script.page_name = page
        back.rerun_script.query_string = query_string
        if widget_states is not None:
            back.rerun_script.widget_states.CopyFrom(widget_states)
        back.rerun_script.fragment_id = fragment_id  # "" = the whole app; else rerun only that st.fragment
        payload = back.SerializeToString()
        self._drain()
        t0 = time.perf_counter()
        deadline = t0 + timeout
        self.ws.send(payload)
        nbytes = nmsgs = 0
        elements: list[Any] = []
        fragment_ids: list[str] = []
        deltas: list[bytes] = []
        exceptions: list[str] = []
        not_found = False
        profile = None
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {timeout} s (page {page!r})")
            try:
                raw = self.ws.recv(timeout=remaining)
            except TimeoutError as exc:
                raise ProtocolError(f"no script_finished within {timeout} s (page {page!r})") from exc
            except Exception as exc:  # ConnectionClosed and friends
                raise ProtocolError(f"connection lost: {exc!r}") from exc
            if isinstance(raw, str):
                raise ProtocolError("text frame received")
            nbytes += len(raw)
            nmsgs += 1
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                if collect:
                    deltas.append(raw)
                if fwd.delta.WhichOneof("type") == "new_element":
                    el = fwd.delta.new_element
                    if el.WhichOneof("type") == "exception":
                        exceptions.append(f"{el.exception.type}: {el.exception.message}")
                    if collect:
                        elements.append(el)
                        fragment_ids.append(fwd.delta.fragment_id)
            elif kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "page_not_found":
                not_found = True
            elif kind == "page_profile":
                profile = {"exec_time": fwd.page_profile.exec_time, "prep_time": fwd.page_profile.prep_time}
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                latency = time.perf_counter() - t0
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                self.last = RunResult(
                    latency,
                    nbytes,
                    nmsgs,
                    status,
                    elements,
                    exceptions,
                    not_found,
                    profile,
                    self.session_id,
                    fragment_ids,
                    deltas,
                )
                return self.last

    def click(self, button_id: str, page: str = "", **kwargs: Any) -> RunResult:
        """Rerun with one button's trigger set, as a browser does when the button is pressed."""
        states = WidgetStates()
        w = states.widgets.add()
        w.id = button_id
        w.trigger_value = True
        return self.rerun(page, widget_states=states, **kwargs)

    def open_page(self, page: str, *, timeout: float = 60.0) -> tuple[RunResult, RunResult | None]:
        """First render of `page`; if it shows the safety gate, press its button.

        Returns (first render, run after the gate click or None when there was no gate).
        """
        first = self.rerun(page, timeout=timeout)
        gate = next((b for b in first.of_type("button") if b.label.startswith(GATE_LABEL_PREFIX)), None)
        if gate is None:
            return first, None
        return first, self.click(gate.id, page, timeout=timeout)


def check_ok(result: RunResult) -> None:
    """Raise when a run would have shown the user an error."""
    if result.status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
        raise ProtocolError(f"script finished with {result.status}")
    if result.exceptions:
        raise ProtocolError("script raised: " + "; ".join(result.exceptions[:3]))
    if result.page_not_found:
        raise ProtocolError("page not found")
