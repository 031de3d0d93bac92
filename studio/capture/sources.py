"""What the capture wizard's first page runs on worker threads: reading a photo file with its
checklist, picking a video's best frame, listing the cameras."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.capture.analyzer import FrameAnalyzer
from studio.capture.checklist import Checklist
from studio.errors import FaceError
from studio.face.landmarker import FaceObservation
from studio.tasks import CancelToken, ProgressFn


@dataclass(frozen=True)
class Picture:
    """A candidate picture for an avatar, as the page shows it."""

    image: np.ndarray  # RGB uint8
    checklist: Checklist
    faces: list[FaceObservation] = field(default_factory=list)
    refusal: FaceError | None = None  # why the build would refuse it (photos only)


def read_photo(path: Path) -> Picture:
    """The photo as a package would keep it, its checklist, and whether the build accepts it."""
    from studio.avatar.create import load_photo

    return check_photo(load_photo(path), path.name)


def check_photo(image: np.ndarray, name: str) -> Picture:
    """A photo's checklist and whether the build accepts it. A photo need not pass every capture
    check (nobody can step closer to a photo): only the build's own checks (one face, big
    enough, not turned too far) decide."""
    from studio.avatar.create import MAX_FACES
    from studio.face.quality import check_photo_faces

    with FrameAnalyzer(max_side=max(image.shape[:2]), max_faces=MAX_FACES) as analyzer:
        checklist, faces = analyzer.analyse(image, search=True)
    try:
        check_photo_faces(faces, (image.shape[1], image.shape[0]), name)
    except FaceError as exc:
        return Picture(image, checklist, faces, exc)
    return Picture(image, checklist, faces)


def crop_photo(group: Picture, chosen: int, name: str) -> Picture:
    """``group`` (a photo of several people) cropped to face ``chosen`` (numbered left to right,
    from 0), checked as a photo of its own."""
    from studio.capture.face_crop import crop_to_face, left_to_right

    return check_photo(crop_to_face(group.image, left_to_right(group.faces), chosen), name)


def pick_video_frame(path: Path, progress: ProgressFn, token: CancelToken) -> Picture:
    """The best frame of a video file (see ``video_import.best_frame``)."""
    from studio.capture.video_import import best_frame_and_faces

    frame, checklist, faces = best_frame_and_faces(path, progress, token)
    return Picture(frame, checklist, faces)


def list_cameras(_progress: ProgressFn, _token: CancelToken) -> list[tuple[str, str]]:
    """(name, device) of each camera, as ``studio devices`` lists them."""
    from studio.outputs.devices import list_cameras as find_cameras

    return [(camera.name, camera.device) for camera in find_cameras()]
