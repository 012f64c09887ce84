// The anatomy diagram and the length chart, drawn with the vendored plotly.js core (static/plotly/),
// loaded from this app's own server. One module serves both mounts: data.mode is "diagram" or "chart".
// Streamlit calls the default export again whenever the data changes, with the same parentElement, so the
// DOM and the Plotly graph are built once and updated in place (state is kept on the root element).
//
// The diagram: a native range input (label "Hip flexion", aria-valuetext "30 degrees") animates the
// drawing in the browser by blending precomputed poses (data.poses, every 10 degrees) on each animation
// frame, with no server round trip; on release (change event) the angle goes back to Python as a trigger
// and the server's exact figure replaces the blend. 2D frames edit the SVG; 3D frames are one restyle each
// (blended lines and markers, the femur mesh turned about the hip centre), one at a time, the latest angle
// drawn next (software WebGL managed ~6 a second in headless Chromium).
// Zoom and pan only through explicit buttons: dragmode is off, so a swipe over the drawing scrolls the page.
// In 3D a mouse drag turns the model and the wheel zooms it; a touch turns it (one finger) and zooms it (pinch)
// only while "Move" is pressed, otherwise a swipe scrolls the page (guardTouches). The hint under the control
// says which, for the visitor's pointer (gestureHint); Reset puts the camera back.
// A click or tap on a landmark marker sends its id (customdata) as the "landmark" trigger.
// First paint: the page's Markdown image of the same figure (web/anatomy.py, drawn by anatomy/svg.py) lies in
// the drawing's box until Plotly has drawn there (sharePicture); without it (3D, later runs) a short note shows.
// Test and benchmark hooks: the root gets data-painted="1" once a drawing (the page's picture or Plotly's) is on screen,
// data-drawn="1" once Plotly has drawn, data-angle = the angle drawn, and window.__psoasFrames counts the
// redraws made while the control moves (2D and 3D).

const HIP_EVENT = "psoas-hip"; // window event: the diagram's live angle, for the length chart's marker

function appBase() {
  // Streamlit's own entry script was loaded from <base>/static/js/index.*.js (behind a path prefix too).
  const own = document.querySelector('script[src*="/static/js/index."]');
  if (own && own.src) return own.src.replace(/static\/js\/index\.[^/]*$/, "");
  return new URL("./", window.location.href).href;
}

function loadBundle(name, file) {
  const cache = (window.__psoasPlotly = window.__psoasPlotly || {});
  if (!cache[name]) {
    cache[name] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = appBase() + "app/static/plotly/" + file;
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("Could not load " + script.src));
      document.head.appendChild(script);
    });
  }
  return cache[name];
}

function plotlyFor(bundle, files) {
  // The gl3d bundle also draws scatter plots: once it is here, 2D drawings use it too (no second download).
  const cache = window.__psoasPlotly || {};
  if (bundle === "scatter" && cache.gl3d) return cache.gl3d;
  return loadBundle(bundle, files[bundle]);
}

function el(tag, attrs, parent) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

// Words a visitor reads come in the page's language: data.t maps each English message (diagram.py SCRIPT_TEXTS) to
// its translation, and is not sent in English. T fills a message's {named} placeholders after translating it.
let TEXTS = {};
// The language's decimal sign (data.decimal, sent only where it is not "."): Spanish writes 23,4 cm.
let DECIMAL = ".";
function cm(v) {
  return v.toFixed(1).replace(".", DECIMAL);
}
function T(message, values) {
  let out = TEXTS[message] || message;
  for (const [k, v] of Object.entries(values || {})) out = out.split("{" + k + "}").join(String(v));
  return out;
}

function degrees(a) {
  return T(Math.abs(a) === 1 ? "{n} degree" : "{n} degrees", { n: a });
}

function lengthAt(d, angle) {
  const i = Math.round(angle) - d.min;
  return d.lengths[Math.max(0, Math.min(d.lengths.length - 1, i))];
}

function readoutText(d, angle) {
  const now = lengthAt(d, angle);
  const diff = now - d.standing;
  const pct = Math.round((100 * diff) / d.standing);
  const sign = (v) => (v > 0 ? "+" : v < 0 ? "\u2212" : "\u00b1");
  return {
    value: cm(now) + " cm",
    delta: T("{percent}% vs standing ({cm} cm)", { percent: sign(pct) + Math.abs(pct), cm: sign(diff) + cm(Math.abs(diff)) }),
  };
}

// --- poses -----------------------------------------------------------------------------------

function lerp(a, b, t) {
  const out = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] === null || b[i] === null ? null : a[i] + (b[i] - a[i]) * t;
  return out;
}

function poseAt(angles, tr, angle, axes) {
  // The trace's columns (one per axis) blended for this angle; a trace whose point count changes between
  // the two poses snaps to the nearer one.
  const n = angles.length;
  const step = angles[1] - angles[0];
  let f = (angle - angles[0]) / step;
  let i = Math.max(0, Math.min(n - 2, Math.floor(f)));
  const t = Math.max(0, Math.min(1, f - i));
  if (axes.some((a) => tr[a][i].length !== tr[a][i + 1].length)) {
    const k = t < 0.5 ? i : i + 1;
    return axes.map((a) => tr[a][k]);
  }
  return axes.map((a) => lerp(tr[a][i], tr[a][i + 1], t));
}

function numbers(col) {
  // A figure column as numbers: a plain list, or the base64 typed array plotly.py sends ({dtype, bdata}).
  if (!col || !col.bdata) return Float64Array.from(col || []);
  const bytes = Uint8Array.from(atob(col.bdata), (c) => c.charCodeAt(0));
  const kinds = { f4: Float32Array, f8: Float64Array, i4: Int32Array, u4: Uint32Array, i2: Int16Array, u2: Uint16Array };
  return Float64Array.from(new (kinds[col.dtype] || Float32Array)(bytes.buffer));
}

function turned(base, pivot, degreesBy) {
  // The drawn femur mesh turned rigidly by degreesBy (animation.femur_pivot): hip flexion is a turn in the
  // plot's (y, z) plane about the hip centre; x does not change.
  const [a, b] = pivot.axes, [cy, cz] = pivot.centre;
  const r = (pivot.sign * degreesBy * Math.PI) / 180, c = Math.cos(r), sn = Math.sin(r);
  const ys = base[a], zs = base[b], n = ys.length;
  const y = new Float32Array(n), z = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const dy = ys[i] - cy, dz = zs[i] - cz;
    y[i] = cy + c * dy - sn * dz;
    z[i] = cz + sn * dy + c * dz;
  }
  return { [a]: y, [b]: z };
}

// --- sizing ----------------------------------------------------------------------------------

function fitSize(layout, width, is3d, above) {
  // Keep the drawing's proportions (its view box) and let it grow with the container, up to the screen's
  // height less the hip control above it: big on a wall screen, and on a phone the control and the whole
  // drawing fit on one screen together.
  const m = layout.margin || { l: 0, r: 0, t: 0, b: 0 };
  const header = 64; // Streamlit's top bar overlaps the top of the page
  const cap = Math.max(260, Math.round(window.innerHeight - (above || 0) - header - 12));
  let ratio = 1.05;
  if (!is3d && layout.xaxis && layout.yaxis && layout.xaxis.range && layout.yaxis.range) {
    const [x0, x1] = layout.xaxis.range;
    const [y0, y1] = layout.yaxis.range;
    ratio = Math.abs(y1 - y0) / Math.abs(x1 - x0);
  }
  const plotW = Math.max(100, width - (m.l || 0) - (m.r || 0));
  const height = Math.min(cap, Math.round(plotW * ratio + (m.t || 0) + (m.b || 0)));
  return { width: Math.round(width), height: Math.max(260, height) };
}

const NARROW_SHOWN = ["compact", "compact_leaders"]; // anatomy/labels.py NARROW_SHOWN, NARROW_HIDDEN
const NARROW_HIDDEN = ["text", "leaders", "names", "names_leaders"];

function narrowed(wide, width, above) {
  // Consult mode names the layers in margins beside the drawing (anatomy/labels.py): room a wide screen has to
  // spare, since there the screen's height limits the drawing. Where the width limits it (a phone), the margins
  // and the 16 px labels placed for them would make the drawing smaller: there the names go (the legend names
  // the layers), the labels are those placed for a phone (the hidden "compact" pair) and the x range is the
  // drawing's own, as labels.narrow does for the first paint. Returns the figure to draw: the one sent, or a
  // narrowed copy (marked narrow).
  const scene = wide.layout.scene;
  if (scene && scene.annotations && scene.annotations.length) {
    // 3D: the names stand 150 px beside their points; on a phone they would leave the screen (the legend names them)
    if (width >= 640) return wide;
    const layout = Object.assign({}, wide.layout, { scene: Object.assign({}, scene, { annotations: [] }) });
    return { data: wide.data, layout, narrow: true };
  }
  const compact = wide.data.find((t) => t.meta && t.meta.part === "compact");
  if (!compact || !wide.layout.xaxis || !wide.layout.yaxis) return wide;
  const size = fitSize(wide.layout, width, false, above);
  const m = wide.layout.margin || {};
  const [x0, x1] = wide.layout.xaxis.range, [y0, y1] = wide.layout.yaxis.range;
  const byWidth = (size.width - (m.l || 0) - (m.r || 0)) / Math.abs(x1 - x0);
  const byHeight = (size.height - (m.t || 0) - (m.b || 0)) / Math.abs(y1 - y0);
  if (byHeight < 0.99 * byWidth) return wide; // the height limits the drawing: the margins are room to spare
  const xaxis = Object.assign({}, wide.layout.xaxis, { range: [compact.meta.narrow_x0, compact.meta.narrow_x1] });
  const part = (t) => (t.meta && t.meta.layer === "labels" ? t.meta.part : "");
  const data = wide.data.map((t) => {
    if (NARROW_SHOWN.includes(part(t))) return Object.assign({}, t, { visible: true });
    return NARROW_HIDDEN.includes(part(t)) ? Object.assign({}, t, { visible: false }) : t;
  });
  return { data, layout: Object.assign({}, wide.layout, { xaxis }), narrow: true };
}

// --- the first paint -------------------------------------------------------------------------

function showFirstPaint(root, s, d) {
  // Until Plotly has drawn and no picture lies in the drawing's box (3D, a later run): a note while it loads.
  const u = s.ui;
  if (s.gd) return;
  let first = u.plot.querySelector(":scope > .pd-first");
  if (!first) first = el("div", { class: "pd-first" }, u.plot);
  first.textContent = "";
  el("p", { class: "pd-loading", text: T(d.view === "3d" ? "Loading the 3D model\u2026" : "Loading the drawing\u2026") }, first);
}

function sharePicture(root, s, size, drawn) {
  // The page's first paint, a Markdown image sent just before this component in one keyed container
  // (d.picture; web/anatomy.py), is laid over the drawing's box (diagram.css) at this script's size for it,
  // so Plotly draws where the picture is, and hidden once Plotly has drawn (``drawn``).
  const box = s.d.picture && root.closest(s.d.picture);
  if (!box) return;
  if (drawn) box.style.setProperty("--pd-first", "hidden");
  const top = s.ui.figure.getBoundingClientRect().top - box.getBoundingClientRect().top;
  box.style.setProperty("--pd-above", Math.round(top) + "px");
  box.style.setProperty("--pd-w", size.width + "px");
  box.style.setProperty("--pd-h", size.height + "px");
  const narrow = !!(s.d.figure && s.d.figure.narrow); // consult mode's two pictures: the one drawn here
  box.style.setProperty("--pd-wide", narrow ? "none" : "block");
  box.style.setProperty("--pd-narrow", narrow ? "block" : "none");
  if (!s.gd && box.querySelector(":scope > :first-child img")) root.setAttribute("data-painted", "1");
}

function dropFirstPaint(u) {
  const first = u.plot.querySelector(":scope > .pd-first");
  if (first) first.remove();
}

// --- the diagram -----------------------------------------------------------------------------

function buildDiagram(root, d) {
  root.classList.add("psoas-diagram");
  root.setAttribute("data-drawn", "0");
  root.setAttribute("data-painted", "0");
  const control = el("div", { class: "pd-control" }, root);
  el("label", { class: "pd-label", for: "psoas-hip-flexion", text: T("Hip flexion") }, control);
  const input = el(
    "input",
    { type: "range", id: "psoas-hip-flexion", class: "pd-range", min: d.min, max: d.max, step: d.step },
    control,
  );
  const row = el("div", { class: "pd-row" }, control);
  const out = el("output", { class: "pd-readout", for: "psoas-hip-flexion", "aria-live": "polite" }, row);
  const angleText = el("span", { class: "pd-angle" }, out);
  const lengthBox = el("span", { class: "pd-length" }, out);
  el("span", { class: "pd-length-label", text: T("Psoas length") }, lengthBox);
  const value = el("span", { class: "pd-value" }, lengthBox);
  const delta = el("span", { class: "pd-delta" }, lengthBox);
  const tools = el("div", { class: "pd-tools", role: "group", "aria-label": T("Zoom the drawing") }, row);
  const tool = (text, label, extra) =>
    el("button", Object.assign({ type: "button", class: "pd-tool", "aria-label": label, title: label, text }, extra), tools);
  const buttons = {
    zoomIn: tool("+", T("Zoom in")),
    zoomOut: tool("\u2212", T("Zoom out")),
    pan: tool(T("Move"), T("Move the drawing by dragging"), { "aria-pressed": "false" }),
    reset: tool(T("Reset"), T("Show the whole drawing")),
  };
  const gesture = el("p", { class: "pd-gesture", hidden: "" }, control);
  const figure = el("div", { class: "pd-figure", role: "figure" }, root);
  const plot = el("div", { class: "pd-plot" }, figure);
  el("p", { class: "pd-hint", text: d.hint }, root);
  return { control, input, out, angleText, value, delta, tools, buttons, gesture, figure, plot };
}

function showAngle(s, angle) {
  const u = s.ui;
  u.input.setAttribute("aria-valuetext", degrees(angle));
  u.angleText.textContent = degrees(angle);
  const r = readoutText(s.d, angle);
  u.value.textContent = r.value;
  u.delta.textContent = r.delta;
  window.dispatchEvent(new CustomEvent(HIP_EVENT, { detail: { angle } }));
}

function segments(x, y, xa, ya) {
  // Pixel polylines of one trace, split at its null gaps (as Plotly splits them).
  const out = [];
  let cur = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] === null || y[i] === null) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push([xa.c2p(x[i]), ya.c2p(y[i])]);
  }
  if (cur.length) out.push(cur);
  return out;
}

const pathOf = (seg) => "M" + seg.map((p) => p[0].toFixed(2) + "," + p[1].toFixed(2)).join("L");

function moveTrace(group, segs, start) {
  // Move one drawn scatter trace to new points by editing its SVG: lines, fill, markers and their labels.
  const lines = group.querySelectorAll(".js-line");
  lines.forEach((path, k) => path.setAttribute("d", k < segs.length ? pathOf(segs[k]) : "M0,0"));
  if (lines.length && segs.length > lines.length) {
    lines[lines.length - 1].setAttribute("d", segs.slice(lines.length - 1).map(pathOf).join(""));
  }
  const fill = group.querySelector(".js-fill");
  if (fill) fill.setAttribute("d", segs.map((seg) => pathOf(seg) + "Z").join(""));
  const flat = segs.flat();
  group.querySelectorAll(".points path.point").forEach((pt, k) => {
    if (flat[k]) pt.setAttribute("transform", "translate(" + flat[k][0].toFixed(2) + "," + flat[k][1].toFixed(2) + ")");
  });
  // A label moves by CSS translate, on top of the transform Plotly gives its group (the text's offset beside its
  // point, and half its lines up: "middle"); replacing that attribute dropped it (issue 23's leaders through labels).
  group.querySelectorAll(".text .textpoint").forEach((t, k) => {
    if (flat[k] && start[k]) {
      const dx = flat[k][0] - start[k][0], dy = flat[k][1] - start[k][1];
      t.style.translate = dx.toFixed(2) + "px " + dy.toFixed(2) + "px";
    }
  });
}

function drawPose(s, angle) {
  // One animation frame: the moving traces blended for this angle, written straight into the SVG (a
  // Plotly restyle recomputes every trace and managed ~10 frames a second here); everything else stays.
  // The exact figure for the angle arrives from the server when the control is let go.
  const poses = s.d.poses;
  if (!s.gd || !s.P || !poses) return;
  if (s.is3d) return drawPose3d(s, angle);
  const full = s.gd._fullLayout;
  if (!full || !full.xaxis || !full.yaxis) return;
  let moved = false;
  s.gd.querySelectorAll(".scatterlayer > g.trace").forEach((group) => {
    const cd = group.__data__;
    const trace = cd && cd[0] && cd[0].trace;
    const key = trace && trace.meta && trace.meta.key;
    const tr = key && poses.traces[key];
    if (!tr) return;
    if (!group.__psoasStart) {
      // where Plotly drew the points: labels move by their points' offset from here
      group.__psoasStart = segments(trace.x, trace.y, full.xaxis, full.yaxis).flat();
    }
    const [x, y] = poseAt(poses.angles, tr, angle, ["x", "y"]);
    moveTrace(group, segments(x, y, full.xaxis, full.yaxis), group.__psoasStart);
    moved = true;
  });
  if (!moved) return;
  s.gd.closest(".psoas-diagram").setAttribute("data-angle", String(angle));
  window.__psoasFrames = (window.__psoasFrames || 0) + 1;
}

function prepare3d(s, fig) {
  // After Plotly drew the server's 3D figure: which traces move (their indices), and the femur mesh as drawn
  // (its vertices and angle), which every frame turns from.
  const poses = s.d.poses;
  s.three = null;
  if (!poses || !poses.femur) return;
  const lines = [];
  let femur = null;
  fig.data.forEach((t, i) => {
    const key = t.meta && t.meta.key;
    if (key && poses.traces[key]) lines.push({ index: i, tr: poses.traces[key] });
    else if (key === poses.femur.key) femur = { index: i, base: { x: numbers(t.x), y: numbers(t.y), z: numbers(t.z) } };
  });
  s.three = { lines, femur, angle: s.d.angle };
}

function drawPose3d(s, angle) {
  // One frame in 3D: the moving lines and markers blended for this angle and the femur mesh turned to it, in
  // ONE restyle (WebGL here may redraw only a few times a second). Never two at once: while one runs, the
  // control's latest angle waits and is drawn when it is done (schedule).
  const three = s.three, poses = s.d.poses;
  if (!three || (!three.femur && !three.lines.length)) return;
  const idx = [], xs = [], ys = [], zs = [];
  for (const m of three.lines) {
    const [x, y, z] = poseAt(poses.angles, m.tr, angle, ["x", "y", "z"]);
    idx.push(m.index);
    xs.push(x);
    ys.push(y);
    zs.push(z);
  }
  if (three.femur) {
    const t = turned(three.femur.base, poses.femur, angle - three.angle);
    idx.push(three.femur.index);
    xs.push(three.femur.base.x);
    ys.push(t.y || three.femur.base.y);
    zs.push(t.z || three.femur.base.z);
  }
  s.busy = true;
  const gd = s.gd;
  const done = () => {
    s.busy = false;
    if (s.gd !== gd) return;
    gd.closest(".psoas-diagram").setAttribute("data-angle", String(angle));
    window.__psoasFrames = (window.__psoasFrames || 0) + 1;
    // the control may have moved on while this frame was drawn
    schedule(s);
  };
  s.P.restyle(gd, { x: xs, y: ys, z: zs }, idx).then(done, (err) => {
    done();
    console.error(err);
  });
}

function schedule(s) {
  // a 3D frame still drawing schedules the next itself
  if (s.raf || s.busy) return;
  s.raf = window.requestAnimationFrame(() => {
    s.raf = 0;
    const angle = Number(s.ui.input.value);
    if (angle !== s.drawnAngle) {
      s.drawnAngle = angle;
      drawPose(s, angle);
    }
  });
}

function zoom(s, factor) {
  if (!s.gd) return;
  if (s.is3d) return setCamera(s, scaledCamera(sceneCamera(s), factor));
  const full = s.gd._fullLayout;
  const scale = (r) => {
    const c = (r[0] + r[1]) / 2, h = ((r[1] - r[0]) / 2) * factor;
    return [c - h, c + h];
  };
  s.P.relayout(s.gd, { "xaxis.range": scale(full.xaxis.range), "yaxis.range": scale(full.yaxis.range) });
}

function wireDiagram(root, s, setTriggerValue) {
  const u = s.ui;
  u.input.addEventListener("input", () => {
    s.moving = true;
    showAngle(s, Number(u.input.value));
    schedule(s);
  });
  u.input.addEventListener("change", () => {
    s.moving = false;
    const angle = Number(u.input.value);
    s.pending = angle;
    setTriggerValue("angle", angle);
  });
  u.buttons.zoomIn.addEventListener("click", () => zoom(s, 1 / 1.4));
  u.buttons.zoomOut.addEventListener("click", () => zoom(s, 1.4));
  u.buttons.pan.addEventListener("click", () => {
    const on = u.buttons.pan.getAttribute("aria-pressed") !== "true";
    u.buttons.pan.setAttribute("aria-pressed", String(on));
    root.classList.toggle("pd-grab", on);
    gestureHint(s);
    if (s.gd && !s.is3d) s.P.relayout(s.gd, { dragmode: on ? "pan" : false });
  });
  u.buttons.reset.addEventListener("click", () => {
    u.buttons.pan.setAttribute("aria-pressed", "false");
    root.classList.remove("pd-grab");
    gestureHint(s);
    if (!s.gd) return;
    if (s.is3d) return setCamera(s, structuredClone(s.d.figure.layout.scene.camera));
    const l = s.d.figure.layout;
    s.P.relayout(s.gd, { "xaxis.range": l.xaxis.range.slice(), "yaxis.range": l.yaxis.range.slice(), dragmode: false });
  });
  s.refit = () => {
    if (!s.gd || !s.P) {
      const size = fitSize(s.d.figure.layout, u.figure.clientWidth, s.d.view === "3d", u.control.offsetHeight);
      u.figure.style.minHeight = size.height + "px";
      sharePicture(root, s, size);
      return;
    }
    if (s.d.wide && !!narrowed(s.d.wide, u.figure.clientWidth, u.control.offsetHeight).narrow !== !!s.d.figure.narrow) {
      renderDiagram(root, s.d, s.setTriggerValue).catch(console.error); // the layers' names come or go
      return;
    }
    const size = fitSize(s.d.figure.layout, u.figure.clientWidth, s.is3d, u.control.offsetHeight);
    if (size.width !== s.size.width || size.height !== s.size.height) {
      s.size = size;
      u.figure.style.minHeight = size.height + "px";
      sharePicture(root, s, size);
      s.P.relayout(s.gd, size); // keeps a zoom or pan the visitor made
      if (!s.is3d) refitLabels(s, size);
    }
  };
  guardTouches(s);
  s.onResize = new ResizeObserver(s.refit);
  s.onResize.observe(u.figure);
  window.addEventListener("resize", s.refit);
  s.setTriggerValue = setTriggerValue;
}

function pxPerMm(layout, size) {
  // The scale Plotly will draw at: the plot area over the view box, equal aspect (the smaller of the two).
  const m = layout.margin || {};
  const xr = layout.xaxis && layout.xaxis.range, yr = layout.yaxis && layout.yaxis.range;
  if (!xr || !yr) return null;
  const w = size.width - (m.l || 0) - (m.r || 0), h = size.height - (m.t || 0) - (m.b || 0);
  return Math.min(w / Math.abs(xr[1] - xr[0]), h / Math.abs(yr[1] - yr[0]));
}

function fitLabels(fig, size) {
  // The labels were placed on the server for a design scale (meta.design_px_per_mm). Drawn smaller than
  // that (a laptop in consult mode), their type shrinks in proportion, so the layout stays the one placed
  // there and no two labels meet; drawn at or above it, they keep their size. Returns the data to draw.
  const scale = pxPerMm(fig.layout, size);
  return fig.data.map((t) => {
    const design = t.meta && t.meta.design_px_per_mm;
    if (!design || !scale || !t.textfont || !t.textfont.size) return t;
    const factor = Math.min(1, scale / design);
    if (factor >= 1) return t;
    const px = Math.max(9, Math.round(t.textfont.size * factor * 10) / 10);
    return Object.assign({}, t, { textfont: Object.assign({}, t.textfont, { size: px }) });
  });
}

function refitLabels(s, size) {
  // After a resize: the labels' type for the new scale, changed only where it differs.
  fitLabels(s.d.figure, size).forEach((t, i) => {
    const now = s.gd.data[i] && s.gd.data[i].textfont;
    if (t.textfont && now && t.textfont.size !== now.size) s.P.restyle(s.gd, { "textfont.size": t.textfont.size }, [i]);
  });
}

function layoutFor(s, fig, size) {
  // A deep copy: Plotly writes the ranges it settles on back into the layout's axis objects, and fitSize and
  // Reset must keep reading the figure's own view box (a shared object shrank the drawing on every refit).
  const layout = Object.assign(structuredClone(fig.layout), size, { autosize: false });
  if (!s.is3d) {
    const pan = s.ui.buttons.pan.getAttribute("aria-pressed") === "true";
    layout.dragmode = pan ? "pan" : false; // no drag on the drawing unless "Move" is pressed: swipes scroll
  }
  return layout;
}

function traces(s, fig, size) {
  // 3D: shallow copies, since a frame's restyle writes its columns into the traces Plotly was given, and the
  // server's figure must stay as sent (the femur turns from it).
  return s.is3d ? fig.data.map((t) => Object.assign({}, t)) : fitLabels(fig, size);
}

async function renderDiagram(root, d, setTriggerValue) {
  let s = root.__psoas;
  if (!s) {
    s = root.__psoas = { d, ui: buildDiagram(root, d), drawnAngle: null, pending: null, size: {} };
    wireDiagram(root, s, setTriggerValue);
  }
  s.d = d;
  s.setTriggerValue = setTriggerValue;
  const u = s.ui;
  u.figure.setAttribute("aria-label", d.alt);
  u.input.min = d.min;
  u.input.max = d.max;
  u.input.step = d.step;
  // A run the visitor's own release asked for arrives with that angle; one from elsewhere (a preset, a link)
  // moves the control, unless the visitor is moving it right now.
  if (s.pending !== null && d.angle === s.pending) s.pending = null;
  if (!s.moving && s.pending === null) u.input.value = String(d.angle);
  const shown = Number(u.input.value);
  showAngle(s, shown);
  const is3d = d.view === "3d";
  if (!d.wide) d.wide = d.figure; // as sent; d.figure is what is drawn (see narrowed)
  const fig = (d.figure = narrowed(d.wide, u.figure.clientWidth || root.clientWidth || 600, u.control.offsetHeight));
  let size = fitSize(fig.layout, u.figure.clientWidth || root.clientWidth || 600, is3d, u.control.offsetHeight);
  u.figure.style.minHeight = size.height + "px"; // the page keeps its layout while the bundle loads
  showFirstPaint(root, s, d);
  sharePicture(root, s, size);
  const P = await plotlyFor(is3d ? "gl3d" : "scatter", d.bundles);
  if (s.d !== d) return; // newer data arrived while the bundle loaded
  size = fitSize(fig.layout, u.figure.clientWidth || root.clientWidth || 600, is3d, u.control.offsetHeight);
  u.figure.style.minHeight = size.height + "px";
  sharePicture(root, s, size);
  // the wheel zooms the 3D scene for a mouse (as the hint says); it scrolls the page over a flat drawing
  const wheel = is3d && !window.matchMedia(COARSE).matches ? "gl3d" : false;
  const config = { displayModeBar: false, scrollZoom: wheel, doubleClick: false, showTips: false, responsive: false };
  if (s.gd && (s.P !== P || s.is3d !== is3d)) {
    s.P.purge(s.gd);
    s.gd.remove();
    s.gd = null;
  }
  s.is3d = is3d;
  root.classList.toggle("pd-grab", u.buttons.pan.getAttribute("aria-pressed") === "true");
  gestureHint(s);
  s.P = P;
  s.size = size;
  if (!s.gd) {
    const first = u.plot.querySelector(":scope > .pd-first");
    if (first) first.classList.add("pd-over"); // over Plotly's graph while it draws: one drawing on screen
    s.gd = el("div", { class: "pd-graph" }, u.plot);
    await P.newPlot(s.gd, traces(s, fig, size), layoutFor(s, fig, size), config);
    dropFirstPaint(u);
    // Plotly redrew (new figure, zoom, resize): what the frames moved is Plotly's again.
    s.gd.on("plotly_afterplot", () => {
      s.gd.querySelectorAll(".scatterlayer > g.trace").forEach((group) => {
        group.__psoasStart = null;
        group.querySelectorAll(".text .textpoint").forEach((t) => t.style.removeProperty("translate"));
      });
    });
    s.gd.on("plotly_click", (ev) => {
      const pt = ev && ev.points && ev.points[0];
      let id = pt && pt.customdata;
      if (Array.isArray(id)) id = id[0];
      if (typeof id === "string" && id) s.setTriggerValue("landmark", id);
    });
  } else {
    await P.react(s.gd, traces(s, fig, size), layoutFor(s, fig, size), config);
  }
  if (is3d) prepare3d(s, fig);
  s.drawnAngle = d.angle;
  root.setAttribute("data-angle", String(d.angle));
  if (shown !== d.angle) {
    s.drawnAngle = null;
    schedule(s); // the control is ahead of this run: show its pose
  }
  sharePicture(root, s, size, true);
  root.setAttribute("data-painted", "1");
  root.setAttribute("data-drawn", "1");
}

// --- 3D: touches, camera and the hint -----------------------------------------------------------

const COARSE = "(pointer: coarse)"; // the visitor's main pointer is a finger: the hint speaks of touch
const TOUCH = "(any-pointer: coarse)"; // a touch screen is there at all: "Move" is offered in 3D

function moveOn(s) {
  return s.ui.buttons.pan.getAttribute("aria-pressed") === "true";
}

function gestureHint(s) {
  // What turns and zooms the 3D model, for this visitor's pointer; in 2D the buttons say it themselves.
  const u = s.ui, is3d = s.d.view === "3d";
  u.buttons.pan.hidden = is3d && !window.matchMedia(TOUCH).matches; // a mouse turns the model without it
  // each name starts with the word on the button (a spoken command finds it)
  const names = is3d
    ? [T("Move: turn and zoom the model by touch"), T("Reset: the model as it started")]
    : [T("Move the drawing by dragging"), T("Show the whole drawing")];
  for (const [button, name] of [[u.buttons.pan, names[0]], [u.buttons.reset, names[1]]]) {
    button.setAttribute("aria-label", name);
    button.setAttribute("title", name);
  }
  u.gesture.hidden = !is3d;
  if (!is3d) return;
  if (!window.matchMedia(COARSE).matches) u.gesture.textContent = T("Drag to turn, scroll to zoom.");
  else if (moveOn(s)) u.gesture.textContent = T("Drag to turn, pinch to zoom. Press Move again to scroll the page.");
  else u.gesture.textContent = T("Press Move, then drag to turn, pinch to zoom.");
}

function sceneCamera(s) {
  // The camera as the visitor has turned it (Plotly writes a touch's turn back to the layout only later).
  const full = s.gd && s.gd._fullLayout && s.gd._fullLayout.scene;
  if (full && full._scene && full._scene.getCamera) return full._scene.getCamera();
  return structuredClone((s.gd.layout.scene && s.gd.layout.scene.camera) || s.d.figure.layout.scene.camera);
}

function scaledCamera(cam, factor) {
  // Closer (factor < 1) or further along the line from the centre to the eye, within sensible bounds.
  const c = cam.center || { x: 0, y: 0, z: 0 }, e = cam.eye;
  const d = Math.hypot(e.x - c.x, e.y - c.y, e.z - c.z) || 1;
  const f = Math.min(Math.max(factor, 0.3 / d), 8 / d);
  const eye = { x: c.x + (e.x - c.x) * f, y: c.y + (e.y - c.y) * f, z: c.z + (e.z - c.z) * f };
  return Object.assign({}, cam, { eye });
}

function setCamera(s, cam) {
  // One camera change at a time (software WebGL is slow): the latest asked for is drawn next.
  s.cameraNext = cam;
  if (s.cameraBusy || !s.gd) return;
  const gd = s.gd;
  const next = s.cameraNext;
  s.cameraNext = null;
  s.cameraBusy = true;
  const done = () => {
    s.cameraBusy = false;
    if (s.gd === gd && s.cameraNext) setCamera(s, s.cameraNext);
  };
  s.P.relayout(gd, { "scene.camera": next }).then(done, (err) => {
    done();
    console.error(err);
  });
}

function spread(touches) {
  return Math.hypot(touches[0].clientX - touches[1].clientX, touches[0].clientY - touches[1].clientY);
}

function guardTouches(s) {
  // Touches on the 3D scene reach Plotly's camera (which turns on any one-finger move and blocks scrolling)
  // only while "Move" is pressed; otherwise they stop here, and the browser scrolls the page (touch-action
  // pan-y) or turns a tap into a click on a marker. With Move on, two fingers zoom (pinch) instead of turning.
  const guard = (ev) => {
    if (!s.is3d) return;
    if (!moveOn(s)) {
      s.pinch = null;
      ev.stopPropagation();
      return;
    }
    const t = ev.touches;
    if (ev.type === "touchstart" && t.length === 2 && s.gd) s.pinch = { from: spread(t), camera: sceneCamera(s) };
    if (!s.pinch) return;
    if (t.length === 0) {
      s.pinch = null; // the last finger is up: Plotly's camera hears it and lets go
      return;
    }
    ev.stopPropagation();
    if (ev.type === "touchmove" && t.length >= 2) setCamera(s, scaledCamera(s.pinch.camera, s.pinch.from / Math.max(1, spread(t))));
  };
  for (const type of ["touchstart", "touchmove", "touchend", "touchcancel"]) {
    s.ui.figure.addEventListener(type, guard, { capture: true, passive: true });
  }
}

// --- the length chart --------------------------------------------------------------------------

async function renderChart(root, d) {
  let s = root.__psoas;
  if (!s) {
    root.classList.add("psoas-chart");
    root.setAttribute("data-drawn", "0");
    const figure = el("div", { class: "pc-figure", role: "figure" }, root);
    s = root.__psoas = { figure, d };
    s.onHip = (ev) => {
      if (!s.gd || !s.P) return;
      const angle = ev.detail.angle;
      const now = lengthAt(s.d, angle);
      s.P.restyle(s.gd, { x: [[angle]], y: [[now]], text: [[cm(now) + " cm"]] }, [s.nowIndex]);
    };
    window.addEventListener(HIP_EVENT, s.onHip);
  }
  s.d = d;
  s.figure.setAttribute("aria-label", d.alt);
  s.figure.style.minHeight = (d.figure.layout.height || 0) + "px"; // no layout shift while the bundle loads
  const P = await plotlyFor("scatter", d.bundles);
  if (s.d !== d) return;
  const layout = Object.assign(structuredClone(d.figure.layout), { width: Math.round(s.figure.clientWidth || 320), autosize: false });
  const config = { displayModeBar: false, scrollZoom: false, doubleClick: false, staticPlot: false };
  s.nowIndex = Math.max(0, d.figure.data.findIndex((t) => t.meta && t.meta.key === "length:now"));
  if (!s.gd) {
    s.P = P;
    s.gd = el("div", { class: "pc-graph" }, s.figure);
    layout.dragmode = false;
    await P.newPlot(s.gd, d.figure.data, layout, config);
    s.chartResize = new ResizeObserver(() => {
      const w = Math.round(s.figure.clientWidth);
      if (w && w !== s.width) {
        s.width = w;
        s.P.relayout(s.gd, { width: w });
      }
    });
    s.chartResize.observe(s.figure); // kept, so leaving the page disconnects it
  } else {
    layout.dragmode = false;
    await s.P.react(s.gd, d.figure.data, layout, config);
  }
  root.setAttribute("data-drawn", "1");
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const d = typeof data === "string" ? JSON.parse(data) : data;
  TEXTS = d.t || {};
  DECIMAL = d.decimal || ".";
  let root = parentElement.querySelector(":scope > .psoas-root");
  if (!root) {
    root = el("div", { class: "psoas-root" }, parentElement);
  }
  const run = d.mode === "chart" ? renderChart(root, d) : renderDiagram(root, d, setTriggerValue);
  run.catch((err) => {
    console.error(err);
    root.setAttribute("data-error", String(err && err.message ? err.message : err));
    const note = root.querySelector(".psoas-error") || el("p", { class: "psoas-error", role: "alert" }, root);
    note.textContent = T("The drawing could not be shown: {error}", { error: err && err.message ? err.message : err });
  });
  return () => {
    // Unmounted (another page): stop observing and free the graph.
    const s = root.__psoas;
    if (!s) return;
    if (s.onResize) s.onResize.disconnect();
    if (s.refit) window.removeEventListener("resize", s.refit);
    if (s.chartResize) s.chartResize.disconnect();
    if (s.onHip) window.removeEventListener(HIP_EVENT, s.onHip);
    if (s.gd && s.P) s.P.purge(s.gd);
    root.__psoas = null;
    root.remove();
  };
}
