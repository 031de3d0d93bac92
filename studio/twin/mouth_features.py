"""The person's mouth in the drivers' 5-D space (``studio.lipsync.mouth.MOUTH_PARAMS``).

Raw measures come from the lip landmarks (the inner-lip gap and the mouth width, both over the
eye-corner distance, so they do not change with the face's size in the frame) and MediaPipe's
blendshapes. People differ: one speaker's wide "aa" parts the lips half as far as another's.
So the measures are calibrated on the person's own video: their closed mouth (the low end of
their gap) reads as the drivers' rest pose ``sil`` and their wide-open mouth (the high end) as
``aa``, and the width is measured against their own rest width.
"""

from __future__ import annotations

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


def measure_mouth(landmarks: np.ndarray, blendshapes: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """float32 (N, 5) mouth per frame, calibrated on the ``usable`` frames; NaN where not usable."""
    raw = raw_measures(landmarks, blendshapes)
    raw[~usable] = np.nan
    return MouthCalibration(raw[usable]).mouth(raw)
