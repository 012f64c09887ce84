"""A replica dies under open sessions: the visits, the kill and the recovery, shared by the failover test
(tests/browser/test_failover.py) and the benchmark (benchmarks/failover.py), so both measure the same thing.

Each visit is one browser context (a new visitor) pinned by its route cookie to replica a or b, on a link that
holds its state: a plan (/handout?h=…&d=…), filters (/techniques?goal=…&audience=…) or a diagram view
(/anatomy?view=…&layers=…). What the visitor sees (the main area's and the sidebar's text and the address) is
kept before the kill and compared after it. Every wait is on a state: Streamlit's connection and script-state
attributes, and the websocket's "run finished" frame (support.run_finished).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from psoas_explorer.links import pages as site
from tests.browser.support import SERVERS, run_finished, wait_for_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, WebSocket

ROUTE = "psoas_route"
TIMEOUT = 120_000  # per wait: a page's first run took over 60 s with the load average near 100

STRETCH, BED, OFFICE = (
    "half_kneeling_hip_flexor_stretch",
    "bed_edge_hip_flexor_stretch",
    "standing_office_hip_flexor_stretch",
)
PLANS = (
    f"handout?h={STRETCH}&d={STRETCH}.h45",
    f"handout?h={BED}&h=desk_movement_breaks&d={BED}.r3",
    f"handout?h={OFFICE}&d={OFFICE}.h20.d6",
    f"handout?h=constructive_rest_breathing&h={STRETCH}&d={STRETCH}.r4.k10",
    "handout?h=glute_ball_self_massage",
    "handout?h=evening_wind_down&h=post_run_recovery",
    f"handout?h=hip_flexor_strengthening&h={OFFICE}&d={OFFICE}.r3",
)
FILTERS = (
    "techniques?goal=mobility&audience=desk_workers",
    "techniques?goal=pain_relief&audience=older_adults",
    "techniques?goal=stress&goal=breathing",
    "techniques?goal=recovery&audience=athletes",
    "techniques?goal=posture&audience=general_public&setting=home",
    "techniques?goal=sleep&audience=general_public",
    f"techniques?goal=pain_relief&audience=clinician_led&h={STRETCH}",
)
VIEWS = (
    "anatomy?view=side&layers=psoas_major&layers=iliacus",
    "anatomy?view=front&layers=psoas_major&layers=arteries&angle=45",
    "anatomy?view=side&layers=lumbar_plexus",
    "anatomy?layers=kidneys_ureters&layers=psoas_minor",
    "anatomy?view=front&layers=none",
    "anatomy?angle=80&layers=iliacus",
    "anatomy?view=side&angle=30&layers=rectus_femoris",
)
LINKS = tuple(link for trio in zip(PLANS, FILTERS, VIEWS, strict=True) for link in trio)  # 21, kinds mixed


@dataclass
class Visit:
    """One visitor: their page, the link they opened, their replica, and what they saw before the kill."""

    page: Any
    link: str
    route: str
    before: str = ""
    runs: int = 0  # script runs finished, counted from the websocket
    killed_at: float = 0.0
    back_at: float = 0.0  # when the first run after the kill finished (on the other replica, by itself)
    sockets_at_kill: int = 0
    reconnected_at: float = 0.0  # when its new websocket opened (to the other replica)
    streams: list[WebSocket] = field(default_factory=list)

    @property
    def recovery_s(self) -> float:
        return self.back_at - self.killed_at

    @property
    def reconnect_s(self) -> float:
        return self.reconnected_at - self.killed_at


def screen(page: Page) -> str:
    """What the visitor sees: the address, the sidebar's text and the main area's text."""
    side = page.get_by_test_id("stSidebar")
    sidebar = side.inner_text() if side.count() else ""
    return f"{page.url}\n{sidebar}\n{page.get_by_test_id('stMain').inner_text()}"


def watch(visit: Visit) -> None:
    """Count finished runs on every websocket the page opens, and note when the first one after a kill ends."""

    def on_socket(ws: WebSocket) -> None:
        if not ws.url.endswith("/_stcore/stream"):
            return
        visit.streams.append(ws)
        if visit.killed_at and not visit.reconnected_at:
            visit.reconnected_at = time.perf_counter()

        def frame(payload: str | bytes) -> None:
            if run_finished(payload):
                visit.runs += 1
                if visit.killed_at and not visit.back_at:  # the first run on the other replica
                    visit.back_at = time.perf_counter()

        ws.on("framereceived", frame)

    visit.page.on("websocket", on_socket)


def visitor(browser: Browser) -> Page:
    """A new visitor: a fresh browser context at a laptop's size."""
    return browser.new_context(viewport={"width": 1366, "height": 768}).new_page()


def open_visits(new_page: Callable[[], Page], url: str, links: tuple[str, ...] = LINKS) -> list[Visit]:
    """Open every link as a new visitor, routes alternating a and b; all pages load at once, then each one
    passes the safety warning by its button if it asks, and its screen is kept."""
    visits = [arrive(new_page(), url, link, "ab"[i % 2]) for i, link in enumerate(links)]
    for visit in visits:
        try:
            settle(visit, 1)
            main = visit.page.get_by_test_id("stMain")
            heading = main.get_by_role("heading", level=1).first.inner_text(timeout=TIMEOUT)
            if heading.startswith("Before you continue"):
                main.get_by_role("button", name="I understand").click(timeout=TIMEOUT)
        except Exception as exc:
            raise AssertionError(f"{visit.link} (route {visit.route}) did not open") from exc
    for visit in visits:
        expected = site.page_by_url(visit.link.split("?")[0]).heading
        try:
            main = visit.page.get_by_test_id("stMain")
            main.get_by_role("heading", name=expected, exact=True).wait_for(timeout=TIMEOUT)
            wait_for_app(visit.page, TIMEOUT)
        except Exception as exc:
            raise AssertionError(f"{visit.link} (route {visit.route}) did not show {expected!r}") from exc
        visit.before = screen(visit.page)
    return visits


def arrive(page: Page, url: str, link: str, route: str) -> Visit:
    """A visitor whose route cookie names a replica starts opening ``link`` (not waiting for it to load)."""
    page.context.add_cookies([{"name": ROUTE, "value": route, "url": url}])
    visit = Visit(page, link, route)
    watch(visit)
    page.goto(f"{url}/{link}", wait_until="commit", timeout=TIMEOUT)
    return visit


def settle(visit: Visit, runs: int) -> None:
    """Wait until the page has finished ``runs`` script runs in all and shows the last one."""
    while visit.runs < runs:
        next_event(visit, 1)
    wait_for_app(visit.page, TIMEOUT)


def next_event(visit: Visit, sockets: int) -> None:
    """Wait for the page's next websocket while it has fewer than ``sockets``, else for its latest one's
    next finished run (a socket that closes meanwhile ends the wait too: the loop around asks again)."""
    from playwright.sync_api import Error

    if len(visit.streams) < sockets:
        visit.page.wait_for_event("websocket", timeout=TIMEOUT)
        return
    try:
        visit.streams[-1].wait_for_event("framereceived", predicate=run_finished, timeout=TIMEOUT)
    except Error as exc:
        if "closed" not in str(exc).lower():
            raise


def kill(replica_url: str, visits: list[Visit]) -> float:
    """SIGKILL the replica's process (no goodbye to any browser) and note the moment on every visit."""
    proc = SERVERS[replica_url]
    at = time.perf_counter()
    proc.kill()
    proc.wait()
    for visit in visits:
        visit.killed_at = at
        visit.sockets_at_kill = len(visit.streams)
    return at


def recover(visits: list[Visit]) -> Iterator[Visit]:
    """Each visit of the killed replica once its page has reconnected (through nginx, to the other replica) and
    a run of its link has finished there, with no action by the visitor.

    Streamlit's frontend reconnects by itself but would not rerun an idle page on the new session: the page would
    keep showing the old replica's elements until the visitor did something. Our watcher (web/reconnect.py) asks
    for that run; its run is what proves the other replica shows the same screen from the link alone. The pages
    recover at once (every websocket is watched while any one is waited for), so one slow page delays nobody."""
    for visit in visits:
        try:
            while not visit.back_at:  # a run finished after the kill: only the new websocket carries one
                next_event(visit, visit.sockets_at_kill + 1)
            wait_for_app(visit.page, TIMEOUT)
        except Exception as exc:
            state = visit.page.get_by_test_id("stApp").get_attribute("data-test-connection-state")
            raise AssertionError(
                f"{visit.link}: no run by itself after the reconnect ({len(visit.streams)} websockets, {state})"
            ) from exc
        yield visit
