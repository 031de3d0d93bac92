"""The preview output: the newest frame the engine showed, never holding the engine up."""

from __future__ import annotations

import threading
import time
from fractions import Fraction

import numpy as np
from live_fixtures import Sink, demo_renderers

from studio.live.clock import FreeRunClock
from studio.live.engine import EngineConfig, LiveEngine
from studio.live.program import Program
from studio.outputs.base import AudioChunk, StreamFormat, VideoFrame
from studio.outputs.preview import PREVIEW_NAME, PreviewOutput

FMT = StreamFormat(160, 96, Fraction(30))


def frame(index: int) -> VideoFrame:
    image = np.full((96, 160, 3), index % 256, np.uint8)
    return VideoFrame(index, index * 1600, image)


def test_the_latest_frame_wins_and_audio_is_ignored() -> None:
    preview = PreviewOutput()
    assert preview.name == PREVIEW_NAME
    preview.start(FMT)
    assert preview.latest() is None and preview.received == 0
    for i in range(5):
        preview.send_video(frame(i))
        preview.send_audio(AudioChunk(i * 1600, np.ones(1600, np.float32)))
    latest = preview.latest()
    assert latest is not None and latest.index == 4 and int(latest.image[0, 0, 0]) == 4
    assert preview.received == 5
    stats = preview.close()
    assert stats.frames == 5 and stats.audio_chunks == 0 and stats.state == "closed"
    # A stopped show keeps its last picture until the next one starts.
    assert preview.latest() is latest
    preview.start(FMT)
    assert preview.latest() is None and preview.received == 0


def test_a_reader_never_slows_the_sender() -> None:
    preview = PreviewOutput()
    preview.start(FMT)
    frames = [frame(i) for i in range(2000)]
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            got = preview.latest()
            if got is not None:
                seen.append(got.index)

    reader = threading.Thread(target=read, name="preview-reader")
    reader.start()
    try:
        began = time.perf_counter()
        for f in frames:
            preview.send_video(f)
        took = time.perf_counter() - began
    finally:
        done.set()
        reader.join()
    assert preview.received == 2000 and preview.latest() is frames[-1]
    assert took < 5.0  # 2000 hand-overs, 2.5 ms each at most on a loaded machine: no waiting on the reader
    assert seen == sorted(seen)  # the reader only ever sees newer frames


def test_in_a_running_engine_it_holds_the_frame_just_shown() -> None:
    preview, sink = PreviewOutput(), Sink(keep_images=True)
    engine = LiveEngine(
        FMT, Program(FMT), demo_renderers(160, 96, FMT.fps), [sink, preview], FreeRunClock(48_000),
        EngineConfig(duration_s=2.0),
    )  # fmt: skip
    try:
        engine.start()
        assert engine.wait(60)
    finally:
        stats = engine.stop()
    assert engine.error is None and not sink.problems
    latest = preview.latest()
    assert latest is not None
    assert latest.index == sink.frames[-1] == 59
    assert latest.image is sink.images[-1]  # the very frame, not a copy
    assert latest.image.shape == (96, 160, 3) and latest.image.std() > 10  # the avatar, not a blank
    assert stats[PREVIEW_NAME].frames == len(sink.frames) == 60
