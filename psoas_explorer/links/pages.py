"""The page registry: one place that says which pages exist, their URLs and which are gated.

The router (app.py), the warning gate and the tests all read this list, so a
new page cannot be added without the gate knowing whether it teaches technique.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psoas_explorer.anatomy import description
from psoas_explorer.content.model import Content
from psoas_explorer.i18n import DEFAULT, N_, Lang, tr, translator
from psoas_explorer.linkformat import LANG, SHEET_LANG, Param, badge_param, tab_param
from psoas_explorer.techniques import filters

# Parameters every page understands. Names are public (links get shared): keep them stable.
GLOBAL_PARAMS = (Param("consult", "flag", "1 opens the patient-facing consult view.", default=False), LANG)
# The search boxes: the myths page's (content/search.py does the matching) and the search page's
# (psoas_explorer/search/); the link format stays above the content.
SEARCH_PARAMS = (Param("q", "text", "Words to search the myths and questions for.", default=""),)
FIND_PARAMS = (Param("q", "text", "Words to search everything for.", default=""),)


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to the app root
    title: str
    url_path: str  # "" for the default page; part of the public link format
    icon: str
    heading: str  # the page's H1, which smoke tests look for
    gated: bool = False  # teaches how to do a technique: behind the safety warning
    hidden: bool = False  # reachable by link, not listed in the menu
    reviewed: tuple[str, ...] | None = None  # data files whose items it shows (review dates); None = all
    # The page's own query parameters (choices may be ids from the data, hence the content).
    params: Callable[[Content], tuple[Param, ...]] = lambda _cnt: ()


# The open tab of each page with tabs, by id: the first tab is the default and has none. The tab's words live
# with the page (app_pages/); these ids are the public part.
TECHNIQUE_TABS = ("handout", "kinds")
EVIDENCE_TABS = ("references", "log")


def _home_params(cnt: Content) -> tuple[Param, ...]:
    return (tab_param([g.id for g in cnt.overview.benefits[1:]]),)


def _technique_params(cnt: Content) -> tuple[Param, ...]:
    return (*filters.technique_params(cnt), tab_param(TECHNIQUE_TABS), SHEET_LANG)


def _evidence_params(cnt: Content) -> tuple[Param, ...]:
    return (tab_param(EVIDENCE_TABS), badge_param([b.id for b in cnt.evidence.badges]))


def _handout_params(cnt: Content) -> tuple[Param, ...]:
    return (*(p for p in filters.technique_params(cnt) if p.name in ("h", "d")), SHEET_LANG)


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "app_pages/home.py",
        N_("Home"),
        "",
        ":material/home:",
        N_("Psoas Explorer"),
        reviewed=("overview.yaml",),
        params=_home_params,
    ),
    PageSpec(
        "app_pages/anatomy.py",
        N_("Anatomy"),
        "anatomy",
        ":material/accessibility_new:",
        N_("Where the psoas runs"),
        reviewed=("anatomy.yaml",),
        params=description.page_params,
    ),
    PageSpec(
        "app_pages/techniques.py",
        N_("Techniques"),
        "techniques",
        ":material/self_improvement:",
        N_("Techniques"),
        gated=True,
        reviewed=("techniques.yaml", "technique_types.yaml", "safety.yaml"),
        params=_technique_params,
    ),
    PageSpec(
        "app_pages/myths_faq.py",
        N_("Myths and questions"),
        "myths-faq",
        ":material/quiz:",
        N_("Myths and questions"),
        reviewed=("myths_faq.yaml",),
        params=lambda _cnt: SEARCH_PARAMS,
    ),
    PageSpec(
        "app_pages/evidence.py",
        N_("Evidence & references"),
        "evidence",
        ":material/menu_book:",
        N_("Evidence and references"),
        params=_evidence_params,
    ),
    PageSpec(
        "app_pages/search.py",
        N_("Search"),
        "search",
        ":material/search:",
        N_("Search everything"),
        params=lambda _cnt: FIND_PARAMS,
    ),
    PageSpec(
        "app_pages/handout.py",
        N_("Handout"),
        "handout",
        ":material/print:",
        N_("Your psoas plan"),
        gated=True,
        hidden=True,
        reviewed=("techniques.yaml", "safety.yaml"),
        params=_handout_params,
    ),
)

GATED_URL_PATHS = frozenset(p.url_path for p in PAGES if p.gated)
URL_PATHS = frozenset(p.url_path for p in PAGES)

# Any other address: our own page saying so, with a link to every page (web/router.py registers it, hidden, at
# the address the visitor asked for, so Streamlit never shows its own "page not found" dialog).
NOT_FOUND = PageSpec(
    "app_pages/not_found.py",
    N_("Page not found"),
    "",
    ":material/explore_off:",
    N_("There is no page at this address"),
    hidden=True,
    reviewed=(),
)


def page_by_url(url_path: str) -> PageSpec:
    return next(p for p in PAGES if p.url_path == url_path)


def page_params(url_path: str, cnt: Content) -> tuple[Param, ...]:
    """The query parameters a page understands, its own first, then the global ones (an unknown address: those)."""
    own = page_by_url(url_path).params(cnt) if url_path in URL_PATHS else ()
    return (*own, *GLOBAL_PARAMS)


# A page's title is shown in the menu; "Home" there is the start page, while the techniques finder's "Home" is a
# place: the catalog tells them apart by the context "page".
PAGE_CONTEXT = "page"


def title(spec: PageSpec, lang: Lang = DEFAULT) -> str:
    """The page's menu title in ``lang``."""
    return translator(lang).pgettext(PAGE_CONTEXT, spec.title)


def heading(spec: PageSpec, lang: Lang = DEFAULT) -> str:
    """The page's H1 in ``lang``."""
    return tr(lang, spec.heading)
