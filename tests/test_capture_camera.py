"""Cameras: a video file played as a camera (paced, looping, dropping late frames), and the
clear errors for a webcam that is not there and for files that are not videos."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from avatar_photos import one_face, text_as_jpg

from studio.capture.camera import OpenCvCamera, VideoFileCamera, open_camera
from studio.errors import InputError
from studio.media.audio import write_wav
from studio.tasks import Cancelled

pytest_plugins = ["capture_fixtures"]


class FakeClock:
    """Time that passes only when the camera sleeps or the test says so."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b))


def test_plays_every_frame_at_the_file_rate(demo_video, demo_frames):
    clock = FakeClock()
    camera = VideoFileCamera(demo_video, loop=False, clock=clock, sleep=clock.sleep)
    try:
        assert camera.name == demo_video.name and camera.fps == pytest.approx(30)
        got = []
        while (frame := camera.read()) is not None:
            got.append(frame)
    finally:
        camera.close()
    assert len(got) == len(demo_frames)
    assert all(same(a, b) for a, b in zip(got, demo_frames, strict=True))
    assert got[0].dtype == np.uint8 and got[0].shape == (480, 640, 3)
    # The first frame at once, then one frame interval between frames; the end of the file
    # is found when the frame after the last one would be due.
    assert clock.slept and all(s == pytest.approx(1 / 30, abs=1e-6) for s in clock.slept)
    assert clock.now - 100.0 == pytest.approx(len(demo_frames) / 30, abs=1e-6)


def test_a_slow_reader_gets_the_current_frame_not_a_backlog(demo_video, demo_frames):
    clock = FakeClock()
    camera = VideoFileCamera(demo_video, loop=False, clock=clock, sleep=clock.sleep)
    try:
        assert same(camera.read(), demo_frames[0])
        clock.now += 0.2  # the reader was busy for 6 frame intervals
        assert same(camera.read(), demo_frames[6])
        assert same(camera.read(), demo_frames[7])
    finally:
        camera.close()


def test_loops_back_to_the_start(demo_video, demo_frames):
    clock = FakeClock()
    camera = VideoFileCamera(demo_video, loop=True, clock=clock, sleep=clock.sleep)
    try:
        got = [camera.read() for _ in range(len(demo_frames) + 2)]
    finally:
        camera.close()
    assert same(got[len(demo_frames)], demo_frames[0])
    assert same(got[len(demo_frames) + 1], demo_frames[1])
    # Looping keeps the pace: no burst of frames at the seam.
    assert clock.now - 100.0 == pytest.approx((len(demo_frames) + 1) / 30, abs=1e-6)


def test_real_time_pacing(demo_video):
    import time

    camera = VideoFileCamera(demo_video)
    try:
        start = time.monotonic()
        for _ in range(10):
            assert camera.read() is not None
        elapsed = time.monotonic() - start
    finally:
        camera.close()
    assert 9 / 30 - 0.02 <= elapsed < 3.0  # paced (the lower bound); the upper only catches a stall


def test_without_realtime_frames_come_at_once(demo_video, demo_frames):
    camera = VideoFileCamera(demo_video, loop=False, realtime=False, sleep=lambda s: pytest.fail("slept"))
    try:
        count = 0
        while camera.read() is not None:
            count += 1
        assert count == len(demo_frames)
    finally:
        camera.close()


def _audio_only(folder: Path) -> Path:
    path = folder / "voice.wav"
    write_wav(path, np.zeros(4800, np.float32), 48000)
    return path


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda d: d / "nope.mp4", r"^video not found: .*nope\.mp4"),
        (lambda d: d, r"is a folder, not a video"),
        (lambda d: _write(d / "empty.mp4", b""), r"empty\.mp4 is an empty file"),
        (text_as_jpg, r"notes\.jpg could not be decoded: it is damaged or not a video"),
        (
            lambda d: _write(d / "junk.mp4", b"\x00\x01junk" * 100),
            r"junk\.mp4 is not a video Studio can read",
        ),
        (_audio_only, r"voice\.wav has no video in it"),
    ],
    ids=["missing", "folder", "empty", "text", "junk", "audio-only"],
)
def test_bad_video_files(tmp_path, make, pattern):
    with pytest.raises(InputError, match=pattern) as info:
        VideoFileCamera(make(tmp_path))
    assert info.value.hint


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_still_image_plays_as_a_one_frame_video(tmp_path):
    # FFmpeg reads a PNG as a one-frame video: rehearsing with a photo works too.
    camera = VideoFileCamera(one_face(tmp_path), loop=True, realtime=False)
    try:
        first, second = camera.read(), camera.read()
    finally:
        camera.close()
    assert first is not None and second is not None and same(first, second)


@pytest.mark.parametrize("device", ["/dev/video99", "97"])
def test_missing_webcam_says_what_to_do(device):
    with pytest.raises(InputError, match="no camera found") as info:
        OpenCvCamera(device)
    assert "photo or a video file" in info.value.hint
    assert "close other apps" in info.value.hint


def test_open_camera_plays_files_and_opens_devices(demo_video):
    camera = open_camera(str(demo_video))
    try:
        assert isinstance(camera, VideoFileCamera)
    finally:
        camera.close()
    with pytest.raises(InputError, match="no camera found at '/dev/video98'"):
        open_camera("/dev/video98")


class SilentCapture:
    """cv2.VideoCapture of a webcam that opens but gives no picture yet (warming up)."""

    instances: list[SilentCapture] = []

    def __init__(self, _source: object) -> None:
        self.released = False
        SilentCapture.instances.append(self)

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return True

    def set(self, _prop: int, _value: float) -> bool:
        return True

    def read(self) -> tuple[bool, None]:
        return False, None

    def release(self) -> None:
        self.released = True


def test_stop_cuts_the_webcam_warm_up_short(monkeypatch):
    monkeypatch.setattr(cv2, "VideoCapture", SilentCapture)
    SilentCapture.instances.clear()
    stop = threading.Event()
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(Cancelled, match="opening the camera '0'"):
            OpenCvCamera("0", warmup_s=10.0, stop=stop)
    finally:
        timer.join()
    assert time.monotonic() - start < 5.0  # cut short: half of the 10 s warm-up, however loaded
    assert SilentCapture.instances[-1].released


def test_a_webcam_that_stays_dark_is_explained(monkeypatch):
    monkeypatch.setattr(cv2, "VideoCapture", SilentCapture)
    with pytest.raises(InputError, match="opened but gives no picture"):
        OpenCvCamera("0", warmup_s=0.2)
    assert SilentCapture.instances[-1].released
