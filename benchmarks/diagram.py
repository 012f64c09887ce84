"""The anatomy diagram in a real browser: first drawing, JavaScript bytes, drag frames and key-press-to-paint.

Every measurement runs in chromium through Playwright (benchmarks/ttfr.py starts it) with `INIT_JS` installed
before the page's own scripts. It tolerates both ways the diagram has been delivered:

- today's `st.plotly_chart` (key `a_chart`): drawn when `.st-key-a_chart .js-plotly-plot .main-svg` exists;
- a custom component that marks its root `data-drawn="1"` once Plotly has drawn (components v2 may mount in a
  shadow root: `INIT_JS` records every shadow root as it is attached and observes it too). When any element
  carries `data-drawn`, every such element must say "1".

Two moments of the first visit: *visible* (`fb.paint`), when the diagram is on screen in any form: an image in
the keyed container `.st-key-a_picture` (the app's first paint, a Markdown image of the server-drawn SVG,
psoas_explorer/anatomy/svg.py; the same-picture floor shows the same image there) has loaded and has a box, or
the root marks `data-painted="1"` (a component's own first paint), before the Plotly bundle has arrived; and
*drawn* (`fb.done`), when Plotly has drawn (the diagram is interactive). Without either (older code), visible
is drawn.

The hip control is found by its accessible role and name (`slider` "Hip flexion": Streamlit's slider and a
native `<input type=range>` alike). The length readout is the elements marked `data-readout` if there are
any, else every text on the page (shadow roots included) that contains a length in cm ("26.1 cm", today's
`st.metric`): whichever of them changes first is what the visitor sees change first. Times are
`performance.now()` in the page (zero = navigation start) or the input event's own `timeStamp`, so
Playwright's polling adds nothing to them.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

HIP = re.compile("Hip flexion", re.IGNORECASE)

INIT_JS = """
(() => {
  if (window.__fb) return;
  const roots = [document];
  const listeners = new Set();
  const mo = new MutationObserver(() => { for (const f of [...listeners]) f(); });
  const opts = {subtree: true, childList: true, attributes: true, characterData: true};
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.push(root);
    mo.observe(root, opts);
    return root;
  };
  const all = (sel) => roots.flatMap((r) => [...r.querySelectorAll(sel)]);
  const area = (e) => { const b = e.getBoundingClientRect(); return b.width * b.height; };
  const fb = window.__fb = {
    all,
    done: null,
    paint: null,
    on(f) { listeners.add(f); return () => listeners.delete(f); },
    idle() {
      const app = document.querySelector('[data-testid="stApp"]');
      return !!app && app.getAttribute('data-test-script-state') !== 'running';
    },
    drawn() {
      const flagged = all('[data-drawn]');
      if (flagged.length) return flagged.every((e) => e.getAttribute('data-drawn') === '1');
      return all('.st-key-a_chart .js-plotly-plot .main-svg').length > 0;
    },
    pictured() {  // the first paint as an image (a Markdown image in the keyed container), loaded and shown
      return all('.st-key-a_picture img').some((i) => i.complete && i.naturalWidth > 0 && area(i) > 0
        && getComputedStyle(i).visibility !== 'hidden');
    },
    painted() {
      if (fb.pictured()) return true;
      const flagged = all('[data-painted]');
      if (flagged.length) return flagged.every((e) => e.getAttribute('data-painted') === '1');
      return fb.drawn();
    },
    plot() {  // the diagram's Plotly graph: today's keyed chart, else the largest one on the page
      const keyed = all('.st-key-a_chart .js-plotly-plot');
      if (keyed.length) return keyed[0];
      const plots = all('.js-plotly-plot').sort((a, b) => area(b) - area(a));
      return plots[0] || all('[data-drawn]')[0] || null;
    },
    readout() {
      const marked = all('[data-readout]');
      if (marked.length) return marked.map((e) => e.textContent.trim()).join(' | ');
      const out = [];  // every text with a length in cm: st.metric's value, a component's readout, ...
      for (const r of roots) {
        const w = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) if (/\\d\\s*cm\\b/.test(n.data)) out.push(n.data.trim());
      }
      return out.join(' | ');
    },
    // Key press -> the first animation frame after the readout's text changed.
    keyArm(key) {
      const st = fb.key = {base: fb.readout(), t0: null, changed: null, paint: null, text: null};
      const onKey = (e) => { if (st.t0 === null && e.key === key) st.t0 = e.timeStamp; };
      window.addEventListener('keydown', onKey, true);
      const off = fb.on(() => {
        if (st.t0 === null || st.changed !== null) return;
        const now = fb.readout();
        if (now === st.base) return;
        st.changed = performance.now();
        st.text = now;
        off();
        window.removeEventListener('keydown', onKey, true);
        requestAnimationFrame(() => { st.paint = performance.now(); });
      });
    },
    keyRebase() { fb.key.t0 = null; fb.key.base = fb.readout(); },
    // Frames during a drag: every animation frame, those in which the diagram's DOM changed, readouts seen.
    dragStart() {
      const st = fb.drag = {frames: 0, changed: 0, dirty: false, run: true, readouts: new Set([fb.readout()]),
                            psoas0: typeof window.__psoasFrames === 'number' ? window.__psoasFrames : null,
                            t0: performance.now()};
      st.long = [];  // main-thread tasks over 50 ms: what keeps frames from being drawn
      st.po = new PerformanceObserver((list) => { for (const e of list.getEntries()) st.long.push(e.duration); });
      st.po.observe({type: 'longtask'});
      const target = fb.plot();
      st.mo = new MutationObserver(() => { st.dirty = true; });
      if (target) st.mo.observe(target.shadowRoot || target, opts);
      const tick = () => {
        if (!st.run) return;
        st.frames++;
        if (st.dirty) { st.changed++; st.dirty = false; }
        st.readouts.add(fb.readout());
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      return !!target;
    },
    dragStop() {
      const st = fb.drag;
      st.run = false;
      st.mo.disconnect();
      st.po.disconnect();
      const psoas = st.psoas0 === null || typeof window.__psoasFrames !== 'number'
        ? null : window.__psoasFrames - st.psoas0;
      return {ms: performance.now() - st.t0, frames: st.frames, changed: st.changed,
              readouts: st.readouts.size - 1, psoas, long_n: st.long.length,
              long_ms: st.long.reduce((a, b) => a + b, 0)};
    },
  };
  mo.observe(document, opts);
  document.addEventListener('load', () => { for (const f of [...listeners]) f(); }, true);  // an image loaded
  fb.on(() => {
    const now = performance.now();  // one reading: a page with no first paint is visible when drawn, exactly
    if (fb.paint === null && fb.painted()) fb.paint = now;
    if (fb.done === null && fb.drawn()) {
      fb.done = now;
      if (fb.paint === null) fb.paint = fb.done;
    }
  });
})();
"""

# Finds the control's thumb and how far right it can go: a visible native range input is its own track;
# Streamlit's slider hides its input (clipped, in a 1-px box) inside the thumb, whose first wide ancestor is
# the track.
_GEOMETRY_JS = """
(el) => {
  const box = (e) => e.getBoundingClientRect();
  const up = (e) => e.parentElement || (e.getRootNode() && e.getRootNode().host) || null;
  const min = +(el.getAttribute('aria-valuemin') ?? el.min ?? 0);
  const max = +(el.getAttribute('aria-valuemax') ?? el.max ?? 100);
  const value = +(el.getAttribute('aria-valuenow') ?? el.value ?? min);
  const r = box(el);
  const cs = getComputedStyle(el);
  const parent = up(el);
  const hidden = cs.opacity === '0' || (cs.clip && cs.clip !== 'auto') || (cs.clipPath && cs.clipPath !== 'none')
    || (parent && box(parent).width < 8);
  if (r.width >= 60 && !hidden) {
    const frac = max > min ? (value - min) / (max - min) : 0;
    return {x: r.left + 8 + (r.width - 16) * frac, y: r.top + r.height / 2, end: r.right + 4, min, max, value};
  }
  let thumb = parent;
  while (thumb && (box(thumb).width < 8 || box(thumb).height < 8)) thumb = up(thumb);
  let track = thumb;
  while (track && box(track).width < 100) track = up(track);
  const t = box(thumb);
  return {x: t.left + t.width / 2, y: t.top + t.height / 2, end: box(track).right + 4, min, max, value};
}
"""


def new_page(browser: Any, url: str, viewport: tuple[int, int] = (1280, 900)) -> tuple[Any, Any]:
    """A fresh context (new session, empty cache) with INIT_JS, navigated to `url`; returns (context, page)."""
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        raise ValueError(f"loopback addresses only, got {url}")
    # bypass_csp: the app's CSP has no 'unsafe-eval', and Playwright's string predicates are evaluated (the
    # policy itself is tested in tests/browser/test_csp.py); the floors have no CSP, so both are timed alike.
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, bypass_csp=True)
    ctx.add_init_script(INIT_JS)
    page = ctx.new_page()
    return ctx, page


def wait_idle(page: Any, timeout_s: float = 30) -> None:
    """Until the script is not running (a rerun the last action caused has finished), then a short settle."""
    page.wait_for_function("window.__fb && window.__fb.idle()", timeout=timeout_s * 1000)
    time.sleep(0.3)


def diagram_ms(browser: Any, url: str, *, timeout_s: float = 30) -> float:
    """ms from navigation start until Plotly has drawn the diagram, in a new context."""
    return diagram_times(browser, url, timeout_s=timeout_s)[1]


def diagram_times(browser: Any, url: str, *, timeout_s: float = 30) -> tuple[float, float]:
    """(visible, drawn): ms from navigation start until the diagram is on screen (the server-drawn first
    paint) and until Plotly has drawn it, in one new context (no script-state condition: the visitor sees
    the drawing whether or not the rest of the page is still running)."""
    from benchmarks.ttfr import open_until_done

    ctx, page = new_page(browser, url)
    try:
        drawn = open_until_done(page, url, "window.__fb", timeout_s)
        return float(page.evaluate("window.__fb.paint")), drawn
    finally:
        ctx.close()


def picture_ms(browser: Any, url: str, *, timeout_s: float = 30) -> float:
    """ms from navigation start until the page's first-paint image is on screen (``fb.paint``), in a new
    context: the same-picture floor's page, timed as the app's first paint is."""
    ctx, page = new_page(browser, url)
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function("() => window.__fb && window.__fb.paint !== null", timeout=timeout_s * 1000)
        return float(page.evaluate("window.__fb.paint"))
    finally:
        ctx.close()


def _is_js(resp: Any) -> bool:
    ctype = (resp.headers.get("content-type") or "").lower()
    path = resp.url.split("?", 1)[0]
    return resp.request.resource_type == "script" or "javascript" in ctype or path.endswith((".js", ".mjs"))


def js_bytes(browser: Any, url: str, *, diagram: bool, heading: str | None = None, timeout_s: float = 30) -> dict:
    """JavaScript a first visit loads: decoded bytes (what the browser parses) and bytes on the wire.

    Waits for the complete page (the diagram drawn, or the heading shown and the script finished), then a
    second for chunks loaded lazily after that, so every script the page asked for is counted.
    """
    ctx, page = new_page(browser, url)
    seen: list[Any] = []
    try:
        page.on("response", lambda r: seen.append(r) if _is_js(r) else None)
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        if diagram:
            page.wait_for_function("window.__fb && window.__fb.done !== null", timeout=timeout_s * 1000)
        else:
            page.get_by_role("heading", name=heading or re.compile(".")).first.wait_for(timeout=timeout_s * 1000)
        wait_idle(page, timeout_s)
        time.sleep(1.0)
        files = []
        for r in seen:
            try:
                decoded = len(r.body())
                wire = int(r.request.sizes().get("responseBodySize", 0))
            except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body to count
                continue
            files.append({"url": r.url.split("?", 1)[0].rsplit("/", 1)[-1], "decoded": decoded, "wire": wire})
        return {
            "decoded": sum(f["decoded"] for f in files),
            "wire": sum(f["wire"] for f in files),
            "files": sorted(files, key=lambda f: -f["decoded"]),
        }
    finally:
        ctx.close()


# The hip control moved by the page itself: one `input` event per animation frame along the same 0-to-max
# schedule, as a pointer that reports every frame would. No harness round trip per move, so it shows what the
# page can draw when input is not the limit (Playwright's mouse moves here reach ~30/s). Needs a native range
# input (the component's); Streamlit's slider ignores synthetic input events, so `None` there.
_SCRIPTED_JS = """
async (seconds) => {
  const el = document.getElementById('psoas-hip-flexion');
  if (!el) return null;
  const min = +el.min, max = +el.max, t0 = performance.now();
  let events = 0;
  await new Promise((done) => {
    const step = () => {
      const frac = Math.min(1, (performance.now() - t0) / (seconds * 1000));
      el.value = String(Math.round(min + (max - min) * frac));
      el.dispatchEvent(new Event('input', {bubbles: true}));
      events++;
      if (frac < 1) requestAnimationFrame(step); else done();
    };
    requestAnimationFrame(step);
  });
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return events;
}
"""


def drag(browser: Any, url: str, *, seconds: float = 2.0, timeout_s: float = 30, scripted: bool = False) -> dict:
    """Drag the hip control from its value (0) to its maximum over `seconds`; frames counted in the page.

    The mouse moves as often as the browser takes input, each to where the schedule says the hand is by
    then: Chromium acknowledges a move once the page has handled it, so it takes at most about one move per
    frame, and fewer while the page's main thread is busy (a real mouse's moves would be coalesced into the
    same fewer frames).

    `changed` is the number of animation frames in which the diagram's DOM changed while the button was
    down (release not included: a control that redraws only on release scores 0); `frames` is every
    animation frame in that time and `moves` the mouse moves sent (the two ceilings); `psoas` the
    component's own `window.__psoasFrames` count, when it has one; `readouts` how many different length
    readouts were shown during the drag; `long_n`/`long_ms` the main thread's long tasks (over 50 ms).
    """
    ctx, page = new_page(browser, url)
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function("window.__fb && window.__fb.done !== null", timeout=timeout_s * 1000)
        wait_idle(page, timeout_s)
        slider = page.get_by_role("slider", name=HIP).first
        slider.scroll_into_view_if_needed()
        g = slider.evaluate(_GEOMETRY_JS)
        if not page.evaluate("window.__fb.dragStart()"):
            raise RuntimeError("no diagram to observe")
        if scripted:
            moves = page.evaluate(_SCRIPTED_JS, seconds)
            out = dict(page.evaluate("window.__fb.dragStop()"))
            if moves is None:
                return {}
        else:
            page.mouse.move(g["x"], g["y"])
            page.mouse.down()
            t0, moves, frac = time.perf_counter(), 0, 0.0
            while frac < 1.0:
                frac = min(1.0, (time.perf_counter() - t0) / seconds)
                page.mouse.move(g["x"] + (g["end"] - g["x"]) * frac, g["y"])
                moves += 1
            out = dict(page.evaluate("window.__fb.dragStop()"))
            page.mouse.up()
        wait_idle(page, timeout_s)
        out["moves"] = moves
        out["range"] = f"{g['value']:g} to {g['max']:g}"
        out["value_after"] = slider.get_attribute("aria-valuenow") or slider.input_value()
        return out
    finally:
        ctx.close()


def _press_until_readout_changes(page: Any, key: str, unchanged: list[float], tries: int = 5) -> bool:
    """Press `key` until the readout changes (True) or `tries` presses changed nothing (False).

    A press counts as unchanged only once the run it caused has finished and the readout still reads the
    same; the clock then restarts at the next press (`keyRebase`), so a slow run is never cut short.
    """
    for _ in range(tries):
        page.keyboard.press(key)
        try:
            page.wait_for_function("window.__fb.key.paint !== null", timeout=1000)
            return True
        except Exception:  # noqa: BLE001 - Playwright's timeout: look again once the rerun is over
            wait_idle(page)
            if page.evaluate("window.__fb.key.changed !== null"):
                page.wait_for_function("window.__fb.key.paint !== null", timeout=5000)
                return True
            unchanged.append(1.0)
            page.evaluate("window.__fb.keyRebase()")
    return False


def keypress_series(browser: Any, urls: dict[str, str], n: int, *, key: str = "ArrowRight") -> dict[str, list[float]]:
    """ms from a key press on the hip control to the first frame showing the new readout, per server.

    One fresh context per server, all open at once; the presses alternate between them (order flipped
    every round), each sent once the previous one's rerun has finished. A one-step move can leave a length
    rounded to 0.1 cm as it was: such a press is counted in `<name> unchanged` and the next press is timed
    instead; five presses without a change add NaN to `<name> failed`.
    """
    pages: dict[str, tuple[Any, Any]] = {}
    out: dict[str, list[float]] = {name: [] for name in urls}
    try:
        for name, url in urls.items():
            ctx, page = new_page(browser, url)
            pages[name] = (ctx, page)
            page.goto(url, wait_until="commit", timeout=30_000)
            page.get_by_role("slider", name=HIP).first.wait_for(timeout=30_000)
            page.wait_for_function("window.__fb.readout() !== ''", timeout=30_000)
            wait_idle(page)
            page.get_by_role("slider", name=HIP).first.focus()
        names = list(urls)
        for i in range(n):
            for name in names if i % 2 == 0 else names[::-1]:
                page = pages[name][1]
                page.evaluate("(k) => window.__fb.keyArm(k)", key)
                if _press_until_readout_changes(page, key, out.setdefault(f"{name} unchanged", [])):
                    k = page.evaluate("window.__fb.key")
                    out[name].append(float(k["paint"]) - float(k["t0"]))
                else:
                    out.setdefault(f"{name} failed", []).append(math.nan)
                wait_idle(page)
    finally:
        for ctx, _ in pages.values():
            ctx.close()
    return out
