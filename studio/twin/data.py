"""A twin as the renderer reads it: the idle loop and the mouth atlas, held read-only.

One ``TwinData`` is shared by every render thread; nothing in it is written after loading.

Coordinates. Each atlas unit is a crop of the lower face (nose to chin, cheek to cheek) in
the *canonical* frame: the similarity transform that maps the face's stable points
(``STABLE_POINTS``: eye corners and nose bridge, which speech does not move) onto
``Canonical.points``. The same transform, solved for an idle frame, carries a unit back into
that frame, so the unit's jaw drops below the frame's own chin while the head pose of the
frame is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

# Landmarks speech does not move: eye corners (outer, inner) and the nose bridge.
STABLE_POINTS = (33, 133, 362, 263, 168, 6, 197, 195)


@dataclass(frozen=True)
class Canonical:
    """The canonical frame of the atlas crops."""

    size: tuple[int, int]  # (width, height) of every crop, pixels
    points: np.ndarray  # float32 (len(STABLE_POINTS), 2): where the stable points lie in a crop


@dataclass(frozen=True)
class Atlas:
    """The mouth units: one row per unit in every array."""

    crops: np.ndarray  # uint8 (U, h, w, 3) RGB, canonical lower-face crops
    landmarks: np.ndarray  # float32 (U, 478, 2): the unit's landmarks in crop coordinates
    mouth: np.ndarray  # float32 (U, 5) the unit's mouth in the drivers' space (lipsync.mouth)
    visemes: np.ndarray  # float32 (U, 15) visemes heard at the unit's frame; (U, 0) without speech
    source_frame: np.ndarray  # int32 (U,) frame number in the source video (b = a + 1: a natural join)
    embedding: np.ndarray  # float32 (U, E) appearance (PCA of the crops), for the join cost

    def __len__(self) -> int:
        return int(self.crops.shape[0])


@dataclass(frozen=True)
class IdleLoop:
    """The idle loop: played forward and round again (any ping-pong or cross-fade is baked in)."""

    video: Path  # idle.mp4 in the package: H.264, constant frame rate, one frame per loop step
    size: tuple[int, int]  # (width, height) of its frames
    fps: Fraction
    landmarks: np.ndarray  # float32 (L, 478, 3) per loop frame, temporally smoothed (no jitter)
    mouth_closed: np.ndarray  # float32 (L, 5): the measured mouth of each loop frame (near rest)

    def __len__(self) -> int:
        return int(self.landmarks.shape[0])


@dataclass(frozen=True)
class TwinData:
    canonical: Canonical
    atlas: Atlas
    idle: IdleLoop
    rest_unit: int  # the atlas unit of the person's own closed mouth at rest
