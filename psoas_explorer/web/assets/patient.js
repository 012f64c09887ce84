// The patient's view of a plan (psoas_explorer/web/patient.py): three mounts of this one module, by data.mode.
//   "follow": the Start button, and the follow-along it opens: one technique at a time in large type, the
//             current step, a hold timer counting down in the browser (no server round trip per tick), the
//             repetition and side, Pause/Resume, Skip and Stop, and the technique's stop signs always in sight.
//             It keeps the screen awake where the browser allows (navigator.wakeLock) and announces repetitions,
//             sides and techniques in an aria-live region (never every second).
//   "print":  a Print button (window.print()).
//   "log":    "Done today" with a 0-10 pain score, kept ONLY in this browser's localStorage. Nothing here is
//             ever handed back to Python: this module calls neither setStateValue nor setTriggerValue.
// Text arrives as data and goes into the page with textContent, never as HTML. Served as a file (web/bidi.py):
// the Content-Security-Policy allows no blob: or inline scripts.
// Test hooks: the follow-along's root has data-remaining (whole seconds left of the hold on show).

// Words a visitor reads come in the page's language: data.t maps each English message (patient.py SCRIPT_TEXTS) to
// its translation, and is not sent in English. T fills a message's {named} placeholders after translating it.
let TEXTS = {};
let LANG; // the page's language for dates (the log's data says it), else the browser's
function T(message, values) {
  let out = TEXTS[message] || message;
  for (const [k, v] of Object.entries(values || {})) out = out.split("{" + k + "}").join(String(v));
  return out;
}

const LOG_KEY = "psoas_explorer.log.v1"; // [{day: "YYYY-MM-DD", pain: 0..10}], one entry per day
const TICK_MS = 200;

function el(tag, attrs, parent) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (k === "onclick") node.addEventListener("click", v);
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

function button(label, cls, onclick, parent) {
  return el("button", { type: "button", class: "psoas-p-btn " + (cls || ""), text: label, onclick }, parent);
}

function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

// --- follow along ---------------------------------------------------------------------------------------------

function roundsOf(t) {
  // Side, then set, then repetition; a technique without a hold is counted by set (its repetitions in one go).
  const sides = t.sides.length ? t.sides : [""];
  const out = [];
  for (const side of sides) {
    for (let s = 1; s <= t.sets; s++) {
      const reps = t.hold ? t.reps : 0;
      for (let r = reps ? 1 : 0; r <= reps; r++) {
        const parts = [];
        if (t.sets > 1) parts.push(T("Set {n} of {total}", { n: s, total: t.sets }));
        if (r) parts.push(T("Repetition {n} of {total}", { n: r, total: t.reps }));
        else if (t.reps) parts.push(T(t.reps === 1 ? "{n} repetition" : "{n} repetitions", { n: t.reps }));
        if (side) parts.push(side);
        out.push(parts.join(" · "));
      }
    }
  }
  return out;
}

class Follow {
  constructor(root, d) {
    this.root = root;
    this.d = d;
    this.startButton = button(T("Start"), "psoas-p-primary psoas-p-start", () => this.open(), root);
    this.startButton.setAttribute("aria-haspopup", "dialog");
    this.lock = null;
    this.onVisible = () => {
      if (document.visibilityState === "visible" && this.panel) this.wake();
    };
    document.addEventListener("visibilitychange", this.onVisible);
  }

  update(d) {
    this.d = d;
  }

  open() {
    if (this.panel || !this.d.techniques.length) return;
    this.panel = el("div", { class: "psoas-p-follow", role: "dialog", "aria-modal": "true" }, this.root);
    this.panel.setAttribute("aria-labelledby", "psoas-p-name");
    const head = el("div", { class: "psoas-p-head" }, this.panel);
    this.count = el("p", { class: "psoas-p-count" }, head);
    button(T("Stop"), "psoas-p-stop", () => this.close(), head);
    this.body = el("div", { class: "psoas-p-body" }, this.panel);
    const foot = el("div", { class: "psoas-p-foot" }, this.panel);
    this.stopTitle = el("p", { class: "psoas-p-stoptitle", text: this.d.stopHeading + ":" }, foot);
    this.stopList = el("ul", {}, foot);
    this.live = el("p", { class: "psoas-p-sr", "aria-live": "polite", "aria-atomic": "true" }, this.panel);
    this.wake();
    this.show(0);
  }

  close() {
    this.halt();
    this.release();
    if (this.panel) this.panel.remove();
    this.panel = null;
    this.startButton.focus();
  }

  wake() {
    // Keep the screen on while the plan is followed, where the browser allows it (not everywhere: no error).
    if (!navigator.wakeLock || this.lock) return;
    navigator.wakeLock
      .request("screen")
      .then((lock) => {
        this.lock = lock;
        lock.addEventListener("release", () => (this.lock = null));
      })
      .catch(() => {});
  }

  release() {
    if (this.lock) this.lock.release().catch(() => {});
    this.lock = null;
  }

  say(text) {
    this.live.textContent = text;
  }

  show(i) {
    this.halt();
    const ts = this.d.techniques;
    this.i = i;
    const t = ts[i];
    this.t = t;
    this.step = 0;
    this.rounds = roundsOf(t);
    this.round = 0;
    this.count.textContent = T("Technique {n} of {total}", { n: i + 1, total: ts.length });
    this.body.replaceChildren();
    const name = el("h2", { id: "psoas-p-name", class: "psoas-p-name", text: t.name, tabindex: "-1" }, this.body);
    el("p", { class: "psoas-p-dose", text: t.dose }, this.body);
    const step = el("section", { class: "psoas-p-step", "aria-label": T("Step") }, this.body);
    this.stepCount = el("p", { class: "psoas-p-stepcount" }, step);
    this.stepText = el("p", { class: "psoas-p-steptext" }, step);
    const nav = el("div", { class: "psoas-p-row" }, step);
    this.prevStep = button(T("Previous step"), "", () => this.goStep(-1), nav);
    this.nextStep = button(T("Next step"), "", () => this.goStep(1), nav);
    const timer = el("section", { class: "psoas-p-timer", "aria-label": T("Timer") }, this.body);
    this.roundText = el("p", { class: "psoas-p-round" }, timer);
    this.clock = el("p", { class: "psoas-p-clock", role: "timer" }, timer);
    const controls = el("div", { class: "psoas-p-row" }, timer);
    this.main = button("", "psoas-p-primary", () => this.primary(), controls);
    button(T(i + 1 < ts.length ? "Skip" : "Skip to the end"), "", () => this.next(true), controls);
    this.stopList.replaceChildren(...t.stop.map((s) => el("li", { text: s })));
    this.goStep(0);
    this.ready();
    const first = this.rounds[0] || "";
    this.say(T("Technique {n} of {total}: {name}. {round}", { n: i + 1, total: ts.length, name: t.name, round: first }));
    name.focus({ preventScroll: true });
  }

  goStep(by) {
    const n = this.t.steps.length;
    this.step = Math.max(0, Math.min(n - 1, this.step + by));
    this.stepCount.textContent = T("Step {n} of {total}", { n: this.step + 1, total: n });
    this.stepText.textContent = this.t.steps[this.step];
    this.prevStep.disabled = this.step === 0;
    this.nextStep.disabled = this.step === n - 1;
  }

  ready() {
    // The round on show, waiting to be started: the full hold on the clock.
    const t = this.t;
    this.running = false;
    this.left = t.hold * 1000;
    this.roundText.textContent = this.rounds[this.round] || "";
    this.clock.hidden = !t.hold;
    this.clock.textContent = clock(t.hold);
    this.panel.setAttribute("data-remaining", String(t.hold));
    if (!this.rounds.length) this.main.textContent = T(this.i + 1 < this.d.techniques.length ? "Next technique" : "Finish");
    else this.main.textContent = T(t.hold ? "Start the hold" : "Done");
  }

  primary() {
    if (!this.rounds.length) return this.next(false);
    if (!this.t.hold) return this.roundDone();
    if (this.running) return this.pause();
    this.run();
  }

  run() {
    const resumed = this.left < this.t.hold * 1000;
    this.running = true;
    this.ends = Date.now() + this.left;
    this.main.textContent = T("Pause");
    this.timer = setInterval(() => this.tick(), TICK_MS);
    if (resumed) this.say(T("Resumed."));
  }

  pause() {
    this.halt();
    this.main.textContent = T("Resume");
    const secs = Math.ceil(this.left / 1000);
    this.say(T(secs === 1 ? "Paused with {n} second left." : "Paused with {n} seconds left.", { n: secs }));
  }

  halt() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) this.left = Math.max(0, this.ends - Date.now());
    this.running = false;
  }

  tick() {
    const left = Math.max(0, this.ends - Date.now());
    const secs = Math.ceil(left / 1000);
    this.clock.textContent = clock(left / 1000);
    this.panel.setAttribute("data-remaining", String(secs));
    if (left <= 0) {
      this.halt();
      this.roundDone();
    }
  }

  roundDone() {
    const done = this.rounds[this.round] || "";
    this.round += 1;
    if (this.round < this.rounds.length) {
      this.ready();
      const next = this.rounds[this.round];
      this.say(done ? T("{round} done. Next: {next}.", { round: done, next }) : T("Next: {next}.", { next }));
      return;
    }
    this.roundText.textContent = T("All done for {name}.", { name: this.t.name });
    this.clock.hidden = true;
    this.main.textContent = T(this.i + 1 < this.d.techniques.length ? "Next technique" : "Finish");
    this.rounds = [];
    this.say(T("{name} done.", { name: this.t.name }));
  }

  next(skipped) {
    if (this.i + 1 < this.d.techniques.length) return this.show(this.i + 1);
    this.halt();
    this.count.textContent = T("The end of your plan");
    this.body.replaceChildren();
    el("h2", { id: "psoas-p-name", class: "psoas-p-name", text: T("Well done"), tabindex: "-1" }, this.body).focus();
    const words = T(skipped ? "You reached the end of your plan." : "That was the whole plan.");
    const tick = T(skipped ? "You reached the end of your plan. Tick it under “{log}” below." : "That was the whole plan. Tick it under “{log}” below.", { log: T("Done today") });
    el("p", { class: "psoas-p-steptext", text: tick }, this.body);
    button(T("Back to the plan"), "psoas-p-primary", () => this.close(), this.body);
    this.say(words);
  }

  destroy() {
    this.halt();
    this.release();
    document.removeEventListener("visibilitychange", this.onVisible);
  }
}

// --- the log (this browser only) ------------------------------------------------------------------------------

function today() {
  const n = new Date();
  return n.getFullYear() + "-" + String(n.getMonth() + 1).padStart(2, "0") + "-" + String(n.getDate()).padStart(2, "0");
}

function readLog() {
  try {
    const v = JSON.parse(localStorage.getItem(LOG_KEY) || "[]");
    return Array.isArray(v) ? v.filter((e) => e && /^\d{4}-\d\d-\d\d$/.test(e.day) && e.pain >= 0 && e.pain <= 10) : [];
  } catch (err) {
    return [];
  }
}

function writeLog(entries) {
  try {
    if (entries.length) localStorage.setItem(LOG_KEY, JSON.stringify(entries));
    else localStorage.removeItem(LOG_KEY);
    return true;
  } catch (err) {
    return false; // storage refused (private mode, full): the note below says so
  }
}

function longDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(LANG, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  });
}

class Log {
  constructor(root, d) {
    this.root = root;
    const box = el("div", { class: "psoas-p-log" }, root);
    el("h2", { text: d.heading }, box);
    el("p", { class: "psoas-p-note", text: d.note }, box);
    const form = el("fieldset", { class: "psoas-p-pain" }, box);
    el("legend", { text: T("Pain today, from 0 (none) to 10 (the worst you can imagine)") }, form);
    const row = el("div", { class: "psoas-p-scores" }, form);
    this.scores = [];
    for (let n = 0; n <= 10; n++) {
      const label = el("label", { class: "psoas-p-score" }, row);
      const input = el("input", { type: "radio", name: "psoas-p-pain", value: String(n) }, label);
      el("span", { text: String(n) }, label);
      this.scores.push(input);
    }
    const actions = el("div", { class: "psoas-p-row" }, box);
    button(T("Done today"), "psoas-p-primary", () => this.tick(), actions);
    this.undo = button(T("Undo today"), "", () => this.untick(), actions);
    this.status = el("p", { class: "psoas-p-status", role: "status" }, box);
    this.table = el("table", { class: "psoas-p-table" }, box);
    const tools = el("div", { class: "psoas-p-row psoas-p-noprint" }, box);
    this.printButton = button(T("Print my log"), "", () => printLog(), tools);
    this.erase = button(T("Erase my log"), "", () => this.confirm(true), tools);
    this.ask = el("div", { class: "psoas-p-confirm", role: "group", "aria-label": T("Erase my log?") }, box);
    el("p", { text: T("Erase every day of your log from this browser? This cannot be undone.") }, this.ask);
    const yesNo = el("div", { class: "psoas-p-row" }, this.ask);
    button(T("Yes, erase it"), "psoas-p-danger", () => this.wipe(), yesNo);
    this.keep = button(T("Keep it"), "", () => this.confirm(false), yesNo);
    this.ask.hidden = true;
    this.draw();
  }

  chosen() {
    const on = this.scores.find((s) => s.checked);
    return on ? Number(on.value) : null;
  }

  tick() {
    const pain = this.chosen();
    if (pain === null) {
      this.status.textContent = T("Choose your pain score from 0 to 10 first.");
      return;
    }
    const day = today();
    const entries = readLog().filter((e) => e.day !== day);
    entries.push({ day, pain });
    entries.sort((a, b) => (a.day < b.day ? -1 : 1));
    const kept = writeLog(entries);
    this.status.textContent = kept
      ? T("Done today, pain {pain} out of 10: kept in this browser.", { pain })
      : T("This browser would not keep it (private browsing or storage full).");
    this.draw();
  }

  untick() {
    const day = today();
    writeLog(readLog().filter((e) => e.day !== day));
    this.scores.forEach((s) => (s.checked = false));
    this.status.textContent = T("Today's tick is taken off.");
    this.draw();
  }

  confirm(show) {
    this.ask.hidden = !show;
    (show ? this.keep : this.erase).focus();
  }

  wipe() {
    writeLog([]);
    this.ask.hidden = true;
    this.scores.forEach((s) => (s.checked = false));
    this.status.textContent = T("Your log is erased from this browser.");
    this.draw();
    this.erase.focus();
  }

  draw() {
    const entries = readLog();
    const mine = entries.find((e) => e.day === today());
    this.undo.hidden = !mine;
    if (mine) this.scores[mine.pain].checked = true;
    this.table.replaceChildren();
    el("caption", { text: T(entries.length ? "Your log: days done and pain scores" : "Your log is empty.") }, this.table);
    this.printButton.disabled = this.erase.disabled = !entries.length;
    if (!entries.length) return;
    const head = el("tr", {}, el("thead", {}, this.table));
    el("th", { scope: "col", text: T("Day") }, head);
    el("th", { scope: "col", text: T("Pain (0–10)") }, head);
    const body = el("tbody", {}, this.table);
    for (const e of entries.slice().reverse()) {
      const tr = el("tr", {}, body);
      el("th", { scope: "row", text: longDay(e.day) }, tr);
      el("td", { text: String(e.pain) }, tr);
    }
  }
}

function printLog() {
  // Only the log on paper: the page's print style hides the rest while body has this class.
  document.body.classList.add("psoas-print-log");
  const done = () => {
    document.body.classList.remove("psoas-print-log");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}

export default function (component) {
  const { data, parentElement } = component;
  const d = typeof data === "string" ? JSON.parse(data) : data;
  TEXTS = d.t || {};
  if (d.lang) LANG = d.lang;
  let root = parentElement.querySelector(":scope > .psoas-p-root");
  if (!root) root = el("div", { class: "psoas-p-root", "data-mode": d.mode }, parentElement);
  if (root.__psoas) {
    if (root.__psoas.update) root.__psoas.update(d);
  } else if (d.mode === "follow") root.__psoas = new Follow(root, d);
  else if (d.mode === "log") root.__psoas = new Log(root, d);
  else root.__psoas = { print: button(d.label || T("Print"), "", () => window.print(), root) };
  return () => {
    // Unmounted (another page): stop the timer, let the screen sleep, forget the DOM.
    const s = root.__psoas;
    if (s && s.destroy) s.destroy();
    root.__psoas = null;
    root.remove();
  };
}
