"""A kept browser context lent again (conftest.WarmContexts, behind new_page()) is a new visitor for the app:
whatever the last visitor stored, on the app's origin and on another one, is gone; only the HTTP cache stays."""

from playwright.sync_api import expect

from psoas_explorer.links.pages import PAGES
from tests.browser.support import GATE, open_page

TIMEOUT = 20_000  # Playwright's expect() waits this long for a state (conftest.patient_expect)

TECHNIQUES = next(spec for spec in PAGES if spec.url_path == "techniques")

# Everything a page can store for later, written on the current origin; resolves once IndexedDB has committed.
STORE_JS = """() => new Promise((done, fail) => {
  localStorage.setItem('left', 'behind');
  sessionStorage.setItem('left', 'behind');
  document.cookie = 'left=behind; max-age=3600; path=/';
  const open = indexedDB.open('left-behind', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('things');
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction('things', 'readwrite');
    tx.objectStore('things').put('behind', 'left');
    tx.oncomplete = () => { open.result.close(); caches.open('left-behind').then(() => done(true), fail); };
  };
})"""
# What a page of that origin finds stored (cookies by name: Streamlit's XSRF cookie comes with every response of
# the server, to a new visitor too).
FOUND_JS = """async () => ({
  local: localStorage.length, session: sessionStorage.length,
  cookies: document.cookie.split('; ').map(c => c.split('=')[0]).filter(n => n && n !== '_streamlit_xsrf'),
  databases: (await indexedDB.databases()).map(db => db.name), caches: await caches.keys(),
})"""
NOTHING = {"local": 0, "session": 0, "cookies": [], "databases": [], "caches": []}


def test_a_kept_context_lent_again_holds_nothing_the_last_visitor_stored(warm_contexts, app_url):
    options = {"viewport": {"width": 1000, "height": 700}}  # a set of options no other test uses: its own pool
    first = warm_contexts.lend(options)
    open_page(first, app_url, TECHNIQUES)  # the gate acknowledged: the session cookie set
    other_origin = app_url.replace("127.0.0.1", "localhost")  # another origin of the same server
    for address in (other_origin, app_url):
        first.goto(f"{address}/_stcore/health")
        assert first.evaluate(STORE_JS)
        assert first.evaluate(FOUND_JS) != NOTHING
    ctx = first.context
    first.close()  # the visitor leaves

    again = warm_contexts.lend(options)
    assert again.context is ctx  # the same kept context, so this checks the emptying
    for address in (other_origin, app_url):
        again.goto(f"{address}/_stcore/health")
        assert again.evaluate(FOUND_JS) == NOTHING, address
    again.goto(f"{app_url}/{TECHNIQUES.url_path}")
    expect(again.get_by_test_id("stMain").get_by_role("heading", name=GATE)).to_be_visible()  # asked again
    again.close()
