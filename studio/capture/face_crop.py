"""Crop a photo of several people to the one an avatar is made of.

A group photo is refused ("an avatar is made from exactly one"), so the wizard offers the faces
it found, left to right, and crops the photo around the one the user picks: head and shoulders
with a margin, never reaching into a neighbour's face. The usual checks then run on the crop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from studio.face.landmarker import FaceObservation

# The crop around a face (landmark box, w x h), in face sizes: room for hair above, the neck
# and shoulders below, and the head's width again on each side.
ABOVE, BELOW, SIDE = 0.6, 0.9, 0.75


def left_to_right(faces: Sequence[FaceObservation]) -> list[FaceObservation]:
    """The faces in reading order, as the user numbers them: by the centre of each box."""
    return sorted(faces, key=lambda f: ((f.bbox[0] + f.bbox[2]) / 2, f.bbox[1]))


def crop_box(
    image_size: tuple[int, int], faces: Sequence[FaceObservation], chosen: int
) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1), exclusive, of the crop around ``faces[chosen]`` in an image of
    ``image_size`` (width, height). Beside another face, the crop stops where that face begins."""
    width, height = image_size
    face = faces[chosen]
    fx0, fy0, fx1, fy1 = face.bbox
    w, h = fx1 - fx0, fy1 - fy0
    x0, x1 = fx0 - SIDE * w, fx1 + SIDE * w
    y0, y1 = fy0 - ABOVE * h, fy1 + BELOW * h
    centre = (fx0 + fx1) / 2
    for k, other in enumerate(faces):
        ox0, oy0, ox1, oy1 = other.bbox
        if k == chosen or oy1 < y0 or oy0 > y1:
            continue  # not beside this face: above or below the crop
        # Half-way into the gap between the two faces, at most.
        if (ox0 + ox1) / 2 < centre:
            x0 = max(x0, (ox1 + fx0) / 2)
        else:
            x1 = min(x1, (fx1 + ox0) / 2)
    box = (max(0, int(x0)), max(0, int(y0)), min(width, int(np.ceil(x1))), min(height, int(np.ceil(y1))))
    if box[2] - box[0] < 2 or box[3] - box[1] < 2:
        raise ValueError(f"no room to crop around face {chosen}")
    return box


def crop_to_face(image: np.ndarray, faces: Sequence[FaceObservation], chosen: int) -> np.ndarray:
    """A copy of ``image`` (RGB uint8) cropped around ``faces[chosen]`` (landmarks in its pixels)."""
    x0, y0, x1, y1 = crop_box((image.shape[1], image.shape[0]), faces, chosen)
    return np.ascontiguousarray(image[y0:y1, x0:x1])
