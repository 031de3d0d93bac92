"""Write H.264 + AAC MP4 files atomically, timed by the audio sample clock.

Both streams use the time base ``1/sample_rate``: a video frame's pts is the
first audio sample it covers (``clock.frame_start_sample``), an audio frame's
pts is its first sample. Video and audio therefore share one integer clock and
cannot drift apart, even at 29.97 fps where a frame is 1601.6 samples long (the
pts alternate between 1601 and 1602 sample steps, never accumulating error).
The MP4 muxer keeps ``1/sample_rate`` as the track timescale (it only rescales
time bases below 10 000, which it does by exact integer multiplication).

A file may start mid-show (``first_frame``): its pts then count from that
frame's first sample, so it still starts at 0. Frame indices may skip (a frame
dropped upstream): each frame keeps its exact pts and is shown until the next.

The file is written to a temporary sibling and only renamed over the target
when ``close()`` succeeds; on any exception (Ctrl-C included) nothing appears
under the target name and the temporary file is removed.

``fragmented=True`` (live recordings) writes a fragmented MP4 instead, which plays up to its
last complete fragment however the writing ends: on an exception what was written is kept,
and a kill leaves a playable file (``studio.media.mp4_fragments``).

A write that fails (a full disk, a lost drive) is raised as a ``StudioError`` naming the
file and the cause, never as a bare ``av.error.OSError``.
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
import numpy as np
import numpy.typing as npt

from studio.errors import StudioError
from studio.media.avstreams import AvEncoder, audio_channels_of, gop_size, rgb_to_i420
from studio.media.clock import as_rate, frame_start_sample
from studio.media.mp4_fragments import LiveFile, live_file
from studio.storage.atomic import atomic_file
from studio.storage.write_errors import write_error
from studio.translation import tr

__all__ = ["Mp4Writer", "write_error"]

_QUEUE_SIZE = 8
# Poll interval for blocking queue operations so that a dead worker or an abort
# is noticed instead of waiting forever on a queue nobody drains.
_POLL_S = 0.2

_STOP = object()

# use_metadata_tags stores every key as an mdta atom, so custom keys such as ai_generated
# survive (the default udta writer keeps only known ones).
_FILE_OPTIONS = {"movflags": "use_metadata_tags+faststart"}  # faststart: the index first
# A fragment at each keyframe (the GOP is at most 2 s); delay_moov writes the track header with
# the first fragment, once the encoders' delays are known, so that edit lists keep sound and
# picture exactly in step; each fragment goes to the file as soon as it is complete.
_FRAGMENTED_OPTIONS = {
    "movflags": "use_metadata_tags+frag_keyframe+empty_moov+delay_moov+default_base_moof",
    "use_editlist": "1",
    "flush_packets": "1",
}


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
    a gap in the audio is filled with silence. ``first_frame`` is the show-clock
    frame the file starts with: frame indices and audio samples stay on the show
    clock, and audio before that frame's first sample is left out.
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
        first_frame: int = 0,
        fragmented: bool = False,
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
        self.first_frame = first_frame
        self.fragmented = fragmented
        self._live: LiveFile | None = None
        self._since_sync = 0
        # The show-clock sample that becomes pts 0 in the file.
        self._origin = frame_start_sample(first_frame, sample_rate, self.fps)

        self._stack: contextlib.ExitStack | None = None
        self._container: Any = None
        self._encoder: AvEncoder | None = None
        self._closed = False
        # Caller-side ordering state (checked before anything is queued).
        self._last_frame = first_frame - 1
        self._next_sample = 0
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
                if self.fragmented:
                    self._live = stack.enter_context(live_file(self.target))
                    path = self._live.path
                else:
                    path = stack.enter_context(atomic_file(self.target, ".mp4"))
            except OSError as exc:
                raise write_error(self.target, exc) from exc
            self._open_container(path)
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
        options = _FRAGMENTED_OPTIONS if self.fragmented else _FILE_OPTIONS
        try:
            self._container = av.open(str(tmp), "w", format="mp4", options=dict(options))
        except av.FFmpegError as exc:
            raise StudioError(
                tr("Cannot create video file {path}: {error}.").format(path=self.target, error=exc),
                tr("Check that the folder is writable and the disk is not full."),
            ) from exc
        meta = {"software": "Studio", **self.metadata}
        for key, value in meta.items():
            self._container.metadata[str(key)] = str(value)

        self._encoder = AvEncoder(
            self._container,
            self.width,
            self.height,
            self.fps,
            self.sample_rate,
            video_options={"preset": self.preset, "crf": str(self.crf)},
            audio_channels=self.audio_channels,
            threads=self.threads,
        )

    @property
    def kept_fragments(self) -> int:
        """Fragments of a fragmented file that ended early kept under the target's name."""
        return self._live.fragments if self._live is not None else 0

    def close(self) -> None:
        """Flush encoders, finish the file and move it to the target name.

        Re-raises an exception from the worker thread (then no file is written, or in
        fragmented mode the part written so far is kept).
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
        except OSError as exc:
            self.abort(exc)
            raise write_error(self.target, exc) from exc
        except BaseException as exc:
            self.abort(exc)
            raise
        self._closed = True
        stack, self._stack = self._stack, None
        try:
            stack.close()
        except OSError as exc:
            raise write_error(self.target, exc) from exc

    def abort(self, exc: BaseException | None = None) -> None:
        """Stop without producing a file; the temporary file is removed. A fragmented file
        keeps what was written instead (``kept_fragments``)."""
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
        # Convert here rather than in the worker: the caller may reuse its buffer at once.
        yuv = rgb_to_i420(frame, self.width, self.height)
        if frame_index <= self._last_frame:
            raise ValueError(f"frame_index {frame_index} is not after {self._last_frame}")
        self._last_frame = frame_index
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
        arr = audio_channels_of(samples, self.audio_channels)
        if start_sample < self._next_sample:
            raise ValueError(f"audio start {start_sample} overlaps audio written up to {self._next_sample}")
        self._next_sample = start_sample + arr.shape[0]
        if start_sample < self._origin:
            arr = arr[self._origin - start_sample :]
            start_sample = self._origin
        if arr.shape[0]:
            self._submit(("a", arr, start_sample))

    # ------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        if self._stack is None or self._closed:
            raise RuntimeError("Mp4Writer is not open (use it as a context manager)")
        if self._error is not None:
            self._raise_worker_error()

    def _raise_worker_error(self) -> None:
        error = self._error
        assert error is not None
        if isinstance(error, OSError):
            raise write_error(self.target, error) from error
        raise error

    def _submit(self, item: tuple[str, np.ndarray, int]) -> None:
        if self._worker is None:
            try:
                self._handle(item)
            except OSError as exc:
                raise write_error(self.target, exc) from exc
        else:
            self._put(item)
            if self._error is not None:
                self._raise_worker_error()

    def _put(self, item: object) -> None:
        assert self._queue is not None and self._worker is not None
        while True:
            try:
                self._queue.put(item, timeout=_POLL_S)
                return
            except queue.Full:
                if not self._worker.is_alive():
                    if self._error is not None:
                        self._raise_worker_error()
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
        assert self._encoder is not None
        start = frame_start_sample(frame_index, self.sample_rate, self.fps)
        # A frame's own span; after a skipped index the next frame's pts ends it instead.
        duration = frame_start_sample(frame_index + 1, self.sample_rate, self.fps) - start
        self._encoder.encode_video(yuv, start - self._origin, duration)
        if self._live is not None:
            # A fragment is complete about once a GOP: make it durable (a power cut keeps it),
            # on the file's own thread, so that a slow disk drops no frame here.
            self._since_sync += 1
            if self._since_sync >= gop_size(self.fps):
                self._since_sync = 0
                self._live.sync_soon()

    def _buffer_audio(self, samples: np.ndarray, start: int) -> None:
        assert self._encoder is not None
        self._encoder.write_audio(samples, start - self._origin)

    def _finish_encoding(self) -> None:
        assert self._encoder is not None
        self._encoder.finish()
