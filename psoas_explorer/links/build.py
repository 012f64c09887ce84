"""Links the app builds to its own pages, in one place (like datasette's url_builder): the page registry
says which file serves a URL, the parameter names are those of the README's link table, and a link to a
page carries only what that page understands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from psoas_explorer.linkformat import MAX_TEXT, dose_value
from psoas_explorer.links import pages


@dataclass(frozen=True)
class Link:
    url_path: str  # the page's public path ("" for home)
    query: dict[str, str | list[str]] = field(default_factory=dict)

    @property
    def page(self) -> str:
        """The page file, as st.page_link and st.switch_page want it."""
        return pages.page_by_url(self.url_path).file

    def url(self, base: str) -> str:
        """The absolute address, e.g. for a QR code: ``base`` is the app's public root URL."""
        query = urlencode(self.query, doseq=True)
        return f"{base.rstrip('/')}/{self.url_path}" + (f"?{query}" if query else "")


def handout(
    picks: Sequence[str], *, consult: bool = False, doses: Mapping[str, Mapping[str, int]] | None = None
) -> Link:
    """The print-friendly plan with these picks, in this order, and their doses changed from the default."""
    query: dict[str, str | list[str]] = {"h": list(picks)}
    if d := [dose_value(t, doses[t]) for t in picks if doses and doses.get(t)]:
        query["d"] = d
    if consult:
        query["consult"] = "1"
    return Link("handout", query)


def technique_search(text: str) -> Link:
    """The techniques page searching for ``text`` (a related technique's name, say)."""
    return Link("techniques", {"q": text[:MAX_TEXT]})


def question_search(text: str) -> Link:
    """Myths and questions searching for ``text`` (a search box holds at most MAX_TEXT characters)."""
    return Link("myths-faq", {"q": text[:60]})


def landmark(item_id: str, layer: str) -> Link:
    """The anatomy page with this landmark (or structure) selected and its layer drawn beside the psoas."""
    layers = list(dict.fromkeys(("psoas_major", layer)))
    return Link("anatomy", {"lm": item_id, **({"layers": layers} if layers != ["psoas_major"] else {})})


def layer(layer_id: str) -> Link:
    """The anatomy page drawing this layer beside the psoas major (the default layer)."""
    return Link(
        "anatomy", {"layers": list(dict.fromkeys(("psoas_major", layer_id)))} if layer_id != "psoas_major" else {}
    )


def search(text: str) -> Link:
    """The search page, searching everything for ``text``."""
    return Link("search", {"q": text[:MAX_TEXT]} if text else {})
