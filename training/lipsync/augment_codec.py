"""Lossy codec round trips through PyAV's FFmpeg, aligned back onto the input sample grid.

Encoders prime with silence (aac 1024 samples) and libopus decodes at 48 kHz with a
fractional offset at 16 kHz; ``round_trip`` measures each codec/bit-rate pair's delay once on
a fixed probe and undoes it, so the labels' timing survives.
"""

from __future__ import annotations

import functools
from typing import cast

import av
import numpy as np
import numpy.typing as npt
from av.audio.codeccontext import AudioCodecContext

FloatArray = npt.NDArray[np.float32]

# Decoder for each encoder; mp3float keeps the decoded samples in float.
_DECODERS = {"aac": "aac", "libmp3lame": "mp3float", "libopus": "libopus"}
_FLUSH_PAD = 8192  # trailing silence so every input sample leaves the encoder despite its delay


@functools.cache
def available_codecs() -> tuple[str, ...]:
    """The encoders this FFmpeg build has: aac always, libmp3lame and libopus when built in."""
    found = []
    for name in _DECODERS:
        try:
            av.codec.Codec(name, "w")
            av.codec.Codec(_DECODERS[name], "r")
        except av.FFmpegError:
            continue
        found.append(name)
    return tuple(found)


def round_trip(x: FloatArray, codec: str, bitrate: int, sample_rate: int) -> FloatArray:
    """Encode and decode ``x`` (float32 mono); the result has ``x``'s length and timing."""
    if codec not in _DECODERS:
        raise ValueError(f"unknown codec {codec!r}; choose from {sorted(_DECODERS)}")
    y = _encode_decode(x, codec, bitrate, sample_rate)
    return _advance(y, codec_delay(codec, bitrate, sample_rate), x.size)


@functools.cache
def codec_delay(codec: str, bitrate: int, sample_rate: int) -> float:
    """Round-trip delay in (fractional) samples: the cross-correlation peak on a fixed probe."""
    n = sample_rate
    rng = np.random.default_rng(1234)
    # Noise in the band where speech has its energy (100-4000 Hz) with a syllable-rate envelope:
    # codecs treat it like speech, and its correlation has one sharp peak. Opus's delay is not
    # the same at all frequencies, so the band matters (a pink probe leaves speech 0.2 samples off).
    m = 1 << (n - 1).bit_length()
    f = np.fft.rfftfreq(m, 1 / sample_rate)
    band = (f > 100) & (f < 4000)
    noise = np.fft.irfft((rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)) * band, m)
    probe = noise[:n] * (1.2 + np.sin(2 * np.pi * 4 * np.arange(n) / sample_rate))
    probe = (probe * 0.1 / np.sqrt(np.mean(probe**2))).astype(np.float32)
    y = _encode_decode(probe, codec, bitrate, sample_rate)
    m = 1 << (2 * max(n, y.size)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(y, m) * np.conj(np.fft.rfft(probe, m)), m)
    lags = np.arange(-256, 4096)
    k = int(lags[np.argmax(corr[lags])])
    a, b, c = corr[k - 1], corr[k], corr[k + 1]
    return k + 0.5 * float(a - c) / float(a - 2 * b + c)


def _encode_decode(x: FloatArray, codec: str, bitrate: int, sample_rate: int) -> FloatArray:
    enc = cast(AudioCodecContext, av.CodecContext.create(codec, "w"))
    enc.sample_rate = sample_rate
    enc.layout = "mono"
    formats = [fmt.name for fmt in enc.codec.audio_formats or ()]
    enc.format = next((name for name in ("fltp", "flt") if name in formats), formats[0])
    enc.bit_rate = bitrate
    enc.open()
    dec = cast(AudioCodecContext, av.CodecContext.create(_DECODERS[codec], "r"))
    if enc.extradata:
        dec.extradata = enc.extradata  # aac's AudioSpecificConfig, opus's header
    padded = np.concatenate([x, np.zeros(_FLUSH_PAD, np.float32)])
    frame = av.AudioFrame.from_ndarray(padded[None, :], format="fltp", layout="mono")
    frame.sample_rate = sample_rate
    frame.pts = 0
    # libopus always decodes at 48 kHz; the calibrated delay absorbs this resampler's too.
    to_mono = av.AudioResampler(format="fltp", layout="mono", rate=sample_rate)
    chunks = []
    for packet in [*enc.encode(frame), *enc.encode(None), None]:
        for decoded in dec.decode(packet):
            chunks += [out.to_ndarray()[0] for out in to_mono.resample(decoded)]
    chunks += [out.to_ndarray()[0] for out in to_mono.resample(None)]
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def _advance(y: FloatArray, delay: float, n: int) -> FloatArray:
    """``out[i] = y(i + delay)`` for ``i < n``, zero beyond ``y``; fractions by a linear-phase shift."""
    whole = round(delay)
    frac = delay - whole
    pad = 64 if abs(frac) > 0.05 else 0
    start = whole - pad
    seg = np.zeros(n + 2 * pad, np.float32)
    lo, hi = max(start, 0), min(start + seg.size, y.size)
    if hi > lo:
        seg[lo - start : hi - start] = y[lo:hi]
    if pad:
        m = 1 << (seg.size + pad).bit_length()
        shift = np.exp(2j * np.pi * np.fft.rfftfreq(m) * frac).astype(np.complex64)
        return np.fft.irfft(np.fft.rfft(seg, m) * shift, m)[pad : pad + n].astype(np.float32)
    return seg
