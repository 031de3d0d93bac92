"""Paint the inside of an open mouth: cavity, upper and lower teeth, a tongue.

A photo has no usable inside of the mouth (it is closed, or its teeth would be
stretched), so the opening between the deformed inner-lip contours is painted
from scratch, in the mouth's own frame, with colours taken from the person's
lips and skin so it sits in the face's lighting.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from studio.face import topology as T

TOOTH = np.array([242.0, 230.0, 208.0], np.float32)  # warm enamel; pure grey reads as blue beside lips


@dataclass(frozen=True)
class MouthColours:
    cavity: np.ndarray  # float32 RGB
    tongue: np.ndarray
    teeth: np.ndarray
    lashes: np.ndarray


def sample_colours(image: np.ndarray, landmarks: np.ndarray) -> MouthColours:
    """Colours from the rest image: the lips tint the cavity, the skin sets the brightness."""
    lips = np.array(T.LIPS_OUTER_UPPER + T.LIPS_OUTER_LOWER[1:-1][::-1])
    mask = np.zeros(image.shape[:2], np.uint8)
    cv2.fillPoly(mask, [landmarks[lips, :2].astype(np.int32)], 255)
    inner = np.array(T.LIPS_INNER_UPPER + T.LIPS_INNER_LOWER[1:-1][::-1])
    cv2.fillPoly(mask, [landmarks[inner, :2].astype(np.int32)], 0)
    lip = (
        np.median(image[mask > 0].reshape(-1, 3), axis=0).astype(np.float32)
        if mask.any()
        else np.array([170.0, 90.0, 90.0], np.float32)
    )
    cheek = landmarks[[50, 280], :2].mean(axis=0).astype(int)
    y, x = (
        int(np.clip(cheek[1], 0, image.shape[0] - 1)),
        int(np.clip(cheek[0], 0, image.shape[1] - 1)),
    )
    patch = image[max(0, y - 6) : y + 7, max(0, x - 6) : x + 7].reshape(-1, 3).astype(np.float32)
    luma = float(patch.mean()) if patch.size else 160.0
    light = float(np.clip(luma / 165.0, 0.55, 1.05))
    return MouthColours(
        cavity=(lip * np.array([0.42, 0.3, 0.3]) + np.array([6.0, 2.0, 2.0])) * light,
        tongue=(lip * np.array([0.95, 0.62, 0.62]) + np.array([18.0, 0.0, 0.0])) * 0.8 * light,
        teeth=TOOTH * light,
        lashes=np.array([58.0, 42.0, 36.0], np.float32) * light,
    )


def _curve(
    points: np.ndarray, centre: np.ndarray, ex: np.ndarray, ey: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    rel = points - centre
    s, t = rel @ ex, rel @ ey
    order = np.argsort(s)
    return s[order], t[order]


def paint_mouth(
    frame: np.ndarray,
    upper: np.ndarray,
    lower: np.ndarray,
    rest_width: float,
    colours: MouthColours,
) -> None:
    """Paint in place between the deformed inner upper and lower lip contours (11 points each)."""
    mid = len(upper) // 2
    gap = float(np.linalg.norm(lower[mid] - upper[mid]))
    if gap < 1.5:
        # Closed lips meet in a thin shadowed line; drawing it also hides any teeth that the
        # warp's smooth map would otherwise let show through the seam.
        seam = np.round(((upper + lower) / 2) * 16).astype(np.int32)
        colour = tuple(float(c) for c in colours.cavity * 1.2)
        cv2.polylines(frame, [seam], False, colour, 1, cv2.LINE_AA, shift=4)
        if gap < 0.8:
            return
    poly = np.vstack([upper, lower[1:-1][::-1]])
    x0, y0 = np.floor(poly.min(axis=0)).astype(int) - 2
    x1, y1 = np.ceil(poly.max(axis=0)).astype(int) + 3
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return

    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [np.round((poly - [x0, y0]) * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
    alpha = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 0.6)[..., None]

    ex = upper[-1] - upper[0]
    ex = ex / max(np.linalg.norm(ex), 1e-6)
    ey = np.array([-ex[1], ex[0]])
    centre = (upper[0] + upper[-1]) / 2
    us, ut = _curve(upper, centre, ex, ey)
    ls, lt = _curve(lower, centre, ex, ey)
    gx, gy = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
    s = (gx - centre[0]) * ex[0] + (gy - centre[1]) * ex[1]
    t = (gx - centre[0]) * ey[0] + (gy - centre[1]) * ey[1]
    top = np.interp(s, us, ut)
    bottom = np.interp(s, ls, lt)
    half = max(float(us[-1] - us[0]) / 2, 1.0)
    across = np.clip(np.abs(s) / half, 0.0, 1.0)

    # Cavity: darkest at the back and towards the corners.
    depth = np.clip((t - top) / np.maximum(bottom - top, 1.0), 0.0, 1.0)
    shade = (0.75 + 0.5 * np.abs(depth - 0.5)) * (1.0 - 0.45 * across**2)
    img = colours.cavity[None, None, :] * shade[..., None]

    tooth_h = 0.105 * rest_width
    # Tongue: a soft mound rising from the floor of the mouth when it opens wide enough.
    if gap > 0.45 * tooth_h:
        tongue_top = bottom - np.clip(0.45 * gap, 0.0, 1.2 * tooth_h) * np.sqrt(
            np.clip(1 - (s / (0.8 * half)) ** 2, 0, 1)
        )
        tongue = np.clip((t - tongue_top) / 2.0, 0.0, 1.0) * (across < 0.85)
        tshade = (0.8 + 0.2 * (1 - across))[..., None]
        img = img * (1 - tongue[..., None]) + colours.tongue * tshade * tongue[..., None]

    # Teeth fade out towards the corners, where they turn away from the light.
    side = np.clip(1.0 - across**2.2, 0.0, 1.0)
    tooth_edges = np.cumsum([0.0, 0.1, 0.08, 0.075]) * rest_width
    dist_edge = np.min(np.abs(np.abs(s)[..., None] - tooth_edges[None, None, 1:]), axis=-1)
    dist_edge = np.minimum(dist_edge, np.abs(s))
    seams = 0.9 + 0.1 * np.clip(dist_edge / 0.7, 0.0, 1.0)

    upper_teeth = np.clip((top + tooth_h - t) / 1.2, 0.0, 1.0) * np.clip((t - top + 1.5) / 1.5, 0.0, 1.0)
    ushade = (0.8 + 0.2 * side) * seams * (0.82 + 0.18 * np.clip((t - top) / tooth_h * 3, 0, 1))
    ua = (upper_teeth * (across < 0.93))[..., None]
    img = img * (1 - ua) + colours.teeth * ushade[..., None] * ua

    if gap > 0.6 * tooth_h:
        lower_teeth = np.clip((t - (bottom - 0.62 * tooth_h)) / 1.2, 0.0, 1.0) * (across < 0.8)
        lshade = (0.5 + 0.3 * side) * seams
        la = lower_teeth[..., None]
        img = img * (1 - la) + colours.teeth * lshade[..., None] * la

    # The upper lip casts a shadow onto whatever is just below it.
    shadow = 1.0 - 0.22 * np.clip(1.0 - (t - top) / (0.35 * tooth_h + 1.0), 0.0, 1.0)
    img *= shadow[..., None]

    region = frame[y0:y1, x0:x1].astype(np.float32)
    frame[y0:y1, x0:x1] = np.clip(region * (1 - alpha) + img * alpha, 0, 255).astype(np.uint8)


def paint_lash_line(frame: np.ndarray, lid: np.ndarray, closed: float, colour: np.ndarray) -> None:
    """A closing lid shows its lashes as a dark line where it meets the lower lid."""
    if closed < 0.55:
        return
    h, w = frame.shape[:2]
    x0, y0 = np.maximum(np.floor(lid.min(axis=0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(lid.max(axis=0)).astype(int) + 3, [w, h])
    if x1 <= x0 or y1 <= y0:
        return
    layer = frame[y0:y1, x0:x1].copy()
    pts = np.round((lid - [x0, y0]) * 16).astype(np.int32)
    thickness = max(1, round(float(np.linalg.norm(lid[-1] - lid[0])) / 22))
    cv2.polylines(layer, [pts], False, tuple(float(c) for c in colour), thickness, cv2.LINE_AA, shift=4)
    a = min(1.0, (closed - 0.55) / 0.35) * 0.85
    frame[y0:y1, x0:x1] = cv2.addWeighted(layer, a, frame[y0:y1, x0:x1], 1 - a, 0)
