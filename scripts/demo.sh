#!/usr/bin/env bash
# README command (a): set up, then render the bundled demo avatar reading a sales pitch
# with the offline voice to out/demo.mp4.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/studio render --avatar demo --script assets/demo/pitch.txt --out out/demo.mp4
