"""A line spoken a clause at a time, on real synthesis: where it is cut, the pause at each join
(measured in samples on the program's output), no click there, and each piece's mouth on its pts."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from studio.lipsync.mouth import JAW
from studio.live.clips import Clip
from studio.live.program import FrameContent, Program
from studio.live.speech_stream import ClipStream, stream_clips
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver
from studio.voice import Speech, synthesize
from studio.voice.clause_stream import (
    LEAD_S,
    PAUSE_AFTER_CJK_CLAUSE_S,
    PAUSE_AFTER_CLAUSE_S,
    PAUSE_AFTER_LIST_COMMA_S,
    PAUSE_AFTER_SENTENCE_S,
    PAUSE_INSIDE_CLAUSE_S,
    fit_edges,
    sound_span,
    stream_pieces,
)
from studio.voice.kokoro_files import installed as kokoro_installed

pytest_plugins = ["voice_fixtures"]

FMT = StreamFormat(64, 64, Fraction(30))
EN = "Good question, the blue one is in stock, and if you order tonight it ships tomorrow morning."
ZH = "这个问题问得好，蓝色现在有货，今晚下单的话明天上午就能发出，家人们放心拍。"
_WINDOW = 240  # 5 ms at 48 kHz


def test_lines_are_cut_after_clause_punctuation_in_english_and_chinese() -> None:
    assert [(p.text, p.pause_after_s) for p in stream_pieces(EN)] == [
        ("Good question,", PAUSE_AFTER_CLAUSE_S),
        ("the blue one is in stock,", PAUSE_AFTER_CLAUSE_S),
        ("and if you order tonight it ships tomorrow morning.", PAUSE_AFTER_SENTENCE_S),
    ]
    assert [p.text for p in stream_pieces(ZH)] == [
        "这个问题问得好，",
        "蓝色现在有货，",
        "今晚下单的话明天上午就能发出，",
        "家人们放心拍。",
    ]
    # The enumeration comma pauses less; a clause too short for a model run of its own rides
    # with the next one (the first piece excepted: short is its point).
    assert [(p.text, p.pause_after_s) for p in stream_pieces("有的，蓝色、红色、绿色都有货。谢谢大家！")] == [
        ("有的，", PAUSE_AFTER_CJK_CLAUSE_S),
        ("蓝色、红色、", PAUSE_AFTER_LIST_COMMA_S),
        ("绿色都有货。", PAUSE_AFTER_SENTENCE_S),
        ("谢谢大家！", PAUSE_AFTER_SENTENCE_S),
    ]
    # Numbers keep their comma and colon; a lone dash is not a piece of its own.
    assert [p.text for p in stream_pieces("Yes, it costs 3,000 yuan - at 12:30 today.")] == [
        "Yes,",
        "it costs 3,000 yuan - at 12:30 today.",
    ]
    assert [p.text for p in stream_pieces("Thanks for the follow!")] == ["Thanks for the follow!"]
    assert stream_pieces("  ") == []


def test_an_over_long_first_clause_is_cut_at_a_phrase_boundary() -> None:
    # Before a word that opens a phrase, and with next to no pause: it is one clause.
    pieces = stream_pieces("Only ten left at this price so grab yours now.")
    assert [(p.text, p.pause_after_s) for p in pieces] == [
        ("Only ten left", PAUSE_INSIDE_CLAUSE_S),
        ("at this price so grab yours now.", PAUSE_AFTER_SENTENCE_S),
    ]
    # Chinese at a word boundary (never inside 下单 or 明天).
    assert [p.text for p in stream_pieces("今晚下单的话明天上午就能发出哦")] == [
        "今晚下单的话",
        "明天上午就能发出哦",
    ]
    assert [p.text for p in stream_pieces("可以机洗的。")] == ["可以机洗的。"]  # short: whole
    # Never a piece with nothing to say after the cut, whatever counts as a word.
    assert [p.text for p in stream_pieces("今晚下单的话明天上午就能发出，")] == [
        "今晚下单的话",
        "明天上午就能发出，",
    ]
    assert [p.text for p in stream_pieces("It is $19.99 today only.")] == ["It is $19.99 today", "only."]
    assert [p.text for p in stream_pieces("$19.99/$29.99/$39.99")] == ["$19.99/$29.99/$39.99"]


def test_fitting_the_edges_keeps_the_sound_and_leaves_exact_faded_silence() -> None:
    speech = synthesize("Good question,", "espeak:en-us")
    rate = speech.sample_rate
    fitted = fit_edges(speech, 0.02, 0.18)
    first, last = sound_span(speech.audio, rate) or (0, 0)
    lead, trail = round(0.02 * rate), round(0.18 * rate)
    assert len(fitted.audio) == lead + (last - first) + trail
    assert np.array_equal(
        fitted.audio[lead : lead + last - first], speech.audio[first:last]
    )  # sound untouched
    assert fitted.audio[0] == 0.0 and fitted.audio[-1] == 0.0  # faded to exact zero
    phones = fitted.phonemes or []
    assert phones[0].start == 0.0 and phones[-1].end == pytest.approx(len(fitted.audio) / rate)
    sounding = [p for p in phones if p.phoneme]
    # The timings moved with the sound: the first phone starts where the sound now does.
    original = next(p for p in speech.phonemes or [] if p.phoneme)
    assert sounding[0].start == pytest.approx(original.start + (lead - first) / rate, abs=1e-6)


def _play(clips: list[Clip]) -> tuple[np.ndarray, list[FrameContent], list[int]]:
    """The pieces through the program, all made before it plays: (audio, frames, where each
    piece started, in samples)."""
    program = Program(FMT)
    stream = clips[0].rest
    assert stream is not None
    program.interject(clips[0], interrupt=False)
    for clip in clips[1:]:
        assert stream.put(clip)
    stream.close()
    frames: list[FrameContent] = []
    starts, index, current = [], 0, None
    while index < 2000:
        content = program.frame(index)
        playing = program._clip  # noqa: SLF001 - which piece is playing: where the joins fall
        if playing is not current and playing is not None:
            starts.append(content.pts)
        current = playing
        frames.append(content)
        index += 1
        if not content.label and program._clip is None:  # noqa: SLF001
            break
    assert program.clause_gaps == 0
    return np.concatenate([f.audio for f in frames]), frames, starts


VOICES = ["espeak:en-us", "espeak:cmn", "piper:en_US-joe-medium", "kokoro:af_heart", "kokoro:zf_xiaoxiao"]


@pytest.mark.parametrize("voice", VOICES)
def test_pieces_join_with_the_pause_their_punctuation_asks_without_a_click(voice: str) -> None:
    if voice.startswith("kokoro") and not kokoro_installed():
        pytest.skip("the Kokoro voices are not fetched here: run 'scripts/fetch_kokoro.sh'")
    text = ZH if voice in ("espeak:cmn", "kokoro:zf_xiaoxiao") else EN

    def speak(piece: str) -> Speech:
        return synthesize(piece, voice)

    clips = list(
        stream_clips(text, speak, FMT, default_driver(), "interjection: x", "interjection", ClipStream())
    )
    pieces = stream_pieces(text)
    assert len(clips) == len(pieces) >= 3
    audio, frames, starts = _play(clips)
    assert len(starts) == len(pieces)
    rate, per_frame = FMT.sample_rate, FMT.sample_rate // 30
    bounds = [*starts, len(audio)]
    for number, (piece, join) in enumerate(zip(pieces, starts[1:], strict=False)):
        # Measured in samples on the program's output, from the last sound of one piece to the
        # first of the next (each 40 dB below its own loudest 5 ms): the pieces are cut to whole
        # frames inside their trailing silence, so the pause is the one asked for, give or take
        # half a frame and the 5 ms windows.
        before = sound_span(audio[bounds[number] : join], rate)
        after = sound_span(audio[join : bounds[number + 2]], rate)
        assert before is not None and after is not None
        gap = join + after[0] - (bounds[number] + before[1])
        assert abs(gap - piece.pause_after_s * rate) <= per_frame // 2 + 2 * _WINDOW, (piece.text, gap)
        # No click: the join itself is exact silence, and nothing steps near it.
        near = audio[join - 480 : join + 480]
        assert np.abs(audio[join - 2 : join + 2]).max() < 1e-3
        assert np.abs(np.diff(near)).max() < 0.01
        # The next piece's sound starts LEAD_S after its first frame.
        span = sound_span(audio[join : join + rate], rate)
        assert span is not None and abs(span[0] - LEAD_S * rate) <= _WINDOW
    # Each piece's mouth is on its own pts: the mouth opens within two frames of each piece's
    # first sound (the driver opens it 50 ms early, as speakers do), and is shut in the pause
    # before each piece.
    jaw = np.array([f.mouth[JAW] for f in frames])
    for join in starts:
        span = sound_span(audio[join : join + rate], rate)
        assert span is not None
        sound_frame = (join + span[0]) // per_frame
        low = max(sound_frame - 3, 0)
        opened = low + int(np.flatnonzero(jaw[low:] > 0.1)[0])
        assert abs(opened - sound_frame) <= 2, (join, opened, sound_frame)
    for join in starts[1:]:
        assert jaw[join // per_frame - 2] < 0.1 and jaw[join // per_frame - 1] < 0.1
