"""The evidence page's cached tables and text: one built copy per process of what evidence.text builds,
because the content never changes while the app runs and the page is otherwise rebuilt on every rerun.

Shared through web/memo.py: the values are immutable (str, read-only Arrow tables), the same for every visitor,
and keyed by the content folder and badge letters (never by anything a visitor typed).
"""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa

from psoas_explorer.content import model as c
from psoas_explorer.content import review
from psoas_explorer.evidence.text import claims_frame, reference_markdown
from psoas_explorer.i18n import Lang, tr
from psoas_explorer.web import lang, memo


@memo.per_folder()
def _references_markdown(cnt: c.Content, folder: str, language: Lang) -> str:
    refs = (f"### {ref.short}\n\n{reference_markdown(ref, language)}" for ref in cnt.references)
    return "\n\n".join(["## " + tr(language, "Every reference, and what it found"), *refs])


def references_markdown(cnt: c.Content) -> str:
    """Every reference under its own heading, as one Markdown element (one message per rerun, not 88)."""
    return _references_markdown(cnt, memo.folder(), lang.current())


@memo.per_folder()
def _claims_table(cnt: c.Content, folder: str, badges: tuple[str, ...], language: Lang) -> pa.Table:
    return pa.Table.from_pandas(claims_frame(cnt, badges or None, language), preserve_index=False)


def claims_table(cnt: c.Content, badges: Collection[str] = ()) -> pa.Table:
    """The claims (optionally only some badges) as a shared, read-only Arrow table."""
    return _claims_table(cnt, memo.folder(), tuple(sorted(badges)), lang.current())


@memo.per_folder()
def _review_log(cnt: c.Content, folder: str, language: Lang) -> pa.Table:
    return pa.Table.from_pylist(review.log_rows(cnt, language))


def review_log(cnt: c.Content) -> pa.Table:
    """The review log as a shared, read-only Arrow table (built once per content folder)."""
    return _review_log(cnt, memo.folder(), lang.current())
