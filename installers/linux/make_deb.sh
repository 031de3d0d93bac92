#!/usr/bin/env bash
# Package a built bundle as a .deb: /opt/studio (the bundle), /usr/bin/studio, the menu entry
# and the icon. The system libraries the bundle loads at run time but does not carry are
# declared as dependencies (espeak-ng and PortAudio are loaded by name; EGL/GLES and GL are the
# driver's, never bundled).
# Usage: bash installers/linux/make_deb.sh BUNDLE_DIR OUT_DIR
set -euo pipefail
APP=$(cd "$1" && pwd)
OUT=$(cd "$2" && pwd)
VERSION=$("$APP/studio" --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps"
cp -a "$APP" "$STAGE/opt/studio"
ln -s /opt/studio/studio "$STAGE/usr/bin/studio"
install -m 0644 "$APP/studio.desktop" "$STAGE/usr/share/applications/studio.desktop"
install -m 0644 "$APP/studio.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/studio.png"
SIZE_KB=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: studio
Version: $VERSION
Architecture: $ARCH
Maintainer: Studio <support@studio.invalid>
Installed-Size: $SIZE_KB
Depends: espeak-ng, libespeak-ng1, libportaudio2, libegl1, libgles2, libgl1, libglib2.0-0, libfontconfig1, libfreetype6, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, fonts-dejavu-core
Suggests: v4l2loopback-dkms
Section: video
Priority: optional
Description: Studio digital-human studio
 Makes a lip-synced, AI-labelled digital twin of a consenting creator from a photo
 or a short video, and runs it live into a virtual camera, a recording or RTMP.
CONTROL
DEB="$OUT/studio_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz -z1 --build "$STAGE" "$DEB" >/dev/null
echo "build: $DEB"
