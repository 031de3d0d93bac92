"""An audio file played live, decoded while the show plays: memory stays flat for any length.

The file is cut into clips of ``clip_seconds`` on video-frame boundaries, so the program plays
them back to back with no sample lost or repeated at a join. Each clip's mouth track is made
from its audio plus ``margin_s`` of the audio either side, so the lip-sync model hears across
the join as it would in one piece. A thread decodes ahead into a queue of at most
``ahead_clips`` clips (the decoder waits when it is full), so a 10-hour file holds a few
seconds of audio in memory, not 10 hours.

Whatever stops the decoder part-way (a damaged stretch of the file, the lip-sync model, memory)
is said as a warning at once, and once the clips made before it have played, ``take`` raises
it: the show ends with that error, never as if the file had simply finished.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator
from pathlib import Path

import numpy as np

from studio.errors import StudioError, one_line
from studio.lipsync.mouth import LipSyncDriver, MouthTrack
from studio.live.clips import Clip
from studio.live.warnings import Warnings
from studio.media.audio import stream_audio
from studio.media.clock import frame_count, frame_start_sample
from studio.outputs.base import StreamFormat
from studio.translation import tr
from studio.voice.base import Speech

_JOIN_S = 5.0  # the decoder is not waited for longer at the end of the show


class AudioFileSupply:
    """A ``ClipSupply`` for ``Program`` that streams ``path``; opening errors raise at once."""

    def __init__(
        self,
        path: Path,
        fmt: StreamFormat,
        driver: LipSyncDriver,
        *,
        label: str = "",
        clip_seconds: float = 5.0,
        margin_s: float = 0.5,
        ahead_clips: int = 2,
    ) -> None:
        self.fmt = fmt
        self.path = Path(path)
        self._driver = driver
        self._label = label or tr("audio file {name}").format(name=self.path.name)
        self._rate = fmt.sample_rate
        self._clip_frames = max(1, round(clip_seconds * float(fmt.fps)))
        self._margin_frames = max(1, round(margin_s * float(fmt.fps)))
        # Blocks a tenth of a clip long: the decoder reads just past what the next clip needs.
        block = max(1, frame_start_sample(self._clip_frames, self._rate, fmt.fps) // 10)
        blocks = stream_audio(self.path, self._rate, block)
        assert isinstance(blocks, Generator)  # closable: ``close`` frees the file at once
        self._blocks: Generator[np.ndarray, None, None] = blocks
        self._blocks_lock = threading.Lock()  # closed by the decoder or by ``close``, once
        self._audio = np.zeros(0, np.float32)  # decoded samples from show sample _origin on
        self._origin = 0
        self._eof = False
        self._next_frame = 0  # first frame of the next clip
        self._queue: queue.Queue[Clip] = queue.Queue(maxsize=max(1, ahead_clips))
        self._stop = threading.Event()
        self._done = threading.Event()  # the decoder has put its last clip
        self._thread: threading.Thread | None = None
        self._failure: StudioError | None = None  # what stopped the decoder before the file's end
        self.warnings = Warnings()
        self.clips_made = 0
        try:
            first = self._make_clip()  # decode errors at the very start fail the show's start
            if first is None:
                raise StudioError(
                    tr("{path} contains no audio samples.").format(path=self.path),
                    tr("Use a non-empty audio file."),
                )
        except BaseException:
            self._close_blocks()
            raise
        self._queue.put(first)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="studio-audio-file", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(_JOIN_S)
            if thread.is_alive():
                return  # still in the lip-sync model: the decoder closes the file as it ends
        self._close_blocks()

    def take(self, timeout: float = 0.0) -> Clip | None:
        """The next clip, or None if none is ready yet; raises what stopped the decoder once
        every clip made before it has been taken."""
        try:
            return self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()
        except queue.Empty:
            if self._failure is not None and self._done.is_set() and self._queue.empty():
                raise self._failure from None
            return None

    @property
    def finished(self) -> bool:
        """The whole file has been handed out (a file that failed part-way never finishes:
        ``take`` raises why instead)."""
        return self._done.is_set() and self._queue.empty() and self._failure is None

    @property
    def held_samples(self) -> int:
        """Decoded samples held outside the queued clips (bounded by a clip and its margins)."""
        return len(self._audio)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                clip = self._make_clip()
                if clip is None:
                    return
                while not self._stop.is_set():
                    try:
                        self._queue.put(clip, timeout=0.2)
                        break
                    except queue.Full:
                        continue
        except Exception as exc:  # noqa: BLE001 - a decoder that dies would end the show unexplained
            self._failure = self._stopped_early(exc)
            self.warnings.add(str(self._failure))
        finally:
            self._done.set()
            self._close_blocks()

    def _stopped_early(self, exc: Exception) -> StudioError:
        seconds = int(self._next_frame / self.fmt.fps)
        where = tr("The audio file {name} stopped playing at {minutes}:{seconds:02d}").format(
            name=self.path.name, minutes=seconds // 60, seconds=seconds % 60
        )
        if isinstance(exc, StudioError):  # damage further into the file
            return StudioError(f"{where}: {exc.problem}", exc.hint)
        return StudioError(
            f"{where}: {type(exc).__name__}: {one_line(exc)}.",
            tr("What came before it was played; try the file again, or convert it to WAV first."),
        )

    def _close_blocks(self) -> None:
        """Close the decoder (and the file it holds open) now rather than at garbage collection."""
        with self._blocks_lock:
            self._blocks.close()

    def _fill_to(self, sample: int) -> None:
        """Decode until the buffer reaches show sample ``sample`` or the file ends."""
        pieces = [self._audio]
        end = self._origin + len(self._audio)
        while end < sample and not self._eof:
            block = next(self._blocks, None)
            if block is None:
                self._eof = True
                break
            pieces.append(block)
            end += len(block)
        if len(pieces) > 1:
            self._audio = np.concatenate(pieces)

    def _make_clip(self) -> Clip | None:
        rate, fps = self._rate, self.fmt.fps
        first, last = self._next_frame, self._next_frame + self._clip_frames
        start, end = frame_start_sample(first, rate, fps), frame_start_sample(last, rate, fps)
        self._fill_to(frame_start_sample(last + self._margin_frames, rate, fps))
        available = self._origin + len(self._audio)
        if available <= start:
            return None
        if available < end:  # the file's last clip
            end = available
            last = first + frame_count(end - start, rate, fps)
        before = max(0, first - self._margin_frames)
        context_start = frame_start_sample(before, rate, fps)
        context = self._audio[context_start - self._origin :]
        track = self._driver.drive(Speech(context, rate), fps, frame_count(len(context), rate, fps))
        values = track.values[first - before : last - before]
        if len(values) < last - first:  # a driver that gave fewer frames: hold its last pose
            values = np.concatenate([values, np.repeat(values[-1:], last - first - len(values), axis=0)])
        audio = self._audio[start - self._origin : end - self._origin].copy()
        audio.setflags(write=False)
        values = np.ascontiguousarray(values, np.float32)
        values.setflags(write=False)
        # Keep only what the next clip's margin needs.
        keep_from = frame_start_sample(max(0, last - self._margin_frames), rate, fps)
        self._audio = self._audio[keep_from - self._origin :].copy()
        self._origin = keep_from
        self._next_frame = last
        self.clips_made += 1
        return Clip(audio, MouthTrack(values, track.fps), self._label, "file", f"file:{self.path.name}")
