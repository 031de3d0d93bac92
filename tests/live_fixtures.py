"""Shared pieces for live-engine tests: a recording output fake (the device boundary), the
demo avatar's renderers, a three-line show and ffprobe's view of a file."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.outputs.base import AudioChunk, OutputStats, StreamFormat, ThreadedOutput, VideoFrame
from studio.render.idle import IdleMotion
from studio.render.photo_renderer import PhotoRenderer, RenderSettings


class Sink:
    """An output that keeps what it is sent (pts only, unless ``keep_images``), checking as it
    goes that audio arrives contiguous and frames in order."""

    def __init__(self, name: str = "sink", keep_images: bool = False) -> None:
        self.name = name
        self.keep_images = keep_images
        self.frames: list[int] = []  # frame indices
        self.pts: list[int] = []
        self.images: list[np.ndarray] = []
        self.audio_end = 0
        self.audio_samples = 0
        self.audio: list[np.ndarray] = []
        self.problems: list[str] = []
        self.started = False
        self.closed = False
        self._lock = threading.Lock()

    def start(self, fmt: StreamFormat) -> None:
        self.started = True

    def send_video(self, frame: VideoFrame) -> None:
        with self._lock:
            if self.frames and frame.index <= self.frames[-1]:
                self.problems.append(f"frame {frame.index} after {self.frames[-1]}")
            self.frames.append(frame.index)
            self.pts.append(frame.pts)
            if self.keep_images:
                self.images.append(frame.image)

    def send_audio(self, chunk: AudioChunk) -> None:
        with self._lock:
            if chunk.pts != self.audio_end:
                self.problems.append(f"audio at {chunk.pts}, expected {self.audio_end}")
            self.audio_end = chunk.pts + len(chunk.samples)
            self.audio_samples += len(chunk.samples)
            if self.keep_images:
                self.audio.append(chunk.samples)

    def close(self) -> OutputStats:
        self.closed = True
        return OutputStats(frames=len(self.frames), state="closed")


class SlowOutput(ThreadedOutput):
    """A device that takes ``seconds`` per frame (a stalled virtual camera, a slow link)."""

    name = "slow"

    def __init__(self, seconds: float) -> None:
        super().__init__(video_slots=1)
        self.seconds = seconds
        self.written: list[int] = []

    def _open(self, fmt: StreamFormat) -> None:
        pass

    def _write_video(self, frame: VideoFrame) -> None:
        time.sleep(self.seconds)
        self.written.append(frame.index)

    def _write_audio(self, chunk: AudioChunk) -> None:
        pass

    def _close(self) -> None:
        pass


def demo_renderers(width: int, height: int, fps: Fraction, count: int = 2) -> list[PhotoRenderer]:
    avatar = load_avatar(demo_package_path(), "")
    settings = RenderSettings(width, height, fps, idle=IdleMotion())
    return [PhotoRenderer(avatar.image, avatar.landmarks, settings) for _ in range(count)]


# Longer than the 10 s a test records: a show that loops within the recording is periodic, and
# sync-check's chance level (correlation at other lags) then rises with each repeat.
SHOW_RUNDOWN = """
version = 1
[[segment]]
text = "Welcome to the live room, everyone! Today our face serum is thirty percent off."
voice = "espeak:en-us"
pause_ms = 300
[[segment]]
text = "Tap the little cart below to order yours; it ships tomorrow morning."
voice = "espeak:en-us"
pause_ms = 300
[[segment]]
text = "Stay with us for the next deal in five minutes."
voice = "espeak:en-us"
pause_ms = 300
"""


def probe(path: Path) -> dict:
    """ffprobe's streams and format of ``path``, as JSON."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)
