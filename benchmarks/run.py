"""Psoas Explorer benchmark: one command, one table, benchmarks/RESULTS.md.

    python -m benchmarks.run            # full run, about 11 minutes on 2 cores
    python -m benchmarks.run --quick    # small samples, about 2-3 minutes: checks the harness, not the app
    python -m benchmarks.run --only diagram,drag,keypress --quick   # some phases only (see --help)
    python -m benchmarks.run --only warm,load --ref main --output /tmp/before.md   # the app at another commit

Starts the real app and the floor app (benchmarks/floor/) on free loopback ports, served the same way
(`python -m benchmarks.serve <script> <same flags>`), each under several garbage-collection settings:

    defaults  --runner.postScriptGC=true   (Streamlit's default: gc.collect(2) after every run)
    nogc      --runner.postScriptGC=false
    freeze    --runner.postScriptGC=true, startup heap frozen once per process (gc.freeze())
    both      --runner.postScriptGC=false and the freeze
    shipped   the real app exactly as configured in .streamlit/config.toml and app.py (no overrides)

Every number is reported next to the matching floor page: app variant X against floor variant X, and
the shipped app against the *tuned* floor (`--tuned`). See benchmarks/README.md for what each means.

This module is only the command: servers and plans are in harness.py, the phases in phases.py, the
Markdown in report.py.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import shlex
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.floor.calls import ENV_REPLAY as ENV_REPLAY_CALLS
from benchmarks.harness import (
    BENCH,
    FULL,
    PICTURE_ENV,
    QUICK,
    ROOT,
    SLIDER_FLOOR_SCRIPT,
    Results,
    checkout,
    floor_like,
    loadavg,
    log,
    machine,
    make_servers,
    page_list,
    shipped_gc_setting,
    start_all,
    versions,
    write_first_paint,
)
from benchmarks.language import LANG_HEADING, lang_section, phase_lang
from benchmarks.phases import (
    floor_differences,
    phase_diagram,
    phase_drag,
    phase_first_render,
    phase_keypress,
    phase_load,
    phase_pdf,
    phase_soak,
    phase_tcp,
    phase_ttfr,
    phase_warm,
    record_same_elements,
    record_same_output,
    warm_up,
)
from benchmarks.report import PDF_HEADING, Section, merge_section, pdf_section, report, write_results

PHASES = ("warm", "ttfr", "diagram", "drag", "keypress", "load", "tcp", "soak", "pdf", "lang")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sample counts (about 2-3 minutes)")
    ap.add_argument(
        "--tuned",
        choices=["auto", "nogc", "freeze", "both"],
        default="auto",
        help="which floor variant the shipped app is held to (auto: the setting the app ships, else nogc)",
    )
    ap.add_argument(
        "--skip",
        default="",
        help=f"comma-separated phases to skip: {', '.join(PHASES)} (first render and bytes always run)",
    )
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated phases to run, no others (first render and bytes always run); starts only the "
        "shipped app, the tuned floor and the floors those phases need",
    )
    ap.add_argument("--ref", default="", help="serve the app from this git ref (a temporary worktree), not this tree")
    ap.add_argument("--output", default=str(BENCH / "RESULTS.md"), help="where to write the Markdown report")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    only = {p.strip() for p in args.only.split(",") if p.strip()}
    skip = {p.strip() for p in args.skip.split(",") if p.strip()}
    if unknown := (only | skip) - set(PHASES):
        ap.error(f"unknown phase(s): {', '.join(sorted(unknown))}; phases: {', '.join(PHASES)}")
    with contextlib.ExitStack() as stack:
        app_root, commit = stack.enter_context(checkout(args.ref)) if args.ref else (ROOT, "")
        return run(args, argv, app_root, commit, (lambda name: name in only) if only else (lambda n: n not in skip))


def run(args: argparse.Namespace, argv: list[str] | None, app_root: Path, commit: str, wanted: Callable) -> int:
    """Start the servers the wanted phases need, run those phases, write the report; 1 if a phase crashed."""
    plan = QUICK if args.quick else FULL
    rnd = random.Random(args.seed)
    t_start = time.monotonic()
    meta: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "command": shlex.join(["python", "-m", "benchmarks.run", *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine(),
        "versions": versions(),
        "load_start": loadavg(),
        "shipped": shipped_gc_setting(app_root),
        "ref": f"{args.ref} ({commit[:12]})" if args.ref else "",
    }
    if args.only.strip() == "pdf":  # no server needed: merge its section into the last full report
        return only_pdf(plan, meta, Path(args.output))
    pages = page_list()
    workdir = Path(tempfile.mkdtemp(prefix="psoas-bench-"))
    servers = make_servers(workdir, app_root)
    by_key = {s.key: s for s in servers}
    app = by_key["app:shipped"]
    res = Results(pages=pages, tuned=args.tuned if args.tuned != "auto" else "nogc")
    if wanted("pdf"):  # in this process, before any server competes for the cores
        log("phase: pdf")
        try:
            phase_pdf(res, plan)
        except Exception:  # noqa: BLE001 - report the other phases anyway
            traceback.print_exc()
            res.failed_phases.append("pdf")
    try:
        start_all([app])
        warm_up([app], pages)
        if args.tuned == "auto":  # hold the shipped app to the floor with the setting it ships
            frozen = any(r.get("frozen") for r in app.timings())
            off = "postScriptGC=false" in meta["shipped"]
            res.tuned = ("both" if off else "freeze") if frozen else "nogc"
        floor = by_key[f"floor:{res.tuned}"]
        if args.only:  # the named phases only: the GC comparison's other variants are not started
            servers = [app, floor]
        log("starting the other servers and warming up every page on each")
        start_all(servers[1:])
        warm_up(servers[1:], pages)
        pair = [app, floor]
        refs: list[Any] = []
        if wanted("warm") or wanted("load"):
            recording = workdir / "same-output.json"
            res.replayed = record_same_output(app, pages, recording)
            same = floor_like(floor, "replay", env={"BENCH_REPLAY": str(recording)})
            elements_rec = workdir / "same-elements.pickle"
            res.rebuilt = record_same_elements(app, pages, elements_rec)
            elements = floor_like(floor, "elements", env={ENV_REPLAY_CALLS: str(elements_rec)})
            refs = [elements, same]
            servers += refs
            start_all(refs)
            warm_up(refs, pages)
            for ref in refs:  # a floor that drew another page would make every ratio to it meaningless
                res.floor_diffs[ref.key] = floor_differences(recording, ref, pages)

        def phase(name: str, fn: Callable[[], None]) -> None:
            if name != "first render" and not wanted(name):
                return
            log(f"phase: {name}")
            try:
                fn()
            except Exception:  # noqa: BLE001 - report the other phases anyway
                traceback.print_exc()
                res.failed_phases.append(name)

        def keypress() -> None:
            slider = floor_like(floor, "slider", SLIDER_FLOOR_SCRIPT)
            start_all([slider])
            try:
                phase_keypress(res, app, slider, plan)
            finally:
                slider.stop()

        if args.only.strip() == "lang":  # the language phase alone: merged into the last full report
            phase("lang", lambda: phase_lang(res, app, plan, rnd))
            return _merge_lang(res, meta, Path(args.output))
        phase("first render", lambda: phase_first_render(res, pair))
        phase("warm", lambda: phase_warm(res, servers, plan, rnd))
        phase("ttfr", lambda: phase_ttfr(res, pair, plan))

        def diagram_phase() -> None:
            picture = floor_like(floor, "picture", env={PICTURE_ENV: str(write_first_paint(workdir / "picture.md"))})
            start_all([picture])
            try:
                phase_diagram(res, pair, plan, picture)
            finally:
                picture.stop()

        phase("diagram", diagram_phase)
        phase("drag", lambda: phase_drag(res, app, plan))
        phase("keypress", keypress)
        phase("load", lambda: phase_load(res, pair, plan, refs))
        phase("tcp", lambda: phase_tcp(res, pair, plan))
        soak_servers = [s for s in servers if s.kind == "app" or s.variant == res.tuned]  # floor: noise reference
        phase("soak", lambda: phase_soak(res, soak_servers, plan))
        phase("lang", lambda: phase_lang(res, app, plan, rnd))
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    meta["load_end"] = loadavg()
    meta["duration"] = time.monotonic() - t_start
    terminal, md = report(res, servers, plan, meta)
    print(terminal)
    out = Path(args.output)
    write_results(md, out)
    log(f"wrote {out} ({meta['duration']:.0f} s)")
    return 1 if res.failed_phases else 0


def _merge(sec: Any, heading: str, out: Path) -> None:
    """Replace one section (and its Targets rows) of the last full report with ``sec``."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    history = (BENCH / "HISTORY.md").read_text(encoding="utf-8") if (BENCH / "HISTORY.md").exists() else ""
    if history.strip() and history.strip() in old:
        body = old.split(history.strip(), 1)[0]
    else:  # the notes were edited since the last run: they start at their first heading all the same
        first = history.lstrip().splitlines()[0] if history.strip() else None
        body = old.split(first, 1)[0] if first and first in old else old
    write_results(merge_section(body, sec, heading), out)
    log(f"updated {out}")


def _merge_lang(res: Results, meta: dict[str, Any], out: Path) -> int:
    """`--only lang`: the Spanish warm phase's section merged into the report the last full run wrote."""
    lines, checks = lang_section(res)
    if lines:
        lines[2] += f" Measured on its own ({meta['date']}, `{meta['command']}`), not in the run the header describes."
    sec = Section(lines, checks)
    print(sec.markdown)
    _merge(sec, LANG_HEADING, out)
    return 1 if res.failed_phases else 0


def only_pdf(plan: Any, meta: dict[str, Any], out: Path) -> int:
    """`--only pdf`: the handout PDF phase alone, its section merged into the report the last full run wrote."""
    res = Results(pages=[], tuned="nogc")
    log("phase: pdf")
    phase_pdf(res, plan)
    measured = (
        f"Measured on its own ({meta['date']}, `{meta['command']}`, load average {meta['load_start']} → "
        f"{loadavg()}), not in the run the header describes."
    )
    sec = pdf_section(res, measured)
    print(sec.markdown)
    _merge(sec, PDF_HEADING, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
