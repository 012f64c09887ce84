#!/usr/bin/env bash
# Set up (first time only), lint, and run every test: unit, AppTest and real-browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Types: the pure core in strict mode, the Streamlit layer (web/) and the pages in mypy's default mode.
.venv/bin/mypy --strict psoas_explorer --exclude 'psoas_explorer/web/'
.venv/bin/mypy psoas_explorer/web app.py app_pages
# The tests and the benchmarks in the default mode too (incremental: a few seconds once .mypy_cache is warm), with
# the bodies of untyped test functions checked for names that exist (a helper moved to another module fails here,
# not half-way through CI); the looser typing of test arguments and optional results is left alone.
.venv/bin/mypy --check-untyped-defs \
  --disable-error-code arg-type --disable-error-code union-attr --disable-error-code misc --disable-error-code operator \
  --disable-error-code index --disable-error-code var-annotated --disable-error-code func-returns-value tests benchmarks
.venv/bin/lint-imports --no-cache  # the layers, no import cycle, Streamlit only in web/ (pyproject.toml)
# Audit every locked runtime package (what the image ships; --disable-pip reads the versions, installs nothing):
# a known vulnerability fails the run; an unreachable audit service only warns.
if .venv/bin/pip-audit -r requirements.lock --require-hashes --disable-pip --progress-spinner off \
  >.venv/pip-audit.out 2>.venv/pip-audit.log; then
  skipped=$(grep -c "could not be audited" .venv/pip-audit.out || true)
  echo "pip-audit: $(tail -n 1 .venv/pip-audit.log) ($skipped packages could not be looked up from here; see docs/security.md)"
elif grep -qE "^Found [0-9]+ known vulnerabilit" .venv/pip-audit.log; then
  cat .venv/pip-audit.out .venv/pip-audit.log
  exit 1
else
  echo "pip-audit could not reach a vulnerability service; audit skipped:" >&2
  tail -n 2 .venv/pip-audit.log >&2
fi
# Two workers (pytest-xdist). loadgroup: each browser test is a work unit of its own (each worker has its own app
# server and browser), so no long module keeps one worker busy while the other waits; a module with a
# module-scoped cluster of servers, and every unit and AppTest module, goes whole to one worker (tests/conftest.py:
# work_unit). One pytest run: one exit code and one closing summary line.
exec .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
