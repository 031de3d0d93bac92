"""The show's master clock, counted in audio samples since the show started.

Audio is the master: when a voice goes to an audio device, the device's own pace times the
frames, so video follows the sound even when the sound card's crystal runs a little fast or
slow (100 ppm is 0.36 s an hour, which is how peers drift out of sync overnight). Deadlines
are absolute sample positions, never "sleep one frame", so scheduling errors cannot add up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

# (samples the device has taken or delivered, time.monotonic() of that callback)
Position = Callable[[], tuple[int, float]]


class MasterClock(Protocol):
    sample_rate: int

    def start(self, preroll_s: float = 0.0) -> None:
        """Called by the engine as the show starts: show time 0 comes ``preroll_s`` later, so
        the first frames have time to render."""
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
        pass

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


DEAD_S = 0.25  # a card silent this long is not running: its count says nothing about its pace


class PlaybackClock(MonotonicClock):
    """The voice's sound card: the timer, corrected to the card's own pace.

    A card takes samples in bursts (it fills its buffer at the start, then a period at a time)
    and not every driver reports its buffer truthfully, so its raw count is no clock. Its
    *pace* is: the clock is the timer plus how far the card's count has drifted from the timer
    since the show began (averaged over seconds, so periods do not jitter it). The correction
    moves at most ``max_ppm``, and stops while the card is not calling back, so a card that
    stops (unplugged) cannot stop or slow the show. Time runs from the card's first callback.
    Sound handed to the card at position ``p`` is heard when the card has played its buffer,
    which it filled at the start, so pts and this clock meet.
    """

    def __init__(
        self,
        sample_rate: int,
        position: Position,
        time_fn: Callable[[], float] = time.monotonic,
        settle_s: float = 1.0,
        average_s: float = 5.0,
        max_ppm: float = 1000.0,
        first_callback: Callable[[], float | None] | None = None,
    ) -> None:
        """``first_callback``: when the card first called back (``time.monotonic()``), if the
        output knows; otherwise the time of the first callback this clock sees is used."""
        super().__init__(sample_rate, time_fn)
        self._position = position
        self._first_callback = first_callback
        self._settle, self._average, self._max_rate = settle_s, average_s, max_ppm * 1e-6
        self._began = self._start
        self._reference: float | None = None  # the card's lead over the timer once settled
        self._drift = 0.0  # averaged lead minus the reference: what the clock adds
        self._smoothed: float | None = None
        self._sum = self._span = 0.0
        self._updated = self._start
        self._last = -float("inf")
        self._lock = threading.Lock()
        self._preroll = 0.0
        self._first: float | None = None  # time of the card's first callback

    def start(self, preroll_s: float = 0.0) -> None:
        with self._lock:
            super().start(preroll_s)
            self._preroll = preroll_s
            self._began = self._updated = self._time()
            self._first = None
            self._reference, self._smoothed, self._sum, self._span, self._drift = None, None, 0.0, 0.0, 0.0
            self._last = -float("inf")

    def now(self) -> float:
        samples, at = self._position()
        with self._lock:
            t = self._time()
            if self._first is None and samples > 0:
                # Time runs from the card's first callback: a card that starts late (Bluetooth,
                # a sound server) must not leave the voice behind the picture for the show.
                known = self._first_callback() if self._first_callback is not None else None
                self._first = self._began = self._updated = known if known is not None else at
                self._start = self._first + self._preroll
            elapsed = t - self._began
            lead = samples - elapsed * self.sample_rate
            step = max(t - self._updated, 0.0)
            if self._first is None or t - at > DEAD_S:
                pass  # not started, or not calling back: nothing to learn about its pace
            elif self._settle / 2 <= elapsed < self._settle:
                # The reference is the mean lead over a stretch after the start-up burst:
                # any one reading is off by up to a period.
                self._sum += lead * step
                self._span += step
            elif elapsed >= self._settle:
                if self._reference is None:
                    self._reference = self._sum / self._span if self._span > 0 else lead
                    self._smoothed = self._reference
                assert self._smoothed is not None
                self._smoothed += min(step / self._average, 1.0) * (lead - self._smoothed)
                wanted = self._smoothed - self._reference
                limit = self._max_rate * step * self.sample_rate
                self._drift += min(max(wanted - self._drift, -limit), limit)
            self._updated = t
            self._last = max(self._last, MonotonicClock.now(self) + self._drift)
            return self._last

    @property
    def drift_ppm(self) -> float:
        """How far the card's pace differs from the timer's, so far (for the status line)."""
        elapsed = max(self._time() - self._began, 1e-9)
        return 1e6 * self._drift / (elapsed * self.sample_rate)


class CaptureClock(_SleepingClock):
    """A microphone's sample count: every frame waits for its sound, so its time is when the
    sound has arrived. Between callbacks the clock runs on the timer, at most 50 ms past the
    last one, and never backwards."""

    def __init__(
        self, sample_rate: int, position: Position, time_fn: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(sample_rate, time_fn)
        self._position = position
        self._last = -float("inf")
        self._lock = threading.Lock()

    def now(self) -> float:
        samples, at = self._position()
        ahead = min(max(self._time() - at, 0.0), 0.05) * self.sample_rate
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


def show_clock(rate: int, preroll: int, mic: Any = None, audio_device: Any = None) -> MasterClock:
    """A live show's master clock: audio is the master. The microphone's count (``mic``: its
    ``MicSource``), else the voice card's pace (``audio_device``), else the timer. ``preroll``:
    samples between the start and show time 0 (time to render the first frames)."""
    if mic is not None:
        clock = CaptureClock(rate, mic.position)
        if audio_device is not None:
            # The voice passed through plays when its frame is shown, by the mic's clock.
            audio_device.follow(clock.now, mic.delay_samples)
        return clock
    if audio_device is None:
        return MonotonicClock(rate)
    audio_device.offset_ms += 1000 * preroll / rate  # the card plays pts 0 at show time 0 too
    return PlaybackClock(rate, audio_device.position, first_callback=lambda: audio_device.first_callback_at)
