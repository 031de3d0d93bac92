"""eSpeak NG through libespeak-ng: phonemisation, synthesis with events, Mandarin."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.errors import InputError
from studio.voice import espeak_lib
from studio.voice.base import Speech, VoiceInfo
from studio.voice.espeak import EspeakEngine


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


def _voice(engine: EspeakEngine, voice_id: str) -> VoiceInfo:
    return next(v for v in engine.voices() if v.id == voice_id)


def _check_timings(speech: Speech) -> None:
    assert speech.phonemes
    previous_end = 0.0
    for p in speech.phonemes:
        assert p.start < p.end
        assert p.start >= previous_end - 1e-9
        previous_end = p.end
    assert speech.phonemes[0].start == 0.0
    assert speech.phonemes[-1].end == pytest.approx(speech.duration)


def test_lists_many_languages_including_mandarin() -> None:
    voices = espeak_lib.list_voices()
    languages = {lang for v in voices for lang in v.languages}
    assert {"cmn", "en-us", "fr-fr", "de"} <= languages
    assert len(voices) > 50


def test_text_to_ipa_restores_clause_punctuation() -> None:
    ipa = espeak_lib.text_to_ipa("Hello, world. My bike!", "en-us")
    assert ipa.startswith("həlˈoʊ, wˈɜːld. ")
    assert ipa.endswith("!")
    assert "\u200d" not in ipa
    assert "a\u200dɪ" in espeak_lib.text_to_ipa("My bike", "en-us", keep_ties=True)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("(en)", None), ("", ""), ("ᵻ", "ᵻ"), ("a\u200dɪ", "aɪ"), ("i5", "i"), ("s.", "ʂ")],
)
def test_clean_phoneme(raw: str, clean: str | None) -> None:
    assert espeak_lib.clean_phoneme(raw) == clean


def test_english_speech_with_phonemes_and_words(engine: EspeakEngine) -> None:
    speech = engine.synthesize("Hello, my big map.", _voice(engine, "espeak:en-us"))
    assert speech.sample_rate == 22050
    assert speech.audio.dtype == np.float32
    assert speech.duration > 0.8
    _check_timings(speech)
    labels = [p.phoneme for p in speech.phonemes or []]
    assert {"h", "m", "b", "p"} <= set(labels)
    assert [w.word for w in speech.words or []] == ["Hello", "my", "big", "map"]


def test_mandarin_on_chinese_text(engine: EspeakEngine) -> None:
    speech = engine.synthesize("你好，世界。今天天气很好！", _voice(engine, "espeak:cmn"))
    assert speech.duration > 1.0
    assert float(np.sqrt(np.mean(speech.audio**2))) > 0.01
    _check_timings(speech)
    spoken = [p.phoneme for p in speech.phonemes or [] if p.phoneme]
    assert len(spoken) >= 15
    # Neither English read-outs of tone digits nor language-switch markers survive.
    assert not any("(" in p or any(ch.isdigit() for ch in p) for p in spoken)
    assert "θ" not in spoken  # "three", from espeak 1.51's broken cmn voice
    assert {"n", "tɕ"} <= set(spoken)
    words = [w.word for w in speech.words or []]
    assert words[:2] == ["你", "好"]


def test_every_listed_voice_can_speak(engine: EspeakEngine) -> None:
    for voice in engine.voices():
        # Cherokee's rules read only its own script, hence the Cherokee word.
        speech = engine.synthesize("1 hello ᏣᎳᎩ", voice)
        assert speech.duration > 0.1, voice.id
        _check_timings(speech)


def test_rate_and_bad_input(engine: EspeakEngine) -> None:
    voice = _voice(engine, "espeak:en-us")
    normal = engine.synthesize("This sentence is spoken at two speeds.", voice)
    fast = engine.synthesize("This sentence is spoken at two speeds.", voice, rate=2.0)
    assert fast.duration < 0.7 * normal.duration
    with pytest.raises(InputError):
        engine.synthesize("", voice)
    bogus = VoiceInfo("espeak:xx-nope", "espeak", "xx-nope", "nope", needs_network=False)
    with pytest.raises(InputError):
        engine.synthesize("hello", bogus)


def test_threads_do_not_mix_their_audio(engine: EspeakEngine) -> None:
    voice = _voice(engine, "espeak:en-us")
    texts = ["One short line.", "A rather longer line of text to speak out loud."] * 3
    expected = [len(engine.synthesize(t, voice).audio) for t in texts]
    got: dict[int, int] = {}

    def work(i: int) -> None:
        got[i] = len(engine.synthesize(texts[i], voice).audio)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # espeak's output length drifts by a few percent with its intonation state; mixed-up
    # buffers would be off by far more.
    for i, n in enumerate(expected):
        assert abs(got[i] - n) < 0.05 * n


def test_missing_library_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    from studio.errors import StudioError

    def no_library(name: str) -> ctypes.CDLL:
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(espeak_lib.ctypes, "CDLL", no_library)
    monkeypatch.setattr(espeak_lib.sys, "platform", "linux")
    with pytest.raises(StudioError, match="apt install libespeak-ng1"):
        espeak_lib._load_cdll()
    monkeypatch.setattr(espeak_lib.sys, "platform", "darwin")
    with pytest.raises(StudioError, match="brew install espeak-ng"):
        espeak_lib._load_cdll()
