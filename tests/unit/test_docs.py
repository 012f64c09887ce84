"""The README and docs/: short enough to read (the README at most 200 lines), and every repository path they name
in backticks exists, so a moved or renamed file cannot leave the documentation pointing at nothing."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXTENSIONS = ("py", "md", "toml", "lock", "txt", "yaml", "yml", "json", "sh", "js", "png", "conf", "ttf")
GENERATED = {"tests/artifacts/"}  # made by a failing test run (gitignored), named so people know where to look


def repo_files() -> set[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(listed.split())


def named_paths(text: str) -> list[str]:
    """Backticked names that look like repository paths: a folder or file with a slash (`web/memo.py`, `data/`)
    or a bare file name with a known extension (`model.py`); not URLs, URL paths, commands, globs or templates."""
    found = []
    for code in re.findall(r"`([^`\n]+)`", text):
        if re.search(r"[\s<>?=*…{}:]|^/|^-", code):
            continue
        if "/" in code or re.fullmatch(rf"[\w.-]+\.({'|'.join(EXTENSIONS)})", code):
            found.append(code)
    return found


def exists(path: str, doc: Path, files: set[str]) -> bool:
    """A path as the text names it: from the repository root, from the package (the layout table's
    `web/memo.py`), from the doc's own folder, or a module named by its file name within its package row."""
    if path in GENERATED:
        return True
    for base in (ROOT, ROOT / "psoas_explorer", ROOT / "psoas_explorer" / "web", doc.parent):
        if (base / path).exists():
            return True
    return "/" not in path and any(f.rsplit("/", 1)[-1] == path for f in files)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_the_documentation_names_exists(doc):
    files = repo_files()
    missing = [p for p in named_paths(doc.read_text(encoding="utf-8")) if not exists(p, doc, files)]
    assert not missing, f"{doc.name} names paths that do not exist: {missing}"


def test_the_path_scan_sees_paths_and_skips_urls_and_commands():
    text = "`web/memo.py` `model.py` `/techniques?goal=x` `bash scripts/test.sh` `data/*.yaml` `https://x.org/a`"
    assert named_paths(text) == ["web/memo.py", "model.py"]
    assert not exists("psoas_explorer/params.py", ROOT / "README.md", repo_files())  # the old, moved name


def test_the_readme_is_at_most_200_lines():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, len(lines)
