#!/usr/bin/env bash
# Build Studio's Linux desktop bundle and its .deb:
#   OUT/dist/studio/           a PyInstaller one-folder app with Python inside ('studio' runs
#                              the CLI, 'studio' alone opens the app), the models and the demo
#   OUT/studio_VERSION_ARCH.deb  the bundle in /opt/studio, /usr/bin/studio, a menu entry and icon
# Usage: bash installers/linux/build.sh [OUT]   (default OUT: build/linux)
# Needs python3 (3.11+) with venv, dpkg-deb and the network to PyPI (or pip's cache). The build
# venv is kept in OUT/venv, so a second build only re-runs PyInstaller.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$(mkdir -p "${1:-build/linux}" && cd "${1:-build/linux}" && pwd)
VENV="$OUT/venv"

if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
fi
echo "build: installing Studio and its bundle requirements into $VENV"
bash installers/common/install_build_deps.sh "$VENV/bin/python"

echo "build: PyInstaller (one folder)"
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$OUT/dist" --workpath "$OUT/work" \
  installers/common/studio.spec
APP="$OUT/dist/studio"
install -m 0644 installers/linux/studio.desktop "$APP/studio.desktop"
install -m 0644 installers/common/studio.png "$APP/studio.png"
install -m 0755 installers/linux/setup-virtual-camera.sh "$APP/setup-virtual-camera.sh"

echo "build: .deb"
bash installers/linux/make_deb.sh "$APP" "$OUT"
du -sh "$APP" | awk '{print "build: bundle " $1 " unpacked in " $2}'
