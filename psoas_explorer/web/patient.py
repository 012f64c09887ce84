"""The patient's view of a plan (the /handout page: a plan link and the sheet's QR code open it).

Made for the patient's phone: the plan itself first (each technique with its picture, dose, steps and when to
stop), Start for the follow-along, Print and PDF as buttons, and "Done today". The clinician's fields (name,
clinic, note, paper) are in the builder on the Techniques page, which "Change this plan" reopens with this plan;
what the clinician typed there in this session still reaches the PDF downloaded here.

The follow-along, the Print button and the log are one custom component (web/assets/patient.js, served as a
file: web/bidi.py). It runs the timer in the browser and keeps the log in the browser's localStorage; it sends
nothing back, so the log never reaches the server, a link or a log file.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from psoas_explorer.content import model as c
from psoas_explorer.handout import at_home
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.i18n import N_, tr
from psoas_explorer.links import build
from psoas_explorer.links import pages as site
from psoas_explorer.web import bidi, finder, keys, lang
from psoas_explorer.web import handout_builder as builder
from psoas_explorer.web.lang import _

NAME = "psoas_explorer.patient"
_SCRIPT = "patient.js"  # served at /_stcore/bidi-components/psoas_explorer.patient/patient.js
_CSS = (bidi.ASSETS / "patient.css").read_text(encoding="utf-8")
_component = bidi.component(
    NAME,
    _SCRIPT,
    css=_CSS,
    isolate_styles=False,  # the print styles reach the page around it ("Print my log" prints the log alone)
)
FOLLOW_KEY, PRINT_KEY, LOG_KEY = "p_follow", "p_print", "p_log"
CHANGE_KEY = "p_change"
LOG_HEADING = N_("Done today")
# Every message patient.js shows (its T("…") calls; a unit test checks the two lists match), sent translated.
SCRIPT_TEXTS = (
    N_("Set {n} of {total}"),
    N_("Repetition {n} of {total}"),
    N_("{n} repetition"),
    N_("{n} repetitions"),
    N_("Start"),
    N_("Stop"),
    N_("Technique {n} of {total}"),
    N_("Step"),
    N_("Previous step"),
    N_("Next step"),
    N_("Timer"),
    N_("Skip"),
    N_("Skip to the end"),
    N_("Technique {n} of {total}: {name}. {round}"),
    N_("Step {n} of {total}"),
    N_("Next technique"),
    N_("Finish"),
    N_("Start the hold"),
    N_("Done"),
    N_("Pause"),
    N_("Resumed."),
    N_("Resume"),
    N_("Paused with {n} second left."),
    N_("Paused with {n} seconds left."),
    N_("{round} done. Next: {next}."),
    N_("Next: {next}."),
    N_("All done for {name}."),
    N_("{name} done."),
    N_("The end of your plan"),
    N_("Well done"),
    N_("You reached the end of your plan."),
    N_("That was the whole plan."),
    N_("You reached the end of your plan. Tick it under “{log}” below."),
    N_("That was the whole plan. Tick it under “{log}” below."),
    N_("Done today"),
    N_("Back to the plan"),
    N_("Pain today, from 0 (none) to 10 (the worst you can imagine)"),
    N_("Undo today"),
    N_("Print my log"),
    N_("Erase my log"),
    N_("Erase my log?"),
    N_("Erase every day of your log from this browser? This cannot be undone."),
    N_("Yes, erase it"),
    N_("Keep it"),
    N_("Choose your pain score from 0 to 10 first."),
    N_("Done today, pain {pain} out of 10: kept in this browser."),
    N_("This browser would not keep it (private browsing or storage full)."),
    N_("Today's tick is taken off."),
    N_("Your log is erased from this browser."),
    N_("Your log: days done and pain scores"),
    N_("Your log is empty."),
    N_("Day"),
    N_("Pain (0–10)"),
    N_("Print"),
)
TITLE = N_("Your psoas plan")

# In print, the row of Start, Print, PDF and Change this plan is left out (the sheet is the plan, not its controls),
# and the blank tick log (as on the PDF's last page; handout/at_home.py) is printed: on screen "Done today"
# stands for it.
PRINT_CSS = """<style>
.st-key-p_paper_log { display: none; }
@media print {
  .st-key-p_paper_log { display: block; break-before: page; }
  .st-key-p_actions, .stDownloadButton, [data-testid="stExpander"], [data-testid="stPageLink"] {
    display: none !important;
  }
  .stMain { font-size: 11pt; }
}
</style>"""


def _mount(key: str, data: dict[str, Any], width: Any = "stretch") -> None:
    bidi.declare(NAME)
    if texts := bidi.texts(SCRIPT_TEXTS):  # the script's own words, translated (English: none sent)
        data = {**data, "t": texts}
    _component(key=key, data=json.dumps(data, separators=(",", ":"), ensure_ascii=False), width=width)


def _who() -> sheet_plan.Person:
    """What the clinician typed in the builder in this session (never asked for here, never in a link)."""
    typed = {f: str(st.session_state.get(builder.WHO_PREFIX + f, "")) for f in ("patient", "clinician", "note")}
    return sheet_plan.Person(**typed).cleaned()


def _paper() -> str:
    paper = st.session_state.get(keys.PAPER_KEY)
    return str(paper) if paper in sheet_pdf.PAPERS else sheet_pdf.DEFAULT_PAPER


def _change_plan(picks: list[str], doses: dict[str, dict[str, int]]) -> None:
    """To the builder with this plan, on its handout tab (one step for the clinician): the link says so (``tab``),
    and this session's tab follows, as a link opened afresh would."""
    link = build.handout(picks, doses=doses)
    st.session_state["t_tab"] = finder.handout_tab_name(len(picks))  # the tab's label (finder.handout_tab_label)
    st.switch_page(site.page_by_url("techniques").file, query_params={**link.query, "tab": "handout"})


def view(cnt: c.Content, picks: list[str], doses: dict[str, dict[str, int]]) -> None:
    """The patient's view: heading, Start / Print / PDF / Change this plan, the plan, the log, the safety section."""
    st.html(PRINT_CSS)
    st.title(_(TITLE))
    plan = sheet_plan.plan(cnt, picks, doses)
    kept = plan.techniques
    here = lang.current()
    st.markdown(at_home.intro(len(kept), here))
    with st.container(key="p_actions", horizontal=True, vertical_alignment="center"):
        _mount(FOLLOW_KEY, at_home.follow_data(cnt, picks, doses, here), width="content")
        _mount(PRINT_KEY, {"mode": "print", "label": _("Print")}, width="content")
        builder.download_button(cnt, picks, key="h_pdf", who=_who(), doses=doses, paper=_paper())
        if st.button(_("Change this plan"), key=CHANGE_KEY, icon=":material/edit:", type="tertiary"):
            _change_plan(picks, doses)
    for block in at_home.plan_markdown(cnt, picks, doses, here):
        st.markdown(block)
    # The log's dates are written in the page's language (Intl, in the browser), not the browser's.
    _mount(LOG_KEY, {"mode": "log", "heading": _(LOG_HEADING), "note": tr(here, at_home.LOG_NOTE), "lang": here})
    st.header(at_home.safety_heading(here))
    st.markdown(at_home.safety_markdown(cnt, here))
    if kept:
        with st.container(key="p_paper_log"):
            st.markdown("\n".join(at_home.log_markdown(sheet_plan.log_weeks(plan), here)))
