"""Fit the inner-lip contour to the pixels of a photo that shows its teeth.

MediaPipe's inner-lip points in a broad smile often sit on the teeth rather
than on the lip edge. Closing the mouth by those points would leave a band of
teeth showing, so each point is slid along the face's vertical to where the
colour turns from teeth (or dark cavity) to lip.
"""

from __future__ import annotations

import numpy as np

from studio.face import topology as T

MIN_GAP_PX = 2.0


def _sample(image: np.ndarray, pts: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    xi = np.clip(np.round(pts[:, 0]).astype(int), 0, w - 1)
    yi = np.clip(np.round(pts[:, 1]).astype(int), 0, h - 1)
    return image[yi, xi].astype(np.float32)


def refine_inner_lips(image: np.ndarray, landmarks: np.ndarray, down: np.ndarray) -> np.ndarray:
    """Return a copy of ``landmarks`` (N, 2, canvas pixels) with the inner-lip points moved to
    the visible lip edges. ``down`` is the unit vector down the face."""
    out = landmarks.copy()
    upper = np.array(T.LIPS_INNER_UPPER[1:-1])
    lower = np.array(T.LIPS_INNER_LOWER[1:-1])
    outer_up = np.array(T.LIPS_OUTER_UPPER[1:-1])
    outer_lo = np.array(T.LIPS_OUTER_LOWER[1:-1])
    gaps = (landmarks[lower] - landmarks[upper]) @ down
    if float(gaps.max()) < MIN_GAP_PX:
        return out  # a closed mouth: nothing to fit

    mids = (landmarks[upper] + landmarks[lower]) / 2
    open_pairs = gaps >= MIN_GAP_PX
    gap_colour = np.median(_sample(image, mids[open_pairs]), axis=0)
    lip_pts = np.vstack(
        [
            (landmarks[lower] * 0.4 + landmarks[outer_lo] * 0.6),
            (landmarks[upper] * 0.3 + landmarks[outer_up] * 0.7),
        ]
    )
    lip_colour = np.median(_sample(image, lip_pts), axis=0)
    if float(np.linalg.norm(gap_colour - lip_colour)) < 25.0:
        return out  # teeth and lips look alike here; trust the landmarks

    def is_gap(colours: np.ndarray) -> np.ndarray:
        dark = colours.mean(axis=1) < 0.45 * float(lip_colour.mean())
        nearer = np.linalg.norm(colours - gap_colour, axis=1) < np.linalg.norm(colours - lip_colour, axis=1)
        return np.asarray(dark | nearer)

    steps = np.arange(0.0, 1.0001, 0.04)
    shift = np.zeros((2, len(upper)))
    for k in np.nonzero(open_pairs)[0]:
        mid = mids[k]
        for side, (idx, outer_idx) in enumerate(((upper[k], outer_up[k]), (lower[k], outer_lo[k]))):
            reach = float((landmarks[outer_idx] - mid) @ down)
            # Walk from the middle of the opening towards the outer lip edge, at most 85% of it.
            path = mid[None, :] + np.outer(steps * 0.85 * reach, down)
            gap_run = is_gap(_sample(image, path))
            edge = int(np.argmin(gap_run)) if not gap_run.all() else len(steps) - 1
            if edge > 0:
                found = path[edge - 1] + (path[edge] - path[edge - 1]) * 0.5
                shift[side, k] = float((found - landmarks[idx]) @ down)
    # Pixel decisions are noisy; a lip edge is smooth, so smooth the corrections along it.
    padded = np.pad(shift, ((0, 0), (1, 1)))
    shift = 0.25 * padded[:, :-2] + 0.5 * padded[:, 1:-1] + 0.25 * padded[:, 2:]
    out[upper] += np.outer(shift[0], down)
    out[lower] += np.outer(shift[1], down)
    return out
