"""The settings table (psoas_explorer/settings.py): every PSOAS_* setting is declared there, read nowhere else,
and listed in docs/settings.md with its default."""

from __future__ import annotations

import re

import pytest

from psoas_explorer import settings
from tests.support import ROOT

DOC = ROOT / "docs" / "settings.md"


def _doc_rows() -> dict[str, str]:
    """Setting name -> its documented default, from the table's rows (| `NAME` | `default` | meaning |)."""
    rows = re.findall(r"^\|\s*`(PSOAS_\w+)`\s*\|\s*`([^`]*)`\s*\|", DOC.read_text(encoding="utf-8"), re.M)
    return dict(rows)


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_the_documentation_lists_each_setting_with_its_default(setting):
    assert _doc_rows().get(setting.name) == setting.default, f"{setting.name} missing or with another default"


def test_the_documentation_lists_no_setting_the_app_does_not_have():
    assert set(_doc_rows()) == {s.name for s in settings.SETTINGS}


def test_every_psoas_variable_in_the_code_is_in_the_table():
    """A new PSOAS_* variable read anywhere (the app, benchmarks, tools, deploy files) must be added to the table."""
    declared = {s.name for s in settings.SETTINGS}
    # A name the way a variable is written: quoted, after a $ or right before an = (set in a shell or a Docker
    # file); a Python constant named PSOAS_SITES, with a space before its =, is not a setting.
    variable = re.compile(r"(?<=[\"'`$])PSOAS_[A-Z_]+\b|\bPSOAS_[A-Z_]+(?==)")
    files = [ROOT / "Dockerfile", ROOT / "app.py"]
    for folder in ("psoas_explorer", "app_pages", "benchmarks", "tools", "deploy", "scripts", "tests"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in {".py", ".sh", ".toml", ".yaml", ".yml"}]
    found: dict[str, set[str]] = {}
    for path in files:
        for name in variable.findall(path.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    assert set(found) <= declared, {n: sorted(p) for n, p in found.items() if n not in declared}
    assert declared <= set(found)  # the scan sees the settings themselves


def test_only_the_settings_module_reads_the_environment():
    readers = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "psoas_explorer").rglob("*.py"))
        if re.search(r"\bos\.environ\b|\bgetenv\(", p.read_text(encoding="utf-8")) and p.name != "settings.py"
    ]
    assert not readers


def test_the_defaults_are_what_an_unset_variable_gives(monkeypatch):
    for s in settings.SETTINGS:
        monkeypatch.delenv(s.name, raising=False)
    assert settings.public_url() == settings.PUBLIC_URL.default
    assert settings.data_dir() == settings.APP_DIR / settings.DATA_DIR.default
    assert settings.gc_freeze() is True
    monkeypatch.setenv(settings.PUBLIC_URL.name, " https://example.org/psoas/ ")
    monkeypatch.setenv(settings.DATA_DIR.name, "/tmp/copy")
    monkeypatch.setenv(settings.GC_FREEZE.name, "0")
    assert settings.public_url() == "https://example.org/psoas"
    assert str(settings.data_dir()) == "/tmp/copy"
    assert settings.gc_freeze() is False
