#!/usr/bin/env bash
# Sign (when a Developer ID is configured), package and notarise dist/Studio.app as a DMG.
# Usage: bash installers/macos/make_dmg.sh VERSION
# Signing and notarisation run only when these are set (CI secrets; placeholders here):
#   MACOS_SIGN_IDENTITY   "Developer ID Application: <Company> (<TEAMID>)"
#   MACOS_NOTARY_PROFILE  a profile stored with: xcrun notarytool store-credentials <profile> \
#                         --apple-id <id> --team-id <TEAMID> --password <app-specific password>
# The certificate must be in the runner's keychain first (e.g. a step that imports a .p12 from a
# secret with security import). Without them the DMG is unsigned: it opens after right-click > Open, for testing only.
set -euo pipefail
VERSION=${1:?usage: make_dmg.sh VERSION}
APP=dist/Studio.app
DMG=dist/Studio-$VERSION.dmg
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --deep --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict "$APP"
fi
STAGE=$(mktemp -d)
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Studio $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
rm -rf "$STAGE"
if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  codesign --sign "$MACOS_SIGN_IDENTITY" --timestamp "$DMG"
  xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
echo "make_dmg: $DMG"
