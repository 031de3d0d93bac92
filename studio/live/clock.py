"""The show's master clock, counted in audio samples since the show started.

Audio is the master: when a voice goes to an audio device, the device's own sample count
is the clock, so video follows the sound even when the sound card's crystal runs a little
fast or slow (100 ppm is 0.36 s an hour, which is how peers drift out of sync overnight).
Deadlines are absolute sample positions, never "sleep one frame", so scheduling errors
cannot add up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

# A device reports its position only when its callback runs (every 5-20 ms); between
# reports the clock runs on the monotonic timer, and never backwards.
Position = Callable[[], tuple[int, float]]


class MasterClock(Protocol):
    sample_rate: int

    def start(self, preroll_s: float = 0.0) -> None:
        """Called by the engine as the show starts; a clock of its own (not a device's) reaches
        zero ``preroll_s`` later, so the first frames have time to render."""
        ...

    def now(self) -> float:
        """Samples since the show started."""
        ...

    def wait_until(self, sample: float, stop: threading.Event) -> bool:
        """Block until the clock reaches ``sample``; False if ``stop`` was set first."""
        ...


class _SleepingClock:
    """Shared waiting: sleep for the expected time left, then check again."""

    sample_rate: int

    def __init__(self, sample_rate: int, time_fn: Callable[[], float]) -> None:
        self.sample_rate = sample_rate
        self._time = time_fn

    def start(self, preroll_s: float = 0.0) -> None:
        pass  # a device starts counting when its stream starts; nothing to move

    def now(self) -> float:
        raise NotImplementedError

    def wait_until(self, sample: float, stop: threading.Event) -> bool:
        while True:
            left = (sample - self.now()) / self.sample_rate
            if left <= 0:
                return not stop.is_set()
            # Short naps near the deadline: Event.wait can oversleep by a millisecond or so.
            if stop.wait(min(left, 0.05) if left > 0.003 else left):
                return False


class MonotonicClock(_SleepingClock):
    """The system's monotonic timer, for shows with no audio device (recording, RTMP, vcam)."""

    def __init__(self, sample_rate: int, time_fn: Callable[[], float] = time.monotonic) -> None:
        super().__init__(sample_rate, time_fn)
        self._start = time_fn()

    def start(self, preroll_s: float = 0.0) -> None:
        self._start = self._time() + preroll_s

    def now(self) -> float:
        return (self._time() - self._start) * self.sample_rate


class DeviceClock(_SleepingClock):
    """An audio device's sample count (the voice output, or the microphone)."""

    def __init__(
        self, sample_rate: int, position: Position, time_fn: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(sample_rate, time_fn)
        self._position = position
        self._last = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        samples, at = self._position()
        # Interpolate since the last callback, but no further than one block ahead: a stalled
        # device must stall the clock rather than let video run away from the sound.
        ahead = min(max(self._time() - at, 0.0) * self.sample_rate, 0.05 * self.sample_rate)
        with self._lock:
            self._last = max(self._last, samples + ahead)
            return self._last


class FreeRunClock:
    """A virtual clock that is always exactly where the engine next wants it: the engine runs
    as fast as it can, for soak tests of hours of show in minutes and for rendering ahead."""

    virtual = True  # the engine neither skips nor counts late frames on a virtual clock

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._now = 0.0
        self._lock = threading.Lock()

    def start(self, preroll_s: float = 0.0) -> None:
        pass

    def now(self) -> float:
        with self._lock:
            return self._now

    def wait_until(self, sample: float, stop: threading.Event) -> bool:
        with self._lock:
            self._now = max(self._now, sample)
        return not stop.is_set()
