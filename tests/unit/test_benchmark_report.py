"""The benchmark report's sections turn a small fake `Results` into the Markdown RESULTS.md shows.

No server runs: the sections only read `Results`, so the tables, ratios and PASS/FAIL can be pinned here.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import report
from benchmarks.harness import QUICK, Results, Server

PAGES = [("", "Home"), ("anatomy", "Anatomy")]


def fake_results() -> Results:
    res = Results(pages=PAGES, tuned="nogc")
    for url, app_ms, floor_ms in (("", 6.0, 4.0), ("anatomy", 12.0, 4.0)):
        res.warm[("app:shipped", url)] = {"lat": [app_ms] * 3, "exec": [1.0], "post": [0.5], "bytes": [2000]}
        res.warm[("floor:nogc", url)] = {"lat": [floor_ms] * 3, "exec": [0.5], "post": [0.5], "bytes": [1000]}
    res.tcp[("app:shipped", False)] = [48.0, 50.0]
    res.tcp[("app:shipped", True)] = [6.0, 8.0]
    return res


def servers() -> list[Server]:
    return [
        Server("app", "shipped", "app.py", [], {}, Path(".")),
        Server("floor", "nogc", "floor.py", [], {}, Path(".")),
    ]


def test_warm_section_has_its_table_and_the_ratio_to_the_floor():
    sec = report.warm_section(fake_results())
    lines = sec.markdown.splitlines()
    assert lines[0] == "### Warm rerun latency (protocol), shipped app vs floor `nogc` (target ≤ 1.5×)"
    assert lines[2].startswith("| page | app median ms | app p95 ms | floor median ms |")
    home, anatomy = lines[4], lines[5]
    assert home.startswith("| (home) | 6.0 | 6.0 | 4.0 | 4.0 | 1.50× |") and home.endswith("| PASS |")
    assert anatomy.startswith("| anatomy | 12.0 | 12.0 | 4.0 | 4.0 | 3.00× |") and anatomy.endswith("| FAIL |")
    assert sec.checks == [("warm rerun (home) ≤ 1.5× floor", True), ("warm rerun anatomy ≤ 1.5× floor", False)]


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
    assert terminal.endswith("| warm rerun (home) ≤ 1.5× floor | PASS |\n| warm rerun anatomy ≤ 1.5× floor | FAIL |\n")
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
    assert targets.count("| handout PDF A4: build ≤ 300 ms | PASS |") == 1 and "| FAIL |\n| handout" in targets
    assert "| warm rerun (home) ≤ 1.5× floor | PASS |" in targets  # the full run's rows stay
