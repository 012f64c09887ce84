"""The architecture as rules: one Streamlit boundary (psoas_explorer/web), no import cycles, and a core that
imports and works with Streamlit absent. Read from the source with ast, so a new module is covered at once."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "psoas_explorer"
WEB = "psoas_explorer.web"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every module this file imports, at any depth of the file: a late import and one under TYPE_CHECKING count
    too (each ties the two modules together as much as one at the top does)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
    return found


def own_imports(path: Path) -> set[str]:
    return {m for m in imports(path) if m in MODULES and not m.endswith("__init__")}


def test_only_the_web_package_imports_streamlit():
    offenders = {
        name
        for name, path in MODULES.items()
        if not name.startswith(WEB) and any(m.split(".")[0] == "streamlit" for m in imports(path))
    }
    assert not offenders, f"Streamlit imported outside {WEB}: {sorted(offenders)}"
    assert any(m.split(".")[0] == "streamlit" for m in imports(MODULES[f"{WEB}.router"]))  # the scan sees imports


def test_the_core_never_imports_the_web_layer():
    offenders = {
        (name, m)
        for name, path in MODULES.items()
        if not name.startswith(WEB)
        for m in own_imports(path)
        if m.startswith(WEB)
    }
    assert not offenders, sorted(offenders)


def test_import_linter_keeps_the_layers_and_finds_no_cycle():
    """The contracts in pyproject.toml (layers, no cycle between sibling modules or packages, Streamlit only in
    web/), checked by import-linter, which counts function-local and TYPE_CHECKING imports."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_the_core_imports_and_builds_a_handout_with_streamlit_absent():
    core = sorted(name for name in MODULES if not name.startswith(WEB))
    script = (
        "import sys, datetime\n"
        "sys.modules['streamlit'] = None  # any import of streamlit now fails\n"
        f"for m in {core!r}:\n"
        "    __import__(m)\n"
        "from psoas_explorer.content import load\n"
        "from psoas_explorer.handout import pdf as sheet_pdf\n"
        "cnt = load.load_content()\n"
        "pdf = sheet_pdf.handout_pdf(cnt, [cnt.techniques.techniques[0].id], today=datetime.date(2026, 1, 1))\n"
        "assert pdf.startswith(b'%PDF')\n"
        "print('ok', len(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("ok"), done.stderr[-2000:]


def test_no_module_is_over_900_lines():
    """A module that long does several jobs (issue 20): split it by job instead."""
    long = {
        name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 900
    }
    assert not long, long
