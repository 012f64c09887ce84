"""The patient's sheet in Spanish (issue 25): the sheet's own words, its date, doses and pictures in Spanish, and
its QR code and printed link opening the plan in Spanish. Content (names, steps) comes from the content object
given, so these tests check the sheet's fixed words, not the data's."""

from __future__ import annotations

import re
from datetime import date

import pytest

from psoas_explorer.anatomy import pose as sketch
from psoas_explorer.content import dose
from psoas_explorer.content import model as c
from psoas_explorer.content.text import long_date
from psoas_explorer.handout import at_home
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.handout import plan as sheet_plan
from tests.support import qr_links
from tests.unit.test_handout import read

TODAY = date(2025, 11, 24)
# The sheet's own English words: headings, labels, the log and the footer. None may be left on a Spanish sheet.
ENGLISH_SHEET_WORDS = (
    "Safety first",
    "Stop at once if",
    "Take care:",
    "Skip it if:",
    "Sources",
    "Clinician's notes",
    "Note from your clinician",
    "Your log",
    "Week",
    "Pain 0–10",
    "Dose:",
    "How often:",
    "You need:",
    "Evidence A",
    "Evidence B",
    "Evidence C",
    "information, not medical advice",
    "your plan",
    "To see this plan",
    "prepared with",
    "For Ana",
    "Get medical help first",
    "longer than standing",
    "November",
)


@pytest.fixture(scope="module")
def picks(cnt: c.Content) -> list[str]:
    """The three longest techniques ("Skip it if" lists, "How often" words) and one with a dose on each side."""
    dosed = next(t for t in cnt.techniques.techniques if t.dose and t.dose.each_side)
    return [*(t.id for t in sheet_plan.longest_techniques(cnt, 3)), dosed.id]


@pytest.fixture(scope="module")
def spanish_pdf(cnt: c.Content, picks: list[str]) -> bytes:
    return sheet_pdf.handout_pdf(
        cnt,
        picks,
        today=TODAY,
        clinician="Clínica Sol",
        patient="Ana",
        note="Dos veces al día.",
        base_url="https://psoas.example",
        lang="es",
    )


def test_the_spanish_sheet_has_spanish_headings_and_no_english_section_words(spanish_pdf: bytes) -> None:
    reader, text = read(spanish_pdf)
    for heading in (
        "Psoas Explorer – su plan",
        "Primero, la seguridad",
        "Pare de inmediato si:",
        "Busque primero ayuda médica (no se trate usted mismo) si tiene:",
        "Fuentes",
        "Nota de su profesional sanitario",
        "Su registro",
        "Semana 1",
        "Día 7",
        "Dolor 0–10",
        "24 de noviembre de 2025 · preparado con Clínica Sol",
        "Para Ana",
        "Dosis:",
        "Con qué frecuencia:",
        "cada lado",
        "Necesita:",
        "Evidencia ",
        "Para ver este plan en su teléfono",
    ):
        assert heading in text, heading
    for word in ENGLISH_SHEET_WORDS:  # whole words: the content given here is English ("Weekly for a few weeks")
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), word
    footers = [page.extract_text() for page in reader.pages]
    assert all(re.search(r"página \d+ de \d+", page) for page in footers)
    assert reader.metadata is not None and reader.metadata.title == "Psoas Explorer – su plan"


def test_the_spanish_sheets_qr_code_and_printed_link_open_the_plan_in_spanish(
    cnt: c.Content, picks: list[str], spanish_pdf: bytes
) -> None:
    link = sheet_plan.plan_url(picks, "https://psoas.example", lang="es")
    assert link.endswith("&lang=es")
    assert qr_links(spanish_pdf) == [link]
    _, text = read(spanish_pdf)
    assert link in text.replace(" ", "")
    english = sheet_pdf.handout_pdf(cnt, picks, today=TODAY, base_url="https://psoas.example")
    assert "lang=" not in qr_links(english)[0]  # English is the default: its link stays as it was


def test_doses_dates_and_pictures_in_spanish(cnt: c.Content) -> None:
    held = next(t for t in cnt.techniques.techniques if t.dose and t.dose.hold and t.dose.each_side)
    words = dose.words(held, {"hold": 45, "per_day": 2}, "es")
    assert words.startswith("Mantener 45 segundos") and "cada lado" in words and "dos veces al día" in words
    assert dose.line(held, {"hold": 45}, "es").endswith("(fijada por su profesional sanitario)")
    assert dose.amount_words("hold", 1, "es") == "1 segundo"
    assert dose.amount_words("per_week", 3, "es") == "3 veces por semana"
    assert dose.words(held, {"hold": 45}) == dose.words(held, {"hold": 45}, "en")  # English by default
    assert long_date(TODAY, "es") == "24 de noviembre de 2025"
    assert long_date(TODAY) == "24 November 2025"
    sc = sketch.scene(held.pose, lang="es")
    assert sc.caption.startswith("Psoas ") and "de pie" in sc.caption
    assert "(modelo)." in sc.alt and "cadera" in sc.alt
    assert "Vista de frente" in sketch.front_scene(lang="es").alt
    assert {s.text for s in sketch.front_scene(lang="es").role("label")} >= {"ombligo", "fémur"}


def test_the_patients_view_in_spanish(cnt: c.Content, picks: list[str]) -> None:
    blocks = "\n".join(at_home.plan_markdown(cnt, picks, lang="es"))
    assert "**Pare de inmediato si:**" in blocks and "**Tenga cuidado:**" in blocks
    assert "Stop at once if" not in blocks and "Take care" not in blocks
    assert "Pare de inmediato si" in at_home.safety_markdown(cnt, "es")
    assert at_home.intro(2, "es").startswith("Su plan tiene 2 técnicas")
    log = "\n".join(at_home.log_markdown(6, "es"))
    assert "| Semana | Día 1 |" in log and "Week" not in log
    follow = at_home.follow_data(cnt, picks, lang="es")
    assert follow["stopHeading"] == "Pare de inmediato si"
    sides = [t["sides"] for t in follow["techniques"] if t["sides"]]
    assert all(s == ["lado izquierdo", "lado derecho"] for s in sides)


def test_page_titles_headings_and_evidence_words_in_spanish(cnt: c.Content) -> None:
    from psoas_explorer.content import review
    from psoas_explorer.content.vocab import label
    from psoas_explorer.evidence import text as evidence_text
    from psoas_explorer.links import pages as site

    home = site.page_by_url("")
    assert site.title(home, "es") == "Inicio" and site.title(home) == "Home"
    assert label("home", lang="es") == "En casa"  # the finder's place, not the start page
    assert site.heading(site.page_by_url("techniques"), "es") == "Técnicas"
    assert evidence_text.column_labels("es")["Claim"] == "Afirmación"
    assert evidence_text.column_labels()["Claim"] == "Claim"
    assert "*Aproximadamente:*" in evidence_text.legend_markdown(cnt, "es")
    found = next(r for r in cnt.references if r.findings)
    assert "**Qué encontró:**" in evidence_text.reference_markdown(found, "es")
    assert evidence_text.reference_markdown(found) == evidence_text.reference_markdown(found, "en")
    line = review.review_line(cnt, None, "es")
    assert line.startswith("Última revisión: ") and " de 20" in line


def test_the_length_chart_in_spanish_with_a_decimal_comma() -> None:
    from psoas_explorer.anatomy import figures
    from psoas_explorer.anatomy import model as gm

    geom = gm.default_geometry()
    es = figures.length_chart(geom, 45, lang="es")
    assert es.layout.xaxis.title.text == "Flexión de cadera (grados)"
    assert es.layout.yaxis.title.text == "Longitud del psoas (cm)"
    assert re.fullmatch(r"\d+,\d cm", es.data[1].text[0])
    assert [a.text for a in es.layout.annotations][:2] == ["de pie", "sentado"]
    assert figures.length_chart(geom, 45).to_json() == figures.length_chart(geom, 45, lang="en").to_json()
