"""tools/lipsync_side_by_side.py: the stretch it shows, and where it finds the mouth (no rendering)."""

from __future__ import annotations

import sys
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import lipsync_side_by_side as sbs  # noqa: E402

LJ = ROOT / "assets" / "lipsync_eval" / "real-aligned" / "ljspeech-LJ001-0009.tsv"


def test_the_busiest_stretch_of_ljspeech_is_books_by_means_of_movable() -> None:
    # "...art of making books by means of movable types": b, m, b, m, m/v closures and
    # the k-s-b cluster of "books by" all start between 4.6 s and 6.6 s.
    assert sbs.busiest_window(LJ, 2.0) == 4.6
    assert sbs.viseme_at(LJ, 4.7) == "PP"  # the b of "books"
    assert sbs.viseme_at(LJ, 5.0) == "SS"
    assert sbs.viseme_at(LJ, 99.0) == ""
    spans = sbs.closures(LJ, 3)
    assert spans == sorted(spans) and all(0.0 < t < 7.6 for t in spans)


def _video(path: Path, frames: list[np.ndarray]) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 96, 96, "yuv420p"
        stream.options = {"crf": "10"}
        for rgb in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode())
    return path


def test_the_mouth_box_is_where_two_renders_differ(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    face = rng.integers(90, 160, (96, 96, 3), dtype=np.uint8)
    a, b = [], []
    for k in range(6):
        other = face.copy()
        other[60:72, 30:54] = 20 + 30 * k  # the "mouth" opens differently in every frame
        a.append(face)
        b.append(other)
    x, y, w, h = sbs.mouth_box(_video(tmp_path / "a.mp4", a), _video(tmp_path / "b.mp4", b))
    assert x <= 30 and x + w >= 54 and y <= 60 and y + h >= 72
    assert w <= 60 and abs(w / h - sbs.TILE_W / sbs.TILE_H) < 0.05
