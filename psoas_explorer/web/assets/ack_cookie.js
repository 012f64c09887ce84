// The safety warning's acknowledgement cookie (psoas_explorer/web/ack.py): written or deleted by the browser.
// The value and name arrive as data, never as HTML. The path is where the browser loaded Streamlit's own script
// from (<base path>/static/js/index.*.js, as diagram.js finds it), so the cookie follows the base path and any
// prefix a proxy strips. Served as a file (web/bidi.py): the Content-Security-Policy allows no blob: scripts.
export default function ({ data }) {
  const d = typeof data === "string" ? JSON.parse(data) : data;
  const own = document.querySelector('script[src*="/static/js/index."]');
  const base = own && own.src ? new URL(own.src).pathname.replace(/\/static\/js\/index\.[^/]*$/, "") : "";
  const attrs = "; Path=" + (base || "/") + "; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");
  document.cookie = d.name + "=" + d.value + attrs + (d.value ? "" : "; Max-Age=0");
}
