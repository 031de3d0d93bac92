"""Mouth poses from streamed model weights, one video frame at a time (the live microphone).

The offline ``ModelDriver`` sees the whole utterance; live, a frame must be posed as soon as
the model frames under it exist. The same rules apply: model frame ``k`` (centre at
``(k + 0.5) * 10 ms``) belongs to the video frame its centre falls in, weights are sharpened
and blended into a pose, a confident closure or tuck is shown in full, and every parameter
moves at most ``max_speed`` per second (here causally: no future frames to borrow from).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from studio.lipsync.model_driver import sharpen
from studio.lipsync.mouth import CLOSE, MOUTH_PARAMS, TUCK
from studio.lipsync.visemes import VISEMES, pose_matrix

_PP, _FF = VISEMES.index("PP"), VISEMES.index("FF")


def last_model_frame(video_frame: int, fps: Fraction) -> int:
    """The last model frame whose centre falls in ``video_frame`` (may precede its first)."""
    # centre (2k+1)/200 s < (i+1)/fps  <=>  (2k+1) * num < 200 * den * (i+1)
    bound = 200 * fps.denominator * (video_frame + 1)
    return ((bound - 1) // fps.numerator - 1) // 2


def video_frame_of(model_frame: int, fps: Fraction) -> int:
    return ((2 * model_frame + 1) * fps.numerator) // (200 * fps.denominator)


class StreamPoser:
    def __init__(self, fps: Fraction, sharpness: float = 2.0, max_speed: float = 14.0) -> None:
        self.fps = Fraction(fps)
        self._sharpness = sharpness
        self._step = max_speed / float(self.fps)
        self._poses = pose_matrix().astype(np.float64)
        self._pending: list[np.ndarray] = []  # weights not yet used, from model frame _first
        self._first = 0
        self._previous = np.zeros(len(MOUTH_PARAMS))

    def push(self, weights: np.ndarray) -> None:
        self._pending.extend(np.asarray(weights, np.float64))

    @property
    def frames_received(self) -> int:
        return self._first + len(self._pending)

    def ready(self, video_frame: int) -> bool:
        return self.frames_received > last_model_frame(video_frame, self.fps)

    def pose(self, video_frame: int) -> np.ndarray:
        """The pose of ``video_frame``; call in order once ``ready``. Uses up its model frames."""
        last = last_model_frame(video_frame, self.fps)
        take = max(last + 1 - self._first, 0)
        mine = [
            w
            for k, w in enumerate(self._pending[:take])
            if video_frame_of(self._first + k, self.fps) == video_frame
        ]
        del self._pending[:take]
        self._first += take
        if not mine:  # above 100 fps a video frame can hold no model frame centre: keep the pose
            return self._previous.astype(np.float32)
        weights = np.array(mine)
        target = sharpen(weights, self._sharpness).mean(axis=0) @ self._poses
        peak_pp, peak_ff = weights[:, _PP].max(), weights[:, _FF].max()
        if peak_pp > 0.5:
            target[CLOSE] = max(target[CLOSE], peak_pp)
        if peak_ff > 0.5:
            target[TUCK] = max(target[TUCK], 0.9 * peak_ff)
        step = np.clip(target - self._previous, -self._step, self._step)
        pose = self._previous + step
        # A closure the model is sure of is reached at once: a bilabial that only half closes
        # reads as a mumble, and the offline driver keeps such peaks too.
        for j in (CLOSE, TUCK):
            pose[j] = max(pose[j], target[j]) if target[j] > 0.5 else pose[j]
        self._previous = pose
        return pose.astype(np.float32)
