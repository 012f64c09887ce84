"""How much of the warm-rerun and throughput gap is Streamlit's runtime: stock vs patched, app and floor.

    python -m benchmarks.upstream [--flush 0.001] [--samples 30]

An experiment to back an upstream report; nothing here is part of the app. Four servers, started the
way `benchmarks.run` starts them: the shipped app and the tuned floor (`both`), each once stock and once
with `BENCH_RUNTIME_PATCH` (benchmarks/serve.py: a shorter flush sleep and one event-loop wake-up per
flush instead of per message). It times warm reruns of every page, all four servers interleaved after a
quiet gap (`phases.phase_warm`), then reruns/s with 50 sessions on the anatomy page, and prints two tables.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    APP_SCRIPT,
    FIGURE_PAGE,
    FLOOR_SCRIPT,
    FULL,
    Plan,
    Results,
    Server,
    label,
    med,
    page_list,
    ratio,
    start_all,
)
from benchmarks.phases import load_test, phase_warm, warm_up
from benchmarks.report import fms, fx, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flush", type=float, default=0.001, help="flush sleep (s) of the patched runtime")
    ap.add_argument("--samples", type=int, default=30, help="timed warm reruns per server and page")
    args = ap.parse_args()
    plan = Plan(**{**FULL.__dict__, "warm_samples": args.samples})
    patch = {"BENCH_RUNTIME_PATCH": str(args.flush)}
    freeze = {"BENCH_GC_FREEZE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        servers = [
            Server("app", "shipped", APP_SCRIPT, [], {}, work),
            Server("floor", "both", FLOOR_SCRIPT, ["--runner.postScriptGC=false"], freeze, work),
            Server("app", "patched", APP_SCRIPT, [], patch, work),
            Server("floor", "patched", FLOOR_SCRIPT, ["--runner.postScriptGC=false"], {**freeze, **patch}, work),
        ]
        try:
            start_all(servers)
            res = Results(pages=page_list(), tuned="both")
            warm_up(servers, res.pages)
            phase_warm(res, servers, plan, random.Random(1))
            tp = {
                s.key: load_test(s, FIGURE_PAGE, plan.tp_sessions, seconds=plan.tp_seconds, reruns=plan.tp_reruns)
                for s in servers
            }
        finally:
            for s in servers:
                s.stop()

    def lat(key: str, url: str) -> float:
        return med(res.warm[(key, url)]["lat"])

    def script(key: str, url: str) -> float:
        return med(res.warm[(key, url)].get("exec", []))

    rows: list[list[Any]] = []
    for url, _ in res.pages:
        a, f, ap_, fp = (lat(k, url) for k in ("app:shipped", "floor:both", "app:patched", "floor:patched"))
        rows.append(
            [
                label(url),
                fms(a),
                fms(f),
                fx(ratio(a, f)),
                fms(ap_),
                fms(fp),
                fx(ratio(ap_, fp)),
                fx(ratio(ap_, f)),
                fms(script("app:shipped", url)),
                fms(script("app:patched", url)),
            ]
        )
    print(f"Warm rerun medians (ms), {args.samples} per cell; patched = flush sleep {args.flush * 1000:g} ms and")
    print("one event-loop wake-up per flush (BENCH_RUNTIME_PATCH in benchmarks/serve.py).\n")
    head = ["page", "app", "floor", "ratio", "app patched", "floor patched", "ratio patched"]
    head += ["patched app ÷ stock floor", "app script", "patched app script"]
    print(table(head, rows))
    print("\nReruns/s, 50 sessions back to back on the anatomy page:\n")
    rate = {k: v["per_s"] for k, v in tp.items()}
    rows = []
    for key, name, floor in (
        ("app:shipped", "app stock", "floor:both"),
        ("floor:both", "floor stock", None),
        ("app:patched", "app patched", "floor:patched"),
        ("floor:patched", "floor patched", None),
    ):
        rows.append(
            [name, f"{rate[key]:.1f}", len(tp[key]["errors"]), fx(ratio(rate[key], rate[floor])) if floor else ""]
        )
    print(table(["server", "reruns/s", "errors", "ratio to its floor"], rows))


if __name__ == "__main__":
    main()
