#!/usr/bin/env bash
# README command (a): set up, then
# - with a display: open the Studio app with the demo avatar and the demo show ready;
# - without one (a server, CI): render the bundled demo avatar reading a sales pitch with the
#   offline voice to out/demo.mp4, run the demo show live for 30 s into out/live.mp4 (the same
#   engine that feeds a virtual camera and RTMP) and measure that recording's A/V sync.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${STUDIO_DEMO_HEADLESS:-0}" != 1 ] && .venv/bin/python -c '
import os, platform, sys
from studio.cli.app_cmd import display_problem
sys.exit(0 if display_problem(os.environ, platform.system()) is None else 1)'; then
  echo "demo: opening the Studio app (the demo avatar is ready: press 3 Live, then Start)"
  exec .venv/bin/studio app
fi
echo "demo: no display here, so the app cannot open; rendering the demo to files instead"
mkdir -p out
.venv/bin/studio render --avatar demo --script assets/demo/pitch.txt --out out/demo.mp4
.venv/bin/studio live --avatar demo --script assets/demo/demo.rundown.toml --record out/live.mp4 \
    --duration 30 </dev/null
.venv/bin/studio sync-check out/live.mp4 2>/dev/null
