"""Place the avatar's photo in the output frame: a portrait framing around the face.

The face is scaled to a fixed share of the frame height and centred. Where the
photo does not reach, the frame is filled with a smooth field of the colours
along the photo's own edges, and the photo's edge is feathered into it: no
visible edge and no stretched copies of the photo. A portrait photo is best shown
in a portrait frame; ``propose_output_size`` says which.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from studio.face import topology as T

LANDSCAPE = (1280, 720)  # what Studio renders unless asked otherwise
PORTRAIT = (720, 1280)  # 9:16, what phone platforms (Shorts, Reels, TikTok) show full screen
TALL_FRAME_WIDTHS = 1.25  # the face is sized to at most this many frame widths of height
PORTRAIT_BELOW = 0.8  # a photo narrower than this (width / height) is a portrait photo


def propose_output_size(photo_width: int, photo_height: int) -> tuple[int, int]:
    """The output frame size (width, height) to offer by default for a photo of this size:
    9:16 for a portrait photo, so it fills the frame instead of sitting between fills."""
    if photo_width <= 0 or photo_height <= 0:
        return LANDSCAPE
    return PORTRAIT if photo_width / photo_height < PORTRAIT_BELOW else LANDSCAPE


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
    # In a tall frame the face is sized by the width instead, so a 9:16 frame shows the head and
    # shoulders, not a face from ear to ear.
    scale = face_share * min(height, TALL_FRAME_WIDTHS * width) / max(face_height(pts), 1.0)
    tx = width / 2.0 - scale * centre[0]
    ty = face_centre_y * height - scale * centre[1]
    matrix = np.array([[scale, 0.0, tx], [0.0, scale, ty]])

    interp = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_AREA
    fg = cv2.warpAffine(image, matrix, (width, height), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    if scale > 1.4:
        # Upscaled photos look soft; a mild unsharp mask restores edge contrast.
        blur = cv2.GaussianBlur(fg, (0, 0), 1.2 * scale / 2)
        fg = cv2.addWeighted(fg, 1.35, blur, -0.35, 0)

    # Where the photo ends, it fades into a fill made from its own edge colours.
    feather = max(2, int(0.1 * min(src_h, src_w)))
    ramp_x = np.clip(np.minimum(np.arange(src_w), src_w - 1 - np.arange(src_w)) / feather, 0.0, 1.0)
    ramp_y = np.clip(np.minimum(np.arange(src_h), src_h - 1 - np.arange(src_h)) / feather, 0.0, 1.0)
    inside = np.outer(ramp_y, ramp_x).astype(np.float32)
    inside = inside * inside * (3.0 - 2.0 * inside)  # smoothstep: no crease where the fade starts
    alpha = cv2.warpAffine(inside, matrix, (width, height), flags=cv2.INTER_LINEAR)
    placed = pts * scale + np.array([tx, ty])
    if float(alpha.min()) >= 0.999:
        return Framing(np.ascontiguousarray(fg), placed.astype(np.float32), scale)
    bg = edge_fill(image, matrix, width, height)
    a = alpha[..., None]
    out = fg.astype(np.float32) * a + bg * (1.0 - a)
    canvas = np.asarray(np.clip(out + 0.5, 0, 255), dtype=np.uint8)
    return Framing(np.ascontiguousarray(canvas), placed.astype(np.float32), scale)


def edge_fill(image: np.ndarray, matrix: np.ndarray, width: int, height: int) -> np.ndarray:
    """float32 (height, width, 3): a smooth field that, at each height, has the colour of the
    photo's left edge on the left, its right edge on the right, and a blend between them above
    and below the photo. It is built on a coarse grid, so it has no detail to look copied."""
    src_h, src_w = image.shape[:2]
    scale, tx, ty = float(matrix[0, 0]), float(matrix[0, 2]), float(matrix[1, 2])
    strip = max(1, src_w // 12)  # about as wide as the fade, so the fill matches what fades
    pix = image.astype(np.float32)
    sides = [pix[:, :strip].mean(axis=1), pix[:, -strip:].mean(axis=1)]  # (src_h, 3) each
    # Colours change slowly down the fill: smooth each edge over a tenth of the photo's height.
    sigma = max(1.0, src_h / 10)
    sides = [cv2.GaussianBlur(s[:, None, :], (1, 0), sigmaX=0.1, sigmaY=sigma)[:, 0, :] for s in sides]
    gw, gh = max(2, width // 8), max(2, height // 8)
    ys = ((np.arange(gh) + 0.5) * height / gh - ty) / scale
    rows = np.clip(np.round(ys).astype(int), 0, src_h - 1)
    xs = ((np.arange(gw) + 0.5) * width / gw - tx) / scale
    across = np.clip(xs / max(src_w - 1, 1), 0.0, 1.0)[None, :, None]
    grid = sides[0][rows][:, None, :] * (1.0 - across) + sides[1][rows][:, None, :] * across
    grid = cv2.GaussianBlur(grid.astype(np.float32), (0, 0), 1.5)
    return np.asarray(cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC), np.float32)
