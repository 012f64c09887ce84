"""Text made safe to show: content or visitor strings that must render literally, never as markup."""

from __future__ import annotations

import datetime as dt
import re

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


def long_date(day: dt.date) -> str:
    """'24 November 2025', independent of the server's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def count(n: int, noun: str) -> str:
    """'1 myth', '2 myths': counts in plain English, never 'myth(s)'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
