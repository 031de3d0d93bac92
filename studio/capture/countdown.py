"""The capture countdown: 3, 2, 1, capture, as long as every check keeps passing.

A pure state machine fed explicit times, so it is tested without a clock and the UI only
draws what ``update`` returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum


class Phase(Enum):
    WAITING = "waiting"  # the checks do not pass (yet): nothing is counted
    COUNTING = "counting"  # seconds_left shows 3, 2, 1
    CAPTURE = "capture"  # take the picture now (returned once)
    DONE = "done"  # captured; further updates change nothing until reset()


@dataclass(frozen=True)
class CountdownState:
    phase: Phase
    seconds_left: int = 0  # what to show while COUNTING: ceil of the time still to wait

    @property
    def capture_now(self) -> bool:
        return self.phase is Phase.CAPTURE


class Countdown:
    """Counts ``seconds`` of uninterrupted passing checks, then says capture.

    A failing check during the count starts it again from the full time, so the picture is
    only taken after the person has held a good position for the whole count.
    """

    def __init__(self, seconds: float = 3.0) -> None:
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        self.seconds = seconds
        self._started: float | None = None
        self._done = False

    def reset(self) -> None:
        self._started = None
        self._done = False

    def update(self, now: float, all_ok: bool) -> CountdownState:
        if self._done:
            return CountdownState(Phase.DONE)
        if not all_ok:
            self._started = None
            return CountdownState(Phase.WAITING, math.ceil(self.seconds))
        if self._started is None:
            self._started = now
        left = self.seconds - (now - self._started)
        if left <= 0:
            self._done = True
            return CountdownState(Phase.CAPTURE)
        return CountdownState(Phase.COUNTING, math.ceil(left))
