"""Record and replay a page's ``st.*`` element calls: the *same-elements floor*.

Issue 15 asks for warm reruns within 1.25x of "a same-output floor (the page's own elements replayed as
constants: what Streamlit itself costs to draw that page)". This module is that floor: the real app runs once
under ``BENCH_RECORD_CALLS`` (benchmarks/serve.py), which records every top-level element call a warm rerun
makes (``st.markdown(...)``, ``col.button(...)``, ``st.tabs(...)``, the diagram component's mount...) with its
arguments and the container it went to. The floor app then makes exactly those calls with those constant
arguments on every run, so Streamlit builds, registers and sends the same elements, and none of the app's own
logic runs (link syncing, content lookups, Markdown building, caches, callbacks).

Arguments are kept as constants: callbacks become no-ops (their presence, not their work, is part of building
a widget), a ``format_func`` is applied to the options once at record time, and a page object becomes its
url_path, resolved to the floor's own page. A call whose arguments cannot be kept as constants makes the
recording fail loudly rather than replay something else.

The recorder runs in the app's server process; the replay runs in the floor's. Both use ``container_key`` to
name a container the same way: root container, cursor kind, path.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ENV_RECORD = "BENCH_RECORD_CALLS"  # the app server writes each finished run's calls to <this file>.last
ENV_REPLAY = "BENCH_REPLAY_CALLS"  # the floor replays <this file> (url_path -> recorded calls)

# Streamlit commands that are not elements of the page (or run no element code) and are not recorded.
_SKIP = {"help", "exception", "balloons", "snow", "toast", "spinner", "write_stream", "status"}


Dgs = dict[tuple[Any, ...], Any]  # container_key -> the floor's DeltaGenerator for it


@dataclass
class Call:
    """One top-level element call: where it went, which method, its constant arguments, its fragment."""

    target: tuple[Any, ...]
    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    fragment: str | None = None
    component: dict[str, Any] | None = None  # for "_bidi_component": the registered html/css/js


@dataclass
class _Recorder:
    calls: list[Call] = field(default_factory=list)
    local: threading.local = field(default_factory=threading.local)


def container_key(dg: Any) -> tuple[Any, ...]:
    """A container's name that the same sequence of calls gives in the app and the floor."""
    from streamlit.cursor import LockedCursor

    dg = dg._active_dg
    cursor = dg._cursor
    if cursor is None:
        return ("none",)
    if isinstance(cursor, LockedCursor):
        return (dg._root_container, "locked", tuple(cursor.parent_path), cursor.index)
    return (dg._root_container, "running", tuple(cursor.parent_path))


def _noop(*_a: Any, **_k: Any) -> None:
    """Stands in for an app callback: the widget is built with a callback, which does nothing here."""


def _constant(value: Any, where: str) -> Any:
    """The value as the floor will pass it, or an error naming what cannot be kept as a constant."""
    from streamlit.navigation.page import StreamlitPage

    if isinstance(value, StreamlitPage):
        return PageRef(value.url_path)
    if isinstance(value, str | int | float | bool | type(None) | bytes):
        return value
    if isinstance(value, list | tuple):
        return type(value)(_constant(v, where) for v in value)
    if isinstance(value, dict):
        return {k: _constant(v, where) for k, v in value.items()}
    mod = type(value).__module__.split(".")[0]
    if mod in {"pandas", "pyarrow", "numpy", "datetime", "decimal"}:
        return value
    raise TypeError(f"{where}: cannot keep a {type(value).__qualname__} as a constant")


@dataclass(frozen=True)
class PageRef:
    """A page passed to st.page_link or similar, by url_path (the floor resolves it to its own page)."""

    url_path: str


def _freeze_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    kwargs = dict(kwargs)
    fmt = kwargs.pop("format_func", None)
    if fmt is not None:
        opts = kwargs.pop("options", None)
        if opts is None and args:
            opts, args = args[0], args[1:]
            # label comes first for the option widgets: (label, options, ...)
        if opts is not None:
            kwargs["options"] = [fmt(o) for o in opts]
            for k in ("default", "value"):
                if k in kwargs and kwargs[k] is not None:
                    v = kwargs[k]
                    kwargs[k] = [fmt(o) for o in v] if isinstance(v, list | tuple) else fmt(v)
    out: dict[str, Any] = {}
    for k, v in kwargs.items():
        if callable(v) and (k.startswith("on_") or k in {"on_click", "on_change"}):
            out[k] = _noop if v is not None else None
        elif k in {"args", "kwargs"}:
            continue  # a callback's own arguments (the only st.* parameters of these names): the no-op takes none
        else:
            out[k] = _constant(v, f"{name}({k}=...)")
    return tuple(_constant(a, f"{name}(arg)") for a in args), out


def _label_first(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Name the label and options of option widgets so format_func can be applied to the options."""
    if name in {"selectbox", "multiselect", "radio", "segmented_control", "pills", "select_slider"} and args:
        kwargs = dict(kwargs)
        kwargs.setdefault("label", args[0])
        if len(args) > 1:
            kwargs.setdefault("options", args[1])
        args = args[2:]
    return args, kwargs


def _page_by_file(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """st.page_link("app_pages/x.py") names a file the floor does not have: keep the page by its url_path."""
    if name != "page_link":
        return args, kwargs
    from psoas_explorer.links.pages import PAGES

    files = {p.file: p.url_path for p in PAGES}
    if args and isinstance(args[0], str) and args[0] in files:
        args = (PageRef(files[args[0]]), *args[1:])
    if isinstance(kwargs.get("page"), str) and kwargs["page"] in files:
        kwargs = {**kwargs, "page": PageRef(files[kwargs["page"]])}
    return args, kwargs


def install_recorder(path: str) -> None:
    """Patch DeltaGenerator's element methods (and ``st.*``) so each run's top-level calls are recorded.

    After every script run the calls are pickled to ``<path>.last``; the harness opens one page at a time, so
    after a page's warm rerun that file holds that rerun's calls.
    """
    import streamlit as st
    import streamlit.runtime.scriptrunner.script_runner as sr
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

    rec = _Recorder()
    names = [
        n
        for n in dir(DeltaGenerator)
        if (not n.startswith("_") or n == "_bidi_component")
        and n not in _SKIP
        and callable(getattr(DeltaGenerator, n, None))
    ]

    def wrap(name: str, orig: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
            depth = getattr(rec.local, "depth", 0)
            caller = sys._getframe(1).f_globals.get("__name__", "")
            internal = caller.startswith("streamlit.") and name != "_bidi_component"  # e.g. st.fragment's container
            if depth or internal:
                return orig(self, *args, **kwargs)
            ctx = get_script_run_ctx()
            call: Call | None = None
            if ctx is not None:
                a, k = _label_first(name, args, kwargs)
                a, k = _freeze_call(name, a, k)
                a, k = _page_by_file(name, a, k)
                comp = None
                if name == "_bidi_component":
                    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager

                    d = get_bidi_component_manager().get(a[0])
                    assert d is not None, a[0]  # registered when the app declared it
                    comp = {"name": a[0], "html": d.html, "css": d.css, "js": d.js}
                    if getattr(d, "_has_js_path", False):  # a script served from the component's asset folder
                        root = get_bidi_component_manager().get_component_asset_root(a[0])
                        comp.update(js=d.js_url, asset_root=str(root))
                call = Call(container_key(self), name, a, k, ThreadState.get().fragment_id, comp)
            rec.local.depth = depth + 1
            try:
                return orig(self, *args, **kwargs)
            finally:
                rec.local.depth = depth
                if call is not None:
                    rec.calls.append(call)

        return recorded

    for n in names:
        orig = getattr(DeltaGenerator, n)
        setattr(DeltaGenerator, n, wrap(n, orig))
        if getattr(getattr(st, n, None), "__self__", None) is st._main:
            setattr(st, n, getattr(st._main, n))

    orig_exec = sr.exec_func_with_error_handling

    def exec_recording(func: Any, ctx: Any) -> Any:
        rec.calls = []
        try:
            return orig_exec(func, ctx)
        finally:
            tmp = f"{path}.tmp"
            with open(tmp, "wb") as f:
                pickle.dump(rec.calls, f)
            os.replace(tmp, f"{path}.last")

    sr.exec_func_with_error_handling = exec_recording


# ------------------------------------------------------------------------------------------------ the floor


@functools.cache
def floor_state() -> tuple[dict[str, list[Call]] | None, dict[str, Callable[..., Any]]]:
    """The recording named by BENCH_REPLAY_CALLS and its components registered in this process (once)."""
    path = os.environ.get(ENV_REPLAY)
    if not path:
        return None, {}
    pages = load(path)
    return pages, component_mounts(pages)


def page_key(url_path: str) -> str:
    """The recording this run of page ``url_path`` replays: the page's own, or the one recorded with this run's
    query string ("search?q=sitting", benchmarks/harness.py's SEARCH_RESULTS)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    query = ctx.query_string if ctx is not None else ""
    return f"{url_path}?{query}" if query else url_path


def load(path: str) -> dict[str, list[Call]]:
    with open(path, "rb") as f:
        data: dict[str, list[Call]] = pickle.load(f)
    return data


def load_run(path: str) -> list[Call]:
    """One run's calls, as the recording server wrote them to ``<ENV_RECORD>.last``."""
    with open(path, "rb") as f:
        data: list[Call] = pickle.load(f)
    return data


def save(path: str, pages: dict[str, list[Call]]) -> None:
    with open(path, "wb") as f:
        pickle.dump(pages, f)


def summary(pages: dict[str, list[Call]]) -> str:
    return json.dumps({url: len(calls) for url, calls in pages.items()})


def _resolve(value: Any, pages: dict[str, Any]) -> Any:
    if isinstance(value, PageRef):
        return pages[value.url_path]
    if isinstance(value, list | tuple):
        return type(value)(_resolve(v, pages) for v in value)
    if isinstance(value, dict):
        return {k: _resolve(v, pages) for k, v in value.items()}
    return value


def _register(out: Any, dgs: Dgs) -> None:
    from streamlit.delta_generator import DeltaGenerator

    if isinstance(out, DeltaGenerator):
        dgs[container_key(out)] = out
    elif isinstance(out, list | tuple):
        for o in out:
            _register(o, dgs)


def replay(calls: list[Call], pages: dict[str, Any], mounts: dict[str, Callable[..., Any]]) -> int:
    """Make the recorded calls again, each on the container it went to; returns how many were made.

    Runs of calls that were made inside a fragment are made inside one fragment here too.
    """
    import streamlit as st

    dgs: Dgs = {}
    _register(st._main, dgs)
    _register(st.sidebar, dgs)
    i = 0
    while i < len(calls):
        frag = calls[i].fragment
        j = i + 1
        while j < len(calls) and calls[j].fragment == frag:
            j += 1
        if frag is None:
            _make(calls[i:j], dgs, pages, mounts)
        else:
            _fragment(calls[i:j], dgs, pages, mounts)
        i = j
    return len(calls)


def _make(calls: list[Call], dgs: Dgs, pages: dict[str, Any], mounts: dict[str, Any]) -> None:
    for c in calls:
        dg = dgs[c.target]
        args = _resolve(c.args, pages)
        kwargs = _resolve(c.kwargs, pages)
        if c.component is not None:
            mount = mounts[c.component["name"]]
            out = mount(dg, *args[1:], **kwargs)
        else:
            out = getattr(dg, c.name)(*args, **kwargs)
        _register(out, dgs)


def _fragment_body(calls: list[Call], dgs: Dgs, pages: dict[str, Any], mounts: dict[str, Any]) -> None:
    """A fragment's calls; the fragment's own container (made by st.fragment) is the active one here."""
    import streamlit as st

    _register(st._main._active_dg, dgs)
    _make(calls, dgs, pages, mounts)


_FRAGMENT: list[Callable[..., None]] = []  # st.fragment(_fragment_body), made once per process like a decorator


def _fragment(calls: list[Call], dgs: Dgs, pages: dict[str, Any], mounts: dict[str, Any]) -> None:
    import streamlit as st

    if not _FRAGMENT:
        _FRAGMENT.append(st.fragment(_fragment_body))
    _FRAGMENT[0](calls, dgs, pages, mounts)


def component_mounts(pages: dict[str, list[Call]]) -> dict[str, Callable[..., Any]]:
    """Register, in the floor's process, each component the app mounted (same html/css/js), once."""
    import streamlit as st

    mounts: dict[str, Callable[..., Any]] = {}
    for calls in pages.values():
        for c in calls:
            if c.component is None or c.component["name"] in mounts:
                continue
            comp = c.component
            short = comp["name"].rsplit(".", 1)[-1]
            isolate = c.kwargs.get("isolate_styles", True)
            name = f"floor_{short}"
            if comp.get("asset_root"):  # the app's script is a file: the floor serves the same file the same way
                name = f"floor.{short}"
                _declare_assets(name, comp["asset_root"])
            mount = st.components.v2.component(
                name, html=comp["html"], css=comp["css"], js=comp["js"], isolate_styles=isolate
            )

            def mounted(dg: Any, *args: Any, _mount: Any = mount, **kwargs: Any) -> Any:
                kwargs.pop("isolate_styles", None)
                with dg:
                    return _mount(*args, **kwargs)

            mounts[comp["name"]] = mounted
    return mounts


def _declare_assets(name: str, asset_root: str) -> None:
    """Give the floor's component ``name`` ("floor.<component>") the app component's asset folder, as the app's
    psoas_explorer/web/bidi.py does for its own (Streamlit reads asset folders only from installed packages)."""
    from pathlib import Path

    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

    folder = Path(asset_root)
    package, component = name.split(".")
    manifest = ComponentManifest(name=package, version="1", components=[ComponentConfig(component, folder.name)])
    get_bidi_component_manager().register_from_manifest(manifest, folder.parent)
