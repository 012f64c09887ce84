"""Remake the README's picture of the patient's view on a phone (assets/patient-phone.png) from the app as it is.

    .venv/bin/python tools/patient_screenshot.py [--out assets/patient-phone.png]

Starts the app on a free loopback port (the browser tests' own server helper), opens a two-technique plan link
in Debian's chromium at 390x844 as a new browser, and puts three phone screens side by side: the warning's
key points and button (the first screen), the plan after "I understand", and the follow-along after "Start"
with its hold running (the browser's clock is paused 12 s into the hold, so the picture is the same each time).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = "handout?h=bed_edge_hip_flexor_stretch&h=half_kneeling_hip_flexor_stretch&d=half_kneeling_hip_flexor_stretch.h45"
GAP = 24  # px of grey between the screens


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "patient-phone.png")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app

    shots: list[bytes] = []
    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1).new_page()
        page.clock.install()
        page.goto(f"{url}/{PLAN}")
        wait_for_app(page)
        main_area = page.get_by_test_id("stMain")
        main_area.get_by_role("button", name="I understand").wait_for()
        shots.append(page.screenshot())
        main_area.get_by_role("button", name="I understand").click()
        main_area.get_by_role("button", name="Download PDF").wait_for()
        wait_for_app(page)
        main_area.get_by_role("img").first.wait_for()
        shots.append(page.screenshot())
        now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, tz=UTC)
        page.clock.pause_at(now + timedelta(seconds=1))
        main_area.get_by_role("button", name="Start", exact=True).click()
        page.get_by_role("dialog").get_by_role("button", name="Start the hold").click()
        page.clock.run_for(12_000)
        page.get_by_role("timer").filter(has_text="0:18").wait_for()
        shots.append(page.screenshot())
        browser.close()
    screens = [Image.open(io.BytesIO(s)).convert("RGB") for s in shots]
    w, h = screens[0].size
    out = Image.new("RGB", (len(screens) * w + (len(screens) - 1) * GAP, h), "#dde1e6")
    for i, im in enumerate(screens):
        out.paste(im, (i * (w + GAP), 0))
    out.save(args.out, optimize=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
