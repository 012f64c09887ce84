"""RESULTS.md from a benchmark `Results`: one function per section, each returning its Markdown lines.

A section also returns the target checks it judged, so the closing "Targets" table lists them in the
order the sections appear. Nothing here measures; see benchmarks/phases.py for that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    APP_FREEZE_OPTOUT_ENV,
    BENCH,
    FIGURE_PAGE,
    IDLE_GAP_S,
    Plan,
    Results,
    Server,
    label,
    med,
    pct,
    ratio,
)
from benchmarks.language import lang_section

# Targets from the issue. Ratios are app / matching floor page.
TARGET_RERUN = 1.25  # warm rerun median latency, shipped app vs the same-elements floor (the page's elements replayed)
RERUN_TITLE_LINE = 5.0  # warm rerun vs the title-only floor: information, with this regression line
TARGET_TTFR = 1.25  # first complete render in a fresh browser context
TARGET_DIAGRAM = 1.25  # the anatomy diagram visible (first paint), vs the title-only page's first render
TARGET_PICTURE = 1.15  # the same, vs the same-picture floor (title + the same drawing as a Markdown image; issue 20)
TARGET_JS_EXTRA = 1_500_000  # JavaScript the anatomy page loads beyond the home page (decoded bytes)
TARGET_FPS = 30.0  # changed frames per second while the hip control is dragged
DRAG_BUSY_SHARE = 0.25  # long tasks under this share of the drag: too few moves is the machine's fault
TARGET_KEYPRESS = 1.25  # key press on the hip control until the readout changes, vs the slider floor
TARGET_THROUGHPUT = 0.5  # reruns/s with 50 sessions, at least this fraction of the same-elements floor
TARGET_FIGURE_BYTES = 200_000  # anatomy figure JSON (200 kB, 1 kB = 1000 B)
TARGET_PDF_MS = 300.0  # handout PDF of six techniques, median build time (issue 14: absolute, no floor)
TARGET_PDF_BYTES = 500_000  # and its file size
PDF_HEADING = "### Handout PDF"
MEM_NOISE_MB = 5.0  # RSS growth over the second half of the soak that still counts as noise

APP = "app:shipped"  # the server the targets apply to
ELEMENTS = "floor:elements"  # the same-elements floor (target): the page's st.* calls made again with constants
SAME = "floor:replay"  # the same-messages floor (information): the page's delta messages re-sent, nothing built

Check = tuple[str, bool | None]  # (what was checked, PASS / FAIL / n/a)


@dataclass
class Section:
    """A section's Markdown lines (empty: the phase did not run) and the checks it judged."""

    lines: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n".join(self.lines)


# --------------------------------------------------------------------------- formatting


def fms(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else (f"{x:.1f}" if x < 100 else f"{x:.0f}")


def fx(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.2f}×"


def fkb(n: float) -> str:
    return "n/a" if n is None or (isinstance(n, float) and math.isnan(n)) else f"{n / 1000:.1f} kB"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def table_lines(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return out + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]


def table(header: list[str], rows: list[list[Any]]) -> str:
    return "\n".join(table_lines(header, rows))


def tuned_key(res: Results) -> str:
    """The floor server the shipped app is held to."""
    return f"floor:{res.tuned}"


# --------------------------------------------------------------------------- sections


def warm_section(res: Results) -> Section:
    """Warm rerun latency per page: shipped app vs the same-elements floor (target), the same-messages floor and
    the title-only floor (information)."""
    if not res.warm:
        return Section()
    tuned = tuned_key(res)
    sec = Section()
    rows = []
    for url, _ in res.pages:
        a, f, s, e = (res.warm.get((k, url), {}) for k in (APP, tuned, SAME, ELEMENTS))
        am, fm, sm, em = (med(x.get("lat", [])) for x in (a, f, s, e))
        ap, fp = pct(a.get("lat", []), 95), pct(f.get("lat", []), 95)
        r_el, r_same, r_title = ratio(am, em), ratio(am, sm), ratio(am, fm)
        errors = bool(a.get("errors"))
        ok_el = None if math.isnan(r_el) else (r_el <= TARGET_RERUN and not errors)
        ok_line = None if math.isnan(r_title) else (r_title <= RERUN_TITLE_LINE and not errors)
        if e:
            sec.checks.append((f"warm rerun {label(url)} ≤ {TARGET_RERUN}× same-elements floor", ok_el))
        line = f"warm rerun {label(url)} ≤ {RERUN_TITLE_LINE:g}× title-only floor (regression line)"
        sec.checks.append((line, ok_line))
        rows.append(
            [
                label(url),
                fms(am),
                fms(ap),
                fms(em),
                fx(r_el),
                verdict(ok_el),
                fms(sm),
                fx(r_same),
                fms(fm),
                fx(r_title),
                fx(ratio(ap, fp)),
                fms(med(a.get("exec", []))),
                fms(med(e.get("exec", []))),
                fms(med(s.get("exec", []))),
                fms(med(f.get("exec", []))),
                fms(med(a.get("post", []))),
                _kb_per_rerun(a),
                _kb_per_rerun(e),
                _kb_per_rerun(s),
                a.get("errors", "n/a"),
                verdict(ok_line),
            ]
        )
    header = [
        "page",
        "app median ms",
        "app p95 ms",
        "same-elements floor median ms",
        "ratio to same-elements",
        "target",
        "same-messages floor median ms",
        "ratio to same-messages",
        "title-only floor median ms",
        "ratio to title-only",
        "ratio p95 to title-only",
        "app script ms",
        "same-elements script ms",
        "same-messages script ms",
        "title-only script ms",
        "app post-run ms",
        "app kB/rerun",
        "same-elements kB/rerun",
        "same-messages kB/rerun",
        "errors",
        f"≤ {RERUN_TITLE_LINE:g}× title-only",
    ]
    rebuilt = " / ".join(f"{label(u)} {res.rebuilt[u]}" for u, _ in res.pages if u in res.rebuilt)
    replayed = " / ".join(f"{label(u)} {res.replayed[u]}" for u, _ in res.pages if u in res.replayed)
    sec.lines = [
        f"### Warm rerun latency (protocol): shipped app vs the same-elements floor (target ≤ {TARGET_RERUN}×), "
        f"the same-messages floor and the title-only floor `{res.tuned}` (information; title-only regression line "
        f"{RERUN_TITLE_LINE:g}×)",
        "",
        "The same-elements floor is the floor app with the tuned floor's setting whose pages make again, with the "
        "same constant arguments on the same containers, the `st.*` element calls one warm rerun of the real page "
        "made (benchmarks/floor/calls.py"
        + (f"; {rebuilt} calls per page" if rebuilt else "")
        + "): what Streamlit itself costs to draw that page, with none of the app's logic. The same-messages floor "
        "re-sends the delta messages that rerun sent"
        + (f" ({replayed} per page)" if replayed else "")
        + " without building any element: Streamlit's sending alone. Both floors' kB/rerun should match the app's.",
        "",
        *_floor_check_lines(res, sec),
        *table_lines(header, rows),
    ]
    return sec


def _floor_check_lines(res: Results, sec: Section) -> list[str]:
    """Whether each floor showed what the app shows, page by page (checked in the run, after warm-up)."""
    if not res.floor_diffs:
        return []
    names = {ELEMENTS: "same-elements", SAME: "same-messages"}
    out = []
    for key, diffs in res.floor_diffs.items():
        name = names.get(key, key)
        ok = not diffs
        if key == ELEMENTS:
            sec.checks.append(("same-elements floor shows what the app shows on every page", ok))
        out.append(
            f"- The {name} floor's pages, recorded like the app's: "
            + ("the same elements at the same places on every page." if ok else "DIFFERENT: " + "; ".join(diffs))
        )
    return [*out, ""]


def _kb_per_rerun(slot: dict[str, Any]) -> str:
    return f"{med(slot['bytes']) / 1000:.1f}" if slot.get("bytes") else "n/a"


def gc_section(res: Results, servers: list[Server]) -> Section:
    """Every server's warm reruns side by side: the evidence for the GC setting the app ships."""
    if not res.warm:
        return Section()
    tuned = tuned_key(res)
    match = {s.key: (tuned if s.key == APP else f"floor:{s.variant}") for s in servers if s.kind == "app"}
    rows = []
    for s in servers:
        meds = [med(res.warm.get((s.key, u), {}).get("lat", [])) for u, _ in res.pages]
        ratios = (
            [
                ratio(m, med(res.warm.get((match[s.key], u), {}).get("lat", [])))
                for m, (u, _) in zip(meds, res.pages, strict=True)
            ]
            if s.kind == "app"
            else []
        )
        all_exec = [x for u, _ in res.pages for x in res.warm.get((s.key, u), {}).get("exec", [])]
        all_post = [x for u, _ in res.pages for x in res.warm.get((s.key, u), {}).get("post", [])]
        heap = res.heap.get(s.key, {})
        rows.append(
            [
                s.key,
                " / ".join(fms(m) for m in meds),
                " / ".join(fx(r) for r in ratios) if ratios else "—",
                fms(med(all_exec)),
                fms(pct(all_exec, 95)),
                fms(med(all_post)),
                fms(pct(all_post, 95)),
                heap.get("gc_tracked", "n/a"),
                heap.get("frozen", "n/a"),
                fms(res.rss_warm.get(s.key, math.nan)),
            ]
        )
    header = [
        "server",
        "median ms per page",
        "ratio vs floor",
        "script ms median",
        "script ms p95",
        "post-run ms median",
        "post-run ms p95",
        "GC-tracked objects (run 1 → latest)",
        "frozen objects",
        "RSS MB after warm",
    ]
    pages_hdr = " / ".join(label(u) for u, _ in res.pages)
    lines = [
        "### GC settings compared, real app and floor (warm reruns, same run)",
        "",
        f"Median ms per page ({pages_hdr}); ratios are against the floor with the same setting "
        f"(shipped against `{tuned}`).",
        "",
        *table_lines(header, rows),
    ]
    return Section(lines)


def first_render_section(res: Results, plan: Plan) -> Section:
    """First render in a fresh browser context and the bytes of each page's first run."""
    if not res.first:
        return Section()
    tuned = tuned_key(res)
    sec = Section()
    rows = []
    for url, _ in res.pages:
        a, f = res.first.get((APP, url), {}), res.first.get((tuned, url), {})
        at, ft = res.ttfr.get((APP, url), []), res.ttfr.get((tuned, url), [])
        r = ratio(med(at), med(ft))
        ok = None if math.isnan(r) else r <= TARGET_TTFR
        if res.ttfr:
            sec.checks.append((f"first render {label(url)} ≤ {TARGET_TTFR}× floor", ok))
        extra = ""
        if a.get("after_gate"):
            extra = f" (+{fkb(a['after_gate']['bytes'])} after the gate)"
        rows.append(
            [
                label(url),
                fms(med(at)),
                fms(pct(at, 95)),
                fms(med(ft)),
                fx(r),
                verdict(ok),
                fkb(a.get("bytes", math.nan)) + extra,
                fkb(f.get("bytes", math.nan)),
                fx(ratio(a.get("bytes", math.nan), f.get("bytes", math.nan))),
                repr(a.get("heading")),
            ]
        )
    header = [
        "page",
        "app median ms",
        "app p95 ms",
        "floor median ms",
        "ratio",
        "target",
        "app bytes",
        "floor bytes",
        "bytes ratio",
        "waited for heading",
    ]
    sec.lines = [
        f"### First render: fresh browser context (target ≤ {TARGET_TTFR}×) and bytes sent",
        "",
        f"{plan.ttfr_samples} visit(s) per page and server, alternating; bytes are the websocket payload of the "
        "first run in a new session (no websocket compression: Streamlit's default).",
        "",
        *table_lines(header, rows),
    ]
    return sec


def figure_section(res: Results) -> Section:
    """Size of the anatomy figures in the page's first render (after the gate if it has one): each
    `st.plotly_chart` spec and each custom component's message (protocol.RunResult.figure_sizes)."""
    if not res.first:
        return Section()
    first = res.first.get((APP, FIGURE_PAGE), {})
    sizes = first.get("figure_sizes") or []
    gate_sizes = (first.get("after_gate") or {}).get("figure_sizes") or []
    sizes = sizes or gate_sizes
    if sizes:
        ok = max(sizes) <= TARGET_FIGURE_BYTES
        check: Check = (f"anatomy figure JSON ≤ {TARGET_FIGURE_BYTES / 1000:.0f} kB", ok)
        fig = (
            f"Anatomy figure JSON (each Plotly spec, then each custom component's message): "
            f"{', '.join(fkb(x) for x in sizes)} ({verdict(ok)}, target ≤ 200 kB)."
        )
    else:
        check = ("anatomy figure JSON ≤ 200 kB", None)
        fig = "Anatomy figure JSON: n/a, the anatomy page's first render contains no Plotly chart or component."
    return Section([fig], [check])


def fmb(n: float | None) -> str:
    return "n/a" if n is None or (isinstance(n, float) and math.isnan(n)) else f"{n / 1e6:.2f} MB"


def _drag_fps(run: dict[str, Any]) -> tuple[float, float, float | None]:
    """(changed frames/s seen in the page, all animation frames/s, the component's own frames/s or None)."""
    secs = run["ms"] / 1000 if run.get("ms") else math.nan
    own = None if run.get("psoas") is None else run["psoas"] / secs
    return run["changed"] / secs, run["frames"] / secs, own


def _drag_row(runs: list[dict[str, Any]], checks: list[Check], *, scripted: bool = False) -> list[Any]:
    """The drag row. A component that counts its own redraws is read by that count (capped at the
    animation frames). Too few mouse moves while the page was mostly idle means the machine, not the page,
    held the drag back: n/a rather than a verdict on the page. ``scripted``: the page moved its own control
    once per animation frame (benchmarks/diagram.py), so input cannot be the limit."""
    fps = [_drag_fps(run) for run in runs]
    own = [o for _, _, o in fps if o is not None]
    judged = med([min(o, f) for (_, f, o) in fps if o is not None]) if own else med([c for c, _, _ in fps])
    moves = med([r.get("moves", 0) / (r["ms"] / 1000) for r in runs])
    busy = med([r.get("long_ms", 0) / r["ms"] for r in runs])
    # Input-bound: the page was mostly idle and either got too few moves or redrew for nearly every one it got.
    starved = moves < TARGET_FPS or judged >= 0.9 * moves
    input_bound = not scripted and judged < TARGET_FPS and starved and busy < DRAG_BUSY_SHARE
    ok = None if math.isnan(judged) or input_bound else judged >= TARGET_FPS
    how = " (input events once per animation frame)" if scripted else ""
    checks.append((f"hip drag{how} ≥ {TARGET_FPS:g} changed frames/s", ok))
    first = runs[0]
    verb = "moved by the page itself, one input event per animation frame," if scripted else "dragged"
    unit = "input events" if scripted else "mouse moves"
    return [
        f"hip control {verb} {first.get('range', '')} over {first['ms'] / 1000:.1f} s, "
        f"median of {len(fps)}: changed frames/s in the page"
        + (" (window.__psoasFrames/s)" if own else "")
        + f"; readouts shown during the drag: {med([float(r['readouts']) for r in runs]):.0f}"
        + f"; value after release: {first.get('value_after', '?')}"
        + f"; main-thread long tasks during the drag: {med([float(r.get('long_n', 0)) for r in runs]):.0f}"
        + f" ({fms(med([float(r.get('long_ms', 0)) for r in runs]))} ms)"
        + (
            f" — input-bound: a mostly idle page redrew for nearly every mouse move it got, and fewer than "
            f"{TARGET_FPS:g} moves/s came (Playwright's moves here; the page-driven row below has no such limit)"
            if input_bound
            else ""
        ),
        f"{judged:.1f} fps" if not math.isnan(judged) else "n/a",
        f"{med([f for _, f, _ in fps]):.1f} animation frames/s, {moves:.1f} {unit}/s",
        "",
        f"≥ {TARGET_FPS:g} fps",
        verdict(ok),
    ]


def first_paint_rows(d: dict[str, Any], sec: Section) -> list[list[Any]]:
    """The diagram visible (first paint) and Plotly drawn, against the same-picture floor when it ran (the
    target, issue 20) and the title-only page (the target before it; information once the picture floor ran)."""
    am, fm = med(d.get("first_app", [])), med(d.get("first_floor", []))
    pics = d.get("first_picture", [])
    pm = med(pics)
    n_app = len(d.get("first_app", []))
    rows: list[list[Any]] = []
    if pics:
        r = ratio(am, pm)
        ok = None if math.isnan(r) else r <= TARGET_PICTURE
        sec.checks.append((f"anatomy diagram visible ≤ {TARGET_PICTURE}× the same-picture floor", ok))
        rows.append(
            [
                f"diagram visible (first paint), fresh context, median of {n_app} (app) / {len(pics)} (same-picture "
                "floor: the title and the same drawing as a Markdown image)",
                f"{fms(am)} ms (p95 {fms(pct(d.get('first_app', []), 95))})",
                f"{fms(pm)} ms (p95 {fms(pct(pics, 95))})",
                fx(r),
                f"≤ {TARGET_PICTURE}×",
                verdict(ok),
            ]
        )
    r = ratio(am, fm)
    ok = None if math.isnan(r) else r <= TARGET_DIAGRAM
    if not pics:
        sec.checks.append((f"anatomy diagram visible ≤ {TARGET_DIAGRAM}× title-only first render", ok))
    rows.append(
        [
            f"diagram visible (first paint), fresh context, median of {n_app} (app) / "
            f"{len(d.get('first_floor', []))} (title-only anatomy page)" + (" (information)" if pics else ""),
            f"{fms(am)} ms (p95 {fms(pct(d.get('first_app', []), 95))})",
            f"{fms(fm)} ms",
            fx(r),
            "" if pics else f"≤ {TARGET_DIAGRAM}×",
            "" if pics else verdict(ok),
        ]
    )
    if d.get("first_app_drawn"):
        dm = med(d["first_app_drawn"])
        against = f"{fx(ratio(dm, pm))} the same-picture floor, " if pics else ""
        rows.append(
            [
                f"Plotly drawn (interactive), same visits, median of {len(d['first_app_drawn'])} (information)",
                f"{fms(dm)} ms (p95 {fms(pct(d['first_app_drawn'], 95))})",
                f"{fms(fm)} ms (title-only)",
                f"{against}{fx(ratio(dm, fm))} title-only",
                "",
                "",
            ]
        )
    return rows


def diagram_section(res: Results) -> Section:
    """The anatomy diagram in a browser: first drawing, JavaScript bytes, drag frames, key press to paint."""
    d = res.diagram
    if not d:
        return Section()
    sec = Section()
    rows: list[list[Any]] = []
    if "first_app" in d or "first_floor" in d:
        rows += first_paint_rows(d, sec)
    if "js_home" in d and "js_anatomy" in d:
        home, anat = d["js_home"], d["js_anatomy"]
        extra = anat["decoded"] - home["decoded"]
        ok = extra <= TARGET_JS_EXTRA
        sec.checks.append((f"anatomy JavaScript ≤ {TARGET_JS_EXTRA / 1e6:g} MB more than home", ok))
        at_home = {f["url"] for f in home["files"]}
        only_here = [f for f in anat["files"] if f["url"] not in at_home]
        biggest = ", ".join(f"{f['url']} {fmb(f['decoded'])}" for f in only_here[:4]) or "none"
        rows.append(
            [
                f"JavaScript loaded, decoded (largest of the scripts home does not load: {biggest})",
                f"anatomy {fmb(anat['decoded'])}",
                f"home {fmb(home['decoded'])}",
                f"+{fmb(extra)}",
                f"≤ +{fmb(TARGET_JS_EXTRA)}",
                verdict(ok),
            ]
        )
        rows.append(
            [
                "JavaScript loaded, on the wire (as served; loopback, no proxy)",
                f"anatomy {fmb(anat['wire'])}",
                f"home {fmb(home['wire'])}",
                f"+{fmb(anat['wire'] - home['wire'])}",
                "",
                "",
            ]
        )
    if d.get("drag"):
        rows.append(_drag_row(d["drag"], sec.checks))
    if d.get("drag_scripted"):
        rows.append(_drag_row(d["drag_scripted"], sec.checks, scripted=True))
    if d.get("keypress"):
        kp = d["keypress"]
        am, fm = med(kp.get("app", [])), med(kp.get("floor", []))
        r = ratio(am, fm)
        failed = len(kp.get("app failed", [])) + len(kp.get("floor failed", []))
        unchanged = len(kp.get("app unchanged", [])) + len(kp.get("floor unchanged", []))
        ok = None if math.isnan(r) else (r <= TARGET_KEYPRESS and not kp.get("app failed"))
        sec.checks.append((f"key press to readout ≤ {TARGET_KEYPRESS}× slider floor", ok))
        rows.append(
            [
                f"ArrowRight on the hip control until the readout is painted, median of "
                f"{len(kp.get('app', []))} / {len(kp.get('floor', []))} (failed presses: {failed}; "
                f"presses that left the rounded length as it was, then pressed again: {unchanged})",
                f"{fms(am)} ms (p95 {fms(pct(kp.get('app', []), 95))})",
                f"{fms(fm)} ms (slider floor)",
                fx(r),
                f"≤ {TARGET_KEYPRESS}×",
                verdict(ok),
            ]
        )
    sec.lines = [
        "### The anatomy diagram in the browser: drawn at once, alive while the hip moves",
        "",
        "Chromium through Playwright, fresh contexts at 1280×900; times are taken in the page "
        "(benchmarks/diagram.py). The title-only page is the floor's anatomy page, timed as in the first-render "
        "table; the slider floor is benchmarks/floor/slider_floor.py (a slider and a number), same run.",
        "",
        *table_lines(["measure", "app", "reference", "ratio / difference", "target", "result"], rows),
    ]
    return sec


def _throughput_rows(
    a: dict[str, Any],
    f: dict[str, Any],
    checks: list[Check],
    elements: dict[str, Any] | None = None,
    same: dict[str, Any] | None = None,
) -> list[list[Any]]:
    """Rows of the load table for the back-to-back test (reruns/s, p95 under load, RSS per session).

    The target is against the same-elements floor when it ran; the other floors' ratios are information.
    """
    rows = []
    for ref, name, target in ((elements, "same-elements", True), (same, "same-messages", False)):
        if ref is None:
            continue
        r = ratio(a["per_s"], ref["per_s"])
        ok = r >= TARGET_THROUGHPUT and not a["errors"]
        if target:
            checks.append((f"throughput ≥ {TARGET_THROUGHPUT}× same-elements floor, 0 errors", ok))
        rows.append(
            [
                f"reruns/s, {a['sessions']} sessions back to back ({a['reruns']}/{a['target']} reruns in "
                f"{a['seconds']:.1f} s), vs the {name} floor ({ref['reruns']}/{ref['target']})",
                f"{a['per_s']:.1f}",
                f"{ref['per_s']:.1f}",
                fx(r),
                f"{len(a['errors'])} / {len(ref['errors'])}",
                verdict(ok) if target else "information",
            ]
        )
    r = ratio(a["per_s"], f["per_s"])
    ok_title = r >= TARGET_THROUGHPUT and not a["errors"]
    if elements is None and same is None:
        checks.append((f"throughput ≥ {TARGET_THROUGHPUT}× floor, 0 errors", ok_title))
    return rows + [
        [
            f"reruns/s, {a['sessions']} sessions back to back "
            f"({a['reruns']}/{a['target']} reruns in {a['seconds']:.1f} s), vs the title-only floor",
            f"{a['per_s']:.1f}",
            f"{f['per_s']:.1f}",
            fx(r),
            f"{len(a['errors'])} / {len(f['errors'])}",
            verdict(ok_title) if elements is None and same is None else "information",
        ],
        [
            "latency p95 ms under that load (title-only floor)",
            fms(pct(a["lat"], 95)),
            fms(pct(f["lat"], 95)),
            fx(ratio(pct(a["lat"], 95), pct(f["lat"], 95))),
            "",
            "",
        ],
        [
            f"RSS MB per added session ({a['sessions']} sessions opened)",
            f"{a['per_session_mb']:.2f}",
            f"{f['per_session_mb']:.2f}",
            fx(ratio(a["per_session_mb"], f["per_session_mb"])),
            "",
            "",
        ],
    ]


def load_section(res: Results, plan: Plan) -> Section:
    """Throughput and steady-load latency on the heaviest page, shipped app against the tuned floor."""
    if not res.load:
        return Section()
    sec = Section()
    a, f = res.load.get(APP, {}), res.load.get(tuned_key(res), {})
    rows = []
    if "tp" in a and "tp" in f:
        refs = (res.load.get(k, {}).get("tp") for k in (ELEMENTS, SAME))
        rows += _throughput_rows(a["tp"], f["tp"], sec.checks, *refs)
    if "steady" in a and "steady" in f:
        ok = not a["steady"]["errors"]
        sec.checks.append(("20 sessions every 2 s: 0 errors", ok))
        rows.append(
            [
                f"latency p95 ms, {a['steady']['sessions']} sessions each every {plan.p95_period:.0f} s "
                f"({a['steady']['seconds']:.0f} s)",
                fms(pct(a["steady"]["lat"], 95)),
                fms(pct(f["steady"]["lat"], 95)),
                fx(ratio(pct(a["steady"]["lat"], 95), pct(f["steady"]["lat"], 95))),
                f"{len(a['steady']['errors'])} / {len(f['steady']['errors'])}",
                verdict(ok),
            ]
        )
    sec.lines = [
        f"### Load on the heaviest page ({label(res.load_page)}), shipped app vs the same-elements floor "
        f"(target), the same-messages floor and the title-only floor `{res.tuned}`",
        "",
        *table_lines(["measure", "app", "floor", "ratio", "errors app / floor", "target"], rows),
    ]
    return sec


def soak_section(res: Results, servers: list[Server], plan: Plan) -> Section:
    """Memory, GC and latency over many reruns, per server; the target applies to the shipped app."""
    if not res.soak:
        return Section()
    sec = Section()
    rows = []
    for s in servers:
        k = res.soak.get(s.key)
        if not k:
            continue
        ok = k["growth_2nd_half"] <= MEM_NOISE_MB and not k["errors"]
        if s.key == APP:
            sec.checks.append((f"memory after {k['reruns']} reruns: 2nd-half growth ≤ {MEM_NOISE_MB:.0f} MB", ok))
        rows.append(
            [
                s.key,
                f"{k['reruns']} / {k['target']}",
                f"{k['per_s']:.1f}",
                k.get("full_gc", "n/a"),
                fms(k.get("full_gc_ms_per_run", math.nan)),
                fms(k.get("gc_ms_per_run", math.nan)),
                f"{fms(k['lat_p50'])} / {fms(k['lat_p99'])} / {fms(k['lat_max'])}",
                fms(k["rss_start"]),
                fms(k["rss_half"]),
                fms(k["rss_end"]),
                fms(k["rss_peak"]),
                f"{k['growth']:+.1f}",
                f"{k['growth_2nd_half']:+.1f}",
                len(k["errors"]),
                verdict(ok),
            ]
        )
    header = [
        "server",
        "reruns done / target",
        "reruns/s",
        "full GCs",
        "full-GC ms per rerun",
        "all-GC ms per rerun",
        "rerun ms p50 / p99 / max",
        "RSS start",
        "RSS at half",
        "RSS end",
        "RSS peak",
        "growth",
        "growth 2nd half",
        "errors",
        "target",
    ]
    sec.lines = [
        f"### Memory over many reruns ({plan.soak_sessions} concurrent sessions, all pages in rotation)",
        "",
        f"RSS from /proc/<pid>/status (MB). Pass: growth over the second half ≤ {MEM_NOISE_MB:.0f} MB, "
        "0 errors. GC columns count every collection in the server during the soak (automatic and "
        "Streamlit's forced one), from `gc.callbacks`; rerun latency is per rerun with all the soak's "
        "sessions running at once.",
        "",
        *table_lines(header, rows),
    ]
    return sec


def tcp_section(res: Results, servers: list[Server]) -> Section:
    """Back-to-back reruns with delayed vs immediate client ACKs (Streamlit leaves Nagle on)."""
    if not res.tcp:
        return Section()
    rows = []
    for s in servers:
        off, on = res.tcp.get((s.key, False)), res.tcp.get((s.key, True))
        if off and on:
            rows.append([s.key, fms(med(off)), fms(pct(off, 95)), fms(med(on)), fms(pct(on, 95))])
    lines = [
        "### Back-to-back reruns of the home page: client ACK behaviour",
        "",
        "Streamlit 1.67 leaves Nagle's algorithm on for its websocket connections (its listening socket has "
        "`proto` 0, so asyncio skips TCP_NODELAY). A client that delays its ACKs, as Linux does for "
        "interactive connections, then waits about 40 ms for the second and later frames of a run. Every "
        "other table uses a client that ACKs at once (TCP_QUICKACK), so it shows the server's work.",
        "",
        *table_lines(["server", "default ACKs median ms", "p95", "quick ACKs median ms", "p95"], rows),
    ]
    return Section(lines)


def pdf_section(res: Results, measured: str = "") -> Section:
    """Build time and size of the handout PDF for the six longest techniques, per paper, against the issue's
    absolute targets (a PDF has no floor app to compare with)."""
    if not res.pdf:
        return Section()
    rows, checks = [], []
    for r in res.pdf.values():
        ms = med(r["ms"])
        fast, small = ms <= TARGET_PDF_MS, r["bytes"] <= TARGET_PDF_BYTES
        rows.append(
            [r["label"], r["pages"], len(r["ms"]), fms(ms), fms(pct(r["ms"], 95)), fms(med(r.get("cpu_ms", [])))]
            + [fms(r["first_ms"]), fkb(r["bytes"]), verdict(fast), verdict(small)]
        )
        checks += [
            (f"handout PDF {r['label']}: build ≤ {TARGET_PDF_MS:.0f} ms", fast),
            (f"handout PDF {r['label']}: file ≤ {TARGET_PDF_BYTES / 1000:.0f} kB", small),
        ]
    names = next(iter(res.pdf.values()))["techniques"]
    lines = [
        f"{PDF_HEADING}: six techniques with a name, a clinic and a 500-character note "
        f"(targets ≤ {TARGET_PDF_MS:.0f} ms, ≤ {TARGET_PDF_BYTES / 1000:.0f} kB)",
        "",
        "The six techniques that print the most (" + "; ".join(names) + "), built in the benchmark's own process "
        "by `handout.pdf.handout_pdf`, the function behind the download button. *median* and *p95* are warm "
        "builds (wall clock: the target); *CPU ms* is the median of this process's CPU time per build, which other "
        "work on the cores does not inflate (compare the two to see how busy the machine was); *first build* "
        "includes reading the fonts, once per process." + (f" {measured}" if measured else ""),
        "",
        *table_lines(
            ["paper", "pages", "builds", "median ms", "p95 ms", "CPU ms", "first build ms", "file"]
            + ["time target", "size target"],
            rows,
        ),
    ]
    return Section(lines, checks)


def merge_section(md: str, sec: Section, heading: str) -> str:
    """RESULTS.md with one section replaced (or added before the Targets) and its rows in the Targets table
    replaced, for a phase run on its own (`--only`): the other sections keep their full run's numbers."""
    lines = md.splitlines()

    def span(start: int) -> int:  # the line after a section: the next heading
        return next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("### ", "## "))), len(lines))

    names = {name for name, _ in sec.checks}
    lines = [ln for ln in lines if not any(ln.startswith(f"| {n} |") for n in names)]
    at = next((i for i, ln in enumerate(lines) if ln.startswith(heading)), None)
    if at is not None:
        del lines[at : span(at)]
    before = next((i for i, ln in enumerate(lines) if ln == "### Targets"), len(lines))
    lines[before:before] = [*sec.lines, ""]
    targets = next((i for i, ln in enumerate(lines) if ln == "### Targets"), None)
    if targets is not None:
        end = span(targets)
        while end > targets and not lines[end - 1].startswith("|"):
            end -= 1
        lines[end:end] = [f"| {name} | {verdict(ok)} |" for name, ok in sec.checks]
    return "\n".join(lines) + "\n"


def targets_section(checks: list[Check]) -> list[str]:
    """The closing PASS / FAIL table of every check the sections above judged."""
    return ["### Targets", "", *table_lines(["check", "result"], [[c, verdict(ok)] for c, ok in checks])]


def header_section(res: Results, meta: dict[str, Any]) -> list[str]:
    """Title, date, command, machine, versions and load: what the numbers below depend on."""
    m = meta["machine"]
    return [
        "# Psoas Explorer benchmark results",
        "",
        f"- Date: {meta['date']}",
        f"- Mode: {'quick (small samples: checks the harness, not the app)' if meta['quick'] else 'full'}",
        f"- Command: `{meta['command']}`",
        f"- Machine: {m['cores']} cores, {m['ram']} RAM, {m['cpu']}; {m['os']}",
        "- Versions: "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
        + (f", chromium {res.chromium}" if res.chromium else ""),
        f"- Load average (1/5/15 min) at start: {meta['load_start']}; at end: {meta['load_end']}",
        *(
            [f"- App served from `--ref {meta['ref']}` (a temporary worktree); the floors from this tree"]
            if meta.get("ref")
            else []
        ),
        f"- Duration: {meta['duration']:.0f} s",
        f"- Shipped app: {meta['shipped']}, heap frozen by app.py: "
        f"{'yes' if res.heap.get(APP, {}).get('frozen') else 'no'}; tuned floor: `{res.tuned}`",
        "",
    ]


def _run_notes(res: Results, servers: list[Server]) -> list[str]:
    """Failed phases, errors under load and in the soak, and app variants that froze their heap anyway."""
    notes = list(res.notes)
    for key, kinds in res.load.items():
        for kind, r in kinds.items():
            if r["errors"]:
                notes.append(f"load ({kind}) errors on {key}: " + "; ".join(sorted(set(r["errors"]))[:3]))
    for key, r in res.soak.items():
        if r["errors"]:
            notes.append(f"soak errors on {key}: " + "; ".join(sorted(set(r["errors"]))[:3]))
    if res.failed_phases:
        notes.insert(0, "Phases that failed (see the traceback on stderr): " + ", ".join(res.failed_phases))
    for s in servers:
        frozen = res.heap.get(s.key, {}).get("frozen")
        if s.key in ("app:defaults", "app:nogc") and frozen:
            notes.append(
                f"{s.key} had {frozen} frozen objects: app.py freezes the heap by itself, so this row is not what "
                f"its name says. Let app.py skip the freeze when {APP_FREEZE_OPTOUT_ENV}=0."
            )
    return notes


def notes_section(res: Results, servers: list[Server]) -> list[str]:
    """How the servers were run and timed, then this run's own notes."""
    return [
        "### Notes",
        "",
        "- Each server is `python -m benchmarks.serve <script> --server.address 127.0.0.1 --server.port <free> "
        "--server.headless true <variant flags>`, from the repository root, so the floor reads the same "
        "`.streamlit/config.toml` as the app. Variant flags: defaults `--runner.postScriptGC=true`; nogc "
        "`--runner.postScriptGC=false`; freeze `--runner.postScriptGC=true` plus `gc.freeze()` once per process "
        "after importing the app's libraries (floor: `BENCH_GC_FREEZE=1` in its entrypoint; app: the launcher's "
        "`BENCH_HOOK_FREEZE`, which also imports every `psoas_explorer` module); both `--runner.postScriptGC=false` "
        "plus the freeze; shipped: no flags.",
        "- Script ms is the script's own execution time per rerun (entrypoint + page), post-run ms is Streamlit's "
        "after-run work (session-state cleanup and the forced `gc.collect(2)` when postScriptGC is on), both "
        "measured in the server by the launcher's `BENCH_TIMINGS` hook. Streamlit's own `page_profile` message "
        "is not sent because `browser.gatherUsageStats` is false.",
        f"- Each timed warm rerun is sent once no server has answered anything for {IDLE_GAP_S * 1000:.0f} ms, as "
        "visitors' clicks seconds apart find the machine (sent back to back, a server still finishing its last "
        "reply slowed the next one, and identical floor pages came out at 3 or 7 ms by interleaving order). "
        "Streamlit's runtime sends what is queued, then sleeps 5 ms (`MESSAGE_FLUSH_INTERVAL_SECS` in "
        "`streamlit/runtime/runtime_util.py`, a constant, not an option) before it sends again. A title-only "
        "page is answered in the first send (~3-4 ms); a page with more than ~3 ms of script waits for later "
        "5 ms ticks, so latency rises in steps (measured with a busy loop: 0 ms of work 3 ms, 3 ms 8 ms, "
        "4-6 ms 12-13 ms, 8-12 ms 16-17 ms). *Script ratio* compares the scripts' own time.",
        "- Two cores are shared by the servers, the load clients and the browser; other work on the machine "
        "shows up as noise. Compare ratios from the same run, not absolute numbers across runs.",
        *[f"- {n}" for n in _run_notes(res, servers)],
        "",
    ]


# --------------------------------------------------------------------------- the whole report


def report(res: Results, servers: list[Server], plan: Plan, meta: dict[str, Any]) -> tuple[str, str]:
    """(terminal table, full RESULTS.md)."""
    sections = [
        warm_section(res),
        gc_section(res, servers),
        first_render_section(res, plan),
        diagram_section(res),
        figure_section(res),
        load_section(res, plan),
        soak_section(res, servers, plan),
        tcp_section(res, servers),
        pdf_section(res),
        Section(*lang_section(res)),
    ]
    checks = [c for s in sections for c in s.checks]
    body = "\n\n".join(s.markdown for s in sections if s.lines)
    terminal = body + "\n\n" + "\n".join(targets_section(checks)) + "\n"
    md = [*header_section(res, meta), terminal, *notes_section(res, servers)]
    return terminal, "\n".join(md)


def write_results(md: str, out: Path) -> None:
    """Write the report atomically, with the hand-written profiling notes (HISTORY.md) appended."""
    history = BENCH / "HISTORY.md"  # hand-written profiling notes (before -> after), kept across runs
    if history.exists():
        md = md.rstrip("\n") + "\n\n" + history.read_text(encoding="utf-8")
    tmp = out.with_suffix(".tmp")
    tmp.write_text(md)
    tmp.replace(out)
