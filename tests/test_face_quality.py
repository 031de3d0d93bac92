"""Quality checks, on real MediaPipe observations of real photos.

Extreme yaw and pitch cannot be made by rotating a 2-D photo, so those cases take the
astronaut's real observation and change only its pose transform.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from avatar_photos import astronaut
from PIL import Image

from studio.errors import FaceError
from studio.face.landmarker import FaceLandmarker, FaceObservation
from studio.face.quality import (
    QualityThresholds,
    check_photo_faces,
    eye_distance_px,
    face_height_px,
)

SIZE = (512, 512)


@pytest.fixture(scope="module")
def landmarker():
    with FaceLandmarker(max_faces=4) as lm:
        yield lm


@pytest.fixture(scope="module")
def face(landmarker) -> FaceObservation:
    (found,) = landmarker.detect(astronaut())
    return found


def with_pose(face: FaceObservation, yaw: float, pitch: float, roll: float) -> FaceObservation:
    """The same face with the transform's rotation set to R = Rz(roll) Ry(yaw) Rx(pitch)."""
    y, p, r = (math.radians(v) for v in (yaw, pitch, roll))
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    transform = face.transform.copy()
    transform[:3, :3] = rz @ ry @ rx
    return dataclasses.replace(face, transform=transform)


def scaled(face: FaceObservation, factor: float) -> FaceObservation:
    centre = face.landmarks.mean(axis=0)
    return dataclasses.replace(face, landmarks=(face.landmarks - centre) * factor + centre)


def test_astronaut_passes_with_margin(face):
    assert check_photo_faces([face], SIZE) is face
    yaw, pitch, roll = face.pose_degrees
    assert abs(yaw) < 5 and 10 < pitch < 20 and abs(roll) < 6
    assert face_height_px(face) == pytest.approx(105, abs=5)
    assert eye_distance_px(face) == pytest.approx(60, abs=4)


def test_pose_helper_round_trips(face):
    assert with_pose(face, 12, -7, 3).pose_degrees == pytest.approx((12, -7, 3), abs=1e-6)


def test_no_face():
    with pytest.raises(FaceError, match=r"^no face found in me\.png\.") as info:
        check_photo_faces([], SIZE, "me.png")
    assert "frontal photo with one face" in info.value.hint


def test_two_faces_real_photo(landmarker):
    crop = astronaut()[0:300, 100:350]
    faces = landmarker.detect(np.concatenate([crop, crop], axis=1))
    with pytest.raises(FaceError, match=r"^2 faces found in two\.png") as info:
        check_photo_faces(faces, (500, 300), "two.png")
    assert "Crop the photo to one person" in info.value.hint


def test_small_real_face(landmarker):
    image = np.asarray(Image.fromarray(astronaut()).resize((256, 256)))
    (small,) = landmarker.detect(image)
    with pytest.raises(FaceError, match="too small to animate") as info:
        check_photo_faces([small], (256, 256))
    assert "256x256" in info.value.problem
    assert "higher-resolution" in info.value.hint


@pytest.mark.parametrize(
    ("factor", "ok"),
    [(0.74, False), (0.80, True)],  # face height ~78 px (< 80) vs ~84 px
)
def test_face_height_threshold(face, factor, ok):
    small = scaled(face, factor)
    if ok:
        check_photo_faces([small], SIZE)
    else:
        with pytest.raises(FaceError, match="too small"):
            check_photo_faces([small], SIZE)


def test_eye_distance_alone_can_fail(face):
    strict = QualityThresholds(min_eye_distance_px=70)
    with pytest.raises(FaceError, match=r"60 px between the eyes.*70 px"):
        check_photo_faces([face], SIZE, thresholds=strict)


@pytest.mark.parametrize(
    ("pose", "axis", "over"),
    [
        ((40, 15, 0), "yaw", "10 deg over the 30 deg limit"),
        ((-45, 15, 0), "yaw", "15 deg over the 30 deg limit"),
        ((0, 42, 0), "pitch", "12 deg over the 30 deg limit"),
        ((0, -35, 0), "pitch", "5 deg over the 30 deg limit"),
        ((0, 15, 31), "roll", "6 deg over the 25 deg limit"),
    ],
)
def test_extreme_pose_names_angle_and_excess(face, pose, axis, over):
    with pytest.raises(FaceError, match="turned too far") as info:
        check_photo_faces([with_pose(face, *pose)], SIZE)
    assert axis in info.value.problem
    assert over in info.value.problem
    assert "faces the camera" in info.value.hint


def test_all_offending_angles_are_reported(face):
    with pytest.raises(FaceError) as info:
        check_photo_faces([with_pose(face, 35, 40, -30)], SIZE)
    assert all(axis in info.value.problem for axis in ("yaw", "pitch", "roll"))


def test_just_inside_limits_passes(face):
    check_photo_faces([with_pose(face, 29, -29, 24)], SIZE)


def test_real_rotated_photo_fails_on_roll(landmarker):
    rotated = np.asarray(Image.fromarray(astronaut()).rotate(60, expand=True))
    faces = landmarker.detect(rotated)
    with pytest.raises(FaceError, match=r"roll \(head tilted\) is \+[45]\d deg"):
        check_photo_faces(faces, rotated.shape[1::-1])


def test_count_is_checked_before_size(face):
    with pytest.raises(FaceError, match="^2 faces"):
        check_photo_faces([scaled(face, 0.1), face], SIZE)


def test_thresholds_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        QualityThresholds().max_yaw_deg = 90  # type: ignore[misc]


def test_messages_are_one_line(face):
    for faces in ([], [face, face], [scaled(face, 0.3)], [with_pose(face, 60, 60, 60)]):
        with pytest.raises(FaceError) as info:
            check_photo_faces(faces, SIZE)
        assert "\n" not in str(info.value)
