"""Widgets of the techniques and handout pages: filters, the safety screen, technique cards, the handout.

Decisions (what matches, what is blocked, what the PDF says) are made in
filters.py and handout.py; this module only draws them and keeps the URL in step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

import pandas as pd
import streamlit as st

from psoas_explorer.anatomy import pose as sketch
from psoas_explorer.content import dose as dosing
from psoas_explorer.content import model as c
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout import sheet as handout
from psoas_explorer.links import build
from psoas_explorer.links.params import MAX_TEXT
from psoas_explorer.techniques import filters as f
from psoas_explorer.web import claims, keys, links, memo, widgets
from psoas_explorer.web.origin import address_notice, site_origin

PRINT_CSS = """<style>
@media print {
  .stDownloadButton, [data-testid="stAlert"], [data-testid="stExpander"], [data-testid="stPageLink"],
  .st-key-handout_who, .st-key-handout_paper_box {
    display: none !important;
  }
  .stMain { font-size: 11pt; }
}
</style>"""
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
SCREEN_PREFIX = "screen_"  # safety answers: widget state only, never written to the URL or anywhere else
SHOWN_KEY = "t_shown"  # how many cards are on show; "Show more" adds PAGE_SIZE
PAGE_SIZE = 6  # cards drawn at first: each card is several messages on every rerun
_LAST_FILTERS = "_t_last_filters"
INPUT_WIDTH = 150  # px: a dose input holds at most three digits and its steppers


@memo.per_folder()
def _catalog(cnt: c.Content, folder: str) -> pd.DataFrame:
    return f.catalog_frame(cnt)


def catalog(cnt: c.Content) -> pd.DataFrame:
    """The catalog table, built once per content folder and shared read-only (filters never mutate it)."""
    return _catalog(cnt, memo.folder())


@memo.per_folder(maxsize=2048)
def _matching(cnt: c.Content, folder: str, flt: f.Filters) -> tuple[str, ...]:
    return tuple(f.apply(_catalog(cnt, folder), flt)["id"])


_TYPED_MATCH = "_t_typed_match"  # this session's last search with typed words: (folder, filters, matching ids)


def matching(cnt: c.Content, flt: f.Filters) -> tuple[str, ...]:
    """Ids of the techniques that match, in display order.

    Filters picked from the fixed lists are shared between sessions per combination (an immutable tuple of ids,
    keyed by choices from the vocabulary). Words the visitor typed never become a shared cache key: such a search
    is kept only in this session (so a rerun that does not change it costs nothing).
    """
    folder = memo.folder()
    if not flt.text:
        return _matching(cnt, folder, flt)
    kept = st.session_state.get(_TYPED_MATCH)
    if kept is None or kept[:2] != (folder, flt):
        ids = tuple(f.apply(_catalog(cnt, folder), flt)["id"])
        kept = st.session_state[_TYPED_MATCH] = (folder, flt, ids)
    return kept[2]  # type: ignore[no-any-return]


Frozen = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # doses as a hashable cache key


def _frozen(doses: handout.Doses) -> Frozen:
    return tuple((t, tuple(d.items())) for t, d in doses.items())


@memo.per_folder(maxsize=256)
def _handout_pdf(
    cnt: c.Content, folder: str, ids: tuple[str, ...], day: date, base: str, doses: Frozen, paper: str
) -> bytes:
    """An anonymous sheet (no name, no note): immutable bytes keyed by picks, doses, day and paper, which are ids
    and bounded numbers from the link, never typed text. Sheets with a name or note never come here."""
    return handout.handout_pdf(cnt, ids, today=day, base_url=base, doses={t: dict(d) for t, d in doses}, paper=paper)


_PERSONAL_PDF = "_handout_pdf_personal"  # this session's last sheet with a name or note: (its inputs, its bytes)


def handout_pdf(
    cnt: c.Content,
    ids: tuple[str, ...],
    day: date,
    who: handout.Person | None = None,
    doses: handout.Doses | None = None,
    paper: str = handout.DEFAULT_PAPER,
) -> bytes:
    """PDF bytes, so reruns do not rebuild it: cached per pick list, doses, day and paper in the process when
    anonymous; a sheet with a name or note is kept only in this session (never in a cache shared by others).
    """
    base = site_origin().url  # the address this visitor reached, or PSOAS_PUBLIC_URL
    frozen = _frozen(doses or {})
    if who is None or who == handout.Person():
        return _handout_pdf(cnt, memo.folder(), ids, day, base, frozen, paper)
    inputs = (memo.folder(), ids, day, base, who, frozen, paper)
    kept = st.session_state.get(_PERSONAL_PDF)
    if kept is None or kept[0] != inputs:
        pdf = handout.handout_pdf(
            cnt, ids, today=day, base_url=base, doses=doses, paper=paper, **dataclasses.asdict(who)
        )
        kept = st.session_state[_PERSONAL_PDF] = (inputs, pdf)
    return bytes(kept[1])


# Who the sheet is for: session state only, like the safety answers; never written to the URL, a log or a file
# name. The stored value outlives the widgets, which Streamlit forgets on a page that does not draw them.
_WHO_FIELDS = (
    ("patient", "Patient's name (optional)", handout.MAX_PERSON),
    ("clinician", "Clinician or clinic (optional)", handout.MAX_PERSON),
)
WHO_PREFIX = "who_"  # stored values: who_patient, who_clinician, who_note


def who_inputs(page: str) -> handout.Person:
    """Optional name, clinician and note for the sheet (the same values on the techniques and print pages)."""
    with st.container(key="handout_who"):
        st.markdown("**Who it is for** (optional; printed on the sheet only)")
        values: dict[str, str] = {}
        for col, (field, label, limit) in zip(st.columns(2), _WHO_FIELDS, strict=True):
            values[field] = _kept_text(col.text_input, page, field, label, limit)
        values["note"] = _kept_text(st.text_area, page, "note", "Note for the patient (optional)", handout.MAX_NOTE)
        st.markdown(md_escape(handout.PRIVACY_NOTE))  # full contrast: a caption is too faint for axe
    return handout.Person(**values).cleaned()


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
    if st.session_state.get(store) not in handout.PAPERS:
        st.session_state[store] = handout.DEFAULT_PAPER
    st.session_state[key] = st.session_state[store]
    with st.container(key="handout_paper_box"):
        value = st.radio(
            "Paper",
            list(handout.PAPERS),
            format_func=handout.PAPER_NAMES.__getitem__,
            key=key,
            horizontal=True,
            on_change=_keep,
            args=(key, store),
        )
    st.session_state[store] = value
    return str(value)


def seed_from_url(values: dict[str, Any]) -> None:
    """Widgets start from the link the visitor opened; after that the widgets lead and the URL follows."""
    links.seed_all(_FILTER_KEYS, lambda: f.widget_values(f.filters_from_values(values)))


_FILTER_KEYS = tuple(ff.key for ff in f.FIELDS)  # the keys f.widget_values gives


def _reset() -> None:
    st.session_state.update(f.widget_values(f.Filters()))


def filter_widgets(cnt: c.Content) -> None:
    """The FIELDS marked `top` up front, the rest one click away; `chosen_filters` reads what they hold.

    The extra filters live in an expander whose body runs only while it is open; their values
    persist while it is closed (`persist_state`), so a closed expander still filters.
    """
    top = [ff for ff in f.FIELDS if ff.top]
    for col, ff in zip(st.columns(len(top)), top, strict=True):
        _widget(col, ff, cnt)
    # A fixed label: the label is part of the expander's identity, so a changing one would close it.
    # The active filters are listed as badges under the count line instead.
    if box := widgets.lazy_expander("More filters: where, who, intensity, equipment, evidence, search", key="t_more"):
        more = [ff for ff in f.FIELDS if not ff.top]
        with box:
            for row in range(0, len(more), 3):
                for col, ff in zip(st.columns(3), more[row : row + 3], strict=False):
                    _widget(col, ff, cnt)


def _widget(col: Any, ff: f.FilterField, cnt: c.Content) -> None:
    """One filter's widget, drawn from its FIELDS row. Values survive a closed expander (persist_state) and
    are dropped when the visitor leaves the page."""
    names = ff.names(cnt)
    common: dict[str, Any] = {"key": ff.key, "help": ff.widget_help, "persist_state": "page"}
    if ff.kind == "multi":
        col.multiselect(ff.label, list(names), format_func=names.get, placeholder=ff.placeholder, **common)
    elif ff.kind == "choice":
        options = [None, *names] if ff.default is None else list(names)
        label_of = lambda v: ff.placeholder if v is None else names[v]  # noqa: E731
        # None shows as the placeholder (not through format_func): say "Any evidence", not "Choose an option".
        col.selectbox(ff.label, options, format_func=label_of, placeholder=ff.placeholder, **common)
    else:
        col.text_input(ff.label, max_chars=MAX_TEXT, live=True, placeholder=ff.placeholder, **common)


def chosen_filters() -> f.Filters:
    """The filters as this session's widgets hold them, also while their tab or expander is closed.

    Widget values are in session state before the script runs, so this is the same before and after
    the widgets are drawn.
    """
    return f.filters_from_widgets(cast(Mapping[str, Any], st.session_state))  # a MutableMapping at run time


def safety_screen(cnt: c.Content) -> f.Screen:
    """An optional checklist; answers stay in this session's widgets and go nowhere else.

    Its body runs only while open; the answers persist while it is closed and keep filtering.
    """
    s = cnt.safety
    questions = s.items()
    label = "Safety check (optional): does any of this apply to you?"  # fixed: see filter_widgets
    if box := widgets.lazy_expander(label, key="t_screen", icon=":material/health_and_safety:"):
        with box:
            st.markdown("Your answers stay on this page. They are not saved, sent or put in the link.")
            left, right = st.columns(2)
            with left:
                st.markdown("**Warning signs that need a doctor first**")
                for r in s.red_flags:
                    st.checkbox(r.label, key=f"{SCREEN_PREFIX}{r.id}", wrap=True, persist_state="page")
            with right:
                st.markdown("**Conditions that rule out some techniques**")
                for x in s.contraindications:
                    st.checkbox(x.question, key=f"{SCREEN_PREFIX}{x.id}", wrap=True, persist_state="page")
    result = f.screen(cnt, [q.id for q in questions if st.session_state.get(f"{SCREEN_PREFIX}{q.id}")])
    if result.urgent:
        names = "; ".join(r.label for r in result.red_flags)
        st.error(
            f"**See a clinician first.** You ticked a warning sign ({names}). These can point to a problem "
            "that needs medical care, sometimes urgently. Please do not try these techniques until a doctor "
            "has checked you. For new bladder or bowel problems, numbness in the saddle area or fast-worsening "
            "leg weakness, get urgent care today.",
            icon=":material/emergency:",
        )
    return result


def count_heading(shown: int, total: int, hidden: int) -> str:
    """'16 of 21 techniques match · 5 hidden by your safety answers': the hidden count sits where people look."""
    line = f"{shown} of {total} techniques " + ("matches" if shown == 1 else "match")
    return line + (f" · {hidden} hidden by your safety answers" if hidden else "")


def summary_line(cnt: c.Content, flt: f.Filters, shown: int, total: int, hidden: int = 0) -> None:
    equipment = cnt.techniques.equipment_names()
    st.markdown(f"## {count_heading(shown, total, hidden)}")
    active = f.active_filters(flt, equipment)
    if active:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(" ".join(f":blue-badge[{md_escape(a)}]" for a in active))
        with right, st.container(horizontal=True, horizontal_alignment="right"):
            st.button("Reset filters", key="t_reset", on_click=_reset, icon=":material/filter_alt_off:")


def hidden_panel(cnt: c.Content, hidden: list[str], screen: f.Screen) -> None:
    """Why techniques are hidden, grouped by answer, right under the count (not below the list)."""
    groups = f.hidden_groups(cnt, screen, hidden)
    if not groups:
        return
    parts = []
    for g in groups:
        names = [f"**{md_escape(name)}**" + (f": {md_escape(own)}" if own else "") for name, own in g.techniques]
        parts.append(f"{md_escape(g.title)} {md_escape(g.reason)}\n\n" + "\n".join(f"- {n}" for n in names))
    with st.container(border=True, key="t_hidden"):
        st.markdown("\n\n".join(parts))


def _toggle_pick(tid: str, name: str) -> None:
    picks = st.session_state.setdefault(HANDOUT_KEY, [])
    if tid in picks:
        picks.remove(tid)
        st.toast(f"Removed “{name}” from your handout ({len(picks)}).", icon=":material/remove_circle:")
    else:
        picks.append(tid)
        st.toast(f"Added “{name}” to your handout ({len(picks)}).", icon=":material/check_circle:")


def _clear_picks() -> None:
    st.session_state[HANDOUT_KEY] = []
    st.session_state[DOSE_KEY] = {}
    st.toast("Your handout is empty.", icon=":material/delete:")


def handout_tab_label(cnt: c.Content) -> str:
    """'Your handout (2)': the tab shows the count. A tab's value is its label, so an open handout tab is
    moved to the new label before the tabs are drawn."""
    label = f"Your handout ({len(handout_picks(cnt))})"
    if str(st.session_state.get("t_tab", "")).startswith("Your handout"):
        st.session_state["t_tab"] = label
    return label


def safety_markdown(cnt: c.Content, t: c.Technique) -> str:
    """Who should not do it and when to stop: on every card, whether or not the safety check was used."""
    lines = ["**Stop at once if:** " + " ".join(md_escape(handout.sentence(s)) for s in t.stop_if)]
    if who := f.skip_if(cnt, t):
        lines.insert(0, "**Skip it if:** " + "; ".join(md_escape(w) for w in who) + ".")
    return "  \n".join(lines)


def goal_evidence_markdown(cnt: c.Content, t: c.Technique, goals: Sequence[str]) -> str:
    """For each goal the visitor filtered by, this technique's evidence for that goal: a stretch that may help
    mobility (B) is not supported for posture (X), and a filter by posture must say so on the card."""
    lines = []
    for ge in t.goal_evidence:
        if ge.goal in goals:
            note = f" {md_escape(ge.note)}" if ge.note else ""
            lines.append(f"**For {f.label(ge.goal).lower()}:** {claims.badge_chip(ge.badge, cnt)}{note}")
    return "  \n".join(lines)


def technique_card(
    cnt: c.Content, t: c.Technique, goals: Sequence[str] = (), picks: Sequence[str] | None = None
) -> None:
    """Name, facts, summary, evidence and safety in one Markdown block; the steps load when their expander opens.

    ``picks``: the handout's picks, when the caller has read them already (one read for all cards)."""
    picked = t.id in (st.session_state.get(HANDOUT_KEY, []) if picks is None else picks)
    with st.container(border=True, key=f"tech_{t.id}"):
        # Keyed by the goals this card has evidence for: content ids only, and one entry per distinct card text.
        shown_goals = tuple(ge.goal for ge in t.goal_evidence if ge.goal in goals)
        st.markdown(_card_markdown(cnt, memo.folder(), t.id, shown_goals))
        if box := widgets.lazy_expander("How to do it, and precautions", key=f"steps_{t.id}"):
            box.markdown(
                "\n".join(f"{i}. {s}" for i, s in enumerate(t.steps, 1))
                + "\n\n**Precautions:**\n\n"
                + "\n".join(f"- {s}" for s in t.precautions)
            )
        st.button(
            "Remove from handout" if picked else "Add to handout",
            key=f"pick_{t.id}",
            on_click=_toggle_pick,
            args=(t.id, t.name),
            icon=":material/remove:" if picked else ":material/add:",
            type="secondary",
        )


@memo.per_folder(maxsize=4096)
def _card_markdown(cnt: c.Content, folder: str, tid: str, goals: tuple[str, ...]) -> str:
    """A card's text, built once per process for each technique and goal filter: content text only (no picks, no
    answers, no typed words), keyed by a technique id and goals from the vocabulary, so shared between sessions."""
    t = cnt.technique(tid)
    for_goals = goal_evidence_markdown(cnt, t, goals)
    return (
        f"### {md_escape(t.name)}\n\n"
        # the body position drawn from the anatomy model: an SVG image inside this one block (no extra element)
        f"{sketch.picture_markdown(t.pose)}\n\n"
        f"{cnt.technique_type(t.type).name} · {f.label(t.performer)} · {f.label(t.intensity)} · "
        f"{t.time} · You need: {md_escape(handout.equipment_text(cnt, t))}  \n{md_escape(dosing.line(t))}\n\n"
        + claims.claim_markdown(t.summary, t, cnt)
        + (f"\n\n{for_goals}" if for_goals else "")
        + "\n\n"
        + safety_markdown(cnt, t)
    )


def cards(cnt: c.Content, ids: Sequence[str], flt: f.Filters) -> None:
    """The first PAGE_SIZE matching cards, then a button for more; new filters start again at the top."""
    if st.session_state.get(_LAST_FILTERS) != flt:
        st.session_state[_LAST_FILTERS] = flt
        st.session_state[SHOWN_KEY] = PAGE_SIZE
    shown = st.session_state.setdefault(SHOWN_KEY, PAGE_SIZE)
    picks = st.session_state.get(HANDOUT_KEY, [])
    for tid in ids[:shown]:
        technique_card(cnt, cnt.technique(tid), flt.goals, picks)
    if len(ids) > shown:
        more = min(PAGE_SIZE, len(ids) - shown)
        st.button(
            f"Show {more} more ({shown} of {len(ids)} shown)",
            key="t_more_cards",
            on_click=lambda: st.session_state.update({SHOWN_KEY: shown + PAGE_SIZE}),
            icon=":material/expand_more:",
            width="stretch",
        )


def technique_kinds(cnt: c.Content) -> None:
    """The five kinds of technique: what each is, who does it, cost, care, evidence."""
    for t in cnt.technique_types:
        with st.container(border=True, key=f"type_{t.id}"):
            body = f"## {md_escape(t.name)}\n\n{t.summary}\n\n**Who does it:** {t.who}  \n"
            body += f"**Cost and time:** {t.cost_time}  \n**Take care:** {t.caution}"
            claims.claim(body, t, cnt)


def relax_hints(cnt: c.Content, flt: f.Filters) -> None:
    """Which single filter to loosen to get results back, as one list."""
    kit = cnt.techniques.equipment_names()
    tips = f.relax_suggestions(catalog(cnt), flt, kit)
    if tips:
        st.markdown("\n".join(f"- {md_escape(tip)}" for tip in tips))


def download_button(
    cnt: c.Content,
    picks: list[str],
    *,
    key: str,
    who: handout.Person | None = None,
    doses: handout.Doses | None = None,
    paper: str = handout.DEFAULT_PAPER,
) -> None:
    """The handout PDF for today, built once per pick list, doses, day, paper and (in this session) name and note."""
    today = date.today()
    st.download_button(
        "Download PDF",
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
    st.toast(f"Moved “{name}” to number {j + 1}.", icon=":material/swap_vert:")


def _set_dose(t: c.Technique, field: str) -> None:
    """Keep a typed number when it is within its bounds; otherwise put back the last one and say why."""
    key = keys.dose_key(t.id, field)
    store = st.session_state.setdefault(DOSE_KEY, {})
    notices = st.session_state.setdefault(keys.DOSE_NOTICE_KEY, {})
    kept = dosing.amounts(t, store.get(t.id))
    typed = st.session_state.get(key)
    value = None if typed is None else int(typed)
    problem = "a number is needed" if value is None else c.dose_problem(field, value)
    if problem or value is None:
        st.session_state[key] = kept[field]
        notices[t.id] = f"Not kept: {problem}. It stays at {kept[field]}."
        return
    notices.pop(t.id, None)
    store[t.id] = dosing.changes(t, {**kept, field: value})


def _reset_dose(t: c.Technique) -> None:
    st.session_state.setdefault(DOSE_KEY, {}).pop(t.id, None)
    st.session_state.setdefault(keys.DOSE_NOTICE_KEY, {}).pop(t.id, None)
    st.toast(f"“{t.name}” is back to its usual dose.", icon=":material/restart_alt:")


def pick_editor(cnt: c.Content, t: c.Technique, number: int, total: int) -> None:
    """One pick of the builder: its dose in words, a number input per dose field (bounds from the one table),
    Reset dose, and Move up / Move down; every button's accessible name ends with the technique's name."""
    changed = st.session_state.get(DOSE_KEY, {}).get(t.id, {})
    with st.container(border=True, key=f"plan_{t.id}"):
        st.markdown(f"### {number}\\. {md_escape(t.name)}\n\n{md_escape(dosing.line(t, changed))}")
        amounts = dosing.amounts(t, changed)
        # A wrapping row of fixed-width inputs: four abreast on a laptop, two on a phone (columns would stack).
        with st.container(horizontal=True, key=f"dose_inputs_{t.id}"):
            for field, value in amounts.items():
                spec = c.DOSE_FIELD[field]
                key = keys.dose_key(t.id, field)
                st.session_state[key] = value  # the kept value, also after a trip to another tab
                st.number_input(
                    spec.label,
                    step=spec.step,
                    key=key,
                    help=f"From {spec.lo} to {spec.hi} {spec.unit}.",
                    on_change=_set_dose,
                    args=(t, field),
                    width=INPUT_WIDTH,
                )
        if notice := st.session_state.get(keys.DOSE_NOTICE_KEY, {}).get(t.id):
            st.warning(notice, icon=":material/error:")
        with st.container(horizontal=True, key=f"order_buttons_{t.id}"):
            st.button(
                f"Move up :small[{md_escape(t.name)}]",
                key=keys.move_key(t.id, "up"),
                on_click=_move,
                args=(t.id, t.name, -1),
                icon=":material/arrow_upward:",
                disabled=number == 1,
                type="tertiary",
                wrap=True,
            )
            st.button(
                f"Move down :small[{md_escape(t.name)}]",
                key=keys.move_key(t.id, "down"),
                on_click=_move,
                args=(t.id, t.name, 1),
                icon=":material/arrow_downward:",
                disabled=number == total,
                type="tertiary",
                wrap=True,
            )
            if amounts:
                st.button(
                    f"Reset dose :small[{md_escape(t.name)}]",
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
    st.header(f"Your handout ({len(picks)})")
    if not picks:
        st.markdown("Nothing yet. Use **Add to handout** on any technique.")
        return
    if len(picks) > handout.MAX_TECHNIQUES:
        st.warning(
            f"The handout holds {handout.MAX_TECHNIQUES} techniques; the first {handout.MAX_TECHNIQUES} are used."
        )
    st.markdown("Change a dose or the order here; the sheet, its QR code and this page's link follow.")
    st.html(BUILDER_CSS)
    for i, tid in enumerate(picks, 1):
        pick_editor(cnt, cnt.technique(tid), i, len(picks))
    doses = handout_doses(cnt)
    who = who_inputs("t")
    paper = paper_input("t")
    address_notice(site_origin())
    a, b, d = st.columns(3)
    with a:
        download_button(cnt, picks, key="t_pdf", who=who, doses=doses, paper=paper)
    link = build.handout(picks, doses=doses)
    b.page_link(link.page, label="Print-friendly view", icon=":material/print:", query_params=link.query)
    d.button("Clear handout", key="t_clear", on_click=_clear_picks, icon=":material/delete:")
