"""Language tags to eSpeak languages, the one CJK detector, the phonemizer, meta["language"]."""

from __future__ import annotations

import inspect
from fractions import Fraction

import numpy as np
import pytest

import studio.voice
from studio.errors import InputError, StudioError
from studio.lipsync import energy_driver, phoneme_driver
from studio.lipsync.mouth import CLOSE
from studio.lipsync.phoneme_driver import PhonemeDriver
from studio.voice import espeak as espeak_engine
from studio.voice import espeak_lib, registry
from studio.voice.base import Speech, WordTiming
from studio.voice.espeak import EspeakEngine
from studio.voice.language import ESPEAK_LANGUAGES, espeak_language, has_cjk
from studio.voice.phonemizer import group_ipa, phonemize
from studio.voice.piper import PiperEngine


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "cmn"),
        ("zh-TW", "cmn"),
        ("zh-HK", "yue"),  # Cantonese
        ("en-US", "en-us"),
        ("en-GB", "en-gb"),
        ("ja-JP", "ja"),
        ("ko-KR", "ko"),
        ("es-ES", "es"),
        ("es-MX", "es-mx"),
        ("fr-FR", "fr"),
        ("de-DE", "de"),
        ("it-IT", "it"),
        ("pt-BR", "pt-br"),
        ("ru_RU", "ru"),
        ("cmn", "cmn"),
        ("xx-YY", "en-us"),
        ("", "en-us"),
    ],
)
def test_espeak_language_of_a_tag(tag: str, expected: str) -> None:
    assert espeak_language(tag) == expected


def test_known_languages_are_the_installed_ones() -> None:
    installed = {
        language.lower()
        for v in espeak_lib.list_voices()
        if not v.identifier.startswith("mb/")
        for language in v.languages
    }
    assert installed >= ESPEAK_LANGUAGES


def test_every_edge_voice_maps_to_a_language_espeak_reads() -> None:
    from studio.voice.edge import EdgeEngine

    for voice in EdgeEngine().voices():
        language = espeak_language(voice.language)
        assert phonemize("hello", language), (voice.id, language)


def test_one_cjk_detector() -> None:
    assert not hasattr(registry, "_CJK") and not hasattr(espeak_engine, "has_han")
    assert has_cjk("今天") and has_cjk("こんにちは") and has_cjk("안녕") and not has_cjk("hello")
    assert has_cjk("今天", han_only=True) and not has_cjk("こんにちは안녕", han_only=True)
    assert registry.default_voice_id("안녕") == registry.DEFAULT_CJK_VOICE


def test_phonemes_are_grouped_like_espeak_ties_them() -> None:
    assert phonemize("church", "en-us") == ["tʃ", "ɜː", "tʃ"]
    assert phonemize("pie boy", "en-us") == ["p", "aɪ", "b", "ɔɪ"]
    assert phonemize("judge", "en-us") == ["dʒ", "ʌ", "dʒ"]
    assert phonemize("hello", "en-gb")[-1] == "əʊ"  # found though espeak has no voice "en-gb"
    assert phonemize("Pferd", "de")[0] == "pf"


def test_group_ipa_drops_markers_stress_tones_and_punctuation() -> None:
    zwj = "\u200d"
    assert group_ipa(f"(e{zwj}n)həlˈo{zwj}ʊ(c{zwj}m{zwj}n), ɪz.") == ["h", "ə", "l", "oʊ", "ɪ", "z"]
    assert group_ipa(f"t{zwj}s.{zwj}hˈi.5 s.ˈi.5 fˈa5n.") == ["ʈʂʰ", "ɨ", "ʂ", "ɨ", "f", "a", "n"]
    assert group_ipa("") == []


def test_han_text_is_read_as_mandarin_not_english_numbers() -> None:
    got = phonemize("你好", "cmn")
    assert got == ["n", "i", "χ", "ɑu"]
    assert phonemize("你好", "zh") == got
    assert "θ" not in phonemize("你好，妈妈", "cmn")  # no "three" from the tone digits


def test_unknown_language_or_missing_library_gives_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert phonemize("hello", "xx-nope") == []

    def broken(*args: object, **kwargs: object) -> str:
        raise StudioError("the eSpeak NG speech library (libespeak-ng) was not found.")

    monkeypatch.setattr(espeak_lib, "text_to_ipa", broken)
    assert phonemize("hello", "en-us") == []


def test_phonemize_is_exported_and_fits_the_driver() -> None:
    assert studio.voice.phonemize is phonemize
    words = [WordTiming("maybe", 0.2, 0.6), WordTiming("people", 0.7, 1.2)]
    s = Speech(np.zeros(24000, np.float32), 16000, words=words, meta={"language": "en-us"})
    track = PhonemeDriver(phonemize).drive(s, Fraction(30), 45)
    closures = track.values[:, CLOSE] >= 0.95
    assert np.count_nonzero(closures[1:] & ~closures[:-1]) >= 3  # m, b, p, p


def test_engines_say_which_language_they_speak(piper: PiperEngine) -> None:
    espeak = EspeakEngine()
    voice = next(v for v in espeak.voices() if v.id == "espeak:cmn")
    assert espeak.synthesize("你好", voice).meta["language"] == "cmn"
    _, variant = studio.voice.resolve("espeak:en-gb+f2")
    assert espeak.synthesize("hello", variant).meta["language"] == "en-gb"
    assert piper.synthesize("Hello.", piper.voices()[0]).meta["language"] == "en-us"


@pytest.fixture(scope="module")
def piper() -> PiperEngine:
    return PiperEngine()


@pytest.mark.parametrize("text", ["-", "'", "。", "\u200b", "...", "？！"])
def test_espeak_refuses_text_with_nothing_to_speak_like_piper(text: str, piper: PiperEngine) -> None:
    espeak = EspeakEngine()
    voice = next(v for v in espeak.voices() if v.id == "espeak:en-us")
    with pytest.raises(InputError) as espeak_error:
        espeak.synthesize(text, voice)
    with pytest.raises(InputError) as piper_error:
        piper.synthesize(text, piper.voices()[0])
    assert (
        str(espeak_error.value)
        == str(piper_error.value)
        == "there is no text to speak. Give the voice some words."
    )


def test_shared_helpers_named_in_the_energy_driver_docstring_are_shared() -> None:
    doc = energy_driver.__doc__ or ""
    sentence = next(s for s in doc.split(".") if "are shared with" in s)
    claimed = sentence.split("are shared with")[0].split("``")[1::2]
    assert claimed
    for name in claimed:
        assert getattr(phoneme_driver, name, None) is getattr(energy_driver, name), name


@pytest.mark.parametrize(
    ("module", "definition"),
    [(espeak_lib, "_library: EspeakLibrary | None = None"), (registry, "def default_registry()")],
)
def test_process_wide_state_says_why(module: object, definition: str) -> None:
    lines = inspect.getsource(module).splitlines()  # type: ignore[arg-type]
    at = next(i for i, line in enumerate(lines) if line.startswith(definition))
    above = lines[at - 1] if not lines[at - 1].startswith("@") else lines[at - 2]
    assert above.startswith("# ") and "process" in above


def test_mandarin_unrounded_o_is_not_read_as_a_rounded_o() -> None:
    from studio.voice import phonemize

    assert "ɤ" in phonemize("这", "cmn")
    assert "o" not in phonemize("这", "cmn")
