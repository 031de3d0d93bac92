"""Helpers for tests of consent: sealing a package's files as they are now, editing its consent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studio.avatar.package import MANIFEST, read_manifest_json


def reseal(folder: Path) -> None:
    """Seal ``folder``'s biometric files as they are now, as if Studio had written them: for
    tests that make a package's files different on purpose and still want it loaded."""
    from studio.avatar.consent import seal
    from studio.avatar.package import AvatarManifest

    data = read_manifest_json(folder)
    sealed = seal(folder, AvatarManifest.from_json(data))
    data["consent"]["sha256"] = sealed.consent.sha256
    (folder / MANIFEST).write_text(json.dumps(data, indent=2), encoding="utf-8")


def edit_consent(folder: Path, **changes: Any) -> None:
    """Change fields of the package's consent record in manifest.json (a value None removes it)."""
    data = read_manifest_json(folder)
    for key, value in changes.items():
        if value is None:
            data["consent"].pop(key, None)
        else:
            data["consent"][key] = value
    (folder / MANIFEST).write_text(json.dumps(data, indent=2), encoding="utf-8")
