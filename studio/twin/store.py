"""A twin's parts in an avatar package (``package.TWIN_FILES``), and ``TwinData`` read back.

- ``idle.mp4``: the idle loop, H.264 (crf ``IDLE_CRF``), one frame per loop step;
- ``idle.npz``: the loop's landmarks (smoothed), its measured mouth, fps and size;
- ``atlas.mp4``: one frame per unit, H.264 4:4:4 (crf ``ATLAS_CRF``): the crops compress ~20x
  better than PNGs and decode in well under a second;
- ``atlas.npz``: the other atlas arrays, the canonical frame and the rest unit;
- ``coverage.json``: the coverage report.

Every part's size is checked before it is read (a damaged or planted file cannot take the
memory or block the reader); any damage is one ``InputError`` line.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from studio.avatar.package import PackageFileError, read_part
from studio.errors import InputError, one_line
from studio.face.topology import NUM_LANDMARKS
from studio.translation import tr
from studio.twin.data import STABLE_POINTS, Atlas, Canonical, IdleLoop, TwinData

IDLE_VIDEO, IDLE_DATA = "idle.mp4", "idle.npz"
ATLAS_VIDEO, ATLAS_DATA = "atlas.mp4", "atlas.npz"
COVERAGE = "coverage.json"
IDLE_CRF, ATLAS_CRF = 16, 12
# Limits checked before reading: a 10 s 720p loop at crf 16 is ~15 MB, 800 units ~10 MB.
MAX_VIDEO_BYTES = 200 * 1024 * 1024
MAX_DATA_BYTES = 64 * 1024 * 1024
MAX_COVERAGE_BYTES = 1024 * 1024
MAX_UNITS = 4000
MAX_CROP_SIDE = 1024
# What the arrays of one .npz may hold once read (a 4000-unit atlas's landmarks are 15 MB), and
# what the decoded crops may take (800 units of 256x258 are 160 MB).
MAX_ARRAY_BYTES = 256 * 1024 * 1024
MAX_CROP_BYTES = 512 * 1024 * 1024


def _hint() -> str:
    return tr("Build the twin again from its video with 'studio avatar create --video'.")


class _Encoder:
    """Frames (RGB uint8) into an H.264 file, constant rate."""

    def __init__(self, path: Path, size: tuple[int, int], fps: Fraction, crf: int, pix_fmt: str) -> None:
        import av

        self._container = av.open(str(path), "w", format="mp4")
        self._stream = self._container.add_stream(
            "libx264", rate=fps, options={"crf": str(crf), "preset": "veryfast"}
        )
        self._stream.width, self._stream.height = size
        self._stream.pix_fmt = pix_fmt
        self.count = 0

    def add(self, rgb: np.ndarray) -> None:
        import av

        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.count += 1

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()


def even_size(width: int, height: int) -> tuple[int, int]:
    """The idle video's size: H.264 4:2:0 needs even sides (the last odd row/column is dropped)."""
    return width // 2 * 2, height // 2 * 2


def write_idle(folder: Path, frames: Iterable[np.ndarray], fps: Fraction) -> tuple[np.ndarray, int]:
    """Encode the loop's frames as idle.mp4; (its first frame, the number of frames)."""
    encoder: _Encoder | None = None
    first: np.ndarray | None = None
    try:
        for rgb in frames:
            w, h = even_size(rgb.shape[1], rgb.shape[0])
            if encoder is None:
                first = rgb[:h, :w].copy()
                encoder = _Encoder(folder / IDLE_VIDEO, (w, h), fps, IDLE_CRF, "yuv420p")
            encoder.add(rgb[:h, :w])
    finally:
        if encoder is not None:
            encoder.close()
    if encoder is None or first is None:
        raise ValueError("the idle loop has no frame")
    return first, encoder.count


def write_twin_parts(
    folder: Path,
    idle_landmarks: np.ndarray,
    idle_mouth: np.ndarray,
    idle_size: tuple[int, int],
    fps: Fraction,
    atlas: Atlas,
    canonical: Canonical,
    rest_unit: int,
    coverage: dict[str, Any],
) -> None:
    """Write everything but idle.mp4 (``write_idle``, streamed) into ``folder``."""
    np.savez(
        folder / IDLE_DATA,
        landmarks=idle_landmarks.astype(np.float32),
        mouth_closed=idle_mouth.astype(np.float32),
        fps=np.array([fps.numerator, fps.denominator], np.int64),
        size=np.array(idle_size, np.int64),
    )
    encoder = _Encoder(folder / ATLAS_VIDEO, canonical.size, Fraction(25), ATLAS_CRF, "yuv444p")
    try:
        for crop in atlas.crops:
            encoder.add(crop)
    finally:
        encoder.close()
    np.savez(
        folder / ATLAS_DATA,
        landmarks=atlas.landmarks.astype(np.float32),
        mouth=atlas.mouth.astype(np.float32),
        visemes=atlas.visemes.astype(np.float32),
        source_frame=atlas.source_frame.astype(np.int32),
        embedding=atlas.embedding.astype(np.float32),
        canonical_size=np.array(canonical.size, np.int64),
        canonical_points=canonical.points.astype(np.float32),
        rest_unit=np.array(rest_unit, np.int64),
    )
    (folder / COVERAGE).write_text(json.dumps(coverage, indent=2) + "\n", encoding="utf-8")


def _npz(folder: Path, part: str) -> dict[str, np.ndarray]:
    """The arrays of an .npz part, each checked from its header before it is read: an entry
    may declare any shape (np.load would allocate it) or inflate far beyond its stored size."""
    raw = read_part(folder, part, part, MAX_DATA_BYTES)
    out: dict[str, np.ndarray] = {}
    total = 0
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            key = info.filename.removesuffix(".npy")
            if key in out or not key.isidentifier():
                raise ValueError(f"{part} holds an unexpected entry {info.filename!r}")
            with archive.open(info) as fh:
                version = np.lib.format.read_magic(fh)
                if version == (1, 0):
                    shape, _fortran, dtype = np.lib.format.read_array_header_1_0(fh)
                else:
                    shape, _fortran, dtype = np.lib.format.read_array_header_2_0(fh)
                if dtype.hasobject or dtype.kind not in "fiub":
                    raise ValueError(f"{part} '{key}' holds {dtype}, not numbers")
                total += int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
                if total > MAX_ARRAY_BYTES:
                    raise ValueError(f"{part} declares more than {MAX_ARRAY_BYTES >> 20} MB of arrays")
            with archive.open(info) as fh:
                out[key] = np.lib.format.read_array(fh, allow_pickle=False)
    return out


def _video_path(folder: Path, part: str) -> Path:
    """The part's path once it is known to be a regular file of a sane size."""
    path = folder / part
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise PackageFileError(tr("{part} is missing").format(part=part)) from None
    if not stat.S_ISREG(info.st_mode):
        raise PackageFileError(tr("{part} is not a regular file").format(part=part))
    if info.st_size == 0 or info.st_size > MAX_VIDEO_BYTES:
        raise PackageFileError(tr("{part} is {n} bytes").format(part=part, n=info.st_size))
    return path


def _decode_crops(path: Path, count: int, size: tuple[int, int]) -> np.ndarray:
    import av

    width, height = size
    crops = np.empty((count, height, width, 3), np.uint8)
    done = 0
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if done >= count:
                raise ValueError(f"{ATLAS_VIDEO} holds more than its {count} units")
            if (frame.width, frame.height) != size:
                raise ValueError(f"{ATLAS_VIDEO} is {frame.width}x{frame.height}, not {width}x{height}")
            crops[done] = frame.to_ndarray(format="rgb24")
            done += 1
    if done != count:
        raise ValueError(f"{ATLAS_VIDEO} holds {done} units, not {count}")
    return crops


def _shaped(data: dict[str, np.ndarray], key: str, shape: tuple[int | None, ...], part: str) -> np.ndarray:
    if key not in data:
        raise ValueError(f"{part} has no '{key}'")
    value = data[key]
    if value.ndim != len(shape) or any(
        s is not None and s != v for s, v in zip(shape, value.shape, strict=True)
    ):
        raise ValueError(f"{part} '{key}' is {value.shape}, not {shape}")
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ValueError(f"{part} '{key}' holds values that are not finite numbers")
    return value


def load_twin(folder: Path) -> TwinData:
    """The twin in the package ``folder``; ``InputError`` (one line) when a part is damaged."""
    folder = Path(folder)
    try:
        return _load(folder)
    except InputError:
        raise
    except (OSError, ValueError, KeyError, EOFError, TypeError, MemoryError, zipfile.BadZipFile) as exc:
        raise InputError(
            tr("the twin at {folder} is damaged ({reason}).").format(folder=folder, reason=one_line(exc)),
            _hint(),
        ) from exc
    except Exception as exc:  # PyAV's decoder errors (av.FFmpegError) are not OSErrors in every version
        if type(exc).__module__.startswith("av"):
            raise InputError(
                tr("the twin at {folder} is damaged ({reason}).").format(folder=folder, reason=one_line(exc)),
                _hint(),
            ) from exc
        raise


def _load(folder: Path) -> TwinData:
    atlas_data = _npz(folder, ATLAS_DATA)
    size = _shaped(atlas_data, "canonical_size", (2,), ATLAS_DATA)
    width, height = int(size[0]), int(size[1])
    if not (2 <= width <= MAX_CROP_SIDE and 2 <= height <= MAX_CROP_SIDE):
        raise ValueError(f"{ATLAS_DATA} canonical size {width}x{height} is out of range")
    points = _shaped(atlas_data, "canonical_points", (len(STABLE_POINTS), 2), ATLAS_DATA)
    mouth = _shaped(atlas_data, "mouth", (None, 5), ATLAS_DATA)
    units = mouth.shape[0]
    if not 1 <= units <= MAX_UNITS:
        raise ValueError(f"{ATLAS_DATA} holds {units} units")
    if units * width * height * 3 > MAX_CROP_BYTES:
        raise ValueError(f"{ATLAS_DATA} declares {units} units of {width}x{height}, more than a twin holds")
    visemes = _shaped(atlas_data, "visemes", (units, None), ATLAS_DATA)
    rest = int(_shaped(atlas_data, "rest_unit", (), ATLAS_DATA))
    if not 0 <= rest < units:
        raise ValueError(f"{ATLAS_DATA} rest unit {rest} is not one of its {units} units")
    atlas = Atlas(
        crops=_decode_crops(_video_path(folder, ATLAS_VIDEO), units, (width, height)),
        landmarks=_shaped(atlas_data, "landmarks", (units, NUM_LANDMARKS, 2), ATLAS_DATA).astype(np.float32),
        mouth=mouth.astype(np.float32),
        visemes=visemes.astype(np.float32),
        source_frame=_shaped(atlas_data, "source_frame", (units,), ATLAS_DATA).astype(np.int32),
        embedding=_shaped(atlas_data, "embedding", (units, None), ATLAS_DATA).astype(np.float32),
    )
    idle_data = _npz(folder, IDLE_DATA)
    marks = _shaped(idle_data, "landmarks", (None, NUM_LANDMARKS, 3), IDLE_DATA)
    frames = marks.shape[0]
    if frames < 1:
        raise ValueError(f"{IDLE_DATA} holds no frame")
    fps = _shaped(idle_data, "fps", (2,), IDLE_DATA)
    idle_size = _shaped(idle_data, "size", (2,), IDLE_DATA)
    if fps[0] <= 0 or fps[1] <= 0 or min(idle_size) < 2:
        raise ValueError(f"{IDLE_DATA} fps {fps.tolist()} or size {idle_size.tolist()} is not valid")
    idle = IdleLoop(
        video=_video_path(folder, IDLE_VIDEO),
        size=(int(idle_size[0]), int(idle_size[1])),
        fps=Fraction(int(fps[0]), int(fps[1])),
        landmarks=marks.astype(np.float32),
        mouth_closed=_shaped(idle_data, "mouth_closed", (frames, 5), IDLE_DATA).astype(np.float32),
    )
    coverage = json.loads(
        read_part(folder, COVERAGE, tr("coverage report"), MAX_COVERAGE_BYTES).decode("utf-8")
    )
    if not isinstance(coverage, dict):
        raise ValueError(f"{COVERAGE} is not a JSON object")
    return TwinData(
        canonical=Canonical((width, height), points.astype(np.float32)),
        atlas=atlas,
        idle=idle,
        rest_unit=rest,
    )
