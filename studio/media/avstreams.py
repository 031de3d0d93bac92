"""H.264 + AAC encoding timed by the audio sample clock, shared by the MP4 writer and the
RTMP output.

Both streams use the time base ``1/sample_rate``: a video frame's pts is the first audio
sample it covers, an audio frame's pts is its first sample, so the two streams share one
integer clock and cannot drift apart. Callers hand over pts on that clock; where a stream
starts (0 for a file, the reconnect point for a live push) is theirs to choose.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import av
import cv2
import numpy as np
import numpy.typing as npt

__all__ = ["AAC_FRAME", "X264_PRESETS", "AvEncoder", "audio_channels_of", "gop_size", "rgb_to_i420"]

AAC_FRAME = 1024
# x264's presets, fastest first ("placebo" is left out: far too slow for anything live).
X264_PRESETS = (
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
)  # fmt: skip
AUDIO_BIT_RATE = 128_000
MAX_GOP_SECONDS = 2

# AVCOL_* values: cv2's RGB2YUV_I420 uses the BT.601 matrix in limited range, so
# the stream is tagged accordingly (players would otherwise assume BT.709 for HD
# and shift colours). Source pixels are sRGB, whose primaries are BT.709.
_COLORSPACE_SMPTE170M = 6
_COLOR_RANGE_MPEG = 1
_COLOR_PRIMARIES_BT709 = 1
_COLOR_TRC_BT709 = 1


def gop_size(fps: Fraction) -> int:
    """Frames between keyframes: at most 2 s, so seeking stays quick and a live viewer who
    joins (or a stream that reconnects) waits at most that long for a picture."""
    return max(1, math.floor(fps * MAX_GOP_SECONDS))


def rgb_to_i420(frame: npt.NDArray[np.uint8], width: int, height: int) -> np.ndarray:
    """Check an RGB uint8 (height, width, 3) frame and convert it to planar I420."""
    if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
        raise ValueError(
            f"expected uint8 frame of shape {(height, width, 3)}, got {frame.dtype} {frame.shape}"
        )
    # cvtColor returns a new array, so the caller may reuse its frame buffer at once, and
    # I420 is half the bytes of RGB to keep around in a queue.
    return cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2YUV_I420)


def audio_channels_of(samples: npt.NDArray[np.floating[Any]], channels: int) -> np.ndarray:
    """Float audio as (N, channels) float32 in [-1, 1]; mono is duplicated to stereo."""
    arr = np.asarray(samples, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] not in (1, channels):
        raise ValueError(f"expected audio of shape (N,) or (N, {channels}), got {arr.shape}")
    if arr.shape[1] != channels:
        arr = np.repeat(arr, channels, axis=1)
    # A copy: the caller may reuse its buffer while the chunk waits in a queue.
    return np.clip(arr, -1.0, 1.0)


class AvEncoder:
    """An H.264 stream and an optional AAC stream added to ``container``; packets are muxed
    into it as they come out of the encoders."""

    def __init__(
        self,
        container: Any,
        width: int,
        height: int,
        fps: Fraction,
        sample_rate: int,
        *,
        video_options: dict[str, str],
        audio_channels: int | None,
        threads: int = 0,
        video_bit_rate: int = 0,
    ) -> None:
        self._container = container
        self._channels = audio_channels
        self._sample_rate = sample_rate
        # Frames are stamped with this, not with a stream's time base: a muxer may change the
        # latter when it writes its header (FLV counts in milliseconds).
        self._tb = tb = Fraction(1, sample_rate)

        video = container.add_stream("libx264", rate=fps, options=dict(video_options))
        video.width = width
        video.height = height
        video.pix_fmt = "yuv420p"
        video.time_base = tb
        if video_bit_rate:
            video.bit_rate = video_bit_rate
        ctx = video.codec_context
        ctx.time_base = tb
        ctx.framerate = fps
        ctx.gop_size = gop_size(fps)
        ctx.thread_count = threads
        ctx.colorspace = _COLORSPACE_SMPTE170M
        ctx.color_range = _COLOR_RANGE_MPEG
        ctx.color_primaries = _COLOR_PRIMARIES_BT709
        ctx.color_trc = _COLOR_TRC_BT709
        self._video = video
        # The muxer needs each packet's duration for the last frame's length (and thus the
        # file's duration); the encoder does not carry it through frame reordering.
        self._durations: dict[int, int] = {}
        self._video_end = 0  # where the latest-ending frame stops showing
        self._first_pts: int | None = None
        self._first_dts: int | None = None

        self._audio: Any = None
        if audio_channels is not None:
            layout = "mono" if audio_channels == 1 else "stereo"
            audio = container.add_stream("aac", rate=sample_rate, layout=layout)
            audio.bit_rate = AUDIO_BIT_RATE
            audio.time_base = tb
            audio.codec_context.time_base = tb
            self._audio = audio
        self._pending = np.zeros((0, audio_channels or 1), dtype=np.float32)
        self._pending_start = 0

    @property
    def audio_end(self) -> int:
        """The sample after the last one handed to ``write_audio``."""
        return self._pending_start + self._pending.shape[0]

    def encode_video(self, yuv: np.ndarray, pts: int, duration: int) -> None:
        """Encode one I420 frame shown from sample ``pts`` for ``duration`` samples."""
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts = pts
        frame.time_base = self._tb
        self._durations[pts] = duration
        self._video_end = max(self._video_end, pts + duration)
        if self._first_pts is None:
            self._first_pts = pts
        for packet in self._video.encode(frame):
            self._mux_video(packet)

    def _mux_video(self, packet: Any) -> None:
        if self._first_dts is None and packet.dts is not None:
            self._first_dts = packet.dts
        if packet.pts is not None:
            packet.duration = self._durations.pop(packet.pts, 0)
        self._container.mux(packet)

    def write_audio(self, samples: np.ndarray, start: int) -> None:
        """Buffer (N, channels) float32 audio from sample ``start`` and encode every whole
        AAC frame; a gap since the previous audio is filled with silence."""
        end = self.audio_end
        if start < end:
            raise ValueError(f"audio start {start} overlaps audio written up to {end}")
        if start > end:
            gap = np.zeros((start - end, samples.shape[1]), dtype=np.float32)
            samples = np.concatenate([gap, samples])
        self._pending = np.concatenate([self._pending, samples]) if self._pending.size else samples
        usable = (self._pending.shape[0] // AAC_FRAME) * AAC_FRAME
        for offset in range(0, usable, AAC_FRAME):
            self._encode_audio(self._pending[offset : offset + AAC_FRAME], self._pending_start + offset)
        self._pending = self._pending[usable:]
        self._pending_start += usable

    def _encode_audio(self, chunk: np.ndarray, pts: int) -> None:
        layout = "mono" if self._channels == 1 else "stereo"
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk.T), format="fltp", layout=layout)
        frame.sample_rate = self._sample_rate
        frame.pts = pts
        frame.time_base = self._tb
        for packet in self._audio.encode(frame):
            self._container.mux(packet)

    def finish(self) -> None:
        """Flush both encoders (the caller then closes the container)."""
        packets = list(self._video.encode(None))
        for packet in packets:
            last = packet is packets[-1] and packet.dts is not None
            if last and self._first_pts is not None and self._first_dts is not None:
                # An MP4 track lasts from its first to its last packet in decode order (dts, plus
                # the last duration). With B-frames and skipped indices the last packet decoded
                # need not be the last shown, so its duration is set to end the track where the
                # last frame ends (at a constant rate this is its own duration anyway).
                lag = self._first_pts - self._first_dts
                self._durations[packet.pts] = max(1, self._video_end - lag - packet.dts)
            self._mux_video(packet)
        if self._audio is not None:
            if self._pending.shape[0]:
                # The AAC encoder accepts a short last frame.
                self._encode_audio(self._pending, self._pending_start)
                self._pending_start += self._pending.shape[0]
                self._pending = self._pending[:0]
            for packet in self._audio.encode(None):
                self._container.mux(packet)
