"""Idle life: blinks, head motion and breathing as pure functions of time.

Everything derives from a seed and the frame time, so any frame can be rendered
alone, in any order, on any thread, and a render is reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BLINK_CLOSE_S = 0.07  # lids fall fast...
BLINK_OPEN_S = 0.13  # ...and rise slower, as in human blinks
BLINK_MIN_GAP_S = 1.8
BLINK_MEAN_GAP_S = 3.6  # ~17 blinks a minute, within the 15-20/min adults show while talking


@dataclass(frozen=True)
class IdlePose:
    blink: float  # 0 open .. 1 closed
    yaw: float  # degrees; small, for a living head
    pitch: float
    roll: float
    dx: float  # head translation as a fraction of face height
    dy: float
    breath: float  # -1 exhale .. 1 inhale


@dataclass(frozen=True)
class IdleMotion:
    seed: int = 7
    head_scale: float = 1.0  # 0 freezes the head (tests), 1 is natural
    max_duration_s: float = 6 * 3600.0

    def blink_starts(self, until_s: float) -> np.ndarray:
        rng = np.random.default_rng(self.seed)
        starts: list[float] = []
        t = 0.6 + rng.uniform(0.0, 1.5)
        while t < until_s:
            starts.append(t)
            # Occasionally a quick double blink, as people do.
            if rng.uniform() < 0.12:
                starts.append(t + BLINK_CLOSE_S + BLINK_OPEN_S + 0.08)
            t += BLINK_MIN_GAP_S + rng.exponential(BLINK_MEAN_GAP_S - BLINK_MIN_GAP_S)
        return np.array(starts)

    def blink_at(self, t: float, starts: np.ndarray) -> float:
        i = int(np.searchsorted(starts, t, side="right")) - 1
        if i < 0:
            return 0.0
        dt = t - float(starts[i])
        if dt < BLINK_CLOSE_S:
            x = dt / BLINK_CLOSE_S
            return float(x * x * (3 - 2 * x))
        dt -= BLINK_CLOSE_S
        if dt < BLINK_OPEN_S:
            x = 1.0 - dt / BLINK_OPEN_S
            return float(x * x * (3 - 2 * x))
        return 0.0

    def pose_at(self, t: float, starts: np.ndarray) -> IdlePose:
        phase = self.seed * 0.7311
        s = self.head_scale

        def wave(freqs: tuple[float, ...], amp: float, offset: float) -> float:
            # Incommensurate sines never visibly repeat over a show.
            total = sum(math.sin(2 * math.pi * f * t + offset + k * 1.7) for k, f in enumerate(freqs))
            return amp * total / len(freqs)

        return IdlePose(
            blink=self.blink_at(t, starts),
            yaw=s * wave((0.071, 0.113, 0.29), 2.2, phase),
            pitch=s * wave((0.053, 0.127, 0.31), 1.6, phase + 1.3),
            roll=s * wave((0.061, 0.097), 1.2, phase + 2.1),
            dx=s * wave((0.043, 0.089), 0.006, phase + 0.4),
            dy=s * wave((0.037, 0.101), 0.004, phase + 2.9),
            breath=math.sin(2 * math.pi * 0.24 * t + phase),
        )
