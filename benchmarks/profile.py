"""Where a page's warm rerun spends its script time: cProfile on the server's script thread.

    python -m benchmarks.profile [page ...] [--reruns 200] [--top 25] [--sort tottime|cumtime]

For each page (url_path; "home" means the default page) it starts the shipped app with the
`BENCH_PROFILE` hook of benchmarks/serve.py, opens the page over the websocket protocol (pressing the
safety gate where there is one), discards the first runs, profiles `--reruns` warm reruns and prints
the top functions plus the median script time per rerun. Use it before and after a change; record the
numbers in benchmarks/HISTORY.md.
"""

from __future__ import annotations

import argparse
import io
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.harness import page_list, shipped_app
from benchmarks.protocol import Session, check_ok


def profile_page(url: str, reruns: int, top: int, sort: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "page.pstats"
        with shipped_app(Path(tmp), {"BENCH_PROFILE": str(stats_file)}) as server, Session(server.url) as sess:
            first, after = sess.open_page(url)
            check_ok(after or first)
            for _ in range(10):  # warm-up, not profiled
                check_ok(sess.rerun(url, collect=False))
            lat = []
            n_before = len(server.timings())
            Path(f"{stats_file}.on").touch()  # the hook profiles from the next run on
            for _ in range(reruns):
                out = sess.rerun(url, collect=False)
                check_ok(out)
                lat.append(out.latency_s * 1000)
            time.sleep(0.3)  # the last timing row is written just after script_finished goes out
            rows = server.timings()[n_before:]
        exec_ms = [r["exec_us"] / 1000 for r in rows if r.get("exec_us")]
        buf = io.StringIO()
        st = pstats.Stats(str(stats_file), stream=buf)
        st.strip_dirs().sort_stats(sort).print_stats(top)
        head = (
            f"page {url or '(home)'}: {reruns} reruns, latency median {statistics.median(lat):.1f} ms, "
            f"script median {statistics.median(exec_ms):.1f} ms (with cProfile overhead)\n"
        )
        return head + buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="*", help="url_paths; 'home' for the default page; default: every page")
    ap.add_argument("--reruns", type=int, default=200)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--sort", default="tottime", choices=["tottime", "cumtime"])
    args = ap.parse_args()
    pages = [("" if p == "home" else p) for p in args.pages] or [u for u, _ in page_list()]
    for url in pages:
        print(profile_page(url, args.reruns, args.top, args.sort))


if __name__ == "__main__":
    main()
