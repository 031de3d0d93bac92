"""The live preview's worker thread: latest-wins frames with their checklists, a stop that never
waits for a camera that is still opening, and camera failures reported instead of raised on a
thread nobody watches."""

from __future__ import annotations

import threading
import time

import numpy as np

from studio.capture import live
from studio.capture.analyzer import FrameAnalyzer
from studio.capture.camera import VideoFileCamera
from studio.capture.live import LiveCapture, camera_problem
from studio.errors import InputError
from studio.tasks import Cancelled

pytest_plugins = ["capture_fixtures"]


class Recording:
    """Wraps a camera to see that the worker closes it."""

    def __init__(self, camera) -> None:  # type: ignore[no-untyped-def]
        self.camera, self.name, self.closed, self.reads = camera, camera.name, False, 0

    def read(self):  # type: ignore[no-untyped-def]
        self.reads += 1
        return self.camera.read()

    def close(self) -> None:
        self.closed = True
        self.camera.close()


def wait_for(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_publishes_analysed_frames_until_stopped(demo_video):
    cameras: list[Recording] = []

    def open_camera(device: str, _stop: threading.Event) -> Recording:
        cameras.append(Recording(VideoFileCamera(device)))
        return cameras[-1]

    capture = LiveCapture(str(demo_video), open_camera)
    capture.start()
    try:
        wait_for(lambda: capture.latest() is not None and capture.latest().seq >= 10)
        frame = capture.latest()
        assert frame is not None and frame.frame.shape == (480, 640, 3)
        assert frame.checklist.all_ok and len(frame.faces) == 1
        assert frame.analysis_ms > 0 and capture.mean_analysis_ms > 0
        assert capture.camera_name == "demo_hello.mp4" and capture.running
    finally:
        capture.stop()
        assert capture.join(5.0)
    assert not capture.running and cameras[0].closed and capture.error is None
    seq = capture.latest().seq
    time.sleep(0.1)
    assert capture.latest().seq == seq  # nothing runs after stop()


def test_a_camera_that_cannot_open_is_reported():
    capture = LiveCapture("/dev/video96")
    capture.start()
    wait_for(lambda: not capture.running)
    capture.stop()
    assert capture.join(0)
    assert isinstance(capture.error, InputError) and "no camera found" in capture.error.problem
    assert capture.latest() is None


class Dead:
    name = "Dead Cam"

    def __init__(self) -> None:
        self.closed = False

    def read(self) -> np.ndarray | None:
        return None

    def close(self) -> None:
        self.closed = True


def test_a_camera_that_stops_giving_pictures_is_reported(monkeypatch):
    monkeypatch.setattr(live, "STALL_S", 0.2)
    dead = Dead()
    capture = LiveCapture("0", lambda _device, _stop: dead)
    capture.start()
    wait_for(lambda: not capture.running)
    capture.stop()
    assert capture.join(0)
    assert str(capture.error).startswith("the camera 'Dead Cam' stopped giving pictures.")
    assert dead.closed


def test_stop_returns_at_once_while_the_camera_is_still_opening(demo_video):
    opening = threading.Event()
    cameras: list[Recording] = []
    analysers: list[FrameAnalyzer] = []

    def analyser() -> FrameAnalyzer:
        analysers.append(FrameAnalyzer())
        return analysers[-1]

    def slow_open(device: str, _stop: threading.Event) -> Recording:
        opening.set()
        time.sleep(1.0)  # a driver call that cannot be interrupted (cv2.VideoCapture does this)
        cameras.append(Recording(VideoFileCamera(device)))
        return cameras[-1]

    capture = LiveCapture(str(demo_video), slow_open, analyzer_factory=analyser)
    capture.start()
    assert opening.wait(5.0)
    start = time.monotonic()
    capture.stop()
    assert cameras == [], f"stop() waited {time.monotonic() - start:.2f} s for the 1 s open to end"
    assert capture.running  # still inside the open: it ends on its own
    assert capture.join(5.0)
    assert cameras[0].closed and capture.error is None and capture.latest() is None
    assert analysers == []  # the face model is not loaded for a camera nobody wants


def test_stop_cuts_a_camera_warm_up_short():
    closed: list[bool] = []

    def warming_up(_device: str, stop: threading.Event) -> Dead:
        # As OpenCvCamera: waits for a first picture, giving up when asked to stop.
        if stop.wait(10.0):
            closed.append(True)
            raise Cancelled("opening the camera")
        return Dead()

    capture = LiveCapture("0", warming_up)
    capture.start()
    time.sleep(0.1)
    start = time.monotonic()
    capture.stop()
    assert capture.join(2.0)
    assert time.monotonic() - start < 5.0  # half of the 10 s warm-up: it was cut short
    assert closed == [True] and capture.error is None  # a stop is not a failure to report


def test_unexpected_failures_become_user_errors():
    error = camera_problem(RuntimeError("driver\nexploded"))
    assert isinstance(error, InputError)
    assert error.problem == "the camera failed (driver exploded)." and "photo or a video file" in error.hint
    same = InputError("x.", "y.")
    assert camera_problem(same) is same
