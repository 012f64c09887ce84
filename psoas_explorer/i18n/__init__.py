"""Languages: the ones we offer, and one gettext translator per language, built once and called explicitly.

Streamlit runs each visitor's script in its own thread, so ``gettext.install()`` (one process-wide ``_``) would
mix visitors' languages. The pure core takes the language as an argument (``tr(lang, msg)``); the web layer asks
``web/lang.py`` for the session's language. Interface strings live in gettext catalogs
(``i18n/locale/<lang>/LC_MESSAGES/messages.po``, extracted and compiled with Babel: docs/translation.md); content
comes from overlays of the data files (``data/<lang>/``), read by ``content``.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Literal, get_args

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

Lang = Literal["en", "es"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT: Lang = "en"  # the language the app and its data are written in
NAMES: dict[Lang, str] = {"en": "English", "es": "Español"}  # each in its own language, for the switch
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def lang_of(value: str | None) -> Lang | None:
    """A language we offer from a tag such as ``es``, ``es-ES`` or ``ES_mx`` (a link or the browser), else None."""
    if not value:
        return None
    base = value.replace("_", "-").split("-")[0].strip().lower()
    return next((lang for lang in LANGS if lang == base), None)


@lru_cache(maxsize=len(LANGS))
def translator(lang: Lang) -> gettext.NullTranslations:
    """The language's catalog, read once per process.

    Set-up compiles each ``.po`` to a ``.mo`` (scripts/setup.sh); where the ``.mo`` is missing or older than its
    ``.po`` (a fresh checkout, a catalog just edited) the ``.po`` is compiled in memory instead, so what runs always
    matches the source. English is the source language: its translator returns each message unchanged.
    """
    if lang == DEFAULT:
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = BytesIO()
    write_mo(buf, catalog)  # fuzzy entries are left out, as pybabel compile does: a guess is not a translation
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def tr(lang: Lang, message: str) -> str:
    """``message`` in ``lang`` (the English where the catalog has no translation yet)."""
    return translator(lang).gettext(message)


def trn(lang: Lang, singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in ``lang`` (Spanish, like English, has two)."""
    return translator(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for "mark for extraction, translate later")
    """Marks a string for extraction where it is defined (a module constant) and translated where it is shown."""
    return message
