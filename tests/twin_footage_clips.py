"""Videos made from the real footage for the twin's tests: rotated, variable-rate, darkened,
two people side by side, other containers and codecs. Written with PyAV, like any encoder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

# container suffix -> video codec PyAV encodes into it
CODECS = {"h264": "libx264", "vp8": "libvpx", "vp9": "libvpx-vp9", "mpeg4": "mpeg4"}


def decoded(path: Path, seconds: float | None = None, start_s: float = 0.0) -> Iterator[np.ndarray]:
    """RGB frames of ``path`` as stored (no rotation, no rate mapping), from ``start_s``."""
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            t = float(frame.time or 0.0)
            if t < start_s - 1e-6:
                continue
            if seconds is not None and t >= start_s + seconds:
                break
            yield frame.to_ndarray(format="rgb24")


def write_video(
    path: Path,
    frames: Iterable[np.ndarray],
    fps: Fraction | int = 25,
    codec: str = "h264",
    *,
    times: list[float] | None = None,
    rotation: int | None = None,
    metadata: dict[str, str] | None = None,
    crf: int = 18,
) -> Path:
    """Encode RGB ``frames``. ``times`` gives each frame its own time (variable frame rate);
    ``rotation`` (degrees counter-clockwise, as a display matrix) and ``metadata`` are written
    on the stream."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(CODECS[codec], rate=Fraction(fps))
        stream.pix_fmt = "yuv420p"
        if codec == "h264":
            stream.options = {"crf": str(crf), "preset": "veryfast"}
        elif codec in ("vp8", "vp9"):
            stream.options = {"crf": str(max(crf, 10)), "b": "2M", "deadline": "realtime", "cpu-used": "8"}
        if times is not None:
            stream.codec_context.time_base = Fraction(1, 1000)
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for key, value in (metadata or {}).items():
            stream.metadata[key] = value
        first = True
        for i, rgb in enumerate(frames):
            if first:
                stream.width, stream.height = rgb.shape[1] // 2 * 2, rgb.shape[0] // 2 * 2
                first = False
            frame = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(rgb[: stream.height, : stream.width]), format="rgb24"
            )
            if times is not None:
                frame.pts = int(round(times[i] * 1000))
                frame.time_base = Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def remade(
    src: Path,
    dst: Path,
    change: Callable[[np.ndarray], np.ndarray] = lambda rgb: rgb,
    seconds: float | None = None,
    start_s: float = 0.0,
    codec: str = "h264",
    fps: Fraction | int | None = None,
    **options: object,
) -> Path:
    """``src`` (a span of it) re-encoded with ``change`` applied to each frame."""
    with av.open(str(src)) as container:
        rate = fps or container.streams.video[0].average_rate or 25
    frames = (change(rgb) for rgb in decoded(src, seconds, start_s))
    return write_video(dst, frames, rate, codec, **options)  # type: ignore[arg-type]


def side_by_side(left: Path, right: Path, dst: Path, seconds: float, height: int = 288) -> Path:
    """Two real people in one picture: ``left``'s frames beside ``right``'s, both ``height`` tall,
    at ``left``'s rate (``right`` repeats or skips frames to keep up)."""
    import cv2

    def scaled(rgb: np.ndarray) -> np.ndarray:
        width = round(rgb.shape[1] * height / rgb.shape[0])
        return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)

    with av.open(str(left)) as container:
        fps = container.streams.video[0].average_rate or 25
    others = list(decoded(right, seconds + 1))

    def frames() -> Iterator[np.ndarray]:
        for i, rgb in enumerate(decoded(left, seconds)):
            other = others[min(len(others) - 1, int(i / float(fps) * 29.97))]
            yield np.concatenate([scaled(rgb), scaled(other)], axis=1)

    return write_video(dst, frames(), fps)


def trimmed(src: Path, dst: Path, seconds: float) -> Path:
    """The first ``seconds`` of ``src``'s video, its packets copied as they are (no re-encoding)."""
    with av.open(str(src)) as source, av.open(str(dst), "w") as out:
        video = source.streams.video[0]
        stream = out.add_stream_from_template(video)
        for packet in source.demux(video):
            if packet.dts is None:
                continue
            if packet.pts is not None and float(packet.pts * video.time_base) >= seconds:
                break
            packet.stream = stream
            out.mux(packet)
    return dst


LIPS_OUTER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146)


def cover_mouth(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """``rgb`` with the mouth hidden behind skin, as a hand would hide it: a patch of the
    person's own forehead (real skin, its texture and shading) stretched over the lips."""
    import cv2

    out = rgb.copy()
    pts = landmarks[:, :2]
    (x0, y0), (x1, y1) = pts[list(LIPS_OUTER)].min(axis=0), pts[list(LIPS_OUTER)].max(axis=0)
    margin = 0.15 * float(np.linalg.norm(pts[33] - pts[263]))
    left, top, right, bottom = int(x0 - margin), int(y0 - margin), int(x1 + margin), int(y1 + margin)
    fx, fy = pts[151]
    half_h = 0.15 * float(np.linalg.norm(pts[33] - pts[263]))
    patch = rgb[
        int(fy - half_h) : int(fy + half_h), int(fx - (right - left) / 2) : int(fx + (right - left) / 2)
    ]
    out[top:bottom, left:right] = cv2.resize(
        patch, (right - left, bottom - top), interpolation=cv2.INTER_LINEAR
    )
    return out
