"""The person's mouth in the drivers' 5-D space (``studio.lipsync.mouth.MOUTH_PARAMS``).

Raw measures come from the lip landmarks (the inner-lip gap and the mouth width, both over the
eye-corner distance, so they do not change with the face's size in the frame) and MediaPipe's
blendshapes. People differ: one speaker's wide "aa" parts the lips half as far as another's.
So the measures are calibrated on the person's own video: their closed mouth (the low end of
their gap) reads as the drivers' rest pose ``sil`` and their wide-open mouth (the high end) as
``aa``, and the width is measured against their own rest width.

That linear calibration is not yet the drivers' scale: the drivers say an ordinary syllable
with a jaw of about 0.2, while a person's ordinary syllable, calibrated so, reads about 0.4, so
a twin driven at 0.2 showed the person's nearly closed mouths. ``to_driver_scale`` therefore
maps jaw, width and round onto the drivers' own values by quantile matching over the frames
where the person speaks: onto what ``ModelDriver`` says for the video's own audio at those very
frames when the video has speech, otherwise onto ``DRIVER_SPEECH``, the drivers' values over
our own speech assets. The map is monotone and keeps the person's rest on the drivers' rest.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from studio.lipsync.mouth import CLOSE, JAW, MOUTH_PARAMS, ROUND, TUCK, WIDTH
from studio.lipsync.visemes import VISEME_POSES

# MediaPipe Face Landmarker's blendshapes, in the order it reports them.
BLENDSHAPE_NAMES = (
    "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft",
    "browOuterUpRight", "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft",
    "eyeBlinkRight", "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight",
    "eyeLookOutLeft", "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft",
    "eyeSquintRight", "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight",
    "mouthClose", "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight",
    "mouthFunnel", "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft",
    "mouthPressRight", "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper",
    "mouthShrugLower", "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft",
    "mouthStretchRight", "mouthUpperUpLeft", "mouthUpperUpRight", "noseSneerLeft", "noseSneerRight",
)  # fmt: skip
BLEND = {name: i for i, name in enumerate(BLENDSHAPE_NAMES)}

# Landmarks: eye outer corners (the scale), inner-lip midline pairs (the gap), mouth corners.
EYE_OUTER = (33, 263)
INNER_GAP_PAIRS = ((13, 14), (82, 87), (312, 317))
MOUTH_CORNERS = (61, 291)
# Raw measures per frame, in this column order.
RAW = ("gap", "width", "jaw_open", "pucker", "press", "roll_lower", "spread")
GAP, RAW_WIDTH, JAW_OPEN, PUCKER, PRESS, ROLL_LOWER, SPREAD = range(len(RAW))

# A rounded mouth narrows by about a quarter, a spread one widens by about a sixth (measured on
# franck and jwp); these map to the drivers' ``ou`` (-0.75) and ``ih`` (+0.55) widths.
NARROW_AT_OU = 0.25
WIDEN_AT_IH = 0.16
OPEN_AA = VISEME_POSES["aa"][JAW]  # the drivers' wide-open jaw
REST = np.asarray(VISEME_POSES["sil"], np.float32)
CLOSED_GAP = 0.03  # inner-lip gap over eye distance at which the lips count as apart


def raw_measures(landmarks: np.ndarray, blendshapes: np.ndarray) -> np.ndarray:
    """float32 (N, len(RAW)) from landmarks (N, 478, 3) and blendshapes (N, 52); NaN rows stay NaN."""
    eyes = np.linalg.norm(landmarks[:, EYE_OUTER[0]] - landmarks[:, EYE_OUTER[1]], axis=1)
    eyes = np.where(eyes > 1e-3, eyes, np.nan)
    gap = np.mean(
        [np.linalg.norm(landmarks[:, a, :2] - landmarks[:, b, :2], axis=1) for a, b in INNER_GAP_PAIRS],
        axis=0,
    )
    width = np.linalg.norm(landmarks[:, MOUTH_CORNERS[0]] - landmarks[:, MOUTH_CORNERS[1]], axis=1)
    b = blendshapes
    out = np.stack(
        [
            gap / eyes,
            width / eyes,
            b[:, BLEND["jawOpen"]],
            np.maximum(b[:, BLEND["mouthPucker"]], b[:, BLEND["mouthFunnel"]]),
            0.5 * (b[:, BLEND["mouthPressLeft"]] + b[:, BLEND["mouthPressRight"]])
            + b[:, BLEND["mouthClose"]],
            # Only the lower lip rolled in (f, v): both lips rolled in is a press, not a tuck.
            np.clip(b[:, BLEND["mouthRollLower"]] - b[:, BLEND["mouthRollUpper"]], 0.0, 1.0),
            0.25
            * (
                b[:, BLEND["mouthSmileLeft"]]
                + b[:, BLEND["mouthSmileRight"]]
                + b[:, BLEND["mouthStretchLeft"]]
                + b[:, BLEND["mouthStretchRight"]]
            ),
        ],
        axis=1,
    )
    return out.astype(np.float32)


class MouthCalibration:
    """The person's own range of each raw measure, from the usable frames of their video."""

    def __init__(self, raw: np.ndarray) -> None:
        good = raw[np.all(np.isfinite(raw), axis=1)]
        if len(good) == 0:
            good = np.zeros((1, len(RAW)), np.float32)
        gap = good[:, GAP]
        self.gap_closed = float(np.percentile(gap, 5))
        # The widest opening the person makes often, not their single widest frame.
        self.gap_open = max(float(np.percentile(gap, 98)), self.gap_closed + 0.15)
        closed = good[gap <= np.percentile(gap, 30)]
        self.rest_width = float(np.median(closed[:, RAW_WIDTH]))
        self.press_rest = float(np.median(closed[:, PRESS]))
        self.press_high = max(float(np.percentile(good[:, PRESS], 98)), self.press_rest + 0.1)
        self.roll_rest = float(np.median(good[:, ROLL_LOWER]))
        self.roll_high = max(float(np.percentile(good[:, ROLL_LOWER], 99)), self.roll_rest + 0.15)
        self.pucker_rest = float(np.median(closed[:, PUCKER]))
        self.spread_rest = float(np.median(closed[:, SPREAD]))

    def mouth(self, raw: np.ndarray) -> np.ndarray:
        """float32 (N, 5) in the drivers' space; NaN where ``raw`` is."""
        out = np.empty((len(raw), len(MOUTH_PARAMS)), np.float32)
        opened = np.clip((raw[:, GAP] - self.gap_closed) / (self.gap_open - self.gap_closed), 0.0, 1.3)
        blend_open = np.clip(raw[:, JAW_OPEN] * 1.5, 0.0, 1.0)
        # Geometry leads (it is measured on this person); jawOpen steadies it where lips are noisy.
        out[:, JAW] = np.clip(OPEN_AA * (0.8 * opened + 0.2 * blend_open), 0.0, 1.0)
        relative = raw[:, RAW_WIDTH] / self.rest_width - 1.0
        geometric = np.where(relative < 0, 0.75 * relative / NARROW_AT_OU, 0.55 * relative / WIDEN_AT_IH)
        spread = np.clip((raw[:, SPREAD] - self.spread_rest) * 1.5, 0.0, 0.5)
        pucker = np.clip((raw[:, PUCKER] - self.pucker_rest) * 1.5, 0.0, 1.0)
        out[:, WIDTH] = np.clip(geometric + spread - 0.25 * pucker, -1.0, 1.0)
        narrowing = np.clip(-relative / NARROW_AT_OU, 0.0, 1.0)
        out[:, ROUND] = np.clip(0.5 * narrowing + 0.7 * pucker, 0.0, 1.0)
        together = np.clip(1.0 - (raw[:, GAP] - self.gap_closed) / CLOSED_GAP, 0.0, 1.0)
        pressed = np.clip((raw[:, PRESS] - self.press_rest) / (self.press_high - self.press_rest), 0.0, 1.0)
        out[:, CLOSE] = together * (REST[CLOSE] + (1.0 - REST[CLOSE]) * pressed)
        rolled = np.clip((raw[:, ROLL_LOWER] - self.roll_rest) / (self.roll_high - self.roll_rest), 0.0, 1.0)
        # The lower lip tucks under the teeth with the jaw nearly shut (f, v).
        out[:, TUCK] = rolled * np.clip(1.0 - opened / 0.5, 0.0, 1.0)
        out[~np.all(np.isfinite(raw), axis=1)] = np.nan
        return out


def measure_mouth(
    landmarks: np.ndarray,
    blendshapes: np.ndarray,
    usable: np.ndarray,
    fps: Fraction | float,
    driver: np.ndarray | None = None,
    speaking: np.ndarray | None = None,
) -> np.ndarray:
    """float32 (N, 5) mouth per frame on the drivers' scale, calibrated on the ``usable`` frames;
    NaN where not usable. ``driver`` (N, 5): what ``ModelDriver`` says for the video's own audio,
    ``speaking`` (N,) bool: the frames with the person's voice (``speaking_frames``); both None
    for a silent video."""
    raw = raw_measures(landmarks, blendshapes)
    raw[~usable] = np.nan
    mouth = MouthCalibration(raw[usable]).mouth(raw)
    return to_driver_scale(mouth, usable, fps, driver, speaking)


# Driver-scale calibration. Close and tuck are left as measured: their calibration already sits
# on the drivers' poses (lips together = sil's 0.3, the person's firmest press = PP's 1, the
# lower lip fully tucked = FF's 1), and in speech both are zero but for a few closures, too few
# frames to match quantiles on.
SCALED = (JAW, WIDTH, ROUND)
QUANTILES = np.array([1, 3, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97, 99], np.float64)
# The drivers' jaw, width and round at QUANTILES over speech with the lips apart: ModelDriver
# (sharpness 2) on the 35 lines of assets/lipsync_eval/piper-joe/*.wav at 30 fps, over the 1429
# frames speaking_frames() calls speech where the driver's close < LIPS_APART
# (tests/test_twin_analysis.py measures them again and checks these). Measured again for the
# lip-sync model v2 (2026-12-08): v1's values differed by at most 0.03 (round at the 60th %).
DRIVER_SPEECH = np.array(
    [
        [0.08, 0.08, 0.08, 0.14, 0.19, 0.20, 0.23, 0.25, 0.28, 0.37, 0.46, 0.63, 0.74, 0.75, 0.75],
        [-0.75, -0.72, -0.64, -0.50, -0.25, -0.07, 0.04, 0.09, 0.14, 0.28, 0.35, 0.45, 0.52, 0.55, 0.55],
        [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.01, 0.07, 0.29, 0.48, 0.70, 0.87, 0.97, 1.00],
    ]
).T  # fmt: skip
MIN_SPEECH_S = 2.0  # less of the person's speech than this: match the assets' speech instead
SPEECH_GAP_S = 0.25  # pauses shorter than this (a closure, a breath) are still speech
MOVING_WINDOW_S = 0.6
OPEN_ENOUGH = 0.1  # without talking found, lips apart this far (the person's scale) stand for speech
MOVING_JAW_STD = 0.07  # a jaw moving this much (std over the window) is talking, not resting
# Without the person's voice, only frames with the lips apart are matched (on both sides): a
# silent video's moving mouth is as often a listener's smile or nod with the lips together.
LIPS_APART = 0.05


def speaking_frames(audio: np.ndarray, sample_rate: int, fps: Fraction | float, n: int) -> np.ndarray:
    """bool (n,): video frames with voice (loud against the recording's own loud frames), short
    pauses inside speech included."""
    if n == 0:
        return np.zeros(0, bool)
    step = sample_rate / float(fps)
    edges = np.minimum((np.arange(n + 1) * step).astype(np.int64), len(audio))
    power = np.add.reduceat(np.append(audio.astype(np.float64) ** 2, 0.0), edges[:-1])
    counts = np.maximum(np.diff(edges), 1)
    rms = np.where(np.diff(edges) > 0, np.sqrt(power / counts), 0.0)
    voiced = rms > max(0.002, 0.1 * float(np.percentile(rms, 95)))
    return _fill_gaps(voiced, round(SPEECH_GAP_S * float(fps)))


def moving_mouth(jaw: np.ndarray, fps: Fraction | float) -> np.ndarray:
    """bool (N,): frames inside a stretch where the jaw keeps moving (talking, in a silent video)."""
    size = max(3, round(MOVING_WINDOW_S * float(fps)))
    j = np.nan_to_num(np.asarray(jaw, np.float64), nan=0.0)
    kernel = np.ones(size) / size
    mean = np.convolve(j, kernel, mode="same")
    spread = np.convolve(j * j, kernel, mode="same") - mean * mean
    return np.asarray(np.sqrt(np.maximum(spread, 0.0)) > MOVING_JAW_STD)


def _fill_gaps(mask: np.ndarray, longest: int) -> np.ndarray:
    out = mask.copy()
    on = np.flatnonzero(mask)
    for a, b in zip(on[:-1], on[1:], strict=True):
        if 1 < b - a <= longest + 1:
            out[a:b] = True
    return out


def quantile_map(
    source: np.ndarray, target: np.ndarray, rest_x: float, rest_y: float
) -> tuple[np.ndarray, np.ndarray]:
    """(xp, fp) for ``np.interp``: a monotone map taking ``source`` values at ``QUANTILES`` to the
    ``target`` values (already at ``QUANTILES``), through (rest_x, rest_y)."""
    x = np.percentile(source, QUANTILES)
    y = np.asarray(target, np.float64)
    # Ties in the source (a shape the person never makes): one point, the mean of its targets.
    xs, inverse = np.unique(x, return_inverse=True)
    ys = np.bincount(inverse, weights=y) / np.bincount(inverse)
    keep = np.abs(xs - rest_x) > 1e-6
    xs, ys = xs[keep], ys[keep]
    ys = np.where(xs < rest_x, np.minimum(ys, rest_y), np.maximum(ys, rest_y))
    at = int(np.searchsorted(xs, rest_x))
    return np.insert(xs, at, rest_x), np.insert(ys, at, rest_y)


def to_driver_scale(
    mouth: np.ndarray,
    usable: np.ndarray,
    fps: Fraction | float,
    driver: np.ndarray | None = None,
    speaking: np.ndarray | None = None,
) -> np.ndarray:
    """``mouth`` (N, 5) calibrated on the person, mapped onto the drivers' values (module doc)."""
    out = np.array(mouth, np.float32, copy=True)
    ok = np.asarray(usable, bool) & np.all(np.isfinite(mouth), axis=1)
    if not ok.any():
        return out
    heard = ok & np.asarray(speaking, bool) if speaking is not None and driver is not None else None
    if heard is not None and heard.sum() >= MIN_SPEECH_S * float(fps):
        assert driver is not None
        source, target = mouth[heard], np.percentile(driver[heard], QUANTILES, axis=0)
    else:
        apart = ok & (np.nan_to_num(mouth[:, CLOSE], nan=1.0) < LIPS_APART)
        talking = apart & moving_mouth(np.where(ok, mouth[:, JAW], np.nan), fps)
        if talking.sum() < MIN_SPEECH_S * float(fps):
            talking = apart & (np.nan_to_num(mouth[:, JAW]) >= OPEN_ENOUGH)
        if talking.sum() < MIN_SPEECH_S * float(fps):
            # Not enough of the mouth open to know this person's speech: stretching what little
            # moves onto the drivers' speech would read a quiet, closed mouth as an open one.
            return out
        source, target = mouth[talking], np.zeros((len(QUANTILES), len(MOUTH_PARAMS)))
        target[:, SCALED] = DRIVER_SPEECH
    # The person's rest: their most closed fifth, read as the drivers' sil.
    jaw = mouth[ok, JAW]
    closed = mouth[ok][jaw <= np.percentile(jaw, 20)]
    for k in SCALED:
        xp, fp = quantile_map(source[:, k], target[:, k], float(np.median(closed[:, k])), float(REST[k]))
        out[ok, k] = np.interp(mouth[ok, k], xp, fp)
    return out
