// Streamlit serves every page as <html lang="en">; this sets the document's language to the page's (screen
// readers pick their voice by it, browsers their spell checker and translate offer). psoas_explorer/web/language.py
// mounts it on every page with the session's language; served as a file (web/bidi.py): the Content-Security-Policy
// allows no inline or blob: scripts.
export default function ({ data }) {
  const d = typeof data === "string" ? JSON.parse(data) : data;
  if (d && typeof d.lang === "string" && /^[a-z]{2}$/.test(d.lang)) document.documentElement.lang = d.lang;
}
