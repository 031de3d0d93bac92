"""The webcam twin's recording: camera frames to a temporary video file, with PyAV.

Qt-free. Frames come from the preview's timer (the camera thread's latest frame, each one
once) with the time they were seen; a writer thread encodes them, so the window never waits
for the encoder. The queue is short and a frame that does not fit is dropped: the file is
written with each frame's own time (variable frame rate, which the twin's footage reader
maps onto a constant rate), so a dropped frame is a slightly longer one, never a jump in time.

The microphone's sound (when there is one) is kept in memory, bounded by ``MAX_SECONDS``, and
added to the file by ``finish()``: the build hears the person's own speech (visemes), and the
statement's stretch of it is the consent recording.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import tempfile
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication

from studio.errors import InputError, one_line

MAX_SECONDS = 120.0  # the recording stops itself long before; this only bounds memory
MAX_SIDE = 1280  # the twin keeps at most 720p: encoding more only costs time
QUEUE_FRAMES = 16
TIME_BASE = Fraction(1, 1000)
VIDEO_NAME = "recording.mp4"


def _even_size(frame: np.ndarray) -> tuple[int, int]:
    height, width = frame.shape[:2]
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class AudioTake:
    """The microphone's blocks while recording: ``consumer`` for ``ConsentMicrophone.start``."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = int(sample_rate)
        self._lock = threading.Lock()
        self._blocks: list[np.ndarray] = []
        self._samples = 0

    def consumer(self, samples: np.ndarray, _when: float) -> None:
        block = np.asarray(samples, np.float32).reshape(-1)
        with self._lock:
            if self._samples >= MAX_SECONDS * self.sample_rate:
                return
            self._blocks.append(block.copy())
            self._samples += len(block)

    def audio(self) -> np.ndarray:
        with self._lock:
            return np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)

    def between(self, start_s: float, end_s: float) -> np.ndarray:
        audio = self.audio()
        return audio[int(start_s * self.sample_rate) : int(end_s * self.sample_rate)]


class VideoRecorder:
    """Writes frames to ``folder/recording.mp4`` (H.264) on a thread of its own.

    ``add(frame, t)`` never blocks; ``finish(audio)`` ends the file and returns its path;
    ``discard()`` stops and deletes everything. The folder is a new temporary one unless given.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="studio-twin-"))
        self._own_folder = folder is None
        self.path = self.folder / VIDEO_NAME
        self._queue: queue.Queue[tuple[np.ndarray, float] | None] = queue.Queue(QUEUE_FRAMES)
        self._thread = threading.Thread(target=self._run, name="studio-twin-recorder", daemon=True)
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self.written = 0
        self.dropped = 0
        self.last_time = 0.0
        self._thread.start()

    def add(self, frame: np.ndarray, seconds: float) -> bool:
        """Queue one RGB frame seen ``seconds`` after the start; False when it was dropped."""
        if self._stop.is_set() or seconds > MAX_SECONDS:
            return False
        try:
            self._queue.put_nowait((frame, seconds))
        except queue.Full:
            self.dropped += 1
            return False
        return True

    def _run(self) -> None:
        import av

        container: Any = None
        stream: Any = None
        last_pts = -1
        try:
            container = av.open(str(self.path), "w")
            while True:
                item = self._queue.get()
                if item is None or self._stop.is_set():
                    break
                frame, seconds = item
                if stream is None:
                    stream = container.add_stream("libx264", rate=30)
                    stream.width, stream.height = _even_size(frame)
                    stream.pix_fmt = "yuv420p"
                    stream.time_base = TIME_BASE
                    stream.codec_context.time_base = TIME_BASE
                    # Fast enough to keep up beside the live analysis on two cores; crf 18
                    # keeps the skin and lip detail the atlas is cut from.
                    stream.options = {"preset": "veryfast", "crf": "18", "g": "30", "bf": "0"}
                pts = max(last_pts + 1, round(seconds / TIME_BASE))
                video = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
                if (video.width, video.height) != (stream.width, stream.height):
                    video = video.reformat(width=stream.width, height=stream.height)
                video.pts, video.time_base = pts, TIME_BASE
                for packet in stream.encode(video):
                    container.mux(packet)
                last_pts = pts
                self.written += 1
                self.last_time = seconds
            if stream is not None and not self._stop.is_set():
                for packet in stream.encode():
                    container.mux(packet)
        except BaseException as exc:  # noqa: BLE001 - reported by finish()
            self.error = exc
        finally:
            if container is not None:
                with contextlib.suppress(Exception):
                    container.close()

    def finish(self, audio: tuple[np.ndarray, int] | None = None, timeout: float = 30.0) -> Path:
        """End the recording; with ``audio`` (mono float32, rate) the file gets a sound track
        starting with the first frame. Returns the file; ``InputError`` if none could be written."""
        # The writer may have ended on an error with the queue full: never wait on it for good.
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=timeout if self._thread.is_alive() else 0.0)
        self._thread.join(timeout)
        if self.error is not None or self.written == 0:
            why = (
                one_line(self.error)
                if self.error is not None
                else QCoreApplication.translate("VideoRecorder", "no picture arrived from the camera")
            )
            raise InputError(
                QCoreApplication.translate(
                    "VideoRecorder", "the recording could not be saved ({why})."
                ).format(why=why),
                QCoreApplication.translate("VideoRecorder", "Record again."),
            )
        if audio is not None and len(audio[0]) > 0:
            with_sound = self.folder / "recording-sound.mp4"
            _add_sound(self.path, with_sound, audio[0], audio[1])
            with_sound.replace(self.path)
        return self.path

    def discard(self) -> None:
        """Stop writing and delete the recording (its folder too, when it made it)."""
        self._stop.set()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join(10.0)
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            self.path.unlink(missing_ok=True)


def _add_sound(video_path: Path, out: Path, samples: np.ndarray, rate: int) -> None:
    """``video_path``'s video (copied, not re-encoded) plus ``samples`` as AAC, into ``out``."""
    import av

    with av.open(str(video_path)) as source, av.open(str(out), "w") as target:
        video_in = source.streams.video[0]
        video_out = target.add_stream_from_template(video_in)
        sound = target.add_stream("aac", rate=rate, layout="mono")
        for packet in source.demux(video_in):
            if packet.dts is None:
                continue
            packet.stream = video_out
            target.mux(packet)
        block = rate // 10
        pts = 0
        mono = np.asarray(samples, np.float32).reshape(-1)
        for start in range(0, len(mono), block):
            chunk = mono[start : start + block].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, pts, Fraction(1, rate)
            pts += chunk.shape[1]
            for packet in sound.encode(frame):
                target.mux(packet)
        for packet in sound.encode():
            target.mux(packet)
