"""Text made safe to show: content or visitor strings that must render literally, never as markup."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

from psoas_explorer.i18n import DEFAULT, N_, Lang

# Who checked a claim, dose or picture, by role, never by name (nobody is invented): the first review, then an
# independent second one that appends its own record.
REVIEW_ROLES = ("content review against sources", "second content review against sources")
# What a dose shows beside it when no study used this position and dose (content/dose.py basis()).
CAUTIOUS_START = N_("a cautious start; no study gives a dose")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&^=])")


def md_escape(text: str) -> str:
    """Content text made inert for Markdown: every markup character backslash-escaped, newlines flattened."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date, lang: Lang = DEFAULT) -> str:
    """'24 November 2025' ('24 de noviembre de 2025' in Spanish, from Babel's CLDR data), independent of the
    server's locale."""
    if lang != DEFAULT:
        return format_date(day, format="long", locale=lang)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def count(n: int, noun: str) -> str:
    """'1 myth', '2 myths': counts in plain English, never 'myth(s)'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
