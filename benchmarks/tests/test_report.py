"""The benchmark report's sections turn a small fake `Results` into the Markdown RESULTS.md shows.

No server runs: the sections only read `Results`, so the tables, ratios and PASS/FAIL can be pinned here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import report, run
from benchmarks.harness import QUICK, Results, Server

PAGES = [("", "Home"), ("anatomy", "Anatomy")]


def fake_results() -> Results:
    res = Results(pages=PAGES, tuned="nogc")
    for url, app_ms, floor_ms in (("", 6.0, 4.0), ("anatomy", 12.0, 4.0)):
        res.warm[("app:shipped", url)] = {"lat": [app_ms] * 3, "exec": [1.0], "post": [0.5], "bytes": [2000]}
        res.warm[("floor:nogc", url)] = {"lat": [floor_ms] * 3, "exec": [0.5], "post": [0.5], "bytes": [1000]}
        res.warm[("floor:elements", url)] = {"lat": [10.0] * 3, "exec": [0.8], "post": [0.1], "bytes": [2000]}
        res.warm[("floor:replay", url)] = {"lat": [8.0] * 3, "exec": [0.6], "post": [0.1], "bytes": [2000]}
    res.replayed = {"": 40, "anatomy": 30}
    res.rebuilt = {"": 35, "anatomy": 25}
    res.tcp[("app:shipped", False)] = [48.0, 50.0]
    res.tcp[("app:shipped", True)] = [6.0, 8.0]
    return res


def servers() -> list[Server]:
    return [
        Server("app", "shipped", "app.py", [], {}, Path(".")),
        Server("floor", "nogc", "floor.py", [], {}, Path(".")),
    ]


def test_warm_section_holds_each_page_to_the_same_elements_floor_and_shows_the_others_as_information():
    sec = report.warm_section(fake_results())
    lines = sec.markdown.splitlines()
    assert lines[0].startswith(
        "### Warm rerun latency (protocol): shipped app vs the same-elements floor (target ≤ 1.25×)"
    )
    assert "the same-messages floor and the title-only floor `nogc` (information" in lines[0]
    assert "(home) 35 / anatomy 25 calls per page" in lines[2]
    assert "((home) 40 / anatomy 30 per page)" in lines[2]
    header = lines[4]
    assert header.startswith(
        "| page | app median ms | app p95 ms | same-elements floor median ms | ratio to same-elements | target "
        "| same-messages floor median ms | ratio to same-messages | title-only floor median ms | ratio to title-only |"
    )
    home, anatomy = lines[6], lines[7]
    # home: 6 ms vs 10 ms same-elements (0.60×, pass), 8 ms same-messages (0.75×), 4 ms title-only (1.50×)
    assert home.startswith("| (home) | 6.0 | 6.0 | 10.0 | 0.60× | PASS | 8.0 | 0.75× | 4.0 | 1.50× |")
    # anatomy: 12 ms vs 10 ms (1.20×, pass), 1.50× the same-messages floor and 3.00× the title-only page
    assert anatomy.startswith("| anatomy | 12.0 | 12.0 | 10.0 | 1.20× | PASS | 8.0 | 1.50× | 4.0 | 3.00× |")
    assert anatomy.endswith("| 2.0 | 2.0 | 2.0 | n/a | PASS |")  # kB/rerun app and both floors, errors, 5× line
    assert sec.checks == [
        ("warm rerun (home) ≤ 1.25× same-elements floor", True),
        ("warm rerun (home) ≤ 5× title-only floor (regression line)", True),
        ("warm rerun anatomy ≤ 1.25× same-elements floor", True),
        ("warm rerun anatomy ≤ 5× title-only floor (regression line)", True),
    ]


def test_a_page_over_the_same_elements_target_or_the_title_only_line_fails():
    res = fake_results()
    res.warm[("app:shipped", "anatomy")]["lat"] = [21.0] * 3  # 2.10× same-elements, 5.25× title-only
    checks = dict(report.warm_section(res).checks)
    assert checks["warm rerun anatomy ≤ 1.25× same-elements floor"] is False
    assert checks["warm rerun anatomy ≤ 5× title-only floor (regression line)"] is False
    assert checks["warm rerun (home) ≤ 1.25× same-elements floor"] is True


def test_without_the_same_elements_floor_only_the_title_only_line_is_judged():
    res = fake_results()
    for url, _ in PAGES:
        del res.warm[("floor:elements", url)]
    sec = report.warm_section(res)
    assert [c for c, _ in sec.checks] == [
        "warm rerun (home) ≤ 5× title-only floor (regression line)",
        "warm rerun anatomy ≤ 5× title-only floor (regression line)",
    ]
    assert "| (home) | 6.0 | 6.0 | n/a | n/a | n/a | 8.0 | 0.75× | 4.0 |" in sec.markdown


def _tp(per_s: float, errors: list[str] | None = None) -> dict[str, object]:
    return {
        "sessions": 50,
        "seconds": 2.0,
        "target": 400,
        "reruns": 400,
        "per_s": per_s,
        "lat": [10.0, 20.0],
        "errors": errors or [],
        "per_session_mb": 0.1,
    }


def test_throughput_is_held_to_the_same_elements_floor_and_the_other_ratios_are_information():
    res = fake_results()
    res.load_page = "anatomy"
    res.load = {
        "app:shipped": {"tp": _tp(60.0)},
        "floor:nogc": {"tp": _tp(400.0)},
        "floor:elements": {"tp": _tp(100.0)},
        "floor:replay": {"tp": _tp(150.0)},
    }
    sec = report.load_section(res, QUICK)
    assert sec.checks == [("throughput ≥ 0.5× same-elements floor, 0 errors", True)]
    el_row = next(line for line in sec.lines if "back to back" in line and "same-elements" in line)
    msg_row = next(line for line in sec.lines if "back to back" in line and "same-messages" in line)
    title_row = next(line for line in sec.lines if "back to back" in line and "title-only" in line)
    assert "| 60.0 | 100.0 | 0.60× | 0 / 0 | PASS |" in el_row
    assert "| 60.0 | 150.0 | 0.40× | 0 / 0 | information |" in msg_row
    assert "| 60.0 | 400.0 | 0.15× | 0 / 0 | information |" in title_row
    res.load["app:shipped"]["tp"] = _tp(60.0, errors=["connection lost"])
    assert report.load_section(res, QUICK).checks == [("throughput ≥ 0.5× same-elements floor, 0 errors", False)]


def fake_diagram() -> dict[str, object]:
    index = {"url": "index.js", "decoded": 2_000_000, "wire": 1}
    js = {"decoded": 2_000_000, "wire": 600_000, "files": [index]}
    chunk = {"url": "PlotlyChart.js", "decoded": 4_700_000, "wire": 1}
    return {
        "first_app": [2400.0, 2600.0, 2500.0],
        "first_floor": [1000.0, 1000.0, 1000.0],
        "js_home": js,
        "js_anatomy": {"decoded": 6_700_000, "wire": 2_000_000, "files": [chunk, index]},
        "drag": [
            {"ms": 2000.0, "frames": 120, "changed": 0, "readouts": 0, "psoas": None, "moves": 90, "range": "0 to 90"}
        ],
        "keypress": {"app": [300.0, 320.0, 340.0], "floor": [40.0, 40.0, 40.0]},
    }


def test_diagram_section_judges_first_drawing_javascript_frames_and_key_press():
    res = fake_results()
    res.diagram = fake_diagram()
    sec = report.diagram_section(res)
    assert sec.checks == [
        ("anatomy diagram visible ≤ 1.25× title-only first render", False),
        ("anatomy JavaScript ≤ 1.5 MB more than home", False),
        ("hip drag ≥ 30 changed frames/s", False),
        ("key press to readout ≤ 1.25× slider floor", False),
    ]
    text = sec.markdown
    assert "| 2500 ms (p95 2600) | 1000 ms | 2.50× | ≤ 1.25× | FAIL |" in text
    assert "largest of the scripts home does not load: PlotlyChart.js 4.70 MB)" in text  # index.js is home's too
    assert "| anatomy 6.70 MB | home 2.00 MB | +4.70 MB | ≤ +1.50 MB | FAIL |" in text
    assert "| 0.0 fps | 60.0 animation frames/s, 45.0 mouse moves/s |" in text
    assert "| 320 ms (p95 340) | 40.0 ms (slider floor) | 8.00× | ≤ 1.25× | FAIL |" in text


def test_with_the_same_picture_floor_the_first_paint_is_judged_against_it_and_the_title_only_page_informs():
    res = fake_results()
    d = fake_diagram()
    d["first_app"], d["first_picture"], d["first_app_drawn"] = [1100.0, 1150.0], [1000.0, 1000.0], [1900.0]
    res.diagram = d
    sec = report.diagram_section(res)
    assert sec.checks[0] == ("anatomy diagram visible ≤ 1.15× the same-picture floor", True)
    assert not any("title-only" in name for name, _ in sec.checks)
    text = sec.markdown
    assert "| 1125 ms (p95 1150) | 1000 ms (p95 1000) | 1.12× | ≤ 1.15× | PASS |" in text
    assert "(title-only anatomy page) (information) | 1125 ms (p95 1150) | 1000 ms | 1.12× |  |  |" in text
    assert "| 1900 ms (p95 1900) | 1000 ms (title-only) | 1.90× the same-picture floor, 1.90× title-only |" in text
    d["first_app"] = [1200.0]
    assert report.diagram_section(res).checks[0] == ("anatomy diagram visible ≤ 1.15× the same-picture floor", False)


def test_a_component_that_counts_its_frames_is_read_by_its_count_capped_at_the_display():
    res = fake_results()
    d = fake_diagram()
    d["drag"] = [
        {"ms": 2000.0, "frames": 120, "changed": 10, "readouts": 40, "psoas": 100},  # 50 own fps, 60 frames/s
        {"ms": 2000.0, "frames": 100, "changed": 10, "readouts": 40, "psoas": 400},  # 200 own fps, capped at 50
        {"ms": 2000.0, "frames": 120, "changed": 5, "readouts": 40, "psoas": 20},  # 10 own fps
    ]
    d["first_app"], d["js_anatomy"] = [1100.0], d["js_home"]
    d["keypress"] = {"app": [20.0], "floor": [40.0]}
    res.diagram = d
    sec = report.diagram_section(res)
    assert sec.checks == [
        ("anatomy diagram visible ≤ 1.25× title-only first render", True),
        ("anatomy JavaScript ≤ 1.5 MB more than home", True),
        ("hip drag ≥ 30 changed frames/s", True),  # median of 50, 50, 10
        ("key press to readout ≤ 1.25× slider floor", True),
    ]
    assert "| 50.0 fps |" in sec.markdown and "(window.__psoasFrames/s)" in sec.markdown


def test_a_key_press_whose_readout_never_changed_fails_the_check():
    res = fake_results()
    res.diagram = {"keypress": {"app": [20.0], "floor": [40.0], "app failed": [float("nan")]}}
    sec = report.diagram_section(res)
    assert sec.checks == [("key press to readout ≤ 1.25× slider floor", False)]
    assert "(failed presses: 1; presses that left the rounded length as it was, then pressed again: 0)" in sec.markdown
    res.diagram = {"keypress": {"app": [20.0], "floor": [40.0], "app unchanged": [1.0, 1.0]}}
    sec = report.diagram_section(res)
    assert sec.checks == [("key press to readout ≤ 1.25× slider floor", True)]
    assert "(failed presses: 0; presses that left the rounded length as it was, then pressed again: 2)" in sec.markdown


def test_the_diagram_section_is_left_out_when_its_phases_did_not_run():
    assert report.diagram_section(fake_results()).lines == []


def test_an_unknown_phase_name_stops_the_command_before_any_server_starts(capsys):
    with pytest.raises(SystemExit):
        run.main(["--only", "diagram,fps"])
    assert "unknown phase(s): fps" in capsys.readouterr().err


def test_tcp_section_lists_servers_with_both_ack_modes():
    sec = report.tcp_section(fake_results(), servers())
    assert "| server | default ACKs median ms | p95 | quick ACKs median ms | p95 |" in sec.lines
    assert sec.lines[-1] == "| app:shipped | 49.0 | 50.0 | 7.0 | 8.0 |"  # the floor has no tcp samples
    assert sec.checks == []


def test_a_phase_that_did_not_run_leaves_no_section():
    empty = Results(pages=PAGES, tuned="nogc")
    assert report.load_section(empty, QUICK).lines == []
    assert report.soak_section(empty, servers(), QUICK).lines == []


def test_the_targets_table_closes_the_terminal_report():
    terminal, md = report.report(fake_results(), servers(), QUICK, _meta())
    assert terminal.endswith("| warm rerun anatomy ≤ 5× title-only floor (regression line) | PASS |\n")
    assert md.startswith("# Psoas Explorer benchmark results\n")
    assert terminal in md


def _meta() -> dict[str, object]:
    machine = {"cores": "2", "cpu": "cpu", "ram": "4 GiB", "os": "linux"}
    return {
        "date": "2026-01-01 00:00 UTC",
        "quick": True,
        "command": "python -m benchmarks.run --quick",
        "machine": machine,
        "versions": {"Python": "3.11"},
        "load_start": "0 0 0",
        "load_end": "0 0 0",
        "duration": 1.0,
        "shipped": "postScriptGC=false (config.toml)",
    }


def test_a_diagram_drawn_by_a_custom_component_counts_towards_the_figure_size():
    from streamlit.proto.Element_pb2 import Element

    from benchmarks.protocol import RunResult

    chart, component = Element(), Element()
    chart.plotly_chart.spec = "{}" * 500  # 1 kB of Plotly JSON
    component.bidi_component.json = "[0.5]" * 50_000  # 250 kB of precomputed poses
    run = RunResult(0.01, 0, 2, "FINISHED_SUCCESSFULLY", elements=[chart, component])
    sizes = run.figure_sizes()
    assert sizes[0] == 1000 and sizes[1] > 250_000
    res = fake_results()
    res.first[("app:shipped", "anatomy")] = {"figure_sizes": sizes}
    sec = report.figure_section(res)
    assert sec.checks == [("anatomy figure JSON ≤ 200 kB", False)]
    assert "1.0 kB, 250.0 kB (FAIL" in sec.lines[0]


def test_a_drag_the_machine_could_not_feed_is_not_judged_but_a_busy_page_is():
    res = fake_results()
    slow_input = {"ms": 2000.0, "frames": 120, "changed": 30, "readouts": 30, "psoas": 30, "moves": 40, "long_ms": 0}
    res.diagram = {"drag": [slow_input]}  # 15 fps from 20 moves/s while the page was idle
    sec = report.diagram_section(res)
    assert sec.checks == [("hip drag ≥ 30 changed frames/s", None)]
    assert "input-bound" in sec.markdown
    res.diagram = {"drag": [{**slow_input, "long_ms": 1500.0}]}  # the page's own long tasks held the moves back
    assert report.diagram_section(res).checks == [("hip drag ≥ 30 changed frames/s", False)]
    res.diagram = {"drag": [{**slow_input, "changed": 0, "psoas": None, "moves": 110}]}  # plenty of moves, no frames
    assert report.diagram_section(res).checks == [("hip drag ≥ 30 changed frames/s", False)]


def test_the_same_output_floor_replays_the_recorded_deltas_in_order_with_fresh_hashes(tmp_path, monkeypatch):
    import json

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from benchmarks.phases import recordable

    monkeypatch.syspath_prepend(str(Path(report.__file__).parent / "floor"))  # streamlit finds it beside the script
    import floor_replay  # type: ignore[import-not-found]  # found on the path prepended above

    sent = []
    for i, text in enumerate(["# Where the psoas runs", "Deep inside, behind the belly."]):
        msg = ForwardMsg()
        msg.hash = f"server-hash-{i}"
        msg.metadata.cacheable = True
        msg.metadata.delta_path[:] = [0, i]
        msg.delta.new_element.markdown.body = text
        sent.append(msg.SerializeToString())
    recording = tmp_path / "same-output.json"
    recording.write_text(json.dumps({"source": "app:shipped", "pages": {"anatomy": [recordable(m) for m in sent]}}))
    monkeypatch.setenv(floor_replay.ENV, str(recording))
    floor_replay.recorded.cache_clear()
    replayed: list[ForwardMsg] = []
    monkeypatch.setattr(floor_replay, "enqueue_message", replayed.append)
    assert floor_replay.replay("anatomy") == 2 and floor_replay.replay("anatomy") == 2  # every run, afresh
    assert [m.delta.new_element.markdown.body for m in replayed[:2]] == [
        "# Where the psoas runs",
        "Deep inside, behind the belly.",
    ]
    assert [list(m.metadata.delta_path) for m in replayed[:2]] == [[0, 0], [0, 1]]
    assert all(m.hash == "" and not m.metadata.cacheable for m in replayed)  # Streamlit hashes them again
    assert replayed[0] is not replayed[2]  # a new message per run: enqueue may change it
    assert floor_replay.replay("handout") == 0  # a page with nothing recorded shows nothing
    floor_replay.recorded.cache_clear()


def pdf_results(a4_ms: float, letter_bytes: int) -> Results:
    res = Results(pages=PAGES, tuned="nogc")
    for paper, label, ms, size in (("a4", "A4", a4_ms, 43_000), ("letter", "US Letter", 120.0, letter_bytes)):
        res.pdf[paper] = {"label": label, "ms": [ms] * 3, "cpu_ms": [90.0], "first_ms": 900.0, "bytes": size}
        res.pdf[paper] |= {"pages": 2, "techniques": ["Stretch", "Massage"]}
    return res


def test_pdf_section_holds_time_and_size_against_the_absolute_targets():
    sec = report.pdf_section(pdf_results(a4_ms=310.0, letter_bytes=501_000))
    assert sec.lines[0].startswith("### Handout PDF: six techniques") and "(targets ≤ 300 ms, ≤ 500 kB)" in sec.lines[0]
    assert "| A4 | 2 | 3 | 310 | 310 | 90.0 | 900 | 43.0 kB | FAIL | PASS |" in sec.lines
    assert "| US Letter | 2 | 3 | 120 | 120 | 90.0 | 900 | 501.0 kB | PASS | FAIL |" in sec.lines
    assert sec.checks == [
        ("handout PDF A4: build ≤ 300 ms", False),
        ("handout PDF A4: file ≤ 500 kB", True),
        ("handout PDF US Letter: build ≤ 300 ms", True),
        ("handout PDF US Letter: file ≤ 500 kB", False),
    ]


def test_a_phase_run_alone_replaces_its_section_and_target_rows_and_keeps_the_rest():
    _, md = report.report(fake_results(), servers(), QUICK, _meta())
    first = report.merge_section(md, report.pdf_section(pdf_results(310.0, 43_000)), report.PDF_HEADING)
    again = report.merge_section(first, report.pdf_section(pdf_results(150.0, 43_000)), report.PDF_HEADING)
    assert again.count(report.PDF_HEADING) == 1
    assert "| A4 | 2 | 3 | 150 |" in again and "| A4 | 2 | 3 | 310 |" not in again
    assert again.index(report.PDF_HEADING) < again.index("### Targets") < again.index("### Notes")
    targets = again.split("### Targets", 1)[1].split("### Notes", 1)[0]
    assert targets.count("| handout PDF A4: build ≤ 300 ms | PASS |") == 1
    assert "handout PDF A4: build ≤ 300 ms | FAIL" not in targets  # the first run's row was replaced
    full = md.split("### Targets", 1)[1].split("### Notes", 1)[0]
    kept = [row for row in full.strip().splitlines()[2:] if "handout PDF" not in row]
    assert kept and all(row in targets for row in kept)  # the full run's rows stay


def test_a_page_driven_drag_is_judged_on_its_own_row_and_a_page_that_kept_up_with_the_mouse_is_not_failed():
    res = fake_results()
    d = fake_diagram()
    # 29 changed frames from 30 mouse moves/s on an idle page: it redrew for nearly every move it was given
    d["drag"] = [{"ms": 2000.0, "frames": 120, "changed": 58, "readouts": 50, "psoas": None, "moves": 60}]
    d["drag_scripted"] = [{"ms": 2000.0, "frames": 110, "changed": 100, "readouts": 80, "psoas": None, "moves": 106}]
    res.diagram = d
    sec = report.diagram_section(res)
    assert ("hip drag ≥ 30 changed frames/s", None) in sec.checks
    assert ("hip drag (input events once per animation frame) ≥ 30 changed frames/s", True) in sec.checks
    assert "| 50.0 fps | 55.0 animation frames/s, 53.0 input events/s |" in sec.markdown
    d["drag_scripted"] = [{**d["drag_scripted"][0], "changed": 40}]  # 20 fps with an input every frame: the page
    assert ("hip drag (input events once per animation frame) ≥ 30 changed frames/s", False) in (
        report.diagram_section(res).checks
    )
