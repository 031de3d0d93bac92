"""The on-disk avatar package (schema version 1).

A package is a folder::

    NAME/
      manifest.json    schema_version, name, created, source kind, image size, consent, face
      image.png        the normalised source image (RGB, longest side <= MAX_IMAGE_SIDE)
      landmarks.npy    float32 (478, 3): x, y in pixels of image.png, z in the same scale

Packages are written with ``storage.atomic_dir``: a reader sees all of it or none.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import InputError
from studio.face.topology import NUM_LANDMARKS

SCHEMA_VERSION = 1
MAX_IMAGE_SIDE = 2048
MANIFEST = "manifest.json"
IMAGE = "image.png"
LANDMARKS = "landmarks.npy"
# source_kind of a placeholder manifest for a package that could not be read (never written).
DAMAGED = "damaged"


@dataclass(frozen=True)
class ConsentRecord:
    name: str  # who consented (full name)
    statement: str  # what they agreed to, verbatim
    recorded_at: str  # ISO 8601, UTC
    # "attestation" (typed by the operator) | "public-domain" | "recording"
    method: str = "attestation"


@dataclass(frozen=True)
class AvatarManifest:
    name: str
    created: str
    source_kind: str  # "photo" for now; "video" and "webcam" later; DAMAGED in listings only
    image_size: tuple[int, int]  # (width, height) of image.png
    consent: ConsentRecord
    face: dict[str, Any] = field(default_factory=dict)  # bbox, pose_degrees
    source_note: str = ""
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def damaged(cls, name: str, problem: str) -> AvatarManifest:
        """A listing placeholder for an unreadable package, so a library view can show it
        (and offer deletion of its biometric data) instead of failing. ``source_note``
        carries the problem."""
        return cls(
            name=name,
            created="",
            source_kind=DAMAGED,
            image_size=(0, 0),
            consent=ConsentRecord(name="", statement="", recorded_at="", method="unknown"),
            source_note=problem,
        )

    @property
    def is_damaged(self) -> bool:
        return self.source_kind == DAMAGED

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["image_size"] = list(self.image_size)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AvatarManifest:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise InputError(
                f"avatar '{data.get('name', '?')}' has schema version {version}, "
                f"this Studio reads {SCHEMA_VERSION}.",
                "Recreate the avatar with this version of Studio.",
            )
        consent = ConsentRecord(**data["consent"])
        width, height = data["image_size"]
        return cls(
            name=data["name"],
            created=data["created"],
            source_kind=data["source_kind"],
            image_size=(int(width), int(height)),
            consent=consent,
            face=dict(data.get("face", {})),
            source_note=data.get("source_note", ""),
            schema_version=version,
        )


@dataclass(frozen=True)
class Avatar:
    path: Path
    manifest: AvatarManifest
    image: np.ndarray  # RGB uint8 (H, W, 3)
    landmarks: np.ndarray  # float32 (478, 3) in image pixels

    @property
    def name(self) -> str:
        return self.manifest.name


def write_package(folder: Path, manifest: AvatarManifest, image: np.ndarray, landmarks: np.ndarray) -> None:
    """Fill an (empty, temporary) folder with a complete package."""
    from PIL import Image

    if manifest.is_damaged:
        raise ValueError("a damaged-package placeholder manifest cannot be written")

    Image.fromarray(image).save(folder / IMAGE, optimize=False)
    np.save(folder / LANDMARKS, landmarks.astype(np.float32))
    (folder / MANIFEST).write_text(
        json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def load_avatar(folder: Path) -> Avatar:
    from PIL import Image

    folder = Path(folder)
    fix = "Delete it with 'studio avatar delete' and create it again."
    try:
        manifest = AvatarManifest.from_json(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
        with Image.open(folder / IMAGE) as im:
            image = np.asarray(im.convert("RGB"))
        landmarks = np.load(folder / LANDMARKS).astype(np.float32)
    except InputError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"the avatar at {folder} is damaged ({exc}).", fix) from exc
    if landmarks.shape != (NUM_LANDMARKS, 3):
        raise InputError(f"the avatar at {folder} has malformed landmarks {landmarks.shape}.", fix)
    return Avatar(folder, manifest, image, landmarks)
