"""Real test photos for the avatar tests, built from scikit-image's sample data.

astronaut.png is a public-domain NASA portrait with one face; camera, coffee and
chelsea have no human face. Each helper writes a file under the given folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

SKIMAGE_DATA = Path(skimage.data.__file__).parent


def astronaut() -> np.ndarray:
    return np.asarray(skimage.data.astronaut(), dtype=np.uint8)


def save(image: np.ndarray | Image.Image, path: Path, **kwargs: object) -> Path:
    im = image if isinstance(image, Image.Image) else Image.fromarray(image)
    im.save(path, **kwargs)
    return path


def one_face(folder: Path, name: str = "astronaut.png") -> Path:
    return save(astronaut(), folder / name)


def no_face(folder: Path, sample: str = "coffee.png") -> Path:
    return Path(shutil.copy(SKIMAGE_DATA / sample, folder / sample))


def two_faces(folder: Path) -> Path:
    # Two head-and-shoulders crops of the astronaut, side by side.
    crop = astronaut()[0:300, 100:350]
    return save(np.concatenate([crop, crop], axis=1), folder / "two.png")


def small_face(folder: Path) -> Path:
    # The astronaut at half size on a grey canvas: the face is ~54 px tall with ~30 px
    # between the eye corners. (On much larger canvases MediaPipe stops finding it at all.)
    half = Image.fromarray(astronaut()).resize((256, 256), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (356, 356), (128, 128, 128))
    canvas.paste(half, (50, 50))
    return save(canvas, folder / "small.png")


def tiny_face(folder: Path) -> Path:
    # The astronaut's face cropped and shrunk to a 48x56 thumbnail that it fills: the face is
    # found, 32 px tall.
    face = Image.fromarray(astronaut()).crop((150, 50, 310, 240))
    return save(face.resize((48, 56), Image.Resampling.LANCZOS), folder / "tiny.png")


def thumbnail(folder: Path) -> Path:
    # The whole astronaut portrait shrunk to 48x56: at this size the face detector finds nothing.
    return save(Image.fromarray(astronaut()).resize((48, 56), Image.Resampling.LANCZOS), folder / "thumb.png")


def tilted(folder: Path, degrees: float = 60.0) -> Path:
    # MediaPipe still finds the face rotated in-plane, and reports the tilt as roll.
    im = Image.fromarray(astronaut()).rotate(degrees, Image.Resampling.BICUBIC, expand=True)
    return save(im, folder / f"tilted{degrees:g}.png")


def text_as_jpg(folder: Path) -> Path:
    path = folder / "notes.jpg"
    path.write_text("this is a shopping list, not a photo\n", encoding="utf-8")
    return path


def truncated_png(folder: Path) -> Path:
    data = (SKIMAGE_DATA / "astronaut.png").read_bytes()
    path = folder / "truncated.png"
    path.write_bytes(data[: len(data) // 3])
    return path


def snapshot(root: Path) -> list[str]:
    """Everything under ``root`` (hidden entries included), to prove nothing changed."""
    if not root.exists():
        return ["<absent>"]
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))
