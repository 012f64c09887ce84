"""Every inline script the app puts in a page, as constants: the Content-Security-Policy allows each one by its
hash (psoas_explorer/web/headers.py), so a script added anywhere else is blocked in the browser and fails
tests/browser/test_csp.py. No streamlit import: the server entry (serve.py) reads these before Streamlit starts.
"""

# Constant script, run once right after "I understand": the browser keeps the scroll position of the long
# warning (the page's own URL is reopened, so Streamlit does not scroll), which would open the page halfway
# down its technique cards instead of at its heading and filters.
# It also moves keyboard focus to the page's heading (once it is drawn), so the next Tab reaches the page's
# own controls instead of starting again from the top of the document (15 Tabs to the first filter).
SCROLL_TO_TOP_JS = """<script>
(() => {
  const main = document.querySelector('[data-testid="stMain"]');
  main?.scrollTo(0, 0);
  let tries = 0;
  const focusHeading = () => {
    const h1 = main?.querySelector('h1');
    if (h1 && !/safety first|la seguridad es lo primero/i.test(h1.textContent)) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({preventScroll: true});
    } else if (tries++ < 40) {
      setTimeout(focusHeading, 50);
    }
  };
  focusHeading();
})();
</script>"""

APP_SCRIPTS = (SCROLL_TO_TOP_JS,)
