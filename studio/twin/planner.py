"""The twin's mouth planner: which atlas unit each frame shows, decided once, in frame order.

Live (``plan``): a receding horizon. Each frame, Viterbi runs over the driver's mouth for this
frame and the frames the source already knows ahead, starting from the unit shown last; only
the first step is emitted, and the window slides on. A render (``plan_track``) runs Viterbi
over the whole track at once. Both emit ``plan.encode`` vectors the renderers read.
"""

from __future__ import annotations

import numpy as np

from studio.lipsync.mouth import CLOSE
from studio.lipsync.visemes import VISEME_POSES
from studio.twin import plan as P
from studio.twin.data import TwinData
from studio.twin.select import WEIGHTS, Costs, UnitIndex, atlas_tag, viterbi, viterbi_track

HORIZON = 8  # frames of look-ahead used live (the engine plans ~6 ahead)
MIN_WINDOW = 4  # frames the live choice weighs, the last known mouth held where none is known
# Lips resting together read as rest whether a driver says close 0 (the live engine's silent
# REST) or the "sil" pose's light closure (0.3): only a closure beyond that is a shape (p b m).
_REST_CLOSE = VISEME_POSES["sil"][CLOSE]
# ``face``: 0 up to FACE_FROM (weighted distance of the driver's mouth from rest), 1 from
# FACE_FULL; it rises at once and falls by FACE_RELEASE a frame, so the person's own mouth
# comes back over a few frames after speech instead of flickering between words.
FACE_FROM, FACE_FULL, FACE_RELEASE = 0.04, 0.16, 0.25
MIX_JOIN = 0.5  # a join that is not natural shows half of the previous unit for one frame


def face_amount(mouth: np.ndarray) -> np.ndarray:
    """How far each driver mouth (..., 5) is from rest, mapped to [0, 1]."""
    m = np.asarray(mouth, np.float32)[..., : len(WEIGHTS)].copy()
    m[..., CLOSE] = np.maximum(m[..., CLOSE] - _REST_CLOSE, 0.0)
    dist = np.sqrt((m * m * np.asarray(WEIGHTS, np.float32)).sum(-1))
    return np.clip((dist - FACE_FROM) / (FACE_FULL - FACE_FROM), 0.0, 1.0)


class TwinPlanner:
    """``MouthPlanner`` for a twin. Called by one thread, in frame order."""

    def __init__(self, data: TwinData, costs: Costs | None = None, horizon: int = HORIZON) -> None:
        self.index = UnitIndex(data.atlas, costs)
        self.tag = atlas_tag(data.atlas)
        self.rest_unit = data.rest_unit
        self.horizon = horizon
        self._previous = -1
        self._face = 0.0

    def reset(self) -> None:
        self._previous, self._face = -1, 0.0

    def plan(self, frame_index: int, mouth: np.ndarray, ahead: np.ndarray) -> np.ndarray:
        mouth = np.asarray(mouth, np.float32)[: P.N_MOUTH]
        ahead = np.asarray(ahead, np.float32)
        if ahead.ndim != 2:
            ahead = ahead.reshape(-1, P.N_MOUTH)
        window = np.concatenate([mouth[None, :], ahead[: self.horizon, : P.N_MOUTH]])
        if len(window) < MIN_WINDOW:
            # The microphone knows no frame ahead. Over one frame, no mouth is worth a join, so
            # the footage's own next frame would always win and the mouth would run on by itself;
            # assuming the mouth holds for a few frames weighs the two as the look-ahead would.
            window = np.concatenate([window, np.repeat(window[-1:], MIN_WINDOW - len(window), axis=0)])
        start = self._previous if self._previous >= 0 else None
        unit = int(viterbi(self.index, window, start)[0])
        return P.encode(mouth, self._step(unit, float(face_amount(mouth))))

    def plan_track(self, values: np.ndarray) -> np.ndarray:
        values = np.atleast_2d(np.asarray(values, np.float32))[:, : P.N_MOUTH]
        self.reset()
        out = np.empty((values.shape[0], P.PLAN_WIDTH), np.float32)
        if values.shape[0] == 0:
            return out
        units = viterbi_track(self.index, values)
        faces = face_amount(values)
        for i in range(values.shape[0]):
            out[i] = P.encode(values[i], self._step(int(units[i]), float(faces[i])))
        return out

    def _step(self, unit: int, face: float) -> P.FramePlan:
        previous = self._previous if self._previous >= 0 else unit
        mix = 0.0 if self.index.natural(previous, unit) else MIX_JOIN
        self._face = max(face, self._face - FACE_RELEASE)
        self._previous = unit
        return P.FramePlan(unit, previous, mix, self._face, self.tag)
