// On a narrow screen the sidebar lies over the page, so a page chosen in it would open underneath it. Streamlit
// closes the sidebar after a choice only when the browser's user agent says "mobile" (ua-parser): a phone in
// desktop mode, a narrow window or a tablet keeps it open over the new page. This closes it there, with
// Streamlit's own close button, after Streamlit's handlers have run (which may have closed it already).
// A choice: a page link in the sidebar, or the sidebar's search (its button, or Enter in its box), which opens
// the search page. Served as a file (web/bidi.py, psoas_explorer/web/sidebar.py); one listener per window.
const NARROW = "(max-width: 767.98px)"; // Streamlit's md breakpoint: below it the sidebar overlays the page
const SIDEBAR = '[data-testid="stSidebar"]';
const LINKS = '[data-testid="stSidebarNav"] a, [data-testid="stPageLink-NavLink"], .st-key-side_search button';
const SEARCH_BOX = ".st-key-side_search input";

function closeSoon() {
  setTimeout(() => {
    const bar = document.querySelector(SIDEBAR);
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (bar && close && bar.getAttribute("data-collapsed") === "false") close.click();
  }, 0);
}

function chosen(ev) {
  const target = ev.target instanceof Element ? ev.target : null;
  if (!target || !target.closest(SIDEBAR) || !window.matchMedia(NARROW).matches) return;
  if (ev.type === "click" ? target.closest(LINKS) : ev.key === "Enter" && target.matches(SEARCH_BOX)) closeSoon();
}

export default function () {
  if (window.__psoasSidebarClose) return;
  window.__psoasSidebarClose = true;
  // bubbling on the document: after React's own handlers on its root
  document.addEventListener("click", chosen);
  document.addEventListener("keydown", chosen);
}
