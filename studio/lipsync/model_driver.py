"""Lip sync from the sound alone: the ONNX model's viseme weights become a mouth track.

Works for any speech (a recorded voice-over, an online voice, a microphone) because it needs
no phoneme timings. The model gives 15 weights every 10 ms; each video frame takes the weights
of the 10 ms frames under it, sharpened so a confident closure is a full closure and not the
average of a closure and its neighbours, and blended into a pose with ``VISEME_POSES``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

import numpy as np
import numpy.typing as npt

from studio.lipsync.energy_driver import check_frames, frame_centres, limit_rate
from studio.lipsync.features import FRAME_SECONDS
from studio.lipsync.mouth import CLOSE, MOUTH_PARAMS, TUCK, MouthTrack
from studio.lipsync.visemes import VISEMES, pose_matrix
from studio.voice.base import Speech

_PP, _FF = VISEMES.index("PP"), VISEMES.index("FF")


class VisemePredictor(Protocol):
    """What the driver needs of the model (``studio.inference.lipsync_model.LipSyncModel``)."""

    def predict(self, audio: npt.ArrayLike, sample_rate: int) -> npt.NDArray[np.float32]: ...


def sharpen(weights: np.ndarray, power: float) -> np.ndarray:
    """Raise weights to ``power`` and renormalise: > 1 favours the likeliest viseme."""
    lifted = np.power(np.clip(weights, 0.0, 1.0), power)
    return lifted / np.maximum(lifted.sum(axis=1, keepdims=True), 1e-12)


def video_frame_weights(weights: np.ndarray, fps: Fraction, num_frames: int) -> np.ndarray:
    """Mean model weights over each video frame's span, with a triangle of one model frame on
    either side so a phone that falls between two video frames counts in both."""
    check_frames(fps, num_frames)
    if num_frames == 0 or len(weights) == 0:
        out = np.zeros((num_frames, len(VISEMES)))
        out[:, 0] = 1.0
        return out
    centres = frame_centres(fps, num_frames) / FRAME_SECONDS - 0.5  # in model frames
    half = 0.5 / float(fps) / FRAME_SECONDS + 1.0
    # Only the model frames near each centre matter: a band, so an hour of audio stays small.
    index = np.floor(centres - half)[:, None].astype(np.int64) + np.arange(int(np.ceil(2 * half)) + 2)
    taps = np.clip(half - np.abs(index - centres[:, None]), 0.0, 1.0)
    taps[(index < 0) | (index >= len(weights))] = 0.0
    past_end = taps.sum(axis=1) == 0  # frames after the audio hold its last frame
    index[past_end, 0], taps[past_end, 0] = len(weights) - 1, 1.0
    gathered = np.asarray(weights, np.float64)[np.clip(index, 0, len(weights) - 1)]
    return np.asarray(np.einsum("fk,fkv->fv", taps, gathered) / taps.sum(axis=1, keepdims=True))


class ModelDriver:
    """A ``LipSyncDriver`` that runs a ``VisemePredictor`` on the speech's audio."""

    name = "model"

    def __init__(
        self, model: VisemePredictor | None, *, sharpness: float = 2.0, max_speed: float = 14.0
    ) -> None:
        self.model = model
        self.sharpness = sharpness
        self.max_speed = max_speed  # largest change of any mouth parameter per second

    def drive(self, speech: Speech, fps: Fraction, num_frames: int) -> MouthTrack:
        fps = Fraction(fps)
        if self.model is None:
            raise ValueError("this driver has no model; use track() with weights")
        weights = self.model.predict(speech.audio, speech.sample_rate)
        return self.track(weights, fps, num_frames)

    def track(self, weights: np.ndarray, fps: Fraction, num_frames: int) -> MouthTrack:
        """The mouth track for model weights already computed (e.g. by a stream)."""
        per_frame = video_frame_weights(
            sharpen(np.asarray(weights, np.float64), self.sharpness), fps, num_frames
        )
        values = per_frame @ pose_matrix().astype(np.float64)
        # A closure the model is sure of must be seen shut, however briefly it was held.
        peak_pp = _peak_share(weights, _PP, fps, num_frames)
        values[:, CLOSE] = np.where(peak_pp > 0.5, np.maximum(values[:, CLOSE], peak_pp), values[:, CLOSE])
        peak_ff = _peak_share(weights, _FF, fps, num_frames)
        values[:, TUCK] = np.where(peak_ff > 0.5, np.maximum(values[:, TUCK], 0.9 * peak_ff), values[:, TUCK])
        step = self.max_speed / float(fps)
        for j in range(len(MOUTH_PARAMS)):
            values[:, j] = limit_rate(values[:, j], step, keep_peaks=j in (CLOSE, TUCK))
        return MouthTrack(values.astype(np.float32), fps)


def _peak_share(weights: np.ndarray, column: int, fps: Fraction, num_frames: int) -> np.ndarray:
    """Largest weight of one viseme among the model frames whose centre falls in each video
    frame; a video frame holding no model frame centre (above 100 fps) takes the one under it."""
    out = np.zeros(num_frames)
    if len(weights) == 0 or num_frames == 0:
        return out
    column_weights = np.asarray(weights, np.float64)[:, column]
    # Model frame k's centre (k + 0.5) / 100 s lies in video frame floor(centre * fps): integers only,
    # so no centre lands in two frames through rounding.
    k = np.arange(len(column_weights), dtype=np.int64)
    video = ((2 * k + 1) * fps.numerator) // (200 * fps.denominator)
    inside = video < num_frames
    np.maximum.at(out, video[inside], column_weights[inside])
    empty = np.ones(num_frames, bool)
    empty[video[inside]] = False
    starts = (np.arange(num_frames, dtype=np.int64) * 100 * fps.denominator) // fps.numerator
    under = np.minimum(starts, len(column_weights) - 1)
    out[empty] = column_weights[under[empty]]
    return out
