"""Frame -> (checklist, faces), fast enough for a live preview.

MediaPipe looks at a few hundred pixels whatever it is given, so a frame is shrunk to
``max_side`` first (copying a 1080p frame into MediaPipe costs more than finding the face in
it), searched in one pass, and the landmarks are scaled back to the frame's own pixels,
in which the checklist measures. About 10 ms per 640x480 frame on one laptop core.
"""

from __future__ import annotations

import time

import cv2
import numpy as np

from studio.capture.checklist import DEFAULT_CAPTURE_THRESHOLDS, CaptureThresholds, Checklist, assess
from studio.face.landmarker import FaceLandmarker, FaceObservation

LIVE_MAX_SIDE = 640
# Two is enough to say "2 faces found"; more only costs time on every frame.
LIVE_MAX_FACES = 2


class FrameAnalyzer:
    """Owns a ``FaceLandmarker``; one analyzer per thread. Use as a context manager."""

    def __init__(
        self,
        max_side: int = LIVE_MAX_SIDE,
        thresholds: CaptureThresholds = DEFAULT_CAPTURE_THRESHOLDS,
        max_faces: int = LIVE_MAX_FACES,
    ) -> None:
        self.max_side = max_side
        self.thresholds = thresholds
        self._landmarker = FaceLandmarker(max_faces=max_faces)
        self.frames = 0
        self.total_ms = 0.0
        self.last_ms = 0.0

    @property
    def mean_ms(self) -> float:
        """Mean analysis time per frame so far, in milliseconds."""
        return self.total_ms / self.frames if self.frames else 0.0

    def faces(self, frame: np.ndarray, *, search: bool = False) -> list[FaceObservation]:
        """Faces in an RGB uint8 frame, landmarks in the frame's pixels. ``search=True`` adds
        the landmarker's window search (stills, where a small face matters more than time)."""
        height, width = frame.shape[:2]
        scale = min(1.0, self.max_side / max(width, height))
        small = frame
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        found = self._landmarker.detect(small, search=search)
        if scale == 1.0:
            return found
        # x and y back to frame pixels along both axes (rounding makes them differ slightly).
        factors = np.array(
            [width / small.shape[1], height / small.shape[0], width / small.shape[1]], np.float32
        )
        return [FaceObservation(f.landmarks * factors, f.blendshapes, f.transform) for f in found]

    def analyse(self, frame: np.ndarray, *, search: bool = False) -> tuple[Checklist, list[FaceObservation]]:
        start = time.perf_counter()
        faces = self.faces(frame, search=search)
        checklist = assess(frame, faces, self.thresholds)
        self.last_ms = (time.perf_counter() - start) * 1000.0
        self.frames += 1
        self.total_ms += self.last_ms
        return checklist, faces

    def close(self) -> None:
        self._landmarker.close()

    def __enter__(self) -> FrameAnalyzer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
