"""Can this photo become an avatar? Pure checks on the faces the landmarker found.

Every failure is a ``FaceError`` whose problem names what is wrong (with the measured
value) and whose hint says what photo to use instead. All sizes are measured in the
analysed image, i.e. after Studio's normalisation (EXIF rotation, downscale to
``MAX_IMAGE_SIDE``), because that is the image that gets animated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studio.errors import FaceError
from studio.face.landmarker import FaceObservation
from studio.face.topology import CHIN, FOREHEAD, LEFT_EYE_OUTER, RIGHT_EYE_OUTER
from studio.translation import tr


@dataclass(frozen=True)
class QualityThresholds:
    """Limits a face must meet to be animated.

    Size: the mouth region is re-synthesised at roughly 1/3 of the face height, so below
    ~80 px of face (forehead to chin) there are too few pixels for lips and teeth to read.
    The eye-corner distance guards the same thing for wide, short crops. Eye *corners*
    (not iris centres) are used because they are steadier; the demo astronaut measures
    ~105 px face height and ~60 px between eye corners.

    Pose: the animation warps a frontal-ish face; beyond these angles the far cheek and
    mouth corner are hidden and cannot be synthesised. Pitch is looser in practice than it
    looks: MediaPipe's canonical frame reads a level, frontal portrait at about +15 deg
    (the astronaut: yaw 0.6, pitch 14.9, roll -3.5), and the limit is absolute.
    """

    min_face_height_px: float = 80.0
    min_eye_distance_px: float = 40.0
    max_yaw_deg: float = 30.0
    max_pitch_deg: float = 30.0
    max_roll_deg: float = 25.0


DEFAULT_THRESHOLDS = QualityThresholds()


def _angle_words() -> dict[str, str]:
    return {
        "yaw": tr("yaw (head turned sideways)"),
        "pitch": tr("pitch (head tipped up or down)"),
        "roll": tr("roll (head tilted)"),
    }


def face_height_px(face: FaceObservation) -> float:
    """Forehead-to-chin distance in pixels of the analysed image."""
    return float(np.linalg.norm(face.landmarks[CHIN, :2] - face.landmarks[FOREHEAD, :2]))


def eye_distance_px(face: FaceObservation) -> float:
    """Distance between the outer eye corners in pixels of the analysed image."""
    left, right = face.landmarks[LEFT_EYE_OUTER, :2], face.landmarks[RIGHT_EYE_OUTER, :2]
    return float(np.linalg.norm(left - right))


def min_photo_side(thresholds: QualityThresholds = DEFAULT_THRESHOLDS) -> int:
    """The shortest photo side that can hold a face big enough to animate: the face itself
    plus a little hair and chin around it."""
    return math.ceil(1.25 * thresholds.min_face_height_px)


def photo_too_small(image_size: tuple[int, int], thresholds: QualityThresholds = DEFAULT_THRESHOLDS) -> bool:
    return min(image_size) < min_photo_side(thresholds)


def check_face_count(
    faces: Sequence[FaceObservation],
    source: str,
    image_size: tuple[int, int] | None = None,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> FaceObservation:
    if not faces:
        if image_size is not None and photo_too_small(image_size, thresholds):
            # The face detector finds nothing in a thumbnail; "no face" would send the user
            # looking for a better-lit photo when the problem is its size.
            raise FaceError(
                tr(
                    "{source} is too small: {width}x{height} px. A face needs at "
                    "least {needed:.0f} px from forehead to chin to animate."
                ).format(
                    source=source,
                    width=image_size[0],
                    height=image_size[1],
                    needed=thresholds.min_face_height_px,
                ),
                _larger_photo(image_size, thresholds),
            )
        raise FaceError(
            tr("no face found in {source}.").format(source=source),
            tr("Use a well-lit, frontal photo with one face that fills a good part of the frame."),
        )
    if len(faces) > 1:
        raise FaceError(
            tr("{n} faces found in {source}; an avatar is made from exactly one.").format(
                n=len(faces), source=source
            ),
            tr("Crop the photo to one person."),
        )
    return faces[0]


def check_face_size(
    face: FaceObservation,
    image_size: tuple[int, int],
    source: str,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> None:
    height, eyes = face_height_px(face), eye_distance_px(face)
    if height >= thresholds.min_face_height_px and eyes >= thresholds.min_eye_distance_px:
        return
    width_px, height_px = image_size
    raise FaceError(
        tr(
            "the face in {source} is too small to animate: {height:.0f} px tall and "
            "{eyes:.0f} px between the eyes in a {width_px}x{height_px} image "
            "(needs at least {min_height:.0f} px and {min_eyes:.0f} px)."
        ).format(
            source=source,
            height=height,
            eyes=eyes,
            width_px=width_px,
            height_px=height_px,
            min_height=thresholds.min_face_height_px,
            min_eyes=thresholds.min_eye_distance_px,
        ),
        _larger_photo(image_size, thresholds)
        or tr("Use a higher-resolution photo, or one taken closer so the face fills more of it."),
    )


def _larger_photo(image_size: tuple[int, int], thresholds: QualityThresholds) -> str:
    """The fix for a photo too small to hold a face big enough to animate, or ""."""
    if not photo_too_small(image_size, thresholds):
        return ""
    side = min_photo_side(thresholds)
    return tr("Use a larger photo, at least {side}x{side} px with the face filling most of it.").format(
        side=side
    )


def check_face_pose(
    face: FaceObservation,
    source: str,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> None:
    yaw, pitch, roll = face.pose_degrees
    limits = {
        "yaw": (yaw, thresholds.max_yaw_deg),
        "pitch": (pitch, thresholds.max_pitch_deg),
        "roll": (roll, thresholds.max_roll_deg),
    }
    words = _angle_words()
    over = [
        tr("{angle} is {value:+.0f} deg, {excess:.0f} deg over the {limit:.0f} deg limit").format(
            angle=words[axis], value=value, excess=abs(value) - limit, limit=limit
        )
        for axis, (value, limit) in limits.items()
        if abs(value) > limit
    ]
    if over:
        raise FaceError(
            tr("the head in {source} is turned too far to animate: {angles}.").format(
                source=source, angles=tr("; ").join(over)
            ),
            tr("Use a photo where the person faces the camera with the head level."),
        )


def check_photo_faces(
    faces: Sequence[FaceObservation],
    image_size: tuple[int, int],
    source: str = "",
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> FaceObservation:
    """Return the one usable face, or raise ``FaceError`` for the first problem found.

    ``image_size`` is (width, height) of the analysed image; ``source`` names the photo in
    messages. Count is checked first (nothing else is meaningful with 0 or 2+ faces), then
    size (pose estimates on tiny faces are noise), then pose.
    """
    source = source or tr("the photo")
    face = check_face_count(faces, source, image_size, thresholds)
    check_face_size(face, image_size, source, thresholds)
    check_face_pose(face, source, thresholds)
    return face
