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
TOOTH_LENGTH = 0.11  # visible length of a central incisor, as a fraction of the mouth width
SEAM_SHADE = np.array([0.6, 0.42, 0.42], np.float32)  # closed lips meet in a darker, redder line
SEAM_FADE_PX = 2.5  # the seam line fades out over the first pixels of an opening
SLIT = 0.6  # an opening narrower than this many tooth lengths is in the upper lip's shadow


@dataclass(frozen=True)
class MouthColours:
    cavity: np.ndarray  # float32 RGB
    tongue: np.ndarray
    teeth: np.ndarray
    lashes: np.ndarray
    lip: np.ndarray


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
        lip=lip,
    )


def close_photo_mouth(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The rest image with the photo's own mouth opening (teeth, the dark corners of a smile)
    filled from the lips around it, once per avatar.

    The rig closes the mouth by its landmarks, which rarely sit exactly on the lip edge: without
    this the photo's teeth survive as a pale line between closed lips, and the shadow in a
    smile's corner is stretched into a dark jagged wedge when the mouth opens or spreads."""
    upper, lower = landmarks[list(T.LIPS_INNER_UPPER), :2], landmarks[list(T.LIPS_INNER_LOWER), :2]
    corners = landmarks[list(T.MOUTH_CORNERS), :2]
    width = float(np.linalg.norm(corners[1] - corners[0]))
    if width < 4:
        return image
    along = (corners[1] - corners[0]) / width
    # Past each inner corner to the outer corner (the commissure), where a smile's shadow sits.
    reach = [upper[0] - along * 0.04 * width, upper[-1] + along * 0.04 * width]
    poly = np.vstack([reach[:1], upper, reach[1:], lower[1:-1][::-1]])
    pad = max(2, round(0.04 * width))
    x0, y0 = np.floor(poly.min(axis=0)).astype(int) - 3 * pad
    x1, y1 = np.ceil(poly.max(axis=0)).astype(int) + 3 * pad
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return image
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [np.round(poly - [x0, y0]).astype(np.int32)], 255)
    cv2.polylines(mask, [np.round(poly - [x0, y0]).astype(np.int32)], True, 255, 1 + 2 * (pad // 2))
    filled = cv2.inpaint(np.ascontiguousarray(image[y0:y1, x0:x1]), mask, pad, cv2.INPAINT_TELEA)
    # Inpainting leaves speckle; the filled strip is smoothed so a barely open seam shows none.
    smooth = cv2.GaussianBlur(filled, (0, 0), max(1.0, pad / 2))
    out = image.copy()
    out[y0:y1, x0:x1] = np.where(mask[..., None] > 0, smooth, filled)
    return out


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
    along = upper[-1] - upper[0]
    down = np.array([-along[1], along[0]]) / max(float(np.linalg.norm(along)), 1e-6)
    gap = float((lower[mid] - upper[mid]) @ down)  # signed: a seam pressed past itself is shut
    if gap < SEAM_FADE_PX:
        # Closed lips meet in a soft line, a darker shade of the lips themselves (cavity or
        # tooth colours read as a grey line there); it fades out as the mouth opens.
        seam = _chaikin((upper + lower) / 2, rounds=2)
        fade = float(np.clip((SEAM_FADE_PX - gap) / (SEAM_FADE_PX - 0.8), 0.0, 1.0))
        _soft_line(frame, seam, colours.lip * SEAM_SHADE, max(1, round(rest_width / 90)), 0.65 * fade)
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

    tooth_h = TOOTH_LENGTH * rest_width
    # Tongue: a soft mound rising from the floor of the mouth when it opens wide enough.
    if gap > 0.45 * tooth_h:
        tongue_top = bottom - np.clip(0.45 * gap, 0.0, 1.2 * tooth_h) * np.sqrt(
            np.clip(1 - (s / (0.8 * half)) ** 2, 0, 1)
        )
        tongue = np.clip((t - tongue_top) / 2.0, 0.0, 1.0) * (across < 0.85)
        tshade = (0.8 + 0.2 * (1 - across))[..., None]
        img = img * (1 - tongue[..., None]) + colours.tongue * tshade * tongue[..., None]

    ua, upper_rgb = _teeth(s, t, top, half, rest_width, colours.teeth, upper_jaw=True)
    img = img * (1 - ua[..., None]) + upper_rgb * ua[..., None]
    show_lower = float(np.clip((gap - 0.9 * tooth_h) / tooth_h, 0.0, 1.0))
    if show_lower > 0:
        # Lower incisors peek over the lower lip only in a wider opening, mid-mouth, in shadow.
        la, lower_rgb = _teeth(s, t, bottom, half, rest_width, colours.teeth * 0.72, upper_jaw=False)
        la *= show_lower * np.clip((0.6 - across) / 0.15, 0.0, 1.0)
        img = img * (1 - la[..., None]) + lower_rgb * la[..., None]

    # The upper lip casts a shadow onto whatever is just below it.
    shadow = 1.0 - 0.22 * np.clip(1.0 - (t - top) / (0.35 * tooth_h + 1.0), 0.0, 1.0)
    img *= shadow[..., None]
    lit = float(np.clip(gap / (SLIT * tooth_h), 0.0, 1.0))
    if lit < 1.0:
        # A slit of an opening is in shadow: teeth seen through it would read as a pale grey line.
        img = img * lit + colours.cavity * (1.0 - lit)

    region = frame[y0:y1, x0:x1].astype(np.float32)
    frame[y0:y1, x0:x1] = np.clip(region * (1 - alpha) + img * alpha, 0, 255).astype(np.uint8)


def paint_lash_line(frame: np.ndarray, lid: np.ndarray, closed: float, colour: np.ndarray) -> None:
    """A closing lid shows its lashes as a dark line where it meets the lower lid."""
    if closed < 0.55:
        return
    thickness = max(1, round(float(np.linalg.norm(lid[-1] - lid[0])) / 22))
    _soft_line(frame, lid, colour, thickness, min(1.0, (closed - 0.55) / 0.35) * 0.85)


# Visible tooth widths from the midline outwards, as fractions of the mouth width: the arch
# turns away from the camera, so each tooth looks narrower than the one before.
_UPPER_WIDTHS = np.array([0.125, 0.1, 0.09, 0.08, 0.075, 0.07])
_UPPER_LENGTHS = np.array([1.0, 0.86, 0.94, 0.8, 0.75, 0.7])
_LOWER_WIDTHS = np.array([0.07, 0.075, 0.08, 0.08, 0.075, 0.07])
_LOWER_LENGTHS = np.array([0.55, 0.55, 0.6, 0.5, 0.45, 0.4])


def _teeth(
    s: np.ndarray,
    t: np.ndarray,
    lip: np.ndarray,
    half: float,
    rest_width: float,
    enamel: np.ndarray,
    upper_jaw: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Coverage (H, W) and colour (H, W, 3) of one row of teeth hanging from (upper jaw) or
    standing on (lower jaw) the lip line ``lip``: rounded incisal edges, dark embrasures between
    teeth, enamel that is warmer at the gum and translucent at the edge, darker to the sides."""
    widths = (_UPPER_WIDTHS if upper_jaw else _LOWER_WIDTHS) * rest_width
    lengths = (_UPPER_LENGTHS if upper_jaw else _LOWER_LENGTHS) * TOOTH_LENGTH * rest_width
    edges = np.concatenate([[0.0], np.cumsum(widths)])
    a = np.abs(s)
    k = np.clip(np.searchsorted(edges, a, side="right") - 1, 0, len(widths) - 1)
    within = np.clip((a - edges[k]) / widths[k], 0.0, 1.0)
    centred = 2.0 * within - 1.0
    c2 = centred * centred  # (products: a float power is ten times slower here)
    length = lengths[k] * (1.0 - 0.3 * c2 * c2 * c2)  # rounded corners on each tooth's edge
    depth = (t - lip) if upper_jaw else (lip - t)  # distance into the mouth from the lip line
    v = np.clip(depth / np.maximum(length, 1e-3), 0.0, 1.0)
    cover = np.clip((length - depth) / 0.9 + 0.5, 0.0, 1.0) * np.clip(depth / 1.0 + 1.0, 0.0, 1.0)
    across = np.clip(a / half, 0.0, 1.0)
    cover *= np.clip((0.96 - across) / 0.08, 0.0, 1.0)
    # Embrasures: the small dark notches between teeth, deepest at the biting edge.
    notch_w = 0.08 * widths[k]  # a notch scales with its tooth, at any resolution
    notch = np.exp(-((((1.0 - np.abs(centred)) * widths[k] / 2) / notch_w) ** 2)) * (0.25 + 0.6 * v)
    convex = 0.94 + 0.06 * np.cos(0.5 * np.pi * centred)
    side = 1.0 - 0.6 * across * across * np.sqrt(across)  # darker where the arch turns away
    light = (0.9 + 0.1 * np.sin(np.pi * v)) * convex * side
    light *= 1.0 - 0.5 * notch
    colour = enamel[None, None, :] * light[..., None]
    # The biting edge is thin enamel: slightly grey-blue where the dark mouth shows through.
    edge = np.clip((v - 0.78) / 0.22, 0.0, 1.0)[..., None]
    colour = colour * (1.0 - 0.18 * edge) + np.array([150.0, 155.0, 165.0]) * 0.18 * edge * light[..., None]
    return cover, colour


def _soft_line(
    frame: np.ndarray, points: np.ndarray, colour: np.ndarray, thickness: int, alpha: float
) -> None:
    """An anti-aliased polyline blended at ``alpha`` (cv2 draws lines opaque)."""
    h, w = frame.shape[:2]
    pad = thickness // 2 + 3  # room for the whole stroke and its anti-aliased rim
    x0, y0 = np.maximum(np.floor(points.min(axis=0)).astype(int) - pad, 0)
    x1, y1 = np.minimum(np.ceil(points.max(axis=0)).astype(int) + pad + 1, [w, h])
    if x1 <= x0 or y1 <= y0:
        return
    layer = frame[y0:y1, x0:x1].copy()
    pts = np.round((points - [x0, y0]) * 16).astype(np.int32)
    cv2.polylines(layer, [pts], False, tuple(float(c) for c in colour), thickness, cv2.LINE_AA, shift=4)
    frame[y0:y1, x0:x1] = cv2.addWeighted(layer, alpha, frame[y0:y1, x0:x1], 1 - alpha, 0)


def _chaikin(points: np.ndarray, rounds: int) -> np.ndarray:
    """Round off a polyline's corners (Chaikin's corner cutting), keeping its end points."""
    for _ in range(rounds):
        a, b = points[:-1], points[1:]
        cut = np.empty((2 * len(a), 2))
        cut[0::2] = 0.75 * a + 0.25 * b
        cut[1::2] = 0.25 * a + 0.75 * b
        points = np.vstack([points[:1], cut, points[-1:]])
    return points
