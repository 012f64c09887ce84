#!/usr/bin/env bash
# Set up (first time only) and serve the app on http://localhost:8501, with its security headers (serve.py)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run serve.py --server.port "${PORT:-8501}" "$@"
