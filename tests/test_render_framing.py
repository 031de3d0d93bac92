"""Framing a photo in the output frame: a portrait photo in a 16:9 frame sits on a clean fill
made of its own edge colours (no stretched copies of it, no visible edge), and a portrait photo
is offered a 9:16 frame (issue 11)."""

from __future__ import annotations

import numpy as np
import pytest
from avatar_photos import astronaut

from studio.face.landmarker import FaceLandmarker
from studio.lipsync.visemes import VISEME_POSES
from studio.render.framing import LANDSCAPE, PORTRAIT, frame_photo, propose_output_size
from studio.render.idle import IdlePose
from studio.render.photo_renderer import PhotoRenderer, RenderSettings

STILL = IdlePose(blink=0.0, yaw=0.0, pitch=0.0, roll=0.0, dx=0.0, dy=0.0, breath=0.0)


@pytest.fixture(scope="module")
def portrait() -> tuple[np.ndarray, np.ndarray]:
    """A real portrait photo (288 x 512, the astronaut with the flag and shuttle at its sides)
    and its landmarks."""
    image = np.ascontiguousarray(astronaut()[0:512, 80:368])
    with FaceLandmarker() as landmarker:
        faces = landmarker.detect(image)
    assert len(faces) == 1
    return image, faces[0].landmarks


@pytest.mark.parametrize(
    ("size", "proposed"),
    [
        ((288, 512), PORTRAIT),
        ((1080, 1920), PORTRAIT),
        ((3024, 4032), PORTRAIT),  # a phone photo held upright (3:4)
        ((512, 512), LANDSCAPE),
        ((1920, 1080), LANDSCAPE),
        ((4000, 3000), LANDSCAPE),
        ((0, 0), LANDSCAPE),
    ],
)
def test_the_output_size_offered_follows_the_photos_shape(
    size: tuple[int, int], proposed: tuple[int, int]
) -> None:
    assert propose_output_size(*size) == proposed
    width, height = proposed
    RenderSettings(width=width, height=height)  # a size Studio renders


def photo_columns(
    image: np.ndarray, landmarks: np.ndarray, framing_scale: float, placed: np.ndarray
) -> tuple[float, float]:
    left = float(placed[0, 0] - landmarks[0, 0] * framing_scale)
    return left, left + image.shape[1] * framing_scale


def test_a_portrait_photo_in_a_wide_frame_sits_on_a_clean_fill(
    portrait: tuple[np.ndarray, np.ndarray],
) -> None:
    image, landmarks = portrait
    framing = frame_photo(image, landmarks, 1280, 720)
    canvas = framing.canvas.astype(np.float64)
    left, right = photo_columns(image, landmarks, framing.scale, framing.landmarks)
    assert left > 100 and right < 1180  # the photo does not reach the sides: there is a fill
    # No copies of the photo: along each row the fill is one colour (a copy would carry the
    # flag and the shuttle into it).
    for fill in (canvas[:, : int(left) - 4], canvas[:, int(right) + 4 :]):
        assert float(fill.std(axis=1).max()) < 3.0
    # No visible edge: across the photo's left and right edges the brightness changes no faster
    # than the photo's own smooth background does.
    brightness = canvas.mean(axis=2)
    steps = np.abs(np.diff(brightness, axis=1))
    for edge in (left, right):
        band = steps[:, int(edge) - 40 : int(edge) + 40]
        assert float(np.median(band.max(axis=1))) < 2.5, edge


def test_a_portrait_photo_fills_a_portrait_frame_and_talks(portrait: tuple[np.ndarray, np.ndarray]) -> None:
    image, landmarks = portrait
    width, height = propose_output_size(image.shape[1], image.shape[0])
    renderer = PhotoRenderer(image, landmarks, RenderSettings(width=width, height=height))
    rest = renderer.render(0, np.array(VISEME_POSES["sil"], np.float32), STILL)
    open_mouth = renderer.render(0, np.array(VISEME_POSES["aa"], np.float32), STILL)
    assert rest.shape == (1280, 720, 3)
    # Head and shoulders: the face takes a quarter to a third of the height, centred.
    face = renderer.rig.geometry.face_height
    assert 0.2 * height < face < 0.34 * height
    assert abs(float(renderer.rig.geometry.centre[0]) - width / 2) < 0.05 * width
    assert float(np.abs(open_mouth.astype(int) - rest.astype(int)).sum()) > 0
