"""Where each mesh vertex goes for a mouth pose and an idle pose.

Mouth and lid motion happen in the face's own frame (x along the eyes, y down
the face) so a tilted head opens its mouth along its own axis. Per-vertex
weights are computed once; a frame costs a few hundred multiply-adds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from studio.face import topology as T
from studio.lipsync.mouth import CLOSE, JAW, ROUND, TUCK, WIDTH
from studio.render.idle import IdlePose
from studio.render.mesh import FACE_VERTICES, Mesh

# Mouth geometry, as fractions of the mouth width at rest.
MAX_GAP = 0.5  # inner-lip opening at jaw = 1; "aa" (jaw 0.75) opens to 3/8 of the mouth width
UPPER_SHARE = 0.22  # how much of an opening the upper lip takes; the jaw takes the rest
SPREAD = 0.16  # corner travel for width = +1 (a smile-like spread)
NARROW = 0.2  # corner travel for round = 1 (pursed lips)
TUCK_RAISE = 0.07  # upper-lip lift that bares the upper teeth for f/v


def _signed_areas(v: np.ndarray, t: np.ndarray) -> np.ndarray:
    a, b, c = v[t[:, 0]], v[t[:, 1]], v[t[:, 2]]
    return 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))


def _smoothstep(e0: float, e1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


@dataclass(frozen=True)
class MouthGeometry:
    """Rest-pose measurements the interior painter also needs."""

    centre: np.ndarray  # canvas pixels
    ex: np.ndarray  # unit vector along the mouth (image right)
    ey: np.ndarray  # unit vector down the face
    width: float  # corner to corner, pixels
    face_height: float


class FaceRig:
    def __init__(self, mesh: Mesh, landmarks_z: np.ndarray) -> None:
        v = mesh.vertices
        self.rest = v
        self.mesh = mesh
        eye_r = (v[T.RIGHT_EYE_OUTER] + v[T.RIGHT_EYE_INNER]) / 2
        eye_l = (v[T.LEFT_EYE_OUTER] + v[T.LEFT_EYE_INNER]) / 2
        ex = (eye_l - eye_r) / np.linalg.norm(eye_l - eye_r)
        ey = np.array([-ex[1], ex[0]])
        centre = (v[13] + v[14]) / 2
        width = float(np.linalg.norm(v[T.MOUTH_CORNERS[0]] - v[T.MOUTH_CORNERS[1]]))
        face_h = float(np.linalg.norm(v[T.FOREHEAD] - v[T.CHIN]))
        self.geometry = MouthGeometry(centre, ex, ey, width, face_h)
        rel = v - centre
        u, w = rel @ ex, rel @ ey  # w: downwards distance in the face frame
        self._u = u
        hw = width / 2

        upper = np.array(T.LIPS_INNER_UPPER)
        lower = np.array(T.LIPS_INNER_LOWER)
        # The rest gap between the lips (a smiling photo shows teeth) is closed first.
        self._rest_gap = np.maximum(w[lower] - w[upper], 0.0)
        mid_u = (u[upper] + u[lower]) / 2
        mid_w = (w[upper] + w[lower]) / 2
        order = np.argsort(mid_u)
        self._mid_u, self._mid_w = mid_u[order], mid_w[order]
        self._gap_rest_at = self._rest_gap[order]
        self._inner_half = max(float(np.ptp(mid_u)) / 2, 1.0)

        n = len(v)
        is_face = np.arange(n) < FACE_VERTICES
        mid_here = np.interp(u, self._mid_u, self._mid_w)
        below = w > mid_here
        outer_lips = np.array(T.LIPS_OUTER_UPPER + T.LIPS_OUTER_LOWER[1:-1][::-1], dtype=np.int32)
        poly = v[outer_lips].astype(np.float32).reshape(-1, 1, 2)
        dist = np.array([cv2.pointPolygonTest(poly, (float(x), float(y)), True) for x, y in v])
        # 1 on the lips, fading to 0 half a mouth-width away (nose base, cheeks).
        lip_w = np.where(dist >= 0, 1.0, 1.0 - _smoothstep(0.0, 0.55 * hw, -dist)) * is_face
        self._upper_w = np.where(~below, lip_w, 0.0)
        # The jaw carries the chin and lower face; it hinges near the ears.
        jaw = _smoothstep(-0.02 * face_h, 0.12 * face_h, w - mid_here)
        jaw *= 1.0 - _smoothstep(0.22 * face_h, 0.42 * face_h, np.abs(u))
        self._jaw_w = np.where(below, np.maximum(jaw, lip_w), 0.0) * is_face
        self._lower_lip_w = np.where(below, lip_w, 0.0)
        # Sideways motion fades more gently than vertical so neighbours never overtake each other.
        lip_wx = np.where(dist >= 0, 1.0, 1.0 - _smoothstep(0.0, 1.1 * hw, -dist)) * is_face
        lip_wx *= 1.0 - _smoothstep(0.4 * hw, 0.9 * hw, -w)  # the nose does not purse with the lips
        self._corner_u = np.clip(u / hw, -1.4, 1.4) * lip_wx

        self._lids = []
        for up, lo in (
            (T.RIGHT_EYE_UPPER, T.RIGHT_EYE_LOWER),
            (T.LEFT_EYE_UPPER, T.LEFT_EYE_LOWER),
        ):
            up_i, lo_i = np.array(up[1:-1]), np.array(lo[1:-1])
            span = v[lo_i] - v[up_i]
            # Skin above the lid slides down with it, so the lash line is not smeared into a band.
            eye_w = float(np.linalg.norm(v[up[0]] - v[up[-1]]))
            eye_c = (v[up[0]] + v[up[-1]]) / 2
            eu = (v - eye_c) @ ex
            ev = (v - eye_c) @ ey
            up_all = np.array(up)
            lid_u = (v[up_all] - eye_c) @ ex
            lid_ev = np.interp(eu, lid_u, (v[up_all] - eye_c) @ ey)
            above = lid_ev - ev
            skin = (
                (above > 0.5)
                * (1.0 - _smoothstep(0.0, 0.55 * eye_w, above))
                * (1.0 - _smoothstep(0.45 * eye_w, 0.65 * eye_w, np.abs(eu)))
                * is_face
            )
            skin[up_i] = 0.0
            skin[lo_i] = 0.0
            # The corners do not move, so the slide tapers to nothing there.
            span_here = np.interp(eu, lid_u, np.concatenate([[0.0], span @ ey, [0.0]]), left=0.0, right=0.0)
            self._lids.append((up_i, lo_i, span, skin * span_here * 0.55))

        z = np.zeros(n)
        # Depth gives the nose and cheeks parallax when the head turns, but near the silhouette
        # projected triangles are edge-on and would fold; there the head moves as one piece.
        z_mid = float(np.median(landmarks_z[:FACE_VERTICES]))
        oval = v[np.array(T.FACE_OVAL)].astype(np.float32).reshape(-1, 1, 2)
        inside = np.array(
            [cv2.pointPolygonTest(oval, (float(x), float(y)), True) for x, y in v[:FACE_VERTICES]]
        )
        depth_w = _smoothstep(0.05 * face_h, 0.3 * face_h, inside)
        z[:FACE_VERTICES] = z_mid + (landmarks_z[:FACE_VERTICES] - z_mid) * depth_w
        z[FACE_VERTICES:] = z_mid
        # Seams that close (lips, lids) share one depth per pair, so turning the head moves both
        # sides alike and a sealed seam stays sealed.
        self._seams = [(np.array(T.LIPS_INNER_UPPER[1:-1]), np.array(T.LIPS_INNER_LOWER[1:-1]))]
        self._seams += [(up_i, lo_i) for up_i, lo_i, _, _ in self._lids]
        for up_i, lo_i in self._seams:
            z[up_i] = z[lo_i] = (z[up_i] + z[lo_i]) / 2
        self._z = z
        chin = v[T.CHIN]
        self._pivot = np.array([chin[0], chin[1] + 0.25 * face_h, float(np.median(z)) + 0.3 * face_h])

        # The photo's own opening (a smile shows teeth) is closed once: half from each lip, the
        # jaw following where the lips had a gap, and each inner-lip pair meeting exactly so
        # the closed lips form one seam.
        rest_gap = np.interp(u, self._mid_u, self._gap_rest_at)
        lower_w = self._lower_lip_w + (self._jaw_w - self._lower_lip_w).clip(0)
        closed = v + np.outer(0.5 * rest_gap * (self._upper_w - lower_w), ey)
        meet = (v[upper] + v[lower]) / 2
        closed[upper], closed[lower] = meet, meet

        # Triangles that must keep their orientation: every real one. Slivers with no area at
        # rest and the mouth/eye strips, which are meant to close to a line, are exempt.
        tris = mesh.triangles
        self._rest_area = _signed_areas(v, tris)
        closable = np.zeros(n, bool)
        closable[list(T.LIPS_INNER_UPPER + T.LIPS_INNER_LOWER)] = True
        for up, lo in ((T.RIGHT_EYE_UPPER, T.RIGHT_EYE_LOWER), (T.LEFT_EYE_UPPER, T.LEFT_EYE_LOWER)):
            closable[list(up + lo)] = True
        # A triangle with two corners on a seam has only one vertex free to move: the unfolding
        # cannot turn it, so it is not asked to (such slivers beside a corner hold no pixels).
        self._solid = (np.abs(self._rest_area) > 0.5) & (closable[tris].sum(axis=1) < 2)
        self._pinned = closable  # seams stay sealed; the unfolding moves the vertices around them
        # Closing a wide smile can itself fold a thin triangle; settle that once, here.
        self._closed = self._unfold(closed)

    def gap_profile(self, u: np.ndarray) -> np.ndarray:
        """Opening profile: 1 at the centre, 0 at the corners. A parabola rather than an ellipse:
        an open mouth is almond-shaped, and the lip beside a corner must not be torn away from
        the lip body that stays put beyond it."""
        x = np.clip(u / self._inner_half, -1.0, 1.0)
        return 1.0 - x * x

    def deform(self, mouth: np.ndarray, idle: IdlePose) -> np.ndarray:
        """Vertex positions (N, 2) for one frame."""
        g = self.geometry
        mw = g.width
        jaw, width, rnd, close, tuck = (float(mouth[i]) for i in (JAW, WIDTH, ROUND, CLOSE, TUCK))
        u = self._u

        jaw_gap = MAX_GAP * mw * jaw
        lip_gap = jaw_gap * (1.0 - close) * (1.0 - 0.7 * tuck)
        prof = self.gap_profile(u)

        # From the closed mouth (self._closed), open to the pose.
        dy = self._upper_w * (-UPPER_SHARE * lip_gap * prof - TUCK_RAISE * mw * tuck * prof**2)
        blend = self._lower_lip_w
        dy += blend * (1 - UPPER_SHARE) * lip_gap * prof
        dy += (self._jaw_w - blend).clip(0) * (1 - UPPER_SHARE) * jaw_gap

        dx = (
            self._corner_u
            * mw
            * 0.5
            * (max(width, 0.0) * SPREAD - max(-width, 0.0) * NARROW * 0.6 - rnd * NARROW)
        )
        # Spread corners also rise slightly, as in a smile.
        dy -= np.abs(self._corner_u) ** 2 * max(width, 0.0) * 0.03 * mw

        pts = self._closed + np.outer(dx, g.ex) + np.outer(dy, g.ey)

        if idle.blink > 0:
            for up_i, lo_i, span, skin in self._lids:
                pts[up_i] += span * (0.88 * idle.blink)
                pts[lo_i] -= span * (0.12 * idle.blink)
                pts += np.outer(skin * idle.blink, g.ey)

        for up_i, lo_i in self._seams:
            self._uncross(pts, up_i, lo_i)
        return self._unfold(self._move_head(pts, idle))

    def _unfold(self, pts: np.ndarray) -> np.ndarray:
        """Undo any fold the smooth motion fields made in a thin triangle of this particular
        face. Each folded triangle is pulled towards moving as one piece (its vertices' motions
        halve their difference from the triangle's mean motion), which restores its orientation
        within a few rounds. Most frames need none, and pay one area check."""
        tris = self.mesh.triangles
        disp = pts - self.rest
        for _ in range(16):
            area = _signed_areas(self.rest + disp, tris)
            bad = self._solid & (np.sign(area) != np.sign(self._rest_area)) & (np.abs(area) > 0.05)
            if not bad.any():
                break
            corners = tris[bad]
            mean = disp[corners].mean(axis=1)
            acc = np.zeros_like(disp)
            count = np.zeros(len(disp))
            np.add.at(acc, corners.ravel(), np.repeat(mean, 3, axis=0))
            np.add.at(count, corners.ravel(), 1.0)
            hit = (count > 0) & ~self._pinned
            if not hit.any():
                break
            disp[hit] = 0.5 * disp[hit] + 0.5 * acc[hit] / count[hit, None]
        return self.rest + disp

    def _uncross(self, pts: np.ndarray, upper: np.ndarray, lower: np.ndarray) -> None:
        """A closed lip or lid line meets itself; it must never pass through (folded triangles)."""
        ey = self.geometry.ey
        over = (pts[lower] - pts[upper]) @ ey
        bad = over < 0
        if bad.any():
            fix = np.outer(over[bad] / 2, ey)
            pts[upper[bad]] += fix
            pts[lower[bad]] -= fix

    def _move_head(self, pts: np.ndarray, idle: IdlePose) -> np.ndarray:
        yaw, pitch, roll = (math.radians(a) for a in (idle.yaw, idle.pitch, idle.roll))
        cy, sy, cp, sp, cr, sr = (
            math.cos(yaw),
            math.sin(yaw),
            math.cos(pitch),
            math.sin(pitch),
            math.cos(roll),
            math.sin(roll),
        )
        ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
        rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
        rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
        rot = rz @ ry @ rx
        p3 = np.column_stack([pts, self._z]) - self._pivot
        moved = (p3 @ rot.T + self._pivot)[:, :2]
        fh = self.geometry.face_height
        moved += np.array([idle.dx * fh, (idle.dy - 0.004 * idle.breath) * fh])
        weight = self.mesh.head_weight[:, None]
        return pts + (moved - pts) * weight
