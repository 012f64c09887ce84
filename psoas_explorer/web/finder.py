"""The techniques finder: filters, the safety screen, the count and technique cards with their Add to handout
button.

Decisions (what matches, what is blocked) are made in techniques/filters.py; this module only draws them and keeps
the URL in step. The handout tab is handout_builder.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import pandas as pd
import streamlit as st

from psoas_explorer.anatomy import pose as sketch
from psoas_explorer.content import dose as dosing
from psoas_explorer.content import findings
from psoas_explorer.content import model as c
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.i18n import LANGS, N_, Lang, tr, trn
from psoas_explorer.linkformat import MAX_TEXT
from psoas_explorer.techniques import filters as f
from psoas_explorer.web import claims, lang, links, memo, widgets
from psoas_explorer.web.handout_builder import DOSE_KEY, HANDOUT_KEY, handout_picks
from psoas_explorer.web.lang import _

SCREEN_PREFIX = "screen_"  # safety answers: widget state only, never written to the URL or anywhere else
SHOWN_KEY = "t_shown"  # how many cards are on show; "Show more" adds PAGE_SIZE
PAGE_SIZE = 6  # cards drawn at first: each card is several messages on every rerun
_LAST_FILTERS = "_t_last_filters"


@memo.per_folder()
def _catalog(cnt: c.Content, folder: str) -> pd.DataFrame:
    return f.catalog_frame(cnt)


def catalog(cnt: c.Content) -> pd.DataFrame:
    """The catalog table, built once per content folder and shared read-only (filters never mutate it)."""
    return _catalog(cnt, memo.folder())


@memo.per_folder(maxsize=2048)
def _matching(cnt: c.Content, folder: str, flt: f.Filters) -> tuple[str, ...]:
    return tuple(f.apply(_catalog(cnt, folder), flt)["id"])


_TYPED_MATCH = "_t_typed_match"  # this session's last typed search: (folder, language, filters, matching ids)


def matching(cnt: c.Content, flt: f.Filters) -> tuple[str, ...]:
    """Ids of the techniques that match, in display order.

    Filters picked from the fixed lists are shared between sessions per combination (an immutable tuple of ids,
    keyed by choices from the vocabulary). Words the visitor typed never become a shared cache key: such a search
    is kept only in this session (so a rerun that does not change it costs nothing), read in the session's
    language (a switch of language searches again).
    """
    folder = memo.folder()
    if not flt.text:
        return _matching(cnt, folder, flt)
    here, kept = lang.current(), st.session_state.get(_TYPED_MATCH)
    if kept is None or kept[:3] != (folder, here, flt):
        ids = tuple(f.apply(_catalog(cnt, folder), flt, here)["id"])
        kept = st.session_state[_TYPED_MATCH] = (folder, here, flt, ids)
    return kept[3]  # type: ignore[no-any-return]


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
    if box := widgets.lazy_expander(
        _("More filters: where, who, intensity, equipment, evidence, search"), key="t_more"
    ):
        more = [ff for ff in f.FIELDS if not ff.top]
        with box:
            for row in range(0, len(more), 3):
                for col, ff in zip(st.columns(3), more[row : row + 3], strict=False):
                    _widget(col, ff, cnt)


def _widget(col: Any, ff: f.FilterField, cnt: c.Content) -> None:
    """One filter's widget, drawn from its FIELDS row. Values survive a closed expander (persist_state) and
    are dropped when the visitor leaves the page."""
    names = f.choice_words(ff, cnt, lang.current())  # the choices in the reader's language
    label, placeholder = _(ff.label), _(ff.placeholder)
    common: dict[str, Any] = {"key": ff.key, "help": ff.widget_help and _(ff.widget_help), "persist_state": "page"}
    if ff.kind == "multi":
        col.multiselect(label, list(names), format_func=names.get, placeholder=placeholder, **common)
    elif ff.kind == "choice":
        options = [None, *names] if ff.default is None else list(names)
        label_of = lambda v: placeholder if v is None else names[v]  # noqa: E731
        # None shows as the placeholder (not through format_func): say "Any evidence", not "Choose an option".
        col.selectbox(label, options, format_func=label_of, placeholder=placeholder, **common)
    else:
        col.text_input(label, max_chars=MAX_TEXT, live=True, placeholder=placeholder, **common)


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
    label = _("Safety check (optional): does any of this apply to you?")  # fixed: see filter_widgets
    if box := widgets.lazy_expander(label, key="t_screen", icon=":material/health_and_safety:"):
        with box:
            st.markdown(_("Your answers stay on this page. They are not saved, sent or put in the link."))
            left, right = st.columns(2)
            with left:
                st.markdown("**" + _("Warning signs that need a doctor first") + "**")
                for r in s.red_flags:
                    st.checkbox(r.label, key=f"{SCREEN_PREFIX}{r.id}", wrap=True, persist_state="page")
            with right:
                st.markdown("**" + _("Conditions that rule out some techniques") + "**")
                for x in s.contraindications:
                    st.checkbox(x.question, key=f"{SCREEN_PREFIX}{x.id}", wrap=True, persist_state="page")
    result = f.screen(cnt, [q.id for q in questions if st.session_state.get(f"{SCREEN_PREFIX}{q.id}")])
    if result.urgent:
        names = "; ".join(r.label for r in result.red_flags)
        st.error(
            _(
                "**See a clinician first.** You ticked a warning sign ({names}). These can point to a problem "
                "that needs medical care, sometimes urgently. Please do not try these techniques until a doctor "
                "has checked you. For new bladder or bowel problems, numbness in the saddle area or fast-worsening "
                "leg weakness, get urgent care today."
            ).format(names=names),
            icon=":material/emergency:",
        )
    return result


def count_heading(shown: int, total: int, hidden: int) -> str:
    """'16 of 21 techniques match · 5 hidden by your safety answers': the hidden count sits where people look."""
    here = lang.current()
    line = trn(here, "{shown} of {total} techniques matches", "{shown} of {total} techniques match", shown)
    line = line.format(shown=shown, total=total)
    if not hidden:
        return line
    return tr(here, "{count_line} · {hidden} hidden by your safety answers").format(count_line=line, hidden=hidden)


def summary_line(cnt: c.Content, flt: f.Filters, shown: int, total: int, hidden: int = 0) -> None:
    equipment = cnt.techniques.equipment_names()
    st.markdown(f"## {count_heading(shown, total, hidden)}")
    active = f.active_filters(flt, equipment, lang.current())
    if active:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(" ".join(f":blue-badge[{md_escape(a)}]" for a in active))
        with right, st.container(horizontal=True, horizontal_alignment="right"):
            st.button(_("Reset filters"), key="t_reset", on_click=_reset, icon=":material/filter_alt_off:")


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
        st.toast(
            _("Removed “{name}” from your handout ({count}).").format(name=name, count=len(picks)),
            icon=":material/remove_circle:",
        )
    else:
        picks.append(tid)
        st.toast(
            _("Added “{name}” to your handout ({count}).").format(name=name, count=len(picks)),
            icon=":material/check_circle:",
        )


def handout_tab_label(cnt: c.Content) -> str:
    """'Your handout (2)': the tab shows the count. A tab's value is its label, so an open handout tab is
    moved to the new label before the tabs are drawn."""
    label = handout_tab_name(len(handout_picks(cnt)))
    if is_handout_tab_name(str(st.session_state.get("t_tab", ""))):
        st.session_state["t_tab"] = label
    return label


_HANDOUT_TAB = N_("Your handout ({count})")  # the label is the tab's value: matched without its count


def handout_tab_name(count: int, in_lang: Lang | None = None) -> str:
    """The handout tab's label for ``count`` picks, in ``in_lang`` (the session's language by default)."""
    return tr(in_lang or lang.current(), _HANDOUT_TAB).format(count=count)


def is_handout_tab_name(label: str) -> bool:
    """Is ``label`` the handout tab's, for any count and in any language (a tab open before a language switch)?"""
    return any(label.startswith(tr(lang, _HANDOUT_TAB).split("(")[0].strip()) for lang in LANGS)


def safety_markdown(cnt: c.Content, t: c.Technique) -> str:
    """Who should not do it and when to stop: on every card, whether or not the safety check was used."""
    lines = [
        _("**Stop at once if:** {signs}").format(signs=" ".join(md_escape(sheet_plan.sentence(s)) for s in t.stop_if))
    ]
    if who := f.skip_if(cnt, t):
        lines.insert(0, _("**Skip it if:** {conditions}.").format(conditions="; ".join(md_escape(w) for w in who)))
    return "  \n".join(lines)


def goal_evidence_markdown(cnt: c.Content, t: c.Technique, goals: Sequence[str]) -> str:
    """For each goal the visitor filtered by, this technique's evidence for that goal: a stretch that may help
    mobility (B) is not supported for posture (X), and a filter by posture must say so on the card."""
    lines = []
    for ge in t.goal_evidence:
        if ge.goal in goals:
            note = f" {md_escape(text)}" if (text := findings.goal_note(cnt, ge)) else ""
            head = _("**For {goal}:**").format(goal=f.label(ge.goal).lower())
            lines.append(f"{head} {claims.badge_chip(ge.badge, cnt)}{note}")
    return "  \n".join(lines)


def technique_card(
    cnt: c.Content, t: c.Technique, goals: Sequence[str] = (), picks: Sequence[str] | None = None
) -> None:
    """Name, facts, summary, evidence and safety in one Markdown block; the steps load when their expander opens.

    ``picks``: the handout's picks, when the caller has read them already (one read for all cards)."""
    picked = t.id in (st.session_state.get(HANDOUT_KEY, []) if picks is None else picks)
    # a picked technique's card says the plan's dose, in its dose line and its steps alike
    changed = st.session_state.get(DOSE_KEY, {}).get(t.id) if picked else None
    with st.container(border=True, key=f"tech_{t.id}"):
        # Keyed by the goals this card has evidence for: content ids only, and one entry per distinct card text.
        shown_goals = tuple(ge.goal for ge in t.goal_evidence if ge.goal in goals)
        here = lang.current()
        head, tail = _card_markdown(cnt, memo.folder(), here, t.id, shown_goals)
        st.markdown(head + md_escape(dosing.line(t, changed, here)) + tail)
        if box := widgets.lazy_expander(_("How to do it, and precautions"), key=f"steps_{t.id}"):
            box.markdown(
                "\n".join(f"{i}. {md_escape(s)}" for i, s in enumerate(dosing.steps(t, changed, here), 1))
                + "\n\n**"
                + _("Precautions:")
                + "**\n\n"
                + "\n".join(f"- {s}" for s in t.precautions)
            )
        st.button(  # the technique's name in the label: a screen reader's list of buttons says which card
            (_("Remove from handout: {name}") if picked else _("Add to handout: {name}")).format(
                name=md_escape(t.name)
            ),
            key=f"pick_{t.id}",
            on_click=_toggle_pick,
            args=(t.id, t.name),
            icon=":material/remove:" if picked else ":material/add:",
            type="secondary",
        )


@memo.per_folder(maxsize=4096)
def _card_markdown(cnt: c.Content, folder: str, lang: Lang, tid: str, goals: tuple[str, ...]) -> tuple[str, str]:
    """A card's text before and after its dose line, built once per process for each language, technique and goal
    filter: content text only (no picks, no answers, no typed words, no dose), keyed by the language, a technique id
    and goals from the vocabulary, so shared between sessions."""
    t = cnt.technique(tid)
    for_goals = goal_evidence_markdown(cnt, t, goals)
    return (
        f"### {md_escape(t.name)}\n\n"
        # the body position drawn from the anatomy model: an SVG image inside this one block (no extra element)
        f"{sketch.picture_markdown(t.pose, lang)}\n\n"
        f"{cnt.technique_type(t.type).name} · {f.label(t.performer, lang=lang)} · {f.label(t.intensity, lang=lang)} · "
        f"{t.time} · "
        + tr(lang, "You need: {equipment}").format(equipment=md_escape(sheet_plan.equipment_text(cnt, t, lang)))
        + "  \n"
    ), (
        "\n\n"
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
            _("Show {more} more ({shown} of {total} shown)").format(more=more, shown=shown, total=len(ids)),
            key="t_more_cards",
            on_click=lambda: st.session_state.update({SHOWN_KEY: shown + PAGE_SIZE}),
            icon=":material/expand_more:",
            width="stretch",
        )


def technique_kinds(cnt: c.Content) -> None:
    """The five kinds of technique: what each is, who does it, cost, care, evidence."""
    for t in cnt.technique_types:
        with st.container(border=True, key=f"type_{t.id}"):
            body = f"## {md_escape(t.name)}\n\n{t.summary}\n\n" + _(
                "**Who does it:** {who}  \n**Cost and time:** {cost_time}  \n**Take care:** {caution}"
            ).format(who=t.who, cost_time=t.cost_time, caution=t.caution)
            claims.claim(body, t, cnt)


def relax_hints(cnt: c.Content, flt: f.Filters) -> None:
    """Which single filter to loosen to get results back, as one list."""
    kit = cnt.techniques.equipment_names()
    tips = f.relax_suggestions(catalog(cnt), flt, kit, lang.current())
    if tips:
        st.markdown("\n".join(f"- {md_escape(tip)}" for tip in tips))
