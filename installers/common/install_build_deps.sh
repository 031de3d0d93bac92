#!/usr/bin/env bash
# Install Studio and what its desktop bundle is built with into PYTHON's environment:
# PyInstaller, Studio from this checkout, and Studio's requirements with the bundle's swaps
# (installers/common/bundle_requirements.py: CPU ONNX Runtime, headless OpenCV).
# Usage: bash installers/common/install_build_deps.sh PYTHON   (Linux, macOS, Windows' Git Bash)
set -euo pipefail
PYTHON=${1:?usage: install_build_deps.sh PYTHON}
cd "$(dirname "$0")/../.."
pip_install() { "$PYTHON" -m pip install -q --disable-pip-version-check -c constraints.txt "$@"; }
pip_install packaging pyinstaller pyinstaller-hooks-contrib
pip_install --no-deps .
mapfile -t no_deps < <("$PYTHON" installers/common/bundle_requirements.py --no-deps | tr -d '\r')
pip_install --no-deps "${no_deps[@]}"
mapfile -t wanted < <("$PYTHON" installers/common/bundle_requirements.py | tr -d '\r')
pip_install "${wanted[@]}"
