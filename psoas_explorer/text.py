"""Text made safe to show: content or visitor strings that must render literally, never as markup."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&^=])")


def md_escape(text: str) -> str:
    """Content text made inert for Markdown: every markup character backslash-escaped, newlines flattened."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
