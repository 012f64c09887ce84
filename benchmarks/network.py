"""A first visit over a real-world connection: the shipped app served directly vs behind deploy/nginx.conf.

    python -m benchmarks.network [--visits 3] [--pages home,anatomy]

Streamlit 1.67 sends its JavaScript uncompressed (~2.5 MB for any first page, plus Plotly's 4.7 MB on the
anatomy page); deploy/nginx.conf gzips it. On loopback the bytes cost nothing, so `benchmarks.run` cannot see
the difference. This starts the shipped app once, puts nginx (the deploy template, both upstreams pointing
at that one app) in front of it, and times the first complete render (benchmarks/ttfr.py) in fresh browser
contexts under Chromium's own network throttling, direct and through nginx alternating. It prints a
Markdown table: median ms to first render and bytes on the wire per visit. Needs nginx
(`bash scripts/setup.sh --dev`) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.harness import shipped_app
from benchmarks.ttfr import chromium, first_visit

# Chromium's throttling: latency in ms (added per request), throughput in bytes/s.
PROFILES: dict[str, dict[str, float]] = {
    "broadband 50 Mbit/s, 20 ms": {"latency": 20, "downloadThroughput": 50e6 / 8, "uploadThroughput": 10e6 / 8},
    "4G 12 Mbit/s, 60 ms": {"latency": 60, "downloadThroughput": 12e6 / 8, "uploadThroughput": 3e6 / 8},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--visits", type=int, default=3, help="fresh-context visits per page, profile and route")
    ap.add_argument("--pages", default="home,anatomy", help="url_paths, comma-separated; home = the default page")
    args = ap.parse_args()
    from psoas_explorer.links.pages import page_by_url
    from tests.browser.support import nginx_proxy  # the same nginx start-up the deployment test uses

    pages = ["" if p == "home" else p for p in args.pages.split(",")]
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        shipped_app(Path(tmp)) as app,
        chromium() as browser,
        nginx_proxy(app.url, app.url) as (proxy, _log),
    ):
        routes = {"direct": app.url, "nginx (gzip)": proxy}
        for profile, net in PROFILES.items():
            for page in pages:
                samples: dict[str, list[tuple[float, int]]] = {r: [] for r in routes}
                heading, plots = page_by_url(page).heading, 1 if page == "anatomy" else 0
                # warm the server's caches, unmeasured
                first_visit(browser, f"{app.url}/{page}", heading=heading, plots=plots)
                failed = 0
                for _ in range(args.visits):
                    for route, base in routes.items():
                        try:
                            samples[route].append(
                                first_visit(browser, f"{base}/{page}", network=net, heading=heading, plots=plots)
                            )
                        except Exception as exc:  # noqa: BLE001 - a failed visit is counted, not fatal
                            failed += 1
                            print(f"visit failed ({route}, {profile}, {page or '(home)'}): {exc!s:.200}")
                if not all(samples.values()):
                    rows.append(f"| {profile} | {page or '(home)'} | – | – | – | – | – | {failed} |")
                    continue
                ms = {r: statistics.median(t for t, _ in s) for r, s in samples.items()}
                wire = {r: statistics.median(b for _, b in s) for r, s in samples.items()}
                rows.append(
                    f"| {profile} | {page or '(home)'} | {ms['direct']:.0f} | {ms['nginx (gzip)']:.0f} "
                    f"| {ms['nginx (gzip)'] / ms['direct']:.2f}× | {wire['direct'] / 1e6:.2f} MB "
                    f"| {wire['nginx (gzip)'] / 1e6:.2f} MB | {failed} |"
                )
    print(f"First complete render in a fresh browser context, median of {args.visits} visits per cell.\n")
    print("| connection | page | direct ms | nginx (gzip) ms | ratio | direct bytes | nginx bytes | failed |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
