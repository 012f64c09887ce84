"""The measuring phases of `python -m benchmarks.run`: each fills its part of a `Results`.

What is measured and how is described in benchmarks/README.md; the report (benchmarks/report.py) only
reads what these leave in `Results`.
"""

from __future__ import annotations

import base64
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.harness import FIGURE_PAGE, GATED, IDLE_GAP_S, Plan, Results, Server, label, log, med, pct
from benchmarks.protocol import ProtocolError, Session, check_ok


def warm_up(servers: list[Server], pages: list[tuple[str, str]]) -> None:
    """Load every page once per server (imports, caches, compiled scripts) before anything is timed."""
    for s in servers:
        with Session(s.url) as sess:
            for url, _ in pages:
                sess.open_page(url)


def phase_first_render(res: Results, servers: list[Server]) -> None:
    """Bytes of each page's first render in a fresh session; headings and figures for the browser phase."""
    for s in servers:
        for url, _ in res.pages:
            with Session(s.url) as sess:
                first, after = sess.open_page(url)
            res.first[(s.key, url)] = {
                "bytes": first.bytes_received,
                "messages": first.messages,
                "heading": next(iter(first.headings()), None),
                "plots": len(first.of_type("plotly_chart")),
                "figure_sizes": first.figure_sizes(),
                "broken": first.broken_content(),
                "exceptions": first.exceptions,
                "page_profile": first.page_profile,
                "after_gate": None
                if after is None
                else {
                    "bytes": after.bytes_received,
                    "figure_sizes": after.figure_sizes(),
                    "exceptions": after.exceptions,
                },
            }
            if first.broken_content():
                res.notes.append(f"{s.key} showed the 'content file is broken' screen on page {label(url)}.")
            for e in first.exceptions:
                res.notes.append(f"{s.key} raised on page {label(url)}: {e}")


def quiet_rerun(sess: Session, url: str, last_reply: float) -> tuple[Any, float]:
    """A warm rerun of ``url``, sent once no server has answered anything for IDLE_GAP_S (a quiet machine, as a
    visitor's click finds it), and when its reply ended (the next rerun's ``last_reply``)."""
    wait = IDLE_GAP_S - (time.perf_counter() - last_reply)
    if wait > 0:
        time.sleep(wait)
    out = sess.rerun(url, collect=False)
    return out, time.perf_counter()


def phase_warm(res: Results, servers: list[Server], plan: Plan, rnd: random.Random) -> None:
    """Warm rerun latency per page over the protocol, every server interleaved in every round."""
    sessions: dict[tuple[str, str], Session] = {}
    try:
        for s in servers:
            for url, _ in res.pages:
                sess = Session(s.url)
                sessions[(s.key, url)] = sess
                first, after = sess.open_page(url)
                check_ok(after or first)
        for key in sessions:
            res.warm[key] = {"lat": [], "bytes": [], "errors": 0, "sid": sessions[key].session_id, "n": 0}
        deadline = time.monotonic() + plan.warm_seconds
        rounds = plan.warm_warmup + plan.warm_samples
        last_reply = 0.0  # when the last timed rerun, on any server, finished
        for r in range(rounds):
            if time.monotonic() > deadline:
                res.notes.append(f"Warm phase hit its {plan.warm_seconds:.0f} s bound after {r} of {rounds} rounds.")
                break
            order = [u for u, _ in res.pages]
            rnd.shuffle(order)
            for url in order:
                rot = (r + order.index(url)) % len(servers)
                for s in servers[rot:] + servers[:rot]:
                    slot = res.warm[(s.key, url)]
                    try:
                        out, last_reply = quiet_rerun(sessions[(s.key, url)], url, last_reply)
                        check_ok(out)
                    except ProtocolError as exc:
                        slot["errors"] += 1
                        res.notes.append(f"warm rerun error {s.key} {label(url)}: {exc}")
                        continue
                    slot["n"] += 1
                    if r >= plan.warm_warmup:
                        slot["lat"].append(out.latency_s * 1000)
                        slot["bytes"].append(out.bytes_received)
    finally:
        for sess in sessions.values():
            sess.close()
    time.sleep(0.5)  # the last timing rows are written just after script_finished goes out
    for s in servers:
        rows = s.timings()
        by_sid: dict[str | None, list[dict[str, Any]]] = {}
        for row in rows:
            by_sid.setdefault(row.get("sid"), []).append(row)
        counted = [r for r in rows if "gc_tracked" in r]
        res.heap[s.key] = {
            "gc_tracked": " → ".join(str(r["gc_tracked"]) for r in (counted[:1] + counted[1:][-1:])) or "n/a",
            "modules": counted[-1]["modules"] if counted else None,
            "frozen": max((r["frozen"] for r in counted), default=None),
        }
        for url, _ in res.pages:
            slot = res.warm[(s.key, url)]
            n = len(slot["lat"])
            mine = by_sid.get(slot["sid"], [])[-n:] if n else []
            slot["exec"] = [r["exec_us"] / 1000 for r in mine if r.get("exec_us") is not None]
            slot["post"] = [r["post_us"] / 1000 for r in mine]
        res.rss_warm[s.key] = s.rss_mb()


def phase_ttfr(res: Results, pair: list[Server], plan: Plan) -> None:
    """First complete render in a fresh browser context, app and floor alternating."""
    from benchmarks import ttfr

    with ttfr.chromium() as browser:
        res.chromium = browser.version
        for s in pair:  # one unmeasured visit each: the server's static file handling warms up
            ttfr.first_render_ms(browser, s.url, heading=res.first[(s.key, "")]["heading"])
        for i in range(plan.ttfr_samples):
            for j, (url, _) in enumerate(res.pages):
                order = pair if (i + j) % 2 == 0 else pair[::-1]
                for s in order:
                    info = res.first[(s.key, url)]
                    try:
                        ms = ttfr.first_render_ms(
                            browser, f"{s.url}/{url}", heading=info["heading"], plots=info["plots"]
                        )
                    except Exception as exc:  # noqa: BLE001 - a failed visit is an error sample
                        res.ttfr_errors[s.key] = res.ttfr_errors.get(s.key, 0) + 1
                        res.notes.append(f"browser visit failed {s.key} {label(url)}: {exc!s:.200}")
                        continue
                    res.ttfr.setdefault((s.key, url), []).append(ms)


def _open_sessions(s: Server, pages: list[str], n: int) -> list[Session]:
    """n sessions that each show a page (gate passed), opened ten at a time; none left open on failure."""

    def one(i: int) -> Session:
        sess = Session(s.url)
        try:
            first, after = sess.open_page(pages[i % len(pages)])
            check_ok(after or first)
        except BaseException:
            sess.close()
            raise
        return sess

    with ThreadPoolExecutor(max_workers=min(10, n)) as pool:
        return list(pool.map(one, range(n)))


def _run_workers(n: int, target: Callable[[int], None], bound_s: float) -> None:
    """Run target(0..n-1) on daemon threads and wait at most bound_s: a stuck session cannot hang the run."""
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + bound_s
    for t in threads:
        t.join(timeout=max(0.1, deadline - time.monotonic()))


def load_test(s: Server, page: str, n: int, *, seconds: float, reruns: int = 0, period: float = 0) -> dict[str, Any]:
    """n sessions on one page, for at most `seconds`.

    Flat out (period 0): each session reruns back to back, `reruns` times; throughput is the reruns done
    divided by the time until the last one finished (counting whole rounds avoids the burst that 50
    simultaneous first requests make). Steady (period > 0): each session reruns every `period` seconds,
    the sessions' phases spread evenly over the period.
    """
    time.sleep(1)
    rss0 = s.rss_mb()
    sessions = _open_sessions(s, [page], n)
    time.sleep(1)
    rss1 = s.rss_mb()
    lat: list[float] = []
    errors: list[str] = []
    done = 0
    last_finish = 0.0
    lock = threading.Lock()
    start = time.perf_counter() + 0.3
    end = start + seconds

    def worker(i: int) -> None:
        nonlocal done, last_finish
        nxt = start + (i * period / n if period else 0)
        sess = sessions[i]
        k = 0
        while period or k < reruns:
            now = time.perf_counter()
            if nxt > now:
                time.sleep(nxt - now)
            if time.perf_counter() >= end:
                return
            try:
                out = sess.rerun(page, collect=False, timeout=30)
                check_ok(out)
            except ProtocolError as exc:
                with lock:
                    errors.append(str(exc))
                return
            k += 1
            finished = time.perf_counter()
            with lock:
                lat.append(out.latency_s * 1000)
                if finished <= end:
                    done += 1
                    last_finish = max(last_finish, finished)
            if period:
                nxt = max(nxt + period, time.perf_counter())

    try:
        _run_workers(n, worker, seconds + 60)
    finally:
        for sess in sessions:
            sess.close()
    elapsed = (last_finish - start) if period == 0 and done else seconds
    return {
        "sessions": n,
        "seconds": elapsed,
        "target": n * reruns if not period else None,
        "reruns": done,
        "per_s": done / elapsed if elapsed > 0 else math.nan,
        "lat": lat,
        "errors": errors,
        "rss_before": rss0,
        "rss_after_open": rss1,
        "per_session_mb": (rss1 - rss0) / n,
    }


def phase_load(res: Results, pair: list[Server], plan: Plan, refs: list[Server] | None = None) -> None:
    """Throughput and steady-load latency on the page with the highest warm median (the heaviest).

    Throughput also on the same-elements floor (its target) and the same-messages floor when they run; steady
    load app and title-only floor only.
    """
    app = pair[0]
    meds = {url: med(res.warm.get((app.key, url), {}).get("lat", [])) for url, _ in res.pages}
    known = {u: m for u, m in meds.items() if not math.isnan(m)}
    res.load_page = max(known, key=lambda u: known[u]) if known else FIGURE_PAGE
    page = res.load_page
    for s in [*pair, *(refs or [])]:  # throughput: app, title-only floor, same-elements and same-messages floors
        log(f"load: {plan.tp_sessions} sessions × {plan.tp_reruns} reruns back to back on {label(page)}, {s.key}")
        res.load.setdefault(s.key, {})["tp"] = load_test(
            s, page, plan.tp_sessions, seconds=plan.tp_seconds, reruns=plan.tp_reruns
        )
    for s in pair[::-1]:  # steady: floor then app
        log(f"load: {plan.p95_sessions} sessions every {plan.p95_period:.0f} s on {label(page)}, {s.key}")
        res.load[s.key]["steady"] = load_test(
            s, page, plan.p95_sessions, seconds=plan.p95_seconds, period=plan.p95_period
        )


def phase_tcp(res: Results, pair: list[Server], plan: Plan) -> None:
    """Back-to-back reruns with and without TCP_QUICKACK: the delayed-ACK stall (see protocol.py)."""
    for s in pair:
        for quick in (False, True, False, True):
            with Session(s.url, quickack=quick) as sess:
                for _ in range(3):
                    sess.rerun("", collect=False)
                lat = [sess.rerun("", collect=False).latency_s * 1000 for _ in range(plan.tcp_samples // 2)]
            res.tcp.setdefault((s.key, quick), []).extend(lat)


def soak(s: Server, pages: list[str], n: int, max_reruns: int, max_seconds: float) -> dict[str, Any]:
    """Many reruns from n concurrent sessions, all pages in rotation; RSS sampled throughout."""
    gate_first = [GATED, *pages] if GATED in pages else pages
    sessions = _open_sessions(s, gate_first[:1], n)  # each session passes the gate once
    lock = threading.Lock()
    claimed = done = 0
    errors: list[str] = []
    lat: list[float] = []
    samples: list[tuple[float, int, float]] = []
    stop = threading.Event()
    time.sleep(0.5)
    rss_start = s.rss_mb()
    wall0 = time.time()
    t0 = time.perf_counter()
    deadline = t0 + max_seconds

    def sampler() -> None:
        while not stop.is_set():
            samples.append((time.perf_counter() - t0, done, s.rss_mb()))
            stop.wait(0.5)

    def worker(i: int) -> None:
        nonlocal claimed, done
        k = i
        while time.perf_counter() < deadline:
            with lock:
                if claimed >= max_reruns:
                    return
                claimed += 1
            url = pages[k % len(pages)]
            k += 1
            try:
                out = sessions[i].rerun(url, collect=False, timeout=30)
                check_ok(out)
            except ProtocolError as exc:
                with lock:
                    errors.append(str(exc))
                return
            with lock:
                done += 1
                lat.append(out.latency_s * 1000)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    try:
        _run_workers(n, worker, max_seconds + 60)
    finally:
        elapsed = time.perf_counter() - t0
        stop.set()
        th.join(timeout=5)
        for sess in sessions:
            sess.close()
    rss_end = s.rss_mb()
    half = next((r for _t, d, r in samples if d >= done / 2), rss_start)
    time.sleep(0.3)
    rows = [r for r in s.timings() if "gc_n" in r]
    before = [r for r in rows if r["t"] < wall0]
    after = [r for r in rows if r["t"] >= wall0]
    gc_info: dict[str, Any] = {}
    if before and after:
        b, a = before[-1], after[-1]
        runs = len(after)
        gc_info = {
            "full_gc": a["gc_n"][2] - b["gc_n"][2],
            "gc_ms_per_run": (sum(a["gc_ms"]) - sum(b["gc_ms"])) / runs,
            "full_gc_ms_per_run": (a["gc_ms"][2] - b["gc_ms"][2]) / runs,
            "exec_p50": med([r["exec_us"] / 1000 for r in after if r.get("exec_us") is not None]),
            "exec_p99": pct([r["exec_us"] / 1000 for r in after if r.get("exec_us") is not None], 99),
        }
    return {
        **gc_info,
        "reruns": done,
        "seconds": elapsed,
        "per_s": done / elapsed if elapsed else math.nan,
        "rss_start": rss_start,
        "rss_half": half,
        "rss_end": rss_end,
        "rss_peak": max([r for _t, _d, r in samples] + [rss_end]),
        "growth": rss_end - rss_start,
        "growth_2nd_half": rss_end - half,
        "lat_p50": med(lat),
        "lat_p99": pct(lat, 99),
        "lat_max": max(lat, default=math.nan),
        "errors": errors,
        "target": max_reruns,
    }


def phase_soak(res: Results, servers: list[Server], plan: Plan) -> None:
    """Memory over many reruns per server; the shipped app gets the long soak the issue asks for."""
    urls = [u for u, _ in res.pages]
    for s in servers:
        shipped = s.key == "app:shipped"
        n = plan.soak_reruns_shipped if shipped else plan.soak_reruns_other
        secs = plan.soak_seconds_shipped if shipped else plan.soak_seconds_other
        log(f"soak: {s.key}, up to {n} reruns / {secs:.0f} s from {plan.soak_sessions} sessions")
        res.soak[s.key] = soak(s, urls, plan.soak_sessions, n, secs)


# --------------------------------------------------------------------------- the same-messages and same-elements floors


def record_same_output(app: Server, pages: list[tuple[str, str]], path: Path) -> dict[str, int]:
    """Record the deltas of one warm rerun of every page (gate passed) for floor/floor_replay.py.

    Each message is stored without the hash the server gave it, so the floor computes it again, as the
    app's server does for every element it sends. Returns the number of deltas per page.
    """
    pages_out: dict[str, list[str]] = {}
    for url, _ in pages:
        with Session(app.url) as sess:
            first, after = sess.open_page(url)
            check_ok(after or first)
            run = sess.rerun(url)
            check_ok(run)
        pages_out[url] = [recordable(raw) for raw in run.deltas]
    path.write_text(json.dumps({"source": app.key, "pages": pages_out}), encoding="utf-8")
    return {url: len(m) for url, m in pages_out.items()}


def record_same_elements(app: Server, pages: list[tuple[str, str]], path: Path) -> dict[str, int]:
    """Record the element calls of one warm rerun of every page (gate passed) for the same-elements floor.

    A second copy of the shipped app (same checkout, flags and env) runs with serve.py's BENCH_RECORD_CALLS
    hook, which pickles each run's calls (benchmarks/floor/calls.py); pages are opened one at a time, so the
    file after a page's warm rerun holds that rerun. Returns the number of calls per page.
    """
    from benchmarks.floor import calls
    from benchmarks.harness import start_all

    base = path.with_suffix(".calls")
    rec = Server(
        "app",
        "record",
        app.script,
        list(app.flags),
        {**app.env, calls.ENV_RECORD: str(base)},
        app.workdir,
        root=app.root,
    )
    start_all([rec], timeout=120)
    out: dict[str, list[calls.Call]] = {}
    try:
        for url, _ in pages:
            with Session(rec.url) as sess:
                first, after = sess.open_page(url)
                check_ok(after or first)
                check_ok(sess.rerun(url))
                time.sleep(0.2)  # the file is written when the script returns, just before script_finished
            out[url] = calls.load_run(f"{base}.last")
    finally:
        rec.stop()
    calls.save(str(path), out)
    return {url: len(c) for url, c in out.items()}


_IDS = re.compile(r'\$\$ID-[0-9a-f]+-|(page_script_hash|active_script_hash|fragment_id|component_name|id): "[^"]*"')


def page_shown(recorded: list[str]) -> dict[tuple[int, ...], str]:
    """What a recorded rerun leaves on screen: the last delta at each path, without server-made ids and hashes.

    A later delta at the same path replaces the earlier one (Streamlit also merges such pairs when they are
    queued within one flush, so whether both are sent depends on timing, not on what the page shows).
    """
    shown: dict[tuple[int, ...], str] = {}
    for raw in recorded:
        msg = ForwardMsg()
        msg.ParseFromString(base64.b64decode(raw))
        shown[tuple(msg.metadata.delta_path)] = _IDS.sub(lambda m: (m.group(1) or "") + "~", str(msg.delta))
    return shown


def floor_differences(app_recording: Path, floor: Server, pages: list[tuple[str, str]]) -> list[str]:
    """Where a floor's pages do not show what the app's recorded pages show (empty: the same screens)."""
    floor_recording = app_recording.with_name(f"{floor.variant}-shown.json")
    record_same_output(floor, pages, floor_recording)
    app_pages = json.loads(app_recording.read_text(encoding="utf-8"))["pages"]
    floor_pages = json.loads(floor_recording.read_text(encoding="utf-8"))["pages"]
    out = []
    for url, _ in pages:
        a, f = page_shown(app_pages.get(url, [])), page_shown(floor_pages.get(url, []))
        diff = sorted(p for p in a.keys() | f.keys() if a.get(p) != f.get(p))
        if diff:
            out.append(f"{label(url)}: {len(diff)} of {len(a)} places differ, first at {list(diff[0])}")
    return out


def recordable(raw: bytes) -> str:
    """A received delta as floor_replay.py reads it: base64, without the hash the server gave it."""
    msg = ForwardMsg()
    msg.ParseFromString(raw)
    msg.hash = ""
    msg.metadata.cacheable = False
    return base64.b64encode(msg.SerializeToString()).decode()


# --------------------------------------------------------------------------- the diagram in a browser


def phase_diagram(res: Results, pair: list[Server], plan: Plan, picture: Server | None = None) -> None:
    """The diagram visible (first paint) and drawn by Plotly vs the same-picture floor (the title and the same
    picture as a Markdown image, issue 20's target) and the title-only page's first render, visits alternating
    (order rotated each round); and JS bytes."""
    from benchmarks import diagram, ttfr

    app, floor = pair
    heading = (res.first.get((floor.key, FIGURE_PAGE)) or {}).get("heading")
    d = res.diagram
    servers = [app, floor] + ([picture] if picture else [])
    with ttfr.chromium() as browser:
        res.chromium = browser.version
        diagram.diagram_ms(browser, f"{app.url}/{FIGURE_PAGE}")  # unmeasured: static files and caches warm up
        ttfr.first_render_ms(browser, f"{floor.url}/{FIGURE_PAGE}", heading=heading)
        if picture:
            diagram.picture_ms(browser, f"{picture.url}/{FIGURE_PAGE}")
        for i in range(plan.ttfr_samples):
            k = i % len(servers)
            for s in servers[k:] + servers[:k]:
                try:
                    if s is app:  # visible (the first paint: the target) and Plotly drawn
                        visible, drawn = diagram.diagram_times(browser, f"{s.url}/{FIGURE_PAGE}")
                        d.setdefault("first_app", []).append(visible)
                        d.setdefault("first_app_drawn", []).append(drawn)
                    elif s is picture:
                        d.setdefault("first_picture", []).append(diagram.picture_ms(browser, f"{s.url}/{FIGURE_PAGE}"))
                    else:
                        ms = ttfr.first_render_ms(browser, f"{s.url}/{FIGURE_PAGE}", heading=heading)
                        d.setdefault("first_floor", []).append(ms)
                except Exception as exc:  # noqa: BLE001 - a failed visit is an error sample
                    d["first_errors"] = d.get("first_errors", 0) + 1
                    res.notes.append(f"diagram visit failed {s.key}: {exc!s:.200}")
        home_heading = (res.first.get((app.key, "")) or {}).get("heading")
        d["js_home"] = diagram.js_bytes(browser, f"{app.url}/", diagram=False, heading=home_heading)
        d["js_anatomy"] = diagram.js_bytes(browser, f"{app.url}/{FIGURE_PAGE}", diagram=True)


def phase_drag(res: Results, app: Server, plan: Plan) -> None:
    """Frames per second while the hip control is dragged from standing to its maximum over ~2 s."""
    from benchmarks import diagram, ttfr

    with ttfr.chromium() as browser:
        res.chromium = browser.version
        url = f"{app.url}/{FIGURE_PAGE}"
        res.diagram["drag"] = [diagram.drag(browser, url) for _ in range(plan.drag_runs)]
        scripted = [diagram.drag(browser, url, scripted=True) for _ in range(plan.drag_runs)]
        if all(scripted):  # the component's native input only
            res.diagram["drag_scripted"] = scripted


def phase_keypress(res: Results, app: Server, slider_floor: Server, plan: Plan) -> None:
    """A key press on the hip control until the readout changes: the app vs a slider-and-number floor."""
    from benchmarks import diagram, ttfr

    urls = {"app": f"{app.url}/{FIGURE_PAGE}", "floor": slider_floor.url}
    with ttfr.chromium() as browser:
        res.chromium = browser.version
        diagram.keypress_series(browser, urls, plan.keypress_samples)  # unmeasured: the server builds each angle once
        res.diagram["keypress"] = diagram.keypress_series(browser, urls, plan.keypress_samples)


PDF_NOTE = ("Walk for ten minutes after lunch; stop if it hurts. " * 12)[:500]  # a full 500-character note


def phase_pdf(res: Results, plan: Plan) -> None:
    """The handout PDF of the six techniques that print the most, with a name, a clinic and a 500-character note,
    on A4 and US Letter: build time in this process (one untimed build first, as a warm server has run one) and
    file size. No server: the sheet is built by the same function the download button calls."""
    import datetime as dt
    import io

    from pypdf import PdfReader

    from psoas_explorer.content import load
    from psoas_explorer.handout import pdf as sheet_pdf
    from psoas_explorer.handout import plan as sheet_plan

    cnt = load.load_content()
    picks = sheet_plan.longest_techniques(cnt)
    for paper in sheet_pdf.PAPERS:

        def build(paper: str = paper) -> bytes:
            return sheet_pdf.handout_pdf(
                cnt,
                [t.id for t in picks],
                today=dt.date(2025, 11, 24),
                patient="Jo Bloggs-Ağaoğlu",
                clinician="Harbour Physio",
                note=PDF_NOTE,
                paper=paper,
            )

        t0 = time.perf_counter()
        pdf = build()
        cold = (time.perf_counter() - t0) * 1000
        times, cpu = [], []
        for _ in range(plan.pdf_samples):
            t0, c0 = time.perf_counter(), time.process_time()
            build()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        res.pdf[paper] = {
            "label": sheet_pdf.PAPER_NAMES[paper],
            "ms": times,
            "cpu_ms": cpu,  # this process's CPU time: what a build costs whatever else the cores are doing
            "first_ms": cold,
            "bytes": len(pdf),
            "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            "techniques": [t.name for t in picks],
        }
        log(f"pdf {paper}: median {med(times):.0f} ms, {len(pdf) / 1000:.0f} kB")
