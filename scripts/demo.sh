#!/usr/bin/env bash
# README command (a): set up, render the bundled demo avatar reading a sales pitch with the
# offline voice to out/demo.mp4, then run the demo show live for 30 s into out/live.mp4
# (the same engine that feeds a virtual camera and RTMP) and measure that recording's A/V sync.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/studio render --avatar demo --script assets/demo/pitch.txt --out out/demo.mp4
.venv/bin/studio live --avatar demo --script assets/demo/demo.rundown.toml --record out/live.mp4 \
    --duration 30 </dev/null
.venv/bin/studio sync-check out/live.mp4 2>/dev/null
