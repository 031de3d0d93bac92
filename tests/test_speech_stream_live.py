"""A typed line on air a clause at a time: the first clause goes on air before the rest is made,
a late clause is a counted pause (never the rundown, never a click), and cancelling (an
interrupting line, the show stopping) stops it mid-stream, in the middle of a model run."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from studio.live.clips import Clip
from studio.live.program import REST, Program
from studio.live.speech_stream import ClipStream, stream_clips
from studio.live.supply import SpeechSupply
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver
from studio.tasks import Cancelled, CancelToken
from studio.voice import Speech, synthesize
from studio.voice.base import speech_cancel

FMT = StreamFormat(64, 64, Fraction(30))
LINE = "Good question, the blue one is in stock, and it ships tomorrow morning."
ESPEAK = "espeak:en-us"


def espeak_clips(text: str = LINE) -> list[Clip]:
    stream = ClipStream()
    return list(
        stream_clips(
            text,
            lambda p: synthesize(p, ESPEAK),
            FMT,
            default_driver(),
            "interjection: x",
            "interjection",
            stream,
        )
    )


class OneClip:
    """A rundown with one sentence ready: it must not step into the middle of a line."""

    def __init__(self, clip: Clip) -> None:
        self.clip: Clip | None = clip

    def take(self, timeout: float = 0.0) -> Clip | None:
        clip, self.clip = self.clip, None
        return clip

    @property
    def finished(self) -> bool:
        return self.clip is None


def test_a_late_clause_is_a_counted_silent_pause_and_the_line_goes_on() -> None:
    first, second, third = espeak_clips()
    rundown = dataclasses.replace(
        espeak_clips("Welcome back.")[0], label="Welcome back.", kind="rundown", rest=None
    )
    program = Program(FMT, OneClip(rundown))
    stream = first.rest
    assert stream is not None
    program.interject(first, interrupt=False)
    frames = [program.frame(i) for i in range(first.frames + 10)]  # the second clause is late
    held = frames[first.frames :]
    assert all(not f.audio.any() and np.array_equal(f.mouth, REST) for f in held)
    assert all(f.label == "interjection: x" for f in held)  # still the line, not the rundown
    assert (program.clause_gaps, program.clause_gap_frames) == (1, 10)
    assert stream.put(second)
    index = len(frames)
    while len(frames) < index + second.frames:
        frames.append(program.frame(len(frames)))
    # The second clause starts on the frame after the pause, from its first sample and mouth.
    assert frames[index].started is None  # the same line going on: not said (logged) again
    assert np.array_equal(frames[index].audio, second.audio[: len(frames[index].audio)])
    assert np.array_equal(frames[index + 5].mouth, second.track.frame(5))
    assert stream.put(third)
    stream.close()
    while len(frames) < index + second.frames + third.frames:
        frames.append(program.frame(len(frames)))
    assert {f.label for f in frames} == {"interjection: x"}  # the line whole, then the rundown
    after = program.frame(len(frames))
    assert after.started is rundown and after.label == "Welcome back."
    assert (program.clause_gaps, program.clause_gap_frames) == (1, 10)  # on time: no second gap
    # The wait adds silence to the pause at the join, which is silent on both sides: no step.
    audio = np.concatenate([f.audio for f in frames])
    join = first.frames * FMT.sample_rate // 30
    assert np.abs(audio[join - 4800 : join + 10 * 1600 + 480]).max() < 1e-3  # 10 ms of the next lead


def test_an_interrupt_fades_the_line_out_and_drops_its_rest() -> None:
    first, second, _ = espeak_clips()
    program = Program(FMT)
    stream = first.rest
    assert stream is not None
    program.interject(first, interrupt=False)
    assert stream.put(second)
    for i in range(5):
        program.frame(i)
    now = espeak_clips("Hello!")[0]
    program.interject(now, interrupt=True)
    faded = program.frame(5)
    assert abs(faded.audio[-1]) < 1e-3 and stream.cancelled and stream.done
    assert program.frame(6).started is now  # the rest of the first line is never heard
    assert not stream.put(second)  # and its speech thread's later pieces are dropped


def test_a_line_no_longer_being_made_plays_what_was_made_then_ends() -> None:
    first, second, third = espeak_clips()
    program = Program(FMT)
    stream = first.rest
    assert stream is not None
    program.interject(first, interrupt=False)
    assert stream.put(second)
    stream.stop_making()  # an interrupting line was typed; it is not ready yet
    assert not stream.put(third) and stream.cancelled and not stream.done
    frames = [program.frame(i) for i in range(first.frames + second.frames + 1)]
    assert np.array_equal(frames[first.frames].audio, second.audio[: len(frames[first.frames].audio)])
    assert frames[-1].label == "" and program.clause_gaps == 0 and stream.done  # no wait for a third


class GatedVoice:
    """eSpeak, except that a piece in ``gated`` waits until let through or until its stream is
    cancelled (then it raises ``Cancelled``, as a neural voice's run does)."""

    def __init__(self, gated: set[str]) -> None:
        self.gated = gated
        self.waiting = threading.Event()
        self.let_through = threading.Event()
        self.cancelled: list[str] = []

    def __call__(self, text: str, voice: str | None) -> Speech:
        if text in self.gated:
            token = speech_cancel()
            assert token is not None
            forget = token.on_cancel(self.let_through.set)
            self.waiting.set()
            self.let_through.wait(30)
            forget()
            if token.cancelled:
                self.cancelled.append(text)
                raise Cancelled("the line")
        return synthesize(text, ESPEAK)


def _supply(voice: GatedVoice) -> tuple[SpeechSupply, list[tuple[Clip, bool]], threading.Event]:
    supply = SpeechSupply(FMT, default_driver(), None, synthesize=voice)
    heard: list[tuple[Clip, bool]] = []
    arrived = threading.Event()

    def on_interjection(clip: Clip, interrupt: bool) -> None:
        heard.append((clip, interrupt))
        arrived.set()

    supply.on_interjection = on_interjection
    return supply, heard, arrived


def test_the_first_clause_goes_on_air_before_the_rest_is_made() -> None:
    voice = GatedVoice({"the blue one is in stock,"})
    supply, heard, arrived = _supply(voice)
    supply.start()
    try:
        supply.submit(LINE, answers=("q1", "ann: blue?"))
        assert arrived.wait(30) and voice.waiting.wait(30)
        ((first, _),) = heard  # handed over while the second clause is still being made
        stream = first.rest
        assert stream is not None and not stream.done and stream.take() is None
        assert first.submitted_at is not None and first.answers == "q1" and first.question == "ann: blue?"
        voice.let_through.set()
        pieces = []
        while not stream.done:
            clip = stream.take()
            if clip is not None:
                pieces.append(clip)
    finally:
        supply.close()
    assert len(pieces) == 2 and all(p.rest is stream and p.submitted_at is None for p in pieces)
    assert all(p.label == first.label == f"interjection: {LINE}" for p in pieces)
    assert not pieces[-1].audio[-FMT.sample_rate // 5 :].any()  # the line's own pause at its end


def test_an_interrupting_line_cancels_the_one_being_made() -> None:
    voice = GatedVoice({"the blue one is in stock,"})
    supply, heard, arrived = _supply(voice)
    supply.start()
    try:
        supply.submit(LINE)
        assert voice.waiting.wait(30)
        supply.submit("Hello everyone!", interrupt=True)
        arrived.clear()
        assert arrived.wait(30)
    finally:
        supply.close()
    (first, _), (then, interrupt) = heard
    # Its synthesis stopped (what was made would play on until the new line cuts in).
    assert first.rest is not None and first.rest.cancelled and first.rest.done
    assert voice.cancelled == ["the blue one is in stock,"]
    assert interrupt and then.label == "interjection: Hello everyone!"


def test_a_stream_cancelled_mid_run_stops_the_neural_voice_at_once() -> None:
    """Piper's second clause is stopped inside its model run (ONNX Runtime's terminate flag)."""
    running = threading.Event()

    class WatchedToken(CancelToken):
        def on_cancel(self, interrupt: Callable[[], None]) -> Callable[[], None]:
            forget = super().on_cancel(interrupt)
            running.set()  # a run has registered how to stop it
            return forget

    stream = ClipStream(CancelToken())
    stream.token = WatchedToken()
    text = "Yes, " + "this travel mug keeps your coffee hot for six hours and your water cold " * 3
    clips = stream_clips(
        text,
        lambda p: synthesize(p, "piper:en_US-joe-medium"),
        FMT,
        default_driver(),
        "x",
        "interjection",
        stream,
    )
    first = next(clips)
    assert first.rest is stream
    running.clear()

    def cancel_once_running() -> None:
        if running.wait(60):
            stream.cancel()

    threading.Thread(target=cancel_once_running, daemon=True).start()
    try:
        next(clips)
    except Cancelled:
        pass
    else:
        raise AssertionError("the second clause was made in full after its stream was cancelled")
    assert stream.done and not stream.put(first)
