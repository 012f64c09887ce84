// On a narrow screen the sidebar lies over the page, so a page chosen in it would open underneath it. Streamlit
// closes the sidebar after a choice only when the browser's user agent says "mobile" (ua-parser): a phone in
// desktop mode, a narrow window or a tablet keeps it open over the new page. This closes it there, with
// Streamlit's own close button, after Streamlit's click handler has run (which may have closed it already).
// Served as a file (web/bidi.py, psoas_explorer/web/sidebar.py); it installs one listener per window.
const NARROW = "(max-width: 767.98px)"; // Streamlit's md breakpoint: below it the sidebar overlays the page
const CHOICES = '[data-testid="stSidebarNav"] a, [data-testid="stSidebarUserContent"] a[data-testid="stPageLink-NavLink"]';

function closeAfterChoice(ev) {
  const link = ev.target instanceof Element ? ev.target.closest(CHOICES) : null;
  if (!link || !window.matchMedia(NARROW).matches) return;
  setTimeout(() => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (bar && close && bar.getAttribute("data-collapsed") === "false") close.click();
  }, 0);
}

export default function () {
  if (window.__psoasSidebarClose) return;
  window.__psoasSidebarClose = true;
  // bubbling on the document: after React's own handler on its root
  document.addEventListener("click", closeAfterChoice);
}
