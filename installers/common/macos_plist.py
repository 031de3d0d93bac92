"""Studio.app's Info.plist entries (the spec passes them to PyInstaller's BUNDLE).

Kept apart from the spec so a test can serialise them with plistlib here, where no Mac is.
"""

from __future__ import annotations

BUNDLE_ID = "app.studio.desktop"


def info_plist(version: str) -> dict[str, object]:
    return {
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        # macOS asks the user before the camera or the microphone is opened, with these words.
        "NSCameraUsageDescription": "Studio films the creator to make their digital twin.",
        "NSMicrophoneUsageDescription": (
            "Studio records the consent statement and drives the avatar's mouth from your voice."
        ),
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": "12.0",
    }
