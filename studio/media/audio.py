"""Read, resample and write audio as float32 mono arrays in [-1, 1]."""

from __future__ import annotations

import contextlib
import math
import wave
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from studio.errors import InputError, one_line
from studio.storage.atomic import atomic_file
from studio.storage.input_file import check_input_file
from studio.translation import tr

__all__ = ["MAX_AUDIO_SECONDS", "audio_duration", "read_audio", "resample", "stream_audio", "write_wav"]

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
# A whole-file read holds every sample (and a copy while joining): 30 minutes at 48 kHz is
# 350 MB of float32. Longer files are refused from their header before decoding.
MAX_AUDIO_SECONDS = 30 * 60


def read_audio(path: Path, max_seconds: float = MAX_AUDIO_SECONDS) -> tuple[FloatArray, int]:
    """Decode the first audio stream of ``path`` (wav, mp3, m4a, flac, ...), all of it.

    Returns float32 mono samples (channels averaged) and the native sample rate. The whole file
    is held in memory, so it may be at most ``max_seconds`` long: the container's header is
    checked before decoding, and the count while decoding (for files whose header says none).
    ``stream_audio`` reads a file of any length in blocks instead, for a live show.
    """
    path = Path(path)
    chunks: list[np.ndarray] = []
    rate = 0
    with _open_audio(path) as (container, stream):
        duration = _header_seconds(container, stream)
        if duration is not None and duration > max_seconds + _SLACK_S:
            raise _too_long(path, duration, max_seconds)
        decoded = 0
        for block, rate in _decode_mono(path, container, stream):
            decoded += len(block)
            if decoded > (max_seconds + _SLACK_S) * rate:
                raise _too_long(path, None, max_seconds)
            chunks.append(block)
    if not chunks or rate <= 0:
        raise InputError(
            tr("{path} contains no audio samples.").format(path=path), tr("Use a non-empty audio file.")
        )
    audio = np.concatenate(chunks).astype(np.float32, copy=False)
    return np.clip(audio, -1.0, 1.0), rate


def audio_duration(path: Path) -> float | None:
    """Seconds of audio in ``path`` as its container's header says, without decoding; None when
    the header does not say (a raw stream)."""
    with _open_audio(Path(path)) as (container, stream):
        return _header_seconds(container, stream)


def stream_audio(path: Path, rate: int, block_samples: int = 48000) -> Iterator[FloatArray]:
    """The audio of ``path`` as float32 mono blocks of ``block_samples`` at ``rate`` (the last one
    shorter), decoded as they are asked for: memory stays flat for a file of any length.

    Opening is checked at once (``InputError``); a file damaged further on raises it from the
    block where the damage is.
    """
    path = Path(path)
    if rate <= 0 or block_samples <= 0:
        raise ValueError("rate and block_samples must be > 0")
    opened = _open_audio(path)
    container, stream = opened.__enter__()
    return _stream_blocks(path, opened, container, stream, rate, block_samples)


def _stream_blocks(
    path: Path, opened: Any, container: Any, stream: Any, rate: int, block_samples: int
) -> Iterator[FloatArray]:
    to_rate: av.AudioResampler | None = None
    pending: list[np.ndarray] = []
    held = 0
    try:
        for block, native in _decode_mono(path, container, stream):
            if to_rate is None:
                to_rate = av.AudioResampler(format="flt", layout="mono", rate=rate)
            frame = av.AudioFrame.from_ndarray(block[None, :], format="flt", layout="mono")
            frame.sample_rate = native
            for out in to_rate.resample(frame):
                pending.append(out.to_ndarray().reshape(-1))
                held += pending[-1].shape[0]
            while held >= block_samples:
                joined = np.concatenate(pending)
                yield np.clip(joined[:block_samples], -1.0, 1.0)
                pending, held = [joined[block_samples:]], joined.shape[0] - block_samples
        if to_rate is not None:
            for out in to_rate.resample(None):
                pending.append(out.to_ndarray().reshape(-1))
        rest = np.concatenate(pending) if pending else np.zeros(0, np.float32)
        for first in range(0, rest.shape[0], block_samples):
            yield np.clip(rest[first : first + block_samples], -1.0, 1.0)
    finally:
        opened.__exit__(None, None, None)


_SLACK_S = 1.0  # headers round, and encoders pad; a limit is not missed by a second


@contextlib.contextmanager
def _open_audio(path: Path) -> Iterator[tuple[Any, Any]]:
    """The open container and its first audio stream, or ``InputError``; only a regular file."""
    check_input_file(path, tr("audio file"), tr("an audio file"), _formats_hint())
    try:
        with av.open(str(path), "r") as container:
            if not container.streams.audio:
                raise InputError(tr("{path} contains no audio track.").format(path=path), _formats_hint())
            yield container, container.streams.audio[0]
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise _undecodable(path, exc) from exc


def _formats_hint() -> str:
    return tr("Use a wav, mp3, m4a or flac file.")


def _decode_mono(path: Path, container: Any, stream: Any) -> Iterator[tuple[FloatArray, int]]:
    """Decoded blocks, channels averaged, at the file's own rate, with that rate."""
    # fltp keeps the source layout and rate; downmixing is done here so it is
    # a plain average instead of swresample's surround matrix.
    resampler = av.AudioResampler(format="fltp")
    try:
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                yield out.to_ndarray().mean(axis=0, dtype=np.float32), out.sample_rate
        for out in resampler.resample(None):
            yield out.to_ndarray().mean(axis=0, dtype=np.float32), out.sample_rate
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise _undecodable(path, exc) from exc


def _header_seconds(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / av.time_base
    return None


def _undecodable(path: Path, exc: Exception) -> InputError:
    return InputError(
        tr("Cannot decode audio from {path}: {reason}.").format(path=path, reason=one_line(exc)),
        tr("Use a valid wav, mp3, m4a or flac file."),
    )


def _too_long(path: Path, seconds: float | None, max_seconds: float) -> InputError:
    limit = _clock(max_seconds)
    if seconds is not None:
        problem = tr("{path} is {length} long; Studio reads at most {limit} of audio from one file at once.")
    else:
        problem = tr(
            "{path} is longer than that; Studio reads at most {limit} of audio from one file at once."
        )
    command = f"ffmpeg -i {path.name} -f segment -segment_time {int(max_seconds)} part%03d{path.suffix}"
    return InputError(
        problem.format(path=path, length=_clock(seconds) if seconds is not None else "", limit=limit),
        tr("Split it into parts of up to {limit} (e.g. '{command}').").format(limit=limit, command=command),
    )


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


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
