#!/usr/bin/env bash
# Set up (first time only), lint, and run every test: unit, AppTest and real-browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
