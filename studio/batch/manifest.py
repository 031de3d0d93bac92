"""What makes a batch idempotent: the hash of a job's inputs, and the manifest beside its output.

A finished job leaves ``OUT/NAME.mp4`` and then ``OUT/.studio-batch/NAME.mp4.json`` (both
written atomically, the video first). The manifest holds the inputs' hash and the video's own
size and sha256, so a job is skipped only when its file is the one a run with the same inputs
wrote: a kill between the two writes, a file replaced by hand or changed inputs all mean the
job runs again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio import __version__
from studio.avatar.consent import sha256_file
from studio.avatar.package import PACKAGE_FILES
from studio.storage.atomic import atomic_write_json

MANIFEST_VERSION = 1
MANIFEST_DIR = ".studio-batch"
MAX_MANIFEST_BYTES = 64 * 1024
MAX_PART_BYTES = 512 * 1024 * 1024  # a twin's idle and atlas videos are the largest parts


def package_parts(folder: Path) -> list[Path]:
    """The files of an avatar package that make the avatar, in a fixed order."""
    return sorted(p for p in Path(folder).iterdir() if p.name in PACKAGE_FILES and p.is_file())


def package_hash(folder: Path) -> str:
    """The content hash of an avatar package: every part's name and bytes. Two copies of a
    package hash alike wherever they lie; any changed byte changes it."""
    digest = hashlib.sha256()
    for part in package_parts(folder):
        digest.update(f"{part.name}\0{sha256_file(part)}\n".encode())
    return digest.hexdigest()


def input_hash(inputs: dict[str, Any]) -> str:
    """The hash of what a job's output depends on (``inputs`` is JSON, keys sorted)."""
    blob = json.dumps({**inputs, "studio": __version__}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def manifest_path(out: Path) -> Path:
    return out.parent / MANIFEST_DIR / f"{out.name}.json"


@dataclass(frozen=True)
class OutputManifest:
    input_hash: str
    size: int
    sha256: str
    inputs: dict[str, Any]
    voice: str
    seconds: float
    frames: int
    produce_id: str  # the GB 45438 implicit label's id inside the file
    schema_version: int = MANIFEST_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "studio": __version__,
            "input_hash": self.input_hash,
            "output": {"size": self.size, "sha256": self.sha256},
            "inputs": self.inputs,
            "voice": self.voice,
            "seconds": self.seconds,
            "frames": self.frames,
            "produce_id": self.produce_id,
        }


def write_manifest(out: Path, manifest: OutputManifest) -> None:
    atomic_write_json(manifest_path(out), manifest.to_json())


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of ``out`` as written, or None when there is none or it is unreadable."""
    path = manifest_path(out)
    try:
        if not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return None
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested deeper than json reads
        return None
    return data if isinstance(data, dict) and data.get("schema_version") == MANIFEST_VERSION else None


def is_done(out: Path, expected_hash: str) -> bool:
    """Whether ``out`` is the finished output of a job with these inputs."""
    data = read_manifest(out)
    if data is None or data.get("input_hash") != expected_hash:
        return False
    recorded = data.get("output")
    try:
        if not isinstance(recorded, dict) or not out.is_file() or out.stat().st_size != recorded.get("size"):
            return False
        return sha256_file(out) == recorded.get("sha256")
    except OSError:
        return False
