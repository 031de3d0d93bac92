"""Build an avatar from what the capture wizard gathered: a picture, a name, a consent.

Every input is checked before the slow steps, progress is reported at each step, and the
token is checked between steps, never during the package write: a cancelled build leaves
the library exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.avatar.create import (
    SOURCE_KINDS,
    check_faces,
    check_new_avatar,
    consent_for,
    find_faces,
    load_photo,
    prepare_image,
    source_label,
    write_avatar,
)
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.capture.consent_audio import check_recording
from studio.errors import InputError
from studio.tasks import CancelToken, ProgressFn
from studio.translation import tr


def _build() -> str:
    return tr("the avatar build")


@dataclass(frozen=True)
class BuildRequest:
    """What to build. ``source`` is a photo or video file, or the picture already chosen
    (RGB uint8: a webcam capture, the best frame of a video)."""

    source_kind: str  # "photo" | "webcam" | "video": recorded in the manifest
    source: Path | np.ndarray
    name: str  # the avatar's name
    consent_by: str  # full name of the person pictured, who consented
    attested: bool  # the operator confirmed that consent
    statement: str | None = None  # None: the standard statement
    consent_audio: np.ndarray | None = None  # the statement read aloud (mono float32)
    consent_rate: int = 48000
    source_note: str = ""  # where the picture came from (file, camera); default: the file name


def _check_request(request: BuildRequest) -> None:
    if request.source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {SOURCE_KINDS}, not {request.source_kind!r}")
    if request.source_kind == "webcam" and not isinstance(request.source, np.ndarray):
        raise ValueError("a webcam build takes the captured picture, not a file")
    if not request.attested:
        raise InputError(
            tr("consent has not been confirmed."),
            tr("Tick the box confirming that you are this person or have their written consent."),
        )
    if request.consent_audio is not None:
        check_recording(request.consent_audio, request.consent_rate)


def build_avatar(
    request: BuildRequest, library: AvatarLibrary, progress: ProgressFn, token: CancelToken
) -> Avatar:
    """Load or choose the picture, find the face, check it, write the package; return it.

    Raises ``InputError``/``FaceError`` for anything the user can fix and ``Cancelled``
    when ``token`` is cancelled; in every such case the library is unchanged.
    """
    _check_request(request)
    audio = None if request.consent_audio is None else (request.consent_audio, request.consent_rate)
    consent = consent_for(request.consent_by, request.statement, audio)
    clean = check_new_avatar(request.name, library)
    token.check(_build())

    image, source, note = _picture(request, progress, token)
    token.check(_build())

    progress(0.6, tr("Finding the face"))
    faces = find_faces(image)
    token.check(_build())

    progress(0.75, tr("Checking the face"))
    analysed = check_faces(image, faces, source)
    token.check(_build())

    progress(0.85, tr("Writing the avatar '{name}'").format(name=clean))
    avatar = write_avatar(
        analysed,
        library.path_for(clean),
        clean,
        consent,
        source_kind=request.source_kind,
        source_note=request.source_note or note,
        consent_audio=audio,
    )
    progress(1.0, tr("Created the avatar '{name}'").format(name=avatar.name))
    return avatar


def _picture(request: BuildRequest, progress: ProgressFn, token: CancelToken) -> tuple[np.ndarray, str, str]:
    """(normalised picture, how messages name it, default source note)."""
    if isinstance(request.source, np.ndarray):
        progress(0.1, tr("Preparing the picture"))
        return prepare_image(request.source), source_label(request.source_kind), ""
    path = Path(request.source)
    if request.source_kind == "video":
        from studio.capture.video_import import best_frame

        def sub(fraction: float, message: str) -> None:
            progress(0.05 + 0.5 * fraction, message)

        frame, checklist = best_frame(path, sub, token)
        when = checklist.measures.get("time_s", 0.0)
        return (
            prepare_image(frame),
            tr("{name} at {when:.1f} s").format(name=path.name, when=when),
            f"{path.name}, frame at {when:.1f} s",  # untranslated: the manifest's note, as the app writes it
        )
    progress(0.1, tr("Loading {name}").format(name=path.name))
    return load_photo(path), path.name, path.name
