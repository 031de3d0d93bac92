"""The engine's planning step: each frame's mouth goes through the renderers' planner, in frame
order, with the coming frames' mouths the program already knows; every render thread gets the
planned vector, whichever thread draws the frame."""

from __future__ import annotations

import threading
from fractions import Fraction

import numpy as np
from live_fixtures import Sink

from studio.live.clock import FreeRunClock
from studio.live.engine import EngineConfig, LiveEngine, PassThroughPlanner
from studio.live.program import AHEAD_FRAMES, Program
from studio.live.rundown import Rundown, Segment
from studio.live.supply import SpeechSupply
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver

FPS = Fraction(30)
FMT = StreamFormat(160, 96, FPS)
RUNDOWN = Rundown((Segment("Welcome to the live room, everyone!", "espeak:en-us", 1, 300),), loop=False)


class RecordingPlanner(PassThroughPlanner):
    """Notes what the engine asks, and numbers its answers so the renderers' inputs can be traced."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, np.ndarray, np.ndarray, str]] = []

    def plan(self, frame_index: int, mouth: np.ndarray, ahead: np.ndarray) -> np.ndarray:
        self.calls.append((frame_index, mouth.copy(), ahead.copy(), threading.current_thread().name))
        return np.concatenate([mouth, [float(frame_index)]]).astype(np.float32)


class EchoRenderer:
    """Draws nothing: keeps which planned vector reached it for which frame."""

    def __init__(self, seen: dict[int, np.ndarray]) -> None:
        self.seen = seen

    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        self.seen[frame_index] = mouth.copy()
        return np.zeros((FMT.height, FMT.width, 3), np.uint8)


def test_every_frame_is_planned_once_in_order_and_the_plan_reaches_its_renderer() -> None:
    supply = SpeechSupply(FMT, default_driver(), RUNDOWN)
    program = Program(FMT, supply, wait_for_speech_s=10.0)
    supply.start()
    planner, seen = RecordingPlanner(), {}
    renderers = [EchoRenderer(seen), EchoRenderer(seen)]
    engine = LiveEngine(
        FMT, program, renderers, [Sink()], FreeRunClock(48_000), EngineConfig(duration_s=3.0), planner=planner
    )
    try:
        engine.start()
        assert engine.wait(60)
    finally:
        engine.stop()
        supply.close()
    assert engine.error is None
    indices = [c[0] for c in planner.calls]
    assert indices == list(range(len(indices))) and len(indices) == 90
    assert {c[3] for c in planner.calls} == {"studio-live-plan"}  # one thread decides, in order
    for index, mouth in seen.items():
        assert mouth[-1] == index  # the planned vector, not the raw mouth
    # While a clip speaks, each frame carries the clip's coming mouths: the next frame's mouth
    # is the first of them.
    speaking = [c for c in planner.calls if len(c[2])]
    assert len(speaking) > 30 and all(len(c[2]) <= AHEAD_FRAMES for c in speaking)
    by_index = {c[0]: c for c in planner.calls}
    followed = [c for c in speaking if c[0] + 1 in by_index]
    assert all(np.allclose(c[2][0], by_index[c[0] + 1][1]) for c in followed if len(by_index[c[0] + 1][2]))
    assert any(np.abs(c[2]).sum() > 0 for c in speaking)  # real mouths, not rest


def test_replacing_the_renderers_replaces_their_planner() -> None:
    supply = SpeechSupply(FMT, default_driver(), RUNDOWN)
    program = Program(FMT, supply, wait_for_speech_s=10.0)
    supply.start()
    first, second, seen = RecordingPlanner(), RecordingPlanner(), {}
    engine = LiveEngine(
        FMT, program, [EchoRenderer(seen)], [Sink()], FreeRunClock(48_000), EngineConfig(duration_s=2.0),
        planner=first,
    )  # fmt: skip
    engine.replace_renderers([EchoRenderer(seen)], planner=second)  # before the start: from frame 0
    try:
        engine.start()
        assert engine.wait(60)
    finally:
        engine.stop()
        supply.close()
    assert first.calls == [] and len(second.calls) == 60
