"""Audio is the master clock.

Every video frame is placed on the audio sample clock: frame ``i`` starts at
sample ``frame_start_sample(i)``. All mappings are pure integer functions so
that no rounding error can accumulate over hours of output.
"""

from __future__ import annotations

from fractions import Fraction


def as_rate(fps: float | str | Fraction) -> Fraction:
    """An exact frame rate. The NTSC family written as decimals (23.976, 29.97, 59.94) means
    24000/1001, 30000/1001 and 60000/1001, which is what cameras, OBS and players use."""
    rate = Fraction(fps)
    for base in (24, 30, 48, 60):
        ntsc = Fraction(base * 1000, 1001)
        if rate != ntsc and abs(rate - ntsc) < Fraction(1, 100):
            return ntsc
    return rate.limit_denominator(1001)


def _rate(fps: float | Fraction) -> Fraction:
    return fps if isinstance(fps, Fraction) else as_rate(fps)


def frame_start_sample(frame_index: int, sample_rate: int, fps: float | Fraction) -> int:
    """First audio sample covered by ``frame_index`` (rounded to the nearest sample)."""
    if frame_index < 0:
        raise ValueError("frame_index must be >= 0")
    exact = Fraction(frame_index) * sample_rate / _rate(fps)
    return int(exact + Fraction(1, 2))


def sample_to_frame(sample_index: int, sample_rate: int, fps: float | Fraction) -> int:
    """Index of the frame whose interval contains ``sample_index``."""
    if sample_index < 0:
        raise ValueError("sample_index must be >= 0")
    # Frame i covers [start(i), start(i+1)); invert by flooring then correcting for rounding.
    guess = int(Fraction(sample_index) * _rate(fps) / sample_rate)
    while guess > 0 and frame_start_sample(guess, sample_rate, fps) > sample_index:
        guess -= 1
    while frame_start_sample(guess + 1, sample_rate, fps) <= sample_index:
        guess += 1
    return guess


def frame_count(num_samples: int, sample_rate: int, fps: float | Fraction) -> int:
    """Frames needed so that the video covers every audio sample (ceil)."""
    if num_samples <= 0:
        return 0
    return sample_to_frame(num_samples - 1, sample_rate, fps) + 1


def frame_time(frame_index: int, fps: float | Fraction) -> float:
    """Presentation time in seconds of a frame's start."""
    return float(Fraction(frame_index) / _rate(fps))


def seconds_to_samples(seconds: float, sample_rate: int) -> int:
    return int(round(seconds * sample_rate))
