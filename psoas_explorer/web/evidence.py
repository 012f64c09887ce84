"""The evidence page's cached tables and text: one built copy per process of what evidence.text builds,
because the content never changes while the app runs and the page is otherwise rebuilt on every rerun.
"""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa
import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.content import review
from psoas_explorer.evidence.text import claims_frame, reference_markdown


@st.cache_resource(show_spinner=False)
def _references_markdown(_cnt: c.Content, folder: str) -> str:
    refs = (f"### {ref.short}\n\n{reference_markdown(ref)}" for ref in _cnt.references)
    return "\n\n".join(["## Every reference, and what it found", *refs])


def references_markdown(cnt: c.Content) -> str:
    """Every reference under its own heading, as one Markdown element (one message per rerun, not 88)."""
    return _references_markdown(cnt, str(c.data_dir()))


@st.cache_resource(show_spinner=False, max_entries=128)
def _claims_table(_cnt: c.Content, folder: str, badges: tuple[str, ...]) -> pa.Table:
    return pa.Table.from_pandas(claims_frame(_cnt, badges or None), preserve_index=False)


def claims_table(cnt: c.Content, badges: Collection[str] = ()) -> pa.Table:
    """The claims (optionally only some badges) as a shared, read-only Arrow table."""
    return _claims_table(cnt, str(c.data_dir()), tuple(sorted(badges)))


@st.cache_resource(show_spinner=False)
def _review_log(_cnt: c.Content, folder: str) -> pa.Table:
    return pa.Table.from_pylist(review.log_rows(_cnt))


def review_log(cnt: c.Content) -> pa.Table:
    """The review log as a shared, read-only Arrow table (built once per content folder)."""
    return _review_log(cnt, str(c.data_dir()))
