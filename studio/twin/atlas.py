"""The mouth atlas: every usable frame's lower face, cut in one canonical frame.

The canonical frame comes from the video's own median face: the stable points
(``data.STABLE_POINTS``) of every usable frame are aligned (similarity, least squares) onto
the first usable frame's, the aligned faces' median is the layout, and the crop is placed
on it from the side of the nose to below the chin (with room for the jaw to drop) and cheek
to cheek, at the video's median face scale (smaller when the crop would be wider than
``MAX_CROP_WIDTH``). A unit is one frame's crop, its landmarks in crop coordinates, its
mouth, the visemes heard at it, and an appearance embedding (PCA of a small grey crop).

Units are chosen before a pixel is decoded, from the landmarks alone, so only the kept
crops are ever held: runs of consecutive frames are kept whole (a natural join for the
selection), near-duplicate runs are dropped, and at most ``MAX_UNITS`` are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from studio.face.topology import CHIN, LIPS_INNER_LOWER, LIPS_INNER_UPPER, LIPS_OUTER_LOWER, LIPS_OUTER_UPPER
from studio.lipsync.visemes import VISEME_POSES
from studio.tasks import CancelToken, ProgressFn
from studio.translation import tr
from studio.twin.data import STABLE_POINTS, Atlas, Canonical

MAX_CROP_WIDTH = 256
MAX_UNITS = 800
EMBEDDING_DIMS = 16
# Runs of consecutive frames are cut into pieces of at most this many frames: short enough
# that a piece is one mouth movement, long enough to give the selection natural joins.
RUN_PIECE = 8
# Face-oval points from the nose's level down, both sides: the crop spans them cheek to cheek.
LOWER_OVAL = (93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323)
NOSE_TOP = 6  # below the bridge: the crop starts a quarter of the way from here to the nose tip
NOSE_TIP = 1
# Room below the chin for the jaw to drop, and beside the cheeks, as fractions of the
# nose-tip-to-chin distance.
JAW_DROP = 0.45
SIDE_MARGIN = 0.08
# The grey thumbnail the embedding is computed from (width; height keeps the crop's shape).
THUMB_WIDTH = 32
# The rest pose units are ranked against (VISEME_POSES["sil"]: jaw shut, lips together).
REST_MOUTH = np.asarray(VISEME_POSES["sil"], np.float32)
LIP_POINTS = tuple(sorted(set(LIPS_OUTER_UPPER + LIPS_OUTER_LOWER + LIPS_INNER_UPPER + LIPS_INNER_LOWER)))


def fit_similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 2x3 similarity (rotation, uniform scale, translation) that maps ``src`` (K, 2) onto
    ``dst`` (K, 2) with the least squared error (Umeyama's closed form, no reflection)."""
    src = np.asarray(src, np.float64)[:, :2]
    dst = np.asarray(dst, np.float64)[:, :2]
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    s, d = src - mu_s, dst - mu_d
    var = float((s**2).sum())
    if var <= 1e-12:
        raise ValueError("the source points coincide")
    # For 2-D similarity: [a -b; b a] with a, b from the cross terms.
    a = float((s * d).sum()) / var
    b = float((s[:, 0] * d[:, 1] - s[:, 1] * d[:, 0]).sum()) / var
    m = np.array([[a, -b, 0.0], [b, a, 0.0]])
    m[:, 2] = mu_d - m[:, :2] @ mu_s
    return m


def apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``points`` (..., >=2) carried by the 2x3 ``matrix``: (..., 2) float32."""
    pts = np.asarray(points, np.float64)[..., :2]
    out: np.ndarray = (pts @ matrix[:, :2].T + matrix[:, 2]).astype(np.float32)
    return out


def _scale(matrix: np.ndarray) -> float:
    return float(np.hypot(matrix[0, 0], matrix[1, 0]))


def canonical_frame(landmarks: np.ndarray, usable: np.ndarray, max_width: int = MAX_CROP_WIDTH) -> Canonical:
    """The canonical crop of the video's median face. ``landmarks`` (N, 478, >=2) frame pixels,
    ``usable`` (N,) bool. Raises ``ValueError`` when no frame is usable."""
    idx = np.flatnonzero(usable)
    if idx.size == 0:
        raise ValueError("no usable frame")
    stable = list(STABLE_POINTS)
    ref = landmarks[idx[0], stable, :2].astype(np.float64)
    # Align every face onto the first: the median is then of shape, not of head motion.
    aligned = np.empty((idx.size, landmarks.shape[1], 2), np.float32)
    scales = np.empty(idx.size)
    for k, i in enumerate(idx):
        m = fit_similarity(landmarks[i, stable], ref)
        aligned[k] = apply(m, landmarks[i])
        scales[k] = 1.0 / _scale(m)  # this frame's face size relative to the reference frame's
    median = np.median(aligned, axis=0)
    # The median face at the video's median scale (the reference frame's scale times it).
    median = (median - median.mean(axis=0)) * float(np.median(scales))
    chin_drop = float(median[CHIN, 1] - median[NOSE_TIP, 1])
    oval = median[list(LOWER_OVAL)]
    left = float(oval[:, 0].min()) - SIDE_MARGIN * chin_drop
    right = float(oval[:, 0].max()) + SIDE_MARGIN * chin_drop
    top = float(0.75 * median[NOSE_TOP, 1] + 0.25 * median[NOSE_TIP, 1])
    bottom = float(median[CHIN, 1]) + JAW_DROP * chin_drop
    zoom = min(1.0, max_width / (right - left))
    # Even sizes: the atlas video is H.264.
    width = max(2, int(round((right - left) * zoom / 2.0)) * 2)
    height = max(2, int(round((bottom - top) * zoom / 2.0)) * 2)
    points = (median[stable] - np.array([left, top])) * zoom
    return Canonical(size=(width, height), points=points.astype(np.float32))


def to_canonical(landmarks: np.ndarray, canonical: Canonical) -> np.ndarray:
    """The 2x3 similarity carrying a frame (its ``landmarks``, 478 x >=2) into the crop."""
    return fit_similarity(landmarks[list(STABLE_POINTS), :2], canonical.points)


def cut(frame: np.ndarray, matrix: np.ndarray, canonical: Canonical) -> np.ndarray:
    """The canonical crop of ``frame`` (RGB uint8) under ``matrix`` (from ``to_canonical``)."""
    import cv2

    crop: np.ndarray = cv2.warpAffine(
        frame, matrix, canonical.size, flags=cv2.INTER_AREA if _scale(matrix) < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )  # fmt: skip
    return crop


def unit_landmarks(landmarks: np.ndarray, canonical: Canonical) -> np.ndarray:
    """(N, 478, 2) crop-coordinate landmarks of each frame's face (NaN rows stay NaN)."""
    out = np.full((landmarks.shape[0], landmarks.shape[1], 2), np.nan, np.float32)
    for i in range(landmarks.shape[0]):
        if np.isfinite(landmarks[i, list(STABLE_POINTS), :2]).all():
            try:
                out[i] = apply(to_canonical(landmarks[i], canonical), landmarks[i])
            except ValueError:  # a degenerate face (its stable points in one spot): not a unit
                continue
    return out


def _shape_features(crop_marks: np.ndarray, mouth: np.ndarray, canonical: Canonical) -> np.ndarray:
    """What tells two units apart before their pixels are seen: the lips and chin in crop
    coordinates (relative to the crop's width) and the mouth parameters."""
    width = float(canonical.size[0])
    lips = crop_marks[:, list(LIP_POINTS) + [CHIN], :].reshape(len(crop_marks), -1) / width
    return np.concatenate([lips * 4.0, np.nan_to_num(mouth) * 0.5], axis=1).astype(np.float32)


def choose_units(
    crop_marks: np.ndarray,
    mouth: np.ndarray,
    usable: np.ndarray,
    canonical: Canonical,
    cap: int = MAX_UNITS,
    duplicate: float = 0.02,
) -> np.ndarray:
    """Sorted frame indices of the units to keep: pieces of consecutive usable frames, added
    farthest first (the piece whose most novel frame is least like anything kept), from the
    frame nearest the rest pose, until ``cap`` frames or until only near-duplicates
    (feature distance per dimension below ``duplicate``) are left."""
    idx = np.flatnonzero(usable & np.isfinite(crop_marks).all(axis=(1, 2)) & np.isfinite(mouth).all(axis=1))
    if idx.size == 0:
        return idx
    feats = _shape_features(crop_marks[idx], mouth[idx], canonical)
    feats /= np.sqrt(feats.shape[1])
    # Pieces: break at gaps in the frame numbers and every RUN_PIECE frames.
    starts = [0]
    for k in range(1, idx.size):
        if idx[k] != idx[k - 1] + 1 or k - starts[-1] >= RUN_PIECE:
            starts.append(k)
    bounds = np.array([*starts, idx.size])
    piece_of = np.repeat(np.arange(len(starts)), np.diff(bounds))
    rest = int(np.argmin(np.abs(mouth[idx] - REST_MOUTH).sum(axis=1)))
    min_dist = np.full(idx.size, np.inf)
    kept = np.zeros(len(starts), bool)
    total, piece = 0, int(piece_of[rest])
    while True:
        lo, hi = bounds[piece], bounds[piece + 1]
        kept[piece] = True
        total += hi - lo
        d = np.sqrt(((feats[:, None, :] - feats[None, lo:hi, :]) ** 2).sum(axis=2)).min(axis=1)
        np.minimum(min_dist, d, out=min_dist)
        novelty = np.maximum.reduceat(min_dist, bounds[:-1])
        novelty[kept] = -1.0
        sizes = np.diff(bounds)
        novelty[total + sizes > cap] = -1.0
        piece = int(np.argmax(novelty))
        if novelty[piece] <= duplicate:
            break
    return idx[np.repeat(kept, np.diff(bounds))]


def thumbnail(crop: np.ndarray) -> np.ndarray:
    """The small grey version of a crop the embedding is computed from (float32, flattened)."""
    import cv2

    height = max(1, round(crop.shape[0] * THUMB_WIDTH / crop.shape[1]))
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(grey, (THUMB_WIDTH, height), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32).ravel() / 255.0


def embed(thumbs: np.ndarray, dims: int = EMBEDDING_DIMS) -> np.ndarray:
    """(U, dims) float32 PCA coordinates of the thumbnails (zero-padded when U <= dims)."""
    centred = thumbs - thumbs.mean(axis=0)
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    coords = centred @ vt[:dims].T
    out = np.zeros((thumbs.shape[0], dims), np.float32)
    out[:, : coords.shape[1]] = coords
    return out


def rest_unit(atlas: Atlas) -> int:
    """The unit of the person's own closed mouth at rest: nearest the rest pose, and among
    those (within a small margin) the most typical in appearance."""
    dist = np.abs(atlas.mouth - REST_MOUTH).sum(axis=1)
    near = np.flatnonzero(dist <= dist.min() + 0.05)
    typical = np.linalg.norm(atlas.embedding[near] - np.median(atlas.embedding, axis=0), axis=1)
    return int(near[np.argmin(typical)])


def build_atlas(
    frames: Iterable[tuple[int, np.ndarray]],
    landmarks: np.ndarray,
    mouth: np.ndarray,
    visemes: np.ndarray,
    usable: np.ndarray,
    progress: ProgressFn,
    token: CancelToken,
    cap: int = MAX_UNITS,
) -> tuple[Atlas, Canonical]:
    """Choose the units from the analysis, then cut them from ``frames`` ((timeline index,
    RGB) in increasing order, as ``footage.iter_frames`` gives them)."""
    canonical = canonical_frame(landmarks, usable)
    crop_marks = unit_landmarks(landmarks, canonical)
    chosen = choose_units(crop_marks, mouth, usable, canonical, cap)
    atlas = cut_atlas(frames, landmarks, mouth, visemes, chosen, canonical, crop_marks, progress, token)
    return atlas, canonical


def cut_atlas(
    frames: Iterable[tuple[int, np.ndarray]],
    landmarks: np.ndarray,
    mouth: np.ndarray,
    visemes: np.ndarray,
    chosen: np.ndarray,
    canonical: Canonical,
    crop_marks: np.ndarray,
    progress: ProgressFn,
    token: CancelToken,
) -> Atlas:
    """The atlas of the ``chosen`` frames, cut as ``frames`` go by (stops after the last)."""
    if chosen.size == 0:
        raise ValueError(tr("no usable frame for the atlas"))
    width, height = canonical.size
    crops = np.empty((chosen.size, height, width, 3), np.uint8)
    wanted = {int(i): k for k, i in enumerate(chosen)}
    last = int(chosen[-1])
    done = 0
    for index, rgb in frames:
        k = wanted.get(index)
        if k is not None:
            crops[k] = cut(rgb, to_canonical(landmarks[index], canonical), canonical)
            done += 1
            if done % 50 == 0:
                token.check(tr("the twin build"))
                progress(
                    done / chosen.size,
                    tr("Cutting mouth units ({done} of {total})").format(done=done, total=chosen.size),
                )
        if index >= last:
            break
    if done != chosen.size:
        raise ValueError(tr("the video ended before frame {last}").format(last=last))
    thumbs = np.stack([thumbnail(c) for c in crops])
    return Atlas(
        crops=crops,
        landmarks=crop_marks[chosen],
        mouth=mouth[chosen].astype(np.float32),
        visemes=visemes[chosen].astype(np.float32),
        source_frame=chosen.astype(np.int32),
        embedding=embed(thumbs),
    )
