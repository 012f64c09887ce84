"""The benchmark harness: servers, sample plans, results and the small statistics every script shares.

`python -m benchmarks.run` and the single-purpose tools beside it (interaction, profile, network,
upstream) start Streamlit the same way through this module, so their numbers are comparable.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import os
import pkgutil
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psoas_explorer import settings

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
FLOOR_SCRIPT = "benchmarks/floor/floor_app.py"
SLIDER_FLOOR_SCRIPT = "benchmarks/floor/slider_floor.py"
# What every run starts: app.py inside Streamlit's st.App with the security headers (serve.py), as scripts/run.sh,
# the image and the test servers do. A --ref checkout from before serve.py existed is served by its app.py.
APP_SCRIPT = "serve.py"
OLD_APP_SCRIPT = "app.py"

# Before each timed warm rerun the client waits until no server has answered anything for this long. Nine
# servers share 2 cores; a server still finishing its previous reply (session cleanup, socket writes) slows
# the next server's run. Sent back to back, identical title-only floor pages came out at 3 or 7 ms depending
# only on the interleaving order. Visitors' clicks are seconds apart, so a quiet machine is the fair case.
IDLE_GAP_S = 0.015
GATED = "techniques"
FIGURE_PAGE = "anatomy"
# The same-picture floor (issue 20): the floor app's anatomy page with its title and, in a container keyed as the
# app's (web/diagram.py PICTURE_KEY), the app's own first paint as a Markdown image, read from this file.
PICTURE_ENV = "BENCH_PICTURE"
PICTURE_KEY = "a_picture"


def write_first_paint(path: Path) -> Path:
    """The Markdown image the app sends on a first visit to the anatomy page (default view, layers and angle),
    made by the app's own function, for the same-picture floor to show."""
    from psoas_explorer.anatomy import description as av
    from psoas_explorer.web import anatomy as au

    path.write_text(au.first_paint("front", tuple(av.layers_from_param(None)), 0, None, False), encoding="utf-8")
    return path


APP_FREEZE_OPTOUT_ENV = settings.GC_FREEZE.name  # set to "0" for the non-shipped app variants (see README)


@dataclass(frozen=True)
class Plan:
    """Sample counts and time bounds of one run: `--quick` only shrinks these, never what is measured."""

    warm_warmup: int  # discarded reruns per (server, page)
    warm_samples: int  # measured reruns per (server, page)
    warm_seconds: float  # bound on the whole warm phase
    ttfr_samples: int  # browser visits per (server, page)
    tp_sessions: int  # sessions for the throughput test
    tp_reruns: int  # back-to-back reruns per session in the throughput test
    tp_seconds: float  # bound on the throughput test
    p95_sessions: int
    p95_period: float
    p95_seconds: float
    soak_sessions: int
    soak_reruns_shipped: int  # the "memory after 10,000 reruns" (shipped app)
    soak_reruns_other: int  # every other variant
    soak_seconds_shipped: float
    soak_seconds_other: float
    tcp_samples: int  # back-to-back reruns per ACK mode in the delayed-ACK check
    keypress_samples: int  # key presses on the hip control per server (interaction to paint)
    drag_runs: int  # hip-control drags, each in a fresh context (frames per second)
    pdf_samples: int = 20  # timed handout PDF builds per paper (after one untimed)


QUICK = Plan(
    warm_warmup=1,
    warm_samples=6,
    warm_seconds=60,
    ttfr_samples=1,
    tp_sessions=50,
    tp_reruns=1,
    tp_seconds=20,
    p95_sessions=20,
    p95_period=2.0,
    p95_seconds=6,
    soak_sessions=6,
    soak_reruns_shipped=300,
    soak_reruns_other=200,
    soak_seconds_shipped=8,
    soak_seconds_other=6,
    tcp_samples=10,
    keypress_samples=3,
    drag_runs=1,
    pdf_samples=5,
)
FULL = Plan(
    warm_warmup=5,
    warm_samples=40,
    warm_seconds=300,
    ttfr_samples=5,
    tp_sessions=50,
    tp_reruns=8,
    tp_seconds=90,
    p95_sessions=20,
    p95_period=2.0,
    p95_seconds=30,
    soak_sessions=8,
    soak_reruns_shipped=10_000,
    soak_reruns_other=2_000,
    soak_seconds_shipped=300,
    soak_seconds_other=60,
    tcp_samples=40,
    keypress_samples=11,
    drag_runs=3,
)


# --------------------------------------------------------------------------- statistics and logging


def pct(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no data."""
    if not xs:
        return math.nan
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))]


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else math.nan


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    kind: str  # "app" | "floor"
    variant: str  # "defaults" | "nogc" | "freeze" | "both" | "shipped"
    script: str
    flags: list[str]
    env: dict[str, str]
    workdir: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    log_file: Any = None
    root: Path = ROOT  # the checkout it is served from (`--ref` serves the app from another commit)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.variant}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def timings_path(self) -> Path:
        return self.workdir / f"{self.kind}-{self.variant}.timings.jsonl"

    def command(self) -> list[str]:
        base = ["--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true"]
        script = self.script
        if script == APP_SCRIPT and not (self.root / script).exists():
            script = OLD_APP_SCRIPT
        return [sys.executable, "-m", "benchmarks.serve", script, *base, *self.flags]

    def start(self) -> None:
        self.port = free_port()
        self.log_file = open(self.workdir / f"{self.kind}-{self.variant}.log", "w+")  # noqa: SIM115
        env = {**os.environ, **self.env, "BENCH_TIMINGS": str(self.timings_path)}
        if self.root != ROOT:  # benchmarks.serve from this checkout if the other one has none
            env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(ROOT)) if p)
        for k in ("BENCH_GC_FREEZE", "BENCH_HOOK_FREEZE"):  # only from self.env, never inherited
            if k not in self.env:
                env.pop(k, None)
        self.proc = subprocess.Popen(
            self.command(), cwd=self.root, stdout=self.log_file, stderr=subprocess.STDOUT, env=env
        )

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                return r.read() == b"ok"
        except OSError:
            return False

    def log_tail(self, n: int = 30) -> str:
        self.log_file.flush()
        self.log_file.seek(0)
        return "".join(self.log_file.readlines()[-n:])

    def rss_mb(self) -> float:
        assert self.proc is not None, f"{self.key} was never started"
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return math.nan

    def timings(self) -> list[dict[str, Any]]:
        if not self.timings_path.exists():
            return []
        rows = []
        for line in self.timings_path.read_text().splitlines():
            with contextlib.suppress(json.JSONDecodeError):  # a line being written right now
                rows.append(json.loads(line))
        return rows

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.log_file:
            self.log_file.close()


def app_modules() -> list[str]:
    """Every module of the psoas_explorer package (imported before the hook's freeze)."""
    pkg = ROOT / "psoas_explorer"
    return [m.name for m in pkgutil.walk_packages([str(pkg)], prefix="psoas_explorer.")]


def shipped_gc_setting(root: Path = ROOT) -> str:
    """What .streamlit/config.toml says about runner.postScriptGC (app.py may add a freeze on top)."""
    cfg = root / ".streamlit" / "config.toml"
    try:
        data = tomllib.loads(cfg.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return "postScriptGC=true (default)"
    value = data.get("runner", {}).get("postScriptGC")
    return "postScriptGC=true (default)" if value is None else f"postScriptGC={str(value).lower()} (config.toml)"


def make_servers(workdir: Path, app_root: Path = ROOT) -> list[Server]:
    """The nine servers of a full run: the app under every GC setting plus as shipped, and the floor.

    `app_root` is the checkout the app variants are served from; the floors always come from this one.
    """
    gc_on, gc_off = ["--runner.postScriptGC=true"], ["--runner.postScriptGC=false"]
    optout = {APP_FREEZE_OPTOUT_ENV: "0"}
    hook = {"BENCH_HOOK_FREEZE": ",".join(app_modules())}
    return [
        Server("app", "shipped", APP_SCRIPT, [], {}, workdir, root=app_root),
        Server("app", "defaults", APP_SCRIPT, gc_on, optout, workdir, root=app_root),
        Server("app", "nogc", APP_SCRIPT, gc_off, optout, workdir, root=app_root),
        Server("app", "freeze", APP_SCRIPT, gc_on, {**optout, **hook}, workdir, root=app_root),
        Server("app", "both", APP_SCRIPT, gc_off, {**optout, **hook}, workdir, root=app_root),
        Server("floor", "defaults", FLOOR_SCRIPT, gc_on, {}, workdir),
        Server("floor", "nogc", FLOOR_SCRIPT, gc_off, {}, workdir),
        Server("floor", "freeze", FLOOR_SCRIPT, gc_on, {"BENCH_GC_FREEZE": "1"}, workdir),
        Server("floor", "both", FLOOR_SCRIPT, gc_off, {"BENCH_GC_FREEZE": "1"}, workdir),
    ]


def floor_like(tuned: Server, variant: str, script: str = FLOOR_SCRIPT, env: dict[str, str] | None = None) -> Server:
    """Another floor served with the tuned floor's GC flags and freeze (same-elements, same-messages, slider)."""
    return Server("floor", variant, script, list(tuned.flags), {**tuned.env, **(env or {})}, tuned.workdir)


@contextlib.contextmanager
def shipped_app(workdir: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """The app exactly as shipped, on a free loopback port, for the one-off tools (interaction, profile, network)."""
    server = Server("app", "shipped", APP_SCRIPT, [], env or {}, workdir)
    start_all([server], timeout=120)
    try:
        yield server
    finally:
        server.stop()


def start_all(servers: list[Server], timeout: float = 180) -> None:
    """Start the servers and wait until each answers its health check; raise with its log if one does not."""
    # Two at a time: on 2 cores, starting seven Streamlit processes at once only makes each slower.
    pending = list(servers)
    while pending:
        batch, pending = pending[:2], pending[2:]
        for s in batch:
            s.start()
        deadline = time.monotonic() + timeout
        for s in batch:
            assert s.proc is not None  # started just above
            while not s.healthy():
                if s.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{s.key} did not become healthy:\n{s.log_tail()}")
                time.sleep(0.2)
        log("started " + ", ".join(f"{s.key} on :{s.port}" for s in batch))


@contextlib.contextmanager
def checkout(ref: str) -> Iterator[tuple[Path, str]]:
    """`ref` checked out (detached) into a temporary git worktree: (its path, the commit). Removed after."""
    tmp = Path(tempfile.mkdtemp(prefix="psoas-ref-"))
    dest = tmp / "src"
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(dest), ref], check=True, capture_output=True, text=True)
    try:
        sha = subprocess.run(
            ["git", "-C", str(dest), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
        ).stdout.strip()
        yield dest, sha
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(dest)], check=False, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- pages


# Issue 23: a search rerun that shows results (every kind of match, grouped, with snippets), measured like a page
# of its own against its own same-elements floor. The protocol client sends the query with every rerun.
SEARCH_RESULTS = "search?q=sitting"


def page_list() -> list[tuple[str, str]]:
    """(url_path, title) of every page in psoas_explorer.links.pages.PAGES (the floor app reads the same list),
    then the search page with results (SEARCH_RESULTS)."""
    sys.path.insert(0, str(ROOT))
    from psoas_explorer.links.pages import PAGES

    pages = [(p.url_path, p.title) for p in PAGES]
    search = SEARCH_RESULTS.split("?", 1)[0]
    return pages + [(SEARCH_RESULTS, title) for url, title in pages if url == search]


def label(url: str | None) -> str:
    return url or "(home)"


# --------------------------------------------------------------------------- results and the machine


@dataclass
class Results:
    """Everything the phases measured, keyed by (server key, url_path) or server key; the report reads it."""

    pages: list[tuple[str, str]]
    tuned: str
    first: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    warm: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    heap: dict[str, dict[str, Any]] = field(default_factory=dict)
    ttfr: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    ttfr_errors: dict[str, int] = field(default_factory=dict)
    load: dict[str, dict[str, Any]] = field(default_factory=dict)
    load_page: str | None = None
    soak: dict[str, dict[str, Any]] = field(default_factory=dict)
    tcp: dict[tuple[str, bool], list[float]] = field(default_factory=dict)
    pdf: dict[str, dict[str, Any]] = field(default_factory=dict)  # paper -> build ms, bytes, pages (phase_pdf)
    lang: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (url, lang) -> warm reruns
    rss_warm: dict[str, float] = field(default_factory=dict)
    diagram: dict[str, Any] = field(default_factory=dict)  # the browser phases of benchmarks/diagram.py
    replayed: dict[str, int] = field(default_factory=dict)  # url -> deltas the same-messages floor replays
    rebuilt: dict[str, int] = field(default_factory=dict)  # url -> element calls the same-elements floor makes
    floor_diffs: dict[str, list[str]] = field(default_factory=dict)  # floor key -> pages it draws differently
    notes: list[str] = field(default_factory=list)
    failed_phases: list[str] = field(default_factory=list)
    chromium: str = ""


def machine() -> dict[str, str]:
    """Cores, CPU, RAM and OS for the report header: absolute numbers only mean something with these."""
    info = {"cores": str(os.cpu_count()), "cpu": platform.processor() or "?", "ram": "?"}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    info["os"] = platform.platform()
    return info


def versions() -> dict[str, str]:
    """Installed versions of what the servers run on, for the report header."""
    out = {"Python": platform.python_version()}
    for dist in ("streamlit", "plotly", "pandas", "pyarrow", "numpy", "pydantic", "PyYAML", "fpdf2", "websockets"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        out["playwright"] = importlib.metadata.version("playwright")
    return out


def loadavg() -> str:
    """1/5/15-minute load average: other work on the shared cores shows up as noise."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
