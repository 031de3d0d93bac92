"""An approved answer cuts into the rundown sentence on air at its next clause pause, and the rest
of the sentence is said after it: sample-exact, on the master clock's pts, mouth track going on."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from test_live_program import NTSC, ListSupply, clip

from studio.live.clause_cuts import KEEP_BEFORE_S, clause_cuts
from studio.live.clips import Clip, make_clip, synthesize_live
from studio.live.program import Program
from studio.media.clock import frame_start_sample
from studio.outputs.base import StreamFormat
from studio.pipeline.render_job import default_driver
from studio.voice.base import PhonemeTiming, Speech

RATE = 48_000


def sentence(fmt: StreamFormat, cuts: tuple[tuple[int, int], ...], samples: int = 96_000) -> Clip:
    return dataclasses.replace(clip(samples, fmt, 0.5, label="the sentence"), cuts=cuts)


def answer(fmt: StreamFormat, samples: int = 8_000, question: str = "q1") -> Clip:
    made = clip(samples, fmt, 9.0, "interjection", f"interjection: answer {question}")
    return dataclasses.replace(made, answers=question, question=f"ann: {question}?")


def first_frame_from(sample: int, fmt: StreamFormat) -> int:
    """The first frame whose first sample is at or after ``sample``."""
    index = 0
    while frame_start_sample(index, fmt.sample_rate, fmt.fps) < sample:
        index += 1
    return index


@pytest.mark.parametrize("fps", [Fraction(30), NTSC])
def test_an_answer_starts_at_the_next_clause_pause_and_the_sentence_resumes_exactly_once(
    fps: Fraction,
) -> None:
    fmt = StreamFormat(64, 64, fps)
    long = sentence(fmt, ((30_000, 36_000), (60_000, 62_000), (80_000, 95_999)))
    after = clip(16_000, fmt, 2.0, label="the next sentence")
    program = Program(fmt, ListSupply([long, after]), end_when_done=True)
    frames = [program.frame(i) for i in range(5)]  # the answer is approved 0.1 s into the sentence
    reply = answer(fmt)
    program.interject(reply, interrupt=False)
    frames += [program.frame(i) for i in range(5, 200)]
    assert program.finished and program.cut_ins == 1
    cut = first_frame_from(30_000, fmt)  # the first frame boundary inside the first pause
    started = [(f.index, f.started.label) for f in frames if f.started is not None]
    assert started == [
        (0, "the sentence"),
        (cut, reply.label),
        (cut + reply.frames + long.frames - cut, "the next sentence"),
    ]
    assert frames[cut].pts == frame_start_sample(cut, RATE, fps)  # on the master clock, at the pause
    audio = np.concatenate([f.audio for f in frames])
    assert len(audio) == frame_start_sample(200, RATE, fps)  # nothing lost or added
    split = frames[cut].pts
    np.testing.assert_array_equal(audio[:split], long.audio[:split])  # the sentence up to the pause
    np.testing.assert_array_equal(audio[split : split + len(reply.audio)], reply.audio)
    resumed = cut + reply.frames
    assert frames[resumed].started is None and frames[resumed].label == "the sentence"  # not said anew
    begin = frames[resumed].pts
    np.testing.assert_array_equal(audio[begin : begin + len(long.audio) - split], long.audio[split:])
    # Every sample of the sentence is heard exactly once (each sample's value is unique).
    said = audio[(audio >= 0.5) & (audio < 0.5 + len(long.audio) * 1e-6 + 1e-7)]
    np.testing.assert_array_equal(said, long.audio)
    # The mouth goes on from the frame where it stopped.
    mouths = [frames[resumed + j].mouth[0] for j in range(long.frames - cut)]
    assert mouths == list(range(cut, long.frames))


def test_a_later_pause_is_taken_when_the_answer_comes_after_the_first() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    long = sentence(fmt, ((30_000, 36_000), (60_000, 62_000), (80_000, 95_999)))
    program = Program(fmt, ListSupply([long]))
    frames = [program.frame(i) for i in range(25)]  # 40 000 samples: past the first pause
    program.interject(answer(fmt), interrupt=False)
    frames += [program.frame(i) for i in range(25, 60)]
    cut = next(f.index for f in frames if f.started is not None and f.started.answers)
    assert cut == first_frame_from(60_000, fmt) and frames[cut].pts <= 62_000


def test_without_a_pause_before_its_end_the_sentence_ends_first() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    plain = clip(48_000, fmt, 0.5, label="no pause")
    program = Program(fmt, ListSupply([plain]))
    frames = [program.frame(i) for i in range(3)]
    program.interject(answer(fmt), interrupt=False)
    frames += [program.frame(i) for i in range(3, 60)]
    starts = [f.index for f in frames if f.started is not None]
    assert starts == [0, plain.frames] and program.cut_ins == 0


def test_a_typed_line_still_waits_for_the_sentence_and_answers_queue_before_the_rest() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    long = sentence(fmt, ((30_000, 36_000), (80_000, 95_999)))
    program = Program(fmt, ListSupply([long]))
    frames = [program.frame(i) for i in range(3)]
    program.interject(clip(8_000, fmt, 7.0, "interjection", "interjection: typed"), interrupt=False)
    frames += [program.frame(i) for i in range(3, 30)]
    assert not any(f.started is not None and f.started.label.endswith("typed") for f in frames)
    first, second = answer(fmt, question="q1"), answer(fmt, question="q2")
    program.interject(first, interrupt=False)
    program.interject(second, interrupt=False)
    frames += [program.frame(i) for i in range(30, 120)]
    order = [(f.index, f.started.label) for f in frames if f.started is not None]
    # Past the first pause: at the sentence's end (its sound's), the typed line (queued first) and
    # both answers, then the rest of the sentence (the pause after it).
    cut = first_frame_from(80_000, fmt)
    typed = clip(8_000, fmt, 7.0).frames
    assert order == [
        (0, "the sentence"),
        (cut, "interjection: typed"),
        (cut + typed, first.label),
        (cut + typed + first.frames, second.label),
    ]
    resumed = frames[cut + typed + first.frames + second.frames]
    assert resumed.started is None and resumed.label == "the sentence"
    offset = frames[cut].pts
    np.testing.assert_array_equal(resumed.audio, long.audio[offset : offset + len(resumed.audio)])
    assert program.cut_ins == 1


def test_espeak_pauses_at_clause_marks_are_found_in_silence_between_the_words() -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    text = "If you would like the Ceramic travel mug, tap the shopping cart below the video."
    speech = synthesize_live(text, "espeak:en-us")
    made = make_clip(speech, fmt, default_driver(), text, "rundown", 400)
    cuts = clause_cuts(speech, text, made.audio, fmt.sample_rate)
    assert len(cuts) == 2  # the comma, and the end of the sentence's sound
    words = {w.word: w for w in speech.words or []}
    comma, end = cuts
    # eSpeak's word end is in whole ms and the silence is found in 5 ms windows: the silence may
    # begin up to a window before the word's reported end (its last ms is below the threshold).
    assert (
        (words["mug"].end - 0.005) * RATE + KEEP_BEFORE_S * RATE
        <= comma[0]
        <= comma[1]
        <= words["tap"].start * RATE + 0.1 * RATE
    )
    assert comma[1] - comma[0] >= RATE // 30  # at least a frame boundary falls inside it
    peak = np.abs(made.audio).max()
    assert np.abs(made.audio[comma[0] : comma[1] + 1]).max() < peak * 0.01  # silence
    assert end[1] == len(made.audio) - 1 and np.abs(made.audio[end[0] :]).max() < peak * 0.01


def test_chinese_clause_marks_and_voices_without_word_timings() -> None:
    text = "如果您喜欢这款杯子，请点击下方的购物车。"
    speech = synthesize_live(text, "espeak:cmn")
    # eSpeak's own silence after 车 is too short for a cut: the rundown's pause makes the end one.
    cuts = clause_cuts(speech, text, speech.audio, speech.sample_rate)
    chars = [w for w in speech.words or [] if w.word in "子请"]
    assert (
        chars[0].end * speech.sample_rate
        < cuts[0][0]
        < chars[1].start * speech.sample_rate + 0.1 * speech.sample_rate
    )
    # A voice with phoneme pauses only (Piper, Kokoro): matched with the punctuation, in order.
    words_gone = dataclasses.replace(speech, words=None, phonemes=_pauses_at_marks(speech))
    assert clause_cuts(words_gone, text, speech.audio, speech.sample_rate)[0] == cuts[0]


def _pauses_at_marks(speech: Speech) -> list[PhonemeTiming]:
    """The phonemes as Piper and Kokoro give them: pauses only at punctuation (eSpeak's Mandarin
    also pauses briefly between syllables, which a model voice does not)."""
    phonemes = speech.phonemes or []
    inner = [
        p if p.phoneme or p.end - p.start > 0.1 else PhonemeTiming("x", p.start, p.end)
        for p in phonemes[1:-1]
    ]
    return [phonemes[0], *inner, phonemes[-1]]


def test_a_real_rundown_sentence_is_cut_at_its_comma_for_an_answer_made_by_the_supply() -> None:
    """The speech supply's eSpeak sentence and answer, the program asked frame by frame (as the
    engine's conductor does): the answer starts on the comma's pause, the sentence goes on after."""
    from studio.live.rundown import Rundown, Segment  # noqa: PLC0415
    from studio.live.supply import SpeechSupply  # noqa: PLC0415

    fmt = StreamFormat(64, 64, Fraction(30))
    text = "If you would like the Ceramic travel mug, tap the shopping cart below the video."
    supply = SpeechSupply(fmt, default_driver(), Rundown((Segment(text, "espeak:en-us", 1, 400),), loop=True))
    program = Program(fmt, supply, wait_for_speech_s=30.0)
    supply.on_interjection = program.interject
    supply.start()
    try:
        first = program.frame(0)
        assert first.started is not None and first.started.cuts
        sentence_clip = first.started
        supply.submit("It holds 350 ml.", voice="espeak:en-us", answers=("q1", "ann: how big?"))
        frames = [first]
        while not any(f.started is not None and f.started.answers for f in frames) and len(frames) < 400:
            frames.append(program.frame(len(frames), 0.0))
            if len(frames) == 10:  # the answer is ready before the comma (1.7 s in): wait for it here
                assert until_interjected(program)
        answer_frame = frames[-1]
        assert answer_frame.started is not None and answer_frame.started.answers == "q1"
        lo, hi = sentence_clip.cuts[0]
        assert lo <= answer_frame.pts <= hi  # at the comma's pause, long before the sentence's end
        assert answer_frame.pts < len(sentence_clip.audio) // 2
    finally:
        supply.close()


def until_interjected(program: Program) -> bool:
    import time  # noqa: PLC0415

    end = time.monotonic() + 30
    while time.monotonic() < end:
        with program._lock:  # noqa: SLF001 - the answer's first piece has reached the program
            if program._interjections:  # noqa: SLF001
                return True
        time.sleep(0.01)
    return False


def test_the_question_is_shown_while_its_answer_is_said_not_while_the_sentence_goes_on() -> None:
    from studio.live.cards import CardTrack  # noqa: PLC0415

    fmt = StreamFormat(64, 64, Fraction(30))
    long = dataclasses.replace(sentence(fmt, ((30_000, 36_000), (80_000, 95_999))), segment=1)
    program = Program(fmt, ListSupply([long]))
    track = CardTrack(program, ["mug"])
    frames = [track.frame(i, 0.0) for i in range(5)]
    reply = answer(fmt)
    program.interject(reply, interrupt=False)
    frames += [track.frame(i, 0.0) for i in range(5, 60)]
    cut = first_frame_from(30_000, fmt)
    shown = [f.caption for f in frames if f is not None]
    assert shown[cut : cut + reply.frames] == ["ann: q1?"] * reply.frames
    assert shown[cut + reply.frames] == "" and frames[cut + reply.frames].label == "the sentence"
    assert all(f.card is not None and f.card[0] == "mug" for f in frames[cut:] if f is not None)
