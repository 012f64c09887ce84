#!/usr/bin/env bash
# Set up (first time only), lint, and run every test: unit, AppTest and real-browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Audit the pinned runtime packages: a known vulnerability fails the run; an unreachable audit service only warns.
.venv/bin/pip-audit -r requirements.txt --progress-spinner off 2>.venv/pip-audit.log && tail -n 1 .venv/pip-audit.log || { grep -E "^Found [0-9]+ known vulnerabilit" .venv/pip-audit.log && exit 1; echo "pip-audit could not reach a vulnerability service; audit skipped:" >&2; tail -n 2 .venv/pip-audit.log >&2; }
exec .venv/bin/python -m pytest "$@"
