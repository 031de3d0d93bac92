"""Encode-only throughput of Mp4Writer at 1280x720 for several x264 presets.

Run: .venv/bin/python benchmarks/bench_encoder.py [--frames 300] [--threads 2]

Frames are pre-rendered so the figure is encoding alone (RGB->YUV conversion,
x264, AAC and muxing). Render + encode must reach >= 60 fps at 720p30 for 2x
real time, so encoding alone has to be well above that.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.media.encoder import Mp4Writer  # noqa: E402

WIDTH, HEIGHT, FPS, RATE = 1280, 720, Fraction(30), 48000


def make_frames(count: int) -> list[np.ndarray]:
    # A moving gradient plus noise: compresses like a talking head, not like a flat colour.
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    base = np.stack([xx * 255 // WIDTH, yy * 255 // HEIGHT, (xx + yy) % 256], axis=-1).astype(np.uint8)
    frames = []
    for i in range(count):
        frame = np.roll(base, 4 * i, axis=1)
        cv2.circle(frame, (WIDTH // 2 + int(200 * np.sin(i / 10)), HEIGHT // 2), 120, (240, 200, 180), -1)
        noise = rng.integers(0, 8, size=(HEIGHT, WIDTH, 1), dtype=np.uint8)
        frames.append(cv2.add(frame, np.repeat(noise, 3, axis=2)))
    return frames


def bench(frames: list[np.ndarray], preset: str, threads: int, threaded: bool) -> float:
    per_frame = RATE // int(FPS)
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(per_frame) / RATE)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with Mp4Writer(
            Path(tmp) / "bench.mp4",
            WIDTH,
            HEIGHT,
            FPS,
            preset=preset,
            threads=threads,
            threaded=threaded,
        ) as out:
            for i, frame in enumerate(frames):
                out.write_audio(tone, i * per_frame)
                out.write_video(frame, i)
        return len(frames) / (time.perf_counter() - start)


def bench_conversion(frame: np.ndarray, repeat: int = 200) -> None:
    def cv2_path() -> None:
        av.VideoFrame.from_ndarray(cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420), format="yuv420p")

    def av_path() -> None:
        av.VideoFrame.from_ndarray(frame, format="rgb24").reformat(format="yuv420p")

    for name, fn in (("cv2.cvtColor I420", cv2_path), ("PyAV reformat", av_path)):
        fn()
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        print(f"RGB->yuv420p {name:18s} {(time.perf_counter() - start) / repeat * 1000:6.2f} ms/frame")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--presets", default="ultrafast,superfast,veryfast,faster")
    args = parser.parse_args()
    frames = make_frames(args.frames)
    bench_conversion(frames[0])
    print(f"{WIDTH}x{HEIGHT} @ {FPS} fps, {args.frames} frames, x264 threads={args.threads}")
    for preset in args.presets.split(","):
        sync = bench(frames, preset, args.threads, threaded=False)
        worker = bench(frames, preset, args.threads, threaded=True)
        print(f"  {preset:10s} encode {sync:6.1f} fps   threaded={worker:6.1f} fps")


if __name__ == "__main__":
    main()
