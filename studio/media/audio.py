"""Read, resample and write audio as float32 mono arrays in [-1, 1]."""

from __future__ import annotations

import math
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from studio.errors import InputError
from studio.storage.atomic import atomic_file

__all__ = ["read_audio", "resample", "write_wav"]

FloatArray = npt.NDArray[np.float32]

# Resampler design: Kaiser-windowed sinc with 16 zero crossings each side.
# Stopband is far below 16-bit quantisation, passband flat to ~0.9 Nyquist.
_ZERO_CROSSINGS = 16
_KAISER_BETA = 8.6
_ROLLOFF = 0.94
# More distinct sub-sample phases than this are quantised; the timing error is
# then < 1/4096 sample and does not accumulate (positions stay exact integers).
_MAX_PHASES = 4096
_CHUNK = 32768


def read_audio(path: Path) -> tuple[FloatArray, int]:
    """Decode the first audio stream of ``path`` (wav, mp3, m4a, flac, ...).

    Returns float32 mono samples (channels averaged) and the native sample rate.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Audio file not found: {path}.", "Check the path and retry.")
    try:
        with av.open(str(path), "r") as container:
            if not container.streams.audio:
                raise InputError(f"{path} contains no audio track.", "Use a wav, mp3, m4a or flac file.")
            stream = container.streams.audio[0]
            # fltp keeps the source layout and rate; downmixing is done here so it is
            # a plain average instead of swresample's surround matrix.
            resampler = av.AudioResampler(format="fltp")
            chunks: list[np.ndarray] = []
            rate = 0
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    rate = out.sample_rate
                    chunks.append(out.to_ndarray().mean(axis=0, dtype=np.float32))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().mean(axis=0, dtype=np.float32))
    except InputError:
        raise
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"Cannot decode audio from {path}: {exc}.", "Use a valid wav, mp3, m4a or flac file."
        ) from exc
    if not chunks or rate <= 0:
        raise InputError(f"{path} contains no audio samples.", "Use a non-empty audio file.")
    audio = np.concatenate(chunks).astype(np.float32, copy=False)
    return np.clip(audio, -1.0, 1.0), rate


def resample(audio: npt.ArrayLike, src_rate: int, dst_rate: int) -> FloatArray:
    """Band-limited resampling of mono audio; output length is round(len*dst/src).

    Output sample ``k`` is interpolated at the exact rational input position
    ``k * src / dst``, so the result never drifts against the audio clock.
    """
    if src_rate <= 0 or dst_rate <= 0:
        raise ValueError("sample rates must be > 0")
    x = np.asarray(audio, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError(f"resample expects mono audio of shape (N,), got {x.shape}")
    n_out = round(Fraction(x.shape[0] * dst_rate, src_rate))
    if src_rate == dst_rate:
        return x.copy()
    if n_out == 0 or x.shape[0] == 0:
        return np.zeros(n_out, dtype=np.float32)

    ratio = Fraction(dst_rate, src_rate)
    up, down = ratio.numerator, ratio.denominator
    # Downsampling lowers the cutoff below the new Nyquist (anti-aliasing).
    cutoff = min(1.0, float(ratio)) * _ROLLOFF
    half = math.ceil(_ZERO_CROSSINGS / cutoff)
    taps = 2 * half
    phases = min(up, _MAX_PHASES)
    table = _kernel_table(phases, half, cutoff)

    padded = np.concatenate([np.zeros(half, np.float32), x, np.zeros(half + 1, np.float32)]).astype(
        np.float64
    )
    offsets = np.arange(taps)
    out = np.empty(n_out, dtype=np.float32)
    for start in range(0, n_out, _CHUNK):
        k = np.arange(start, min(start + _CHUNK, n_out), dtype=np.int64)
        pos = k * down  # exact input position times `up`
        base = pos // up
        phase = ((pos % up) * phases) // up
        # padded index of input sample base-half+1+j is base+1+j.
        window = padded[(base + 1)[:, None] + offsets[None, :]]
        out[start : start + k.shape[0]] = np.einsum("ij,ij->i", window, table[phase])
    return out


def _kernel_table(phases: int, half: int, cutoff: float) -> npt.NDArray[np.float64]:
    """Row p holds the weights for fractional offset p/phases, taps n0-half+1..n0+half."""
    frac = np.arange(phases, dtype=np.float64)[:, None] / phases
    j = np.arange(2 * half, dtype=np.float64)[None, :]
    dist = frac + (half - 1) - j  # t - n for each tap
    kernel = cutoff * np.sinc(cutoff * dist)
    arg = np.clip(1.0 - (dist / half) ** 2, 0.0, None)
    kernel *= np.i0(_KAISER_BETA * np.sqrt(arg)) / np.i0(_KAISER_BETA)
    # Unit DC gain per phase: a constant signal stays exactly constant.
    kernel /= kernel.sum(axis=1, keepdims=True)
    return kernel


def write_wav(path: Path, audio: npt.ArrayLike, rate: int) -> None:
    """Write 16-bit PCM wav atomically. ``audio`` is (N,) mono or (N, channels)."""
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[1] < 1:
        raise ValueError(f"expected audio of shape (N,) or (N, channels), got {data.shape}")
    if rate <= 0:
        raise ValueError("rate must be > 0")
    pcm = np.round(np.clip(np.nan_to_num(data), -1.0, 1.0) * 32767.0).astype("<i2")
    with atomic_file(Path(path), ".wav") as tmp, wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(data.shape[1])
        wav.setsampwidth(2)
        wav.setframerate(int(rate))
        wav.writeframes(pcm.tobytes())
