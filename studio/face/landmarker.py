"""MediaPipe Face Landmarker (Tasks API) on a still image.

The model is committed under ``onnx_models/``; nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from studio.errors import StudioError
from studio.face.mediapipe_offline import silence_usage_upload
from studio.resources import FACE_LANDMARKER_MODEL, model_path
from studio.translation import tr

# mediapipe logs through glog/absl to stderr at import; keep a user's terminal clean.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@dataclass(frozen=True)
class FaceObservation:
    """One face. ``landmarks`` are (478, 3): x, y in pixels of the analysed image, z in the
    same pixel scale (MediaPipe's relative depth)."""

    landmarks: np.ndarray
    blendshapes: dict[str, float]
    transform: np.ndarray  # 4x4 face pose in MediaPipe's canonical space

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        x, y = self.landmarks[:, 0], self.landmarks[:, 1]
        return float(x.min()), float(y.min()), float(x.max()), float(y.max())

    @property
    def pose_degrees(self) -> tuple[float, float, float]:
        """(yaw, pitch, roll) of the head from the transform's rotation."""
        return rotation_to_euler(self.transform[:3, :3])


def rotation_to_euler(r: np.ndarray) -> tuple[float, float, float]:
    """Yaw (turn), pitch (nod) and roll (tilt) in degrees, for R = Rz(roll) Ry(yaw) Rx(pitch)."""
    yaw = math.degrees(math.asin(max(-1.0, min(1.0, -float(r[2, 0])))))
    pitch = math.degrees(math.atan2(float(r[2, 1]), float(r[2, 2])))
    roll = math.degrees(math.atan2(float(r[1, 0]), float(r[0, 0])))
    return yaw, pitch, roll


class FaceLandmarker:
    """Finds up to ``max_faces`` faces in an RGB image. Use as a context manager."""

    def __init__(self, max_faces: int = 4) -> None:
        path = model_path(FACE_LANDMARKER_MODEL)
        if not path.is_file():
            raise StudioError(
                tr("the face model is missing at {path}").format(path=path), tr("Reinstall Studio.")
            )
        try:
            model = path.read_bytes()
        except OSError as exc:
            raise StudioError(
                tr("the face model at {path} cannot be read ({reason}).").format(
                    path=path, reason=exc.strerror
                ),
                tr("Reinstall Studio."),
            ) from exc
        self._impl: Any = None  # set first, so close() works if creation fails
        try:
            from mediapipe.tasks.python import BaseOptions, vision

            # Before the task exists: creating it queues a usage report for Google's servers.
            # None when blocked; otherwise why not (see mediapipe_offline, and the README's
            # "Privacy and offline use").
            self.offline_guard = silence_usage_upload()

            options = vision.FaceLandmarkerOptions(
                base_options=BaseOptions(model_asset_buffer=model),
                running_mode=vision.RunningMode.IMAGE,
                num_faces=max_faces,
                output_face_blendshapes=True,
                output_facial_transformation_matrixes=True,
                min_face_detection_confidence=0.5,
                min_face_presence_confidence=0.5,
            )
            self._impl = vision.FaceLandmarker.create_from_options(options)
        except (OSError, ImportError) as exc:
            # libmediapipe.so is loaded with ctypes here and needs libEGL.so.1 and
            # libGLESv2.so.2, which a minimal Debian/Ubuntu does not have.
            raise StudioError(
                tr("MediaPipe could not load a system library ({reason}).").format(
                    reason=" ".join(str(exc).split())
                ),
                tr(
                    "On Debian/Ubuntu install it with 'apt install libegl1 libgles2'; "
                    "on other systems reinstall Studio."
                ),
            ) from exc
        self._lock = threading.Lock()

    def detect(self, image: np.ndarray, *, search: bool = True) -> list[FaceObservation]:
        """Faces in ``image``. When the whole frame shows none, overlapping square windows are
        searched too: MediaPipe's detector sees the frame shrunk to a few hundred pixels, so a
        face that is small in a large or wide photo would otherwise be missed.

        ``search=False`` is one pass over the whole frame (~10 ms at 640x480): a live preview
        needs a steady frame rate more than it needs faces too small to animate anyway."""
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError("expected an RGB uint8 image")
        faces = self._detect_once(image)
        if faces or not search:
            return faces
        found: list[FaceObservation] = []
        level = 0
        for x, y, side in search_windows(image.shape[1], image.shape[0]):
            if side != level:
                if found:
                    break  # finer windows would only find the same faces again, slower
                level = side
            for face in self._detect_once(image[y : y + side, x : x + side]):
                found.append(_shifted(face, x, y))
        return _distinct(found)

    def _detect_once(self, image: np.ndarray) -> list[FaceObservation]:
        import mediapipe as mp

        h, w = image.shape[:2]
        mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(image))
        with self._lock:
            result = self._impl.detect(mp_image)
        faces = []
        for i, marks in enumerate(result.face_landmarks):
            pts = np.array([[p.x * w, p.y * h, p.z * w] for p in marks], dtype=np.float32)
            shapes = (
                {c.category_name: float(c.score) for c in result.face_blendshapes[i]}
                if result.face_blendshapes
                else {}
            )
            matrix = (
                np.asarray(result.facial_transformation_matrixes[i], dtype=np.float64)
                if result.facial_transformation_matrixes
                else np.eye(4)
            )
            faces.append(FaceObservation(pts, shapes, matrix))
        return faces

    def close(self) -> None:
        impl, self._impl = self._impl, None
        if impl is not None:
            impl.close()

    def __enter__(self) -> FaceLandmarker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # mediapipe's own __del__ fails at interpreter exit; close while modules are alive.
        with contextlib.suppress(Exception):
            self.close()


MIN_WINDOW = 256  # smaller windows cost many detector runs for faces too small to animate


def search_windows(width: int, height: int) -> list[tuple[int, int, int]]:
    """Square windows (x, y, side) covering the image, coarse to fine: the short side, then
    halves of it down to MIN_WINDOW, half-overlapping, the last window of each row and column
    flush with the edge. The full frame is not repeated."""
    windows: list[tuple[int, int, int]] = []
    side = min(width, height)
    while side >= MIN_WINDOW:
        step = side // 2
        xs = sorted({*range(0, width - side + 1, step), width - side})
        ys = sorted({*range(0, height - side + 1, step), height - side})
        windows += [(x, y, side) for y in ys for x in xs if (side, side) != (width, height)]
        side //= 2
    return windows


def _shifted(face: FaceObservation, x: int, y: int) -> FaceObservation:
    pts = face.landmarks.copy()
    pts[:, 0] += x
    pts[:, 1] += y
    return FaceObservation(pts, face.blendshapes, face.transform)


def _distinct(faces: list[FaceObservation]) -> list[FaceObservation]:
    """One observation per face: windows overlap, so a face is often found twice."""
    kept: list[FaceObservation] = []
    for face in sorted(faces, key=lambda f: -(f.bbox[2] - f.bbox[0])):
        if all(_iou(face.bbox, other.bbox) < 0.3 for other in kept):
            kept.append(face)
    return kept


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
