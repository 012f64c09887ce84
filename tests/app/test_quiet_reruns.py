"""A rerun that changes nothing sends nothing but the page: the address is rewritten only when the view changed.

An empty handout once rewrote the same address on every rerun (its picks encoded as an empty list, which never
equalled the address bar's none): one more message and one more of Streamlit's 5 ms flush ticks per rerun, which
put the handout page's warm rerun at 1.5x Streamlit drawing the same elements (issue 20)."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.runtime.state.query_params import QueryParams

from psoas_explorer.links import pages as site
from tests.support import open_page


@pytest.mark.parametrize("spec", site.PAGES, ids=lambda p: p.url_path or "home")
def test_a_rerun_of_an_unchanged_page_does_not_rewrite_its_address(spec: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(spec.file, ack=True)
    assert not at.exception, at.exception
    sent: list[dict[str, list[str]]] = []
    real = QueryParams._send_query_param_msg

    def counted(self: QueryParams) -> None:
        sent.append({k: self.get_all(k) for k in self})
        real(self)

    monkeypatch.setattr(QueryParams, "_send_query_param_msg", counted)
    at.run()
    assert not at.exception, at.exception
    assert sent == [], f"{spec.url_path or 'home'} rewrote its address on a rerun that changed nothing: {sent}"
