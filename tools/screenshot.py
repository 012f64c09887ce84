"""Remake the README's screenshot (assets/screenshot.png) from the app as it is now.

    .venv/bin/python tools/screenshot.py [--out assets/screenshot.png]

Starts the app on a free loopback port (the browser tests' own server helper), opens the anatomy page in
Debian's chromium at 1280x820 with a fixed view (front, three layers, 30 degrees of hip flexion), waits for
the diagram to draw, and saves the viewport. The view is a link, so the picture always shows real state.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEW = "anatomy?view=front&layers=psoas_major&layers=iliacus&layers=arteries&angle=30"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshot.png")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from psoas_explorer.web.diagram import DRAWN
    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app

    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 820}).new_page()
        page.goto(f"{url}/{VIEW}")
        wait_for_app(page)
        page.locator(f"[data-testid='stMain'] {DRAWN} .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        page.mouse.move(1270, 810)  # off the diagram and the sidebar: no hover label, no collapse arrow
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
