"""Record the show to an MP4 file (H.264 + AAC) as it goes out.

The file is a fragmented MP4 (``studio.media.mp4_fragments``): however the show ends, Stop,
a signal, a kill, a power cut or a full disk, the file plays up to its last complete
fragment (at most 2 s before the end). It is written at the target when no file is there;
an older file there is replaced only once the new recording has something to keep. A
recording that a crash left beside the target is recovered (or removed) by the command that
starts the show (``studio.media.mp4_fragments.recover_partials``), once, not here.

A recording starts at 0 whenever it is started (mid-show too): its first video frame sets
the origin, and audio that arrived earlier is cut to it. Audio runs ahead of video in the
engine, so it is held back and written only as far as the video has got: both streams end
together, on the last frame's end.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path

import numpy as np

from studio.errors import StudioError
from studio.media.avstreams import X264_PRESETS
from studio.media.clock import frame_start_sample
from studio.media.encoder import Mp4Writer
from studio.outputs.aigc_label import aigc_metadata, parse_aigc
from studio.outputs.base import AudioChunk, OutputError, StreamFormat, ThreadedOutput, VideoFrame
from studio.translation import tr

__all__ = ["RecordingOutput", "check_target"]

# Audio waiting for video is let through past this lead, so a show whose video has stalled
# cannot pile up memory; the recording then ends on whichever stream ran longer.
_MAX_AUDIO_LEAD_S = 5


def check_target(path: Path) -> None:
    """Refuse a recording target that cannot work, before the show starts."""
    hint = tr("Choose an existing, writable folder and a name ending in .mp4.")
    if path.suffix.lower() != ".mp4":
        raise OutputError(tr("The recording {name} must be an .mp4 file.").format(name=path.name), hint)
    if path.is_dir():
        raise OutputError(tr("The recording target {path} is a folder.").format(path=path), hint)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(
            tr("The folder {folder} for the recording does not exist.").format(folder=folder), hint
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            tr("The folder {folder} for the recording is not writable.").format(folder=folder), hint
        )


class RecordingOutput(ThreadedOutput):
    name = "record"

    def __init__(self, path: Path, metadata: dict[str, str] | None = None, preset: str = "veryfast") -> None:
        super().__init__()
        self.path = Path(path)
        self.metadata = dict(metadata or {})
        if parse_aigc(self.metadata) is None:
            # Every MP4 Studio writes carries the GB 45438-2025 label, whoever built the tags.
            self.metadata.update(aigc_metadata())
        self.preset = preset
        self._writer: Mp4Writer | None = None
        self._failed = False
        self._reason = ""
        self._held: deque[AudioChunk] = deque()
        self._origin = 0  # show-clock sample of the first frame: 0 in the file
        self._video_end = 0  # show-clock sample where the last frame written ends
        self._audio_end = 0  # show-clock sample after the last audio written

    def _open(self, fmt: StreamFormat) -> None:
        check_target(self.path)
        if fmt.width <= 0 or fmt.height <= 0 or fmt.width % 2 or fmt.height % 2:
            raise OutputError(
                tr("Cannot record {width}x{height}.").format(width=fmt.width, height=fmt.height),
                tr("H.264 needs an even frame size."),
            )
        if self.preset not in X264_PRESETS:
            choices = ", ".join(X264_PRESETS)
            raise OutputError(
                tr("Unknown encoder preset '{preset}'.").format(preset=self.preset),
                tr("Use one of {choices}.").format(choices=choices),
            )

    # -- writes (on the output's thread) ------------------------------------------------------
    def _write_video(self, frame: VideoFrame) -> None:
        try:
            fmt = self.fmt
            assert fmt is not None
            if self._writer is None:
                # Opened at the first frame, which decides where the file starts.
                self._writer = Mp4Writer(
                    self.path,
                    fmt.width,
                    fmt.height,
                    fmt.fps,
                    fmt.sample_rate,
                    self.metadata,
                    self.preset,
                    first_frame=frame.index,
                    fragmented=True,
                )
                self._writer.open()
                self._origin = self._audio_end = frame.pts
            self._video_end = frame_start_sample(frame.index + 1, fmt.sample_rate, fmt.fps)
            self._release_audio(self._video_end)
            self._writer.write_video(frame.image, frame.index)
        except BaseException as exc:
            self._abort(exc)
            raise

    def _write_audio(self, chunk: AudioChunk) -> None:
        try:
            assert self.fmt is not None
            self._held.append(chunk)
            lead_limit = chunk.pts - _MAX_AUDIO_LEAD_S * self.fmt.sample_rate
            if self._writer is not None:
                self._release_audio(max(self._video_end, lead_limit))
            else:
                while self._held and self._held[0].pts + len(self._held[0].samples) <= lead_limit:
                    self._held.popleft()
        except BaseException as exc:
            self._abort(exc)
            raise

    def _release_audio(self, until: int) -> None:
        """Write the held audio that lies before show-clock sample ``until``."""
        assert self._writer is not None
        while self._held and self._held[0].pts < until:
            chunk = self._held.popleft()
            n = min(len(chunk.samples), until - chunk.pts)
            if chunk.pts + n > self._origin:  # audio before the first frame is not in the file
                self._writer.write_audio(chunk.samples[:n], chunk.pts)
                self._audio_end = chunk.pts + n
            if n < len(chunk.samples):
                self._held.appendleft(AudioChunk(chunk.pts + n, chunk.samples[n:]))
                return

    def _close(self) -> None:
        writer = self._writer
        if self._failed:
            self._say_what_was_kept()
            return
        if writer is None:
            self.stats.state = "closed: no frame arrived, nothing recorded"
            return
        try:
            self._release_audio(self._video_end)
            if self._audio_end < self._video_end:
                # The show stopped before its audio caught up: silence to the last frame's end.
                silence = np.zeros(self._video_end - self._audio_end, np.float32)
                writer.write_audio(silence, self._audio_end)
            writer.close()
        except BaseException as exc:
            self._abort(exc)
            self._say_what_was_kept()
            raise

    def _abort(self, exc: BaseException) -> None:
        # At once, so the file is trimmed to what plays while the show goes on without it.
        self._failed = True
        self._reason = exc.problem if isinstance(exc, StudioError) else (str(exc) or type(exc).__name__)
        if self._writer is not None:
            self._writer.abort(exc)

    def _say_what_was_kept(self) -> None:
        kept = self._writer.kept_fragments if self._writer is not None else 0
        what = (
            f"what was recorded until then is kept in {self.path}"
            if kept
            else f"nothing could be kept in {self.path}"
        )
        self.stats.state = f"failed: {self._reason.rstrip('.')}; {what}"
