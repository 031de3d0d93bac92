"""Per-frame mouth parameters: the contract between lip-sync drivers and renderers."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np

from studio.voice.base import Speech

# Column order of a MouthTrack. Ranges: jaw, round, close, tuck in [0, 1]; width in [-1, 1]
# (negative narrows, positive spreads).
MOUTH_PARAMS = ("jaw", "width", "round", "close", "tuck")
JAW, WIDTH, ROUND, CLOSE, TUCK = range(len(MOUTH_PARAMS))


@dataclass(frozen=True)
class MouthTrack:
    """``values[i]`` is the mouth pose for video frame ``i`` (frame i starts at i / fps)."""

    values: np.ndarray  # float32 (num_frames, len(MOUTH_PARAMS))
    fps: Fraction

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def frame(self, index: int) -> np.ndarray:
        if len(self) == 0:
            return np.zeros(len(MOUTH_PARAMS), np.float32)
        return self.values[min(max(index, 0), len(self) - 1)]


class LipSyncDriver(Protocol):
    """Turns speech into a mouth track. The ONNX audio model implements this too."""

    name: str

    def drive(self, speech: Speech, fps: Fraction, num_frames: int) -> MouthTrack: ...
