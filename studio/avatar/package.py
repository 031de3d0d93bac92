"""The on-disk avatar package (schema version 2; version 1 packages still load).

A package is a folder::

    NAME/
      manifest.json    schema_version, kind, name, created, source kind, image size, consent, face
      image.png        the normalised source image (RGB, longest side <= MAX_IMAGE_SIDE); a twin's
                       is a frame of its idle loop (the library's thumbnail)
      landmarks.npy    float32 (478, 3): x, y in pixels of image.png, z in the same scale
      consent.wav      optional: the consent statement read aloud (16-bit mono), named by the
                       manifest's consent record (method "recording", audio_file)
      ...              a twin's own parts (TWIN_FILES), read by ``studio.twin.store``

``kind`` says what draws the avatar: "photo" (one still, warped) or "twin" (built from a video:
the person's idle loop and mouth atlas). Version 1 had photos only, so a version-1 manifest is
a photo. Only the renderer factory (``studio.render.factory``) acts on the kind.

Packages are written with ``storage.atomic_dir``: a reader sees all of it or none. The
folder is private to its user (0700, files 0600): it holds a face and a person's name.

Studio knows a package it made by its manifest (a JSON object with our ``schema_version``
and ``consent`` keys, as every version-1 package has) or, when that manifest is damaged, by
holding nothing but package files, landmarks among them (``looks_like_package``); any other
folder is not an avatar, and the library leaves it alone.
"""

from __future__ import annotations

import io
import json
import os
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# isort: off
from studio.avatar.manifest import (  # re-exported: callers know the package as one module
    DAMAGED as DAMAGED,
    KINDS as KINDS,
    READABLE_VERSIONS as READABLE_VERSIONS,
    SCHEMA_VERSION as SCHEMA_VERSION,
    AvatarManifest as AvatarManifest,
    ConsentRecord as ConsentRecord,
    ManifestError as ManifestError,
)

# isort: on
from studio.errors import InputError, one_line
from studio.face.topology import NUM_LANDMARKS
from studio.storage.input_file import read_input_bytes
from studio.translation import tr

MAX_IMAGE_SIDE = 2048
MANIFEST = "manifest.json"
IMAGE = "image.png"
LANDMARKS = "landmarks.npy"
CONSENT_AUDIO = "consent.wav"
# A twin's parts besides the photo ones (see studio.twin.store).
TWIN_FILES = frozenset({"idle.mp4", "idle.npz", "atlas.mp4", "atlas.npz", "coverage.json"})
# Every file a package may hold: a folder holding only these (landmarks among them) is a
# package even when its manifest cannot be read.
PACKAGE_FILES = frozenset({MANIFEST, IMAGE, LANDMARKS, CONSENT_AUDIO}) | TWIN_FILES
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# Sizes checked before a byte is read or allocated. A manifest is about 1 KB, landmarks.npy
# 5.9 KB; the nesting limit keeps json and dataclasses.asdict far from Python's recursion limit.
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_MANIFEST_NESTING = 32
MAX_LANDMARKS_BYTES = 64 * 1024
# image.png at MAX_IMAGE_SIDE square is 12 MB raw; PNG never grows it past that by much.
MAX_IMAGE_BYTES = 32 * 1024 * 1024


class PackageFileError(ValueError):
    """A package file is missing, not a regular file, empty or too large to read."""


def read_part(folder: Path, part: str, noun: str, max_bytes: int) -> bytes:
    """The bytes of the package file ``part``, or ``PackageFileError`` if it is missing, not a
    regular file (a FIFO would block the open and so every library scan), empty or too large."""
    try:
        return read_input_bytes(Path(folder) / part, noun, tr("a file"), max_bytes)
    except InputError as exc:
        raise PackageFileError(exc.problem.rstrip(".")) from None


def read_manifest_json(folder: Path) -> Any:
    """The parsed manifest.json of ``folder``. Raises ``PackageFileError`` if it cannot be
    read and ``ManifestError`` if it is not JSON or nested too deeply to be a manifest."""
    raw = read_part(folder, MANIFEST, tr("manifest"), MAX_MANIFEST_BYTES)
    too_deep = f"manifest.json is nested more than {MAX_MANIFEST_NESTING} levels deep"
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ManifestError(too_deep) from None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ManifestError(f"manifest.json is not valid JSON ({' '.join(str(exc).split())})") from None
    if _nesting(data) > MAX_MANIFEST_NESTING:
        raise ManifestError(too_deep)
    return data


def _nesting(data: Any) -> int:
    """How deeply lists and objects nest in ``data`` (0 for a plain value), without recursion."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_MANIFEST_NESTING:
                break
            stack.extend((v, depth) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def looks_like_package(folder: Path) -> bool:
    """Whether Studio made ``folder``: its manifest is a JSON object with our schema's keys,
    or it holds package files only, landmarks included (a package whose manifest is damaged)."""
    folder = Path(folder)
    try:
        data = read_manifest_json(folder)
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict) and {"schema_version", "consent"} <= data.keys():
        return True
    try:
        names = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    except OSError:
        return False
    return LANDMARKS in names and names <= PACKAGE_FILES


@dataclass(frozen=True)
class Avatar:
    path: Path
    manifest: AvatarManifest
    image: np.ndarray  # RGB uint8 (H, W, 3)
    landmarks: np.ndarray  # float32 (478, 3) in image pixels

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def consent_audio_path(self) -> Path | None:
        """The recorded consent statement, if the package has one."""
        audio_file = self.manifest.consent.audio_file
        return self.path / audio_file if audio_file else None


def write_package(
    folder: Path,
    manifest: AvatarManifest,
    image: np.ndarray,
    landmarks: np.ndarray,
    consent_audio: tuple[np.ndarray, int] | None = None,
) -> None:
    """Fill an (empty, temporary) folder with a complete package. ``consent_audio`` is
    (mono float32 samples, sample rate), written as the file the manifest's consent names."""
    from PIL import Image

    if manifest.is_damaged:
        raise ValueError("a damaged-package placeholder manifest cannot be written")
    if (consent_audio is not None) != bool(manifest.consent.audio_file):
        raise ValueError("consent audio and the manifest's consent.audio_file must come together")

    Image.fromarray(image).save(folder / IMAGE, optimize=False)
    np.save(folder / LANDMARKS, landmarks.astype(np.float32))
    if consent_audio is not None:
        from studio.media.audio import write_wav

        samples, rate = consent_audio
        write_wav(folder / manifest.consent.audio_file, samples, rate)
    from studio.avatar.consent import seal

    # Last, so a twin's parts, written by its build before this call, are sealed too.
    manifest = seal(folder, manifest)
    (folder / MANIFEST).write_text(
        json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    make_private(folder)


def make_private(folder: Path) -> None:
    """Make a package readable by its user only: the folder 0700, its files 0600.
    (The temporary folder a package is written in is already 0700, so no one else can open
    a file in it between its creation and this call.)"""
    folder = Path(folder)
    os.chmod(folder, PRIVATE_DIR_MODE)
    for path in folder.iterdir():
        if path.is_file() and not path.is_symlink():
            os.chmod(path, PRIVATE_FILE_MODE)


# How far (as a fraction of the image's width or height) a landmark may lie outside the
# image: MediaPipe places the landmarks of a face cut by the frame edge slightly beyond it.
LANDMARK_MARGIN = 0.1


def recreate_hint() -> str:
    """The hint for a damaged package given by path; the library gives its own for its avatars."""
    return tr("Recreate the package from its photo with 'studio avatar create'.")


def load_avatar(folder: Path, damaged_hint: str = "") -> Avatar:
    """Read and check a package. Raises ``InputError`` (with ``damaged_hint`` as the fix) if
    any part is missing, unreadable or inconsistent, so a damaged package fails here with
    one clear line rather than deep in the renderer or as a garbled video."""
    from PIL import Image

    folder = Path(folder)
    fix = damaged_hint or recreate_hint()
    try:
        manifest = AvatarManifest.from_json(read_manifest_json(folder))
        with Image.open(io.BytesIO(read_part(folder, IMAGE, tr("image"), MAX_IMAGE_BYTES))) as im:
            # Checked before the decode, so a huge image cannot take the memory.
            _check_image_size(folder, im.size, manifest.image_size, fix)
            image = np.asarray(im.convert("RGB"))
        landmarks = _load_landmarks(folder, fix)
    except InputError:
        raise
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        SyntaxError,
        EOFError,
        RecursionError,
        Image.DecompressionBombError,
    ) as exc:
        raise InputError(
            tr("the avatar at {folder} is damaged ({reason}).").format(folder=folder, reason=one_line(exc)),
            fix,
        ) from exc
    height, width = image.shape[:2]
    audio_file = manifest.consent.audio_file
    if audio_file and (audio_file != CONSENT_AUDIO or not (folder / audio_file).is_file()):
        raise InputError(
            tr("the avatar at {folder} is damaged (its consent recording {file!r} is missing).").format(
                folder=folder, file=audio_file
            ),
            fix,
        )
    if not np.isfinite(landmarks).all():
        bad = int((~np.isfinite(landmarks)).any(axis=1).sum())
        raise InputError(
            tr(
                "the avatar at {folder} has malformed landmarks ({bad} of {total} are not finite numbers)."
            ).format(folder=folder, bad=bad, total=NUM_LANDMARKS),
            fix,
        )
    mx, my = LANDMARK_MARGIN * width, LANDMARK_MARGIN * height
    x, y = landmarks[:, 0], landmarks[:, 1]
    outside = (x < -mx) | (x > width + mx) | (y < -my) | (y > height + my)
    if outside.any():
        i, count = int(np.argmax(outside)), int(outside.sum())
        raise InputError(
            tr(
                "the avatar at {folder} has malformed landmarks ({count} of {total} lie outside "
                "its {width}x{height} image, e.g. #{i} at ({x:.0f}, {y:.0f}))."
            ).format(
                folder=folder,
                count=count,
                total=NUM_LANDMARKS,
                width=width,
                height=height,
                i=i,
                x=x[i],
                y=y[i],
            ),
            fix,
        )
    from studio.avatar.consent import verify_seal

    verify_seal(folder, manifest)  # after the checks above, so damage is still named as such
    return Avatar(folder, manifest, image, landmarks)


def _check_image_size(folder: Path, size: tuple[int, int], expected: tuple[int, int], fix: str) -> None:
    width, height = size
    if (width, height) != expected:
        w, h = expected
        raise InputError(
            tr(
                "the avatar at {folder} is damaged ({image} is {width}x{height}, its manifest says {w}x{h})."
            ).format(folder=folder, image=IMAGE, width=width, height=height, w=w, h=h),
            fix,
        )
    if max(width, height) > MAX_IMAGE_SIDE:
        raise InputError(
            tr(
                "the avatar at {folder} is damaged ({image} is {width}x{height}, "
                "larger than the {limit} pixels a package holds)."
            ).format(folder=folder, image=IMAGE, width=width, height=height, limit=MAX_IMAGE_SIDE),
            fix,
        )


def _load_landmarks(folder: Path, fix: str) -> np.ndarray:
    """landmarks.npy as float32, its size and header checked before anything is allocated:
    a header may declare any shape, and ``np.load`` would allocate it before reading."""
    with io.BytesIO(read_part(folder, LANDMARKS, tr("landmarks file"), MAX_LANDMARKS_BYTES)) as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        else:
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        if shape != (NUM_LANDMARKS, 3) or dtype.kind != "f" or dtype.hasobject:
            raise InputError(
                tr(
                    "the avatar at {folder} is damaged (malformed landmarks: {file} holds "
                    "{shape} {dtype}, not ({total}, 3) float)."
                ).format(
                    folder=folder, file=LANDMARKS, shape=reprlib.repr(shape), dtype=dtype, total=NUM_LANDMARKS
                ),
                fix,
            )
        fh.seek(0)
        return np.load(fh, allow_pickle=False).astype(np.float32)
