"""The Kokoro voices on the real model (fetched at set-up by scripts/fetch_kokoro.sh): speech in
Mandarin and English whose phoneme timings fit the sound, and a mouth track that follows them."""

from __future__ import annotations

import argparse
import json
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.cli import voices_cmd
from studio.errors import StudioError
from studio.lipsync.mouth import CLOSE, JAW
from studio.lipsync.phoneme_driver import PhonemeDriver
from studio.voice.base import PhonemeTiming, Speech
from studio.voice.kokoro import SAMPLE_RATE, KokoroEngine, split_sentences, timings_from_units
from studio.voice.kokoro_files import FETCH_COMMAND, KOKORO_DIR_ENV, installed
from studio.voice.kokoro_phonemes import english_phonemes, split_tokens, to_ipa
from studio.voice.registry import KOKORO_CHINESE_VOICE, Registry, default_voice_id, licence_caveat

MANDARIN = "宝贝们，不要犹豫，八十九块九，买不了吃亏。"
ENGLISH = "Buy it now, people, the best price is on the table. Don't miss it!"
BILABIAL = frozenset({"p", "b"})  # stops: the lips shut and the sound stops
VOWELS = frozenset({"a", "e", "i", "o", "u", "ə", "ɛ", "ɪ", "aɪ", "eɪ", "aʊ", "oʊ", "ɔ"})


@pytest.fixture(scope="module")
def engine() -> KokoroEngine:
    if not installed():
        pytest.fail(f"the Kokoro voices are not fetched: run '{FETCH_COMMAND}' (scripts/setup.sh does)")
    return KokoroEngine()  # one session for the whole module


@pytest.fixture(scope="module")
def mandarin(engine: KokoroEngine) -> Speech:
    voice = next(v for v in engine.voices() if v.id == "kokoro:zf_xiaoxiao")
    return engine.synthesize(MANDARIN, voice)


@pytest.fixture(scope="module")
def english(engine: KokoroEngine) -> Speech:
    voice = next(v for v in engine.voices() if v.id == "kokoro:af_heart")
    return engine.synthesize(ENGLISH, voice)


def _level_db(speech: Speech, span: PhonemeTiming) -> float:
    """The span's loudness in dB below the whole utterance's loudest 10 ms."""
    audio = speech.audio.astype(np.float64)
    frame = SAMPLE_RATE // 100
    peak = max(np.mean(audio[i : i + frame] ** 2) for i in range(0, len(audio) - frame, frame))
    part = audio[
        int(span.start * SAMPLE_RATE) : max(int(span.end * SAMPLE_RATE), int(span.start * SAMPLE_RATE) + 1)
    ]
    return float(10 * np.log10(np.mean(part**2) / peak + 1e-12))


def _quietest_db(speech: Speech, span: PhonemeTiming) -> float:
    """The quietest 10 ms inside the span, in dB below the loudest 10 ms of the utterance."""
    audio = speech.audio.astype(np.float64)
    frame = SAMPLE_RATE // 100
    power = np.array([np.mean(audio[i : i + frame] ** 2) for i in range(0, len(audio) - frame, frame)])
    inside = power[int(span.start * 100) : max(int(span.end * 100), int(span.start * 100) + 1)]
    return float(10 * np.log10(inside.min() / power.max() + 1e-12))


@pytest.mark.parametrize("which", ["mandarin", "english"])
def test_timings_cover_the_audio_exactly_and_in_order(which: str, request: pytest.FixtureRequest) -> None:
    speech: Speech = request.getfixturevalue(which)
    phonemes = speech.phonemes or []
    assert speech.sample_rate == SAMPLE_RATE and 2.0 < speech.duration < 8.0
    assert phonemes[0].start == 0.0 and phonemes[-1].end == pytest.approx(speech.duration, abs=1e-9)
    for before, after in zip(phonemes, phonemes[1:], strict=False):
        assert after.start == pytest.approx(before.end, abs=1e-9) and after.end > after.start
    spoken = [p for p in phonemes if p.phoneme]
    assert len(spoken) > 25
    assert all(not set(p.phoneme) & set("→↗↓↘ˈˌ") for p in spoken)  # tones and stress folded in


@pytest.mark.parametrize("which", ["mandarin", "english"])
def test_pauses_and_lip_closures_fall_where_the_audio_is_quiet(
    which: str, request: pytest.FixtureRequest
) -> None:
    speech: Speech = request.getfixturevalue(which)
    phonemes = speech.phonemes or []
    # The silence before and after the utterance.
    assert _level_db(speech, phonemes[0]) < -30 and _level_db(speech, phonemes[-1]) < -30
    inner = [p for p in phonemes[1:-1] if p.phoneme == "" and p.end - p.start >= 0.05]
    assert len(inner) >= 2
    for pause in inner:  # every clause pause holds real silence (the sound around it may fade)
        assert _quietest_db(speech, pause) < -40, pause
    closures = [_level_db(speech, p) for p in phonemes if p.phoneme in BILABIAL]
    vowels = [_level_db(speech, p) for p in phonemes if p.phoneme in VOWELS]
    assert len(closures) >= 3 and len(vowels) >= 10
    # p/b hold the breath: their spans are well below the vowels around them.
    assert np.median(closures) < np.median(vowels) - 6


@pytest.mark.parametrize("which", ["mandarin", "english"])
def test_the_timings_are_in_step_with_the_sound(which: str, request: pytest.FixtureRequest) -> None:
    # A constant shift of the timings (the fit's lead, the pads) would move the mouth off the
    # voice while p/b spans still overlap quiet audio: find the shift at which vowels are
    # loudest against p/b closures, in 5 ms steps. Measured: the sound 10-20 ms before them,
    # as for Piper's timings; a fit 50 ms off in either direction fails here.
    speech: Speech = request.getfixturevalue(which)
    audio = speech.audio.astype(np.float64)
    window = SAMPLE_RATE // 100  # 10 ms, centred on each millisecond
    power = np.convolve(audio**2, np.ones(window) / window, mode="same")[:: SAMPLE_RATE // 1000]
    level = 10 * np.log10(power / power.max() + 1e-12)

    def mean_db(spans: list[PhonemeTiming], shift_ms: int) -> float:
        means = []
        for p in spans:
            start = min(max(round(p.start * 1000) + shift_ms, 0), len(level) - 1)
            end = min(max(round(p.end * 1000) + shift_ms, start + 1), len(level))
            means.append(level[start:end].mean())
        return float(np.mean(means))

    phonemes = speech.phonemes or []
    closures = [p for p in phonemes if p.phoneme in BILABIAL]
    vowels = [p for p in phonemes if p.phoneme in VOWELS]
    assert len(closures) >= 3 and len(vowels) >= 10
    shifts = list(range(-100, 101, 5))
    contrast = [mean_db(vowels, s) - mean_db(closures, s) for s in shifts]
    best = shifts[int(np.argmax(contrast))]
    assert abs(best) <= 25, f"the sound is {abs(best)} ms {'before' if best < 0 else 'after'} the timings"


@pytest.mark.parametrize("which", ["mandarin", "english"])
def test_the_mouth_shuts_on_bilabials_and_rests_in_pauses(which: str, request: pytest.FixtureRequest) -> None:
    speech: Speech = request.getfixturevalue(which)
    fps = Fraction(25)
    frames = int(np.ceil(speech.duration * 25))
    track = PhonemeDriver().drive(speech, fps, frames)
    assert len(track) == frames and np.isfinite(track.values).all()
    phonemes = speech.phonemes or []
    for p in phonemes:
        if p.phoneme in BILABIAL:
            middle = int((p.start + p.end) / 2 * 25)
            near = track.values[max(middle - 1, 0) : middle + 2, CLOSE]
            assert near.max() > 0.9, p  # lips visibly shut at every p/b
    vowel_frames = [int((p.start + p.end) / 2 * 25) for p in phonemes if p.phoneme in {"a", "aɪ"}]
    assert np.median(track.values[vowel_frames, JAW]) > 0.3  # open on "a"
    assert track.values[-1, JAW] < 0.05 and track.values[0, JAW] < 0.05  # at rest before and after


def test_long_text_is_split_within_the_token_limit(engine: KokoroEngine) -> None:
    voice = next(v for v in engine.voices() if v.id == KOKORO_CHINESE_VOICE)
    clause = "这款精华液补水保湿效果特别好"
    text = "，".join([clause] * 14) + "。"  # one sentence, over 510 phoneme tokens
    symbols = list(engine.phonemes(text, voice.language))
    assert len(symbols) > 510
    runs = split_tokens(symbols)
    assert len(runs) >= 2 and all(len(r) <= 510 for r in runs)
    assert all(r[-1] == "," for r in runs[:-1])  # broken at a comma, where the host pauses
    assert "".join("".join(r) for r in runs).replace(" ", "") == "".join(symbols).replace(" ", "")


def test_the_pieces_of_a_long_sentence_join_into_one_timeline(engine: KokoroEngine) -> None:
    # The same joins as a sentence over 510 tokens, on a short one with a low limit (fast).
    short = KokoroEngine(max_tokens=40)
    voice = next(v for v in short.voices() if v.id == KOKORO_CHINESE_VOICE)
    text = "这款精华液，补水保湿，效果特别好，今天只要九十九。"
    speech = short.synthesize(text, voice)
    whole = engine.synthesize(text, voice)
    phonemes = speech.phonemes or []
    assert phonemes[-1].end == pytest.approx(speech.duration, abs=1e-9)
    spoken = [p.phoneme for p in phonemes if p.phoneme]
    assert spoken == [p.phoneme for p in whole.phonemes or [] if p.phoneme]  # nothing lost at the joins
    for before, after in zip(phonemes, phonemes[1:], strict=False):
        assert after.start == pytest.approx(before.end, abs=1e-9)
    inner = [p for p in phonemes[1:-1] if p.phoneme == ""]
    assert all(0.05 <= p.end - p.start <= 0.75 for p in inner)  # a pause at each join, not a gap


def test_timings_fold_tones_and_stress_into_their_phones() -> None:
    symbols = list("ˈhɛ ni↓,")
    units = np.array([10, 1, 2, 3, 2, 2, 4, 1, 5, 8])  # pad, 8 symbols, pad
    timings = timings_from_units(symbols, units, 600.0)
    labels = [t.phoneme for t in timings]
    assert labels == ["", "h", "ɛ", "n", "i", ""]
    spans = {t.phoneme: round((t.end - t.start) / 0.025) for t in timings if t.phoneme}
    assert spans == {"h": 3, "ɛ": 4, "n": 3, "i": 5}  # ˈ to h, the space shared, ↓ to i
    assert timings[0].end == pytest.approx((10 - 2) * 0.025)  # the sound runs 2 units ahead
    assert timings[-1].end == pytest.approx(units.sum() * 0.025)


def test_misaki_symbols_become_the_ipa_of_the_viseme_table() -> None:
    assert [to_ipa(s) for s in ("A", "I", "O", "ʧ", "ꭧʰ", "ʨ", "a↓")] == [
        "eɪ",
        "aɪ",
        "oʊ",
        "tʃ",
        "ʈʂʰ",
        "tɕ",
        "a",
    ]
    phonemes = english_phonemes("Hello, nice day.")
    assert phonemes.startswith("hə") and "O" in phonemes and "I" in phonemes and "A" in phonemes
    assert "\u200d" not in phonemes and "^" not in phonemes


def test_sentences_are_spoken_one_at_a_time() -> None:
    assert split_sentences("大家好！今天有福利。Hello there. Bye") == [
        "大家好！",
        "今天有福利。",
        "Hello there.",
        "Bye",
    ]


def test_without_the_fetch_no_voices_and_one_line_that_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(KOKORO_DIR_ENV, str(tmp_path))
    engine = KokoroEngine()
    assert engine.voices() == []
    from studio.voice.base import VoiceInfo

    voice = VoiceInfo("kokoro:zf_xiaoxiao", "kokoro", "zh-CN", "Xiaoxiao", False)
    with pytest.raises(StudioError) as caught:
        engine.synthesize("你好", voice)
    assert FETCH_COMMAND in str(caught.value) and "\n" not in str(caught.value)
    assert default_voice_id("你好") == "espeak:cmn" and default_voice_id("Hi") == "piper:en_US-joe-medium"
    assert "not for a paid product" in licence_caveat("piper:en_US-joe-medium")
    assert licence_caveat("kokoro:af_heart") == ""
    parser = argparse.ArgumentParser()
    voices_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["voices", "--language", "zh"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "kokoro:" not in out
    assert [line for line in out.splitlines() if FETCH_COMMAND in line] == [
        f"The natural Mandarin and English voices (Kokoro) are not installed: '{FETCH_COMMAND}'."
    ]


def test_every_voice_is_listed_and_resolves_with_its_licence(
    engine: KokoroEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    voices = engine.voices()
    assert len([v for v in voices if v.language == "zh-CN"]) == 8
    assert len([v for v in voices if v.language.startswith("en-")]) >= 20
    registry = Registry()
    found, voice = registry.resolve("kokoro:zf_xiaoxiao")
    assert found.name == "kokoro" and voice.language == "zh-CN"
    assert registry.resolve("af_heart")[1].id == "kokoro:af_heart"
    assert default_voice_id("大家好") == KOKORO_CHINESE_VOICE
    assert default_voice_id("こんにちは") == "espeak:cmn"  # kana: not for a Mandarin voice
    parser = argparse.ArgumentParser()
    voices_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["voices", "--language", "zh", "--offline"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "kokoro:zm_yunyang" in out and "kokoro: Kokoro-82M: Apache-2.0" in out
    assert "not installed" not in out


def test_the_fetch_does_nothing_when_everything_is_cached(engine: KokoroEngine) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "fetch_kokoro.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout == "" and "downloading" not in done.stderr


def test_a_sentence_of_exactly_the_token_limit_is_spoken(engine: KokoroEngine) -> None:
    # The style pack has one row per length below 510 (kokoro-js clamps at 509): a run of
    # exactly 510 tokens must not index past it.
    from studio.voice.kokoro_files import vocab_path
    from studio.voice.kokoro_phonemes import MAX_TOKENS, tokenize

    vocab = json.loads(vocab_path().read_text("utf-8"))["vocab"]
    voice = next(v for v in engine.voices() if v.id == KOKORO_CHINESE_VOICE)
    base = "这款精华液补水保湿效果特别好我们今天直播间给大家带来超值福利" * 6
    text = next(
        t
        for cut in range(100, 130)
        for tail in ("", "a", "ab", "abc", "abcd", "abcde", "x", "ok", "你", "呀呀")
        if len(tokenize(engine.phonemes(t := base[:cut] + tail, voice.language), vocab)) == MAX_TOKENS
    )
    speech = engine.synthesize(text, voice)
    assert speech.duration > 5
