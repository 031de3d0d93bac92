"""Master clocks: video follows the audio device's own sample count, for hours."""

from __future__ import annotations

import threading

import pytest

from studio.live.clock import DeviceClock, FreeRunClock, MonotonicClock

RATE = 48_000
BLOCK = 480  # a 10 ms device callback


class SkewedDevice:
    """A sound card whose crystal runs ``ppm`` fast; it reports its count once per block."""

    def __init__(self, ppm: float) -> None:
        self.ppm = ppm
        self.t = 0.0

    def position(self) -> tuple[int, float]:
        played = self.t * RATE * (1 + self.ppm * 1e-6)
        blocks = int(played // BLOCK)
        at = blocks * BLOCK / (RATE * (1 + self.ppm * 1e-6))
        return blocks * BLOCK, at


def test_a_device_clock_follows_a_fast_sound_card_for_an_hour() -> None:
    device = SkewedDevice(ppm=300)
    clock = DeviceClock(RATE, device.position, time_fn=lambda: device.t)
    last = 0.0
    for step in range(0, 3600 * 100 + 1, 7):  # every 70 ms of an hour
        device.t = step / 100
        now = clock.now()
        assert now >= last  # never backwards
        last = now
        assert abs(now - device.t * RATE * 1.0003) <= BLOCK  # within one callback of the sound
    # A wall clock would be 1.08 s (32 frames) behind the sound by now: the device clock is not.
    assert device.t > 3599
    assert last - device.t * RATE == pytest.approx(0.0003 * device.t * RATE, abs=BLOCK)


def test_a_late_device_holds_the_clock_at_most_50_ms_ahead() -> None:
    t = [0.0]
    clock = DeviceClock(RATE, lambda: (96_000, 2.0), time_fn=lambda: t[0])
    t[0] = 2.01
    assert clock.now() == pytest.approx(96_000 + 480)
    t[0] = 2.8  # the device is 0.8 s late calling back: video must not run away from the sound
    assert clock.now() == pytest.approx(96_000 + 0.05 * RATE)
    assert not clock.stalled


def test_the_monotonic_clock_counts_from_start() -> None:
    t = [100.0]
    clock = MonotonicClock(RATE, time_fn=lambda: t[0])
    t[0] = 105.0
    clock.start()
    t[0] = 106.5
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


def test_a_device_that_stops_hands_over_to_the_timer_and_back() -> None:
    t, pos = [0.0], [(0, 0.0)]
    clock = DeviceClock(RATE, lambda: pos[0], time_fn=lambda: t[0], stall_s=1.0)
    for step in range(1, 101):  # one second of 10 ms callbacks
        t[0] = step / 100
        pos[0] = (step * BLOCK, t[0])
        clock.now()
    assert clock.now() == pytest.approx(RATE, abs=BLOCK)
    for step in range(101, 301):  # the device went quiet at 1 s (unplugged); asked every 10 ms
        t[0] = step / 100
        clock.now()
    # It held at most 50 ms past the device for the stall time (1 s), then ran on the timer.
    assert clock.stalled and clock.stalls == 1
    assert clock.now() == pytest.approx((1.05 + 0.99) * RATE, abs=0.02 * RATE)
    held = clock.now()
    pos[0] = (RATE + BLOCK, 3.01)  # back, its count where it stopped
    t[0] = 3.01
    back = clock.now()
    assert not clock.stalled and back >= held  # never backwards
    t[0], pos[0] = 3.51, (RATE + BLOCK + RATE // 2, 3.51)
    assert clock.now() == pytest.approx(back + RATE // 2, abs=BLOCK)  # and at the device's pace


def test_a_device_clock_may_start_behind_zero() -> None:
    clock = DeviceClock(RATE, lambda: (-4800, 0.0), time_fn=lambda: 0.0)
    assert clock.now() == -4800


def test_a_device_that_never_called_back_hands_over_from_zero() -> None:
    t = [0.0]
    clock = DeviceClock(RATE, lambda: (0, 0.0), time_fn=lambda: t[0])
    assert clock.now() == 0
    t[0] = 1.5
    assert clock.now() == 0.0 and clock.stalled  # stalled: from here on the timer counts
    t[0] = 2.5
    assert clock.now() == pytest.approx(RATE)
    mic = DeviceClock(RATE, lambda: (0, 0.0), time_fn=lambda: t[0], stall_s=None)
    assert mic.now() == pytest.approx(0.05 * RATE) and not mic.stalled  # a microphone never hands over
