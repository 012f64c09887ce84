"""Through nginx (deploy/nginx.conf) in front of two replicas: the load held, and the time to recover when a
replica dies. Writes its section of RESULTS.md (the rest keeps the last full run's numbers).

    python -m benchmarks.failover                 # about 3 minutes on a quiet 2-core machine
    python -m benchmarks.failover --sessions 50 --reruns 8 --visits 21

1. **Load**: ``--sessions`` protocol sessions (benchmarks/protocol.py, one websocket each, the safety gate
   passed) rerun the heaviest page (anatomy) back to back ``--reruns`` times, once through nginx (each
   websocket lands on a replica at random, as a new visitor's does) and once straight to one replica: reruns per
   second, errors, latency, and the ratio nginx ÷ direct.
2. **Failover**: ``--visits`` browser visitors (one chromium, a context each) with plans, filters and diagram
   views open on both replicas (tests/browser/failover.py, the same visits as the failover test); replica a
   gets SIGKILL; for each of its visitors, the time from the kill until the run of their link has finished on
   replica b (Streamlit's reconnect, nginx's failover to the backup and the rerun), median and worst, and
   whether each screen came back the same.

The replicas are the test command's servers (`streamlit run serve.py`, tests/browser/support.py).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import BENCH, FIGURE_PAGE, loadavg, log, pct
from benchmarks.phases import load_test
from benchmarks.report import Section, fms, merge_section, table_lines, write_results

HEADING = "### Failover and load through nginx"


class Endpoint:
    """What load_test needs of a server: its URL and its memory (the replicas', summed)."""

    def __init__(self, url: str, pids: list[int]) -> None:
        self.url, self.pids = url, pids

    def rss_mb(self) -> float:
        total = 0.0
        for pid in self.pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += next(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")) / 1024
        return total


def load_through(url: str, pids: list[int], sessions: int, reruns: int, seconds: float) -> dict[str, Any]:
    endpoint: Any = Endpoint(url, pids)  # load_test uses a Server's url and rss_mb() only
    return load_test(endpoint, FIGURE_PAGE, sessions, seconds=seconds, reruns=reruns)


def failover_run(url: str, replica_a: str, visits_n: int) -> dict[str, Any]:
    from tests.browser import failover
    from tests.browser.support import chromium

    with chromium() as browser:
        visits = failover.open_visits(lambda: failover.visitor(browser), url, failover.LINKS[:visits_n])
        dead = [v for v in visits if v.route == "a"]
        failover.kill(replica_a, visits)
        same = 0
        for visit in failover.recover(dead):
            same += failover.screen(visit.page) == visit.before
        times = [v.recovery_s for v in dead]
        reconnects = [v.reconnect_s for v in dead]
        for visit in visits:
            visit.page.context.close()
    return {"visits": len(visits), "dead": len(dead), "same": same, "times": times, "reconnects": reconnects}


def section(loads: dict[str, dict[str, Any]], fo: dict[str, Any], measured: str) -> Section:
    rows = []
    for name, r in loads.items():
        rows.append(
            [name, r["sessions"], r["reruns"], f"{r['per_s']:.1f}", len(r["errors"]), fms(statistics.median(r["lat"]))]
            + [fms(pct(r["lat"], 95))]
        )
    ratio = loads["through nginx"]["per_s"] / loads["one replica, direct"]["per_s"]
    t, rc = fo["times"], fo["reconnects"]
    lines = [
        f"{HEADING} (`python -m benchmarks.failover`)",
        "",
        f"Two replicas (`streamlit run serve.py`) behind `deploy/nginx.conf`. {measured}",
        "",
        f"**Load** on the anatomy page, each session rerunning back to back (throughput nginx ÷ direct "
        f"**{ratio:.2f}×**):",
        "",
        *table_lines(["path", "sessions", "reruns", "reruns/s", "errors", "median ms", "p95 ms"], rows),
        "",
        f"**A replica killed** (SIGKILL) under {fo['visits']} browser visitors with plans, filters and diagram "
        f"views open; {fo['dead']} were on it. *Reconnected*: from the kill until the page's new websocket was "
        "open on the other replica (through nginx's backup server); *screen back*: from the kill until the run that "
        "our watcher (web/reconnect.py) asks for once the page is connected again had run their link on the other "
        "replica, with no action of the visitor:",
        "",
        *table_lines(
            ["visitors moved", "reconnected median s", "worst s", "screen back median s", "worst s", "same screen"],
            [
                [fo["dead"], f"{statistics.median(rc):.2f}", f"{max(rc):.2f}", f"{statistics.median(t):.2f}"]
                + [f"{max(t):.2f}", f"{fo['same']} of {fo['dead']}"]
            ],
        ),
    ]
    ok = fo["same"] == fo["dead"] and all(not r["errors"] for r in loads.values())
    return Section(lines, [("failover through nginx: every screen back, load with 0 errors", ok)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--reruns", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--visits", type=int, default=21)
    ap.add_argument("--output", default=str(BENCH / "RESULTS.md"))
    args = ap.parse_args()
    from tests.browser.support import SERVERS, nginx_proxy, streamlit_server

    load0 = loadavg()
    with streamlit_server() as a, streamlit_server() as b, nginx_proxy(a, b) as (url, _log):
        pids = [SERVERS[a].pid, SERVERS[b].pid]
        loads = {}
        for name, target in (("through nginx", url), ("one replica, direct", a)):
            log(f"failover: load, {args.sessions} sessions × {args.reruns} reruns, {name}")
            r = loads[name] = load_through(target, pids, args.sessions, args.reruns, args.seconds)
            log(f"failover: {name}: {r['reruns']} reruns, {r['per_s']:.1f}/s, {len(r['errors'])} errors")
        log(f"failover: {args.visits} browser visitors, then replica a killed")
        fo = failover_run(url, a, args.visits)
    measured = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on 2 cores "
        f"(load average {load0} → {loadavg()}; other work on the machine shows up as noise): compare ratios, not "
        "absolute times."
    )
    sec = section(loads, fo, measured)
    print(sec.markdown)
    out = Path(args.output)
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    history = (BENCH / "HISTORY.md").read_text(encoding="utf-8")
    body = old.split(history.strip(), 1)[0] if history.strip() in old else old
    write_results(merge_section(body, sec, HEADING), out)
    log(f"updated {out}")
    return 0 if sec.checks[0][1] else 1


if __name__ == "__main__":
    raise SystemExit(main())
