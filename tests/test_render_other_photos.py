"""Photos other than the demo one animate as well, or are refused for a stated reason.

The variants are real photos derived from the public-domain astronaut portrait: mirrored,
enlarged, cropped close, set in a wide landscape frame, greyscale, heavily JPEG-compressed,
and one of our own renders with the mouth closed (a photo with no teeth showing).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary
from studio.lipsync.visemes import VISEME_POSES
from studio.render.idle import IdlePose
from studio.render.photo_renderer import PhotoRenderer, RenderSettings
from tests.avatar_photos import astronaut

STILL = IdlePose(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
SIZE = RenderSettings(width=640, height=360)


def _closed_mouth_render() -> Image.Image:
    with_demo = AvatarLibrary(Path("unused")).load("demo")
    r = PhotoRenderer(with_demo.image, with_demo.landmarks, RenderSettings(width=960, height=720))
    return Image.fromarray(r.render(0, np.array(VISEME_POSES["PP"], np.float32), STILL))


def _jpeg(im: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


VARIANTS = {
    "mirrored": lambda im: ImageOps.mirror(im),
    "enlarged": lambda im: im.resize((1024, 1024), Image.Resampling.LANCZOS),
    "close crop": lambda im: im.crop((130, 30, 330, 260)).resize((400, 460), Image.Resampling.LANCZOS),
    "landscape": lambda im: ImageOps.pad(im, (1280, 512), color=(40, 40, 48)),
    "greyscale": lambda im: ImageOps.grayscale(im).convert("RGB"),
    "jpeg q25": lambda im: _jpeg(im, 25),
    "closed mouth": lambda im: _closed_mouth_render(),
}


def _mouth_box(renderer: PhotoRenderer) -> tuple[slice, slice]:
    from studio.face import topology as T

    lips = renderer.mesh.vertices[list(T.LIPS_OUTER_UPPER + T.LIPS_OUTER_LOWER)]
    (x0, y0), (x1, y1) = lips.min(axis=0).astype(int) - 2, lips.max(axis=0).astype(int) + 3
    return slice(y0, y1), slice(x0, x1)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_photo_becomes_an_avatar_that_talks(tmp_path: Path, variant: str) -> None:
    photo = tmp_path / "photo.png"
    VARIANTS[variant](Image.fromarray(astronaut())).save(photo)
    avatar = create_from_photo(photo, "Variant", "Test Person", AvatarLibrary(tmp_path / "lib"))
    renderer = PhotoRenderer(avatar.image, avatar.landmarks, SIZE)

    rest = renderer.render(0, np.array(VISEME_POSES["sil"], np.float32), STILL)
    wide = renderer.render(0, np.array(VISEME_POSES["aa"], np.float32), STILL)
    box = _mouth_box(renderer)
    change = float(np.abs(wide[box].astype(int) - rest[box].astype(int)).mean())
    assert change > 15.0, f"{variant}: the mouth barely opens ({change:.1f})"

    # Nothing outside the animated region moves, whatever the photo.
    x0, y0, x1, y1 = renderer.mesh.roi
    outside = np.ones(rest.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    outside[renderer.label.box[1] : renderer.label.box[3], renderer.label.box[0] : renderer.label.box[2]] = (
        False
    )
    assert np.array_equal(wide[outside], renderer.canvas[outside])

    # No fold anywhere in the mesh for any mouth shape, with a blink and a turned head.
    tris = renderer.mesh.triangles
    v0 = renderer.mesh.vertices
    a0 = _areas(v0, tris)
    for name, values in VISEME_POSES.items():
        for idle in (STILL, IdlePose(1.0, 2.5, -2.0, 1.5, 0.004, -0.003, 1.0)):
            a1 = _areas(renderer.rig.deform(np.array(values, np.float32), idle), tris)
            folds = np.nonzero((np.sign(a1) != np.sign(a0)) & (np.abs(a1) > 1.0) & (np.abs(a0) > 0.5))[0]
            assert folds.size == 0, f"{variant} {name}: folded {tris[folds].tolist()}"


def _areas(v: np.ndarray, t: np.ndarray) -> np.ndarray:
    a, b, c = v[t[:, 0]], v[t[:, 1]], v[t[:, 2]]
    return 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
