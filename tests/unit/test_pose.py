"""Technique pictures: pose data validated, each picture checked against its pose and the anatomy, both renderers."""

from __future__ import annotations

import io
import math
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from psoas_explorer.anatomy import kinematics as kin
from psoas_explorer.anatomy import pose as P
from psoas_explorer.content import load
from psoas_explorer.content import model as c
from psoas_explorer.content.text import md_escape
from psoas_explorer.handout import at_home
from psoas_explorer.handout import fonts as sheet_fonts
from psoas_explorer.handout import pdf as sheet_pdf
from psoas_explorer.handout import plan as sheet_plan
from tests.support import edit_yaml

from .test_handout import LONG_NOTE, TODAY, longest_plans, read


def _technique(d, tid):
    return next(t for t in d["techniques"] if t["id"] == tid)


def along(sc: P.Scene, a: str, b: str, axis: tuple[float, float]) -> float:
    """How far point b lies from point a along a direction of the picture, in metres of body."""
    pa, pb = np.array(sc.points[a]), np.array(sc.points[b])
    return float((pb - pa) @ np.array(axis)) / sc.mm_per_m


def drawn_flexion(sc: P.Scene) -> float:
    """The hip angle as drawn: the thigh (hip to knee) against the pelvis's own down direction."""
    thigh = np.subtract(sc.points["knee"], sc.points["hip"])
    return math.degrees(math.atan2(thigh @ np.array(sc.anterior), thigh @ -np.array(sc.superior)))


# --- the pose data ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t["pose"].update(hip=120), ["'half_kneeling_hip_flexor_stretch'", "field 'pose.hip'", "90"]),
        (lambda t: t["pose"].update(knee=-5), ["'half_kneeling_hip_flexor_stretch'", "field 'pose.knee'"]),
        (lambda t: t["pose"].update(body="handstand"), ["field 'pose.body'", "standing"]),
        (lambda t: t["pose"].update(hip=20), ["field 'pose'", "a stretch must show the drawn hip extended"]),
        (lambda t: t.pop("pose"), ["'half_kneeling_hip_flexor_stretch'", "field 'pose'", "Field required"]),
        (lambda t: t["pose"].update(sidee="left"), ["field 'pose.sidee'"]),
    ],
    ids=["hip-past-model-range", "knee-below-straight", "unknown-posture", "stretch-with-bent-hip", "no-pose", "typo"],
)
def test_a_broken_pose_stops_the_app_naming_file_entry_and_field(data_copy, change, expected):
    edit_yaml(data_copy, "techniques.yaml", lambda d: change(_technique(d, "half_kneeling_hip_flexor_stretch")))
    with pytest.raises(c.ContentError) as err:
        load.load_content(data_copy)
    message = str(err.value)
    for part in ["techniques.yaml", *expected]:
        assert part in message, (part, message)


def test_the_drawn_hip_stays_in_the_range_the_psoas_model_is_trusted_over():
    assert (c.HIP_MIN, c.HIP_MAX) == (kin.MIN_ANGLE, kin.MAX_ANGLE)


def test_every_technique_has_a_picture_drawn_as_its_pose_says(cnt):
    for t in cnt.techniques.techniques:
        sc = P.scene(t.pose)
        assert drawn_flexion(sc) == pytest.approx(t.pose.hip, abs=2), t.id
        assert sc.length_cm == pytest.approx(kin.psoas_length_cm(t.pose.hip))
        assert sc.caption == "Psoas " + P.length_words((sc.length_cm / sc.standing_cm - 1) * 100)
        assert sc.role("action") and sc.role("psoas") and sc.role("body"), t.id
        assert 0 < sc.width <= P.MAX_W + 2 and 0 < sc.height <= P.MAX_H + 6, (t.id, sc.width, sc.height)


# --- each picture against its pose and the anatomy ------------------------------------------------------------


def test_half_kneeling_stretch_shows_the_back_hip_extended_and_a_longer_psoas(cnt):
    t = cnt.technique("half_kneeling_hip_flexor_stretch")
    sc = P.scene(t.pose)
    assert along(sc, "hip", "knee", sc.anterior) < -0.05  # the thigh is behind the trunk line
    assert drawn_flexion(sc) < -10
    assert sc.length_cm > sc.standing_cm
    assert "longer than standing" in sc.caption and "left hip" in sc.alt  # kneeling on the left knee
    assert sc.anterior[0] < 0  # the left side is drawn seen from the left: the person faces left
    assert sc.role("highlight")  # the stretch is shown over the psoas at the front of the hip


def test_lying_on_the_back_with_knees_supported_shows_a_bent_hip_a_bolster_and_a_shorter_psoas(cnt):
    t = cnt.technique("therapist_psoas_release")
    sc = P.scene(t.pose)
    assert t.pose.body == "lying_back" and "bolster" in t.pose.props
    assert 25 < drawn_flexion(sc) < 60
    assert sc.length_cm < sc.standing_cm and "shorter than standing" in sc.caption
    assert sc.role("prop")
    assert sc.superior[1] == pytest.approx(0, abs=0.05)  # the trunk is horizontal: lying down


def test_seated_pictures_bend_the_hip_80_to_90_degrees(cnt):
    seated = [t for t in cnt.techniques.techniques if t.pose.body == "sitting"]
    assert seated
    for t in seated:
        assert 80 <= drawn_flexion(P.scene(t.pose)) <= 90, t.id


@pytest.mark.parametrize("tid", ["half_kneeling_hip_flexor_stretch", "therapist_psoas_release", "chair_back_tool_lean"])
def test_the_psoas_is_drawn_where_it_lies(cnt, tid):
    """From the sides of the lumbar spine, in front of it, over the front of the hip joint to the lesser
    trochanter on the thigh bone; deep, well behind the belly wall."""
    sc = P.scene(cnt.technique(tid).pose)
    spine_to_top = np.subtract(sc.points["psoas_top"], sc.points["spine_l3"])
    assert np.linalg.norm(spine_to_top) / sc.mm_per_m < 0.08  # starts on the lumbar spine
    assert along(sc, "spine_l5", "brim", sc.anterior) > 0.04  # in front of the spine at the pelvic brim
    assert along(sc, "hip", "over_hip", sc.anterior) > 0.0  # over the front of the hip joint
    for point in ("psoas_top", "brim", "over_hip"):
        assert along(sc, "navel", point, sc.anterior) < -0.05, point  # behind the belly
    thigh = np.subtract(sc.points["knee"], sc.points["hip"])
    ins = np.subtract(sc.points["insertion"], sc.points["hip"])
    off_axis = abs(thigh[0] * ins[1] - thigh[1] * ins[0]) / np.linalg.norm(thigh) / sc.mm_per_m
    assert off_axis < 0.04 and 0.02 < (ins @ thigh) / np.linalg.norm(thigh) / sc.mm_per_m < 0.12  # on the femur


def test_the_front_view_shows_both_psoas_muscles_from_the_spine_to_the_thigh_bones():
    sc = P.front_scene()
    words = {s.text for s in sc.role("label")}
    assert {"spine (T12–L5)", "navel", "groin crease", "thigh bone"} <= words
    right, left = np.array(sc.points["insertion_right"]), np.array(sc.points["insertion_left"])
    assert right[0] < sc.points["spine"][0] < left[0]  # seen from the front: the patient's right on the left
    assert right[1] > sc.points["spine"][1] and left[1] > sc.points["navel"][1]  # below the spine and navel
    assert len(sc.role("psoas")) == 2 * 12  # eleven fascicles and the main line on each side


# --- renderers ------------------------------------------------------------------------------------------------


def test_svg_is_well_formed_carries_its_alt_text_and_escapes_every_text(cnt):
    t = cnt.technique("half_kneeling_hip_flexor_stretch")
    sc = P.scene(t.pose)
    root = ET.fromstring(P.svg(sc))
    assert root.tag.endswith("svg") and root.get("role") == "img" and root.get("aria-label") == sc.alt
    texts = " ".join(e.text or "" for e in root.iter() if e.tag.endswith("text"))
    assert sc.caption.replace(" than", "") in texts.replace(" than", "")  # a narrow figure wraps it before "than"
    hostile = P.Scene(
        10, 10, (P.Shape("text", ((1, 5),), text='<script>alert("x")</script> & Co', size=2),), 'a "b" <c>', "", 1, 1
    )
    out = P.svg(hostile)
    assert "<script>" not in out
    root = ET.fromstring(out)
    assert root.get("aria-label") == 'a "b" <c>'
    assert [e.text for e in root.iter() if e.tag.endswith("text")] == ['<script>alert("x")</script> & Co']


def drawn_sheet(cnt: c.Content, ids: list[str], paper: str = "a4", **who: Any) -> sheet_pdf._Writer:
    """The sheet handout_pdf() draws, as its writer: where each picture went is known (``pictures``)."""
    p, person, link = sheet_plan.plan(cnt, ids), sheet_plan.Person(**who).cleaned(), sheet_plan.plan_url(ids)

    def writer(f: sheet_pdf.Fit, dry: bool) -> sheet_pdf._Writer:
        kw: dict[str, Any] = {
            "size": f.size,
            "compact": f.compact,
            "picture_scale": f.picture,
            "front": f.front,
            "paper": paper,
        }
        return sheet_pdf._Writer(cnt, p, today=TODAY, who=person, link=link, dry=dry, **kw)

    w = writer(sheet_pdf.fitting(lambda f: writer(f, True).build().page_no()), False)
    w.draw()
    assert bytes(w.pdf.output()) == sheet_pdf.handout_pdf(cnt, ids, today=TODAY, paper=paper, **who)  # the same sheet
    return w


def _render(pdf: bytes, tmp: Path) -> tuple[Image.Image, list[tuple[str, float, float, float, float]]]:
    """Page 1 as pixels (100 dpi) and its words with their boxes in mm (pdftotext -bbox), as a reader sees them."""
    src = tmp / "sheet.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(src), str(tmp / "p")], check=True)
    subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(src), str(tmp / "w.html")], check=True)
    pt = 25.4 / 72
    words = [
        (m[4], float(m[0]) * pt, float(m[1]) * pt, float(m[2]) * pt, float(m[3]) * pt)
        for m in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            (tmp / "w.html").read_text(),
        )
    ]
    return Image.open(next(tmp.glob("p*.png"))).convert("RGB"), words


def _inside(box: tuple[str, int, float, float, float, float], x0: float, y0: float, x1: float, y1: float) -> bool:
    *_, x, y, w, h = box
    return x - 0.6 <= x0 and x1 <= x + w + 0.6 and y - 0.6 <= y0 and y1 <= y + h + 0.6


def test_the_pdf_draws_each_picture_natively_beside_its_technique_and_no_text_lands_on_one(cnt):
    ids = ["half_kneeling_hip_flexor_stretch", "therapist_psoas_release"]
    sheet = drawn_sheet(cnt, ids, patient="Jo", clinician="Harbour Physio")
    pdf = bytes(sheet.pdf.output())
    reader, text = read(pdf)
    for tid in ids:
        assert P.scene(cnt.technique(tid).pose).caption.split(" than")[0] in text
    first = reader.pages[0].get_contents().get_data().decode("latin-1")
    red = "{:.4g} {:.4g} {:.4g} RG".format(*(v / 255 for v in P.PSOAS))  # as fpdf2 writes the stroke colour
    assert red in first  # the psoas is stroked with vector drawing operators, not placed as an image
    assert not reader.pages[0].images
    boxes = [b for b in sheet.pictures if b[1] == 1]
    assert [b[0] for b in boxes] == ["front", *ids]  # the front view in the header, both techniques' pictures
    with tempfile.TemporaryDirectory() as tmp:
        img, words = _render(pdf, Path(tmp))
    px = img.size[0] / sheet.pdf.w  # pixels per mm
    pr, pg, pb = P.PSOAS
    reds = [
        (x / px, y / px)
        for y in range(img.size[1])
        for x in range(img.size[0])
        if (lambda r, g, b: abs(r - pr) < 25 and abs(g - pg) < 25 and abs(b - pb) < 25)(*img.getpixel((x, y)))
    ]
    for box in boxes:  # each picture shows the psoas in red
        assert sum(1 for x, y in reds if _inside(box, x, y, x, y)) > 20, box
    assert all(any(_inside(b, x, y, x, y) for b in boxes) for x, y in reds)  # and the red is nowhere else
    for word, x0, y0, x1, y1 in words:  # every word is a picture's own, or clear of every picture
        for box in boxes:
            *_, x, y, w, h = box
            overlaps = x0 < x + w and x < x1 and y0 < y + h and y < y1
            assert _inside(box, x0, y0, x1, y1) or not overlaps, (word, box)
    for word, x0, y0, x1, y1 in words:  # and every word shows (no white word left on white paper)
        crop = img.crop((int(x0 * px), int(y0 * px), int(x1 * px) + 1, int(y1 * px) + 1)).convert("L")
        assert crop.getextrema()[0] < 200, word
    *_, x, y, w, h = boxes[1]  # the first technique's picture
    heading = next(b for b in words if b[0] == "Half-kneeling")
    assert heading[1] >= x + w and y - 3 < heading[2] < y + h  # its heading runs beside it


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_longest_plans_keep_every_picture_in_the_tested_box_on_two_pages(cnt, paper):
    """Every technique's picture, no larger than the box the sheet's fitting was tested with, and still two pages
    at 8 pt or more for the longest plans with a name, a clinic and a 500-character note."""
    for ids in longest_plans(cnt):
        sheet = drawn_sheet(cnt, ids, paper, patient="Jo Bloggs-Ağaoğlu", clinician="Harbour Physio", note=LONG_NOTE)
        shown = [b for b in sheet.pictures if b[0] != "front"]
        assert [b[0] for b in shown] == ids
        limit_w, limit_h = (side * sheet.picture_scale + 0.01 for side in sheet_pdf.PICTURE_MM)
        assert all(w <= limit_w and h <= limit_h for *_, w, h in shown), shown
        assert sheet.pdf.page_no() - sheet_pdf.LOG_PAGES <= 2 and sheet.size >= sheet_pdf.MIN_BODY_PT


def test_ordinary_plans_show_where_the_psoas_lies_beside_the_qr_code(cnt):
    for ids in ([cnt.techniques.techniques[0].id], [t.id for t in cnt.techniques.techniques[:3]]):
        sheet = drawn_sheet(cnt, ids, patient="Jo", clinician="Harbour Physio", note="Daily.")
        assert [b[:2] for b in sheet.pictures if b[0] == "front"] == [("front", 1)]


def test_the_sheet_shows_where_the_psoas_lies_beside_the_qr_code(cnt):
    _, text = read(sheet_pdf.handout_pdf(cnt, ["half_kneeling_hip_flexor_stretch"], today=TODAY))
    for words in ("spine (T12–L5)", "navel", "groin crease", "psoas, deep in the belly", "thigh bone"):
        assert words in text, words


def test_six_illustrated_techniques_still_fit_two_pages(cnt):
    def size(t: c.Technique) -> int:
        return len(" ".join((t.name, t.summary, t.frequency, *t.steps, *t.stop_if, *t.precautions)))

    longest = sorted(cnt.techniques.techniques, key=size, reverse=True)[: sheet_plan.MAX_TECHNIQUES]
    reader = PdfReader(io.BytesIO(sheet_pdf.handout_pdf(cnt, [t.id for t in longest], today=TODAY)))
    assert len(reader.pages) - sheet_pdf.LOG_PAGES <= 2


def test_the_card_picture_is_made_once_per_process(cnt):
    pose = cnt.techniques.techniques[0].pose
    assert P.card_picture(pose) is P.card_picture(pose)


def test_sketch_pdf_draws_every_shape(cnt):
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(sheet_fonts.FONT_DIR / "DejaVuSans.ttf"))
    sc = P.scene(cnt.technique("chair_back_tool_lean").pose)
    P.sketch_pdf(pdf, sc, 10, 10, "DejaVu")
    ops = bytes(pdf.pages[1].contents).decode("latin-1")
    polys = sum(1 for s in sc.shapes if s.kind != "text")
    assert ops.count(" l") >= polys  # each polygon or polyline becomes line-to operators


def test_the_patients_view_shows_the_same_picture_with_its_alt_text(cnt):
    ids = ["half_kneeling_hip_flexor_stretch", "chair_back_tool_lean"]
    md = "\n\n".join(at_home.plan_markdown(cnt, ids))
    for tid in ids:
        sc = P.scene(cnt.technique(tid).pose)
        assert f"![{sc.alt}](data:image/svg+xml;base64," in md
        entry = md.index(md_escape(cnt.technique(tid).name))
        assert entry < md.index(sc.alt) < md.index("1. ", entry)  # in its entry, before the steps
