"""What the viewer sees of the demo avatar's mouth: the line between closed lips and the corners
of an open mouth (issue 11: a grey-blue line between closed lips, a jagged seam at a corner)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.avatar.library import AvatarLibrary
from studio.face import topology as T
from studio.lipsync.visemes import VISEME_POSES
from studio.render.idle import IdlePose
from studio.render.label import LabelSettings
from studio.render.photo_renderer import INNER_LOWER, INNER_UPPER, PhotoRenderer, RenderSettings

STILL = IdlePose(blink=0.0, yaw=0.0, pitch=0.0, roll=0.0, dx=0.0, dy=0.0, breath=0.0)


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> PhotoRenderer:
    demo = AvatarLibrary(tmp_path_factory.mktemp("lib")).load("demo")
    settings = RenderSettings(width=1280, height=720, label=LabelSettings(enabled=False))
    return PhotoRenderer(demo.image, demo.landmarks, settings)


def redness(pixels: np.ndarray) -> np.ndarray:
    """(R - B) / R: lips and the shadow between them are red; teeth and grey-blue are not."""
    p = pixels.astype(np.float64)
    return np.asarray((p[..., 0] - p[..., 2]) / np.maximum(p[..., 0], 1.0))


def seam_band(renderer: PhotoRenderer, vertices: np.ndarray, half_width: int) -> np.ndarray:
    """Mask of the pixels within ``half_width`` of the line where the inner lips meet, corners
    left out (they belong to the skin around them)."""
    seam = (vertices[INNER_UPPER] + vertices[INNER_LOWER]) / 2
    mask = np.zeros(renderer.canvas.shape[:2], np.uint8)
    cv2.polylines(mask, [np.round(seam[1:-1]).astype(np.int32)], False, 255, 2 * half_width + 1)
    return mask > 0


@pytest.mark.parametrize("jaw", [0.0, 0.01, 0.02, 0.03, 0.04])
def test_closed_and_barely_open_lips_meet_in_a_lip_coloured_line(renderer: PhotoRenderer, jaw: float) -> None:
    mouth = np.array([jaw, 0.0, 0.0, 0.0, 0.0], np.float32)
    vertices = renderer.rig.deform(mouth, STILL)
    gap = float((vertices[14] - vertices[13]) @ renderer.rig.geometry.ey)
    assert gap < 2.5  # these poses show no teeth: a slit at most
    frame = renderer.render(0, mouth, STILL)
    band = frame[seam_band(renderer, vertices, 1)]
    line = frame[seam_band(renderer, vertices, 0)]
    lip = renderer.colours.lip
    # No pale teeth and no grey-blue: the line and the pixels either side of it are as red as
    # the lips' own shadow, and the line itself is no brighter than the lips. (Beside the line,
    # the lips' own specular highlight is bright but red: up to 6 % of the band here.)
    pale = redness(band) < 0.6 * float(redness(lip))
    bright = line.mean(axis=1) > float(lip.mean()) + 30
    assert float(pale.mean()) < 0.01
    assert float(bright.mean()) < 0.01


def test_the_photos_own_opening_is_not_stretched_past_the_mouth_corners(renderer: PhotoRenderer) -> None:
    """The demo photo smiles with a dark shadow in each corner. Beyond the painted mouth it must
    not be stretched into a dark wedge when the mouth opens or spreads."""
    lip = renderer.colours.lip
    for name in ("ih", "E", "aa"):
        mouth = np.array(VISEME_POSES[name], np.float32)
        vertices = renderer.rig.deform(mouth, STILL)
        frame = renderer.render(0, mouth, STILL)
        opening = np.vstack([vertices[INNER_UPPER], vertices[INNER_LOWER][1:-1][::-1]]).astype(np.float32)
        width = renderer.rig.geometry.width
        for corner in (T.LIPS_INNER_UPPER[0], T.LIPS_INNER_UPPER[-1]):
            cx, cy = vertices[corner]
            r = int(0.12 * width)
            box = [
                (x, y)
                for y in range(int(cy) - r, int(cy) + r)
                for x in range(int(cx) - r, int(cx) + r)
                # Outside the painted opening by more than its anti-aliased rim.
                if cv2.pointPolygonTest(opening.reshape(-1, 1, 2), (float(x), float(y)), True) < -1.5
            ]
            xs, ys = np.array(box).T
            luma = frame[ys, xs].mean(axis=1)
            assert float(luma.min()) > 0.55 * float(lip.mean()), (name, corner)
