"""Cameras for the capture wizard: a real webcam, or a video file played as if it were one.

Every camera gives RGB uint8 frames from ``read()`` and is read from one thread; ``close()``
is called once that thread has stopped. A video file is both the camera fake the tests use
and a real feature: rehearse a capture with a recorded clip.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from studio.errors import InputError, one_line
from studio.storage.input_file import check_input_file
from studio.tasks import Cancelled
from studio.translation import mark, tr

# The app looks these up itself (studio.ui.capture_source); messages here use the functions below.
NO_CAMERA_HINT = mark(
    "Plug a camera in, close other apps that may be using it (video calls, OBS, a browser tab), "
    "or create the avatar from a photo or a video file instead."
)
VIDEO_FORMATS_HINT = mark("Use an MP4, MOV, MKV or WebM video.")


def no_camera_hint() -> str:
    return tr(
        "Plug a camera in, close other apps that may be using it (video calls, OBS, a browser tab), "
        "or create the avatar from a photo or a video file instead."
    )


def video_formats_hint() -> str:
    return tr("Use an MP4, MOV, MKV or WebM video.")


# Webcams start at their smallest mode unless asked; 720p gives the avatar a sharper face.
WANTED_SIZE = (1280, 720)
# Many webcams return no frame for the first few reads while their exposure settles.
WARMUP_S = 2.0


class Camera(Protocol):
    name: str

    def read(self) -> np.ndarray | None:
        """The next frame (RGB uint8, H x W x 3), or None when there is none (a camera that
        stopped, a video file at its end)."""
        ...

    def close(self) -> None: ...


# Opens a camera by device; the event, once set, asks a slow open (a webcam warming up) to
# give up: it then raises ``Cancelled`` and leaves nothing open.
CameraOpener = Callable[[str, threading.Event], Camera]


def _camera_source(device: str) -> int | str:
    device = device.strip() or "0"
    return int(device) if device.isdigit() else device


class OpenCvCamera:
    """A webcam through OpenCV. ``device`` is an index ("0") or a path ("/dev/video0").

    Opening waits up to ``warmup_s`` for the first picture; setting ``stop`` ends that wait
    with ``Cancelled`` (the device is released)."""

    def __init__(
        self,
        device: str,
        size: tuple[int, int] = WANTED_SIZE,
        warmup_s: float = WARMUP_S,
        stop: threading.Event | None = None,
    ) -> None:
        import cv2

        self.device = device.strip() or "0"
        self.name = tr("Camera {device}").format(device=self.device)
        self._cv2 = cv2
        self._capture: Any = cv2.VideoCapture(_camera_source(self.device))
        if not self._capture.isOpened():
            self._capture.release()
            raise InputError(
                tr("no camera found at '{device}', or another app is using it.").format(device=self.device),
                no_camera_hint(),
            )
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
        # A short driver queue: the preview should show now, not frames from a second ago.
        self._capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._pending: np.ndarray | None = None
        stop = stop or threading.Event()
        deadline = time.monotonic() + warmup_s
        first = None if stop.is_set() else self.read()
        while first is None and time.monotonic() < deadline and not stop.wait(0.05):
            first = self.read()
        if stop.is_set():
            self._capture.release()
            raise Cancelled(tr("opening the camera '{device}'").format(device=self.device))
        if first is None:
            self._capture.release()
            raise InputError(
                tr(
                    "the camera '{device}' opened but gives no picture (it may be in use by another app)."
                ).format(device=self.device),
                no_camera_hint(),
            )
        self._pending = first  # proof that it works, and the preview's first picture

    def read(self) -> np.ndarray | None:
        pending, self._pending = self._pending, None
        if pending is not None:
            return pending
        ok, bgr = self._capture.read()
        if not ok or bgr is None:
            return None
        rgb: np.ndarray = self._cv2.cvtColor(bgr, self._cv2.COLOR_BGR2RGB)
        return rgb

    def close(self) -> None:
        self._capture.release()


def open_video(path: Path) -> tuple[Any, Any]:
    """(container, video stream) of a video file, or ``InputError`` saying what is wrong."""
    import av

    path = Path(path)
    check_input_file(path, tr("video"), tr("a video file"), video_formats_hint())
    try:
        container = av.open(str(path))
    except PermissionError as exc:
        raise InputError(
            tr("{path} cannot be read (permission denied).").format(path=path),
            tr("Check the file's permissions."),
        ) from exc
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise InputError(
            tr("{path} is not a video Studio can read.").format(path=path), video_formats_hint()
        ) from exc
    if not container.streams.video:
        container.close()
        raise InputError(
            tr("{path} has no video in it (only sound or data).").format(path=path), video_formats_hint()
        )
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    return container, stream


def undecodable(path: Path, exc: BaseException) -> InputError:
    """The error for a file FFmpeg opened but cannot decode (damaged, or not a video at all:
    FFmpeg opens many kinds of files by their name)."""
    return InputError(
        tr("{path} could not be decoded: it is damaged or not a video ({reason}).").format(
            path=path, reason=one_line(exc)
        ),
        export_again_hint(),
    )


def export_again_hint() -> str:
    return video_formats_hint() + " " + tr("If the file plays elsewhere, export it again.")


def frame_rate(stream: Any) -> float:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    fps = float(rate) if rate else 0.0
    return fps if 1.0 <= fps <= 240.0 else 30.0


class VideoFileCamera:
    """Plays a video file as a camera: frames at the file's frame rate (``realtime``), from
    the start again at the end (``loop``), dropping frames the reader was too slow for, as a
    webcam does. ``read()`` sleeps until the next frame is due."""

    def __init__(
        self,
        path: Path,
        loop: bool = True,
        realtime: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.loop = loop
        self.realtime = realtime
        self._clock, self._sleep = clock, sleep
        self._container, self._stream = open_video(self.path)
        self.fps = frame_rate(self._stream)
        self._frames: Iterator[Any] = self._container.decode(self._stream)
        self._index = 0  # of the next frame, counted from _t0
        self._t0: float | None = None
        try:
            first = self._decode_raw()
        except InputError:
            self._container.close()
            raise
        if first is None:
            self._container.close()
            raise InputError(tr("{path} has no frames.").format(path=self.path), video_formats_hint())
        self._pending: Any = first

    def _decode_raw(self) -> Any:
        import av

        try:
            return next(self._frames, None)
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise undecodable(self.path, exc) from exc

    def _next(self) -> Any:
        if self._pending is not None:
            frame, self._pending = self._pending, None
            return frame
        frame = self._decode_raw()
        if frame is None and self.loop:
            self._container.seek(0)
            self._frames = self._container.decode(self._stream)
            if self._t0 is not None:
                self._t0 += self._index / self.fps
            self._index = 0
            frame = self._decode_raw()
        return frame

    def read(self) -> np.ndarray | None:
        if self.realtime:
            now = self._clock()
            if self._t0 is None:
                self._t0 = now
            wait = self._t0 + self._index / self.fps - now
            if wait > 0:
                self._sleep(wait)
                now = self._clock()
            # Frames whose time has passed are skipped, so the picture keeps the file's pace.
            for _ in range(int((now - self._t0) * self.fps) - self._index):
                if self._next() is None:
                    return None
                self._index += 1
        frame = self._next()
        if frame is None:
            return None
        self._index += 1
        rgb: np.ndarray = frame.to_ndarray(format="rgb24")
        return rgb

    def close(self) -> None:
        self._container.close()


def open_camera(device: str, stop: threading.Event | None = None) -> Camera:
    """A video file's camera when ``device`` names an existing file, else a webcam (see
    ``CameraOpener`` for ``stop``)."""
    path = Path(device.strip()).expanduser() if device.strip() else None
    if path is not None and path.is_file():
        return VideoFileCamera(path)
    return OpenCvCamera(device, stop=stop)
