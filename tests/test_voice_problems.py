"""A show's voices checked before it runs: not installed, the wrong language, online.

Checked against the voices really installed here (``all_voices()``), as the show editor and
the live start check them.
"""

from __future__ import annotations

import pytest

from studio.errors import InputError
from studio.live.rundown import Segment
from studio.voice.base import VoiceInfo
from studio.voice.language import language_reads, text_script
from studio.voice.registry import (
    LANGUAGE,
    ONLINE,
    UNKNOWN,
    all_voices,
    find_voice,
    offline_voice_for,
    reads_text,
    require_known_voices,
    voice_problems,
)

pytest_plugins = ["voice_fixtures"]


@pytest.mark.parametrize(
    ("text", "script", "language"),
    [
        ("今天我们有一款特别的精华液。", "Chinese characters", "zh"),
        ("Only today: 精华液 thirty percent off!", "Chinese characters", "zh"),  # any Han at all
        ("こんにちは、今日は特別です。", "Japanese kana", "ja"),  # kana with Han is Japanese
        ("안녕하세요, 여러분!", "Hangul", "ko"),
        ("Привет всем! Sale today.", "Cyrillic", "ru"),
        ("مرحبا بكم", "Arabic", "ar"),
        ("Γειά σας", "Greek", "el"),
        ("Hola a todos, ¡bienvenidos!", "Latin letters", ""),
    ],
)
def test_the_script_of_a_text_names_its_language(text: str, script: str, language: str) -> None:
    found = text_script(text)
    assert found is not None
    assert (found.name, found.language) == (script, language)


def test_a_text_without_letters_fits_any_voice() -> None:
    assert text_script("123 — 50 %!") is None
    assert text_script("") is None
    assert language_reads("en-US", "123 %") and language_reads("cmn", "123 %")


@pytest.mark.parametrize(
    ("language", "text", "reads"),
    [
        ("en-US", "今天有优惠", False),
        ("zh-CN", "今天有优惠", True),
        ("cmn", "今天有优惠", True),
        ("yue", "今天有优惠", True),  # Cantonese reads Han too
        ("ja-JP", "こんにちは", True),
        ("cmn", "こんにちは", False),
        ("en-us", "Привет", False),
        ("uk", "Привет", True),
        ("en-GB", "Hello everyone", True),
        ("es-ES", "Hola a todos", True),
        ("zh-CN", "Hello everyone", True),  # Latin letters: read as English by every voice
        ("cmn-latn-pinyin", "ni hao", True),
        ("ru-RU", "Hello everyone", True),
        ("ru-RU", "Γειά σας", False),
    ],
)
def test_a_voice_reads_the_scripts_of_its_language(language: str, text: str, reads: bool) -> None:
    assert language_reads(language, text) is reads


def test_a_multilingual_online_voice_reads_any_text() -> None:
    voices = all_voices()
    emma = find_voice("edge:en-US-EmmaMultilingualNeural", voices)
    aria = find_voice("edge:en-US-AriaNeural", voices)
    assert emma is not None and aria is not None
    assert reads_text(emma, "今天有优惠") and not reads_text(aria, "今天有优惠")


def test_find_voice_knows_the_ids_the_registry_resolves() -> None:
    voices = all_voices()
    found = find_voice("espeak:en-us+f2", voices)
    assert found is not None and found.id == "espeak:en-us"
    bare = find_voice("zh-CN-XiaoxiaoNeural", voices)
    assert bare is not None and bare.id == "edge:zh-CN-XiaoxiaoNeural"
    assert find_voice("piper:en_US-nobody-medium", voices) is None
    assert find_voice("nosuchengine:cmn", voices) is None


def test_every_kind_of_problem_is_listed_in_segment_order() -> None:
    voices = all_voices()
    segments = [
        Segment("Welcome, everyone!", "piper:en_US-joe-medium"),  # fine
        Segment("今天我们有一款特别的精华液。", "piper:en_US-joe-medium"),  # Chinese in English
        Segment("Ask me anything.", "piper:en_US-nobody-medium"),  # not installed
        Segment("Thirty percent off today.", "edge:en-US-AriaNeural"),  # online
        Segment("今天有优惠。", "edge:en-US-GuyNeural"),  # both: online and English
        Segment("今天有优惠。"),  # the default voice picks Mandarin: fine
        Segment("   ", "piper:en_US-nobody-medium"),  # no text: says nothing, no problem
    ]
    problems = voice_problems(segments, voices)
    assert [(p.segment, p.kind) for p in problems] == [
        (2, LANGUAGE),
        (3, UNKNOWN),
        (4, ONLINE),
        (5, LANGUAGE),
        (5, ONLINE),
    ]
    chinese = problems[0]
    assert (chinese.language, chinese.script) == ("zh", "Chinese characters")
    assert chinese.voice is not None and chinese.voice.id == "piper:en_US-joe-medium"
    assert "segment 2" in chinese.message and "Chinese characters" in chinese.message
    assert problems[1].voice is None and "not installed" in problems[1].message
    assert "internet" in problems[2].message


def test_the_default_voice_is_checked_as_the_voice_that_speaks() -> None:
    # Korean text: the default for Han, kana and hangul is eSpeak's Mandarin, which cannot read it.
    (problem,) = voice_problems([Segment("안녕하세요, 여러분!")], all_voices())
    assert problem.kind == LANGUAGE and problem.voice_id == ""
    assert problem.voice is not None and problem.voice.id == "espeak:cmn"
    assert "the default voice" in problem.message and problem.language == "ko"


@pytest.mark.parametrize(
    ("kokoro_state", "chinese_id", "english_id", "british_engine"),
    [
        # Kokoro's Mandarin voice, for Taiwan too: a natural voice of the language before the
        # robotic one of the very tag; Kokoro's own British voices for en-GB.
        ("kokoro", "kokoro:zf_xiaoxiao", "kokoro:af_heart", "kokoro"),
        # No natural Chinese voice installed: eSpeak's; Piper's joe is American, the only one.
        ("no-kokoro", "espeak:cmn", "piper:en_US-joe-medium", "piper"),
    ],
    indirect=["kokoro_state"],
)
def test_the_offline_voice_for_a_language_prefers_a_natural_one(
    kokoro_state: str, chinese_id: str, english_id: str, british_engine: str
) -> None:
    voices = all_voices()
    chinese = offline_voice_for("zh", voices)
    assert chinese is not None and chinese.id == chinese_id
    assert not chinese.needs_network
    english = offline_voice_for("en", voices)
    assert english is not None and english.id == english_id
    taiwan = offline_voice_for("zh-TW", voices)
    assert taiwan is not None and taiwan.id == chinese_id
    british = offline_voice_for("en-GB", voices)
    assert british is not None and british.engine == british_engine
    assert british.language == ("en-GB" if british_engine == "kokoro" else "en-US")  # its very tag first
    assert offline_voice_for("", voices) is None
    assert offline_voice_for("xx", voices) is None


def test_a_show_with_a_voice_that_is_not_installed_is_refused_in_one_line() -> None:
    voices: list[VoiceInfo] = all_voices()
    require_known_voices([Segment("Hello.", "piper:en_US-joe-medium"), Segment("你好。")], voices)
    segments = [Segment("Hello."), Segment("Hi.", "piper:en_US-nobody-medium"), Segment("Yo.", "espeak:xx")]
    with pytest.raises(InputError) as caught:
        require_known_voices(segments, voices)
    message = str(caught.value)
    assert "\n" not in message
    assert "segment 2" in message and "piper:en_US-nobody-medium" in message
    assert "1 more segment" in message and "studio voices" in message
