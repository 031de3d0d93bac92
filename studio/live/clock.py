"""The show's master clock, counted in audio samples since the show started.

Audio is the master: when a voice goes to an audio device, the device's own sample count
is the clock, so video follows the sound even when the sound card's crystal runs a little
fast or slow (100 ppm is 0.36 s an hour, which is how peers drift out of sync overnight).
Deadlines are absolute sample positions, never "sleep one frame", so scheduling errors
cannot add up.
"""

from __future__ import annotations

import math
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
    """An audio device's sample count (the voice output, or the microphone).

    Between callbacks the clock runs on the monotonic timer, at most 50 ms past the last one,
    so video never runs away from a device that is merely late. A device silent for longer
    than ``stall_s`` (unplugged, or taken by another app) is declared stalled, and the clock
    carries on from where it was on the monotonic timer, so the video, the recording and
    the stream go on; it follows the device again when it comes back, from where it had got
    to (the device's sound is then late by the stall: a restart of the show realigns it).
    ``stall_s=None`` never hands over: for the microphone, whose sound every frame waits for.
    """

    def __init__(
        self,
        sample_rate: int,
        position: Position,
        time_fn: Callable[[], float] = time.monotonic,
        stall_s: float | None = 1.0,
    ) -> None:
        super().__init__(sample_rate, time_fn)
        self._position = position
        self._stall = stall_s
        self._last = -math.inf  # a device may start behind zero (a pre-roll)
        self._free_since: tuple[float, float] | None = None  # (clock, time) when it stalled
        self._offset = 0.0  # added to the device's count after a stall, so time never jumps back
        self._lock = threading.Lock()
        self.stalls = 0

    @property
    def stalled(self) -> bool:
        return self._free_since is not None

    def now(self) -> float:
        samples, at = self._position()
        t = self._time()
        since = max(t - at, 0.0)
        with self._lock:
            if self._stall is not None and since > self._stall:
                if self._free_since is None:
                    self.stalls += 1
                    self._free_since = (max(self._last, samples), t)
                base, began = self._free_since
                self._last = max(self._last, base + (t - began) * self.sample_rate)
                return self._last
            if self._free_since is not None:
                # Back from a stall: follow the device again from where the clock has got to.
                self._offset = self._last - samples
                self._free_since = None
            self._last = max(self._last, samples + self._offset + min(since, 0.05) * self.sample_rate)
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
