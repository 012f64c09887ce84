"""The consult handout: PDF read back with pypdf, and the Markdown print view, over the real content."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader

from psoas_explorer import settings
from psoas_explorer.content import dose
from psoas_explorer.content import model as c
from psoas_explorer.content.text import long_date, md_escape
from psoas_explorer.handout import at_home
from psoas_explorer.handout import document as sheet_doc
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.handout import plan as sheet_plan
from psoas_explorer.techniques import filters
from tests.support import qr_links

TODAY = date(2025, 11, 24)


def flat(text: str) -> str:
    """Whitespace-insensitive form, since the PDF wraps lines wherever the width ends."""
    return " ".join(text.split())


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    # The footer is drawn on each page, so a paragraph running over a page break has it in the middle.
    footer = re.compile(r"Psoas Explorer · information, not medical advice · page \d+ of \d+")
    return reader, flat(" ".join(footer.sub(" ", page.extract_text()) for page in reader.pages))


def with_name(cnt: c.Content, index: int, name: str) -> c.Content:
    """A copy of the content with one technique renamed (the real files stay untouched)."""
    techs = list(cnt.techniques.techniques)
    techs[index] = techs[index].model_copy(update={"name": name})
    return cnt.model_copy(update={"techniques": cnt.techniques.model_copy(update={"techniques": tuple(techs)})})


def longest(cnt: c.Content, n: int) -> list[c.Technique]:
    def size(t: c.Technique) -> int:
        return len(" ".join((t.name, t.summary, t.frequency, *t.steps, *t.stop_if, *t.precautions)))

    return sorted(cnt.techniques.techniques, key=size, reverse=True)[:n]


@pytest.fixture(scope="module")
def three(cnt) -> list[c.Technique]:
    """One technique from each of three different types."""
    seen: dict[str, c.Technique] = {}
    for t in cnt.techniques.techniques:
        seen.setdefault(t.type, t)
    return list(seen.values())[:3]


@pytest.fixture(scope="module")
def three_pdf(cnt, three) -> bytes:
    return sheet_pdf.handout_pdf(cnt, [t.id for t in three], today=TODAY, clinician="Dr Ayşe Çelik")


def test_pdf_holds_names_steps_warning_sources_notes_and_date(cnt, three, three_pdf):
    reader, text = read(three_pdf)
    assert len(reader.pages) - sheet_pdf.LOG_PAGES <= 2
    for t in three:
        assert flat(t.name) in text
        assert all(flat(step) in text for step in dose.steps(t))  # with the default dose filled in
        assert f"Evidence {t.badge}" in text
    assert flat(cnt.safety.short) in text
    # Every stop sign and every warning sign one by one, and each technique's own safety lines (issue 11).
    for sign in (*cnt.safety.stop_signs, *(f.label for f in cnt.safety.red_flags)):
        assert flat(sign) in text, sign
    for t in three:
        assert flat(t.stop_if[0]) in text
        for who in filters.skip_if(cnt, t):
            assert flat(who) in text, who
    assert "Clinician's notes" in text
    assert long_date(TODAY) in text
    assert "Dr Ayşe Çelik" in text
    cited = dict.fromkeys(r for t in three for r in t.refs)
    for ref_id in cited:
        ref = cnt.reference(ref_id)
        assert flat(ref.short) in text
        if ref.doi:
            assert ref.doi in text.replace(" ", "")


def test_pdf_metadata(three_pdf):
    reader, _ = read(three_pdf)
    meta = reader.metadata
    assert meta.title == sheet_plan.TITLE
    created = meta.creation_date
    assert (created.year, created.month, created.day) == (TODAY.year, TODAY.month, TODAY.day)


def test_the_longest_techniques_still_fit_on_two_pages(cnt):
    picks = longest(cnt, sheet_plan.MAX_TECHNIQUES)
    reader, text = read(sheet_pdf.handout_pdf(cnt, [t.id for t in picks], today=TODAY))
    assert len(reader.pages) - sheet_pdf.LOG_PAGES <= 2
    for t in picks:
        assert flat(t.name) in text
    # the ruled lines for the clinician fill what room is left; the link that reopens the plan is always there
    assert "scan the code or open" in text


def test_extra_picks_are_capped_and_the_handout_says_so(cnt):
    techs = cnt.techniques.techniques
    assert len(techs) > sheet_plan.MAX_TECHNIQUES
    picks = [t.id for t in techs[: sheet_plan.MAX_TECHNIQUES + 2]]
    reader, text = read(sheet_pdf.handout_pdf(cnt, picks + ["no_such_id", picks[0]], today=TODAY))
    assert len(reader.pages) - sheet_pdf.LOG_PAGES <= 2
    assert f"at most {sheet_plan.MAX_TECHNIQUES} techniques; 2 more techniques were left out" in text
    assert flat(techs[sheet_plan.MAX_TECHNIQUES - 1].name) in text
    assert f"{sheet_plan.MAX_TECHNIQUES + 1}. {flat(techs[sheet_plan.MAX_TECHNIQUES].name)}" not in text


def test_unusual_unicode_in_a_name_renders(cnt):
    name = "Çalışma ğüş – hip ≈ 90° “stretch”"
    pdf = sheet_pdf.handout_pdf(with_name(cnt, 0, name), [cnt.techniques.techniques[0].id], today=TODAY)
    _reader, text = read(pdf)
    assert name in text


def test_no_techniques_still_gives_the_warning(cnt):
    reader, text = read(sheet_pdf.handout_pdf(cnt, [], today=TODAY))
    assert len(reader.pages) == 1  # no plan, no log to keep
    assert "No techniques were chosen" in text
    assert flat(cnt.safety.short) in text


def test_plan_keeps_order_drops_unknown_and_repeats(cnt):
    a, b = cnt.techniques.techniques[3].id, cnt.techniques.techniques[1].id
    p = sheet_plan.plan(cnt, [a, "nope", b, a])
    assert [t.id for t in p.techniques] == [a, b]
    assert p.left_out == 0


# --- length, paper and type size (issue 14) --------------------------------------------------------------------

LONG_NOTE = ("Walk for ten minutes after lunch; stop if it hurts. " * 12)[: sheet_plan.MAX_NOTE]
A4, LETTER = (595, 842), (612, 792)  # page sizes in points, as a viewer and a printer read them


def longest_plans(cnt: c.Content) -> list[list[str]]:
    """Every plan of six from the seven techniques that print the most, longest first."""
    top = sheet_plan.longest_techniques(cnt, sheet_plan.MAX_TECHNIQUES + 1)
    return [[t.id for t in top if t is not left] for left in reversed(top)]


def font_sizes(reader: PdfReader) -> list[float]:
    """The size of every run of text the PDF sets (its Tf operators), page by page."""
    sizes: list[float] = []
    for page in reader.pages:
        contents = page.get_contents()
        assert contents is not None
        data = contents.get_data().decode("latin-1")
        sizes += [float(x) for x in re.findall(r"/F\d+ ([\d.]+) Tf", data)]
    return sizes


def body_size(reader: PdfReader) -> float:
    """The size most text is set in: the body."""
    return Counter(font_sizes(reader)).most_common(1)[0][0]


def sheet(cnt: c.Content, ids: list[str], paper: str = "a4") -> bytes:
    """A sheet for someone, with the clinic's name and a note of the full 500 characters."""
    return sheet_pdf.handout_pdf(
        cnt, ids, today=TODAY, patient="Jo Bloggs-Ağaoğlu", clinician="Harbour Physio", note=LONG_NOTE, paper=paper
    )


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_any_long_plan_of_six_fits_two_pages_in_type_of_8_pt_or_more(cnt, paper):
    assert len(LONG_NOTE) == sheet_plan.MAX_NOTE
    for ids in longest_plans(cnt):
        reader, text = read(sheet(cnt, ids, paper))
        assert 1 <= len(reader.pages) - sheet_pdf.LOG_PAGES <= 2, ids
        assert body_size(reader) >= sheet_pdf.MIN_BODY_PT == 8
        assert min(font_sizes(reader)) >= sheet_doc.MIN_SMALL_PT == 7  # footer and sources included
        for i in ids:
            assert flat(next(t.name for t in cnt.techniques.techniques if t.id == i)) in text
        assert flat(LONG_NOTE) in text
        assert "For Jo Bloggs-Ağaoğlu" in text
        assert all(flat(f.label) in text for f in cnt.safety.red_flags)


def test_a_short_plan_gets_large_type_on_one_page(cnt):
    reader, _ = read(sheet_pdf.handout_pdf(cnt, [cnt.techniques.techniques[0].id], today=TODAY))
    assert len(reader.pages) == 1 + sheet_pdf.LOG_PAGES
    assert body_size(reader) == 10


def test_the_sheet_is_a4_unless_letter_is_chosen(cnt, three):
    ids = [t.id for t in three]
    for paper, want in ((None, A4), ("a4", A4), ("letter", LETTER)):
        pdf = sheet_pdf.handout_pdf(cnt, ids, today=TODAY, **({"paper": paper} if paper else {}))
        sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages}
        assert sizes == {want}, paper
    with pytest.raises(ValueError, match="paper"):
        sheet_pdf.handout_pdf(cnt, ids, today=TODAY, paper="a5")


def test_a_repeated_skip_list_points_to_the_first_only_when_the_sheet_needs_the_room(cnt):
    techs = cnt.techniques.techniques
    first, again = next(
        (a, b)
        for i, a in enumerate(techs)
        for b in techs[i + 1 :]
        if len(filters.skip_if(cnt, a)) >= 3 and set(filters.skip_if(cnt, a)) <= set(filters.skip_if(cnt, b))
    )
    _, roomy = read(sheet_pdf.handout_pdf(cnt, [first.id, again.id], today=TODAY))
    assert "any reason listed for" not in roomy  # room enough: every list in full
    assert flat("; ".join(filters.skip_if(cnt, again))) in roomy
    full = next(ids for ids in longest_plans(cnt) if first.id in ids and again.id in ids)
    ids = [first.id, again.id] + [i for i in full if i not in (first.id, again.id)]
    _, tight = read(sheet(cnt, ids, "letter"))
    assert "Skip it if: any reason listed for 1 applies" in tight  # the second points to the first
    assert flat("; ".join(filters.skip_if(cnt, first))) in tight  # which is printed in full


def test_the_front_view_gives_way_only_when_nothing_else_keeps_two_pages():
    """The fitting's order: the front view in the header goes last, after compact lists and smaller pictures."""
    assert sheet_pdf.fitting(lambda f: 3 if f.front else 2) == sheet_pdf.Fit(
        sheet_pdf.MIN_BODY_PT, compact=True, picture=0.75, front=False
    )
    assert sheet_pdf.fitting(lambda f: 3 if f.picture == 1 else 2) == sheet_pdf.Fit(
        sheet_pdf.MIN_BODY_PT, compact=True, picture=0.75
    )
    assert sheet_pdf.fitting(lambda f: 2 if f.compact else 3).front


def test_the_layout_pass_counts_the_pages_the_drawn_sheet_has(cnt):
    """The size is chosen from layouts that draw nothing; they must paginate exactly as the drawn sheet does."""
    for ids in (longest_plans(cnt)[0], [t.id for t in cnt.techniques.techniques[:3]]):
        p = sheet_plan.plan(cnt, ids)
        who = sheet_plan.Person("Jo", "Clinic", LONG_NOTE)
        for size in (10.0, 8.0):
            kw = {"today": TODAY, "who": who, "link": sheet_plan.plan_url(ids), "size": size}
            dry = sheet_pdf._Writer(cnt, p, dry=True, **kw).build()
            drawn = sheet_pdf._Writer(cnt, p, **kw).build()
            assert abs(dry.get_y() - drawn.get_y()) < 0.01  # where the last line ended, too
            assert dry.page_no() == drawn.page_no() == len(PdfReader(io.BytesIO(bytes(drawn.output()))).pages)


def test_each_evidence_badge_is_painted_in_its_colour_though_its_block_was_measured_first(cnt):
    """Measuring draws nothing; the colours set while measuring must still be set again when drawing."""
    from fpdf.drawing_primitives import convert_to_device_color

    from psoas_explorer.content.vocab import BADGE_RGB

    picks = sheet_plan.longest_techniques(cnt)
    reader = PdfReader(io.BytesIO(sheet(cnt, [t.id for t in picks])))
    stream = " ".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)
    for badge in {t.badge for t in picks}:
        fill = convert_to_device_color(*BADGE_RGB[badge]).serialize().lower()  # e.g. "0.0431 0.3608 0.6784 rg"
        assert fill in stream, badge


def test_a_note_of_one_unbroken_word_is_cut_at_the_column_edge_and_printed_whole(cnt, three):
    word = "x" * sheet_plan.MAX_NOTE
    _, text = read(sheet_pdf.handout_pdf(cnt, [three[0].id], today=TODAY, note=word))
    assert word in text.replace(" ", "")


# --- The patient's view as Markdown (what /handout shows and prints) ----------------------------


def view_markdown(cnt, ids, doses=None) -> str:
    return "\n\n".join([*at_home.plan_markdown(cnt, ids, doses), at_home.safety_markdown(cnt)])


def test_the_patients_view_has_the_sheets_sections(cnt, three):
    md = view_markdown(cnt, [t.id for t in three])
    for t in three:
        assert md_escape(t.name) in md
        assert all(f"{i}. {md_escape(s)}" in md for i, s in enumerate(dose.steps(t), 1))
        assert all(md_escape(who) in md for who in filters.skip_if(cnt, t))
    assert md_escape(cnt.safety.short) in md
    for sign in (*cnt.safety.stop_signs, *(f.label for f in cnt.safety.red_flags)):
        assert f"- {md_escape(sign)}" in md


def test_the_patients_view_escapes_markup_in_content(cnt):
    hostile = "<script>alert(1)</script> **bold** [link](https://example.com) $x$ :red[y]"
    md = view_markdown(with_name(cnt, 0, hostile), [cnt.techniques.techniques[0].id])
    heading = next(line for line in md.splitlines() if line.startswith("## 1"))
    assert "<script>" not in md
    assert "**bold**" not in md
    assert "[link](" not in md
    # every markup character taken from the name is preceded by a backslash
    body = heading.split(" ", 2)[2]
    assert not re.search(r"(?<!\\)[<>*\[\]()$:`_]", body.replace("\\\\", ""))


def test_md_escape_leaves_plain_words_alone():
    assert md_escape("Sığlan & Çolak 2023") == "Sığlan \\& Çolak 2023"
    assert md_escape("line\nbreak") == "line break"


# --- who it is for, and the QR code that reopens the plan -------------------------------------------------------


def test_plan_url_holds_the_kept_picks_in_order_and_the_base_comes_from_the_setting(monkeypatch):
    monkeypatch.delenv(settings.PUBLIC_URL.name, raising=False)
    assert sheet_plan.plan_url(["b", "a", "b"]) == "http://localhost:8501/handout?h=b&h=a"
    monkeypatch.setenv(settings.PUBLIC_URL.name, "https://example.org/psoas/")
    assert sheet_plan.plan_url(["x"]) == "https://example.org/psoas/handout?h=x"
    assert sheet_plan.plan_url([str(i) for i in range(9)]).count("h=") == sheet_plan.MAX_TECHNIQUES


def test_the_qr_code_and_the_printed_link_reopen_exactly_this_plan(cnt, three):
    ids = [t.id for t in reversed(three)]
    pdf = sheet_pdf.handout_pdf(cnt, ids, today=TODAY, base_url="https://psoas.example.org")
    want = "https://psoas.example.org/handout?" + "&".join(f"h={i}" for i in ids)
    assert qr_links(pdf) == [want]
    _, text = read(pdf)
    assert want in text.replace(" ", "") or want in "".join(text.split())


def test_the_qr_code_of_the_longest_plan_decodes_and_the_sheet_keeps_two_pages(cnt):
    ids = [t.id for t in longest(cnt, sheet_plan.MAX_TECHNIQUES)]
    pdf = sheet_pdf.handout_pdf(cnt, ids, today=TODAY)
    assert (
        len(PdfReader(io.BytesIO(pdf)).pages) - sheet_pdf.LOG_PAGES <= 2
    )  # the code sits in the header, never on a page of its own
    assert qr_links(pdf) == [sheet_plan.plan_url(ids)]
    # with a name and a note (which may take a third page) the code still decodes to the same link
    assert qr_links(sheet_pdf.handout_pdf(cnt, ids, today=TODAY, patient="Jo Bloggs", note="x " * 250)) == [
        sheet_plan.plan_url(ids)
    ]


NOTE = "Keep it *gentle* <b>not bold</b> # no heading\n[link](http://x) _under_ `code` \\ back"


def test_patient_clinician_and_note_are_printed_as_typed_and_never_in_the_link(cnt, three):
    ids = [t.id for t in three]
    pdf = sheet_pdf.handout_pdf(cnt, ids, today=TODAY, patient="Zoë *Ng*", clinician="Clinic <One>", note=NOTE)
    _, text = read(pdf)
    assert "For Zoë *Ng*" in text
    assert "prepared with Clinic <One>" in text
    for line in NOTE.split("\n"):
        assert flat(line) in text
    assert sheet_plan.PRIVACY_NOTE in text
    (link,) = qr_links(pdf)
    for private in ("Zo", "Ng", "Clinic", "gentle", "bold"):
        assert private not in link


def test_over_long_or_control_character_input_is_cut_and_flattened(cnt, three):
    who = sheet_plan.Person("A" * 200 + "\x07", "B\x00C", "x" * 900 + "\r\nend").cleaned()
    assert who.patient == "A" * sheet_plan.MAX_PERSON
    assert who.clinician == "B C"
    assert len(who.note) == sheet_plan.MAX_NOTE and "\r" not in who.note
