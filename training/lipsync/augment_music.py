"""Synthesised background music for ``augment.add_music_bed``: no audio files ship with the recipe.

A random four-bar loop (chords of harmonic tones, a bass line, drum-like hits) is rendered once
per call and tiled, which is how most production music beds behave and keeps the cost
independent of the clip length.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)
# Scale degrees (0-based) of common pop/ambient progressions, one chord per bar.
_PROGRESSIONS = ((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4), (1, 4, 0, 0), (0, 3, 0, 4), (5, 4, 3, 4))
# Above this the tones would only add fizz that speech masking does not need.
_MAX_PARTIAL_HZ = 6000.0
_TABLE = 2048  # wavetable points per period; interpolation error is below -80 dB


def synth_music(n: int, rng: np.random.Generator, sample_rate: int = 16000) -> FloatArray:
    """``n`` samples of random background music at unit RMS (float32)."""
    if n <= 0:
        return np.zeros(0, np.float32)
    fs = sample_rate
    beat = round(60.0 / rng.uniform(70.0, 140.0) * fs)
    bar = 4 * beat
    loop = np.zeros(4 * bar)
    root = int(rng.integers(45, 57))  # MIDI A2..G#3: chords sit one octave above, bass one below
    scale = _MINOR if rng.random() < 0.4 else _MAJOR
    progression = _PROGRESSIONS[int(rng.integers(len(_PROGRESSIONS)))]
    pluck = rng.random() < 0.5  # plucked/piano-like chords vs sustained pads

    t = np.arange(bar) / fs
    chords = np.zeros_like(loop)
    bass = np.zeros_like(loop)
    for b, degree in enumerate(progression):
        n_notes = 4 if rng.random() < 0.3 else 3  # sevenths now and then
        notes = [root + 12 + _scale_note(scale, degree + 2 * i) for i in range(n_notes)]
        tone = _harmonic_tone(np.array(notes, float), t, rng, harmonics=6, rolloff=rng.uniform(1.0, 2.0))
        if pluck:
            since = np.arange(bar) % (beat * int(rng.choice([1, 2])))
            # A 5 ms attack: a re-struck note that jumped to full level would click.
            env = np.exp(-since / fs / rng.uniform(0.15, 0.5)) * np.minimum(since / (0.005 * fs), 1.0)
        else:
            env = np.minimum(t / rng.uniform(0.05, 0.3), 1.0)
        # Fading out at the bar's end keeps chord changes (and the loop seam) click-free.
        env *= np.minimum((t[-1] - t) / 0.03, 1.0)
        chords[b * bar : (b + 1) * bar] = tone * env

        bass_tone = _harmonic_tone(np.array([root - 12 + _scale_note(scale, degree)], float), t, rng, 3, 2.0)
        since = np.arange(bar) % (beat // 2 if rng.random() < 0.3 else beat)
        bass_env = np.exp(-since / fs / 0.12) * np.minimum(since / (0.005 * fs), 1.0)
        bass[b * bar : (b + 1) * bar] = bass_tone * bass_env

    drums = _drums(len(loop), beat, fs, rng) if rng.random() < 0.8 else np.zeros_like(loop)
    for part, level_db in ((chords, 0.0), (bass, rng.uniform(-6, 0)), (drums, rng.uniform(-8, 2))):
        rms = np.sqrt(np.mean(part**2))
        if rms > 0:
            loop += part / rms * 10 ** (level_db / 20)
    loop /= np.sqrt(np.mean(loop**2))
    idx = (int(rng.integers(len(loop))) + np.arange(n)) % len(loop)
    return loop[idx].astype(np.float32)


def _scale_note(scale: tuple[int, ...], degree: int) -> int:
    return scale[degree % 7] + 12 * (degree // 7)


def _harmonic_tone(
    midi: npt.NDArray[np.float64],
    t: npt.NDArray[np.float64],
    rng: np.random.Generator,
    harmonics: int,
    rolloff: float,
) -> npt.NDArray[np.float64]:
    """Sum of the notes, each with ``harmonics`` partials of amplitude 1/h**rolloff."""
    # A few cents of detune per note gives the slight chorus of real instruments.
    f0 = 440.0 * 2 ** ((midi - 69 + rng.normal(0, 0.05, midi.shape)) / 12)
    h = np.arange(1, harmonics + 1)
    grid = np.arange(_TABLE + 1) / _TABLE
    out = np.zeros_like(t)
    for freq in f0:
        amps = (1.0 / h**rolloff) * (freq * h < _MAX_PARTIAL_HZ)
        phases = rng.uniform(0, 2 * np.pi, harmonics)
        # One period in a wavetable, read with linear interpolation: one lookup per sample
        # instead of one sine per partial.
        table = amps @ np.sin(2 * np.pi * h[:, None] * grid[None, :] + phases[:, None])
        pos = (freq * t) % 1.0 * _TABLE
        i = pos.astype(np.int64)
        out += table[i] + (table[i + 1] - table[i]) * (pos - i)
    return out


def _drums(length: int, beat: int, fs: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    tk = np.arange(int(0.3 * fs)) / fs
    # Kick: a sine whose pitch falls from ~150 Hz, as a struck drum head does.
    freq = rng.uniform(40, 55) + 110 * np.exp(-tk / 0.03)
    kick = np.sin(2 * np.pi * np.cumsum(freq) / fs) * np.exp(-tk / rng.uniform(0.06, 0.15))
    ts = tk[: int(0.2 * fs)]
    snare = np.diff(rng.standard_normal(len(ts) + 1)) * 0.5 + np.sin(2 * np.pi * rng.uniform(170, 220) * ts)
    snare *= np.exp(-ts / rng.uniform(0.04, 0.1))
    th = tk[: int(0.06 * fs)]
    hat = np.diff(rng.standard_normal(len(th) + 1), 1) * np.exp(-th / rng.uniform(0.01, 0.03))

    out = np.zeros(length)
    four_on_floor = rng.random() < 0.4
    hats = rng.random() < 0.7
    for k in range(length // beat):
        if four_on_floor or k % 2 == 0:
            _place(out, kick, k * beat)
        if k % 2 == 1:
            _place(out, snare * 0.7, k * beat)
        if hats:
            _place(out, hat * 0.4, k * beat + beat // 2)
    return out


def _place(buf: npt.NDArray[np.float64], hit: npt.NDArray[np.float64], onset: int) -> None:
    # The loop is tiled, so a hit that runs past its end belongs at its start.
    idx = (onset + np.arange(len(hit))) % len(buf)
    buf[idx] += hit
