"""The handout builder (the techniques page's handout tab and the print page): each pick's dose and order, who the
sheet is for, the paper, the PDF download and the print view's parts.

What the sheet says is decided in handout/ (plan.py, pdf.py, markdown.py); this module only draws the builder
and keeps the picks, doses and typed names in this session.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import streamlit as st

from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.i18n import LANGS, N_, NAMES, Lang, lang_of, tr, trn
from psoas_explorer.links import build
from psoas_explorer.web import keys, lang, links, memo, nav, widgets
from psoas_explorer.web.lang import _
from psoas_explorer.web.origin import address_notice, site_origin

# The builder's Move up / Move down / Reset dose buttons say which technique in their accessible name (their
# label ends in ":small[<technique name>]"), but show only the action: the card's heading names it already.
BUILDER_CSS = """<style>
.stMain [class*="st-key-move_"] button p > span, .stMain [class*="st-key-dose_reset_"] button p > span {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
</style>"""
HANDOUT_KEY = keys.HANDOUT_KEY
DOSE_KEY = keys.DOSE_KEY


INPUT_WIDTH = 150  # px: a dose input holds at most three digits and its steppers


Frozen = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # doses as a hashable cache key


def _frozen(doses: sheet_plan.Doses) -> Frozen:
    return tuple((t, tuple(d.items())) for t, d in doses.items())


@memo.per_folder(maxsize=256)
def _handout_pdf(
    cnt: c.Content, folder: str, ids: tuple[str, ...], day: date, base: str, doses: Frozen, paper: str, sheet: Lang
) -> bytes:
    """An anonymous sheet (no name, no note): immutable bytes keyed by picks, doses, day, paper and language, which
    are ids, bounded numbers and choices from the link, never typed text. Sheets with a name or note never come
    here."""
    frozen = {t: dict(d) for t, d in doses}
    return sheet_pdf.handout_pdf(cnt, ids, today=day, base_url=base, doses=frozen, paper=paper, lang=sheet)


_PERSONAL_PDF = "_handout_pdf_personal"  # this session's last sheet with a name or note: (its inputs, its bytes)


def handout_pdf(
    cnt: c.Content,
    ids: tuple[str, ...],
    day: date,
    who: sheet_plan.Person | None = None,
    doses: sheet_plan.Doses | None = None,
    paper: str = sheet_pdf.DEFAULT_PAPER,
) -> bytes:
    """PDF bytes, so reruns do not rebuild it: cached per pick list, doses, day and paper in the process when
    anonymous; a sheet with a name or note is kept only in this session (never in a cache shared by others).
    """
    base = site_origin().url  # the address this visitor reached, or PSOAS_PUBLIC_URL
    frozen = _frozen(doses or {})
    sheet = sheet_lang()
    if who is None or who == sheet_plan.Person():
        return _handout_pdf(cnt, memo.folder(), ids, day, base, frozen, paper, sheet)
    inputs = (memo.folder(), ids, day, base, who, frozen, paper, sheet)
    kept = st.session_state.get(_PERSONAL_PDF)
    if kept is None or kept[0] != inputs:
        pdf = sheet_pdf.handout_pdf(
            cnt, ids, today=day, base_url=base, doses=doses, paper=paper, lang=sheet, **dataclasses.asdict(who)
        )
        kept = st.session_state[_PERSONAL_PDF] = (inputs, pdf)
    return bytes(kept[1])


# Who the sheet is for: session state only, like the safety answers; never written to the URL, a log or a file
# name. The stored value outlives the widgets, which Streamlit forgets on a page that does not draw them.
_WHO_FIELDS = (
    ("patient", N_("Patient's name (optional)"), sheet_plan.MAX_PERSON),
    ("clinician", N_("Clinician or clinic (optional)"), sheet_plan.MAX_PERSON),
)
WHO_PREFIX = "who_"  # stored values: who_patient, who_clinician, who_note


def who_inputs(page: str) -> sheet_plan.Person:
    """Optional name, clinician and note for the sheet (the same values on the techniques and print pages)."""
    with st.container(key="handout_who"):
        st.markdown(_("**Who it is for** (optional; printed on the sheet only)"))
        values: dict[str, str] = {}
        for col, (field, label, limit) in zip(st.columns(2), _WHO_FIELDS, strict=True):
            values[field] = _kept_text(col.text_input, page, field, _(label), limit)
        values["note"] = _kept_text(
            st.text_area, page, "note", _("Note for the patient (optional)"), sheet_plan.MAX_NOTE
        )
        st.markdown(md_escape(_(sheet_plan.PRIVACY_NOTE)))  # full contrast: a caption is too faint for axe
    return sheet_plan.Person(**values).cleaned()


def _kept_text(widget: Any, page: str, field: str, label: str, limit: int) -> str:
    store, key = WHO_PREFIX + field, f"{page}_{WHO_PREFIX}{field}"
    st.session_state[key] = st.session_state.get(store, "")
    value = str(widget(label, key=key, max_chars=limit, on_change=_keep, args=(key, store)) or "")
    st.session_state[store] = value
    return value


def _keep(key: str, store: str) -> None:
    st.session_state[store] = st.session_state.get(key, "")


def paper_input(page: str) -> str:
    """A4 or US Letter for the PDF; the choice holds on both pages for this session (a print setting, not part
    of the plan: the QR code's link is the same on either paper)."""
    store, key = keys.PAPER_KEY, keys.PAPER_WIDGET.format(page=page)
    if st.session_state.get(store) not in sheet_pdf.PAPERS:
        st.session_state[store] = sheet_pdf.DEFAULT_PAPER
    st.session_state[key] = st.session_state[store]
    with st.container(key="handout_paper_box"):
        value = st.radio(
            _("Paper"),
            list(sheet_pdf.PAPERS),
            format_func=sheet_pdf.PAPER_NAMES.__getitem__,
            key=key,
            horizontal=True,
            on_change=_keep,
            args=(key, store),
        )
    st.session_state[store] = value
    return str(value)


def sheet_lang() -> Lang:
    """The sheet's language: the one chosen in the builder (or the link's ``hl``), else the page's."""
    return lang_of(st.session_state.get(keys.SHEET_LANG_KEY)) or lang.current()


def sheet_lang_link() -> Lang | None:
    """``hl`` for the address: the sheet's language while it differs from the page's, else None (left out)."""
    chosen = lang_of(st.session_state.get(keys.SHEET_LANG_KEY))
    return chosen if chosen is not None and chosen != lang.current() else None


def seed_sheet_lang() -> None:
    """An opened link's ``hl`` becomes this session's sheet language (a link without one: the page's)."""
    links.seed(keys.SHEET_LANG_KEY, links.url_values().get("hl"))


def _keep_sheet_lang(key: str) -> None:
    chosen = st.session_state.get(key)
    st.session_state[keys.SHEET_LANG_KEY] = chosen if chosen != lang.current() else None  # the page's: follow it


def sheet_lang_input(page: str) -> Lang:
    """The sheet's language, chosen apart from the page's: an English-speaking clinician prints a Spanish sheet,
    whose QR code and printed link open the plan in Spanish. Kept across the two pages, and in the link (``hl``)."""
    key = keys.SHEET_LANG_WIDGET.format(page=page)
    st.session_state[key] = sheet_lang()
    with st.container(key="handout_sheet_lang_box"):
        value = st.selectbox(
            tr(lang.current(), "Sheet language"),
            list(LANGS),
            format_func=NAMES.__getitem__,
            key=key,
            on_change=_keep_sheet_lang,
            args=(key,),
            width=240,  # two short names: a page-wide box would look like a text field
        )
    return lang_of(value) or lang.current()


_CLEARED_KEY = "_t_cleared"  # the picks and doses "Clear handout" removed, until Undo or a new pick


def _clear_picks() -> None:
    """Empty the handout, keeping what was in it for the notice's Undo (a cleared plan of six doses is work)."""
    st.session_state[_CLEARED_KEY] = (
        list(st.session_state.get(HANDOUT_KEY, [])),
        dict(st.session_state.get(DOSE_KEY, {})),
    )
    st.session_state[HANDOUT_KEY] = []
    st.session_state[DOSE_KEY] = {}


def _undo_clear() -> None:
    picks, doses = st.session_state.pop(_CLEARED_KEY, ([], {}))
    st.session_state[HANDOUT_KEY] = list(picks)
    st.session_state[DOSE_KEY] = dict(doses)


def cleared_notice() -> None:
    """After "Clear handout": what was removed and an Undo that puts the picks and their doses back (the link
    follows, as for any pick). A new pick ends the offer."""
    cleared = st.session_state.get(_CLEARED_KEY)
    if not cleared:
        return
    if st.session_state.get(HANDOUT_KEY):
        del st.session_state[_CLEARED_KEY]
        return
    with st.container(border=True, key="t_cleared"):
        left, right = st.columns([4, 1], vertical_alignment="center")
        n = len(cleared[0])
        cleared_line = trn(
            lang.current(),
            "Handout cleared: {count} technique removed.",
            "Handout cleared: {count} techniques removed.",
            n,
        )
        left.markdown(cleared_line.format(count=n))
        right.button(_("Undo"), key="t_clear_undo", on_click=_undo_clear, icon=":material/undo:")


def download_button(
    cnt: c.Content,
    picks: list[str],
    *,
    key: str,
    who: sheet_plan.Person | None = None,
    doses: sheet_plan.Doses | None = None,
    paper: str = sheet_pdf.DEFAULT_PAPER,
) -> None:
    """The handout PDF for today, built once per pick list, doses, day, paper and (in this session) name and note."""
    today = date.today()
    st.download_button(
        _("Download PDF"),
        data=handout_pdf(cnt, tuple(picks), today, who, doses, paper),
        file_name=f"psoas-handout-{today.isoformat()}.pdf",
        mime="application/pdf",
        key=key,
        icon=":material/download:",
        type="primary",
    )


def handout_picks(cnt: c.Content) -> list[str]:
    """The technique ids picked for the handout, in the order they were picked."""
    known = {t.id for t in cnt.techniques.techniques}
    return [p for p in st.session_state.get(HANDOUT_KEY, []) if p in known]


def handout_doses(cnt: c.Content) -> dict[str, dict[str, int]]:
    """The picks' doses changed from their defaults, in pick order (what the link and the sheet carry)."""
    store = st.session_state.get(DOSE_KEY, {})
    out = {}
    for tid in handout_picks(cnt):
        if changed := dosing.changes(cnt.technique(tid), store.get(tid, {})):
            out[tid] = changed
    return out


def _move(tid: str, name: str, step: int) -> None:
    picks = st.session_state.setdefault(HANDOUT_KEY, [])
    i = picks.index(tid)
    j = max(0, min(len(picks) - 1, i + step))
    picks[i], picks[j] = picks[j], picks[i]
    st.toast(_("Moved “{name}” to number {number}.").format(name=name, number=j + 1), icon=":material/swap_vert:")


def _set_dose(t: c.Technique, field: str) -> None:
    """Keep a typed number when it is within its bounds; otherwise put back the last one and say why. Emptying a
    number that has no default (deep belly work) takes it out of the dose."""
    key = keys.dose_key(t.id, field)
    store = st.session_state.setdefault(DOSE_KEY, {})
    notices = st.session_state.setdefault(keys.DOSE_NOTICE_KEY, {})
    kept = dosing.amounts(t, store.get(t.id))
    typed = st.session_state.get(key)
    value = None if typed is None else int(typed)
    notices.clear()  # a notice answers the last number typed: the next one, here or on another pick, replaces it
    if value is None and dosing.editable(t).get(field, 0) is None:
        store[t.id] = dosing.changes(t, {f: v for f, v in kept.items() if f != field})
        return
    problem = _("a number is needed") if value is None else dosing.problem(t, field, value, lang.current())
    if problem or value is None:
        before = kept.get(field)
        st.session_state[key] = before
        notices[t.id] = (
            _("Not kept: {problem}. It stays empty.")
            if before is None
            else _("Not kept: {problem}. It stays at {value}.")
        ).format(problem=problem, value=before)
        return
    store[t.id] = dosing.changes(t, {**kept, field: value})


def _reset_dose(t: c.Technique) -> None:
    st.session_state.setdefault(DOSE_KEY, {}).pop(t.id, None)
    st.session_state.setdefault(keys.DOSE_NOTICE_KEY, {}).pop(t.id, None)
    done = _("“{name}” has no dose set again.") if dosing.clinician_set(t) else _("“{name}” is back to its usual dose.")
    st.toast(done.format(name=t.name), icon=":material/restart_alt:")


CLINICIAN_SET_NOTE = N_(
    "No ready-made dose: deep belly work has never been tested at any dose, so the sheet shows only the numbers "
    "you type here (tighter bounds than other techniques), set by you. Left empty, it shows the technique's own "
    "“How often” words."
)


def pick_editor(cnt: c.Content, t: c.Technique, number: int, total: int) -> None:
    """One pick of the builder: its dose in words, a number input per dose field (bounds from the one table; for
    deep belly work empty inputs with tighter bounds), Reset dose, Move up / Move down, and the steps as they will
    print; every button's accessible name ends with the technique's name."""
    changed = st.session_state.get(DOSE_KEY, {}).get(t.id, {})
    fields = dosing.editable(t)
    with st.container(border=True, key=f"plan_{t.id}"):
        st.markdown(f"### {number}\\. {md_escape(t.name)}\n\n{md_escape(dosing.line(t, changed, lang.current()))}")
        if dosing.clinician_set(t):
            st.caption(_(CLINICIAN_SET_NOTE))
        amounts = dosing.amounts(t, changed)
        # A wrapping row of fixed-width inputs: four abreast on a laptop, two on a phone (columns would stack).
        with st.container(horizontal=True, key=f"dose_inputs_{t.id}"):
            for field, default in fields.items():
                spec = c.DOSE_FIELD[field]
                key = keys.dose_key(t.id, field)
                st.session_state[key] = amounts.get(field)  # the kept value (empty: none), also after another tab
                st.number_input(
                    _(spec.label),
                    value=None if default is None else "min",
                    step=spec.step,
                    key=key,
                    help=dosing.bounds_help(t, field, lang.current()),
                    on_change=_set_dose,
                    args=(t, field),
                    width=INPUT_WIDTH,
                )
        if notice := st.session_state.get(keys.DOSE_NOTICE_KEY, {}).get(t.id):
            st.warning(notice, icon=":material/error:")
        if box := widgets.lazy_expander(_("Steps as they will print"), key=f"print_steps_{t.id}"):
            box.markdown(
                "\n".join(f"{i}. {md_escape(s)}" for i, s in enumerate(dosing.steps(t, changed, lang.current()), 1))
            )
        with st.container(horizontal=True, key=f"order_buttons_{t.id}"):
            st.button(
                _("Move up :small[{name}]").format(name=md_escape(t.name)),
                key=keys.move_key(t.id, "up"),
                on_click=_move,
                args=(t.id, t.name, -1),
                icon=":material/arrow_upward:",
                disabled=number == 1,
                type="tertiary",
                wrap=True,
            )
            st.button(
                _("Move down :small[{name}]").format(name=md_escape(t.name)),
                key=keys.move_key(t.id, "down"),
                on_click=_move,
                args=(t.id, t.name, 1),
                icon=":material/arrow_downward:",
                disabled=number == total,
                type="tertiary",
                wrap=True,
            )
            if fields:
                st.button(
                    (
                        _("Clear dose :small[{name}]") if dosing.clinician_set(t) else _("Reset dose :small[{name}]")
                    ).format(name=md_escape(t.name)),
                    key=keys.reset_dose_key(t.id),
                    on_click=_reset_dose,
                    args=(t,),
                    icon=":material/restart_alt:",
                    disabled=not dosing.changes(t, changed),
                    type="tertiary",
                    wrap=True,
                )


def handout_panel(cnt: c.Content) -> None:
    """The handout builder: each pick with its dose and order, who it is for, the PDF and the print view."""
    picks = handout_picks(cnt)
    st.header(_("Your handout ({count})").format(count=len(picks)))
    cleared_notice()
    if not picks:
        st.markdown(_("Nothing yet. Use **Add to handout** on any technique."))
        return
    if len(picks) > sheet_plan.MAX_TECHNIQUES:
        st.warning(
            _("The handout holds {count} techniques; the first {count} are used.").format(
                count=sheet_plan.MAX_TECHNIQUES
            )
        )
    st.markdown(_("Change a dose or the order here; the sheet, its QR code and this page's link follow."))
    st.html(BUILDER_CSS)
    for i, tid in enumerate(picks, 1):
        pick_editor(cnt, cnt.technique(tid), i, len(picks))
    doses = handout_doses(cnt)
    who = who_inputs("t")
    paper = paper_input("t")
    sheet_lang_input("t")
    address_notice(site_origin())
    a, b, d = st.columns(3)
    with a:
        download_button(cnt, picks, key="t_pdf", who=who, doses=doses, paper=paper)
    link = build.handout(picks, doses=doses)
    b.page_link(
        nav.page(link.url_path),
        label=_("Patient's view"),
        icon=":material/smartphone:",
        query_params=lang.with_lang(link.query),
    )
    d.button(_("Clear handout"), key="t_clear", on_click=_clear_picks, icon=":material/delete:")
