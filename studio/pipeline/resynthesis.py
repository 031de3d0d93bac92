"""How close a twin comes to the real person: drive it with a real recording's own voice and
compare its mouth with the real frames.

The twin is built from other footage (it never saw these frames); the recording's audio drives
it through the lip-sync model, at the recording's own frame rate, so frame ``k`` of the render
and frame ``k`` of the recording stand for the same instant. Both are then measured the same
way, with MediaPipe on every frame:

* **mouth opening**: the inner-lip gap over the distance between the eyes' outer corners, one
  number per frame; the two tracks' Pearson correlation says whether the twin opens and closes
  its mouth when the person did;
* **mouth SSIM**: the mouth region of each frame, aligned on the face's stable points (eye
  corners, nose bridge) into one fixed box, compared in grey with SSIM (Wang et al. 2004,
  7x7 Gaussian window): it rises when the lips, teeth and mouth interior look like the real ones;
* **A/V offset**: ``studio sync-check`` on the render.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from studio.avatar.package import Avatar
from studio.errors import InputError
from studio.face import topology as T
from studio.pipeline.av_sync import SyncReport, measure_sync
from studio.pipeline.render_job import make_driver, render_speech, speech_from_file
from studio.render.photo_renderer import RenderSettings
from studio.translation import tr

# Stable points (speech does not move them) and where they go in the comparison box.
STABLE = (33, 133, 362, 263, 168, 6)
BOX = (112, 80)  # (width, height) of the aligned mouth region
EYE_SPAN_PX = 120.0  # outer eye corners this far apart in the aligned frame
MAX_SECONDS = 60.0


@dataclass(frozen=True)
class MouthMeasures:
    """Per frame of one video: the mouth opening (NaN: no face) and the aligned mouth (grey)."""

    times: np.ndarray  # float64 (N,) seconds
    opening: np.ndarray  # float64 (N,)
    regions: np.ndarray  # uint8 (N, BOX height, BOX width); zeros where no face


@dataclass(frozen=True)
class ResynthesisReport:
    frames: int  # frames compared (a face in both)
    mouth_r: float  # Pearson correlation of the mouth-opening tracks
    mouth_ssim: float  # mean SSIM of the aligned mouth regions
    sync: SyncReport | None  # None when the render holds too little speech to measure

    def summary(self) -> str:
        offset = "not measurable" if self.sync is None else f"{self.sync.offset_ms:+.0f} ms"
        return (
            f"{self.frames} frames: mouth-opening r {self.mouth_r:.2f}, "
            f"mouth SSIM {self.mouth_ssim:.3f}, A/V offset {offset}"
        )


def _reference() -> tuple[np.ndarray, tuple[float, float]]:
    """The aligned layout: a frontal face's stable points with the eyes EYE_SPAN_PX apart, and
    the mouth box's top-left corner in that layout (the box hangs below the nose)."""
    # MediaPipe's canonical face (x right, y down, in its own units), stable points only.
    canonical = {33: (-4.45, -2.66), 133: (-1.66, -2.47), 362: (1.66, -2.47), 263: (4.45, -2.66)}
    canonical |= {168: (0.0, -2.76), 6: (0.0, -1.80)}
    pts = np.array([canonical[i] for i in STABLE], np.float64)
    pts *= EYE_SPAN_PX / (canonical[263][0] - canonical[33][0])
    pts += (BOX[0] / 2, -pts[:, 1].max())  # nose bridge column centred; lowest point at y 0
    # The mouth centre lies about 0.9 eye spans below the nose bridge (point 6); measured on the
    # footage, the box is centred on it.
    return pts.astype(np.float32), (0.0, 0.56 * EYE_SPAN_PX)


def _aligned_region(grey: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    ref, (x0, y0) = _reference()
    src = landmarks[list(STABLE), :2].astype(np.float32)
    matrix, _ = cv2.estimateAffinePartial2D(src, ref)
    if matrix is None:
        return np.zeros((BOX[1], BOX[0]), np.uint8)
    matrix[:, 2] -= np.array([x0, y0])
    return cv2.warpAffine(grey, matrix, BOX, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


def _frames(path: Path, max_seconds: float) -> Iterator[tuple[float, np.ndarray]]:
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise InputError(
                    tr("{path} has no video stream.").format(path=path), tr("Compare a recording with video.")
                )
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                when = float(frame.time or 0.0)
                if when > max_seconds:
                    return
                yield when, frame.to_ndarray(format="rgb24")
    except av.FFmpegError as exc:
        raise InputError(
            tr("{path} cannot be decoded ({error}).").format(path=path, error=exc),
            tr("Use an MP4 or WebM video."),
        ) from exc


def measure_mouths(path: Path, max_seconds: float = MAX_SECONDS) -> MouthMeasures:
    """Mouth opening and aligned mouth region of every frame of ``path`` (its first minute)."""
    from studio.face.landmarker import FaceLandmarker

    times: list[float] = []
    opening: list[float] = []
    regions: list[np.ndarray] = []
    with FaceLandmarker(max_faces=1) as landmarker:
        for when, rgb in _frames(Path(path), max_seconds):
            faces = landmarker.detect(rgb, search=False)
            times.append(when)
            if not faces:
                opening.append(np.nan)
                regions.append(np.zeros((BOX[1], BOX[0]), np.uint8))
                continue
            lm = faces[0].landmarks
            span = float(np.linalg.norm(lm[T.LEFT_EYE_OUTER, :2] - lm[T.RIGHT_EYE_OUTER, :2]))
            gap = float(np.linalg.norm(lm[14, :2] - lm[13, :2]))
            opening.append(gap / max(span, 1e-6))
            regions.append(_aligned_region(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), lm))
    return MouthMeasures(np.array(times), np.array(opening), np.array(regions, np.uint8))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two grey images (Wang et al. 2004: 7x7 Gaussian window, sigma 1.5)."""
    x, y = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(img: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(img, (7, 7), 1.5, borderType=cv2.BORDER_REFLECT)

    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(s[3:-3, 3:-3].mean())


def compare(real: MouthMeasures, made: MouthMeasures) -> tuple[int, float, float]:
    """(frames compared, opening correlation, mean mouth SSIM), pairing frames by time."""
    if len(real.times) == 0 or len(made.times) == 0:
        return 0, float("nan"), float("nan")
    after = np.clip(np.searchsorted(made.times, real.times), 0, len(made.times) - 1)
    before = np.clip(after - 1, 0, len(made.times) - 1)
    closer = np.abs(made.times[before] - real.times) < np.abs(made.times[after] - real.times)
    nearest = np.where(closer, before, after)
    both = np.isfinite(real.opening) & np.isfinite(made.opening[nearest])
    both &= np.abs(made.times[nearest] - real.times) < 0.02
    if both.sum() < 3:
        return int(both.sum()), float("nan"), float("nan")
    r = float(np.corrcoef(real.opening[both], made.opening[nearest][both])[0, 1])
    scores = [ssim(real.regions[i], made.regions[nearest[i]]) for i in np.flatnonzero(both)]
    return int(both.sum()), r, float(np.mean(scores))


def resynthesize(
    avatar: Avatar, recording: Path, out: Path, size: tuple[int, int] = (640, 480)
) -> ResynthesisReport:
    """Render ``avatar`` speaking ``recording``'s own audio (model-driven, at its frame rate)
    into ``out``, and compare it with the recording's frames."""
    recording = Path(recording)
    with av.open(str(recording)) as container:
        rate = container.streams.video[0].average_rate if container.streams.video else None
    if not rate:
        raise InputError(
            tr("{path} has no video frame rate.").format(path=recording),
            tr("Compare a recording with video."),
        )
    settings = RenderSettings(width=size[0], height=size[1], fps=Fraction(rate).limit_denominator(1001))
    render_speech(avatar, speech_from_file(recording), out, settings, make_driver("model"))
    real, made = measure_mouths(recording), measure_mouths(out)
    frames, r, score = compare(real, made)
    try:
        sync: SyncReport | None = measure_sync(out)
    except InputError:
        sync = None
    return ResynthesisReport(frames, r, score, sync)
