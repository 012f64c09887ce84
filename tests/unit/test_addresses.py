"""web/addresses.py: which addresses are sent on to one segment, and where (relative, so a proxy prefix holds)."""

import pytest

from psoas_explorer.web.addresses import one_segment


@pytest.mark.parametrize(
    ("path", "base", "target"),
    [
        ("/foo/bar", "", "../foo-bar"),
        ("/a/b/c", "", "../../a-b-c"),
        ("/psoas/foo/bar", "psoas", "../foo-bar"),
        ("/psoas/foo/bar", "/psoas/", "../foo-bar"),
        ("/foo", "", None),  # one segment: the router's not-found page answers it
        ("/psoas/anatomy", "psoas", None),
        ("/", "", None),
        ("/static/js/index.js", "", None),  # Streamlit's own routes are never pages
        ("/app/static/plotly/x.js", "", None),
        ("/_stcore/health", "", None),
        ("/component/x/index.html", "", None),
        ("/psoas/_stcore/health", "psoas", None),
        ("/other/foo/bar", "psoas", None),  # not under the base path
        ("/foo//bar", "", None),
    ],
)
def test_nested_non_page_addresses_go_to_one_segment(path, base, target):
    assert one_segment(path, base) == target
