"""Serve a Streamlit script exactly like `streamlit run`, with two optional, env-var-gated benchmark hooks.

    python -m benchmarks.serve serve.py --server.port 8601 [more streamlit flags]

Without the env vars below this is plain `streamlit run` (the same process, the same CLI), so the real
app and the floor app are served the same way. The hooks never touch the websocket traffic:

BENCH_TIMINGS=<file>
    Append one JSON line per script run: the session id, the script's own execution time
    (entrypoint + page, what `exec` of the script costs, in µs), the post-run time (Streamlit's
    `_on_script_finished`: session-state cleanup and, when `runner.postScriptGC` is on, `gc.collect(2)`),
    and cumulative counts and milliseconds of every garbage collection per generation (from
    `gc.callbacks`: automatic and forced, in any thread).
    Runs 1 and 30 and every 1000th run also log `gc.get_freeze_count()`, how many objects the
    collector tracks and how many modules are loaded (counting walks whole lists, ~10 ms, so not on
    every run): this shows whether the floor's heap is comparable to the app's and how much of it a
    freeze covers once every page has been visited.
    Streamlit's own `page_profile` message carries exec/prep times only when
    `browser.gatherUsageStats` is true, which the app's config turns off, hence this hook.
BENCH_RUNTIME_PATCH=<flush seconds>
    An experiment for an upstream report, never part of the app: patch Streamlit's runtime so that (1) it
    sleeps this long instead of its fixed 5 ms (`MESSAGE_FLUSH_INTERVAL_SECS`) between flushes of queued
    messages, and (2) a script run wakes the event loop once per flush instead of once per message (stock
    Streamlit calls `call_soon_threadsafe`, a self-pipe write, for every enqueued message). The messages,
    their order and the flush loop are otherwise untouched. `python -m benchmarks.upstream` uses it.
BENCH_RECORD_CALLS=<file>
    Record every top-level element call (`st.markdown(...)`, `col.button(...)`, a component's mount...) of
    each script run, with its constant arguments and target container, to `<file>.last` after the run
    (benchmarks/floor/calls.py). Only the recording server has it; the same-elements floor replays the calls.
BENCH_HOOK_FREEZE=<comma-separated extra modules>
    Before the first script run of the process, import the libraries of benchmarks/floor/floor_gc.py
    plus these modules, collect once and `gc.freeze()`. This emulates an app.py that freezes its
    startup heap after its imports, without editing app.py.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from typing import Any


def _install_hooks(timings_path: str | None, freeze_modules: list[str] | None, profile_path: str | None = None) -> None:
    import streamlit.runtime.scriptrunner.script_runner as sr

    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()

    orig_exec = sr.exec_func_with_error_handling
    orig_finished = sr.ScriptRunner._on_script_finished
    local = threading.local()
    lock = threading.Lock()
    state: dict[str, Any] = {"runs": 0, "frozen": False}
    out = open(timings_path, "a", buffering=1, encoding="utf-8") if timings_path else None  # noqa: SIM115
    # Every collection, automatic or forced, in any thread: counts per generation and time spent.
    gc_stats: dict[str, Any] = {"n": [0, 0, 0], "ms": [0.0, 0.0, 0.0], "t0": 0.0}

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_stats["t0"] = time.perf_counter()
        else:
            g = info["generation"]
            gc_stats["n"][g] += 1
            gc_stats["ms"][g] += (time.perf_counter() - gc_stats["t0"]) * 1000

    if out is not None:
        gc.callbacks.append(on_gc)

    def exec_with_timing(func: Any, ctx: Any) -> Any:  # same signature as streamlit's exec_func_with_error_handling
        if freeze_modules is not None and not state["frozen"]:
            with lock:
                if not state["frozen"]:
                    from benchmarks.floor import floor_gc

                    floor_gc.freeze_once(freeze_modules)
                    state["frozen"] = True
        t0 = time.perf_counter()
        on = profiler is not None and profile_path is not None and os.path.exists(profile_path + ".on")
        active = profiler if on else None
        if active is not None:
            active.enable()
        try:
            return orig_exec(func, ctx)
        finally:
            local.exec_us = int((time.perf_counter() - t0) * 1e6)
            local.session_id = getattr(ctx, "session_id", None)
            if active is not None and profile_path is not None:
                active.disable()
                active.dump_stats(profile_path)

    def finished_with_timing(self: Any, ctx: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return orig_finished(self, ctx, *args, **kwargs)
        finally:
            post_us = int((time.perf_counter() - t0) * 1e6)
            if out is not None:
                row = {
                    "t": time.time(),
                    "sid": getattr(ctx, "session_id", None),
                    "exec_us": getattr(local, "exec_us", None),
                    "post_us": post_us,
                    "gc_n": list(gc_stats["n"]),  # cumulative since the server started
                    "gc_ms": [round(x, 2) for x in gc_stats["ms"]],
                }
                local.exec_us = None
                with lock:
                    state["runs"] += 1
                    if state["runs"] in (1, 30) or state["runs"] % 1000 == 0:  # O(n) walks: not every run
                        row["frozen"] = gc.get_freeze_count()
                        row["gc_tracked"] = len(gc.get_objects())
                        row["modules"] = len(sys.modules)
                    out.write(json.dumps(row) + "\n")

    sr.exec_func_with_error_handling = exec_with_timing
    sr.ScriptRunner._on_script_finished = finished_with_timing  # type: ignore[method-assign]  # the hook


def _patch_runtime(flush_s: float) -> None:
    """See BENCH_RUNTIME_PATCH above. Coalescing is race-free: the flag is cleared on the event loop just
    before the event is set, and a message enqueued after that schedules a new wake-up."""
    import streamlit.runtime.runtime as rt

    rt.MESSAGE_FLUSH_INTERVAL_SECS = flush_s  # type: ignore[misc]  # read as a module global on every loop iteration
    pending = threading.Event()

    def enqueued_some_message(self: Any) -> None:
        if pending.is_set():
            return
        pending.set()
        objs = self._get_async_objs()

        def wake() -> None:
            pending.clear()
            objs.need_send_data.set()

        objs.eventloop.call_soon_threadsafe(wake)

    rt.Runtime._enqueued_some_message = enqueued_some_message  # type: ignore[method-assign]  # the experiment


def main() -> None:
    patch = os.environ.get("BENCH_RUNTIME_PATCH")
    if patch:
        _patch_runtime(float(patch))
    timings = os.environ.get("BENCH_TIMINGS") or None
    freeze = os.environ.get("BENCH_HOOK_FREEZE")
    freeze_modules = None if freeze is None else [m for m in freeze.split(",") if m.strip()]
    profile = os.environ.get("BENCH_PROFILE") or None
    if timings or freeze_modules is not None or profile:
        _install_hooks(timings, freeze_modules, profile)
    record = os.environ.get("BENCH_RECORD_CALLS")
    if record:
        from benchmarks.floor.calls import install_recorder

        install_recorder(record)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
