"""Psoas Explorer benchmark: one command, one table, benchmarks/RESULTS.md.

    python -m benchmarks.run            # full run, about 15 minutes on 2 cores
    python -m benchmarks.run --quick    # small samples, about 2-3 minutes: checks the harness, not the app

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

from benchmarks.harness import (
    BENCH,
    FULL,
    QUICK,
    Results,
    loadavg,
    log,
    machine,
    make_servers,
    page_list,
    shipped_gc_setting,
    start_all,
    versions,
)
from benchmarks.phases import (
    phase_first_render,
    phase_load,
    phase_pdf,
    phase_soak,
    phase_tcp,
    phase_ttfr,
    phase_warm,
    warm_up,
)
from benchmarks.report import PDF_HEADING, merge_section, pdf_section, report, write_results


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
        help="comma-separated phases to skip: warm, ttfr, load, tcp, soak, pdf (first render and bytes always run)",
    )
    ap.add_argument(
        "--only",
        choices=["pdf"],
        help="run only this phase (no servers) and update its section and target rows in the existing report",
    )
    ap.add_argument("--output", default=str(BENCH / "RESULTS.md"), help="where to write the Markdown report")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    plan = QUICK if args.quick else FULL
    skip = {p.strip() for p in args.skip.split(",") if p.strip()}
    rnd = random.Random(args.seed)
    t_start = time.monotonic()
    meta: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "command": shlex.join(["python", "-m", "benchmarks.run", *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine(),
        "versions": versions(),
        "load_start": loadavg(),
        "shipped": shipped_gc_setting(),
    }
    if args.only:
        return only_pdf(plan, meta, Path(args.output))
    pages = page_list()
    workdir = Path(tempfile.mkdtemp(prefix="psoas-bench-"))
    servers = make_servers(workdir)
    res = Results(pages=pages, tuned=args.tuned if args.tuned != "auto" else "nogc")
    if "pdf" not in skip:  # in this process, before any server competes for the cores
        log("phase: pdf")
        try:
            phase_pdf(res, plan)
        except Exception:  # noqa: BLE001 - report the other phases anyway
            traceback.print_exc()
            res.failed_phases.append("pdf")
    try:
        start_all(servers)
        log("warming up every page on every server")
        warm_up(servers, pages)
        if args.tuned == "auto":  # hold the shipped app to the floor with the setting it ships
            frozen = any(r.get("frozen") for r in servers[0].timings())
            off = "postScriptGC=false" in meta["shipped"]
            res.tuned = ("both" if off else "freeze") if frozen else "nogc"
        by_key = {s.key: s for s in servers}
        pair = [by_key["app:shipped"], by_key[f"floor:{res.tuned}"]]

        def phase(name: str, fn: Callable[[], None]) -> None:
            if name in skip:
                return
            log(f"phase: {name}")
            try:
                fn()
            except Exception:  # noqa: BLE001 - report the other phases anyway
                traceback.print_exc()
                res.failed_phases.append(name)

        phase("first render", lambda: phase_first_render(res, pair))
        phase("warm", lambda: phase_warm(res, servers, plan, rnd))
        phase("ttfr", lambda: phase_ttfr(res, pair, plan))
        phase("load", lambda: phase_load(res, pair, plan))
        phase("tcp", lambda: phase_tcp(res, pair, plan))
        soak_servers = [s for s in servers if s.kind == "app" or s.variant == res.tuned]  # floor: noise reference
        phase("soak", lambda: phase_soak(res, soak_servers, plan))
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
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    history = (BENCH / "HISTORY.md").read_text(encoding="utf-8") if (BENCH / "HISTORY.md").exists() else ""
    body = old.split(history.strip(), 1)[0] if history.strip() and history.strip() in old else old
    write_results(merge_section(body, sec, PDF_HEADING), out)
    log(f"updated {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
