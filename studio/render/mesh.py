"""The deformable mesh over one framed photo.

Vertices are the 468 face-mesh landmarks plus anchors: two rings around the
face (hair, ears, neck) that follow the head, and points on the border of the
region of interest that never move. Because the outermost vertices are fixed and
the map is piecewise affine, the warped region meets the still frame without a
seam. The mouth and eyes, holes in MediaPipe's mesh, are closed with strips
between their index-aligned upper and lower contours.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from studio.face import topology as T
from studio.face.tessellation import triangles as face_triangles

FACE_VERTICES = 468  # the iris points are left out: they sit inside the eye hole
INNER_RING, OUTER_RING = 1.3, 1.75


@dataclass(frozen=True)
class Mesh:
    vertices: np.ndarray  # float64 (N, 2) canvas pixels, the rest pose
    triangles: np.ndarray  # int32 (M, 3)
    head_weight: np.ndarray  # float64 (N,): 1 follows the head, 0 stays put
    roi: tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) in canvas pixels


def _strip(upper: tuple[int, ...], lower: tuple[int, ...]) -> list[tuple[int, int, int]]:
    """Triangles between two contours that share their first and last points."""
    tris = [(upper[0], upper[1], lower[1])]
    for i in range(1, len(upper) - 2):
        tris.append((upper[i], upper[i + 1], lower[i]))
        tris.append((upper[i + 1], lower[i + 1], lower[i]))
    tris.append((upper[-2], upper[-1], lower[-2]))
    return tris


def _outer_triangles(points: np.ndarray, oval: np.ndarray, first_outer: int) -> list[tuple[int, int, int]]:
    """Delaunay triangles of the ring between the face oval and the border, holes removed."""
    x0, y0 = points.min(axis=0) - 2
    x1, y1 = points.max(axis=0) + 2
    subdiv = cv2.Subdiv2D((int(x0), int(y0), int(x1 - x0) + 1, int(y1 - y0) + 1))
    lookup: dict[tuple[float, float], int] = {}
    for i, (x, y) in enumerate(points):
        key = (round(float(np.float32(x)), 2), round(float(np.float32(y)), 2))
        lookup[key] = i
        subdiv.insert((float(x), float(y)))
    oval_poly = oval.astype(np.float32).reshape(-1, 1, 2)
    tris = []
    for t in subdiv.getTriangleList():
        ids = []
        for k in range(3):
            key = (round(float(np.float32(t[2 * k])), 2), round(float(np.float32(t[2 * k + 1])), 2))
            ids.append(lookup.get(key, -1))
        if min(ids) < 0:
            continue
        if max(ids) < first_outer:
            # All three on the oval: keep only the ones outside the face (concave bays).
            c = points[ids].mean(axis=0)
            if cv2.pointPolygonTest(oval_poly, (float(c[0]), float(c[1])), False) >= 0:
                continue
        tris.append((ids[0], ids[1], ids[2]))
    return tris


def build_mesh(landmarks: np.ndarray, width: int, height: int) -> Mesh:
    face = landmarks[:FACE_VERTICES, :2].astype(np.float64)
    oval_idx = np.array(T.FACE_OVAL)
    oval = face[oval_idx]
    centre = oval.mean(axis=0)

    inner = centre + (oval - centre) * INNER_RING
    outer = centre + (oval - centre) * OUTER_RING
    lo = outer.min(axis=0) - 0.1 * np.ptp(outer, axis=0)
    hi = outer.max(axis=0) + 0.1 * np.ptp(outer, axis=0)
    x0, y0 = max(0, int(lo[0])), max(0, int(lo[1]))
    x1, y1 = min(width, int(np.ceil(hi[0])) + 1), min(height, int(np.ceil(hi[1])) + 1)
    roi = (x0, y0, x1, y1)

    step = max(24.0, (x1 - x0) / 12)
    border: list[tuple[float, float]] = []
    for x in np.linspace(x0, x1 - 1, max(2, int((x1 - x0) / step)) + 1):
        border += [(x, y0), (x, y1 - 1)]
    for y in np.linspace(y0, y1 - 1, max(2, int((y1 - y0) / step)) + 1)[1:-1]:
        border += [(x0, y), (x1 - 1, y)]
    border_pts = np.array(border, dtype=np.float64)

    # Rings are pulled inside the region; ring points that crowd the border are dropped.
    margin = 3.0
    lim_lo = np.array([x0 + margin, y0 + margin])
    lim_hi = np.array([x1 - 1 - margin, y1 - 1 - margin])
    inner = np.clip(inner, lim_lo, lim_hi)
    outer = np.clip(outer, lim_lo, lim_hi)
    keep_outer = np.all((outer > lim_lo + step / 3) & (outer < lim_hi - step / 3), axis=1)
    outer = outer[keep_outer]

    vertices = np.vstack([face, inner, outer, border_pts])
    weights = np.concatenate(
        [np.ones(FACE_VERTICES + len(inner)), np.full(len(outer), 0.45), np.zeros(len(border_pts))]
    )

    tris = [tuple(t) for t in face_triangles().tolist()]
    tris += _strip(T.LIPS_INNER_UPPER, T.LIPS_INNER_LOWER)
    tris += _strip(T.RIGHT_EYE_UPPER, T.RIGHT_EYE_LOWER)
    tris += _strip(T.LEFT_EYE_UPPER, T.LEFT_EYE_LOWER)

    ring_points = np.vstack([oval, inner, outer, border_pts])
    ring_index = np.concatenate([oval_idx, FACE_VERTICES + np.arange(len(ring_points) - len(oval))])
    for a, b, c in _outer_triangles(ring_points, oval, len(oval)):
        tris.append((int(ring_index[a]), int(ring_index[b]), int(ring_index[c])))
    return Mesh(vertices, np.array(tris, dtype=np.int32), weights, roi)
