"""The window search that finds faces MediaPipe misses in large or wide photos."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

from studio.face.landmarker import FaceLandmarker, search_windows
from tests.avatar_photos import astronaut


def test_windows_cover_the_whole_image_at_two_scales() -> None:
    for width, height in ((1280, 512), (512, 1280), (4000, 3000), (640, 640)):
        wins = search_windows(width, height)
        for side in {s for _, _, s in wins}:
            cover = np.zeros((height, width), bool)
            for x, y, s in wins:
                if s == side:
                    assert x >= 0 and y >= 0 and x + s <= width and y + s <= height
                    cover[y : y + s, x : x + s] = True
            assert cover.all(), (width, height, side)
        assert (0, 0, width) not in wins or width != height, "the full frame is searched once only"


def test_small_face_in_a_wide_photo_is_found_once_where_it_is() -> None:
    photo = np.asarray(ImageOps.pad(Image.fromarray(astronaut()), (1280, 512), color=(40, 40, 48)))
    with FaceLandmarker() as lm:
        direct = lm.detect(astronaut())
        faces = lm.detect(photo)
    assert len(faces) == 1
    # The padded photo puts the astronaut at x offset 384; landmarks land on the same face.
    shift = faces[0].landmarks[:, :2] - direct[0].landmarks[:, :2]
    assert np.allclose(np.median(shift, axis=0), (384, 0), atol=3)


def test_a_face_a_twentieth_of_a_large_photo_is_found_where_it_is() -> None:
    canvas = Image.new("RGB", (2048, 1536), (90, 100, 110))
    canvas.paste(Image.fromarray(astronaut()), (1400, 900))
    with FaceLandmarker() as lm:
        faces = lm.detect(np.asarray(canvas))
        direct = lm.detect(astronaut())
    assert len(faces) == 1
    shift = np.median(faces[0].landmarks[:, :2] - direct[0].landmarks[:, :2], axis=0)
    assert np.allclose(shift, (1400, 900), atol=3)
