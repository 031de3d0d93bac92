"""The idle loop: a stretch of the person with their mouth closed, played round and round.

1. ``closed_stretch``: the longest run of usable frames whose mouth is closed or nearly
   (jaw below ``JAW_CLOSED``), at most ``MAX_LOOP_S`` plus the frames a cross-fade leads in with.
2. ``LoopMeasure`` (fed the stretch's frames while another step decodes them): a small grey
   copy of each frame for the pixel part of the mismatch, and the camera's shake, measured on
   the background (phase correlation with the face blanked out). Only the shake is removed
   (what a one-second smoothing of the camera's position does not explain); the person's own
   head motion, blinks and breathing stay.
3. ``choose_loop``: the loop (start, length) whose join differs least, measured on landmarks
   (head position and shape) and pixels. A join no worse than an ordinary step between two
   frames is a plain cut; otherwise a cross-fade or a ping-pong, whichever shows less, is
   baked into the frames, so the loop always plays forward.
4. ``loop_frames`` writes the loop's frames; ``loop_landmarks`` gives their landmarks smoothed
   in time with a zero-phase filter that wraps round the loop, so a mouth placed on them never
   swims, not even across the join.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from studio.face.topology import LEFT_EYE_OUTER, RIGHT_EYE_OUTER
from studio.translation import tr

JAW_CLOSED = 0.1  # on the drivers' scale 0.15 is already a part-open syllable
MAX_LOOP_S = 10.0
MIN_LOOP_S = 1.0
FADE_S = 0.5
# A join whose mismatch is at most this many ordinary frame steps is a plain cut.
CLEAN_STEPS = 1.5
THUMB_WIDTH = 96  # the grey copy the pixel mismatch is measured on
SHAKE_WIDTH = 320  # the grey copy the camera's shake is measured on
SMOOTH_S = 0.3  # the landmarks' smoothing window


@dataclass(frozen=True)
class LoopPlan:
    """The loop's frames: output frame k is ``(1 - weight[k]) * source[k, 0] + weight[k] *
    source[k, 1]`` (timeline frame numbers), each shifted by ``-shake`` of its source."""

    mode: str  # "cut" | "crossfade" | "pingpong"
    source: np.ndarray  # int (L, 2)
    weight: np.ndarray  # float32 (L,)
    mismatch: float  # of the join shown, in ordinary frame steps (1.0: like any two neighbours)
    shake: dict[int, tuple[float, float]]  # per source frame: the camera shake removed (dx, dy)

    def __len__(self) -> int:
        return int(self.source.shape[0])


def closed_stretch(mouth: np.ndarray, usable: np.ndarray, fps: float) -> tuple[int, int]:
    """(lo, hi): the longest run of usable closed-mouth frames, trimmed to the loop's longest
    plus the cross-fade's lead. ``ValueError`` when there is none of ``MIN_LOOP_S``."""
    closed = usable & np.isfinite(mouth[:, 0]) & (np.nan_to_num(mouth[:, 0], nan=1.0) < JAW_CLOSED)
    edges = np.diff(np.concatenate([[0], closed.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if starts.size == 0:
        raise ValueError(tr("no frame with the mouth closed"))
    best = int(np.argmax(ends - starts))
    lo, hi = int(starts[best]), int(ends[best])
    if hi - lo < MIN_LOOP_S * fps:
        raise ValueError(
            tr("the longest closed-mouth stretch is {seconds:.1f} s").format(seconds=(hi - lo) / fps)
        )
    longest = int(round((MAX_LOOP_S + FADE_S) * fps))
    if hi - lo > longest:  # the middle of a long stretch: furthest from speech on either side
        lo += (hi - lo - longest) // 2
        hi = lo + longest
    return lo, hi


class LoopMeasure:
    """Collects what ``choose_loop`` needs from the stretch's frames, one frame at a time."""

    def __init__(self, lo: int, hi: int, landmarks: np.ndarray) -> None:
        self.lo, self.hi = lo, hi
        self._landmarks = landmarks
        self.thumbs: list[np.ndarray] = []
        self._shift: list[tuple[float, float]] = []
        self._ref: np.ndarray | None = None
        self._confident: list[bool] = []
        self._width = 0
        face = landmarks[lo:hi, :, :2]
        (x0, y0), (x1, _y1) = np.nanmin(face, axis=(0, 1)), np.nanmax(face, axis=(0, 1))
        pad = 0.3 * (x1 - x0)
        self._head = (float(x0 - pad), float(y0 - pad), float(x1 + pad))

    def add(self, index: int, rgb: np.ndarray) -> None:
        import cv2

        if not self.lo + len(self.thumbs) == index < self.hi:
            return
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        h, w = grey.shape
        self._width = w
        th = max(1, round(h * THUMB_WIDTH / w))
        self.thumbs.append(
            cv2.resize(grey, (THUMB_WIDTH, th), interpolation=cv2.INTER_AREA).astype(np.float32)
        )
        zoom = min(1.0, SHAKE_WIDTH / w)
        small = cv2.resize(grey, (round(w * zoom), round(h * zoom)), interpolation=cv2.INTER_AREA).astype(
            np.float32
        )
        # Blank where the head goes in the whole stretch (and below: the shoulders move with
        # it), the same area in every frame, so only the background counts and the blank's
        # edges stay put.
        x0, y0, x1 = (v * zoom for v in self._head)
        small[max(0, int(y0)) :, max(0, int(x0)) : int(x1) + 1] = float(small.mean())
        if self._ref is None:
            self._ref = small
            self._window = cv2.createHanningWindow(small.shape[::-1], cv2.CV_32F)
        (dx, dy), response = cv2.phaseCorrelate(self._ref, small, self._window)
        self._shift.append((dx / zoom, dy / zoom))
        self._confident.append(response > 0.3)

    def shake(self, fps: float) -> np.ndarray:
        """(n, 2) the camera's shake per frame: its measured position less a one-second smoothing
        of it; zero where the background gives no confident measure (a plain backdrop)."""
        shift = np.asarray(self._shift, np.float64).reshape(-1, 2)
        if shift.shape[0] < 5 or np.mean(self._confident) < 0.8:
            return np.zeros_like(shift)
        if np.ptp(shift, axis=0).max() > 0.03 * self._width:
            # A held camera wanders a pixel or two; more means the background misled the
            # measure (a plain backdrop, someone walking by): leave the frames as they are.
            return np.zeros_like(shift)
        from scipy.signal import savgol_filter

        window = min(shift.shape[0] // 2 * 2 - 1, int(fps) // 2 * 2 + 1)
        if window < 5:
            return np.zeros_like(shift)
        shake = shift - savgol_filter(shift, window, 2, axis=0, mode="interp")
        limit = 0.01 * self._width  # shake is small; anything larger is a mismeasure
        return np.clip(shake, -limit, limit)


def _distances(landmarks: np.ndarray, thumbs: np.ndarray) -> np.ndarray:
    """(n, n) how different each two frames look: landmarks (relative to the eye distance)
    and pixels (mean absolute grey difference), equally weighted by their typical size."""
    eyes = np.nanmedian(
        np.linalg.norm(landmarks[:, LEFT_EYE_OUTER, :2] - landmarks[:, RIGHT_EYE_OUTER, :2], axis=1)
    )
    pts = landmarks[:, ::4, :2].reshape(len(landmarks), -1) / max(eyes, 1e-6)
    d_pts = np.sqrt(((pts[:, None] - pts[None]) ** 2).mean(axis=2))
    flat = thumbs.reshape(len(thumbs), -1).astype(np.float64)
    sq = (flat**2).sum(axis=1)
    # RMS grey difference, through the Gram matrix: never an (n, n, pixels) array.
    d_pix = np.sqrt(np.maximum(sq[:, None] + sq[None] - 2.0 * flat @ flat.T, 0.0) / flat.shape[1])
    steps_pts = max(float(np.median(np.diag(d_pts, 1))), 1e-6)
    steps_pix = max(float(np.median(np.diag(d_pix, 1))), 1e-6)
    return np.asarray(d_pts / steps_pts + d_pix / steps_pix) / 2.0


def choose_loop(landmarks: np.ndarray, measure: LoopMeasure, fps: float) -> LoopPlan:
    """The loop of the stretch measured (landmarks: the whole timeline's)."""
    lo = measure.lo
    n = len(measure.thumbs)
    d = _distances(landmarks[lo : lo + n], np.stack(measure.thumbs))  # 1.0: an ordinary step
    longest = min(int(MAX_LOOP_S * fps), n - 1)
    shortest = max(3, min(longest, int(max(MIN_LOOP_S * fps, 0.6 * longest))))
    fade = max(3, int(round(FADE_S * fps)))
    best: tuple[float, int, int] | None = None
    for a in range(0, n - shortest):
        for b in range(a + shortest, min(n - 1, a + longest) + 1):
            # Showing a where b would have come; a loop with room for its fade's lead is preferred.
            cost = d[a, b] + (0.0 if a >= fade else 0.25)
            if best is None or cost < best[0]:
                best = (cost, a, b)
    if best is None:
        raise ValueError(tr("the closed-mouth stretch is too short for a loop"))
    _cost, a, b = best
    length = b - a
    src = np.stack([np.arange(a, b), np.arange(a, b)], axis=1) + lo
    weight = np.zeros(length, np.float32)
    cut = float(d[a, b])
    fade = min(fade, a, length // 2)
    crossfade = (
        0.5 * float(np.mean([d[a - fade + k, b - fade + k] for k in range(fade)])) if fade >= 3 else np.inf
    )
    # The turn of a ping-pong reverses the motion: twice the last step at each end.
    pingpong = float(d[b - 1, b - 2] + d[a, a + 1])
    shake = measure.shake(fps)
    shakes = {lo + i: (float(shake[i, 0]), float(shake[i, 1])) for i in range(shake.shape[0])}
    if cut <= CLEAN_STEPS:
        return LoopPlan("cut", src, weight, cut, shakes)
    if crossfade <= pingpong:
        k = np.arange(length - fade, length)
        src[k, 1] = lo + a - fade + (k - (length - fade))
        weight[k] = (k - (length - fade) + 1) / (fade + 1)
        return LoopPlan("crossfade", src, weight, crossfade, shakes)
    back = np.arange(b - 2, a, -1) + lo
    src = np.concatenate([src, np.stack([back, back], axis=1)])
    return LoopPlan("pingpong", src, np.zeros(len(src), np.float32), pingpong, shakes)


def _shifted(rgb: np.ndarray, shake: tuple[float, float]) -> np.ndarray:
    import cv2

    dx, dy = shake
    if abs(dx) < 0.05 and abs(dy) < 0.05:
        return rgb
    m = np.array([[1.0, 0.0, -dx], [0.0, 1.0, -dy]])
    out: np.ndarray = cv2.warpAffine(rgb, m, (rgb.shape[1], rgb.shape[0]), borderMode=cv2.BORDER_REPLICATE)
    return out


def loop_frames(frames: Iterable[tuple[int, np.ndarray]], plan: LoopPlan) -> Iterator[np.ndarray]:
    """The loop's frames in order, from ``frames`` ((timeline index, RGB), increasing). Frames
    needed again later are held: raw for a cross-fade's lead (half a second), JPEG-compressed
    (quality 95) for a ping-pong's way back, so memory stays bounded at 720p."""
    import cv2

    last_use: dict[int, int] = {}
    for k, (s0, s1) in enumerate(plan.source.tolist()):
        last_use[s0] = last_use[s1] = k
    first, last = int(plan.source.min()), int(plan.source.max())
    held: dict[int, np.ndarray | bytes] = {}
    compress = plan.mode == "pingpong"
    out = 0

    def get(i: int) -> np.ndarray:
        value = held[i]
        if isinstance(value, bytes):
            bgr = cv2.imdecode(np.frombuffer(value, np.uint8), cv2.IMREAD_COLOR)
            if bgr is None:
                raise ValueError("a held loop frame could not be decoded")
            return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        return value

    for index, rgb in frames:
        frame: np.ndarray | None = None
        if index < first:
            continue
        if index > last:
            break
        if index in last_use:
            frame = _shifted(rgb, plan.shake.get(index, (0.0, 0.0)))
            if compress:
                ok, jpeg = cv2.imencode(
                    ".jpg", cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 95]
                )
                held[index] = jpeg.tobytes() if ok else frame
            else:
                held[index] = frame
        while out < len(plan) and int(plan.source[out].max()) <= index:
            s0, s1 = (int(v) for v in plan.source[out])
            w = float(plan.weight[out])
            a = frame if s0 == index and frame is not None else get(s0)
            if w > 0:
                mixed = a.astype(np.float32) * (1 - w) + get(s1).astype(np.float32) * w
                yield np.clip(mixed + 0.5, 0, 255).astype(np.uint8)
            else:
                yield a
            for s in (s0, s1):
                if last_use.get(s, -1) <= out:
                    held.pop(s, None)
            out += 1
    if out != len(plan):
        raise ValueError(tr("the video ended before frame {last}").format(last=last))


def loop_landmarks(landmarks: np.ndarray, plan: LoopPlan, fps: float) -> np.ndarray:
    """(L, 478, 3) float32: the loop frames' landmarks (blended as the frames are, the shake
    removed), smoothed in time by a zero-phase Savitzky-Golay filter that wraps round the loop."""
    from scipy.signal import savgol_filter

    a, b = landmarks[plan.source[:, 0]], landmarks[plan.source[:, 1]]
    w = plan.weight[:, None, None]
    marks = (1 - w) * a + w * b
    shake = np.array([plan.shake.get(int(s), (0.0, 0.0)) for s in plan.source[:, 0]], np.float32)
    marks[:, :, :2] -= shake[:, None, :]
    window = max(3, int(round(SMOOTH_S * fps)) // 2 * 2 + 1)
    if len(plan) > window:
        marks = savgol_filter(marks, window, 2, axis=0, mode="wrap")
    return np.asarray(marks, np.float32)


def loop_values(values: np.ndarray, plan: LoopPlan) -> np.ndarray:
    """Per-frame values (e.g. the measured mouth) of the loop's frames, blended as the frames are."""
    w = plan.weight[:, None]
    return np.asarray((1 - w) * values[plan.source[:, 0]] + w * values[plan.source[:, 1]], np.float32)
