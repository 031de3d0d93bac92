"""Audio augmentation for training the lip-sync model on clean TTS speech.

Real users record in rooms, through webcams, phones and laptops, over noise and music, and
upload compressed files. Every effect here keeps the audio's length and timing (no shift of
more than a fraction of a sample), because the labels are per 10 ms frame of the input.

All functions take and return float32 mono at ``SAMPLE_RATE`` and draw their parameters from
the given ``np.random.Generator``, so a seeded generator reproduces the output exactly.
Filtering is zero-phase (done in the FFT domain over the whole clip), compression is a
sample-wise gain, and codec delays are calibrated once per codec and bit rate. The music
synthesiser lives in ``augment_music`` and the codec round trip in ``augment_codec``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from studio.lipsync.features import SAMPLE_RATE
from training.lipsync.augment_codec import available_codecs, round_trip
from training.lipsync.augment_music import synth_music

__all__ = [
    "SAMPLE_RATE",
    "active_mask",
    "add_music_bed",
    "add_noise",
    "add_reverb",
    "augment",
    "available_codecs",
    "band_limit",
    "compress",
    "lossy_codec",
    "random_gain",
    "room_impulse_response",
]

FloatArray = npt.NDArray[np.float32]


# Probabilities of the training chain (see ``augment``).
P_CLEAN = 0.15
P_REVERB = 0.35
P_NOISE = 0.45
P_MUSIC = 0.2
P_BAND = 0.4
P_COMPRESS = 0.3
P_CODEC = 0.1

_FRAME = SAMPLE_RATE // 100  # the labels' 10 ms frame
_ACTIVE_BELOW_MAX_DB = 35.0
# A clip with no speech-active frame gets noise relative to a typical speech level instead.
_SILENT_DB = -70.0
_REFERENCE_SPEECH_DB = -26.0
# Zero padding for whole-clip FFT filtering: longer than the impulse responses ring, so the
# circular wrap lands in silence that is cut away.
_FILTER_PAD = 4096

_BITRATES = (16000, 24000, 32000, 48000, 64000)  # few, so each one's delay calibration is reused


def add_reverb(
    x: npt.ArrayLike,
    rng: np.random.Generator,
    rt60_range: tuple[float, float] = (0.15, 0.9),
    *,
    rt60: float | None = None,
) -> FloatArray:
    """Convolve with a synthetic room; the output keeps the input's speech level."""
    x = _mono(x)
    if x.size == 0:
        return x.copy()
    rir = room_impulse_response(rng, rng.uniform(*rt60_range) if rt60 is None else rt60)
    m = _fft_len(x.size + rir.size)
    y = np.fft.irfft(np.fft.rfft(x, m) * np.fft.rfft(rir.astype(np.float32), m), m)[: x.size]
    return _match_level(y, x)


def room_impulse_response(rng: np.random.Generator, rt60: float) -> FloatArray:
    """Direct path of 1 at lag 0, sparse early reflections, exponentially decaying noise tail.

    The direct-to-reverberant energy ratio is drawn in 0..10 dB (a talker within a metre or
    two of the mic), which keeps the direct sound the alignment anchor even for long RT60s.
    """
    length = max(int(rt60 * SAMPLE_RATE), 256)  # the tail is -60 dB by then
    t = np.arange(length) / SAMPLE_RATE

    early = np.zeros(length)
    n_refl = int(rng.integers(6, 15))
    lags = (rng.uniform(0.002, 0.04, n_refl) * SAMPLE_RATE).astype(int).clip(1, length - 1)
    amps = rng.uniform(0.2, 1.0, n_refl) * np.exp(-6.9 * lags / SAMPLE_RATE / rt60)
    np.add.at(early, lags, amps * rng.choice([-1.0, 1.0], n_refl))

    # Walls and air absorb highs faster: the band above the crossover decays with a shorter RT60.
    spec = np.fft.rfft(rng.standard_normal(length))
    f = np.fft.rfftfreq(length, 1 / SAMPLE_RATE)
    low_weight = 1.0 / (1.0 + (f / rng.uniform(1000, 3000)) ** 4)
    low = np.fft.irfft(spec * low_weight, length)
    high = np.fft.irfft(spec * (1 - low_weight), length)
    tail = low * np.exp(-6.9 * t / rt60) + high * np.exp(-6.9 * t / (rt60 * rng.uniform(0.4, 0.8)))
    tail *= np.clip((t - rng.uniform(0.005, 0.02)) / 0.01, 0, 1)  # diffuse field builds up late

    early_share = rng.uniform(0.2, 0.5)
    early *= np.sqrt(early_share / max(np.sum(early**2), 1e-12))
    reverberant = early + tail * np.sqrt((1 - early_share) / np.sum(tail**2))
    reverberant *= 10 ** (-rng.uniform(0.0, 10.0) / 20)
    reverberant[0] = 1.0
    return reverberant.astype(np.float32)


def add_noise(
    x: npt.ArrayLike,
    rng: np.random.Generator,
    snr_db_range: tuple[float, float] = (5, 30),
    pool: Sequence[npt.ArrayLike] = (),
    *,
    snr_db: float | None = None,
    kind: str | None = None,
) -> FloatArray:
    """Add white, pink, brown or babble noise at an SNR over the speech-active part of ``x``.

    Babble needs ``pool``: other speech clips at ``SAMPLE_RATE``; 3-5 of them, each
    level-matched and started at a random point (looped when short), are summed.
    """
    x = _mono(x)
    if x.size == 0:
        return x.copy()
    if kind is None:
        weights = {"white": 0.2, "pink": 0.3, "brown": 0.2, "babble": 0.3 if pool else 0.0}
        p = np.array(list(weights.values()))
        kind = str(rng.choice(list(weights), p=p / p.sum()))
    if kind == "babble":
        noise = _babble(x.size, rng, pool)
    else:
        exponents = {"white": 0.0, "pink": 1.0, "brown": 2.0}
        if kind not in exponents:
            raise ValueError(f"unknown noise kind {kind!r}")
        noise = _coloured_noise(x.size, exponents[kind], rng)
    return _mix_at_snr(x, noise, rng.uniform(*snr_db_range) if snr_db is None else snr_db)


def add_music_bed(
    x: npt.ArrayLike,
    rng: np.random.Generator,
    snr_db_range: tuple[float, float] = (0, 20),
    *,
    snr_db: float | None = None,
) -> FloatArray:
    """Add synthesised background music (chords, bass, drums on a tempo) at the drawn SNR."""
    x = _mono(x)
    if x.size == 0:
        return x.copy()
    music = synth_music(x.size, rng, SAMPLE_RATE)
    return _mix_at_snr(x, music, rng.uniform(*snr_db_range) if snr_db is None else snr_db)


def band_limit(x: npt.ArrayLike, rng: np.random.Generator, *, kind: str | None = None) -> FloatArray:
    """Zero-phase response of a webcam mic, a phone line or a laptop mic (``kind`` forces one)."""
    x = _mono(x)
    if x.size == 0:
        return x.copy()
    kind = str(rng.choice(["webcam", "phone", "laptop"])) if kind is None else kind
    m = 2 * _fft_len(-(-(x.size + _FILTER_PAD) // 2))  # even, for the 8 kHz path
    f = np.fft.rfftfreq(m, 1 / SAMPLE_RATE)
    logf = np.log2(np.maximum(f, 1.0))
    gain_db = np.zeros(f.shape)
    if kind == "webcam":
        gain_db += _highpass_db(f, rng.uniform(80, 200), int(rng.integers(2, 4)))
        gain_db += _lowpass_db(f, rng.uniform(5000, 7500), int(rng.integers(4, 7)))
        for _ in range(int(rng.integers(1, 3))):  # capsule and housing resonances
            gain_db += _bell_db(logf, rng.uniform(800, 6000), rng.uniform(-4, 6), rng.uniform(0.3, 1.0))
    elif kind == "phone":
        gain_db += _highpass_db(f, rng.uniform(250, 350), 4)
        gain_db += _lowpass_db(f, rng.uniform(3300, 3500), 12)
        gain_db += _bell_db(logf, rng.uniform(500, 3000), rng.uniform(-2, 2), rng.uniform(0.5, 1.5))
    elif kind == "laptop":
        gain_db += _highpass_db(f, rng.uniform(100, 300), 2)
        # Small capsules behind a grille: tilted response, a chassis resonance, early roll-off.
        gain_db += rng.uniform(-2, 3) * np.clip(logf - np.log2(1000), -4, 3)
        gain_db += _lowpass_db(f, rng.uniform(4000, 7000), 4)
        gain_db += _bell_db(logf, rng.uniform(2000, 5000), rng.uniform(2, 8), rng.uniform(0.3, 0.8))
    else:
        raise ValueError(f"unknown band_limit kind {kind!r}")
    narrowband = kind == "phone" and rng.random() < 0.5
    if narrowband:
        # Nothing may alias when decimating to 8 kHz.
        gain_db += 20 * np.log10(np.clip((4000 - f) / 200, 1e-10, 1))
    response = (10 ** (np.maximum(gain_db, -200) / 20)).astype(np.float32)
    y = np.fft.irfft(np.fft.rfft(x, m) * response, m)
    return (_mulaw_8k(y, m) if narrowband else y)[: x.size].astype(np.float32)


def random_gain(
    x: npt.ArrayLike,
    rng: np.random.Generator,
    db_range: tuple[float, float] = (-30, 6),
    *,
    db: float | None = None,
) -> FloatArray:
    """Scale by the drawn gain; samples beyond full scale clip at +-1 as a real ADC would."""
    x = _mono(x)
    gain = 10 ** ((rng.uniform(*db_range) if db is None else db) / 20)
    return np.clip(x * np.float32(gain), -1.0, 1.0)


def compress(x: npt.ArrayLike, rng: np.random.Generator) -> FloatArray:
    """Feed-forward peak compressor without look-ahead; the gain is applied sample-wise (no shift).

    Threshold 12 dB below to 3 dB above the active RMS, ratio 2-8 (log-uniform), 6 dB soft knee,
    attack 1-10 ms, release 50-300 ms; makeup gain restores the active speech level.
    """
    x = _mono(x)
    if x.size == 0:
        return x.copy()
    mask = active_mask(x)
    level_db = 10 * np.log10(np.mean(np.square(x[mask], dtype=np.float64))) if mask.any() else _SILENT_DB
    threshold = level_db + rng.uniform(-12, 3)
    ratio = float(np.exp(rng.uniform(np.log(2), np.log(8))))
    attack = rng.uniform(0.001, 0.010) * SAMPLE_RATE
    release = rng.uniform(0.050, 0.300) * SAMPLE_RATE

    # Peak envelope with instant rise and exponential release (a straight line in dB):
    # env[n] = max_k<=n(level[k] - r (n - k)) is a running maximum, so it vectorises.
    inst_db = 20 * np.log10(np.maximum(np.abs(x.astype(np.float64)), 1e-6))
    r = 8.686 / release  # dB per sample of an exponential with time constant `release`
    ramp = r * np.arange(x.size)
    env = np.maximum.accumulate(inst_db + ramp) - ramp

    over = env - threshold
    knee = 6.0
    slope = 1 - 1 / ratio
    reduction = np.where(
        over > knee / 2, over * slope, np.square(np.maximum(over + knee / 2, 0)) / (2 * knee) * slope
    )
    # The attack lets gain reduction build up over a few ms (causal one-pole), as in hardware.
    kernel_len = int(7 * attack) + 1
    kernel = np.exp(-np.arange(kernel_len) / attack)
    m = _fft_len(x.size + kernel_len)
    smooth = np.fft.irfft(np.fft.rfft(reduction, m) * np.fft.rfft(kernel / kernel.sum(), m), m)[: x.size]
    y = x * (10 ** (-smooth / 20)).astype(np.float32)
    return _match_level(y, x)


def lossy_codec(
    x: npt.ArrayLike, rng: np.random.Generator, *, codec: str | None = None, bitrate: int | None = None
) -> FloatArray:
    """Encode and decode with aac, mp3 or opus at 16-64 kbit/s, aligned back onto the input.

    Each codec's priming delay (and opus's fractional one) is measured once per codec and bit
    rate on a fixed probe, then undone with an integer shift plus, when needed, a linear-phase
    fractional shift; the output has the input's length. ``codec`` is an encoder name from
    ``available_codecs()``.
    """
    x = _mono(x)
    if x.size == 0:
        return x.copy()
    codec = str(rng.choice(available_codecs())) if codec is None else codec
    bitrate = int(rng.choice(_BITRATES)) if bitrate is None else bitrate
    return round_trip(x, codec, bitrate, SAMPLE_RATE)


def augment(x: npt.ArrayLike, rng: np.random.Generator, pool: Sequence[npt.ArrayLike] = ()) -> FloatArray:
    """One random training chain; ``pool`` (other clips at ``SAMPLE_RATE``) feeds babble noise.

    With probability ``P_CLEAN`` (0.15) only the gain is applied. Otherwise each effect runs
    with its probability, in signal-path order: room reverb (0.35) -> ambient noise (0.45) ->
    mic/phone band limit (0.4) -> compression (0.3) -> music bed (0.2) -> codec (0.1) -> gain
    (always). Noise enters before the mic because the mic and phone line filter it as well;
    music comes after compression because beds are mixed in the edit. About 11% of the other
    clips draw no effect either, so ~24% of clips are clean apart from gain.
    """
    y = _mono(x)
    if rng.random() >= P_CLEAN:
        # Which effects run is drawn up front, not interleaved with the effects' own draws.
        draw = rng.random(6)
        if draw[0] < P_REVERB:
            y = add_reverb(y, rng)
        if draw[1] < P_NOISE:
            y = add_noise(y, rng, pool=pool)
        if draw[2] < P_BAND:
            y = band_limit(y, rng)
        if draw[3] < P_COMPRESS:
            y = compress(y, rng)
        if draw[4] < P_MUSIC:
            y = add_music_bed(y, rng)
        if draw[5] < P_CODEC:
            y = lossy_codec(y, rng)
    return random_gain(y, rng)


def active_mask(x: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Per-sample mask of the 10 ms frames within 35 dB of the loudest one (and above -70 dBFS)."""
    x = _mono(x)
    frames = -(-x.size // _FRAME)
    padded = np.zeros(frames * _FRAME, np.float32)
    padded[: x.size] = x
    power = np.mean(np.square(padded.reshape(frames, _FRAME)), axis=1)
    floor = max(power.max(initial=0.0) * 10 ** (-_ACTIVE_BELOW_MAX_DB / 10), 10 ** (_SILENT_DB / 10))
    return np.repeat(power > floor, _FRAME)[: x.size]


def _mix_at_snr(x: FloatArray, noise: npt.NDArray[np.floating], snr_db: float) -> FloatArray:
    mask = active_mask(x)
    if mask.any():
        speech_power = float(np.mean(np.square(x[mask], dtype=np.float64)))
    else:
        mask = np.ones(x.size, bool)
        speech_power = 10 ** (_REFERENCE_SPEECH_DB / 10)
    noise_power = float(np.mean(np.square(noise[mask], dtype=np.float64)))
    if noise_power <= 0:
        return x.copy()
    scale = np.sqrt(speech_power / noise_power * 10 ** (-snr_db / 10))
    return (x + noise * scale).astype(np.float32)


def _coloured_noise(n: int, exponent: float, rng: np.random.Generator) -> FloatArray:
    """Gaussian noise with power spectrum ~ 1/f**exponent (0 white, 1 pink, 2 brown) above 20 Hz."""
    m = _fft_len(n)
    f = np.fft.rfftfreq(m, 1 / SAMPLE_RATE)
    spec = rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)
    shape = np.maximum(f, 20.0) ** (-exponent / 2)
    return np.fft.irfft(spec * shape, m)[:n].astype(np.float32)


def _babble(n: int, rng: np.random.Generator, pool: Sequence[npt.ArrayLike]) -> FloatArray:
    if not pool:
        raise ValueError("babble noise needs a pool of speech clips")
    out = np.zeros(n, np.float32)
    for i in rng.choice(len(pool), size=int(rng.integers(3, 6))):
        clip = _mono(pool[int(i)])
        mask = active_mask(clip)
        if not mask.any():
            continue
        clip = clip / np.sqrt(np.mean(np.square(clip[mask])))
        out += clip[(int(rng.integers(clip.size)) + np.arange(n)) % clip.size]
    return out


def _mulaw_8k(y: npt.NDArray[np.floating], m: int) -> npt.NDArray[np.float32]:
    """G.711 mu-law at 8 kHz; keeping every other sample and interpolating back leaves no shift."""
    narrow = np.clip(y[::2], -1.0, 1.0)
    mu = 255.0
    code = np.round(np.sign(narrow) * np.log1p(mu * np.abs(narrow)) / np.log1p(mu) * 127) / 127
    narrow = np.sign(code) * np.expm1(np.abs(code) * np.log1p(mu)) / mu
    spec = np.fft.rfft(narrow.astype(np.float32))  # m is even, so narrow has m // 2 samples
    wide = np.zeros(m // 2 + 1, spec.dtype)
    wide[: spec.size] = spec
    return (np.fft.irfft(wide, m) * 2).astype(np.float32)


def _highpass_db(f: npt.NDArray[np.floating], fc: float, order: int) -> npt.NDArray[np.floating]:
    # Butterworth magnitude in dB, capped at -300 dB so f = 0 and deep stopbands stay finite.
    ratio = 2 * order * np.log10(np.maximum(f, 1e-3) / fc)
    return -10 * np.log10(1 + 10 ** np.minimum(-ratio, 30))


def _lowpass_db(f: npt.NDArray[np.floating], fc: float, order: int) -> npt.NDArray[np.floating]:
    ratio = 2 * order * np.log10(np.maximum(f, 1e-3) / fc)
    return -10 * np.log10(1 + 10 ** np.minimum(ratio, 30))


def _bell_db(
    logf: npt.NDArray[np.floating], f0: float, gain_db: float, width_oct: float
) -> npt.NDArray[np.floating]:
    return gain_db * np.exp(-0.5 * ((logf - np.log2(f0)) / width_oct) ** 2)


def _match_level(y: npt.NDArray[np.floating], ref: FloatArray) -> FloatArray:
    """Scale ``y`` to the speech-active power of ``ref`` so an effect is not also a gain change."""
    mask = active_mask(ref)
    if not mask.any():
        return y.astype(np.float32)
    target = np.mean(np.square(ref[mask], dtype=np.float64))
    have = np.mean(np.square(y[mask], dtype=np.float64))
    return (y * np.sqrt(target / have)).astype(np.float32) if have > 0 else y.astype(np.float32)


def _mono(x: npt.ArrayLike) -> FloatArray:
    a = np.asarray(x, dtype=np.float32)
    if a.ndim != 1:
        raise ValueError(f"expected mono audio of shape (N,), got {a.shape}")
    return a


def _fft_len(n: int) -> int:
    """Smallest 2^a 3^b 5^c >= n: pocketfft is several times slower on lengths with large primes."""
    best = 1 << max(n - 1, 0).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best = min(best, p)
            p35 *= 3
        p5 *= 5
    return best
