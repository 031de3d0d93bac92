"""The live preview's worker: read the camera, analyse each frame, keep only the latest.

One thread opens the camera (which can take a second or two), reads it and puts each frame
with its checklist into a latest-wins slot. The UI polls ``latest()`` on its own timer, so
a slow analysis drops frames instead of queueing them, and no widget is touched from here.
``stop()`` only asks: a camera still opening must not freeze the window that gave up on it.
The thread looks at the request between every step and ends on its own; ``join()`` waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from studio.capture.analyzer import FrameAnalyzer
from studio.capture.camera import Camera, CameraOpener, no_camera_hint, open_camera
from studio.capture.checklist import Checklist
from studio.errors import InputError, StudioError, one_line
from studio.face.landmarker import FaceObservation
from studio.translation import tr

# A camera that gives no frame for this long has stopped (unplugged, taken by another app).
STALL_S = 3.0


@dataclass(frozen=True)
class LiveFrame:
    seq: int  # increases by one per published frame
    frame: np.ndarray  # RGB uint8, the camera's full resolution
    checklist: Checklist
    faces: list[FaceObservation] = field(default_factory=list)
    analysis_ms: float = 0.0


class LiveCapture:
    """Runs a camera and a ``FrameAnalyzer`` on a thread of its own until ``stop()``."""

    def __init__(
        self,
        device: str,
        open_camera: CameraOpener = open_camera,
        analyzer_factory: Callable[[], FrameAnalyzer] = FrameAnalyzer,
    ) -> None:
        self.device = device
        self._open_camera = open_camera
        self._analyzer_factory = analyzer_factory
        self._lock = threading.Lock()
        self._latest: LiveFrame | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None  # why the capture ended, if it failed (not stop())
        self.camera_name = ""
        self.mean_analysis_ms = 0.0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the live capture was already started")
        self._thread = threading.Thread(target=self._run, name="studio-capture-camera", daemon=True)
        self._thread.start()

    def latest(self) -> LiveFrame | None:
        with self._lock:
            return self._latest

    def stop(self) -> None:
        """Ask the thread to end, and return at once; it closes the camera on its way out."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread (after ``stop()``); True once it has ended and the camera is closed."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running

    def _run(self) -> None:
        camera: Camera | None = None
        try:
            if self._stop.is_set():
                return
            camera = self._open_camera(self.device, self._stop)
            self.camera_name = camera.name
            if self._stop.is_set():
                return
            with self._analyzer_factory() as analyzer:  # loads the face model: a moment
                self._loop(camera, analyzer)
        except BaseException as exc:  # noqa: BLE001 - reported to the UI, which shows it
            if not self._stop.is_set():  # after stop(), e.g. Cancelled from an opening webcam
                self.error = exc
        finally:
            if camera is not None:
                camera.close()

    def _loop(self, camera: Camera, analyzer: FrameAnalyzer) -> None:
        seq = 0
        last_frame = time.monotonic()
        while not self._stop.is_set():
            frame = camera.read()
            if frame is None:
                if time.monotonic() - last_frame > STALL_S:
                    raise InputError(
                        tr("the camera '{name}' stopped giving pictures.").format(name=camera.name),
                        no_camera_hint(),
                    )
                self._stop.wait(0.02)
                continue
            last_frame = time.monotonic()
            checklist, faces = analyzer.analyse(frame)
            seq += 1
            self.mean_analysis_ms = analyzer.mean_ms
            with self._lock:
                self._latest = LiveFrame(seq, frame, checklist, faces, analyzer.last_ms)


def camera_problem(exc: BaseException) -> StudioError:
    """A failure of the live capture as an error the user can act on."""
    if isinstance(exc, StudioError):
        return exc
    return InputError(tr("the camera failed ({reason}).").format(reason=one_line(exc)), no_camera_hint())
