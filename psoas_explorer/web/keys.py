"""Session-state keys shared by more than one module of the web layer, in one place."""

from __future__ import annotations

HANDOUT_KEY = "t_handout"  # technique ids picked for the handout (session only, mirrored in the link as h)
PAPER_KEY = "handout_paper"  # the sheet's paper, a4 or letter: kept in the session across the two pages
PAPER_WIDGET = "{page}_paper"  # the paper choice's widget on a page ("t" techniques, "h" handout)
SHEET_LANG_KEY = "handout_lang"  # the sheet's language when it is not the page's (None: the page's), link ``hl``
SHEET_LANG_WIDGET = "{page}_sheet_lang"  # the sheet language choice's widget on a page
DOSE_KEY = "t_dose"  # technique id -> dose field -> value changed from its default (mirrored in the link as d)
DOSE_NOTICE_KEY = "_t_dose_notice"  # technique id -> why the last number typed was not kept (one at a time)


def dose_key(technique_id: str, field: str) -> str:
    """The number input of one dose field of one pick in the handout builder."""
    return f"dose_{technique_id}_{field}"


def move_key(technique_id: str, direction: str) -> str:
    """The "Move up" / "Move down" button of one pick ("up" or "down")."""
    return f"move_{direction}_{technique_id}"


def reset_dose_key(technique_id: str) -> str:
    return f"dose_reset_{technique_id}"


ACK_KEY = "safety_ack"  # this session's answer: True, False once withdrawn; absent: the browser's cookie (web/ack.py)


URL_KEY = "_url_values"  # this run's validated query parameters (not a widget key)


CONSULT_KEY = "consult"
CONSULT_SHOWN_KEY = "_consult_shown"  # the mode this session last showed: a link switches it only when it differs


URL_PATH_KEY = "_url_path"  # the url_path of the page this run serves (set by links.read_url)
RECONNECT_KEY = "reconnect_rerun"  # the watcher that reruns a page once its lost connection is back (web/reconnect.py)
LANG_SWITCH_KEY = "lang_switch"  # the sidebar's English / Español switch (web/language.py)
HTML_LANG_KEY = "html_lang"  # the script that sets <html lang> (web/language.py)
