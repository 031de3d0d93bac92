"""A creator's video as the twin reads it: upright, at a constant frame rate, at most 720p.

Phones record upright video as landscape frames plus a rotation (a display matrix, or an old
``rotate`` tag); the twin turns each frame as a player would. Phones and screen recorders also
write variable frame rates; the twin works on a constant-rate timeline (the stream's average
rate, at most 30 fps) where each step shows the frame a player shows at that moment. Frames are
decoded one at a time and never held: a few minutes of 720p would not fit in memory decoded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from studio.capture.camera import export_again_hint, open_video, undecodable, video_formats_hint
from studio.capture.video_import import video_duration
from studio.errors import InputError
from studio.translation import tr

MAX_SIDE = 1280  # 720p: the atlas crops are ~256 px wide, more costs time and nothing else
MAX_FPS = Fraction(30)
MAX_SECONDS = 10 * 60  # a twin needs a minute or two; the analysis arrays grow with length
AUDIO_RATE = 16000  # what the lip-sync model hears
# A frame whose time is within this of a timeline step counts as shown at that step (container
# time bases round frame times).
_TIME_SLACK_S = 5e-4


@dataclass(frozen=True)
class FootageInfo:
    path: Path
    width: int  # after rotation and scaling
    height: int
    fps: Fraction  # of the twin's timeline
    duration_s: float
    frame_count: int  # timeline steps (iter_frames may give fewer if the file ends early)
    rotation: int  # degrees clockwise the stored frames are turned to show upright: 0/90/180/270
    has_audio: bool

    def time_of(self, index: int) -> float:
        return float(index / self.fps)


def probe_footage(path: Path) -> FootageInfo:
    """What the twin will see of ``path``. ``InputError`` (one line) for a file that is not a
    video, has only sound, cannot be decoded, or is longer than ``MAX_SECONDS``."""
    import av

    path = Path(path)
    container, stream = open_video(path)  # refuses audio only and unreadable files
    try:
        duration = video_duration(container, stream)
        if duration > MAX_SECONDS + 1.0:
            raise _too_long(path, duration)
        try:
            first = next(container.decode(stream), None)
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise undecodable(path, exc) from exc
        if first is None:
            raise InputError(tr("{path} has no video frames.").format(path=path), video_formats_hint())
        rotation = _rotation(first, stream)
        fps = twin_fps(stream)
        width, height = _scaled_size(first.width, first.height, rotation)
        if duration <= 0:
            duration = 1.0 / float(fps)
        frame_count = max(1, math.ceil(duration * fps - 1e-6))
        return FootageInfo(
            path, width, height, fps, duration, frame_count, rotation, bool(container.streams.audio)
        )
    finally:
        container.close()


def twin_fps(stream: Any) -> Fraction:
    """The stream's average rate (what variable-rate files average to), at most ``MAX_FPS``."""
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate and 1 <= rate <= 240:
            return min(Fraction(rate).limit_denominator(1001), MAX_FPS)
    return MAX_FPS


def iter_frames(path: Path, info: FootageInfo) -> Iterator[tuple[int, np.ndarray]]:
    """(timeline index, RGB uint8 frame of ``info.height`` x ``info.width``) for each step of the
    constant-rate timeline: the frame shown at ``index / info.fps`` seconds after the first
    frame. One decoded frame is held at a time. ``InputError`` where the file is damaged."""
    import av

    container, stream = open_video(Path(path))
    try:
        frames = container.decode(stream)
        index = 0
        start: float | None = None
        current: Any = None  # the decoded frame on screen, converted only when a step shows it
        shown: tuple[Any, np.ndarray] | None = None
        count = 0
        gap = 1.0 / float(info.fps)
        last_time = 0.0
        while index < info.frame_count:
            try:
                frame = next(frames, None)
            except (av.FFmpegError, OSError, ValueError) as exc:
                raise undecodable(path, exc) from exc
            if frame is None:
                break
            count += 1
            when = float(frame.time) if frame.time is not None else count / float(info.fps)
            if start is None:
                start = when
            when -= start
            if current is not None:
                gap = max(when - last_time, 1e-3)
                # Steps before this frame's time show the frame before it.
                while index < info.frame_count and info.time_of(index) < when - _TIME_SLACK_S:
                    shown = _shown(current, shown, info)
                    yield index, shown[1]
                    index += 1
            current, last_time = frame, when
        # The last frame stays on screen for one frame gap.
        while current is not None and index < info.frame_count and info.time_of(index) < last_time + gap:
            shown = _shown(current, shown, info)
            yield index, shown[1]
            index += 1
        if index < info.frame_count / 2 and info.duration_s - info.time_of(index) > 2.0:
            # Demuxers stop quietly at damage they cannot resync past (WebM especially).
            raise InputError(
                tr(
                    "{path} could not be decoded past {done:.1f} s of its {total:.0f} s: "
                    "it is damaged or cut short."
                ).format(path=path, done=info.time_of(index), total=info.duration_s),
                export_again_hint(),
            )
    finally:
        container.close()


def read_audio_16k(path: Path, info: FootageInfo) -> np.ndarray | None:
    """The first audio stream of ``path`` as mono float32 at ``AUDIO_RATE``, or None when the
    video has no sound. Bounded: probe_footage has refused videos longer than ``MAX_SECONDS``."""
    if not info.has_audio:
        return None
    from studio.media.audio import stream_audio

    blocks = list(stream_audio(Path(path), AUDIO_RATE, block_samples=AUDIO_RATE * 10))
    limit = int((MAX_SECONDS + 1) * AUDIO_RATE)
    audio = np.concatenate(blocks)[:limit] if blocks else np.zeros(0, np.float32)
    return audio.astype(np.float32, copy=False)


def _shown(frame: Any, shown: tuple[Any, np.ndarray] | None, info: FootageInfo) -> tuple[Any, np.ndarray]:
    """``frame`` as an upright RGB array; a frame shown for several steps is converted once."""
    if shown is not None and shown[0] is frame:
        return shown
    turned = info.rotation in (90, 270)
    width, height = (info.height, info.width) if turned else (info.width, info.height)
    if (frame.width, frame.height) != (width, height):
        rgb = frame.to_ndarray(format="rgb24", width=width, height=height, interpolation="AREA")
    else:
        rgb = frame.to_ndarray(format="rgb24")
    if info.rotation:
        rgb = np.ascontiguousarray(np.rot90(rgb, k=-info.rotation // 90))
    return frame, rgb


def _rotation(frame: Any, stream: Any) -> int:
    """Degrees clockwise to turn the stored picture upright. The display matrix (FFmpeg hands it
    to each frame; PyAV reads it counter-clockwise) wins over the old ``rotate`` tag."""
    degrees = 0.0
    try:
        degrees = -float(frame.rotation or 0.0)
    except (AttributeError, TypeError, ValueError):
        degrees = 0.0
    if degrees == 0.0:
        # Matroska writes its tags in capitals.
        tags = {str(k).lower(): v for k, v in (stream.metadata or {}).items()}
        tag = tags.get("rotate", "0")
        try:
            degrees = float(tag)
        except ValueError:
            degrees = 0.0
    return int(round(degrees / 90.0)) % 4 * 90


def _scaled_size(width: int, height: int, rotation: int) -> tuple[int, int]:
    """Upright (width, height), shrunk so the longest side is at most ``MAX_SIDE``, even sides."""
    if rotation in (90, 270):
        width, height = height, width
    scale = min(1.0, MAX_SIDE / max(width, height))
    if scale == 1.0:
        return width, height
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def _too_long(path: Path, seconds: float) -> InputError:
    whole = int(round(seconds))
    return InputError(
        tr(
            "{path} is {minutes}:{seconds:02d} long; a twin is made from at most {most} minutes of video."
        ).format(path=path, minutes=whole // 60, seconds=whole % 60, most=MAX_SECONDS // 60),
        tr("Trim it to one or two minutes of you talking to the camera, then try again."),
    )
