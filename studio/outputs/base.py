"""The output interface: every sink of the live engine (virtual camera, audio device,
recording, RTMP, preview) takes frames and audio chunks stamped on one clock.

Both carry a pts in the time base ``1/sample_rate``: a frame's pts is the first audio sample
it covers (``studio.media.clock.frame_start_sample``), an audio chunk's pts is its first
sample. The engine never waits on an output: ``send_*`` only hands over, and a slow output
drops its own video frames (latest wins) without stalling the others.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np

from studio.errors import StudioError

SAMPLE_RATE = 48000
_MAX_AUDIO_CHUNKS = 1500  # about 50 s of one-frame chunks
_CLOSE_S = 30.0  # finalising a long recording takes a moment; a hung device should not take forever


@dataclass(frozen=True)
class StreamFormat:
    width: int
    height: int
    fps: Fraction
    sample_rate: int = SAMPLE_RATE

    @property
    def time_base(self) -> Fraction:
        return Fraction(1, self.sample_rate)


@dataclass(frozen=True)
class VideoFrame:
    index: int  # frame number on the show clock
    pts: int  # first audio sample the frame covers, in 1/sample_rate
    image: np.ndarray  # RGB uint8 (height, width, 3); never written to after it is sent


@dataclass(frozen=True)
class AudioChunk:
    pts: int  # first sample, in 1/sample_rate
    samples: np.ndarray  # float32 mono in [-1, 1]; never written to after it is sent


@dataclass
class OutputStats:
    frames: int = 0  # video frames written to the device or file
    dropped: int = 0  # video frames replaced by a newer one before they could be written
    audio_chunks: int = 0
    errors: int = 0
    state: str = "idle"  # e.g. "running", "reconnecting in 2 s", "failed: ..."
    last_error: str = ""
    underrun_samples: int = 0  # audio devices: samples played as silence because none had arrived


class Output(Protocol):
    """Five members, as pyvirtualcam's backends have: what every sink must offer."""

    name: str

    def start(self, fmt: StreamFormat) -> None: ...

    def send_video(self, frame: VideoFrame) -> None: ...

    def send_audio(self, chunk: AudioChunk) -> None: ...

    def close(self) -> OutputStats: ...


class OutputError(StudioError):
    """An output could not start: the message says which, and what to install or change."""


class LatestWins:
    """A bounded handoff: ``put`` never blocks; when full, the oldest item is dropped."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self._items: deque[object] = deque()
        self._capacity = capacity
        self._cond = threading.Condition()
        self._closed = False
        self.dropped = 0

    def put(self, item: object) -> None:
        with self._cond:
            if len(self._items) >= self._capacity:
                self._items.popleft()
                self.dropped += 1
            self._items.append(item)
            self._cond.notify()

    def get(self, timeout: float | None = None) -> object | None:
        """The oldest item kept, or None on timeout or once closed and empty."""
        with self._cond:
            deadline = None if timeout is None else time.monotonic() + timeout
            while not self._items and not self._closed:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._cond.wait(left)
            return self._items.popleft() if self._items else None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._items)


class ThreadedOutput:
    """Base for outputs that write on a thread of their own.

    Video goes through a ``LatestWins`` of ``video_slots`` frames; audio is never dropped
    (it is small, and a gap would click). Subclasses implement ``_open``, ``_write_video``,
    ``_write_audio`` and ``_close``; an exception in a write is counted and shown in
    ``stats`` instead of reaching the engine, and the output stops.
    """

    name = "output"

    def __init__(self, video_slots: int = 2) -> None:
        self.stats = OutputStats()
        self.fmt: StreamFormat | None = None
        self._video = LatestWins(video_slots)
        # Bounded too: an output whose device has hung must not grow memory for hours.
        self._audio: deque[AudioChunk] = deque(maxlen=_MAX_AUDIO_CHUNKS)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the Output interface -------------------------------------------------------------
    def start(self, fmt: StreamFormat) -> None:
        self.fmt = fmt
        self._open(fmt)  # errors here reach the caller: the user must hear why it can't start
        if self.stats.state == "idle":  # an output that connects later says so itself
            self.stats.state = "running"
        thread = threading.Thread(target=self._run, name=f"studio-out-{self.name}", daemon=True)
        thread.start()
        self._thread = thread

    def send_video(self, frame: VideoFrame) -> None:
        if self._accepting():
            self._video.put(frame)
            self._wake.set()

    def send_audio(self, chunk: AudioChunk) -> None:
        if self._accepting():
            self._audio.append(chunk)
            self._wake.set()

    def _accepting(self) -> bool:
        # A failed output stops taking work, so nothing piles up behind a dead thread. The
        # attribute is read once: ``close`` (another thread, an output removed mid-show) may
        # set it to None between two reads.
        thread = self._thread
        return thread is not None and thread.is_alive()

    def close(self) -> OutputStats:
        self._stop.set()
        self._wake.set()
        self._video.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(_CLOSE_S)
            if thread.is_alive():  # a write that never returns: do not hang the app on it
                self.stats.state = f"stuck: gave up waiting after {_CLOSE_S:.0f} s"
        self.stats.dropped += self._video.dropped  # plus what a subclass dropped itself
        if self.stats.state == "running":
            self.stats.state = "closed"
        return self.stats

    # -- for subclasses --------------------------------------------------------------------
    def _open(self, fmt: StreamFormat) -> None:
        raise NotImplementedError

    def _write_video(self, frame: VideoFrame) -> None:
        raise NotImplementedError

    def _write_audio(self, chunk: AudioChunk) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(0.1)
                self._wake.clear()
                self._drain()
                if self._stop.is_set():
                    self._drain()
                    break
        except Exception as exc:  # noqa: BLE001 - one output failing must not stop the show
            self.stats.errors += 1
            self.stats.last_error = str(exc) or type(exc).__name__
            self.stats.state = f"failed: {self.stats.last_error}"
        finally:
            try:
                self._close()
            except Exception as exc:  # noqa: BLE001
                self.stats.errors += 1
                self.stats.last_error = str(exc) or type(exc).__name__

    def _drain(self) -> None:
        # Audio first: a video frame is written after the sound that precedes it, so files
        # interleave in pts order.
        while True:
            while self._audio:
                self._write_audio(self._audio.popleft())
                self.stats.audio_chunks += 1
            frame = self._video.get(timeout=0)
            if frame is None:
                return
            assert isinstance(frame, VideoFrame)
            self._write_video(frame)
            self.stats.frames += 1
