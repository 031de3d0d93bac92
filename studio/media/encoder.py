"""Write H.264 + AAC MP4 files atomically, timed by the audio sample clock.

Both streams use the time base ``1/sample_rate``: a video frame's pts is the
first audio sample it covers (``clock.frame_start_sample``), an audio frame's
pts is its first sample. Video and audio therefore share one integer clock and
cannot drift apart, even at 29.97 fps where a frame is 1601.6 samples long (the
pts alternate between 1601 and 1602 sample steps, never accumulating error).
The MP4 muxer keeps ``1/sample_rate`` as the track timescale (it only rescales
time bases below 10 000, which it does by exact integer multiplication).

The file is written to a temporary sibling and only renamed over the target
when ``close()`` succeeds; on any exception (Ctrl-C included) nothing appears
under the target name and the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import cv2
import numpy as np
import numpy.typing as npt

from studio.errors import StudioError
from studio.media.clock import as_rate, frame_start_sample
from studio.storage.atomic import atomic_file

__all__ = ["Mp4Writer"]

_AAC_FRAME = 1024
_AUDIO_BIT_RATE = 128_000
_MAX_GOP_SECONDS = 2
_QUEUE_SIZE = 8
# Poll interval for blocking queue operations so that a dead worker or an abort
# is noticed instead of waiting forever on a queue nobody drains.
_POLL_S = 0.2

# AVCOL_* values: cv2's RGB2YUV_I420 uses the BT.601 matrix in limited range, so
# the stream is tagged accordingly (players would otherwise assume BT.709 for HD
# and shift colours). Source pixels are sRGB, whose primaries are BT.709.
_COLORSPACE_SMPTE170M = 6
_COLOR_RANGE_MPEG = 1
_COLOR_PRIMARIES_BT709 = 1
_COLOR_TRC_BT709 = 1

_STOP = object()


class Mp4Writer:
    """Encode RGB frames and float audio into an MP4 file (H.264 + AAC).

    Use as a context manager::

        with Mp4Writer(path, 1280, 720, Fraction(30)) as out:
            out.write_audio(samples, start_sample=0)
            out.write_video(rgb, frame_index=0)

    ``threaded=True`` runs encoding and muxing in a worker thread behind a
    bounded queue, so rendering (caller thread) and encoding overlap. ``put``
    blocks when the queue is full: this is offline rendering, no frame is ever
    dropped. Frames and audio must be written in increasing order per stream;
    a gap in the audio is filled with silence.
    """

    def __init__(
        self,
        target: Path,
        width: int,
        height: int,
        fps: Fraction | float,
        sample_rate: int = 48000,
        metadata: dict[str, str] | None = None,
        preset: str = "veryfast",
        crf: int = 20,
        threads: int = 0,
        *,
        audio_channels: int | None = 1,
        threaded: bool = False,
    ) -> None:
        if width <= 0 or height <= 0 or width % 2 or height % 2:
            raise ValueError(f"width and height must be positive and even for yuv420p, got {width}x{height}")
        if fps <= 0:
            raise ValueError("fps must be > 0")
        if sample_rate <= 0:
            raise ValueError("sample_rate must be > 0")
        if audio_channels not in (None, 1, 2):
            raise ValueError("audio_channels must be 1, 2 or None (no audio stream)")
        self.target = Path(target)
        self.width = width
        self.height = height
        # Same reading of float rates as studio.media.clock (29.97 -> 30000/1001).
        self.fps = fps if isinstance(fps, Fraction) else as_rate(fps)
        self.sample_rate = sample_rate
        self.metadata = dict(metadata or {})
        self.preset = preset
        self.crf = crf
        self.threads = threads
        self.audio_channels = audio_channels
        self.threaded = threaded

        self._stack: contextlib.ExitStack | None = None
        self._container: Any = None
        self._video: Any = None
        self._audio: Any = None
        self._closed = False
        # Caller-side ordering state (checked before anything is queued).
        self._last_frame = -1
        self._next_sample = 0
        # Worker-side state (only touched by whichever thread encodes).
        self._pending = np.zeros((0, audio_channels or 1), dtype=np.float32)
        self._pending_start = 0
        self._durations: dict[int, int] = {}
        # Threading.
        self._queue: queue.Queue[Any] | None = None
        self._worker: threading.Thread | None = None
        self._abort = threading.Event()
        self._error: BaseException | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Mp4Writer:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort(exc)

    def open(self) -> None:
        if self._stack is not None:
            raise RuntimeError("Mp4Writer is already open")
        stack = contextlib.ExitStack()
        try:
            try:
                tmp = stack.enter_context(atomic_file(self.target, ".mp4"))
            except OSError as exc:
                raise StudioError(
                    f"cannot write {self.target} ({exc.strerror or exc}).",
                    "Choose a writable folder with free space.",
                ) from exc
            self._open_container(tmp)
            if self.threaded:
                self._queue = queue.Queue(maxsize=_QUEUE_SIZE)
                self._worker = threading.Thread(
                    target=self._run_worker, name=f"Mp4Writer({self.target.name})", daemon=True
                )
                self._worker.start()
        except BaseException as exc:
            self._close_container_quietly()
            stack.__exit__(type(exc), exc, exc.__traceback__)
            raise
        self._stack = stack

    def _open_container(self, tmp: Path) -> None:
        try:
            # use_metadata_tags stores every key as an mdta atom, so custom keys such
            # as ai_generated survive (the default udta writer keeps only known ones);
            # faststart puts the index first so players can start before the file is all there.
            self._container = av.open(
                str(tmp), "w", format="mp4", options={"movflags": "use_metadata_tags+faststart"}
            )
        except av.FFmpegError as exc:
            raise StudioError(
                f"Cannot create video file {self.target}: {exc}.",
                "Check that the folder is writable and the disk is not full.",
            ) from exc
        meta = {"software": "Studio", **self.metadata}
        for key, value in meta.items():
            self._container.metadata[str(key)] = str(value)

        video = self._container.add_stream(
            "libx264", rate=self.fps, options={"preset": self.preset, "crf": str(self.crf)}
        )
        video.width = self.width
        video.height = self.height
        video.pix_fmt = "yuv420p"
        tb = Fraction(1, self.sample_rate)
        video.time_base = tb
        ctx = video.codec_context
        ctx.time_base = tb
        ctx.framerate = self.fps
        # Keyframe at least every 2 s so seeking and scrubbing stay responsive.
        ctx.gop_size = max(1, int(self.fps * _MAX_GOP_SECONDS))
        ctx.thread_count = self.threads
        ctx.colorspace = _COLORSPACE_SMPTE170M
        ctx.color_range = _COLOR_RANGE_MPEG
        ctx.color_primaries = _COLOR_PRIMARIES_BT709
        ctx.color_trc = _COLOR_TRC_BT709
        self._video = video

        if self.audio_channels is not None:
            layout = "mono" if self.audio_channels == 1 else "stereo"
            audio = self._container.add_stream("aac", rate=self.sample_rate, layout=layout)
            audio.bit_rate = _AUDIO_BIT_RATE
            audio.time_base = tb
            audio.codec_context.time_base = tb
            self._audio = audio

    def close(self) -> None:
        """Flush encoders, finish the file and move it to the target name.

        Re-raises an exception from the worker thread (then no file is written).
        """
        if self._closed:
            return
        if self._stack is None:
            raise RuntimeError("Mp4Writer was never opened")
        try:
            if self._worker is not None:
                self._put(_STOP)
                self._worker.join()
                if self._error is not None:
                    raise self._error
            else:
                self._finish_encoding()
            self._container.close()
            self._container = None
        except BaseException as exc:
            self.abort(exc)
            raise
        self._closed = True
        stack, self._stack = self._stack, None
        stack.close()

    def abort(self, exc: BaseException | None = None) -> None:
        """Stop without producing a file; the temporary file is removed."""
        if self._closed:
            return
        self._closed = True
        self._abort.set()
        try:
            if self._worker is not None:
                with contextlib.suppress(BaseException):
                    self._put(_STOP)
                self._worker.join()
        finally:
            # A second Ctrl-C can land during the join: never free the container
            # under a still-running worker, but always discard the temporary file.
            try:
                if self._worker is None or not self._worker.is_alive():
                    self._close_container_quietly()
            finally:
                stack, self._stack = self._stack, None
                if stack is not None:
                    exc = exc or RuntimeError("Mp4Writer aborted")
                    # Passing the exception makes atomic_file discard the temporary file.
                    with contextlib.suppress(BaseException):
                        stack.__exit__(type(exc), exc, exc.__traceback__)

    def _close_container_quietly(self) -> None:
        if self._container is not None:
            with contextlib.suppress(Exception):
                self._container.close()
            self._container = None

    # ------------------------------------------------------------------ public writes

    def write_video(self, frame: npt.NDArray[np.uint8], frame_index: int) -> None:
        """Queue one RGB uint8 frame (H x W x 3) shown from ``frame_index``."""
        self._check_open()
        if frame.shape != (self.height, self.width, 3) or frame.dtype != np.uint8:
            raise ValueError(
                f"expected uint8 frame of shape {(self.height, self.width, 3)}, "
                f"got {frame.dtype} {frame.shape}"
            )
        if frame_index <= self._last_frame:
            raise ValueError(f"frame_index {frame_index} is not after {self._last_frame}")
        self._last_frame = frame_index
        # Convert here rather than in the worker: cvtColor returns a new array, so
        # the caller may reuse its frame buffer at once, and I420 is half the bytes.
        yuv = cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2YUV_I420)
        self._submit(("v", yuv, frame_index))

    def write_audio(self, samples: npt.NDArray[np.floating[Any]], start_sample: int) -> None:
        """Queue float audio in [-1, 1] starting at ``start_sample``.

        ``samples`` is mono (N,) or (N, channels). Mono is duplicated into a
        stereo stream. Chunks may have any length; they are re-cut into AAC's
        1024-sample frames.
        """
        self._check_open()
        if self.audio_channels is None:
            raise ValueError("this writer has no audio stream (audio_channels=None)")
        arr = np.asarray(samples, dtype=np.float32)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[1] not in (1, self.audio_channels):
            raise ValueError(f"expected audio of shape (N,) or (N, {self.audio_channels}), got {arr.shape}")
        if arr.shape[1] != self.audio_channels:
            arr = np.repeat(arr, self.audio_channels, axis=1)
        if start_sample < self._next_sample:
            raise ValueError(f"audio start {start_sample} overlaps audio written up to {self._next_sample}")
        self._next_sample = start_sample + arr.shape[0]
        # Copy: the caller may reuse its buffer while the chunk waits in the queue.
        self._submit(("a", np.clip(arr, -1.0, 1.0), start_sample))

    # ------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        if self._stack is None or self._closed:
            raise RuntimeError("Mp4Writer is not open (use it as a context manager)")
        if self._error is not None:
            raise self._error

    def _submit(self, item: tuple[str, np.ndarray, int]) -> None:
        if self._worker is None:
            self._handle(item)
        else:
            self._put(item)
            if self._error is not None:
                raise self._error

    def _put(self, item: object) -> None:
        assert self._queue is not None and self._worker is not None
        while True:
            try:
                self._queue.put(item, timeout=_POLL_S)
                return
            except queue.Full:
                if not self._worker.is_alive():
                    if self._error is not None:
                        raise self._error from None
                    raise RuntimeError("encoder thread stopped unexpectedly") from None

    def _run_worker(self) -> None:
        assert self._queue is not None
        try:
            while True:
                item = self._queue.get()
                if item is _STOP or self._abort.is_set():
                    break
                self._handle(item)
            if not self._abort.is_set():
                self._finish_encoding()
        except BaseException as exc:
            self._error = exc
            self._abort.set()
            # Drain so a producer blocked in put() wakes up and sees the error.
            with contextlib.suppress(queue.Empty):
                while True:
                    self._queue.get_nowait()

    def _handle(self, item: tuple[str, np.ndarray, int]) -> None:
        kind, data, position = item
        if kind == "v":
            self._encode_video(data, position)
        else:
            self._buffer_audio(data, position)

    def _encode_video(self, yuv: np.ndarray, frame_index: int) -> None:
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        pts = frame_start_sample(frame_index, self.sample_rate, self.fps)
        frame.pts = pts
        frame.time_base = self._video.time_base
        # The muxer needs each packet's duration for the last frame's length (and
        # thus the file duration); the encoder does not carry it through reordering.
        duration = frame_start_sample(frame_index + 1, self.sample_rate, self.fps) - pts
        self._durations[pts] = duration
        for packet in self._video.encode(frame):
            self._mux_video(packet)

    def _mux_video(self, packet: Any) -> None:
        if packet.pts is not None:
            packet.duration = self._durations.pop(packet.pts, 0)
        self._container.mux(packet)

    def _buffer_audio(self, samples: np.ndarray, start: int) -> None:
        end = self._pending_start + self._pending.shape[0]
        if start > end:
            gap = np.zeros((start - end, samples.shape[1]), dtype=np.float32)
            samples = np.concatenate([gap, samples])
        self._pending = np.concatenate([self._pending, samples]) if self._pending.size else samples
        usable = (self._pending.shape[0] // _AAC_FRAME) * _AAC_FRAME
        for offset in range(0, usable, _AAC_FRAME):
            self._encode_audio(self._pending[offset : offset + _AAC_FRAME], self._pending_start + offset)
        self._pending = self._pending[usable:]
        self._pending_start += usable

    def _encode_audio(self, chunk: np.ndarray, pts: int) -> None:
        layout = "mono" if self.audio_channels == 1 else "stereo"
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk.T), format="fltp", layout=layout)
        frame.sample_rate = self.sample_rate
        frame.pts = pts
        frame.time_base = self._audio.time_base
        for packet in self._audio.encode(frame):
            self._container.mux(packet)

    def _finish_encoding(self) -> None:
        for packet in self._video.encode(None):
            self._mux_video(packet)
        if self._audio is not None:
            if self._pending.shape[0]:
                # The AAC encoder accepts a short last frame.
                self._encode_audio(self._pending, self._pending_start)
                self._pending_start += self._pending.shape[0]
                self._pending = self._pending[:0]
            for packet in self._audio.encode(None):
                self._container.mux(packet)
