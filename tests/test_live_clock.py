"""Master clocks: video follows the sound card's own pace, for hours, whatever its bursts."""

from __future__ import annotations

import threading

import pytest

from studio.live.clock import CaptureClock, FreeRunClock, MonotonicClock, PlaybackClock

RATE = 48_000
BLOCK = 480  # a 10 ms device callback


class SoundCard:
    """A card whose crystal runs ``ppm`` fast: it fills a ``buffer`` at once when started, then
    takes a block each time it has played one. ``t`` is the test's time."""

    def __init__(self, ppm: float, buffer: int = 4096) -> None:
        self.ppm, self.buffer = ppm, buffer
        self.t = 0.0
        self.stopped_at: float | None = None

    def first_callback(self) -> float:
        return 0.0

    def position(self) -> tuple[int, float]:
        t = self.t if self.stopped_at is None else min(self.t, self.stopped_at)
        speed = RATE * (1 + self.ppm * 1e-6)
        blocks = int(t * speed // BLOCK)
        return self.buffer + blocks * BLOCK, blocks * BLOCK / speed  # count, time of that callback


def run(
    clock: PlaybackClock, card: SoundCard, seconds: float, step: float = 0.007
) -> list[tuple[float, float]]:
    out = []
    n = int(seconds / step)
    for k in range(1, n + 1):
        card.t = k * step
        out.append((card.t, clock.now()))
    return out


def test_the_playback_clock_follows_a_fast_card_for_an_hour_without_its_bursts() -> None:
    card = SoundCard(ppm=300)
    clock = PlaybackClock(RATE, card.position, time_fn=lambda: card.t, first_callback=card.first_callback)
    clock.start()
    last = -1.0
    worst = 0.0
    for t, now in run(clock, card, 3600.0, step=0.0473):  # not a multiple of the period
        assert now >= last  # never backwards
        last = now
        if t > 30:  # once the average has settled: the card's pace, within 2 ms
            worst = max(worst, abs(now - t * RATE * 1.0003))
    assert worst < 0.002 * RATE
    # The timer alone would be 1.08 s (32 frames) behind the sound by now.
    assert last - card.t * RATE == pytest.approx(0.0003 * card.t * RATE, abs=0.002 * RATE)
    assert clock.drift_ppm == pytest.approx(300, abs=5)


def test_the_card_filling_its_buffer_at_the_start_does_not_move_the_show() -> None:
    card = SoundCard(ppm=0, buffer=19_285)  # seen on a card with 400 ms of hidden buffer
    clock = PlaybackClock(RATE, card.position, time_fn=lambda: card.t, first_callback=card.first_callback)
    clock.start(preroll_s=0.2)
    samples = run(clock, card, 5.0)
    assert samples[0][1] == pytest.approx(-0.2 * RATE + 0.007 * RATE, abs=1)  # pre-roll, not 400 ms ahead
    assert all(abs(now - (t - 0.2) * RATE) < 0.001 * RATE for t, now in samples)


def test_a_card_that_stops_cannot_stop_the_show() -> None:
    card = SoundCard(ppm=0)
    clock = PlaybackClock(RATE, card.position, time_fn=lambda: card.t, first_callback=card.first_callback)
    clock.start()
    run(clock, card, 10.0)
    card.stopped_at = 10.0  # unplugged
    samples = run(clock, card, 20.0)
    late = [now for t, now in samples if t > 15]
    # It keeps going at nearly the timer's pace (the correction moves at most 0.1 %).
    assert late[-1] - late[0] == pytest.approx((20 - 15 - 0.007) * RATE, rel=0.002)


def test_the_capture_clock_is_the_microphone_count_at_most_50_ms_ahead() -> None:
    t = [0.0]
    clock = CaptureClock(RATE, lambda: (96_000, 2.0), time_fn=lambda: t[0])
    t[0] = 2.01
    assert clock.now() == pytest.approx(96_000 + 480)
    t[0] = 2.8  # the microphone is late: frames wait for its sound, the clock does not run away
    assert clock.now() == pytest.approx(96_000 + 0.05 * RATE)


def test_the_monotonic_clock_counts_from_start_after_the_preroll() -> None:
    t = [100.0]
    clock = MonotonicClock(RATE, time_fn=lambda: t[0])
    t[0] = 105.0
    clock.start(preroll_s=0.5)
    assert clock.now() == pytest.approx(-0.5 * RATE)
    t[0] = 107.0
    assert clock.now() == pytest.approx(1.5 * RATE)


def test_waiting_returns_at_the_deadline_or_on_stop() -> None:
    clock = MonotonicClock(RATE)
    stop = threading.Event()
    assert clock.wait_until(clock.now() + 0.02 * RATE, stop)
    assert clock.now() >= 0.02 * RATE
    stop.set()
    assert not clock.wait_until(clock.now() + 60 * RATE, stop)  # returns at once, not in a minute


def test_the_free_running_clock_jumps_to_each_deadline() -> None:
    clock = FreeRunClock(RATE)
    stop = threading.Event()
    assert clock.wait_until(10 * 3600 * RATE, stop)
    assert clock.now() == 10 * 3600 * RATE
    assert clock.wait_until(5, stop) and clock.now() == 10 * 3600 * RATE


def test_a_card_that_starts_late_starts_the_show_late_not_the_voice() -> None:
    late, t = 0.3, [0.0]  # a sound server that runs the card's first callback 300 ms in

    def position() -> tuple[int, float]:
        if t[0] < late:
            return 0, 0.0
        blocks = int((t[0] - late) * RATE // BLOCK)
        return 4096 + blocks * BLOCK, late + blocks * BLOCK / RATE

    clock = PlaybackClock(RATE, position, time_fn=lambda: t[0])
    clock.start(preroll_s=0.2)
    readings = []
    for k in range(1, 400):
        t[0] = k * 0.007
        readings.append((t[0], clock.now()))
    assert [now for _, now in readings] == sorted(now for _, now in readings)  # never backwards
    # Show time 0 is the pre-roll after the card's first callback, not after the engine start:
    # the voice handed to the card at pts + pre-roll is heard with its frame.
    after = [(t_, now) for t_, now in readings if t_ > late + 0.5]
    assert all(abs(now - (t_ - late - 0.2) * RATE) < 0.001 * RATE for t_, now in after)
