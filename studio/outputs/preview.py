"""The app's preview: an output that keeps only the newest frame for the screen to pull.

The screen repaints on its own timer, so a frame it missed is worth nothing: ``send_video``
swaps one reference under a lock and returns, and the engine never waits on the preview.
Audio is not kept (the preview is silent; the voice goes to the audio device).
"""

from __future__ import annotations

import threading

from studio.outputs.base import AudioChunk, OutputStats, StreamFormat, VideoFrame

PREVIEW_NAME = "preview"


class PreviewOutput:
    """An ``Output`` whose ``latest()`` is the most recent frame the engine showed."""

    name = PREVIEW_NAME

    def __init__(self) -> None:
        self.stats = OutputStats()
        self._lock = threading.Lock()
        self._latest: VideoFrame | None = None

    # -- the Output interface -------------------------------------------------------------
    def start(self, fmt: StreamFormat) -> None:
        with self._lock:
            self._latest = None
            self.stats = OutputStats(state="running")

    def send_video(self, frame: VideoFrame) -> None:
        with self._lock:
            self._latest = frame
            self.stats.frames += 1

    def send_audio(self, chunk: AudioChunk) -> None:
        """The preview is silent."""

    def close(self) -> OutputStats:
        with self._lock:
            if self.stats.state == "running":
                self.stats.state = "closed"
            return self.stats

    # -- for the screen ----------------------------------------------------------------------
    def latest(self) -> VideoFrame | None:
        """The newest frame, or None before the first one. The last frame stays after close,
        so a stopped show keeps its final picture on screen."""
        with self._lock:
            return self._latest

    @property
    def received(self) -> int:
        """Frames the engine has sent since the show started."""
        with self._lock:
            return self.stats.frames
