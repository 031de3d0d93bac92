"""Put an atlas unit's lower face into an idle frame: warp, colour match, feathered blend.

Geometry, all in the canonical frame (``data.Canonical``), then carried into the idle frame by
the similarity of that frame's stable points:

- *control points* are landmarks of the lower face. Each has a weight ``w``: 0 on the
  cheeks and under the nose (they stay where the idle frame has them, so the unit's cheeks
  meet the frame's and the seam there has nothing to show), 1 on the lips and the chin (they
  move as the unit's do), in between along the jaw;
- where a control point goes: the idle frame's own point plus ``w`` times the unit's
  displacement from the person's rest mouth (the atlas's rest unit), both measured from the
  base of the nose. So an open unit drops the frame's own chin by its own jaw drop, and the
  head pose of the frame is kept;
- a thin-plate spline through the control points maps each output pixel back into the unit's
  crop (smooth everywhere: no triangle creases, nothing folds).

The mask is a rounded shield from just under the nose, across the cheeks, to below the
(dropped) chin, feathered, so its edge runs where skin meets skin. The unit's colour is
matched to the frame on a ring just inside that edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from studio.face.topology import CHIN
from studio.twin.data import STABLE_POINTS, TwinData

# Every other point of the outer lip line: the spline needs the lips' shape, not every point.
LIPS = (61, 291, 0, 17, 39, 269, 181, 405, 40, 270, 91, 321, 185, 409)
# Under the nose and on the cheeks: anchored to the idle frame.
ANCHORS = (164, 167, 393, 206, 426, 216, 436, 205, 425, 58, 288)
# The jaw, the chin and the skin between them and the lips: they move with the unit's jaw.
JAW = (152, 148, 377, 176, 400, 136, 365, 172, 397, 199, 200, 18, 32, 262, 214, 434, 202, 422, 43, 273)
CONTROL = LIPS + ANCHORS + JAW
# Below the chin: these are pushed out from the mouth to make room for the dropped jaw.
UNDER_CHIN = (152, 148, 377, 176, 400)
NOSE_BASE = (164, 2, 167, 393)
MOUTH_LEFT, MOUTH_RIGHT, UPPER_LIP_TOP = 61, 291, 0
TPS_GRID = 20  # the spline is evaluated on this many points a side and interpolated between
FEATHER = 0.16  # of the mouth width: the blur of the mask's edge
MAX_SHIFT = 30.0  # grey levels: the largest colour correction (a bigger one means a bad ring)


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """2x3 least-squares similarity mapping ``src`` (K, 2) onto ``dst`` (K, 2) (Umeyama)."""
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    mu_s, mu_d = src.mean(0), dst.mean(0)
    s, d = src - mu_s, dst - mu_d
    var = max(float((s * s).sum()), 1e-9)
    a = float((s * d).sum()) / var
    b = float((s[:, 0] * d[:, 1] - s[:, 1] * d[:, 0]).sum()) / var
    m = np.array([[a, -b, 0.0], [b, a, 0.0]])
    m[:, 2] = mu_d - m[:, :2] @ mu_s
    return m


def invert(m: np.ndarray) -> np.ndarray:
    return np.asarray(cv2.invertAffineTransform(m), np.float64)


def carry(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return np.asarray(pts[..., :2] @ m[:, :2].T + m[:, 2], np.float64)


@dataclass(frozen=True)
class LoopGeometry:
    """Per idle-loop frame: canonical -> frame similarity and the frame's points in canonical."""

    to_frame: np.ndarray  # float64 (L, 2, 3)
    points: np.ndarray  # float32 (L, len(CONTROL) + len(UNDER_CHIN), 2) canonical coordinates


class UnitGeometry:
    """The control points of every unit, prepared once from the atlas (shared, read-only)."""

    def __init__(self, data: TwinData) -> None:
        rest = data.atlas.landmarks[data.rest_unit].astype(np.float64)
        self.weights = _weights(rest)
        self.crop_size = data.canonical.size
        lm = data.atlas.landmarks.astype(np.float32)
        # Each unit's points measured from its nose base: a unit cut with the head a little
        # higher or lower in its crop then moves nothing but the mouth.
        self.points = _controls(lm)  # (U, C, 2) crop coordinates
        base = lm[:, NOSE_BASE].mean(1)[:, None, :]
        self.relative = self.points - base
        self.delta = self.relative - self.relative[data.rest_unit][None]  # (U, C, 2)
        self.loop = _loop_geometry(data)
        w, h = self.crop_size
        self.border = np.array(
            [[0, 0], [w, 0], [w, h], [0, h], [w / 2, 0], [w / 2, h], [0, h / 2], [w, h / 2]]
        )


def _controls(lm: np.ndarray) -> np.ndarray:
    """(..., 478, 2) landmarks -> (..., C, 2) control points, the under-chin ones included."""
    pts = lm[..., list(CONTROL), :2]
    mouth = (lm[..., MOUTH_LEFT, :2] + lm[..., MOUTH_RIGHT, :2]) / 2
    chin = lm[..., list(UNDER_CHIN), :2]
    under = chin + 0.3 * (chin - mouth[..., None, :])
    return np.concatenate([pts, under], axis=-2).astype(np.float32)


def _weights(rest: np.ndarray) -> np.ndarray:
    """(C,) how much each control point moves with the unit (0 anchored .. 1 free)."""
    ctrl = _controls(rest.astype(np.float32)).astype(np.float64)
    left, right = rest[MOUTH_LEFT, :2], rest[MOUTH_RIGHT, :2]
    centre, width = (left + right) / 2, float(np.linalg.norm(right - left))
    down = rest[CHIN, :2] - centre
    depth = max(float(np.linalg.norm(down)), 1e-6)
    down /= depth
    across = np.array([down[1], -down[0]])
    v = (ctrl - centre) @ down / depth  # 0 at the mouth corners' line, 1 at the chin
    u = np.abs((ctrl - centre) @ across) / max(width, 1e-6)
    w = np.clip(0.35 + 0.65 * v, 0.0, 1.0) * np.clip((1.35 - u) / 0.7, 0.0, 1.0)
    n_lips, n_anchor = len(LIPS), len(ANCHORS)
    w[:n_lips] = 1.0
    w[n_lips : n_lips + n_anchor] = 0.0
    w[-len(UNDER_CHIN) :] = 1.0
    return w.astype(np.float32)


def _loop_geometry(data: TwinData) -> LoopGeometry:
    canon = data.canonical.points.astype(np.float64)
    lm = data.idle.landmarks[..., :2].astype(np.float64)
    to_frame = np.stack([similarity(canon, f[list(STABLE_POINTS)]) for f in lm])
    points = np.stack(
        [_controls(carry(invert(m), f).astype(np.float32)) for m, f in zip(to_frame, lm, strict=True)]
    )
    return LoopGeometry(to_frame, points)


def _tps(src: np.ndarray, dst: np.ndarray, grid: np.ndarray, scale: float) -> np.ndarray:
    """Thin-plate spline through src -> dst (n, 2), evaluated at ``grid`` (m, 2)."""
    n = len(src)
    s, g = src / scale, grid / scale

    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        r2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.asarray(0.5 * r2 * np.log(np.maximum(r2, 1e-12)), np.float64)

    system = np.zeros((n + 3, n + 3))
    system[:n, :n] = kernel(s, s) + 1e-3 * np.eye(n)  # a little smoothing: landmarks are noisy
    system[:n, n] = 1.0
    system[:n, n + 1 :] = s
    system[n, :n] = 1.0
    system[n + 1 :, :n] = s.T
    rhs = np.zeros((n + 3, 2))
    rhs[:n] = dst
    # OpenCV's LU: single-threaded, so render threads never fight over a BLAS thread pool.
    _, coef = cv2.solve(system, rhs, flags=cv2.DECOMP_LU)
    return np.asarray(kernel(g, s) @ coef[:n] + coef[n] + g @ coef[n + 1 :], np.float64)


@dataclass(frozen=True)
class Placed:
    """One unit's pixels in an idle frame's region: what ``blend`` lays over it."""

    roi: tuple[int, int, int, int]  # x0, y0, x1, y1 in the idle frame
    image: np.ndarray  # float32 (h, w, 3) the unit, warped
    mask: np.ndarray  # float32 (h, w) 0..1, feathered


def destination(geo: UnitGeometry, loop_frame: int, units: list[tuple[int, float]]) -> np.ndarray:
    """(C, 2) canonical positions of the control points in this idle frame for the weighted
    units (a blend of two units is warped to one shared shape: no double lips)."""
    delta = sum(wt * geo.delta[u] for u, wt in units)
    return np.asarray(geo.loop.points[loop_frame] + geo.weights[:, None] * delta, np.float64)


def place(
    geo: UnitGeometry,
    crops: np.ndarray,
    loop_frame: int,
    units: list[tuple[int, float]],
    frame_size: tuple[int, int],
) -> Placed | None:
    """The weighted units warped into idle frame ``loop_frame``; None when off the frame."""
    dest = destination(geo, loop_frame, units)
    to_frame = geo.loop.to_frame[loop_frame]
    poly = carry(to_frame, _shield(dest))
    feather = FEATHER * float(np.linalg.norm(poly[2] - poly[-1]))
    fw, fh = frame_size
    pad = int(np.ceil(2 * feather)) + 2
    x0, y0 = (np.floor(poly.min(0)).astype(int) - pad).clip(0)
    x1, y1 = np.minimum(np.ceil(poly.max(0)).astype(int) + pad, (fw, fh))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    w, h = int(x1 - x0), int(y1 - y0)
    shape = np.zeros((h, w), np.float32)
    cv2.fillPoly(shape, [np.round((poly - (x0, y0)) * 4).astype(np.int32)], 1.0, cv2.LINE_AA, 2)
    mask = np.asarray(cv2.GaussianBlur(shape, (0, 0), max(feather / 2, 0.8)), np.float32)
    np.clip(2.0 * mask - 1.0, 0.0, 1.0, out=mask)  # the edge fades to nothing at the shield's line
    # Output pixels -> canonical -> each unit's crop, on a coarse grid, then interpolated.
    gx = np.linspace(x0, x1 - 1, TPS_GRID)
    gy = np.linspace(y0, y1 - 1, TPS_GRID)
    grid = np.stack(np.meshgrid(gx, gy), -1).reshape(-1, 2)
    canon = carry(invert(to_frame), grid)
    image = np.zeros((h, w, 3), np.float32)
    scale = float(geo.crop_size[0])
    for unit, weight in units:
        src = np.concatenate([geo.points[unit], geo.border])
        dst = np.concatenate([dest, geo.border])
        back = _tps(dst, src, canon, scale).reshape(TPS_GRID, TPS_GRID, 2).astype(np.float32)
        mx = cv2.resize(np.ascontiguousarray(back[..., 0]), (w, h), interpolation=cv2.INTER_LINEAR)
        my = cv2.resize(np.ascontiguousarray(back[..., 1]), (w, h), interpolation=cv2.INTER_LINEAR)
        warped = cv2.remap(crops[unit], mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        image += weight * warped.astype(np.float32)
    return Placed((int(x0), int(y0), int(x1), int(y1)), image, mask)


def _shield(dest: np.ndarray) -> np.ndarray:
    """The mask's outline in canonical coordinates, from the destination control points: from
    just under the nose, across the cheeks inside the face's outline (the silhouette against
    the background never changes hands), round below the (dropped) chin."""
    at = {k: i for i, k in enumerate(CONTROL)}
    n = len(CONTROL)

    def lm(k: int) -> np.ndarray:
        return np.asarray(dest[at[k]])

    left, right = lm(MOUTH_LEFT), lm(MOUTH_RIGHT)
    centre, width = (left + right) / 2, float(np.linalg.norm(right - left))
    nose = dest[[at[k] for k in NOSE_BASE if k in at]].mean(0)
    down = lm(CHIN) - nose
    down /= max(float(np.linalg.norm(down)), 1e-6)
    across = np.array([-down[1], down[0]])
    top = nose + 0.45 * (lm(UPPER_LIP_TOP) - nose)
    under = {k: dest[n + i] for i, k in enumerate(UNDER_CHIN)}
    pts = [
        top - 0.45 * width * across,
        top + 0.45 * width * across,
        right + 0.6 * (lm(288) - right),
        centre + 0.75 * (lm(365) - centre),
        under[377],
        under[152],
        under[148],
        centre + 0.75 * (lm(136) - centre),
        left + 0.6 * (lm(58) - left),
    ]
    return np.array(pts)


def blend(frame: np.ndarray, placed: Placed, amount: float) -> None:
    """Lay ``placed`` over ``frame`` (uint8, in place), colour matched, at ``amount`` (0..1)."""
    x0, y0, x1, y1 = placed.roi
    region = frame[y0:y1, x0:x1].astype(np.float32)
    mask = placed.mask
    ring = (mask > 0.05) & (mask < 0.6)
    image = placed.image
    if int(ring.sum()) >= 8:
        shift = region[ring].mean(0) - image[ring].mean(0)
        image = image + np.clip(shift, -MAX_SHIFT, MAX_SHIFT)
    alpha = (mask * amount)[..., None]
    out = region + alpha * (image - region)
    frame[y0:y1, x0:x1] = np.clip(out + 0.5, 0, 255).astype(np.uint8)
