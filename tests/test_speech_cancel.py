"""Stopping a show stops the sentence being made: a neural voice's run is interrupted (ONNX
Runtime's terminate flag), not waited for, so no speech thread outlives the show."""

from __future__ import annotations

import threading
from collections.abc import Callable

from studio.tasks import Cancelled, CancelToken
from studio.voice.base import speech_cancelled_by
from studio.voice.kokoro import KokoroEngine

pytest_plugins = ["voice_fixtures"]

# One sentence, so one model run: a cancel checked only between runs could not stop it.
LONG_SENTENCE = "This travel mug keeps your coffee hot for six hours and your water cold " * 6


class WatchedToken(CancelToken):
    """A token that says when a blocking call has registered its interrupt (a run under way)."""

    def __init__(self) -> None:
        super().__init__()
        self.running = threading.Event()

    def on_cancel(self, interrupt: Callable[[], None]) -> Callable[[], None]:
        forget = super().on_cancel(interrupt)
        self.running.set()
        return forget


def test_on_cancel_runs_the_interrupt_once_and_at_once_when_already_cancelled() -> None:
    token = CancelToken()
    calls: list[str] = []
    forget = token.on_cancel(lambda: calls.append("a"))
    token.on_cancel(lambda: calls.append("b"))()  # registered, then forgotten
    token.cancel()
    assert calls == ["a"]
    forget()  # after the fact: harmless
    token.on_cancel(lambda: calls.append("late"))
    assert calls == ["a", "late"]


def test_a_kokoro_sentence_stops_mid_run_when_the_show_cancels(kokoro_installed: None) -> None:
    engine = KokoroEngine()
    voice = next(v for v in engine.voices() if v.id == "kokoro:af_heart")
    token = WatchedToken()
    outcome: list[object] = []

    def speak() -> None:
        with speech_cancelled_by(token):
            try:
                outcome.append(engine.synthesize(LONG_SENTENCE.strip() + ".", voice))
            except Cancelled as exc:
                outcome.append(exc)

    worker = threading.Thread(target=speak)
    worker.start()
    assert token.running.wait(120), "the model run never started"
    token.cancel()
    worker.join()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled), outcome
    # The same engine speaks again afterwards: the cancel belonged to that run only.
    assert engine.synthesize("Thank you.", voice).audio.size > 0
