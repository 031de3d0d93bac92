"""Piecewise-affine backward warp of a region of the frame.

Each output pixel finds its triangle in the *deformed* mesh and samples the rest
image through that triangle's inverse affine map, so the mapping is exact and
continuous across triangle edges. Triangle ids are rasterised at a reduced
resolution (the map is piecewise linear, so upsampling it loses almost nothing)
and the image itself is sampled at full resolution.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_AREA_PX = 0.25  # triangles smaller than this (canvas pixels²) are slivers, drawn by no one


class PiecewiseAffineWarp:
    def __init__(
        self,
        rest: np.ndarray,
        triangles: np.ndarray,
        roi: tuple[int, int, int, int],
        scale: float = 0.5,
    ) -> None:
        self.rest = rest.astype(np.float64)
        self.triangles = triangles
        self.roi = roi
        self.scale = scale
        x0, y0, x1, y1 = roi
        self.full_size = (x1 - x0, y1 - y0)
        self.small_size = (max(2, round((x1 - x0) * scale)), max(2, round((y1 - y0) * scale)))
        sw, sh = self.small_size
        # Pixel centres of the small grid, in canvas coordinates.
        gx = (np.arange(sw) + 0.5) * (x1 - x0) / sw - 0.5 + x0
        gy = (np.arange(sh) + 0.5) * (y1 - y0) / sh - 0.5 + y0
        self._gx, self._gy = np.meshgrid(gx.astype(np.float32), gy.astype(np.float32))
        self._ids = np.empty((sh, sw), np.int32)

    def _affines(self, dst: np.ndarray) -> np.ndarray:
        """(M + 1, 6) maps dst -> rest per triangle; the last row is the identity."""
        t = self.triangles
        d0, d1, d2 = dst[t[:, 0]], dst[t[:, 1]], dst[t[:, 2]]
        s0, s1, s2 = self.rest[t[:, 0]], self.rest[t[:, 1]], self.rest[t[:, 2]]
        dm = np.stack([d1 - d0, d2 - d0], axis=2)  # (M, 2, 2), columns are edge vectors
        sm = np.stack([s1 - s0, s2 - s0], axis=2)
        det = dm[:, 0, 0] * dm[:, 1, 1] - dm[:, 0, 1] * dm[:, 1, 0]
        ok = np.abs(det) > 1e-9
        inv = np.zeros_like(dm)
        inv[:, 0, 0], inv[:, 1, 1] = dm[:, 1, 1], dm[:, 0, 0]
        inv[:, 0, 1], inv[:, 1, 0] = -dm[:, 0, 1], -dm[:, 1, 0]
        inv[ok] /= det[ok, None, None]
        lin = sm @ inv  # (M, 2, 2)
        lin[~ok] = np.eye(2)
        off = s0 - np.einsum("mij,mj->mi", lin, d0)
        off[~ok] = 0.0
        out = np.empty((len(t) + 1, 6))
        out[:-1, 0:2], out[:-1, 2] = lin[:, 0, :], off[:, 0]
        out[:-1, 3:5], out[:-1, 5] = lin[:, 1, :], off[:, 1]
        out[-1] = (1, 0, 0, 0, 1, 0)
        return out.astype(np.float32)

    def maps(self, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Full-resolution remap tables for the region (canvas coordinates)."""
        x0, y0, _, _ = self.roi
        sw, sh = self.small_size
        fw, fh = self.full_size
        sx, sy = sw / fw, sh / fh
        ids = self._ids
        ids.fill(-1)
        pts = np.empty((len(dst), 2))
        pts[:, 0] = ((dst[:, 0] - x0 + 0.5) * sx - 0.5) * 16
        pts[:, 1] = ((dst[:, 1] - y0 + 0.5) * sy - 0.5) * 16
        # One gather for all triangles: indexing inside the loop cost more than drawing.
        polys = np.round(pts).astype(np.int32)[self.triangles]
        # A triangle squeezed to a line (closed lips or lids) has no usable inverse map: drawn,
        # it would claim a row of pixels and sample them from anywhere. Its neighbours take them.
        tri = dst[self.triangles]
        e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
        area = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
        fill = cv2.fillConvexPoly
        for k in np.nonzero(area >= MIN_AREA_PX)[0]:
            fill(ids, polys[k], int(k), cv2.LINE_8, 4)
        if (ids < 0).any():
            # Slivers (a lid or lip pressed shut) can leave pixels unclaimed; give them a
            # neighbour's triangle. Anything still unclaimed takes row -1, the identity.
            grown = cv2.dilate(ids, np.ones((3, 3), np.uint8), iterations=2)
            np.copyto(ids, grown, where=ids < 0)
        a = self._affines(dst)[ids]  # (sh, sw, 6)
        gx, gy = self._gx, self._gy
        mx = a[..., 0] * gx + a[..., 1] * gy + a[..., 2]
        my = a[..., 3] * gx + a[..., 4] * gy + a[..., 5]
        mx = cv2.resize(mx, (fw, fh), interpolation=cv2.INTER_LINEAR)
        my = cv2.resize(my, (fw, fh), interpolation=cv2.INTER_LINEAR)
        # Upsampling clamps at the edge, half a pixel off; the border vertices never move, so the
        # exact map there is the identity, and setting it keeps the region seamless.
        x1, y1 = x0 + fw, y0 + fh
        cols = np.arange(x0, x1, dtype=np.float32)
        rows = np.arange(y0, y1, dtype=np.float32)
        mx[0, :] = mx[-1, :] = cols
        my[0, :], my[-1, :] = y0, y1 - 1
        my[:, 0] = my[:, -1] = rows
        mx[:, 0], mx[:, -1] = x0, x1 - 1
        return mx, my

    def apply(self, rest_image: np.ndarray, dst: np.ndarray, out: np.ndarray) -> None:
        """Write the warped region of ``rest_image`` into ``out`` (same size)."""
        x0, y0, x1, y1 = self.roi
        mx, my = self.maps(dst)
        out[y0:y1, x0:x1] = cv2.remap(rest_image, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
