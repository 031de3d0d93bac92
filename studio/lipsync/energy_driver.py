"""The no-learning baseline: mouth opening follows the loudness envelope of the audio.

It needs nothing but the waveform, so it works for any voice and any language, and it is the
floor every smarter driver (phoneme timings, the ONNX audio model) must beat. It cannot show
closures or rounding; it only opens the jaw in proportion to loudness and closes it in silence.

``check_frames``, ``frame_centres`` and ``limit_rate`` are shared with ``phoneme_driver``;
``gaussian_smooth`` is this driver's own (the phoneme driver samples its curve with Gaussian
weights instead).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from studio.lipsync.mouth import CLOSE, JAW, MOUTH_PARAMS, WIDTH, MouthTrack
from studio.lipsync.visemes import VISEME_POSES
from studio.voice.base import Speech

_REST_CLOSE = VISEME_POSES["sil"][CLOSE]
_ABSOLUTE_GATE = 10 ** (-70 / 20)  # -70 dBFS RMS: below this nothing is speech, whatever the mix


def check_frames(fps: Fraction, num_frames: int) -> None:
    """Reject a frame grid no track can be made for (programming errors, not user errors)."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    if num_frames < 0:
        raise ValueError(f"num_frames must be >= 0, got {num_frames}")


def frame_centres(fps: Fraction, num_frames: int) -> np.ndarray:
    """Seconds at the middle of each frame: ``clock.frame_time(i, fps) + 0.5 / fps``."""
    fps = Fraction(fps)
    return (np.arange(num_frames, dtype=np.float64) + 0.5) * (fps.denominator / fps.numerator)


def gaussian_smooth(values: np.ndarray, sigma: float) -> np.ndarray:
    """Zero-phase Gaussian smoothing along axis 0; ``sigma`` in samples.

    Zero phase matters: a causal filter would make the mouth lag the sound. Edges are padded
    by repetition so a track that starts closed stays closed.
    """
    if sigma < 0.3 or len(values) < 2:
        return values.copy()
    radius = int(np.ceil(3 * sigma))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    pad = [(radius, radius)] + [(0, 0)] * (values.ndim - 1)
    padded = np.pad(values, pad, mode="edge")
    if values.ndim == 1:
        return np.convolve(padded, taps, mode="valid")
    return np.stack([np.convolve(padded[:, j], taps, mode="valid") for j in range(values.shape[1])], axis=1)


def _dilate(x: np.ndarray, step: float) -> np.ndarray:
    """Smallest function >= x whose per-sample change is <= step: max_k x[k] - step*|i-k|."""
    ramp = np.arange(len(x), dtype=np.float64) * step
    forward = np.maximum.accumulate(x + ramp) - ramp
    backward = np.maximum.accumulate((x - ramp)[::-1])[::-1] + ramp
    return np.maximum(forward, backward)


def limit_rate(x: np.ndarray, step: float, keep_peaks: bool = False) -> np.ndarray:
    """Bound ``|x[i+1] - x[i]| <= step`` without the lag of a one-sided slew limiter.

    The mean of the dilation (keeps peaks) and erosion (keeps troughs) satisfies the bound and
    equals ``x`` wherever ``x`` already did. ``keep_peaks`` uses the dilation alone, so a lip
    closure that must be reached is never shaved; its neighbours move earlier instead.
    """
    if len(x) < 2:
        return x.astype(np.float64)
    up = _dilate(x.astype(np.float64), step)
    if keep_peaks:
        return up
    down = -_dilate(-x.astype(np.float64), step)
    return 0.5 * (up + down)


def _mono(audio: np.ndarray) -> np.ndarray:
    samples = np.asarray(audio)
    return samples.mean(axis=1) if samples.ndim == 2 else samples.reshape(-1)


def frame_rms(audio: np.ndarray, sample_rate: int, fps: Fraction, num_frames: int) -> np.ndarray:
    """RMS of the audio in a window of 1.5 frames centred on each frame's centre.

    The overlap keeps a syllable that straddles a frame boundary from flickering.
    """
    samples = _mono(audio)
    if num_frames == 0:
        return np.zeros(0)
    centres = frame_centres(fps, num_frames) * sample_rate
    half = max(0.75 * sample_rate * float(1 / Fraction(fps)), 1.0)
    lo = np.clip(np.round(centres - half), 0, len(samples)).astype(np.int64)
    hi = np.clip(np.round(centres + half), 0, len(samples)).astype(np.int64)
    # Energy between consecutive window edges, then a cumulative sum over those few pieces:
    # exact like a per-sample cumsum, without a float64 copy of hour-long audio.
    edges = np.unique(np.concatenate([lo, hi, [0, len(samples)]]))
    pieces = np.zeros(len(edges) - 1)
    for first in range(0, len(pieces), 8192):
        last = min(first + 8192, len(pieces))
        block = samples[edges[first] : edges[last]].astype(np.float64)
        pieces[first:last] = np.add.reduceat(block * block, edges[first:last] - edges[first])
    energy = np.concatenate([[0.0], np.cumsum(pieces)])
    total = energy[np.searchsorted(edges, hi)] - energy[np.searchsorted(edges, lo)]
    return np.sqrt(np.maximum(total, 0.0) / np.maximum(hi - lo, 1))


class EnergyDriver:
    """Jaw opening from the RMS envelope, gated above the noise floor; closed in silence."""

    name = "energy"

    def __init__(
        self,
        *,
        max_jaw: float = 0.65,
        width_gain: float = 0.15,
        smoothing: float = 0.025,
        max_speed: float = 10.0,
        curve: float = 0.7,
    ) -> None:
        self.max_jaw = max_jaw  # full loudness opens to here, short of "aa" which is shouting
        self.width_gain = width_gain
        self.smoothing = smoothing  # seconds (Gaussian sigma) of envelope smoothing
        self.max_speed = max_speed  # largest change of any parameter per second
        self.curve = curve  # < 1 lifts quiet syllables, as loudness perception does

    def levels(self, speech: Speech, fps: Fraction, num_frames: int) -> np.ndarray:
        """Per-frame speech level in [0, 1]: 0 at or below the noise gate, 1 at loud speech."""
        check_frames(fps, num_frames)
        rms = frame_rms(speech.audio, speech.sample_rate, fps, num_frames)
        voiced = rms[rms > _ABSOLUTE_GATE]
        if len(voiced) == 0:
            return np.zeros(num_frames)
        peak = float(np.percentile(voiced, 95))
        # The noise floor is the quietest tenth of frames. In clips with no pause that is quiet
        # speech, so the gate sits at least 30 dB below the peak but never above -20 dB.
        floor = float(np.percentile(rms, 10))
        gate = float(np.clip(2.0 * floor, peak * 10 ** (-30 / 20), peak * 10 ** (-20 / 20)))
        gate = max(gate, _ABSOLUTE_GATE)
        level = np.clip((rms - gate) / max(peak - gate, 1e-12), 0.0, 1.0) ** self.curve
        return np.clip(gaussian_smooth(level, self.smoothing * float(fps)), 0.0, 1.0)

    def drive(self, speech: Speech, fps: Fraction, num_frames: int) -> MouthTrack:
        fps = Fraction(fps)
        level = self.levels(speech, fps, num_frames)
        values = np.zeros((num_frames, len(MOUTH_PARAMS)), dtype=np.float64)
        values[:, JAW] = self.max_jaw * level
        values[:, WIDTH] = self.width_gain * level
        # Lips part as soon as there is sound, long before the jaw is fully open.
        values[:, CLOSE] = _REST_CLOSE * (1.0 - np.clip(3.0 * level, 0.0, 1.0))
        step = self.max_speed / float(fps)
        for j in range(values.shape[1]):
            values[:, j] = limit_rate(values[:, j], step)
        return MouthTrack(values.astype(np.float32), fps)
