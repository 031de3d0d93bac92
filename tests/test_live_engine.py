"""The live engine end to end: real voice, real renderer, outputs on one clock."""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
from live_fixtures import Sink, SlowOutput, demo_renderers

from studio.live.clock import FreeRunClock, MonotonicClock
from studio.live.engine import EngineConfig, LiveEngine
from studio.live.program import Program
from studio.live.rundown import Rundown, Segment
from studio.live.supply import SpeechSupply
from studio.media.clock import frame_start_sample
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver

FPS = Fraction(30000, 1001)
FMT = StreamFormat(160, 96, FPS)
RUNDOWN = Rundown((Segment("Welcome to the live room!", "piper:en_US-joe-medium", 2, 300),), loop=False)


class WatchedProgram(Program):
    """The program, noting the frames on which a clip starts."""

    starts: list[int]

    def frame(self, index: int, timeout: float = 0.0):  # noqa: ANN201
        content = super().frame(index, timeout)
        if content.started is not None:
            self.starts = [*getattr(self, "starts", []), index]
        return content


def run_show(outputs: list, clock, seconds: float, rundown: Rundown = RUNDOWN, **config) -> tuple:  # noqa: ANN001
    supply = SpeechSupply(FMT, default_driver(), rundown)
    program = WatchedProgram(FMT, supply, wait_for_speech_s=10.0 if isinstance(clock, FreeRunClock) else 0.0)
    supply.on_interjection = program.interject
    supply.start()
    engine = LiveEngine(
        FMT, program, demo_renderers(160, 96, FPS), outputs, clock, EngineConfig(duration_s=seconds, **config)
    )
    try:
        engine.start()
        assert engine.wait(120)
    finally:
        engine.stop()
        supply.close()
    return engine, program, supply


def test_a_rundown_plays_on_one_clock_sample_exact() -> None:
    sink = Sink(keep_images=True)
    engine, program, supply = run_show([sink], FreeRunClock(48_000), 8.0)
    assert engine.error is None and sink.closed and not sink.problems
    n = len(sink.frames)
    assert n == sum(1 for i in range(1000) if frame_start_sample(i, 48_000, FPS) < 8 * 48_000)
    assert sink.frames == list(range(n))
    assert sink.pts == [frame_start_sample(i, 48_000, FPS) for i in range(n)]
    assert sink.audio_end == frame_start_sample(n, 48_000, FPS)  # audio covers exactly the frames
    audio = np.concatenate(sink.audio)
    voiced = np.abs(audio) > 0.02
    assert 0.8 < voiced.sum() / 48_000 < 4.0  # the sentence, twice, then idle
    first, second = (frame_start_sample(i, 48_000, FPS) for i in program.starts)
    np.testing.assert_array_equal(audio[first:second], audio[second : 2 * second - first])
    assert supply.synthesised == 1  # the repeat came from the cache
    # Never a frozen frame: idle frames after the speech still change (breathing, blinks, head).
    tail = sink.images[-30:]
    assert all(not np.array_equal(a, b) for a, b in zip(tail, tail[1:], strict=False))
    assert all(img.shape == (96, 160, 3) and img.dtype == np.uint8 for img in sink.images[:3])
    assert program.idle_frames > 0
    status = engine.status()
    assert status.frames == n and status.late == 0


def test_a_slow_output_drops_its_own_frames_and_stalls_nothing() -> None:
    fast, slow = Sink("fast"), SlowOutput(0.2)
    engine, _, _ = run_show([fast, slow], MonotonicClock(48_000), 2.0)
    stats = engine.stop()
    assert engine.error is None and not fast.problems
    assert len(fast.frames) + engine.stats.skipped == pytest.approx(60, abs=1)
    assert len(slow.written) <= 12  # 0.2 s a frame: at most about ten in two seconds...
    assert stats["slow"].dropped >= 40  # ...and the rest replaced while it was busy
    assert slow.written == sorted(slow.written)


def test_an_interjection_is_spoken_on_a_running_show() -> None:
    sink = Sink(keep_images=False)
    supply = SpeechSupply(FMT, default_driver(), None)
    program = Program(FMT, supply)
    supply.on_interjection = program.interject
    supply.start()
    engine = LiveEngine(FMT, program, demo_renderers(160, 96, FPS, 1), [sink], MonotonicClock(48_000))
    engine.start()
    try:
        time.sleep(0.3)
        supply.submit("Thank you for the follow!", interrupt=True)
        deadline = time.monotonic() + 20
        while engine.stats.interjection_ms is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        engine.stop()
        supply.close()
    assert engine.stats.interjection_ms is not None and engine.stats.interjection_ms > 0
    assert not sink.problems


class Broken:
    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        if frame_index == 5:
            raise RuntimeError("renderer broke")
        return np.zeros((96, 160, 3), np.uint8)


def test_a_failing_renderer_stops_the_show_and_reports_why() -> None:
    sink = Sink()
    engine = LiveEngine(FMT, Program(FMT), [Broken()], [sink], FreeRunClock(48_000))
    engine.start()
    assert engine.wait(10)
    engine.stop()
    assert isinstance(engine.error, RuntimeError) and "renderer broke" in str(engine.error)
    assert sink.closed and sink.frames == list(range(len(sink.frames))) and len(sink.frames) <= 5


class SlowRenderer:
    """A renderer far too slow for real time (a machine under load)."""

    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        time.sleep(0.15)
        return np.zeros((96, 160, 3), np.uint8)


class TimedSink(Sink):
    """Notes how early each audio chunk arrives before its time on the show clock."""

    def __init__(self, clock: MonotonicClock) -> None:
        super().__init__("timed")
        self.clock = clock
        self.margins: list[float] = []

    def send_audio(self, chunk) -> None:  # noqa: ANN001
        self.margins.append((chunk.pts - self.clock.now()) / 48_000)
        super().send_audio(chunk)


def test_an_overloaded_renderer_skips_frames_but_the_sound_stays_on_time() -> None:
    clock = MonotonicClock(48_000)
    sink = TimedSink(clock)
    engine = LiveEngine(FMT, Program(FMT), [SlowRenderer()], [sink], clock, EngineConfig(duration_s=2.0))
    engine.start()
    assert engine.wait(30)
    engine.stop()
    assert engine.error is None and not sink.problems
    assert engine.stats.skipped > 20 and len(sink.frames) < 30  # many frames could not be drawn...
    assert sink.audio_end == frame_start_sample(len(sink.margins), 48_000, FPS)
    assert min(sink.margins) > 0  # ...but every chunk of sound went out before its time


class FailsToClose(Sink):
    def close(self):  # noqa: ANN201
        raise OSError("device unplugged")


def test_an_output_that_fails_to_close_does_not_keep_the_others_open() -> None:
    broken, recording = FailsToClose("audio"), Sink("record")
    engine = LiveEngine(
        FMT,
        Program(FMT),
        demo_renderers(160, 96, FPS, 1),
        [broken, recording],
        FreeRunClock(48_000),
        EngineConfig(duration_s=0.5),
    )
    engine.start()
    assert engine.wait(30)
    stats = engine.stop()
    assert recording.closed
    assert stats["audio"].state == "failed: device unplugged" and stats["record"].state == "closed"
