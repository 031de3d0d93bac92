"""Place the avatar's photo in the output frame: a portrait framing around the face.

The face is scaled to a fixed share of the frame height and centred; where the
photo does not reach, a blurred, dimmed copy of it fills the frame, so any photo
shape works at any output size without black bars.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from studio.face import topology as T


@dataclass(frozen=True)
class Framing:
    canvas: np.ndarray  # RGB uint8 (H, W, 3): the still frame every render starts from
    landmarks: np.ndarray  # float32 (478, 2) in canvas pixels
    scale: float  # canvas pixels per source pixel


def face_height(landmarks: np.ndarray) -> float:
    return float(np.linalg.norm(landmarks[T.FOREHEAD, :2] - landmarks[T.CHIN, :2]))


def frame_photo(
    image: np.ndarray,
    landmarks: np.ndarray,
    width: int,
    height: int,
    face_share: float = 0.36,
    face_centre_y: float = 0.44,
) -> Framing:
    src_h, src_w = image.shape[:2]
    pts = landmarks[:, :2].astype(np.float64)
    centre = (pts[T.FOREHEAD] + pts[T.CHIN]) / 2.0
    scale = face_share * height / max(face_height(pts), 1.0)
    tx = width / 2.0 - scale * centre[0]
    ty = face_centre_y * height - scale * centre[1]
    matrix = np.array([[scale, 0.0, tx], [0.0, scale, ty]])

    interp = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_AREA
    fg = cv2.warpAffine(image, matrix, (width, height), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    if scale > 1.4:
        # Upscaled photos look soft; a mild unsharp mask restores edge contrast.
        blur = cv2.GaussianBlur(fg, (0, 0), 1.2 * scale / 2)
        fg = cv2.addWeighted(fg, 1.35, blur, -0.35, 0)

    # Where the photo ends, cross-fade into a blurred "cover" copy instead of smeared edge pixels.
    hard = np.zeros((src_h, src_w), np.float32)
    feather = max(2, int(0.04 * min(src_h, src_w)))
    hard[feather:-feather, feather:-feather] = 1.0
    inside = cv2.GaussianBlur(hard, (0, 0), feather / 2)
    alpha = cv2.warpAffine(inside, matrix, (width, height), flags=cv2.INTER_LINEAR)[..., None]
    if float(alpha.min()) < 0.999:
        cover = max(width / src_w, height / src_h)
        small = cv2.resize(image, (max(1, int(src_w * cover / 8)), max(1, int(src_h * cover / 8))))
        small = cv2.GaussianBlur(small, (0, 0), 6)
        bg = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
        dimmed = bg.astype(np.float32) * 0.55
        out = fg.astype(np.float32) * alpha + dimmed * (1.0 - alpha)
        canvas: np.ndarray = np.asarray(np.clip(out, 0, 255), dtype=np.uint8)
    else:
        canvas = np.asarray(fg)
    placed = pts * scale + np.array([tx, ty])
    return Framing(np.ascontiguousarray(canvas), placed.astype(np.float32), scale)
