// A page that lost its server asks for a run once it is connected again (psoas_explorer/web/reconnect.py).
// Streamlit's frontend reconnects by itself, and behind a proxy the new websocket may reach another replica
// with a new, empty session; but it reruns only on the visitor's next action, so until then the page shows
// what the lost server drew (a "Download PDF" pointing at a file of a dead process). Streamlit writes its
// connection state on the app's root element; we watch that attribute change (no timer) and, after it left
// CONNECTED and came back, set a trigger: the rerun request carries the page and its query string, so the new
// session draws the same view from the link. The first connection happens before this script mounts, and an
// ordinary rerun does not touch the attribute, so neither asks; each drop asks once, so it cannot loop.
// Served as a file (web/bidi.py): the Content-Security-Policy allows no blob: scripts.
export default function ({ setTriggerValue }) {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return undefined;
  const ATTR = "data-test-connection-state";
  let dropped = app.getAttribute(ATTR) !== "CONNECTED";
  const observer = new MutationObserver(() => {
    if (app.getAttribute(ATTR) !== "CONNECTED") {
      dropped = true;
    } else if (dropped) {
      dropped = false;
      setTriggerValue("reconnected", true);
    }
  });
  observer.observe(app, { attributes: true, attributeFilter: [ATTR] });
  return () => observer.disconnect();
}
