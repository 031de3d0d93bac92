"""What the planner tells a twin renderer about one frame, packed in the engine's mouth vector.

The live engine hands each render thread ``render(frame_index, mouth)``; the frames reach the
threads round robin, so a choice that depends on the previous frame's choice is made once, in
order, by the engine's planning thread (``MouthPlanner.plan``), and travels in ``mouth``:

    [jaw, width, round, close, tuck, unit_a, unit_b, mix_b, face, tag]

- the first five are the driver's mouth, untouched (a photo renderer reads only those);
- ``unit_a`` is the chosen atlas unit and ``unit_b`` the previous frame's; the mouth shown is
  ``(1 - mix_b) * a + mix_b * b`` (a quick change blends instead of popping);
- ``face`` in [0, 1] is how much of the atlas mouth is shown over the idle frame's own mouth
  (0 in silence: the person's own closed mouth, untouched);
- ``tag`` names the atlas the units index (``TwinData`` identity), so a plan made for another
  avatar (a swap mid-show) is recognised and replaced by the renderer's own choice.
A plain 5-float mouth (no plan) is valid too: the twin renderer then chooses by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.lipsync.mouth import MOUTH_PARAMS

N_MOUTH = len(MOUTH_PARAMS)
PLAN_WIDTH = N_MOUTH + 5
UNIT_A, UNIT_B, MIX_B, FACE, TAG = range(N_MOUTH, PLAN_WIDTH)


@dataclass(frozen=True)
class FramePlan:
    unit_a: int
    unit_b: int
    mix_b: float
    face: float
    tag: int


def encode(mouth: np.ndarray, plan: FramePlan) -> np.ndarray:
    out = np.empty(PLAN_WIDTH, np.float32)
    out[:N_MOUTH] = mouth[:N_MOUTH]
    out[UNIT_A], out[UNIT_B], out[MIX_B], out[FACE], out[TAG] = (
        plan.unit_a,
        plan.unit_b,
        plan.mix_b,
        plan.face,
        plan.tag,
    )
    return out


def decode(mouth: np.ndarray) -> FramePlan | None:
    """The plan packed in ``mouth``, or None for a plain mouth."""
    if mouth.shape[0] < PLAN_WIDTH:
        return None
    return FramePlan(
        int(mouth[UNIT_A]), int(mouth[UNIT_B]), float(mouth[MIX_B]), float(mouth[FACE]), int(mouth[TAG])
    )
