"""The log-mel front end of the lip-sync model: one definition for training and for the app.

Training (``training/lipsync``) and runtime (``studio.inference.lipsync_model``) both call this
module, so the model never sees features computed a second, slightly different way.

Framing: 16 kHz audio, one frame per 10 ms. Frame ``i`` covers ``[i * 10 ms, (i + 1) * 10 ms)``
and its 25 ms Hann window is centred on that span, i.e. it reads samples
``[i * HOP - WINDOW_BEFORE, i * HOP + WINDOW_AFTER)``; audio before 0 and after the end is
silence. ``num_frames(n)`` frames cover ``n`` samples. A frame is therefore known
``WINDOW_AFTER - HOP`` samples (7.5 ms) after its span ends: that is the front end's share of
the look-ahead. ``LogMelStream`` produces the same frames from audio arriving in chunks.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from studio.media.audio import resample

SAMPLE_RATE = 16000
HOP = 160  # 10 ms
WINDOW = 400  # 25 ms
N_FFT = 512
N_MELS = 80
F_MIN = 40.0
F_MAX = 7600.0  # below Nyquist, so 16 kHz and band-limited 44.1 kHz sources look alike
LOG_FLOOR = 1e-8  # power floor: digital silence maps to log(LOG_FLOOR), a finite constant
WINDOW_BEFORE = WINDOW // 2 - HOP // 2  # 120 samples before the frame's span
WINDOW_AFTER = WINDOW - WINDOW_BEFORE  # 280 samples from the frame's start
FRAME_SECONDS = HOP / SAMPLE_RATE
FEATURE_VERSION = "logmel80-16k-v1"  # written into the model; the runtime refuses other values
SILENCE = float(np.log(LOG_FLOOR))  # the feature value of digital silence, in every bin

_BLOCK = 2048  # frames per FFT batch: bounds memory on hour-long files

FloatArray = npt.NDArray[np.float32]


def num_frames(num_samples: int) -> int:
    """Frames that cover ``num_samples`` samples at 16 kHz (the last one may be partial)."""
    return -(-int(num_samples) // HOP)


def frame_centres(count: int) -> npt.NDArray[np.float64]:
    """Centre of each frame in seconds: ``(i + 0.5) * 10 ms``."""
    return (np.arange(count, dtype=np.float64) + 0.5) * FRAME_SECONDS


def hz_to_mel(hz: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The HTK mel scale."""
    return np.asarray(2595.0 * np.log10(1.0 + np.asarray(hz, np.float64) / 700.0))


def mel_to_hz(mel: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(700.0 * (10.0 ** (np.asarray(mel, np.float64) / 2595.0) - 1.0))


def mel_band_edges() -> npt.NDArray[np.float64]:
    """``N_MELS + 2`` frequencies: band ``b`` rises from edge ``b``, peaks at ``b + 1``, ends at ``b + 2``."""
    return mel_to_hz(np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), N_MELS + 2))


@lru_cache(maxsize=1)
def mel_filterbank() -> FloatArray:
    """``(N_FFT // 2 + 1, N_MELS)`` triangular filters on the HTK mel scale, unit peak."""
    edges = mel_band_edges()
    bins = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins[None, :] - lower) / (centre - lower)
    falling = (upper - bins[None, :]) / (upper - centre)
    bank = np.maximum(0.0, np.minimum(rising, falling))
    return np.ascontiguousarray(bank.T, dtype=np.float32)


@lru_cache(maxsize=1)
def _hann() -> FloatArray:
    # Periodic Hann, the usual STFT window (sums to a constant at 50 % overlap).
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)).astype(np.float32)


def _windows_to_logmel(windows: npt.NDArray[np.float32]) -> FloatArray:
    spectrum = np.fft.rfft(windows * _hann(), n=N_FFT, axis=1)
    power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
    return np.log(np.maximum(power @ mel_filterbank(), LOG_FLOOR)).astype(np.float32)


def _frames(padded: FloatArray, count: int) -> FloatArray:
    """Log-mel of ``count`` frames whose windows start every HOP samples from ``padded[0]``."""
    out = np.empty((count, N_MELS), dtype=np.float32)
    view = np.lib.stride_tricks.sliding_window_view(padded, WINDOW)[::HOP]
    for first in range(0, count, _BLOCK):
        last = min(first + _BLOCK, count)
        out[first:last] = _windows_to_logmel(np.asarray(view[first:last], dtype=np.float32))
    return out


def log_mel(audio: npt.ArrayLike) -> FloatArray:
    """``(num_frames(len(audio)), N_MELS)`` log-mel features of mono 16 kHz audio in [-1, 1]."""
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    count = num_frames(len(samples))
    if count == 0:
        return np.zeros((0, N_MELS), dtype=np.float32)
    tail = (count - 1) * HOP + WINDOW_AFTER - len(samples)
    padded = np.concatenate([np.zeros(WINDOW_BEFORE, np.float32), samples, np.zeros(tail, np.float32)])
    return _frames(padded, count)


def to_model_rate(audio: npt.ArrayLike, sample_rate: int) -> FloatArray:
    """Mono float32 audio at the front end's 16 kHz; ``(samples, channels)`` are averaged."""
    samples = np.asarray(audio, dtype=np.float32)
    if samples.ndim == 2:
        if samples.shape[1] > samples.shape[0]:  # (channels, samples) would average time away
            raise ValueError(f"audio must be (samples,) or (samples, channels), got {samples.shape}")
        samples = samples.mean(axis=1)
    if sample_rate == SAMPLE_RATE:
        return samples.reshape(-1)
    return np.asarray(resample(samples.reshape(-1), sample_rate, SAMPLE_RATE), dtype=np.float32)


class LogMelStream:
    """``log_mel`` for audio that arrives in pieces: the frames of all pushes, then ``flush``,
    equal ``log_mel`` of the whole. A frame is returned as soon as its window is complete."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._buffer = np.zeros(WINDOW_BEFORE, np.float32)  # starts at the first window's start
        self._received = 0
        self._emitted = 0

    @property
    def frames_emitted(self) -> int:
        return self._emitted

    def push(self, audio: npt.ArrayLike) -> FloatArray:
        chunk = np.asarray(audio, dtype=np.float32).reshape(-1)
        self._received += len(chunk)
        self._buffer = np.concatenate([self._buffer, chunk])
        ready = 0 if len(self._buffer) < WINDOW else (len(self._buffer) - WINDOW) // HOP + 1
        return self._take(ready)

    def flush(self) -> FloatArray:
        """The frames still owed, with silence after the last sample; the stream then resets."""
        ready = num_frames(self._received) - self._emitted
        if ready > 0:
            needed = (ready - 1) * HOP + WINDOW - len(self._buffer)
            self._buffer = np.concatenate([self._buffer, np.zeros(max(needed, 0), np.float32)])
        out = self._take(max(ready, 0))
        self._reset()
        return out

    def _take(self, count: int) -> FloatArray:
        if count <= 0:
            return np.zeros((0, N_MELS), dtype=np.float32)
        out = _frames(self._buffer, count)
        self._buffer = self._buffer[count * HOP :]
        self._emitted += count
        return out
