"""Speech made ahead: rundown sentences in order, interjections first, failures survived."""

from __future__ import annotations

import threading
from fractions import Fraction

import numpy as np
import pytest

from studio.errors import InputError, NetworkError
from studio.live.clips import Clip, ClipCache, synthesize_live
from studio.live.rundown import Rundown, Segment
from studio.live.supply import SpeechSupply
from studio.media.clock import frame_count
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver
from studio.voice import Speech

pytest_plugins = ["voice_fixtures"]

FMT = StreamFormat(64, 64, Fraction(30))
PIPER = "piper:en_US-joe-medium"


def take_all(supply: SpeechSupply, count: int) -> list[Clip]:
    clips = []
    for _ in range(count):
        clip = supply.take(timeout=30)
        assert clip is not None
        clips.append(clip)
    return clips


def test_rundown_sentences_come_in_order_at_the_show_rate_with_their_pause() -> None:
    rundown = Rundown((Segment("Hello there. Welcome to the show!", PIPER, 1, 500, "Hi"),), loop=True)
    supply = SpeechSupply(FMT, default_driver(), rundown)
    supply.start()
    try:
        clips = take_all(supply, 4)
    finally:
        supply.close()
    # The label is the sentence being said (the status line shows it), not the segment's title.
    assert [c.label for c in clips] == ["Hello there.", "Welcome to the show!"] * 2
    first, second, third, _ = clips
    assert first.audio is third.audio  # the loop's second pass comes from the cache
    assert not np.array_equal(first.audio[:24000], second.audio[:24000])
    for clip in clips:
        assert clip.track.fps == FMT.fps and clip.frames == frame_count(len(clip.audio), 48000, FMT.fps)
        assert not clip.audio[-24000:].any()  # the 500 ms pause
        assert np.abs(clip.audio).max() > 0.1 and not clip.audio.flags.writeable
    assert supply.synthesised == 2


@pytest.mark.parametrize(
    ("kokoro_state", "offline"),
    [("kokoro", "kokoro:af_heart"), ("no-kokoro", PIPER)],
    indirect=["kokoro_state"],
)
def test_an_online_voice_without_network_hands_over_to_the_offline_voice(
    kokoro_state: str, offline: str
) -> None:
    def offline_only(text: str, voice: str | None) -> Speech:
        if voice and voice.startswith("edge:"):  # the network boundary: no route to the service
            raise NetworkError("edge:en-US-AriaNeural could not reach the online voice service.")
        return synthesize_live(text, voice)

    # Said once: a loop would speak it again (a handed-over sentence is not cached, so the online
    # voice is tried again) and a Kokoro synthesis can outlast close()'s wait on a busy machine.
    rundown = Rundown(
        (Segment("Welcome to the live room!", "edge:en-US-AriaNeural", title="Hi"),), loop=False
    )
    supply = SpeechSupply(FMT, default_driver(), rundown, synthesize=offline_only)
    supply.start()
    try:
        (clip,) = take_all(supply, 1)
    finally:
        supply.close()
    assert clip.voice == offline and np.abs(clip.audio).max() > 0.1
    warning = supply.warnings.errors[0]
    assert clip.label == "Welcome to the live room!" and warning.startswith("segment 1 (Hi): ")
    assert "could not reach" in warning and f"Spoken with {offline} instead" in warning


def test_a_sentence_that_cannot_be_spoken_is_skipped_and_the_show_goes_on() -> None:
    rundown = Rundown((Segment("This voice does not exist.", "espeak:xx-nowhere"), Segment("Hello!", PIPER)))
    supply = SpeechSupply(FMT, default_driver(), rundown)
    supply.start()
    try:
        clips = take_all(supply, 2)
    finally:
        supply.close()
    assert [c.label for c in clips] == ["Hello!", "Hello!"]
    assert supply.warnings.errors and supply.warnings.errors[0].startswith("segment 1: ")  # where to fix it


def test_interjections_jump_the_queue_and_carry_their_submit_time() -> None:
    supply = SpeechSupply(FMT, default_driver(), Rundown((Segment("One. Two. Three.", PIPER),)), ahead_s=30)
    heard: list[tuple[Clip, bool]] = []
    arrived = threading.Event()

    def on_interjection(clip: Clip, interrupt: bool) -> None:
        heard.append((clip, interrupt))
        arrived.set()

    supply.on_interjection = on_interjection
    supply.start()
    try:
        supply.submit("Thanks for the follow!", interrupt=True)
        supply.submit("   ")  # nothing to say: ignored
        assert arrived.wait(30)
    finally:
        supply.close()
    ((clip, interrupt),) = heard
    assert interrupt and clip.kind == "interjection" and clip.label == "interjection: Thanks for the follow!"
    assert clip.submitted_at is not None and np.abs(clip.audio).max() > 0.1


def test_the_cache_keeps_at_most_its_seconds_least_recently_used_out_first() -> None:
    cache = ClipCache(48000, max_seconds=2.0)
    clips = {k: Clip(np.zeros(48000, np.float32), None, k, "rundown") for k in "abc"}  # type: ignore[arg-type]
    cache.put(("a", "", 0), clips["a"])
    cache.put(("b", "", 0), clips["b"])
    assert cache.get(("a", "", 0)) is clips["a"]  # a is now the most recent
    cache.put(("c", "", 0), clips["c"])
    assert cache.get(("b", "", 0)) is None and cache.get(("a", "", 0)) is clips["a"]
    assert cache.seconds == pytest.approx(2.0)


def test_unknown_voices_fail_in_the_engine_not_silently() -> None:
    with pytest.raises(InputError):
        synthesize_live("Hello.", "espeak:xx-nowhere")
