"""Create an avatar package from one photo, or from one captured picture (webcam, video).

Everything that can fail because of the user's input (the photo, the names, the face)
is checked before anything is written, and the package is then written with
``atomic_dir``: on any failure the library is exactly as it was.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from studio.avatar.library import AvatarLibrary, check_new_name, normalize_name
from studio.avatar.package import (
    CONSENT_AUDIO,
    MAX_IMAGE_SIDE,
    Avatar,
    AvatarManifest,
    ConsentRecord,
    load_avatar,
    write_package,
)
from studio.errors import InputError, control_characters
from studio.face.quality import DEFAULT_THRESHOLDS, QualityThresholds, check_photo_faces
from studio.resources import FACE_LANDMARKER_MODEL
from studio.storage.atomic import atomic_dir
from studio.storage.input_file import check_input_file
from studio.translation import tr

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

    from studio.face.landmarker import FaceObservation

# Asking for more faces than we accept lets us say "2 faces found" instead of silently
# picking one of them.
MAX_FACES = 4
LANDMARKER_NAME = f"mediapipe-face-landmarker ({FACE_LANDMARKER_MODEL})"
# What the picture of an avatar was taken from (manifest source_kind).
SOURCE_KINDS = ("photo", "webcam", "video")


def source_label(kind: str) -> str:
    """How messages name a picture of ``kind`` that has no file name, in the user's language."""
    return {
        "photo": tr("the photo"),
        "webcam": tr("the captured picture"),
        "video": tr("the video frame"),
    }[kind]


def photo_formats_hint() -> str:
    return tr("Use a JPEG, PNG or WebP photo.")


# (mono float32 samples, sample rate) of the consent statement read aloud.
ConsentAudio = tuple[np.ndarray, int]
# Checked before a photo is decoded (from its file size, then its header), so a
# decompression bomb cannot take the memory. 120 megapixels admits a 108 MP phone photo.
MAX_PHOTO_BYTES = 200 * 1024 * 1024
MAX_PHOTO_PIXELS = 120_000_000


def default_consent_statement(who: str) -> str:
    return (
        f"I, {who}, consent to Studio creating and using an AI digital twin of my face and "
        "voice for the purposes I have approved. I can withdraw this consent and have the "
        "twin deleted at any time."
    )


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def make_consent(
    consent_by: str, statement: str | None = None, method: str = "attestation", audio_file: str = ""
) -> ConsentRecord:
    who = " ".join(consent_by.split())  # collapse stray whitespace/newlines from a shell
    if not who:
        raise InputError(
            tr("the name of the person who consented is empty."),
            tr('Give their full name, e.g. --consent-by "Ana Lima".'),
        )
    text = statement.strip() if statement is not None else default_consent_statement(who)
    if not text:
        raise InputError(
            tr("the consent statement is empty."), tr("Leave it out to use the standard statement.")
        )
    checks = (
        (tr("the name of the person who consented contains control characters ({shown})."), who, ""),
        (tr("the consent statement contains control characters ({shown})."), text, "\n\t"),
    )
    for problem, value, allowed in checks:
        bad = control_characters(value, allowed)
        if bad:
            raise InputError(problem.format(shown=" ".join(bad)), tr("Type it as plain text."))
    return ConsentRecord(
        name=who, statement=text, recorded_at=utc_now_iso(), method=method, audio_file=audio_file
    )


def load_photo(photo: Path) -> np.ndarray:
    """Read any image Pillow reads as upright RGB uint8, longest side <= MAX_IMAGE_SIDE."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    photo = Path(photo)
    check_input_file(photo, tr("photo"), tr("an image file"), photo_formats_hint(), max_bytes=MAX_PHOTO_BYTES)
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels; the size is checked here instead, before decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(photo)
        with im:
            _check_photo_size(photo, im.size)
            im.draft(None, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))  # a large JPEG is decoded scaled down
            im.load()  # decode now: a truncated file fails here, not halfway through later
            upright = ImageOps.exif_transpose(im)
            rgb = _to_rgb(upright)
    except UnidentifiedImageError as exc:
        raise InputError(
            tr("{photo} is not an image Studio can read.").format(photo=photo), photo_formats_hint()
        ) from exc
    except Image.DecompressionBombError as exc:  # Pillow's own limit, above ours: refused on open
        over = tr("over {n:.0f} megapixels").format(n=MAX_PHOTO_PIXELS / 1e6)
        raise _too_many_pixels(photo, over) from exc
    except PermissionError as exc:
        raise InputError(
            tr("{photo} cannot be read (permission denied).").format(photo=photo),
            tr("Check the file's permissions."),
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow reports truncated/corrupt data as OSError, SyntaxError or ValueError.
        raise InputError(
            tr("{photo} is damaged or incomplete ({reason}).").format(photo=photo, reason=exc),
            tr("Export or download the photo again."),
        ) from exc
    if max(rgb.size) > MAX_IMAGE_SIDE:
        rgb.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(rgb, dtype=np.uint8).copy()


def _check_photo_size(photo: Path, size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_PHOTO_PIXELS:
        shown = tr("{width}x{height} pixels ({n:.0f} megapixels)").format(
            width=width, height=height, n=width * height / 1e6
        )
        raise _too_many_pixels(photo, shown)


def _too_many_pixels(photo: Path, size: str) -> InputError:
    return InputError(
        tr("{photo} is {size}; Studio opens photos of at most {n:.0f} megapixels.").format(
            photo=photo, size=size, n=MAX_PHOTO_PIXELS / 1e6
        ),
        tr("Use a smaller copy of the photo: a face needs far fewer pixels."),
    )


def _to_rgb(im: PILImage) -> PILImage:
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        # Transparent areas become white, not whatever colour the encoder left under alpha.
        rgba = im.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return im.convert("RGB")


@dataclass(frozen=True)
class AnalysedPhoto:
    """A normalised photo, its one accepted face's landmarks, and the manifest's face summary."""

    image: np.ndarray
    landmarks: np.ndarray
    face: dict[str, object]


def prepare_image(image: np.ndarray) -> np.ndarray:
    """A captured RGB uint8 frame as a package keeps it: longest side <= MAX_IMAGE_SIDE."""
    from PIL import Image

    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3 or 0 in image.shape[:2]:
        raise ValueError(f"expected an RGB uint8 image, got {image.dtype} {image.shape}")
    if max(image.shape[:2]) <= MAX_IMAGE_SIDE:
        return np.ascontiguousarray(image)
    im = Image.fromarray(image)
    im.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(im, dtype=np.uint8).copy()


def find_faces(image: np.ndarray) -> list[FaceObservation]:
    from studio.face.landmarker import FaceLandmarker

    with FaceLandmarker(max_faces=MAX_FACES) as landmarker:
        return landmarker.detect(image)


def check_faces(
    image: np.ndarray,
    faces: list[FaceObservation],
    source: str,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> AnalysedPhoto:
    """The one usable face among ``faces`` found in ``image``, or ``FaceError``."""
    height, width = image.shape[:2]
    face = check_photo_faces(faces, (width, height), source, thresholds)
    yaw, pitch, roll = face.pose_degrees
    summary: dict[str, object] = {
        "bbox": [round(v, 2) for v in face.bbox],
        "pose_degrees": {"yaw": round(yaw, 2), "pitch": round(pitch, 2), "roll": round(roll, 2)},
        "landmarker": LANDMARKER_NAME,
    }
    return AnalysedPhoto(image, face.landmarks.astype(np.float32), summary)


def analyse_image(
    image: np.ndarray, source: str, thresholds: QualityThresholds = DEFAULT_THRESHOLDS
) -> AnalysedPhoto:
    """Find the one usable face in a normalised image, or raise FaceError."""
    return check_faces(image, find_faces(image), source, thresholds)


def analyse_photo(photo: Path, thresholds: QualityThresholds = DEFAULT_THRESHOLDS) -> AnalysedPhoto:
    """Load the photo and find its one usable face, or raise InputError/FaceError."""
    return analyse_image(load_photo(photo), Path(photo).name, thresholds)


def write_avatar(
    analysed: AnalysedPhoto,
    target: Path,
    name: str,
    consent: ConsentRecord,
    *,
    source_kind: str = "photo",
    source_note: str = "",
    consent_audio: ConsentAudio | None = None,
) -> Avatar:
    """Write the package for an analysed picture at ``target`` (which must not exist)."""
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {SOURCE_KINDS}, not {source_kind!r}")
    target = Path(target)
    height, width = analysed.image.shape[:2]
    manifest = AvatarManifest(
        name=normalize_name(name),
        created=utc_now_iso(),
        source_kind=source_kind,
        image_size=(width, height),
        consent=consent,
        face=analysed.face,
        source_note=source_note,
    )
    library = AvatarLibrary(target.parent)
    try:
        with library.creating(target.name), atomic_dir(target) as tmp:
            write_package(tmp, manifest, analysed.image, analysed.landmarks, consent_audio)
    except FileExistsError as exc:  # created by something other than Studio meanwhile
        raise InputError(
            tr("{target} already exists.").format(target=target),
            tr("Choose another name or delete it first."),
        ) from exc
    except OSError as exc:
        if target.exists():  # rename onto a folder that appeared meanwhile
            raise InputError(
                tr("{target} already exists.").format(target=target), tr("Choose another name.")
            ) from exc
        raise InputError(
            tr("could not write the avatar to {folder} ({reason}).").format(folder=target.parent, reason=exc),
            tr("Check free disk space and permissions."),
        ) from exc
    return load_avatar(target)


def create_package(
    photo: Path,
    target: Path,
    name: str,
    consent: ConsentRecord,
    source_note: str = "",
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> Avatar:
    """Write a package for ``photo`` at ``target`` (which must not exist) and load it back.

    The lower-level step behind ``create_from_photo``; it does not apply library rules
    (reserved names, duplicates), which is what lets the demo package be built with it.
    """
    clean = normalize_name(name)
    target = Path(target)
    if target.exists():
        raise InputError(
            tr("{target} already exists.").format(target=target),
            tr("Choose another name or delete it first."),
        )
    analysed = analyse_photo(photo, thresholds)
    return write_avatar(analysed, target, clean, consent, source_note=source_note)


def check_new_avatar(name: str, library: AvatarLibrary) -> str:
    """The clean name for a new avatar in ``library``, or ``InputError`` (bad or taken name)."""
    clean = check_new_name(name)
    library.check_free(clean)
    return clean


def consent_for(consent_by: str, statement: str | None, consent_audio: ConsentAudio | None) -> ConsentRecord:
    """An attestation, or a "recording" consent naming the package's recording file."""
    if consent_audio is None:
        return make_consent(consent_by, statement)
    return make_consent(consent_by, statement, "recording", CONSENT_AUDIO)


def create_from_photo(
    photo: Path,
    name: str,
    consent_by: str,
    library: AvatarLibrary,
    statement: str | None = None,
    source_note: str = "",
    *,
    consent_method: str = "attestation",
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> Avatar:
    """Create the avatar ``name`` in ``library`` from one photo of one consenting person.

    Raises ``InputError`` (bad photo file, names, existing avatar) or ``FaceError`` (no face,
    several faces, face too small, head turned too far); the library is then unchanged.
    """
    consent = make_consent(consent_by, statement, consent_method)
    clean = check_new_avatar(name, library)
    return create_package(photo, library.path_for(clean), clean, consent, source_note, thresholds)
