"""The audio-master clock: pure integer mappings between frames and samples."""

from __future__ import annotations

from fractions import Fraction

import pytest

from studio.media.clock import (
    as_rate,
    frame_count,
    frame_start_sample,
    frame_time,
    sample_to_frame,
    seconds_to_samples,
)

NTSC = Fraction(30000, 1001)
FPS = [Fraction(30), Fraction(25), NTSC]
RATES = [48000, 44100, 22050]


@pytest.mark.parametrize(
    ("fps", "rate", "frame", "expected"),
    [
        (Fraction(30), 48000, 1, 1600),
        (Fraction(30), 48000, 30, 48000),
        (Fraction(25), 48000, 1, 1920),
        (Fraction(30), 44100, 1, 1470),
        (Fraction(25), 22050, 1, 882),
        (Fraction(30), 22050, 1, 735),
        # 29.97 fps at 48 kHz: 1601.6 samples per frame, rounded to the nearest sample.
        (NTSC, 48000, 1, 1602),
        (NTSC, 48000, 2, 3203),
        (NTSC, 48000, 5, 8008),
        (NTSC, 48000, 30000, 48048000),
        # 44100 * 1001 / 30000 = 1471.47 samples per frame.
        (NTSC, 44100, 1, 1471),
        (NTSC, 44100, 100, 147147),
    ],
)
def test_frame_start_sample_exact(fps: Fraction, rate: int, frame: int, expected: int) -> None:
    assert frame_start_sample(frame, rate, fps) == expected


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("rate", RATES)
def test_round_trip_frame_sample(fps: Fraction, rate: int) -> None:
    for i in range(0, 2000):
        start = frame_start_sample(i, rate, fps)
        assert sample_to_frame(start, rate, fps) == i
        # The last sample before the next frame still belongs to frame i.
        assert sample_to_frame(frame_start_sample(i + 1, rate, fps) - 1, rate, fps) == i


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("rate", RATES)
def test_every_sample_maps_into_its_frame_interval(fps: Fraction, rate: int) -> None:
    for s in range(0, 3 * rate, 97):
        i = sample_to_frame(s, rate, fps)
        assert frame_start_sample(i, rate, fps) <= s < frame_start_sample(i + 1, rate, fps)


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("rate", RATES)
def test_no_drift_over_ten_hours(fps: Fraction, rate: int) -> None:
    frames = int(10 * 3600 * fps)
    start = frame_start_sample(frames, rate, fps)
    exact = Fraction(frames) * rate / fps
    assert abs(start - exact) <= Fraction(1, 2)
    # Consecutive frame lengths differ by at most one sample (no accumulated error).
    lengths = {
        frame_start_sample(i + 1, rate, fps) - frame_start_sample(i, rate, fps)
        for i in range(frames - 3000, frames)
    }
    per_frame = Fraction(rate) / fps
    assert lengths <= {int(per_frame), int(per_frame) + 1}
    assert sample_to_frame(start, rate, fps) == frames


def test_ten_hours_at_ntsc_is_exactly_on_the_sample_clock() -> None:
    # 1001 s of 29.97 fps video is exactly 30000 frames: the pts land on whole samples.
    for k in (1, 36):
        frames = 30000 * k
        assert frame_start_sample(frames, 48000, NTSC) == 48000 * 1001 * k


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("seconds", [0.001, 1.0, 2.5, 3.3333, 61.0])
def test_frame_count_covers_all_samples(fps: Fraction, rate: int, seconds: float) -> None:
    n = seconds_to_samples(seconds, rate)
    count = frame_count(n, rate, fps)
    # The video covers the last sample, and one frame fewer would not.
    assert frame_start_sample(count, rate, fps) >= n
    assert frame_start_sample(count - 1, rate, fps) < n


def test_frame_count_edges() -> None:
    assert frame_count(0, 48000, 30) == 0
    assert frame_count(1, 48000, 30) == 1
    assert frame_count(1600, 48000, 30) == 1
    assert frame_count(1601, 48000, 30) == 2
    assert frame_count(48000, 48000, 30) == 30


def test_float_fps_is_read_as_ntsc() -> None:
    assert frame_start_sample(5, 48000, 29.97) == frame_start_sample(5, 48000, NTSC)
    assert frame_time(30000, NTSC) == pytest.approx(1001.0)
    assert seconds_to_samples(1.5, 44100) == 66150


def test_negative_indices_rejected() -> None:
    with pytest.raises(ValueError):
        frame_start_sample(-1, 48000, 30)
    with pytest.raises(ValueError):
        sample_to_frame(-1, 48000, 30)


@pytest.mark.parametrize(
    ("written", "exact"),
    [
        ("29.97", Fraction(30000, 1001)),
        (29.97, Fraction(30000, 1001)),
        ("23.976", Fraction(24000, 1001)),
        (59.94, Fraction(60000, 1001)),
        ("30", Fraction(30)),
        (25.0, Fraction(25)),
        ("30000/1001", Fraction(30000, 1001)),
        (12.5, Fraction(25, 2)),
    ],
)
def test_decimal_ntsc_rates_mean_the_exact_rates(written: str | float, exact: Fraction) -> None:
    assert as_rate(written) == exact
