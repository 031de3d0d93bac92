"""Audio files for tests: long ones that take no disk, and one that goes bad part-way."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def long_silent_wav(path: Path, seconds: int, rate: int = 8000) -> None:
    """A WAV whose header declares ``seconds`` of 16-bit mono silence, as a sparse file (no
    disk used)."""
    data = seconds * rate * 2
    header = (
        b"RIFF" + (36 + data).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
        + (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little")
        + (rate * 2).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
        + b"data" + data.to_bytes(4, "little")
    )  # fmt: skip
    with path.open("wb") as file:
        file.write(header)
        file.truncate(len(header) + data)


def mp3_with_damaged_tail(path: Path, seconds: float = 8.0, rate: int = 16_000) -> None:
    """An MP3 of a tone whose second half is overwritten with noise: its start decodes, and the
    decoder raises a few seconds in (FFmpeg's mp3 decoder refuses what it cannot parse)."""
    t = np.arange(int(seconds * rate)) / rate
    tone = (0.4 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(tone[None, :], format="fltp", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    data = bytearray(path.read_bytes())
    half = len(data) // 2
    data[half:] = np.random.default_rng(0).integers(0, 256, len(data) - half, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
