"""An hour of show on an accelerated clock: no drift between sound and frames, flat memory.

The clock runs free (each wait returns at once), so an hour of 29.97 fps show (107,892
frames, 1601.6 samples each: the rate where rounding would pile up) passes in about a
minute. The voice is real (the offline neural voice speaking a looping rundown); the
renderer is a stand-in that hands back one fixed frame, because the photo renderer costs
about 4 ms a frame here and would make this test take eight minutes: its own cost and
memory over a real-time run are in ``benchmarks/bench_live.py``.
"""

from __future__ import annotations

import gc
import os
from fractions import Fraction

import numpy as np

from studio.live.clock import FreeRunClock
from studio.live.engine import EngineConfig, LiveEngine
from studio.live.program import Program
from studio.live.rundown import Rundown, Segment
from studio.live.supply import SpeechSupply
from studio.media.clock import frame_start_sample
from studio.outputs.base import AudioChunk, OutputStats, StreamFormat, VideoFrame
from studio.pipeline.render_job import default_driver

FPS = Fraction(30000, 1001)
RATE = 48_000
HOUR = 3600.0


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class StillFrame:
    def __init__(self) -> None:
        self.image = np.full((64, 64, 3), 128, np.uint8)
        self.mouths = 0.0

    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        self.mouths += float(mouth[0])
        return self.image


class Checker:
    """Checks every frame and chunk as it passes, keeping only counters (so memory is flat)."""

    name = "checker"

    def __init__(self) -> None:
        self.frames = 0
        self.next_pts = 0
        self.audio_end = 0
        self.voiced = 0
        self.problems: list[str] = []
        self.rss: list[float] = []

    def start(self, fmt: StreamFormat) -> None:
        pass

    def send_video(self, frame: VideoFrame) -> None:
        expected = frame_start_sample(self.frames, RATE, FPS)
        if frame.index != self.frames or frame.pts != expected:
            self.problems.append(f"frame {frame.index} pts {frame.pts}, expected {self.frames} at {expected}")
        self.frames += 1
        if self.frames % (10 * 60 * 30) == 0:  # every ten simulated minutes or so
            gc.collect()
            self.rss.append(rss_mb())

    def send_audio(self, chunk: AudioChunk) -> None:
        if chunk.pts != self.audio_end:
            self.problems.append(f"audio at {chunk.pts}, expected {self.audio_end}")
        self.audio_end = chunk.pts + len(chunk.samples)
        self.voiced += int(np.count_nonzero(np.abs(chunk.samples) > 0.05))

    def close(self) -> OutputStats:
        return OutputStats(frames=self.frames)


def test_an_hour_of_show_keeps_sound_and_frames_together_in_flat_memory() -> None:
    fmt = StreamFormat(64, 64, FPS)
    rundown = Rundown(
        (
            Segment("Welcome to the live room!", "piper:en_US-joe-medium", 1, 300),
            Segment("This serum is thirty percent off for the next hour.", "piper:en_US-joe-medium", 2, 500),
        ),
        loop=True,
    )
    supply = SpeechSupply(fmt, default_driver(), rundown)
    program = Program(fmt, supply, wait_for_speech_s=30.0)
    supply.on_interjection = program.interject
    checker, renderer = Checker(), StillFrame()
    engine = LiveEngine(
        fmt, program, [renderer], [checker], FreeRunClock(RATE), EngineConfig(duration_s=HOUR)
    )
    supply.start()
    engine.start()
    try:
        # Interjections mid-show take their turn and the show goes on.
        supply.submit("Thanks for the follow!")
        assert engine.wait(600)
    finally:
        engine.stop()
        supply.close()
    assert engine.error is None
    frames = frame_count_for(HOUR)
    assert checker.frames == frames == 107_893  # pts below 3600 s: frames 0 .. 107,892
    assert not checker.problems[:5]
    # No drift: after an hour the sound ends exactly where the last frame does, to the sample.
    assert checker.audio_end == frame_start_sample(frames, RATE, FPS) == round(frames * RATE / FPS)
    assert program.gaps == 0 and program.idle_frames < 30  # speech all along, no dead air
    assert checker.voiced > 0.1 * HOUR * RATE and renderer.mouths > 0  # 17 % of samples above 0.05
    assert supply.synthesised <= 4  # the rundown's three sentences (and the interjection), once
    # Memory is flat once warm: from the first ten minutes to the hour, under 20 MB more.
    assert len(checker.rss) >= 5
    assert max(checker.rss[1:]) - checker.rss[0] < 20, checker.rss


def frame_count_for(seconds: float) -> int:
    n = 0
    while frame_start_sample(n, RATE, FPS) < seconds * RATE:
        n += 1
    return n
