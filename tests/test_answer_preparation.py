"""Viewers' answers made before the operator decides: used when approved as suggested, made again
when edited, let go when rejected or dropped, a few at most, and never before the rundown's own."""

from __future__ import annotations

import threading
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.commerce import load_catalog
from studio.live.clips import Clip, synthesize_live
from studio.live.prepared import MAX_PREPARED
from studio.live.rundown import Rundown, Segment
from studio.live.supply import SpeechSupply
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver
from studio.room import ModerationQueue, make_comment
from studio.voice import Speech
from studio.voice.clause_stream import stream_pieces

FMT = StreamFormat(64, 64, Fraction(30))
VOICE = "espeak:en-us"
ANSWER = "Good question, it holds 350 ml and keeps drinks hot for 6 hours."
CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog" / "catalog.toml"


class CountingVoice:
    """The real voice, counted at its boundary: every text it is asked to speak, in order."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, text: str, voice: str | None) -> Speech:
        with self._lock:
            self.texts.append(text)
        return synthesize_live(text, voice)

    def count(self, text: str) -> int:
        with self._lock:
            return sum(t in {p.text for p in stream_pieces(text)} for t in self.texts)


def until(condition: object, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def supply_with(voice: CountingVoice, rundown: Rundown | None = None) -> tuple[SpeechSupply, list[Clip]]:
    supply = SpeechSupply(FMT, default_driver(), rundown, synthesize=voice)
    said: list[Clip] = []
    supply.on_interjection = lambda clip, interrupt: said.append(clip)
    return supply, said


def made(supply: SpeechSupply, key: str, pieces: int) -> bool:
    entry = supply.prepared._entries.get(key)  # noqa: SLF001 - what the worker has made so far
    return entry is not None and len(entry.clips) == pieces


def test_an_answer_approved_as_suggested_goes_on_air_without_being_made_again() -> None:
    voice = CountingVoice()
    supply, said = supply_with(voice)
    supply.start()
    try:
        pieces = len(stream_pieces(ANSWER))
        supply.prepare("q1", ANSWER, VOICE)
        assert until(lambda: made(supply, "q1", pieces)), "the suggestion was not made while it waited"
        assert voice.count(ANSWER) == pieces  # each piece once, before any approval
        supply.submit(ANSWER, voice=VOICE, answers=("q1", "ann: how big is it?"))
        assert until(lambda: len(said) == 1)
        first = said[0]
        assert first.answers == "q1" and first.rest is not None
        assert until(lambda: first.rest is not None and first.rest.pieces == pieces - 1)
        assert voice.count(ANSWER) == pieces  # not one piece made again on approval
        assert supply.prepared.used == 1 and len(supply.prepared) == 0
    finally:
        supply.close()


def test_an_edited_answer_is_made_on_approval_and_the_suggestion_is_not_used() -> None:
    voice = CountingVoice()
    supply, said = supply_with(voice)
    supply.start()
    try:
        supply.prepare("q1", ANSWER, VOICE)
        assert until(lambda: made(supply, "q1", len(stream_pieces(ANSWER))))
        edited = "It holds 350 ml."
        supply.submit(edited, voice=VOICE, answers=("q1", "ann: how big is it?"))
        assert until(lambda: len(said) == 1)
        assert voice.texts[-1] == edited and voice.count(edited) == 1  # made now, at approval
        assert said[0].label.endswith(edited) and supply.prepared.used == 0
        assert len(supply.prepared) == 0  # the suggestion's clips are let go
        # Another voice for the same words is another answer too.
        supply.prepare("q2", edited, VOICE)
        assert until(lambda: made(supply, "q2", 1))
        supply.submit(edited, voice="espeak:en-gb", answers=("q2", "bo: size?"))
        assert until(lambda: len(said) == 2) and voice.count(edited) == 3
    finally:
        supply.close()


def test_a_rejected_question_drops_its_preparation_and_the_queue_tells_the_preparer() -> None:
    voice = CountingVoice()
    supply, _ = supply_with(voice)

    class Preparer:  # as the show's room does it: the answer's text and voice to the supply
        def __init__(self) -> None:
            self.calls: list[tuple[str, str]] = []

        def prepare(self, item_id: str, text: str, language: str) -> None:
            self.calls.append(("prepare", item_id))
            supply.prepare(item_id, text, VOICE)

        def discard(self, item_id: str) -> None:
            self.calls.append(("discard", item_id))
            supply.discard(item_id)

    preparer = Preparer()
    queue = ModerationQueue(
        load_catalog(CATALOG), auto=("price",), product="mug", preparer=preparer, max_pending=3
    )
    asked = [queue.submit(make_comment(f"u{n}", text, "test")) for n, text in enumerate(
        ["Is it microwave safe?", "What is it made of?", "How much is it?"]
    )]  # fmt: skip
    safe, made_of, price = (item.id for item in asked if item is not None)
    # The price is approved at once (auto): it is made on its way to air, not prepared.
    assert preparer.calls == [("prepare", safe), ("prepare", made_of)] and len(supply.prepared) == 2
    queue.reject(safe, "operator")
    assert preparer.calls[-1] == ("discard", safe) and len(supply.prepared) == 1
    queue.edit(made_of, "Stainless steel, with a ceramic coating inside.", "operator")
    assert preparer.calls[-1] == ("discard", made_of) and len(supply.prepared) == 0
    # Dropped for room (the queue keeps 3): its preparation goes with it.
    ids = [queue.submit(make_comment(f"v{n}", f"Question number {n} about the lid?", "t")) for n in range(4)]
    first = ids[0]
    assert first is not None and ("discard", first.id) in preparer.calls
    supply.start()
    try:
        assert until(lambda: supply.prepared.settled)
        assert voice.count("Is it microwave safe?") == 0  # nothing was made for the rejected one
    finally:
        supply.close()


def test_preparations_are_bounded_the_oldest_dropped() -> None:
    voice = CountingVoice()
    supply, _ = supply_with(voice)
    answers = [f"Answer number {n} is short." for n in range(MAX_PREPARED + 2)]
    for n, text in enumerate(answers):
        supply.prepare(f"q{n}", text, VOICE)
    assert len(supply.prepared) == MAX_PREPARED and supply.prepared.dropped == 2
    supply.start()
    try:
        assert until(lambda: supply.prepared.settled)
        assert [voice.count(a) for a in answers] == [0, 0] + [1] * MAX_PREPARED
    finally:
        supply.close()


def test_the_rundown_is_made_ahead_before_any_preparation() -> None:
    voice = CountingVoice()
    rundown = Rundown((Segment("One, two, three, four, five, six, seven.", VOICE, 1, 400),), loop=True)
    supply, _ = supply_with(voice, rundown)
    supply.prepare("q1", ANSWER, VOICE)  # waiting before the show starts
    supply.start()
    try:
        assert until(lambda: supply.prepared.settled)
        first_answer = next(
            i for i, t in enumerate(voice.texts) if t != "One, two, three, four, five, six, seven."
        )
        assert first_answer >= 1 and supply.ahead_seconds >= 6.0  # the rundown's 6 s were made first
    finally:
        supply.close()


@pytest.mark.parametrize("key", ["q1"])
def test_an_answer_approved_while_it_is_being_prepared_is_made_at_once(key: str) -> None:
    voice = CountingVoice()
    supply, said = supply_with(voice)
    supply.prepare(key, ANSWER, VOICE)  # the worker is not running: nothing made yet
    supply.start()
    supply.submit(ANSWER, voice=VOICE, answers=(key, "ann: size?"))
    try:
        assert until(lambda: len(said) == 1)
        assert np.asarray(said[0].audio).size > 0 and len(supply.prepared) == 0
    finally:
        supply.close()
